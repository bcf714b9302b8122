"""Model helpers: instances to and from dicts, conditional inserts, rows of compound queries as
instances of their models, reconnect-and-retry for databases, and per-thread database binding.

Everything here goes through the public model, query and database API; nothing knows drivers.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Type

from peewee import (
    Alias,
    CompoundSelectQuery,
    Field,
    ForeignKeyField,
    InterfaceError,
    Metadata,
    OperationalError,
    Select,
    Value,
)

__all__ = [
    "ReconnectMixin",
    "ThreadSafeDatabaseMetadata",
    "dict_to_model",
    "insert_where",
    "model_to_dict",
    "resolve_multimodel_query",
    "update_model_from_dict",
]


def _as_set(items: Optional[Iterable[Any]]) -> set:
    return set(items) if items else set()


# -- model_to_dict ---------------------------------------------------------------------------------


def model_to_dict(
    model: Any,
    recurse: bool = True,
    backrefs: bool = False,
    only: Optional[Iterable[Any]] = None,
    exclude: Optional[Iterable[Any]] = None,
    seen: Optional[Iterable[Any]] = None,
    extra_attrs: Optional[Iterable[str]] = None,
    fields_from_query: Any = None,
    max_depth: Optional[int] = None,
    manytomany: bool = False,
) -> Dict[str, Any]:
    """The instance as a dict of field name -> value, following foreign keys (``recurse``),
    back-references (``backrefs``) and many-to-many fields (``manytomany``) into nested dicts."""
    depth = -1 if max_depth is None else max_depth
    if depth == 0:
        recurse = False

    only_set = _as_set(only)
    extra = _as_set(extra_attrs)
    if fields_from_query is not None:
        only_set.add("__sentinel__")  # a selection of only aliases still restricts the fields
        for item in fields_from_query._returning:
            if isinstance(item, Field):
                only_set.add(item)
            elif isinstance(item, Alias):
                extra.add(item._alias)

    excluded = _as_set(exclude) | _as_set(seen)
    seen_set = _as_set(seen)

    def skipped(node: Any) -> bool:
        return node in excluded or bool(only_set and node not in only_set)

    nested = dict(recurse=recurse, backrefs=backrefs, only=only_set, max_depth=depth - 1)
    data: Dict[str, Any] = {}

    if manytomany:
        for name, m2m in model._meta.manytomany.items():
            if skipped(m2m):
                continue
            excluded.add(m2m)
            excluded.add(m2m.rel_model._meta.manytomany[m2m.backref])
            excluded.update(m2m.through_model._meta.refs)
            data[name] = [
                model_to_dict(obj, exclude=excluded, **nested) for obj in getattr(model, name)
            ]

    for field in model._meta.sorted_fields:
        if skipped(field):
            continue
        value = model.__data__.get(field.name)
        if recurse and isinstance(field, ForeignKeyField) and field.lazy_load:
            # A key value whose related row is missing (an outer join that found none) gives None.
            related = getattr(model, field.name) if value is not None else None
            if related is None:
                value = None
            else:
                value = model_to_dict(
                    related, exclude=excluded, seen=seen_set | {field}, **nested
                )
        data[field.name] = value

    for attr_name in extra:
        attr = getattr(model, attr_name)
        data[attr_name] = attr() if callable(attr) else attr

    if backrefs and recurse:
        model_class = type(model)
        for fk in model._meta.backrefs:
            if fk.backref == "+":
                continue
            accessor = getattr(model_class, fk.backref)
            if accessor in excluded or fk in excluded:
                continue
            if only_set and accessor not in only_set and fk not in only_set:
                continue
            excluded.add(fk)
            data[fk.backref] = [
                model_to_dict(obj, exclude=excluded, **nested)
                for obj in getattr(model, fk.backref)
            ]

    return data


# -- dict_to_model / update_model_from_dict --------------------------------------------------------


def update_model_from_dict(instance: Any, data: Dict[str, Any], ignore_unknown: bool = False) -> Any:
    """Assign ``data`` to ``instance``: a dict for a foreign key fills the related instance, a list
    of dicts for a back-reference becomes a list of new related instances.  An unknown key raises
    ``AttributeError`` unless ``ignore_unknown``, which sets it as a plain attribute."""
    meta = instance._meta
    backref_fields = {fk.backref: fk for fk in meta.backrefs}
    for key, value in data.items():
        if key in meta.combined:
            field = meta.combined[key]
            if isinstance(field, ForeignKeyField) and isinstance(value, dict):
                related = instance.__rel__.get(field.name)
                if related is None:
                    related = field.rel_model()
                value = update_model_from_dict(related, value, ignore_unknown)
            setattr(instance, field.name, value)
        elif key in backref_fields:
            fk = backref_fields[key]
            if isinstance(value, (list, tuple)):
                children = [dict_to_model(fk.model, row, ignore_unknown) for row in value]
                for child in children:
                    setattr(child, fk.name, instance)
                setattr(instance, fk.backref, children)
            else:
                setattr(instance, fk.name, value)
        elif ignore_unknown:
            setattr(instance, key, value)
        else:
            raise AttributeError(
                'Unrecognized attribute "%s" for model class %s.' % (key, type(instance))
            )
    return instance


def dict_to_model(model_class: Any, data: Dict[str, Any], ignore_unknown: bool = False) -> Any:
    """A new (unsaved) ``model_class`` instance filled from ``data`` by
    :func:`update_model_from_dict`."""
    return update_model_from_dict(model_class(), data, ignore_unknown)


# -- insert_where ----------------------------------------------------------------------------------


def insert_where(cls: Any, data: Dict[Any, Any], where: Any = None) -> Any:
    """``INSERT INTO ... SELECT <values> WHERE <where>``: the row is written only when ``where``
    holds.  Fields left out of ``data`` get their defaults (``data`` is filled in place).
    Executing the query returns the number of rows inserted."""
    for field, default in cls._meta.defaults.items():
        if field.name in data or field in data:
            continue
        data[field] = default() if callable(default) else default
    fields, values = zip(*data.items())
    select = Select(columns=values).where(where)
    return cls.insert_from(select, fields).as_rowcount()


# -- ReconnectMixin --------------------------------------------------------------------------------


class ReconnectMixin:
    """Database mixin: when a statement (or ``BEGIN``) fails because the server dropped the
    connection, reconnect and run it once more.  Never inside a transaction, whose earlier work
    died with the connection: there the error is raised.

    ``reconnect_errors`` lists ``(exception class, message fragment)`` pairs; an error matches when
    its class is exactly the class given and its text contains the fragment (case-insensitive).
    """

    reconnect_errors: Tuple[Tuple[Type[Exception], str], ...] = (
        (OperationalError, "2006"),  # MySQL server has gone away
        (OperationalError, "2013"),  # lost connection to MySQL server during query
        (OperationalError, "2014"),  # commands out of sync
        (OperationalError, "4031"),  # the client was disconnected for inactivity
        (InterfaceError, "(0, '')"),  # pymysql: a connection that already died was used again
        (OperationalError, "MySQL Connection not available."),  # mysql-connector
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fragments: Dict[type, List[str]] = {}
        for exc_class, fragment in self.reconnect_errors:
            fragments.setdefault(exc_class, []).append(fragment.lower())
        self._reconnect_errors = fragments

    def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        return self._reconnect(super().execute_sql, sql, params, *args, **kwargs)

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        return self._reconnect(super().begin, *args, **kwargs)

    def _should_reconnect(self, exc: Exception) -> bool:
        fragments = self._reconnect_errors.get(type(exc))
        if not fragments:
            return False
        text = str(exc).lower()
        return any(fragment in text for fragment in fragments)

    def _reconnect(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if self.in_transaction() or not self._should_reconnect(exc):
                raise
        if not self.is_closed():
            try:
                self.close()
            except Exception:
                self.dispose()
        self.connect()
        return func(*args, **kwargs)


# -- resolve_multimodel_query ----------------------------------------------------------------------


def resolve_multimodel_query(query: Any, key: str = "_model_identifier") -> Iterator[Any]:
    """Run a compound query (``UNION`` ...) of several models' selects and yield each row as an
    instance of the model whose select produced it.  Each member select gets a constant column,
    aliased ``key``, naming its model's table."""
    models: Dict[str, Any] = {}
    pending = [query]
    while pending:
        part = pending.pop()
        if isinstance(part, CompoundSelectQuery):
            pending.extend((part.lhs, part.rhs))
            continue
        model = part.model
        name = model._meta.table_name
        models[name] = model
        part._returning = tuple(part._returning) + (Value(name).alias(key),)

    def rows() -> Iterator[Any]:
        for row in query.dicts().iterator():
            model = models[row.pop(key)]
            yield model(**row)

    return rows()


# -- ThreadSafeDatabaseMetadata --------------------------------------------------------------------


class ThreadSafeDatabaseMetadata(Metadata):
    """Model metadata whose database binding is per thread: ``bind()`` / ``bind_ctx()`` in one
    thread leave the database other threads use untouched.  A thread that never bound the model
    uses the first database it was given (``Meta.database``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._local = threading.local()
        self._default_database: Any = None
        self._lock = threading.Lock()
        super().__init__(*args, **kwargs)

    # The base class keeps the database and the table built for it in ``_database`` and
    # ``_table``; here both live in the thread-local.
    @property  # type: ignore[override]
    def _database(self) -> Any:
        return getattr(self._local, "database", self._default_database)

    @_database.setter
    def _database(self, database: Any) -> None:
        if self._default_database is None:
            self._default_database = database
        self._local.database = database

    @property  # type: ignore[override]
    def _table(self) -> Any:
        return getattr(self._local, "table", None)

    @_table.setter
    def _table(self, table: Any) -> None:
        self._local.table = table

    def set_database(self, database: Any) -> None:
        with self._lock:
            super().set_database(database)
