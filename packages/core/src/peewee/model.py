"""Models: the ``ModelBase`` metaclass, ``Model`` with its class and instance API.

Table facts live in ``Metadata`` (metadata.py), DDL in ``SchemaManager`` (schema.py) and query
objects in model_query.py; nothing here knows about drivers or SQL text.
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Iterable, Optional

from .errors import DoesNotExist, IntegrityError
from .fields import AutoField, CompositeKey, Field
from .metadata import Metadata
from .model_query import (
    ModelAlias,
    ModelDelete,
    ModelInsert,
    ModelRaw,
    ModelSelect,
    ModelUpdate,
    NoopModelSelect,
    normalize_write_data,
)
from .model_cache import cacheable_values, get_template, marker_values
from .results import ModelInstanceCursorWrapper
from .schema import SchemaManager
from .relations import DeferredForeignKey
from .sql import SQL, Insert, Node, Tuple, Value

__all__ = ["Model", "ModelBase", "ModelAlias"]

MODEL_BASE = "_metaclass_helper_"
_MISSING = object()

# Meta options a subclass takes over from its bases unless it declares them itself.
INHERITED_META = frozenset(
    (
        "constraints", "database", "indexes", "primary_key", "options", "schema", "table_function",
        "temporary", "only_save_dirty", "legacy_table_names", "table_settings", "strict_tables",
        "model_metadata_class", "schema_manager_class",
    )
)


class _LazySet:
    """Creates the instance's dirty-name set on first use and stores it on the instance."""

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        value: set = set()
        # An attribute store (not ``instance.__dict__[...]``) keeps the instance's compact
        # attribute storage instead of materialising a dict per instance.
        instance._dirty = value
        return value


class _LazyDict:
    """Creates the instance's related-object cache on first use."""

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        value: dict = {}
        instance.__rel__ = value  # an attribute store: see ``_LazySet``
        return value


def _meta_options(meta: Any) -> dict:
    if meta is None:
        return {}
    return {k: v for k, v in meta.__dict__.items() if not k.startswith("_")}


