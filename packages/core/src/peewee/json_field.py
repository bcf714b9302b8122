"""``JSONField`` and ``JSONPath``: a column holding a JSON document, with path lookups, containment
tests and in-place updates rendered for each backend (SQLite json1, PostgreSQL ``jsonb``, MySQL
and MariaDB JSON functions).  Builds expressions only: it must not know about queries or cursors."""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Optional, Sequence

from .fields import Field
from .sql import SQL, AsIs, Cast, ColumnBase, Expression, Node, NodeList, fn

__all__ = ["JSONField", "JSONPath"]

_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")


_TOKENS = re.compile(r'("(?:\\.|[^"\\])*")|\s+')


def _minify(text: str) -> str:
    """JSON text without the whitespace outside its strings."""
    return _TOKENS.sub(lambda m: m.group(1) or "", text)


def _backend(ctx: Any) -> str:
    """'sqlite', 'postgresql', 'mysql' or 'mariadb' for the dialect being rendered."""
    dialect = ctx.dialect
    name = dialect.name
    if name == "mysql" and getattr(dialect, "mariadb", False):
        return "mariadb"
    return name


def _json_path(keys: Sequence[Any]) -> str:
    """The ``$."a"[0]`` path text used by SQLite and MySQL."""
    parts = ["$"]
    for key in keys:
        if isinstance(key, int):
            parts.append("[%d]" % key)
        else:
            parts.append('."%s"' % str(key).replace('"', '\\"'))
    return "".join(parts)


def _pg_path(keys: Sequence[Any]) -> SQL:
    """The ``'{"a","0"}'::text[]`` literal used by PostgreSQL's path operators."""
    items = []
    for key in keys:
        text = str(key).replace("\\", "\\\\").replace('"', '\\"').replace("'", "''")
        items.append('"%s"' % text)
    return SQL("'{%s}'::text[]" % ",".join(items))


class _Rendered(ColumnBase):
    """A node whose SQL is chosen per backend when it is rendered."""

    def __init__(self, build: Callable[[str], Any]) -> None:
        self._build = build
        self._coerce = False

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(self._build(_backend(ctx)))


class _JSONValue(ColumnBase):
    """A Python value bound as JSON text; ``always`` wraps scalars too (comparisons)."""

    def __init__(self, value: Any, dumps: Callable[[Any], str], always: bool = True) -> None:
        self.value = value
        self.dumps = dumps
        self.always = always
        self._coerce = False

    def __sql__(self, ctx: Any) -> Any:
        backend = _backend(ctx)
        value = self.value
        if backend == "postgresql":
            return ctx.sql(AsIs(self.dumps(value)))
        if not self.always and not isinstance(value, (dict, list, tuple)):
            return ctx.sql(AsIs(value))
        param = AsIs(self.dumps(value))
        if backend == "sqlite":
            return ctx.sql(fn.json(param))
        if backend == "mariadb":
            return ctx.sql(fn.JSON_COMPACT(param))
        return ctx.sql(Cast(param, "JSON"))


def _compact(node: Any) -> _Rendered:
    """``node`` itself, or ``JSON_COMPACT(node)`` on MariaDB (whose JSON is text)."""
    return _Rendered(lambda backend: fn.JSON_COMPACT(node) if backend == "mariadb" else node)


class _JSONOperators:
    """Comparison operators binding their right-hand side as JSON, shared by field and path."""

    def _json_lhs(self) -> Any:
        raise NotImplementedError

    def _dumps(self) -> Callable[[Any], str]:
        raise NotImplementedError

    def _compare(self, op: str, rhs: Any) -> Expression:
        if rhs is None and op in ("=", "!="):
            return self.is_null(op == "=")  # type: ignore[attr-defined]
        if not isinstance(rhs, Node):
            rhs = _JSONValue(rhs, self._dumps())
        return Expression(_compact(self._json_lhs()), op, rhs)

    def _in(self, op: str, rhs: Any) -> Expression:
        if isinstance(rhs, Node):
            return Expression(self._json_lhs(), op, rhs)
        dumps = self._dumps()
        items = [item if isinstance(item, Node) else _JSONValue(item, dumps) for item in rhs]
        lhs = _compact(self._json_lhs())
        return Expression(lhs, op, NodeList(items, glue=", ", parens=True))

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

    def in_(self, rhs: Any) -> Expression:
        return self._in("IN", rhs)

    def not_in(self, rhs: Any) -> Expression:
        return self._in("NOT IN", rhs)

    __lshift__ = in_


