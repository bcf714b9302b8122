"""Relationship fields: ``ForeignKeyField`` (+ ``DeferredForeignKey``), ``ManyToManyField``
(+ ``DeferredThroughModel``) and the descriptors that load related rows lazily.

Queries are built through the public model API (``select()``, ``get()``, ``insert_many()``...);
nothing here knows about SQL text or drivers.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Optional, Union

from .fields import AutoField, BigAutoField, BigIntegerField, Field, FieldAccessor, IntegerField
from .fields import MetaField, _creation_counter
from .sql import SQL, Entity, EnclosedNodeList, Node, NodeList, Value

__all__ = [
    "BackrefAccessor",
    "DeferredForeignKey",
    "DeferredThroughModel",
    "ForeignKeyAccessor",
    "ForeignKeyField",
    "ManyToManyField",
    "ManyToManyFieldAccessor",
    "NoQueryForeignKeyAccessor",
    "ObjectIdAccessor",
]


def _next_field_order() -> int:
    return next(_creation_counter)


def _old_spelling(old: str, new: str) -> None:
    warnings.warn(
        'The argument "%s" is an old spelling: use "%s" instead.' % (old, new),
        DeprecationWarning,
        stacklevel=3,
    )


class ForeignKeyAccessor(FieldAccessor):
    """``tweet.user``: the related instance, fetched with one query on first access and cached
    in ``instance.__rel__``; assignment accepts an instance or a key value."""

    __slots__ = ("rel_model",)

    def __init__(self, model: type, field: "ForeignKeyField", name: str) -> None:
        super().__init__(model, field, name)
        self.rel_model = field.rel_model

    def get_rel_instance(self, instance: Any) -> Any:
        name = self.name
        value = instance.__data__.get(name)
        field = self.field
        if value is not None or name in instance.__rel__:
            rel = instance.__rel__
            if name not in rel and field.lazy_load:
                rel[name] = self.rel_model.get(field.rel_field == value)
            return rel.get(name, value)
        if not field.null and field.lazy_load:
            raise self.rel_model.DoesNotExist
        return value

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            return self.get_rel_instance(instance)
        return self.field

    def __set__(self, instance: Any, obj: Any) -> None:
        name = self.name
        if isinstance(obj, self.rel_model):
            instance.__data__[name] = getattr(obj, self.field.rel_field.name)
            instance.__rel__[name] = obj
        else:
            previous = instance.__data__.get(name)
            instance.__data__[name] = obj
            if obj is None or obj != previous:
                rel = getattr(instance, "__dict__", {}).get("__rel__")
                if rel:
                    rel.pop(name, None)
        instance._dirty.add(name)


class NoQueryForeignKeyAccessor(ForeignKeyAccessor):
    """Accessor for ``lazy_load=False``: the cached related instance if any, else the key value."""

    __slots__ = ()

    def get_rel_instance(self, instance: Any) -> Any:
        value = instance.__data__.get(self.name)
        return instance.__rel__.get(self.name, value)


class ObjectIdAccessor:
    """``tweet.user_id``: the raw key value of a foreign key.  While no value is stored but a
    related instance is attached (assigned before it was saved), its current key is given."""

    __slots__ = ("field",)

    def __init__(self, field: "ForeignKeyField") -> None:
        self.field = field

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is None:
            return self.field
        name = self.field.name
        value = instance.__data__.get(name)
        if value is None:
            rel = instance.__dict__.get("__rel__")
            if rel:
                obj = rel.get(name)
                if obj is not None:
                    value = getattr(obj, self.field.rel_field.name)
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        setattr(instance, self.field.name, value)


class BackrefAccessor:
    """``user.tweets``: a query of the rows whose foreign key points at the instance."""

    def __init__(self, field: "ForeignKeyField") -> None:
        self.field = field
        self.model = field.rel_model
        self.rel_model = field.model

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            value = getattr(instance, self.field.rel_field.name)
            return self.rel_model.select().where(self.field == value)
        return self


class ForeignKeyField(Field):
    """A column referencing another model's primary key (or ``field``)."""

    accessor_class: type = ForeignKeyAccessor
    backref_accessor_class: type = BackrefAccessor

    def __init__(
        self,
        model: Any = None,
        field: Any = None,
        backref: Union[str, Callable, None] = None,
        on_delete: Optional[str] = None,
        on_update: Optional[str] = None,
        deferrable: Optional[str] = None,
        _deferred: Any = None,
        rel_model: Any = None,
        to_field: Any = None,
        object_id_name: Optional[str] = None,
        lazy_load: bool = True,
        constraint_name: Optional[str] = None,
        related_name: Optional[str] = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("index", True)
        super().__init__(*args, **kwargs)
        if rel_model is not None:
            _old_spelling("rel_model", "model")
            model = rel_model
        if to_field is not None:
            _old_spelling("to_field", "field")
            field = to_field
        if related_name is not None:
            _old_spelling("related_name", "backref")
            backref = related_name
        self._is_self_reference = model == "self"
        self.rel_model = model
        self.rel_field = field
        self.declared_backref = backref
        self.backref: Any = None
        self.on_delete = on_delete
        self.on_update = on_update
        self.deferrable = deferrable
        self.deferred = _deferred
        self.object_id_name = object_id_name
        self.lazy_load = lazy_load
        self.constraint_name = constraint_name
        if not lazy_load:
            self.accessor_class = NoQueryForeignKeyAccessor

    @property
    def field_type(self) -> str:  # type: ignore[override]
        rel_field = self.rel_field
        if not isinstance(rel_field, AutoField):
            return rel_field.field_type
        if isinstance(rel_field, BigAutoField):
            return BigIntegerField.field_type
        return IntegerField.field_type

    def get_modifiers(self) -> Optional[list]:
        if not isinstance(self.rel_field, AutoField):
            return self.rel_field.get_modifiers()
        return super().get_modifiers()

    def adapt(self, value: Any) -> Any:
        return self.rel_field.adapt(value)

    def db_value(self, value: Any) -> Any:
        if value is not None and isinstance(value, self.rel_model):
            value = getattr(value, self.rel_field.name)
        return self.rel_field.db_value(value)

    def python_value(self, value: Any) -> Any:
        if isinstance(value, self.rel_model):
            return value
        return self.rel_field.python_value(value)

    def bind(self, model: type, name: str, set_attribute: bool = True) -> None:
        if not self.column_name:
            self.column_name = name if name.endswith("_id") else name + "_id"
        if not self.object_id_name:
            self.object_id_name = self.column_name
            if self.object_id_name == name:
                self.object_id_name += "_id"
        elif self.object_id_name == name:
            raise ValueError(
                'ForeignKeyField "%s.%s" has an object_id_name equal to its own name.'
                % (model.__name__, name)
            )
        if self._is_self_reference:
            self.rel_model = model
        if isinstance(self.rel_field, str):
            self.rel_field = getattr(self.rel_model, self.rel_field)
        elif self.rel_field is None:
            self.rel_field = self.rel_model._meta.primary_key

        super().bind(model, name, set_attribute)
        self.safe_name = self.object_id_name

        backref = self.declared_backref
        if callable(backref):
            backref = backref(self)
        if not backref:
            backref = "%s_set" % model._meta.name
        self.backref = backref

        if set_attribute:
            setattr(model, self.object_id_name, ObjectIdAccessor(self))
            if backref not in ("!", "+"):
                setattr(self.rel_model, backref, self.backref_accessor_class(self))

    def __deepcopy__(self, memo: dict) -> "ForeignKeyField":
        new = super().__deepcopy__(memo)
        if self.model is not None and not callable(self.declared_backref):
            # A copy made for a subclass gets the default back-reference of that subclass.
            new.declared_backref = None
            new.backref = None
        return new  # type: ignore[return-value]

    def get_constraint_name(self) -> str:
        """``constraint_name``, or ``fk_<table>_<column>_refs_<related table>``."""
        return self.constraint_name or "fk_%s_%s_refs_%s" % (
            self.model._meta.table_name,
            self.column_name,
            self.rel_model._meta.table_name,
        )

    def foreign_key_constraint(self) -> NodeList:
        """``FOREIGN KEY ("col") REFERENCES "table" ("id") [ON DELETE ...]`` for CREATE TABLE."""
        parts: list = []
        if self.constraint_name:
            parts.extend([SQL("CONSTRAINT"), Entity(self.constraint_name)])
        parts.extend(
            [
                SQL("FOREIGN KEY"),
                EnclosedNodeList((self,)),
                SQL("REFERENCES"),
                self.rel_model,
                EnclosedNodeList((self.rel_field,)),
            ]
        )
        if self.on_delete:
            parts.append(SQL("ON DELETE %s" % self.on_delete))
        if self.on_update:
            parts.append(SQL("ON UPDATE %s" % self.on_update))
        if self.deferrable:
            parts.append(SQL("DEFERRABLE %s" % self.deferrable))
        return NodeList(parts)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_") or "rel_model" not in self.__dict__:
            raise AttributeError(attr)
        rel_model = self.__dict__["rel_model"]
        meta = getattr(rel_model, "_meta", None)
        if meta is not None and attr in meta.fields:
            return meta.fields[attr]
        raise AttributeError(
            "%r has no attribute %r, and %r is not a field of the related model."
            % (self, attr, attr)
        )


class DeferredForeignKey(Field):
    """A foreign key to a model declared later; it becomes a ``ForeignKeyField`` as soon as a
    model class of that name is created (``DeferredForeignKey.resolve``)."""

    _unresolved: set = set()

    def __init__(self, rel_model_name: str, **kwargs: Any) -> None:
        self.field_kwargs = kwargs
        self.rel_model_name = rel_model_name.lower()
        DeferredForeignKey._unresolved.add(self)
        super().__init__(
            column_name=kwargs.get("column_name"),
            null=kwargs.get("null") or False,
            primary_key=kwargs.get("primary_key") or False,
        )

    __hash__ = object.__hash__

    def __deepcopy__(self, memo: Any = None) -> "DeferredForeignKey":
        return DeferredForeignKey(self.rel_model_name, **self.field_kwargs)

    def set_model(self, rel_model: type) -> None:
        field = ForeignKeyField(rel_model, _deferred=True, **self.field_kwargs)
        if field.primary_key:
            self.model._meta.set_primary_key(self.name, field)
        else:
            self.model._meta.add_field(self.name, field)

    @staticmethod
    def resolve(model_cls: type) -> None:
        pending = sorted(DeferredForeignKey._unresolved, key=lambda f: f._order)
        name = model_cls.__name__.lower()
        for field in pending:
            if field.rel_model_name == name and field.model is not None:
                field.set_model(model_cls)
                DeferredForeignKey._unresolved.discard(field)


class DeferredThroughModel:
    """Placeholder for a many-to-many through model declared after the field that uses it."""

    def __init__(self) -> None:
        self._refs: list = []

    def set_field(self, model: type, field: "ManyToManyField", name: str) -> None:
        self._refs.append((model, field, name))

    def set_model(self, through_model: type) -> None:
        for src_model, m2m_field, name in self._refs:
            m2m_field.through_model = through_model
            src_model._meta.add_field(name, m2m_field)


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and hasattr(obj, "_meta") and hasattr(obj, "_schema")


class _ManyToManyQueryMixin:
    """Adds ``add()``, ``remove()`` and ``clear()`` to the query behind ``instance.<m2m>``."""

    _instance: Any
    _accessor: "ManyToManyFieldAccessor"

    def _id_list(self, values: Any) -> list:
        dest = self._accessor.dest_fk.rel_field.name
        return [getattr(v, dest) if hasattr(type(v), "_meta") else v for v in values]

    def _src_id(self) -> Any:
        return getattr(self._instance, self._accessor.src_fk.rel_field.name)

    def add(self, value: Any, clear_existing: bool = False) -> None:
        if clear_existing:
            self.clear()
        accessor = self._accessor
        src_id = self._src_id()
        if isinstance(value, Node):
            query = value.columns(Value(src_id), accessor.dest_fk.rel_field)
            accessor.through_model.insert_from(
                fields=[accessor.src_fk, accessor.dest_fk], query=query
            ).execute()
            return
        values = _ensure_tuple(value)
        if not values:
            return
        rows = [
            {accessor.src_fk.name: src_id, accessor.dest_fk.name: rel_id}
            for rel_id in self._id_list(values)
        ]
        accessor.through_model.insert_many(rows).execute()

    def remove(self, value: Any) -> Any:
        accessor = self._accessor
        src_id = self._src_id()
        if isinstance(value, Node):
            column = getattr(value.model, accessor.dest_fk.rel_field.name)
            subquery = value.columns(column)
            return (
                accessor.through_model.delete()
                .where((accessor.dest_fk << subquery) & (accessor.src_fk == src_id))
                .execute()
            )
        values = _ensure_tuple(value)
        if not values:
            return None
        return (
            accessor.through_model.delete()
            .where((accessor.dest_fk << self._id_list(values)) & (accessor.src_fk == src_id))
            .execute()
        )

    def clear(self) -> Any:
        accessor = self._accessor
        return accessor.through_model.delete().where(accessor.src_fk == self._src_id()).execute()


def _ensure_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    if (
        hasattr(value, "__iter__")
        and not isinstance(value, (str, bytes))
        and not hasattr(type(value), "_meta")
    ):
        return tuple(value)
    return (value,)


_m2m_query_classes: dict = {}


def _m2m_query_class(base: type) -> type:
    """The query class (``base`` plus ``add``/``remove``/``clear``) behind ``instance.<m2m>``."""
    cls = _m2m_query_classes.get(base)
    if cls is None:
        cls = _m2m_query_classes[base] = type(
            "ManyToManyQuery", (_ManyToManyQueryMixin, base), {"__module__": __name__}
        )
    return cls


def _as_m2m_query(query: Any, instance: Any, accessor: "ManyToManyFieldAccessor") -> Any:
    query.__class__ = _m2m_query_class(type(query))
    query._instance = instance
    query._accessor = accessor
    return query


class ManyToManyFieldAccessor(FieldAccessor):
    """``course.students``: a query of the related rows with ``add``/``remove``/``clear``;
    assigning a list replaces the relationship."""

    __slots__ = ("_fks",)

    def __init__(self, model: type, field: "ManyToManyField", name: str) -> None:
        super().__init__(model, field, name)
        self._fks: Any = None

    @property
    def model_(self) -> type:
        return self.field.model

    @property
    def rel_model(self) -> type:
        return self.field.rel_model

    @property
    def through_model(self) -> type:
        return self.field.through_model

    def _resolve(self) -> tuple:
        through = self.field.through_model
        if self._fks is None or self._fks[0] is not through:
            src_fks = through._meta.model_refs[self.field.model]
            dest_fks = through._meta.model_refs[self.field.rel_model]
            if not src_fks or not dest_fks:
                raise ValueError(
                    "The through model %s needs a foreign key to %s and one to %s."
                    % (through.__name__, self.field.model.__name__, self.field.rel_model.__name__)
                )
            self._fks = (through, src_fks[0], dest_fks[0])
        return self._fks

    @property
    def src_fk(self) -> ForeignKeyField:
        return self._resolve()[1]

    @property
    def dest_fk(self) -> ForeignKeyField:
        return self._resolve()[2]

    def __get__(self, instance: Any, instance_type: Any = None, force_query: bool = False) -> Any:
        if instance is None:
            return self.field
        _, src_fk, dest_fk = self._resolve()
        if not force_query and src_fk.backref not in ("+", "!"):
            backref = instance.__dict__.get(src_fk.backref)
            if isinstance(backref, list):
                return [getattr(obj, dest_fk.name) for obj in backref]
        src_id = getattr(instance, src_fk.rel_field.name)
        if src_id is None and self.field._prevent_unsaved:
            raise ValueError(
                "%s has no primary key value yet: save it before using %s."
                % (type(instance).__name__, self.name)
            )
        rel_model = self.field.rel_model
        query = (
            rel_model.select()
            .join(self.field.through_model)
            .join(self.field.model)
            .where(src_fk == src_id)
        )
        return _as_m2m_query(query, instance, self)

    def get_query(self, instance: Any) -> Any:
        """The query of the rows related to ``instance`` (with ``add``/``remove``/``clear``)."""
        return self.__get__(instance, force_query=True)

    def __set__(self, instance: Any, value: Any) -> None:
        self.__get__(instance, force_query=True).add(value, clear_existing=True)


class ManyToManyField(MetaField):
    """A many-to-many relationship through a junction model (created automatically unless
    ``through_model`` is given)."""

    accessor_class: type = ManyToManyFieldAccessor

    def __init__(
        self,
        model: Any,
        backref: Optional[str] = None,
        through_model: Any = None,
        on_delete: Optional[str] = None,
        on_update: Optional[str] = None,
        prevent_unsaved: bool = True,
        _is_backref: bool = False,
    ) -> None:
        if through_model is not None:
            if not (isinstance(through_model, DeferredThroughModel) or _is_model(through_model)):
                raise TypeError("through_model must be a Model class or a DeferredThroughModel.")
            if not _is_backref and (on_delete is not None or on_update is not None):
                raise ValueError(
                    "on_delete and on_update belong on the through model's foreign keys "
                    "when through_model is given."
                )
        # Not a column: the column options of Field (null, unique, index, ...) are not set, so
        # ``getattr(field, "null", True)`` sees an optional field, as with peewee.
        self.rel_model = model
        self.backref = backref
        self._through_model = through_model
        self._on_delete = on_delete
        self._on_update = on_update
        self._prevent_unsaved = prevent_unsaved
        self._is_backref = _is_backref
        self._forward: Optional[ManyToManyField] = None
        self._order = _next_field_order()
        self._sort_key = (2, self._order)

    def _get_descriptor(self) -> ManyToManyFieldAccessor:
        return ManyToManyFieldAccessor(self.model, self, self.name)

    def bind(self, model: type, name: str, set_attribute: bool = True) -> None:
        if isinstance(self._through_model, DeferredThroughModel):
            self._through_model.set_field(model, self, name)
            return
        if self.rel_model == "self":
            raise ValueError(
                "ManyToManyField \"%s.%s\" cannot refer to 'self': a many-to-many relationship of a "
                "model with itself needs a through model with two foreign keys (query it directly)."
                % (model.__name__, name)
            )
        if isinstance(self.rel_model, str):
            raise TypeError(
                'ManyToManyField "%s.%s" needs the related model class, not the name %r.'
                % (model.__name__, name, self.rel_model)
            )
        super().bind(model, name, set_attribute)
        if not self._is_backref:
            self.backref = self.backref or model._meta.name + "s"
            if self.backref in ("+", "!"):
                return
            existing = self.rel_model._meta.manytomany.get(self.backref)
            if existing is not None and existing.rel_model is not model and isinstance(
                existing.rel_model, type
            ) and issubclass(model, existing.rel_model):
                # Inherited from a parent model: the back-reference stays the parent's.
                return
            mirror = ManyToManyField(
                self.model,
                backref=name,
                through_model=self._through_model,
                on_delete=self._on_delete,
                on_update=self._on_update,
                _is_backref=True,
            )
            mirror._forward = self
            self.rel_model._meta.add_field(self.backref, mirror)

    def get_models(self) -> list:
        if self._is_backref:
            return [self.rel_model, self.model]
        return [self.model, self.rel_model]

    @property
    def through_model(self) -> type:
        if self._forward is not None:
            return self._forward.through_model
        if self._through_model is None:
            self._through_model = self._create_through_model()
        return self._through_model

    @through_model.setter
    def through_model(self, value: type) -> None:
        self._through_model = value

    def get_through_model(self) -> type:
        return self.through_model

    def __deepcopy__(self, memo: dict) -> "ManyToManyField":
        new = super().__deepcopy__(memo)
        if getattr(self._through_model, "_auto_through_for", None) is self:
            new._through_model = None  # a subclass gets a junction model of its own
        return new  # type: ignore[return-value]

    def _create_through_model(self) -> type:
        from .model import Model

        lhs, rhs = self.get_models()
        lhs_meta, rhs_meta = lhs._meta, rhs._meta
        meta_attrs = {
            "database": self.model._meta.database,
            "schema": self.model._meta.schema,
            "table_name": "%s_%s_through" % (lhs_meta.table_name, rhs_meta.table_name),
            "indexes": (((lhs_meta.name, rhs_meta.name), True),),
        }
        params = {"on_delete": self._on_delete, "on_update": self._on_update}
        attrs = {
            lhs_meta.name: ForeignKeyField(lhs, **params),
            rhs_meta.name: ForeignKeyField(rhs, **params),
            "Meta": type("Meta", (), meta_attrs),
            "__module__": lhs.__module__,
        }
        through = type("%s%sThrough" % (lhs.__name__, rhs.__name__), (Model,), attrs)
        through._auto_through_for = self
        return through