class ModelBase(type):
    """Metaclass of every model: reads ``class Meta``, collects fields and builds ``_meta``."""

    inheritable = set(INHERITED_META)

    def __new__(mcs, name: str, bases: tuple, attrs: dict, **kwargs: Any) -> Any:
        if name == MODEL_BASE or (bases and bases[0].__name__ == MODEL_BASE):
            return super().__new__(mcs, name, bases, attrs, **kwargs)

        options = _meta_options(attrs.pop("Meta", None))
        declared_pk = options.get("primary_key")
        parent_pk = None
        first_base = True

        for base in bases:
            base_meta = getattr(base, "_meta", None)
            if base_meta is None:
                continue
            if parent_pk is None:
                parent_pk = copy.deepcopy(base_meta.primary_key)
            # The standard options come from the first model base, unset ones included; extra
            # options are gathered from every base (the first one that sets a value wins).
            if first_base:
                first_base = False
                for key in mcs.inheritable:
                    if key in options or key == "primary_key":
                        continue
                    if key in ("model_metadata_class", "schema_manager_class"):
                        value = getattr(base_meta, "_options_" + key, None)
                    else:
                        value = getattr(base_meta, key, None)
                    options[key] = value
            for key in getattr(base_meta, "_additional_keys", None) or ():
                if key not in options:
                    value = getattr(base_meta, key, None)
                    if value is not None:
                        options[key] = value
            for key, value in base.__dict__.items():
                if key in attrs:
                    continue
                field = getattr(value, "field", None)
                if isinstance(field, Field) and not field.primary_key and field.name == key:
                    attrs[key] = copy.deepcopy(field)

        meta_class = options.pop("model_metadata_class", None) or Metadata
        schema_class = options.pop("schema_manager_class", None) or SchemaManager
        schema_options = options.pop("schema_options", None) or {}

        cls = super().__new__(mcs, name, bases, attrs, **kwargs)
        cls.__data__ = None
        cls._meta = meta = meta_class(cls, **options)
        meta._options_model_metadata_class = meta_class
        meta._options_schema_manager_class = schema_class
        cls._schema = schema_class(cls, **schema_options)

        pk = declared_pk if isinstance(declared_pk, Field) or declared_pk is False else None
        pk_name = None
        fields = []
        for key, value in list(cls.__dict__.items()):
            if not isinstance(value, Field):
                continue
            if value.primary_key:
                if pk is not None and pk is not False:
                    raise ValueError("over-determined primary key %s." % name)
                pk, pk_name = value, key
            else:
                fields.append((key, value))

        if pk is None:
            if parent_pk is not False:
                if parent_pk is not None:
                    pk, pk_name = parent_pk, parent_pk.name
                else:
                    pk, pk_name = AutoField(), "id"
            else:
                pk = False
        elif isinstance(pk, CompositeKey):
            pk_name = "__composite_key__"
            meta.composite_key = True
        elif pk is not False and pk_name is None:
            pk_name = pk.name or "id"

        if pk is not False:
            meta.set_primary_key(pk_name, pk)
        else:
            meta.primary_key = False
        for key, field in sorted(fields, key=lambda item: _sort_key(item[1])):
            meta.add_field(key, field)

        if "__repr__" not in attrs:
            cls.__repr__ = _model_repr  # type: ignore[assignment]
        cls.DoesNotExist = type(  # type: ignore[attr-defined]
            "%sDoesNotExist" % name, (DoesNotExist,), {"__module__": cls.__module__}
        )
        cls.validate_model()
        resolve = getattr(DeferredForeignKey, "resolve", None)
        if resolve is not None:
            resolve(cls)
        return cls

    def __repr__(cls) -> str:
        return "<Model: %s>" % cls.__name__

    def __iter__(cls) -> Any:
        return iter(cls.select())

    def __getitem__(cls, key: Any) -> Any:
        return cls.get_by_id(key)

    def __setitem__(cls, key: Any, value: Any) -> None:
        cls.set_by_id(key, value)

    def __delitem__(cls, key: Any) -> None:
        cls.delete_by_id(key)

    def __contains__(cls, key: Any) -> bool:
        try:
            cls.get_by_id(key)
        except DoesNotExist:
            return False
        return True

    def __len__(cls) -> int:
        return cls.select().count()

    def __bool__(cls) -> bool:
        return True

    def __sql__(cls, ctx: Any) -> Any:
        return ctx.sql(cls._meta.table)


def _sort_key(field: Field) -> Any:
    key = getattr(field, "_sort_key", None)
    if key is None:
        key = getattr(field, "_order", 0)
    return key


def _model_repr(self: Any) -> str:
    return "<%s: %s>" % (type(self).__name__, self.__str__())


# The metaclass leaves this helper (and ``Model``, its direct subclass) alone.
_ModelBaseHelper = ModelBase(MODEL_BASE, (object,), {"__module__": __name__})


