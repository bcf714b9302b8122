"""``Metadata``: what a model knows about its table (fields, keys, references, indexes, database).

It holds facts and builds the model's ``Table``; it issues no queries and knows nothing of drivers.

Contract with the model metaclass
---------------------------------
* The metaclass builds ``cls._meta = Metadata(cls, **meta_options)`` where ``meta_options`` are the
  attributes of ``class Meta`` (plus the inherited ones).  Unknown options are kept as attributes
  and their names recorded in ``_additional_keys`` (so subclasses can inherit them).
* Fields are registered with ``meta.set_primary_key(name, field)`` (the key, incl. ``CompositeKey``;
  it sets ``composite_key`` and ``auto_increment``) and ``meta.add_field(name, field)``.  Both call
  ``field.bind(model, name)`` themselves: binding installs the descriptor on the class.  Foreign keys
  register ``refs``/``backrefs``; many-to-many fields go to ``meta.manytomany`` (not ``fields``).
* After the class is built the metaclass calls ``DeferredForeignKey.resolve(cls)``.
* ``cls._schema = SchemaManager(cls)``; ``Model.create_table(safe, **opts)`` ->
  ``_schema.create_all(safe, **opts)``, ``drop_table(safe, drop_sequences, **opts)`` ->
  ``_schema.drop_all(...)``, ``truncate_table(**opts)`` -> ``_schema.truncate_table(**opts)``,
  ``index(*fields, **kw)`` -> ``ModelIndex(cls, fields, **kw)`` (``schema.ModelIndex``).
* Instances expose ``__data__`` (dict: field name -> value), ``_dirty`` (set of field names) and
  ``__rel__`` (dict: foreign-key name -> related instance); field descriptors read and write them.
"""

from __future__ import annotations

import collections
import re
import warnings
from typing import Any, Callable, Iterable, Optional

from .fields import CompositeKey, Field, MetaField
from .relations import ForeignKeyField, ManyToManyField
from .sql import Entity, Node, Table

__all__ = ["Metadata", "make_snake_case"]


def make_snake_case(name: str) -> str:
    """``UserProfile`` -> ``user_profile``; ``HTTPRequest`` -> ``http_request``."""
    # Underscores already standing before a capital are absorbed: ``Foo_Bar`` -> ``foo_bar``.
    name = re.sub(r"(.)_*([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])_*([A-Z])", r"\1_\2", name).lower()


def _is_default_callable(value: Any) -> bool:
    return callable(value) and not isinstance(value, Node)