def _extract(field: Any, keys: Sequence[Any], as_text: bool = False) -> _Rendered:
    """The value at ``keys`` inside ``field``: JSON, or plain text/number when ``as_text``."""

    def build(backend: str) -> Any:
        if backend == "postgresql":
            return Expression(field, "#>>" if as_text else "#>", _pg_path(keys))
        path = AsIs(_json_path(keys))
        if backend == "sqlite":
            return Expression(field, "->>" if as_text else "->", path)
        extracted = fn.json_extract(field, path)
        if as_text:
            return fn.json_unquote(extracted)
        if backend == "mariadb":
            return extracted
        return Cast(extracted, "JSON")

    return _Rendered(build)


def _has_keys(field: Any, keys: Sequence[Any], key_list: Sequence[Any], mode: str) -> _Rendered:
    """``mode`` is 'one' (has_key / has_any_keys) or 'all' (has_keys)."""

    def build(backend: str) -> Any:
        if backend == "postgresql":
            target = Expression(field, "#>", _pg_path(keys)) if keys else field
            if len(key_list) == 1 and mode == "single":
                return Expression(target, "?", AsIs(str(key_list[0])))
            op = "?&" if mode == "all" else "?|"
            return Expression(target, op, AsIs([str(k) for k in key_list]))
        paths = [AsIs(_json_path(tuple(keys) + (key,))) for key in key_list]
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
        if backend == "postgresql":
            target = Expression(field, "#>", _pg_path(keys)) if keys else field
            return Expression(target, "<@" if reverse else "@>", doc)
        if backend == "sqlite":
            target = _extract(field, keys) if keys else field
            args = (doc, target) if reverse else (target, doc)
            return fn._pw_json_contains(*args) == AsIs(1)
        if reverse:
            target = _extract(field, keys) if keys else field
            return fn.JSON_CONTAINS(doc, target) == AsIs(1)
        if keys:
            return fn.JSON_CONTAINS(field, doc, AsIs(_json_path(keys))) == AsIs(1)
        return fn.JSON_CONTAINS(field, doc) == AsIs(1)

    return _Rendered(build)


def _length(field: Any, keys: Sequence[Any]) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            target = Expression(field, "#>", _pg_path(keys), flat=True) if keys else field
            return fn.jsonb_array_length(target).coerce(False)
        name = "json_array_length" if backend == "sqlite" else "JSON_LENGTH"
        if keys:
            return _call(name, field, AsIs(_json_path(keys)))
        return _call(name, field)

    return _Rendered(build)


def _call(name: str, *args: Any) -> Any:
    return getattr(fn, name)(*args).coerce(False)


def _append(field: Any, keys: Sequence[Any], value: Any, dumps: Callable) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            return fn.jsonb_insert(
                field, _pg_path(tuple(keys) + ("-1",)), AsIs(dumps(value)), AsIs(True)
            )
        item = _JSONValue(value, dumps, always=False)
        if backend == "sqlite":
            return fn.json_set(field, AsIs(_json_path(keys) + "[#]"), item)
        return fn.JSON_ARRAY_APPEND(field, AsIs(_json_path(keys)), item)

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
        item = _JSONValue(value, dumps, always=False)
        name = "json_" + action if backend == "sqlite" else "JSON_" + action.upper()
        return getattr(fn, name)(field, AsIs(_json_path(keys)), item)

    return _Rendered(build)


def _remove(field: Any, keys: Sequence[Any]) -> _Rendered:
    def build(backend: str) -> Any:
        if backend == "postgresql":
            return Expression(field, "#-", _pg_path(keys))
        name = "json_remove" if backend == "sqlite" else "JSON_REMOVE"
        return getattr(fn, name)(field, AsIs(_json_path(keys)))

    return _Rendered(build)