class Model(_ModelBaseHelper):  # type: ignore[misc]
    """Base class of declarative models (``class User(Model): username = CharField()``)."""

    _dirty = _LazySet()
    __rel__ = _LazyDict()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.pop("__no_default", None):
            self.__data__ = {}
        else:
            self.__data__ = self._meta.get_default_dict()
            if self.__data__:
                self.__dict__["_dirty"] = set(self.__data__)
        for key in kwargs:
            setattr(self, key, kwargs[key])

    # -- construction helpers used by result builders ------------------------------------------

    @classmethod
    def validate_model(cls) -> None:
        """Hook called once the class is built; subclasses may check their definition."""

    # -- class-level query API -----------------------------------------------------------------

    @classmethod
    def alias(cls, alias: Optional[str] = None) -> ModelAlias:
        return ModelAlias(cls, alias)

    @classmethod
    def select(cls, *fields: Any) -> ModelSelect:
        is_default = not fields
        if not fields:
            fields = cls._meta.sorted_fields
        return ModelSelect(cls, fields, is_default=is_default)

    @classmethod
    def _normalize_data(cls, data: Any, kwargs: dict) -> dict:
        return normalize_write_data(cls, data, kwargs)

    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> ModelUpdate:
        return ModelUpdate(cls, cls._normalize_data(__data, update))

    @classmethod
    def insert(cls, __data: Any = None, **insert: Any) -> ModelInsert:
        return ModelInsert(cls, cls._normalize_data(__data, insert))

    @classmethod
    def insert_many(cls, rows: Iterable, fields: Any = None) -> ModelInsert:
        if not isinstance(rows, (list, tuple)) and not hasattr(rows, "__sql__"):
            rows = list(rows)
        return ModelInsert(cls, insert=rows, columns=fields)

    @classmethod
    def insert_from(cls, query: Any, fields: Any) -> ModelInsert:
        columns = [getattr(cls, f) if isinstance(f, str) else f for f in fields]
        return ModelInsert(cls, insert=query, columns=columns)

    @classmethod
    def replace(cls, __data: Any = None, **insert: Any) -> ModelInsert:
        return cls.insert(__data, **insert).on_conflict("REPLACE")

    @classmethod
    def replace_many(cls, rows: Iterable, fields: Any = None) -> ModelInsert:
        return cls.insert_many(rows=rows, fields=fields).on_conflict("REPLACE")

    @classmethod
    def raw(cls, sql: str, *params: Any) -> ModelRaw:
        return ModelRaw(cls, sql, params)

    @classmethod
    def delete(cls) -> ModelDelete:
        return ModelDelete(cls)

    @classmethod
    def noop(cls) -> NoopModelSelect:
        return NoopModelSelect(cls, ())

    @classmethod
    def create(cls, **query: Any) -> Any:
        fields = cls._meta.fields
        for key in query:
            if key not in fields and not hasattr(cls, key):
                raise AttributeError(
                    '%s has no field named "%s"; known fields: %s.'
                    % (cls.__name__, key, ", ".join(cls._meta.sorted_field_names))
                )
        inst = cls(**query)
        inst.save(force_insert=True)
        return inst

    @classmethod
    def bulk_create(cls, model_list: Iterable, batch_size: Optional[int] = None) -> None:
        from .model_write import bulk_create

        bulk_create(cls, model_list, batch_size)

    @classmethod
    def bulk_update(cls, model_list: Iterable, fields: Iterable, batch_size: Optional[int] = None) -> int:
        from .model_write import bulk_update

        return bulk_update(cls, model_list, fields, batch_size)

    @classmethod
    def get(cls, *query: Any, **filters: Any) -> Any:
        sq = cls.select()
        if query:
            # Shorthand for a primary-key lookup: Model.get(1).
            if len(query) == 1 and isinstance(query[0], int):
                sq = sq.where(cls._meta.primary_key == query[0])
            else:
                sq = sq.where(*query)
        if filters:
            sq = sq.filter(**filters)
        return sq.get()

    @classmethod
    def get_or_none(cls, *query: Any, **filters: Any) -> Any:
        try:
            return cls.get(*query, **filters)
        except DoesNotExist:
            return None

    @classmethod
    def get_by_id(cls, pk: Any) -> Any:
        meta = cls._meta
        database = meta.database
        if (
            database is not None
            and pk is not None
            and meta.primary_key is not False
            and not meta.composite_key
            and _default_readers(cls)
            and cacheable_values((pk,))
        ):
            pk_field = meta.primary_key
            template = get_template(
                cls,
                "get_by_id",
                database,
                lambda: cls.select().where(pk_field == marker_values(1)[0]).paginate(1, 1),
            )
            if template is not None:
                params = template.params([pk_field.db_value(pk)])
                cursor = database.execute_sql(template.sql, params)
                wrapper = ModelInstanceCursorWrapper(cursor, cls, meta.sorted_fields)
                wrapper.fill_cache(1)
                if wrapper.row_cache:
                    return wrapper.row_cache[0]
                raise cls.DoesNotExist(
                    "%s instance matching query does not exist:\nSQL: %s\nParams: %s"
                    % (cls, template.sql, params)
                )
        return cls.get(meta.primary_key == pk)

    @classmethod
    def set_by_id(cls, key: Any, value: Any) -> Any:
        if key is None:
            return cls.insert(value).execute()
        return cls.update(value).where(cls._meta.primary_key == key).execute()

    @classmethod
    def delete_by_id(cls, pk: Any) -> Any:
        return cls.delete().where(cls._meta.primary_key == pk).execute()

    @classmethod
    def get_or_create(cls, **kwargs: Any) -> tuple:
        defaults = kwargs.pop("defaults", {})
        query = cls.select()
        for field, value in kwargs.items():
            query = query.where(getattr(cls, field) == value)
        try:
            return query.get(), False
        except cls.DoesNotExist:
            try:
                if defaults:
                    kwargs.update(defaults)
                with cls._meta.database.atomic():
                    return cls.create(**kwargs), True
            except IntegrityError as exc:
                try:
                    return query.get(), False
                except cls.DoesNotExist:
                    raise exc from None

    @classmethod
    def filter(cls, *dq_nodes: Any, **filters: Any) -> ModelSelect:
        return cls.select().filter(*dq_nodes, **filters)

    # -- binding and schema --------------------------------------------------------------------

    @classmethod
    def bind(cls, database: Any, bind_refs: bool = True, bind_backrefs: bool = True, _exclude: Any = None) -> bool:
        is_different = cls._meta.database is not database
        cls._meta.set_database(database)
        if bind_refs or bind_backrefs:
            if _exclude is None:
                _exclude = set()
            graph = cls._meta.model_graph(refs=bind_refs, backrefs=bind_backrefs)
            for _, related, _ in graph:
                if related not in _exclude:
                    related._meta.set_database(database)
                    _exclude.add(related)
        return is_different

    @classmethod
    def bind_ctx(cls, database: Any, bind_refs: bool = True, bind_backrefs: bool = True) -> Any:
        return _BoundModelsContext(cls, database, bind_refs, bind_backrefs)

    @classmethod
    def table_exists(cls) -> bool:
        meta = cls._meta
        return meta.database.table_exists(meta.table_name, meta.schema)

    @classmethod
    def create_table(cls, safe: bool = True, **options: Any) -> None:
        if "fail_silently" in options:
            _old_spelling("fail_silently", "safe", "create_table()")
            safe = options.pop("fail_silently")
        dialect = getattr(cls._meta.database, "dialect", None)
        if safe and not getattr(dialect, "safe_create_index", True) and cls.table_exists():
            return
        if cls._meta.temporary:
            options.setdefault("temporary", cls._meta.temporary)
        cls._schema.create_all(safe, **options)

    @classmethod
    def drop_table(cls, safe: bool = True, drop_sequences: bool = True, **options: Any) -> None:
        if "fail_silently" in options:
            _old_spelling("fail_silently", "safe", "drop_table()")
            safe = options.pop("fail_silently")
        dialect = getattr(cls._meta.database, "dialect", None)
        if safe and not getattr(dialect, "safe_drop_index", True) and not cls.table_exists():
            return
        if cls._meta.temporary:
            options.setdefault("temporary", cls._meta.temporary)
        cls._schema.drop_all(safe, drop_sequences, **options)

    @classmethod
    def truncate_table(cls, **options: Any) -> None:
        cls._schema.truncate_table(**options)

    @classmethod
    def index(cls, *fields: Any, **kwargs: Any) -> Any:
        from .schema import ModelIndex

        return ModelIndex(cls, fields, **kwargs)

    @classmethod
    def add_index(cls, *fields: Any, **kwargs: Any) -> None:
        from .schema import ModelIndex
        from .sql import Index

        if len(fields) == 1 and isinstance(fields[0], (SQL, Index)):
            cls._meta.indexes.append(fields[0])
        else:
            cls._meta.indexes.append(ModelIndex(cls, fields, **kwargs))

    # -- instance API --------------------------------------------------------------------------

    def __str__(self) -> str:
        return str(self._pk) if self._meta.primary_key is not False else "n/a"

    def _get_pk(self) -> Any:
        meta = self._meta
        pk = meta.primary_key
        if pk is False:
            return None
        if meta.composite_key:
            return tuple(self.__data__.get(name) for name in pk.field_names)
        return self.__data__.get(pk.name)

    def _set_pk(self, value: Any) -> None:
        # A composite key's descriptor checks the value (a list or tuple of the right length).
        setattr(self, self._meta.primary_key.name, value)

    def _del_pk(self) -> None:
        self.__data__.pop(self._meta.primary_key.name, None)

    _pk = property(_get_pk, _set_pk, _del_pk)

    def get_id(self) -> Any:
        return self._pk

    def _pk_expr(self) -> Any:
        return self._meta.primary_key == self._pk

    def _prune_fields(self, field_dict: dict, only: Iterable) -> dict:
        names = set()
        for item in only:
            names.add(item if isinstance(item, str) else item.name)
        return {k: v for k, v in field_dict.items() if k in names}

    def _populate_unsaved_relations(self, field_dict: dict) -> None:
        if not self._meta.refs:
            # No foreign keys, so no related objects (and no need to materialise ``__dict__``).
            return
        rel = self.__dict__.get("__rel__")
        if not rel:
            return
        for name, obj in rel.items():
            if name in field_dict and field_dict[name] is None and obj is not None:
                field = self._meta.fields.get(name)
                if field is None:
                    continue
                value = getattr(obj, field.rel_field.name)
                if value is not None:
                    self.__data__[name] = field_dict[name] = value

    def save(self, force_insert: bool = False, only: Any = None) -> Any:
        meta = self._meta
        field_dict = self.__data__.copy()
        pk_field = meta.primary_key
        if pk_field is not False:
            pk_value = self._pk
        else:
            pk_field = pk_value = None
        if only is not None:
            field_dict = self._prune_fields(field_dict, only)
        elif meta.only_save_dirty and not force_insert:
            field_dict = self._prune_fields(field_dict, self.dirty_fields)
            if not field_dict:
                self._dirty.clear()
                return False

        self._populate_unsaved_relations(field_dict)
        rows = 1
        if meta.composite_key and pk_value is not None and all(v is None for v in pk_value):
            pk_value = None
        if meta.auto_increment and pk_value is None:
            field_dict.pop(pk_field.name, None)

        if pk_value is not None and not force_insert:
            if meta.composite_key:
                for name in pk_field.field_names:
                    field_dict.pop(name, None)
            else:
                field_dict.pop(pk_field.name, None)
            if not field_dict:
                raise ValueError("no data to save!")
            rows = _fast_update(self, field_dict, pk_value)
            if rows is _SLOW:
                rows = self.update(field_dict).where(self._pk_expr()).execute()
        elif pk_field is not None:
            new_pk = _fast_insert(self, field_dict)
            if new_pk is _SLOW:
                new_pk = self.insert(field_dict).execute()
            if new_pk is not None and (meta.auto_increment or pk_value is None):
                self.__data__[pk_field.name] = new_pk if not meta.composite_key else pk_value
        else:
            self.insert(field_dict).execute()

        dirty = self._dirty
        if dirty:
            dirty.difference_update(field_dict)
            if pk_field is not None and not meta.composite_key:
                dirty.discard(pk_field.name)
        if not dirty:
            # Nothing left to save: drop the set (it is recreated on the next change), so
            # repeated saves keep no per-instance container alive.
            del self._dirty
        return rows

    def is_dirty(self) -> bool:
        return bool(self.__dict__.get("_dirty"))

    @property
    def dirty_fields(self) -> list:
        dirty = self.__dict__.get("_dirty")
        if not dirty:
            return []
        return [f for f in self._meta.sorted_fields if f.name in dirty]

    @property
    def dirty_field_names(self) -> list:
        """The names of the dirty fields, in field order."""
        return [f.name for f in self.dirty_fields]

    def dependencies(
        self, search_nullable: bool = True, exclude_null_children: bool = False
    ) -> Iterable:
        """Yield ``(expression, foreign key)`` for every row that refers to this instance, directly
        or through other rows, models that depend on others first (the order deletes must run).

        With ``search_nullable=False`` nullable foreign keys are left out; with
        ``exclude_null_children=True`` they are listed, but the rows referring through them are
        not searched further (they are updated, not deleted).
        """
        yield from self._dependency_list(search_nullable, exclude_null_children)

    def _dependency_list(self, search_nullable: bool, exclude_null_children: bool) -> list:
        # Depth-first over back-references (last found, first followed); a model is entered once,
        # by the first path that reaches it.
        from .schema import sort_models

        model_class = type(self)
        by_model: dict = {}
        stack: list = [(model_class, None)]
        seen = set()
        while stack:
            klass, query = stack.pop()
            if klass in seen:
                continue
            seen.add(klass)
            for fk, rel_model in klass._meta.backrefs.items():
                if fk.null and not search_nullable:
                    continue
                if rel_model is model_class or query is None:
                    node = fk == self.__data__[fk.rel_field.name]
                else:
                    node = fk << query
                by_model.setdefault(rel_model, []).append((node, fk))
                if not (fk.null and exclude_null_children):
                    subquery = rel_model.select(rel_model._meta.primary_key).where(node)
                    stack.append((rel_model, subquery))
        found: list = []
        for model in reversed(sort_models(list(by_model))):
            found.extend(by_model[model])
        return found

    def delete_instance(self, recursive: bool = False, delete_nullable: bool = False) -> int:
        """Delete this row; with ``recursive=True`` first delete the rows that refer to it (rows
        referring through a nullable key get the key set to NULL unless ``delete_nullable``)."""
        if recursive:
            for query, fk in self._dependency_list(True, not delete_nullable):
                model = fk.model
                if fk.null and not delete_nullable:
                    model.update(**{fk.name: None}).where(query).execute()
                else:
                    model.delete().where(query).execute()
        return type(self).delete().where(self._pk_expr()).execute()

    def __hash__(self) -> int:
        return hash((self.__class__, self._pk))

    def __eq__(self, other: Any) -> bool:
        return (
            other.__class__ == self.__class__
            and self._pk is not None
            and self._pk == other._pk
        )

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def _instance_sql(self, ctx: Any) -> Any:
        # An instance used inside an expression stands for its primary-key value.
        pk = self._meta.primary_key
        if self._meta.composite_key:
            return ctx.sql(Tuple(*[Value(self.__data__.get(n)) for n in pk.field_names]))
        return ctx.sql(Value(self.__data__.get(pk.name), converter=pk.db_value))


