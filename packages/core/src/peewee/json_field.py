"""``JSONField`` and ``JSONPath``: a column holding a JSON document, with path lookups, containment
tests and in-place updates rendered for each backend (SQLite json1, PostgreSQL ``jsonb``, MySQL
and MariaDB JSON functions).  Builds expressions only: it must not know about queries or cursors.

The backend is read from the dialect of the context that renders the expression, never from the
model's database when the expression is built, so models bound to a ``DatabaseProxy`` (or rebound
later) get the SQL of the database they finally run on.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Iterable, Optional, Sequence

from .fields import Field
from .sql import SQL, AsIs, Cast, ColumnBase, Expression, Node, NodeList, fn

__all__ = ["JSONField", "JSONPath"]


def _backend(ctx: Any) -> str:
    """'sqlite', 'postgresql', 'mysql' or 'mariadb' for the dialect being rendered."""
    dialect = ctx.dialect
    name = dialect.name
    if name == "mysql" and getattr(dialect, "mariadb", False):
        return "mariadb"
    return name


def _index(idx: int, backend: str) -> str:
    """An array index in a path: negative ones count from the end."""
    if idx >= 0:
        return "[%d]" % idx
    if backend == "sqlite":
        return "[#%d]" % idx
    return "[last]" if idx == -1 else "[last%d]" % (idx + 1)


def _json_path(keys: Sequence[Any], backend: str = "sqlite", suffix: str = "") -> AsIs:
    """The ``$."a"[0]`` path parameter used by SQLite and MySQL."""
    parts = ["$"]
    for key in keys:
        if isinstance(key, int) and not isinstance(key, bool):
            parts.append(_index(key, backend))
        else:
            parts.append('."%s"' % str(key).replace("\\", "\\\\").replace('"', '\\"'))
    parts.append(suffix)
    return AsIs("".join(parts))


def _pg_path(keys: Sequence[Any]) -> SQL:
    """The ``'{"a","0"}'::text[]`` literal used by PostgreSQL's path operators (inlined, so a
    path repeated in GROUP BY is the same SQL text)."""
    items = ['"%s"' % str(key).replace("\\", "\\\\").replace('"', '\\"') for key in keys]
    return SQL("'{%s}'::text[]" % ",".join(items).replace("'", "''"))


class _Rendered(ColumnBase):
    """A node whose SQL is chosen per backend when it is rendered."""

    def __init__(self, build: Callable[[str], Any]) -> None:
        self._build = build
        self._coerce = False

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(self._build(_backend(ctx)))


# How a Python value is bound next to JSON, per use:
#   "field"   compared with the whole column: json(?) on SQLite, CAST(? AS JSON) on MySQL;
#   "compare" compared with a path: the same, and JSON_COMPACT(?) on MariaDB;
#   "write"   stored by set()/insert()/replace()/append()/update(): scalars that the database
#             reads correctly are bound as they are, the others as JSON.
#   "case"    a branch of a CASE: as "field", and CAST(? AS JSONB) on PostgreSQL, where an untyped
#             CASE result would be text.
_FIELD, _COMPARE, _WRITE, _CASE = "field", "compare", "write", "case"


class _JSONValue(ColumnBase):
    """A Python value bound as JSON for one of the uses above."""

    def __init__(self, value: Any, dumps: Callable[[Any], str], use: str = _COMPARE) -> None:
        self.value = value
        self.dumps = dumps
        self.use = use
        self._coerce = False

    def __sql__(self, ctx: Any) -> Any:
        backend = _backend(ctx)
        value = self.value
        if backend == "postgresql":
            if self.use == _CASE:
                return ctx.sql(Cast(AsIs(self.dumps(value)), "JSONB"))
            return ctx.sql(AsIs(self.dumps(value)))
        if self.use == _WRITE:
            if backend == "sqlite":
                if value is None:
                    return ctx.sql(fn.json(AsIs("null")))
                if not isinstance(value, (dict, list, tuple, bool)):
                    return ctx.sql(AsIs(value))
            elif value is not None and not isinstance(value, (dict, list, tuple, bool, float)):
                return ctx.sql(AsIs(value))
        param = AsIs(self.dumps(value))
        if backend == "sqlite":
            return ctx.sql(fn.json(param))
        if backend == "mariadb":
            return ctx.sql(param if self.use in (_FIELD, _CASE) else fn.JSON_COMPACT(param))
        return ctx.sql(Cast(param, "JSON"))


def _extract(field: Any, keys: Sequence[Any], as_text: bool = False) -> Any:
    """The value at ``keys`` inside ``field``: JSON, or plain text/number when ``as_text``."""
    if not keys:
        return field

    def build(backend: str) -> Any:
        if backend == "postgresql":
            return Expression(field, "#>>" if as_text else "#>", _pg_path(keys))
        path = _json_path(keys, backend)
        if backend == "sqlite":
            return Expression(field, "->>" if as_text else "->", path)
        extracted = fn.json_extract(field, path)
        if as_text:
            return fn.json_unquote(extracted)
        if backend == "mariadb":
            return fn.JSON_COMPACT(extracted)
        return Cast(extracted, "JSON")

    return _Rendered(build)


def _has_keys(field: Any, keys: Sequence[Any], key_list: Sequence[Any], mode: str) -> _Rendered:
    """``mode`` is 'single' (has_key), 'any' (has_any_keys) or 'all' (has_keys)."""

    def build(backend: str) -> Any:
        if backend == "postgresql":
            target = _extract(field, keys)
            if mode == "single":
                return Expression(target, "?", AsIs(key_list[0]))
            op = "?&" if mode == "all" else "?|"
            return Expression(target, op, AsIs(list(key_list)))
        paths = [_json_path(tuple(keys) + (key,), backend) for key in key_list]
        if backend == "sqlite":
            tests = [fn.json_type(field, path).is_null(False) for path in paths]
            result = tests[0]
            for test in tests[1:]:
                result = (result & test) if mode == "all" else (result | test)
            return result
        which = "all" if mode == "all" else "one"
        return fn.JSON_CONTAINS_PATH(field, AsIs(which), *paths) == AsIs(1)

    return _Rendered(build)


def _contains(field: Any, keys: Sequence[Any], value: Any, dumps: Callable, reverse: bool) -> _Rendered:
    """``field[keys]`` contains ``value`` (or is contained by it when ``reverse``)."""

    def build(backend: str) -> Any:
        doc = AsIs(dumps(value))
        target = _extract(field, keys)
        if backend == "postgresql":
            return Expression(target, "<@" if reverse else "@>", doc)
        if backend == "sqlite":
            args = (doc, target) if reverse else (target, doc)
            return fn._pw_json_contains(*args) == AsIs(1)
        if reverse:
            return fn.JSON_CONTAINS(doc, target) == AsIs(1)
        if keys:
            return fn.JSON_CONTAINS(field, doc, _json_path(keys, backend)) == AsIs(1)
        return fn.JSON_CONTAINS(field, doc) == AsIs(1)

    return _Rendered(build)


def _call(name: str, *args: Any) -> Any:
    return getattr(fn, name)(*args).coerce(False)


def _length(field: Any, keys: Sequence[Any]) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            target = Expression(field, "#>", _pg_path(keys), flat=True) if keys else field
            return fn.jsonb_array_length(target).coerce(False)
        name = "json_array_length" if backend == "sqlite" else "JSON_LENGTH"
        if keys:
            return _call(name, field, _json_path(keys, backend))
        return _call(name, field)

    return _Rendered(build)


def _append(field: Any, keys: Sequence[Any], value: Any, dumps: Callable) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            return fn.jsonb_insert(
                field, _pg_path(tuple(keys) + ("-1",)), AsIs(dumps(value)), AsIs(True)
            )
        item = _JSONValue(value, dumps, _WRITE)
        if backend == "sqlite":
            return fn.json_set(field, _json_path(keys, backend, "[#]"), item)
        return fn.JSON_ARRAY_APPEND(field, _json_path(keys, backend), item)

    return _Rendered(build)


def _write(field: Any, keys: Sequence[Any], value: Any, dumps: Callable, action: str) -> _Rendered:
    """``action`` is 'set', 'insert' or 'replace'."""

    def build(backend: str) -> Any:
        if backend == "postgresql":
            path = _pg_path(keys)
            if action == "insert":
                updated = fn.jsonb_set(field, path, AsIs(dumps(value)), AsIs(True))
                missing = Expression(field, "#>", path).is_null()
                return NodeList((
                    SQL("CASE WHEN"), missing, SQL("THEN"), updated, SQL("ELSE"), field, SQL("END"),
                ))
            return fn.jsonb_set(field, path, AsIs(dumps(value)), AsIs(action == "set"))
        item = _JSONValue(value, dumps, _WRITE)
        name = "json_" + action if backend == "sqlite" else "JSON_" + action.upper()
        return getattr(fn, name)(field, _json_path(keys, backend), item)

    return _Rendered(build)


def _remove(field: Any, keys: Sequence[Any]) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            return Expression(field, "#-", _pg_path(keys))
        name = "json_remove" if backend == "sqlite" else "JSON_REMOVE"
        return getattr(fn, name)(field, _json_path(keys, backend))

    return _Rendered(build)


def _update(field: Any, value: Any, dumps: Callable) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            return Expression(field, "||", AsIs(dumps(value)))
        if backend == "sqlite":
            return fn.json_patch(field, fn.json(AsIs(dumps(value))))
        return fn.JSON_MERGE_PATCH(field, _JSONValue(value, dumps, _WRITE))

    return _Rendered(build)


def _json_list(values: Iterable[Any], dumps: Callable, use: str) -> NodeList:
    items = [v if isinstance(v, Node) else _JSONValue(v, dumps, use) for v in values]
    return NodeList(items, glue=", ", parens=True)


class _JSONComparisons:
    """The comparison operators of JSON documents and paths: each goes through ``_compare(op,
    rhs)``, which turns a plain Python value into JSON the way the class needs."""

    __slots__ = ()

    def __eq__(self, rhs: Any) -> Expression:  # type: ignore[override]
        return self._compare("=", rhs)

    def __ne__(self, rhs: Any) -> Expression:  # type: ignore[override]
        return self._compare("!=", rhs)

    def __lt__(self, rhs: Any) -> Expression:
        return self._compare("<", rhs)

    def __le__(self, rhs: Any) -> Expression:
        return self._compare("<=", rhs)

    def __gt__(self, rhs: Any) -> Expression:
        return self._compare(">", rhs)

    def __ge__(self, rhs: Any) -> Expression:
        return self._compare(">=", rhs)


_PLAIN = frozenset((dict, list, str, int, float, bool, tuple))


class JSONField(_JSONComparisons, Field):
    """A JSON document: ``TEXT`` on SQLite, ``JSONB`` on PostgreSQL, ``JSON`` on MySQL.

    Values are stored with ``dumps`` (default :func:`json.dumps`) and read back with ``loads``.
    """

    field_type = "JSON"

    def __init__(
        self,
        dumps: Optional[Callable[[Any], str]] = None,
        loads: Optional[Callable[[Any], Any]] = None,
        **kwargs: Any,
    ) -> None:
        self._dumps = self.dumps = dumps or json.dumps
        self._loads = self.loads = loads or json.loads
        super().__init__(**kwargs)

    __hash__ = Field.__hash__

    def _backend_name(self) -> Optional[str]:
        database = getattr(getattr(self.model, "_meta", None), "database", None)
        return getattr(getattr(database, "dialect", None), "name", None)

    _db_value_nodes = True

    def db_value(self, value: Any) -> Any:
        """The document as JSON text, marked as JSON for the backend when the query is compiled:
        ``json(?)`` on SQLite, ``CAST(? AS JSON)`` on MySQL, a plain parameter on MariaDB and
        PostgreSQL."""
        if value is None or isinstance(value, Node):
            return value
        if type(value) not in _PLAIN and hasattr(value, "getquoted"):
            return value  # already a driver JSON adapter (psycopg2's Json)
        return _JSONValue(value, self.dumps, _FIELD)

    def case_value(self, value: Any) -> Any:
        """``value`` as a branch of a ``Case`` (``CAST(%s AS JSONB)`` on PostgreSQL)."""
        if value is None or isinstance(value, Node):
            return value
        if type(value) not in _PLAIN and hasattr(value, "getquoted"):
            return value
        return _JSONValue(value, self.dumps, _CASE)

    def python_value(self, value: Any) -> Any:
        if isinstance(value, (str, bytes, bytearray)) and self._backend_name() != "postgresql":
            try:
                return self.loads(value)
            except (TypeError, ValueError):
                return value
        return value

    # -- comparisons of the whole document -----------------------------------------------------

    def _compare(self, op: str, rhs: Any) -> Expression:
        if rhs is None and op in ("=", "!="):
            return Expression(self, "IS" if op == "=" else "IS NOT", None)
        if not isinstance(rhs, Node):
            rhs = _JSONValue(rhs, self.dumps, _FIELD)
        return Expression(self, op, rhs)

    def in_(self, rhs: Any) -> Expression:
        if isinstance(rhs, Node):
            return Expression(self, "IN", rhs)
        return Expression(self, "IN", _json_list(rhs, self.dumps, _FIELD))

    def not_in(self, rhs: Any) -> Expression:
        if isinstance(rhs, Node):
            return Expression(self, "NOT IN", rhs)
        return Expression(self, "NOT IN", _json_list(rhs, self.dumps, _FIELD))

    __lshift__ = in_

    # -- paths and document operations ---------------------------------------------------------

    def __getitem__(self, key: Any) -> "JSONPath":
        return JSONPath(self, (key,))

    def path(self, *keys: Any) -> "JSONPath":
        """The value found by following ``keys`` (object keys or array indexes)."""
        return JSONPath(self, keys)

    def append(self, value: Any) -> ColumnBase:
        """The document with ``value`` appended to it (an array); use in ``update()``."""
        return _append(self, (), value, self.dumps)

    def update(self, value: Any) -> ColumnBase:
        """The document merged with the object ``value`` (a JSON merge patch; ``||`` on
        PostgreSQL)."""
        return _update(self, value, self.dumps)

    def has_key(self, key: Any) -> ColumnBase:
        """True where the document has the top-level ``key``."""
        return _has_keys(self, (), (key,), "single")

    def has_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        """True where the document has every key of ``key_list``."""
        return _has_keys(self, (), tuple(key_list), "all")

    def has_any_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        """True where the document has at least one key of ``key_list``."""
        return _has_keys(self, (), tuple(key_list), "any")

    def contains(self, value: Any) -> ColumnBase:  # type: ignore[override]
        """True where the document contains the JSON ``value``."""
        return _contains(self, (), value, self.dumps, reverse=False)

    def contained_by(self, value: Any) -> ColumnBase:
        """True where the document is contained in the JSON ``value``."""
        return _contains(self, (), value, self.dumps, reverse=True)

    def length(self) -> ColumnBase:
        """The number of items of the (array) document."""
        return _length(self, ())


class JSONPath(_JSONComparisons, ColumnBase):
    """The part of a :class:`JSONField` document found by following ``keys``; with ``as_text``
    the value is plain SQL text (or number) rather than JSON."""

    def __init__(self, field: JSONField, keys: Sequence[Any] = (), as_text: bool = False) -> None:
        self._field = field
        self._keys = tuple(keys)
        self._as_text = as_text

    __hash__ = ColumnBase.__hash__

    def clone(self) -> "JSONPath":
        return type(self)(self._field, self._keys, self._as_text)

    @property
    def model(self) -> Any:
        return self._field.model

    @property
    def name(self) -> Any:
        """The field's name: a selected path fills that attribute of model rows, as in peewee."""
        return self._field.name

    def python_value(self, value: Any) -> Any:
        if self._as_text or value is None:
            return value
        return self._field.python_value(value)

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(_extract(self._field, self._keys, self._as_text))

    def __getitem__(self, key: Any) -> "JSONPath":
        return type(self)(self._field, self._keys + (key,), self._as_text)

    def path(self, *keys: Any) -> "JSONPath":
        return type(self)(self._field, self._keys + tuple(keys), self._as_text)

    def as_text(self, as_text: bool = True) -> "JSONPath":
        """The value as plain SQL text (strings unquoted) instead of JSON."""
        return type(self)(self._field, self._keys, as_text)

    def as_int(self) -> ColumnBase:
        return _Rendered(lambda backend: Cast(
            _extract(self._field, self._keys, True),
            "SIGNED" if backend in ("mysql", "mariadb") else "INTEGER",
        ))

    def as_float(self) -> ColumnBase:
        types = {"sqlite": "REAL", "postgresql": "DOUBLE PRECISION"}
        return _Rendered(lambda backend: Cast(
            _extract(self._field, self._keys, True), types.get(backend, "DOUBLE")
        ))

    # -- comparisons ---------------------------------------------------------------------------

    def _value(self, value: Any) -> Any:
        if self._as_text or isinstance(value, Node):
            return value
        return _JSONValue(value, self._field.dumps, _COMPARE)

    def _compare(self, op: str, rhs: Any) -> Expression:
        if rhs is None and op in ("=", "!="):
            return self.is_null(op == "=")
        return Expression(self, op, self._value(rhs))

    def is_null(self, is_null: bool = True) -> Expression:
        # On a JSON path the test is made on the text value, so it also matches a missing key
        # and a stored JSON null.
        return Expression(
            _extract(self._field, self._keys, True), "IS" if is_null else "IS NOT", None
        )

    def between(self, lo: Any, hi: Any) -> Expression:
        return super().between(self._value(lo), self._value(hi))

    def _in(self, op: str, rhs: Any) -> Expression:
        if isinstance(rhs, Node):
            return Expression(self, op, rhs)
        if self._as_text:
            return Expression(self, op, list(rhs))
        return Expression(self, op, _json_list(rhs, self._field.dumps, _COMPARE))

    def in_(self, rhs: Any) -> Expression:
        return self._in("IN", rhs)

    def not_in(self, rhs: Any) -> Expression:
        return self._in("NOT IN", rhs)

    __lshift__ = in_

    # Pattern matching works on the text of the value.
    def like(self, rhs: Any) -> Expression:
        return ColumnBase.like(self.as_text(), rhs)

    def ilike(self, rhs: Any) -> Expression:
        return ColumnBase.ilike(self.as_text(), rhs)

    def regexp(self, rhs: Any) -> Expression:
        return ColumnBase.regexp(self.as_text(), rhs)

    def iregexp(self, rhs: Any) -> Expression:
        return ColumnBase.iregexp(self.as_text(), rhs)

    def startswith(self, rhs: Any) -> Expression:
        return ColumnBase.startswith(self.as_text(), rhs)

    def endswith(self, rhs: Any) -> Expression:
        return ColumnBase.endswith(self.as_text(), rhs)

    __mod__ = like
    __pow__ = ilike

    # -- keys, containment, length --------------------------------------------------------------

    def has_key(self, key: Any) -> ColumnBase:
        return _has_keys(self._field, self._keys, (key,), "single")

    def has_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        return _has_keys(self._field, self._keys, tuple(key_list), "all")

    def has_any_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        return _has_keys(self._field, self._keys, tuple(key_list), "any")

    def contains(self, value: Any) -> ColumnBase:  # type: ignore[override]
        """JSON containment; on an ``as_text()`` path, a substring test (``ILIKE '%value%'``)."""
        if self._as_text:
            return ColumnBase.contains(self, value)
        return _contains(self._field, self._keys, value, self._field.dumps, reverse=False)

    def contained_by(self, value: Any) -> ColumnBase:
        return _contains(self._field, self._keys, value, self._field.dumps, reverse=True)

    def length(self) -> ColumnBase:
        return _length(self._field, self._keys)

    # -- in-place updates -------------------------------------------------------------------------

    def append(self, value: Any) -> ColumnBase:
        """The document with ``value`` appended to the array at this path."""
        return _append(self._field, self._keys, value, self._field.dumps)

    def set(self, value: Any) -> ColumnBase:
        """The document with this path set to ``value`` (created when missing)."""
        return _write(self._field, self._keys, value, self._field.dumps, "set")

    def insert(self, value: Any) -> ColumnBase:
        """The document with ``value`` stored at this path only when nothing is there yet."""
        return _write(self._field, self._keys, value, self._field.dumps, "insert")

    def replace(self, value: Any) -> ColumnBase:
        """The document with the existing value at this path replaced by ``value``."""
        return _write(self._field, self._keys, value, self._field.dumps, "replace")

    def remove(self) -> ColumnBase:
        """The document without the value at this path."""
        return _remove(self._field, self._keys)