class Metadata:
    """Per-model facts: ``Model._meta``."""

    def __init__(
        self,
        model: type,
        database: Any = None,
        table_name: Optional[str] = None,
        indexes: Optional[Iterable] = None,
        primary_key: Any = None,
        constraints: Optional[list] = None,
        schema: Optional[str] = None,
        only_save_dirty: bool = False,
        depends_on: Optional[Iterable] = None,
        options: Optional[dict] = None,
        db_table: Optional[str] = None,
        table_function: Optional[Callable[[type], str]] = None,
        table_settings: Any = None,
        without_rowid: bool = False,
        temporary: bool = False,
        strict_tables: Optional[bool] = None,
        legacy_table_names: bool = True,
        **kwargs: Any,
    ) -> None:
        if db_table is not None:
            warnings.warn(
                'The Meta option "db_table" is an old spelling: use "table_name" instead.',
                DeprecationWarning,
                stacklevel=3,
            )
            table_name = db_table
        self.model = model
        self._table: Optional[Table] = None
        self._database = database
        self._schema = schema
        self.name = model.__name__.lower()
        self.table_function = table_function
        self.legacy_table_names = legacy_table_names
        self.table_name = table_name or self.make_table_name()

        self.fields: dict = {}
        self.columns: dict = {}
        self.combined: dict = {}
        self._sorted_field_list: list = []
        self.sorted_fields: list = []
        self.sorted_field_names: list = []

        self.defaults: dict = {}
        self._default_by_name: dict = {}
        self._default_dict: dict = {}
        self._default_callables: dict = {}
        self._default_callable_list: list = []

        self.indexes = list(indexes or [])
        self.constraints = constraints
        self.primary_key = primary_key
        self.composite_key = isinstance(primary_key, CompositeKey)
        self.auto_increment = False
        self.only_save_dirty = only_save_dirty
        self.depends_on = depends_on
        self.options = options or {}
        self.table_settings = table_settings
        self.without_rowid = without_rowid
        self.temporary = temporary
        self.strict_tables = strict_tables

        self.refs: dict = {}
        self.backrefs: dict = {}
        self.model_refs: collections.defaultdict = collections.defaultdict(list)
        self.model_backrefs: collections.defaultdict = collections.defaultdict(list)
        self.manytomany: dict = {}

        self._additional_keys = set(kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    # -- naming ------------------------------------------------------------------------------

    def make_table_name(self) -> str:
        if self.table_function:
            return self.table_function(self.model)
        if self.legacy_table_names:
            return re.sub(r"[^\w]+", "_", self.name)
        return make_snake_case(self.model.__name__)

    def set_table_name(self, table_name: str) -> None:
        self.table_name = table_name
        self._table = None

    @property
    def schema(self) -> Optional[str]:
        return self._schema

    @schema.setter
    def schema(self, value: Optional[str]) -> None:
        self._schema = value
        self._table = None

    def set_schema(self, schema: Optional[str]) -> None:
        self.schema = schema

    @property
    def database(self) -> Any:
        return self._database

    @database.setter
    def database(self, database: Any) -> None:
        self._database = database
        self._table = None

    def set_database(self, database: Any) -> None:
        self.database = database

    def get_database_instance(self) -> Any:
        """The database itself: a ``Proxy`` is resolved to the object it stands for (``None``
        while it is not initialised)."""
        from .database import Proxy

        database = self._database
        while isinstance(database, Proxy):
            database = database.obj
        return database

    # -- the table ---------------------------------------------------------------------------

    @property
    def table(self) -> Table:
        table = self._table
        if table is None:
            table = self._table = Table(
                self.table_name,
                [field.column_name for field in self.sorted_fields],
                schema=self._schema,
                _model=self.model,
                _database=self._database,
            )
        return table

    @table.setter
    def table(self, value: Any) -> None:
        raise AttributeError('Cannot set the "table" of a model: use set_table_name().')

    @table.deleter
    def table(self) -> None:
        self._table = None

    @property
    def entity(self) -> Entity:
        if self._schema:
            return Entity(self._schema, self.table_name)
        return Entity(self.table_name)

    # -- fields ------------------------------------------------------------------------------

    def _refresh_sorted(self) -> None:
        self.sorted_fields = sorted(self._sorted_field_list, key=lambda f: f._sort_key)
        self._sorted_field_list = list(self.sorted_fields)
        self.sorted_field_names = [f.name for f in self.sorted_fields]
        self._table = None

    def add_field(self, field_name: str, field: Field, set_attribute: bool = True) -> None:
        if field_name in self.fields:
            self.remove_field(field_name)
        elif field_name in self.manytomany:
            self.remove_manytomany(self.manytomany[field_name])

        if not isinstance(field, MetaField):
            del self.table
            field.bind(self.model, field_name, set_attribute)
            self.fields[field.name] = field
            self.columns[field.column_name] = field
            self.combined[field.name] = field
            self.combined[field.column_name] = field
            self._sorted_field_list.append(field)
            self._refresh_sorted()
            if field.default is not None:
                default = field.default
                self.defaults[field] = default
                if _is_default_callable(default):
                    self._default_callables[field] = default
                    self._default_callable_list.append((field.name, default))
                else:
                    self._default_dict[field] = default
                    self._default_by_name[field.name] = default
            if isinstance(field, ForeignKeyField):
                self.add_ref(field)
        elif isinstance(field, ManyToManyField):
            field.bind(self.model, field_name, set_attribute)
            if field.name:
                self.add_manytomany(field)
        else:
            field.bind(self.model, field_name, set_attribute)

    def remove_field(self, field_name: str) -> None:
        if field_name not in self.fields:
            return
        del self.table
        original = self.fields.pop(field_name)
        self.columns.pop(original.column_name, None)
        self.combined.pop(field_name, None)
        self.combined.pop(original.column_name, None)
        self._sorted_field_list = [f for f in self._sorted_field_list if f is not original]
        self._refresh_sorted()
        if original.default is not None:
            self.defaults.pop(original, None)
            if self._default_callables.pop(original, None) is not None:
                self._default_callable_list = [
                    item for item in self._default_callable_list if item[0] != field_name
                ]
            else:
                self._default_dict.pop(original, None)
                self._default_by_name.pop(original.name, None)
        if isinstance(original, ForeignKeyField):
            self.remove_ref(original)

    def set_primary_key(self, name: str, field: Field) -> None:
        self.composite_key = isinstance(field, CompositeKey)
        self.add_field(name, field)
        self.primary_key = field
        self.auto_increment = bool(field.auto_increment or field.sequence)

    def get_primary_keys(self) -> tuple:
        if self.composite_key:
            return tuple(self.fields[name] for name in self.primary_key.field_names)
        if self.primary_key:
            return (self.primary_key,)
        return ()

    def get_field_names(self) -> list:
        return list(self.sorted_field_names)

    def get_fields(self) -> list:
        """The fields in table order (older spelling of ``sorted_fields``)."""
        return list(self.sorted_fields)

    @property
    def db_table(self) -> str:
        """Older spelling of ``table_name``."""
        return self.table_name

    @db_table.setter
    def db_table(self, value: str) -> None:
        self.set_table_name(value)

    def get_default_dict(self) -> dict:
        data = self._default_by_name.copy()
        for name, default in self._default_callable_list:
            data[name] = default()
        return data

    def fields_to_index(self) -> list:
        from .schema import ModelIndex

        indexes: list = []
        for field in self.sorted_fields:
            if field.primary_key:
                continue
            if field.index or field.unique:
                indexes.append(
                    ModelIndex(self.model, (field,), unique=field.unique, using=field.index_type)
                )
        for index in self.indexes:
            if isinstance(index, Node):
                indexes.append(index)
            elif isinstance(index, (list, tuple)):
                parts, unique = index
                columns = []
                for part in parts:
                    if isinstance(part, str):
                        columns.append(self.combined[part])
                    elif isinstance(part, Node):
                        columns.append(part)
                    else:
                        raise ValueError(
                            "An index part must be a field name or an SQL node, not %r." % (part,)
                        )
                indexes.append(ModelIndex(self.model, columns, unique=unique))
        return indexes

    # -- relationships -----------------------------------------------------------------------

    def add_ref(self, field: ForeignKeyField) -> None:
        rel_model = field.rel_model
        self.refs[field] = rel_model
        self.model_refs[rel_model].append(field)
        rel_model._meta.backrefs[field] = self.model
        rel_model._meta.model_backrefs[self.model].append(field)

    def remove_ref(self, field: ForeignKeyField) -> None:
        rel_model = field.rel_model
        self.refs.pop(field, None)
        refs = self.model_refs.get(rel_model)
        if refs and field in refs:
            refs.remove(field)
        rel_meta = rel_model._meta
        rel_meta.backrefs.pop(field, None)
        backrefs = rel_meta.model_backrefs.get(self.model)
        if backrefs and field in backrefs:
            backrefs.remove(field)

    def add_manytomany(self, field: ManyToManyField) -> None:
        self.manytomany[field.name] = field

    def remove_manytomany(self, field: ManyToManyField) -> None:
        self.manytomany.pop(field.name, None)

    def get_rel_for_model(self, model: Any) -> tuple:
        model = getattr(model, "model", model) if not isinstance(model, type) else model
        return list(self.model_refs.get(model, [])), list(self.model_backrefs.get(model, []))

    def model_graph(
        self, refs: bool = True, backrefs: bool = True, depth_first: bool = True
    ) -> list:
        """Every model reachable through foreign keys: ``[(fk, model, is_backref), ...]``."""
        if not refs and not backrefs:
            raise ValueError("model_graph() needs refs=True or backrefs=True.")
        found: list = [(None, self.model, None)]
        seen: set = set()
        pending = collections.deque([self])
        take = pending.pop if depth_first else pending.popleft
        while pending:
            meta = take()
            if meta in seen:
                continue
            seen.add(meta)
            if refs:
                for fk, model in meta.refs.items():
                    found.append((fk, model, False))
                    pending.append(model._meta)
            if backrefs:
                for fk, model in meta.backrefs.items():
                    found.append((fk, model, True))
                    pending.append(model._meta)
        return found

    def __repr__(self) -> str:
        return "<Metadata: %s>" % self.model.__name__