_SLOW = object()


def _old_spelling(old: str, new: str, where: str) -> None:
    warnings.warn(
        'The argument "%s" of %s is an old spelling: use "%s" instead.' % (old, where, new),
        DeprecationWarning,
        stacklevel=3,
    )


def _default_readers(cls: Any) -> bool:
    return cls.select.__func__ is Model.select.__func__ and cls.get.__func__ is Model.get.__func__


def _has_node(values: Any) -> bool:
    for value in values:
        if isinstance(value, Node):
            return True
    return False


def _fast_update(instance: Any, field_dict: dict, pk_value: Any) -> Any:
    """UPDATE through a cached statement; ``_SLOW`` when the general path is needed."""
    cls = type(instance)
    meta = cls._meta
    database = meta.database
    if database is None or meta.composite_key or cls.update.__func__ is not _MODEL_UPDATE:
        return _SLOW
    values = list(field_dict.values())
    if _has_node(values) or isinstance(pk_value, Node):
        return _SLOW
    names = tuple(field_dict)
    fields = meta.fields
    pk_field = meta.primary_key

    def build() -> Any:
        if any(name not in fields or fields[name]._db_value_nodes for name in names):
            return None
        markers = marker_values(len(names) + 1)
        data = {fields[name]: markers[i] for i, name in enumerate(names)}
        return cls.update(data).where(pk_field == markers[-1])

    template = get_template(cls, ("update", names), database, build)
    if template is None:
        return _SLOW
    converters = template.extra
    if converters is None:
        converters = template.extra = [fields[name].db_value for name in names]
    args = [convert(value) for convert, value in zip(converters, values)]
    args.append(pk_field.db_value(pk_value))
    cursor = database.execute_sql(template.sql, template.params(args))
    return database.rows_affected(cursor)