class JSONField(_JSONOperators, Field):
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
        self.dumps = dumps or json.dumps
        self.loads = loads or json.loads
        super().__init__(**kwargs)

    __hash__ = Field.__hash__

    def _json_lhs(self) -> Any:
        return self

    def _dumps(self) -> Callable[[Any], str]:
        return self.dumps

    def _backend_name(self) -> Optional[str]:
        database = getattr(getattr(self.model, "_meta", None), "database", None)
        return getattr(getattr(database, "dialect", None), "name", None)

    def _driver_decodes(self) -> bool:
        return self._backend_name() == "postgresql"

    def db_value(self, value: Any) -> Any:
        if value is None or isinstance(value, Node):
            return value
        if self._backend_name() == "sqlite":
            # Stored the way SQLite's json() writes documents (no whitespace outside strings), so
            # that comparisons with json(?) see the same text.
            if self.dumps is json.dumps:
                return json.dumps(value, separators=(",", ":"))
            return _minify(self.dumps(value))
        return self.dumps(value)

    def python_value(self, value: Any) -> Any:
        if isinstance(value, (str, bytes, bytearray)) and not self._driver_decodes():
            return self.loads(value)
        return value

    def is_null(self, is_null: bool = True) -> Expression:
        return Field.is_null(self, is_null)

    def __getitem__(self, key: Any) -> "JSONPath":
        return JSONPath(self, (key,))

    def path(self, *keys: Any) -> "JSONPath":
        """The value found by following ``keys`` (object keys or array indexes)."""
        return JSONPath(self, keys)

    def append(self, value: Any) -> ColumnBase:
        """The document with ``value`` appended to it (an array); use in ``update()``."""
        return _append(self, (), value, self.dumps)

    def update(self, value: Any) -> ColumnBase:
        """The document merged with the object ``value`` (a JSON merge patch)."""
        dumps = self.dumps

        def build(backend: str) -> Any:
            if backend == "postgresql":
                return Expression(self, "||", AsIs(dumps(value)))
            name = "json_patch" if backend == "sqlite" else "JSON_MERGE_PATCH"
            return getattr(fn, name)(self, _JSONValue(value, dumps))

        return _Rendered(build)

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


class JSONPath(_JSONOperators, ColumnBase):
    """The part of a :class:`JSONField` document found by following ``keys``."""

    def __init__(self, field: JSONField, keys: Sequence[Any] = (), as_text: bool = False) -> None:
        self._field = field
        self._keys = tuple(keys)
        self._as_text = as_text

    __hash__ = ColumnBase.__hash__

    @property
    def model(self) -> Any:
        return self._field.model

    def python_value(self, value: Any) -> Any:
        if self._as_text or value is None:
            return value
        return self._field.python_value(value)

    def _json_lhs(self) -> Any:
        return _extract(self._field, self._keys)

    def _dumps(self) -> Callable[[Any], str]:
        return self._field.dumps

    def _compare(self, op: str, rhs: Any) -> Expression:
        if self._as_text:
            if rhs is None and op in ("=", "!="):
                return self.is_null(op == "=")
            return Expression(_extract(self._field, self._keys, True), op, rhs)
        return super()._compare(op, rhs)

    def _in(self, op: str, rhs: Any) -> Expression:
        if self._as_text:
            return Expression(_extract(self._field, self._keys, True), op, rhs)
        return super()._in(op, rhs)

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(_extract(self._field, self._keys, self._as_text))

    def __getitem__(self, key: Any) -> "JSONPath":
        return JSONPath(self._field, self._keys + (key,))

    def path(self, *keys: Any) -> "JSONPath":
        return JSONPath(self._field, self._keys + tuple(keys))

    def is_null(self, is_null: bool = True) -> Expression:
        return Expression(_extract(self._field, self._keys, True), "IS" if is_null else "IS NOT", None)

    def as_text(self) -> "JSONPath":
        """The value as plain SQL text (strings unquoted) instead of JSON."""
        return JSONPath(self._field, self._keys, as_text=True)

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

    def has_key(self, key: Any) -> ColumnBase:
        return _has_keys(self._field, self._keys, (key,), "single")

    def has_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        return _has_keys(self._field, self._keys, tuple(key_list), "all")

    def has_any_keys(self, key_list: Iterable[Any]) -> ColumnBase:
        return _has_keys(self._field, self._keys, tuple(key_list), "any")

    def contains(self, value: Any) -> ColumnBase:  # type: ignore[override]
        return _contains(self._field, self._keys, value, self._field.dumps, reverse=False)

    def contained_by(self, value: Any) -> ColumnBase:
        return _contains(self._field, self._keys, value, self._field.dumps, reverse=True)

    def length(self) -> ColumnBase:
        return _length(self._field, self._keys)

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