def _fast_insert(instance: Any, field_dict: dict) -> Any:
    """INSERT through a cached statement, returning the new key; ``_SLOW`` otherwise."""
    cls = type(instance)
    meta = cls._meta
    database = meta.database
    if (
        database is None
        or not field_dict
        or meta.composite_key
        or cls.insert.__func__ is not _MODEL_INSERT
    ):
        return _SLOW
    values = list(field_dict.values())
    if _has_node(values):
        return _SLOW
    names = tuple(field_dict)
    fields = meta.fields
    built: list = []

    def build() -> Any:
        if any(name not in fields or fields[name]._db_value_nodes for name in names):
            return None
        for field in meta.defaults:
            if field.name not in field_dict:
                return None  # defaults would be added per call
        markers = marker_values(len(names))
        query = cls.insert({fields[name]: markers[i] for i, name in enumerate(names)})
        built.append(query)
        return query

    template = get_template(cls, ("insert", names), database, build)
    if template is None:
        return _SLOW
    if built or template.extra is None:
        returning = bool(built[0]._pk_returning) if built else False
        template.extra = (returning, [fields[name].db_value for name in names])
    returning, converters = template.extra
    args = [convert(value) for convert, value in zip(converters, values)]
    cursor = database.execute_sql(template.sql, template.params(args))
    if returning:
        row = cursor.fetchone()
        return None if row is None else row[0]
    return database.last_insert_id(cursor, Insert.SIMPLE)


_MODEL_INSERT = Model.insert.__func__  # type: ignore[attr-defined]
_MODEL_UPDATE = Model.update.__func__  # type: ignore[attr-defined]


class _SqlHook:
    """``Model.__sql__``: on the class it renders the table, on an instance its key value."""

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return lambda ctx: ctx.sql(owner._meta.table)
        return instance._instance_sql


Model.__sql__ = _SqlHook()  # type: ignore[assignment,method-assign]


class _BoundModelsContext:
    """Context manager (and decorator) binding models to a database for a block."""

    def __init__(self, models: Any, database: Any, bind_refs: bool, bind_backrefs: bool) -> None:
        if isinstance(models, type):
            models = [models]
        self.models = list(models)
        self.database = database
        self.bind_refs = bind_refs
        self.bind_backrefs = bind_backrefs

    def __enter__(self) -> Any:
        self._orig = [(m, m._meta.database) for m in self._all_models()]
        for model in self.models:
            model.bind(self.database, self.bind_refs, self.bind_backrefs)
        return self.models if len(self.models) != 1 else self.models[0]

    def _all_models(self) -> list:
        seen = []
        for model in self.models:
            if model not in seen:
                seen.append(model)
            for _, related, _ in model._meta.model_graph(refs=self.bind_refs, backrefs=self.bind_backrefs):
                if related not in seen:
                    seen.append(related)
        return seen

    def __exit__(self, *exc: Any) -> None:
        for model, database in self._orig:
            model._meta.set_database(database)

    def __call__(self, fn: Any) -> Any:
        import functools

        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with self:
                return fn(*args, **kwargs)

        return inner

