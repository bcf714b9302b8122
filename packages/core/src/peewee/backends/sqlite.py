"""``SqliteDatabase``: the sqlite3 driver, pragmas, user-defined functions, aggregates, window
functions and collations, attached databases, extensions and SQLite introspection.

Knows nothing of models; SQL rendering is the ``SqliteDialect``'s business.
"""
from __future__ import annotations

import datetime
import decimal
import json
import re
import sqlite3
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..database import (
    SENTINEL,
    ColumnMetadata,
    Database,
    ForeignKeyMetadata,
    IndexMetadata,
    ViewMetadata,
    simple_date_time,
)
from ..sql.nodes import Cast, fn
from ..dialects.sqlite import SqliteDialect
from ..errors import NotSupportedError, OperationalError

__all__ = ["SqliteDatabase"]

_LOCK_TYPES = ("DEFERRED", "IMMEDIATE", "EXCLUSIVE")


def _pragma_property(name: str) -> property:
    """A property reading ``PRAGMA name`` and setting it on the current connection."""

    def getter(self: "SqliteDatabase") -> Any:
        return self.pragma(name)

    def setter(self: "SqliteDatabase", value: Any) -> None:
        self.pragma(name, value)

    return property(getter, setter, doc="The ``%s`` pragma of the current connection." % name)


def _parse_datetime(value: Any) -> Optional[datetime.datetime]:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    text = str(value)
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
    "%H:%M:%S",
    "%H:%M:%S.%f",
    "%H:%M",
)
_DATE_PARTS = ("year", "month", "day", "hour", "minute", "second")
_DATE_TRUNC = {
    "year": "%Y-01-01 00:00:00",
    "month": "%Y-%m-01 00:00:00",
    "day": "%Y-%m-%d 00:00:00",
    "hour": "%Y-%m-%d %H:00:00",
    "minute": "%Y-%m-%d %H:%M:00",
    "second": "%Y-%m-%d %H:%M:%S",
}


def _sqlite_date_part(part: str, value: Any) -> Optional[int]:
    """SQL function ``date_part(part, value)`` registered on every connection."""
    if value is None:
        return None
    if part not in _DATE_PARTS:
        raise ValueError("Unsupported date part %r." % part)
    parsed = _parse_datetime(value)
    return None if parsed is None else getattr(parsed, part)


def _sqlite_date_trunc(part: str, value: Any) -> Optional[str]:
    """SQL function ``date_trunc(part, value)`` registered on every connection."""
    if value is None:
        return None
    if part not in _DATE_TRUNC:
        raise ValueError("Unsupported date part %r." % part)
    parsed = _parse_datetime(value)
    return None if parsed is None else parsed.strftime(_DATE_TRUNC[part])


# sqlite3 cannot bind these types itself; store them as text, as the fields read them back.
for _type in (decimal.Decimal, datetime.date, datetime.time, datetime.datetime):
    sqlite3.register_adapter(_type, str)


def _regexp(pattern: Optional[str], value: Any) -> bool:
    if pattern is None or value is None:
        return False
    return re.search(pattern, str(value)) is not None


def _json_contained(target: Any, item: Any, top: bool = True) -> bool:
    """PostgreSQL ``@>`` semantics: does the JSON value ``target`` contain ``item``?  (A scalar
    is contained in an array that holds it only at the top level, as in PostgreSQL.)"""
    if isinstance(item, dict):
        return isinstance(target, dict) and all(
            key in target and _json_contained(target[key], value, False)
            for key, value in item.items()
        )
    if isinstance(item, list):
        if not isinstance(target, list):
            return False
        return all(any(_json_contained(t, i, False) for t in target) for i in item)
    if top and isinstance(target, list):
        return any(not isinstance(t, (dict, list)) and _json_equal(t, item) for t in target)
    return not isinstance(target, (dict, list)) and _json_equal(target, item)


def _json_equal(a: Any, b: Any) -> bool:
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _json_contains(target: Any, item: Any) -> int:
    """``_pw_json_contains(document, value)`` for ``JSONField.contains()``: 1, 0 or NULL."""
    if target is None or item is None:
        return None  # type: ignore[return-value]
    try:
        return int(_json_contained(json.loads(target), json.loads(item)))
    except (TypeError, ValueError):
        return 0


class SqliteDatabase(Database):
    """A SQLite database file (or ``':memory:'``) opened with the standard ``sqlite3`` module.

    ``pragmas`` (a dict or a list of ``(name, value)`` pairs) are set on every new connection;
    ``timeout`` is how many seconds to wait for a locked database; ``lock_type`` (e.g.
    ``'IMMEDIATE'``) is the default for transactions that do not name one; other keyword arguments
    (``check_same_thread``, ``detect_types``, ``uri``, ...) go to ``sqlite3.connect``.
    """

    dialect_class = SqliteDialect
    server_version: Any = sqlite3.sqlite_version_info
    driver_autocommit = True

    def __init__(self, database: Any, pragmas: Any = None, *args: Any, **kwargs: Any) -> None:
        self._pragmas: List[Tuple[str, Any]] = []
        self._timeout: float = 5
        self._functions: Dict[str, Tuple[Callable[..., Any], int, Optional[bool]]] = {
            "date_part": (_sqlite_date_part, 2, True),
            "date_trunc": (_sqlite_date_trunc, 2, True),
            "_pw_json_contains": (_json_contains, 2, True),
        }
        self._aggregates: Dict[str, Tuple[type, int]] = {}
        self._window_functions: Dict[str, Tuple[type, int]] = {}
        self._collations: Dict[str, Callable[..., Any]] = {}
        self._extensions: List[str] = []
        self._attached: Dict[str, str] = {}
        self._lock_type: Optional[str] = None
        # Bumped whenever functions, aggregates, window functions or collations change, so that
        # connections already open in other threads pick the change up before their next statement.
        self._hooks_version = 0
        self._removed_collations: set = set()
        self._detached: set = set()
        super().__init__(database, *args, pragmas=pragmas, **kwargs)

    def init(
        self,
        database: Any,
        pragmas: Any = None,
        timeout: Any = SENTINEL,
        regexp_function: bool = False,
        lock_type: Any = SENTINEL,
        **kwargs: Any,
    ) -> None:
        if pragmas is not None:
            self._pragmas = list(pragmas.items() if isinstance(pragmas, dict) else pragmas)
        if timeout is not SENTINEL:
            self._timeout = timeout
        if regexp_function:
            self._functions["regexp"] = (_regexp, 2, True)
        if lock_type is not SENTINEL:
            self._lock_type = lock_type
        super().init(database, **kwargs)

    # Connections -------------------------------------------------------------------------------
    def connect(self, reuse_if_open: bool = False) -> bool:
        version = self._hooks_version  # what _add_conn_hooks() is about to install
        opened = super().connect(reuse_if_open)
        if opened:
            self._state.hooks_version = version
        return opened

    def execute_sql(self, sql: str, params: Any = None, commit: Any = None) -> Any:
        state = self._state
        if state.hooks_version != self._hooks_version and not state.closed:
            self._sync_hooks()
        return Database.execute_sql(self, sql, params)

    def cursor(self, commit: Any = None, named_cursor: Any = None) -> Any:
        cursor = super().cursor()
        if self._state.hooks_version != self._hooks_version:
            self._sync_hooks()
        return cursor

    def _sync_hooks(self) -> None:
        """Bring the current thread's open connection up to date with the registered functions
        and attached databases."""
        try:
            self._sync_conn_hooks()
        except sqlite3.Error as exc:
            raise self._wrap_error(exc) from exc

    def _sync_conn_hooks(self) -> None:
        state = self._state
        version = self._hooks_version
        conn = state.conn
        for name, (func, num_params, deterministic) in list(self._functions.items()):
            self._create_function(conn, name, func, num_params, deterministic)
        for name, (klass, num_params) in list(self._aggregates.items()):
            conn.create_aggregate(name, num_params, klass)
        for name, (klass, num_params) in list(self._window_functions.items()):
            conn.create_window_function(name, num_params, klass)
        for name, collate in list(self._collations.items()):
            conn.create_collation(name, collate)
        for name in list(self._removed_collations):
            conn.create_collation(name, None)
        if not self._sync_attached(conn):
            return  # retried before the next statement, once the transaction is over
        state.hooks_version = version

    def _sync_attached(self, conn: sqlite3.Connection) -> bool:
        """Attach/detach schemas to match ``attach()``/``detach()``; False inside a transaction,
        where SQLite refuses both."""
        present = {row[1] for row in conn.execute("PRAGMA database_list").fetchall()}
        attach = [(n, f) for n, f in list(self._attached.items()) if n not in present]
        detach = [n for n in list(self._detached) if n in present]
        if not attach and not detach:
            return True
        if conn.in_transaction:
            return False
        for name, filename in attach:
            conn.execute('ATTACH DATABASE "%s" AS "%s"' % (filename, name))
        for name in detach:
            conn.execute('DETACH DATABASE "%s"' % name)
        return True

    def _hooks_changed(self) -> None:
        self._hooks_version += 1

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.database, timeout=self._timeout, isolation_level=None, **self.connect_params
        )
        try:
            self._add_conn_hooks(conn)
        except Exception:
            conn.close()
            raise
        return conn

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        for name, filename in self._attached.items():
            conn.execute('ATTACH DATABASE "%s" AS "%s"' % (filename, name))
        for key, value in self._pragmas:
            conn.execute("PRAGMA %s = %s;" % (key, value)).fetchall()
        for name, (func, num_params, deterministic) in self._functions.items():
            self._create_function(conn, name, func, num_params, deterministic)
        for name, (klass, num_params) in self._aggregates.items():
            conn.create_aggregate(name, num_params, klass)
        for name, (klass, num_params) in self._window_functions.items():
            conn.create_window_function(name, num_params, klass)
        for name, collate in self._collations.items():
            conn.create_collation(name, collate)
        if self._extensions:
            conn.enable_load_extension(True)
            for extension in self._extensions:
                conn.load_extension(extension)

    @staticmethod
    def _create_function(
        conn: sqlite3.Connection, name: str, fn: Any, num_params: int, deterministic: Optional[bool]
    ) -> None:
        if deterministic:
            conn.create_function(name, num_params, fn, deterministic=True)
        else:
            conn.create_function(name, num_params, fn)

    def _open_conn(self) -> Optional[sqlite3.Connection]:
        """The current thread's connection if one is open (never opens one)."""
        return None if self._state.closed else self._state.conn

    # Pragmas -----------------------------------------------------------------------------------
    def pragma(self, key: str, value: Any = SENTINEL, permanent: bool = False, schema: Optional[str] = None) -> Any:
        """Read or set a pragma; ``permanent=True`` also applies it to every new connection."""
        sql = "PRAGMA %s.%s" % (schema, key) if schema is not None else "PRAGMA %s" % key
        if value is not SENTINEL:
            sql += " = %s" % (value or 0)
            if permanent:
                pragmas = [(k, v) for k, v in self._pragmas if k != key]
                pragmas.append((key, value))
                self._pragmas = pragmas
        elif permanent:
            raise ValueError("Cannot specify a permanent pragma without a value.")
        row = self.execute_sql(sql).fetchone()
        if row:
            return row[0]
        return None

    cache_size = _pragma_property("cache_size")
    foreign_keys = _pragma_property("foreign_keys")
    journal_mode = _pragma_property("journal_mode")
    journal_size_limit = _pragma_property("journal_size_limit")
    mmap_size = _pragma_property("mmap_size")
    page_size = _pragma_property("page_size")
    read_uncommitted = _pragma_property("read_uncommitted")
    synchronous = _pragma_property("synchronous")
    wal_autocheckpoint = _pragma_property("wal_autocheckpoint")
    application_id = _pragma_property("application_id")
    user_version = _pragma_property("user_version")
    data_version = property(lambda self: self.pragma("data_version"))

    @property
    def timeout(self) -> float:
        """Seconds to wait for a lock held by another connection."""
        return self._timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        if self._timeout == seconds:
            return
        self._timeout = seconds
        if not self.is_closed():
            self.execute_sql("PRAGMA busy_timeout=%d;" % (seconds * 1000))

    # User-defined functions --------------------------------------------------------------------
    def register_function(
        self, fn: Callable[..., Any], name: Optional[str] = None, num_params: int = -1,
        deterministic: Optional[bool] = None,
    ) -> None:
        """Make ``fn`` callable from SQL as ``name`` on this and every future connection."""
        name = name or fn.__name__
        self._functions[name] = (fn, num_params, deterministic)
        self._hooks_changed()
        conn = self._open_conn()
        if conn is not None:
            self._create_function(conn, name, fn, num_params, deterministic)

    def register_aggregate(self, klass: type, name: Optional[str] = None, num_params: int = -1) -> None:
        """Register an aggregate class (``step()`` and ``finalize()``) as ``name``."""
        name = name or klass.__name__.lower()
        self._aggregates[name] = (klass, num_params)
        self._hooks_changed()
        conn = self._open_conn()
        if conn is not None:
            conn.create_aggregate(name, num_params, klass)

    def register_window_function(self, klass: type, name: Optional[str] = None, num_params: int = -1) -> None:
        """Register a window function class (``step``, ``inverse``, ``value``, ``finalize``)."""
        name = name or klass.__name__.lower()
        self._window_functions[name] = (klass, num_params)
        self._hooks_changed()
        conn = self._open_conn()
        if conn is not None:
            conn.create_window_function(name, num_params, klass)

    def register_collation(self, fn: Callable[[str, str], int], name: Optional[str] = None) -> None:
        """Register ``fn(a, b) -> -1/0/1`` as a collation; ``fn.collation(expr)`` uses it."""
        from ..sql.nodes import SQL, NodeList

        name = name or fn.__name__

        def _collate(*args: Any) -> Any:
            return NodeList(args + (SQL("collate %s" % name),))

        fn.collation = _collate  # type: ignore[attr-defined]
        self._collations[name] = fn
        self._removed_collations.discard(name)
        self._hooks_changed()
        conn = self._open_conn()
        if conn is not None:
            conn.create_collation(name, fn)

    def func(self, name: Optional[str] = None, num_params: int = -1, deterministic: Optional[bool] = None) -> Callable[[Any], Any]:
        """Decorator form of ``register_function``."""

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.register_function(fn, name, num_params, deterministic)
            return fn

        return decorator

    def aggregate(self, name: Optional[str] = None, num_params: int = -1) -> Callable[[type], type]:
        """Decorator form of ``register_aggregate``."""

        def decorator(klass: type) -> type:
            self.register_aggregate(klass, name, num_params)
            return klass

        return decorator

    def window_function(self, name: Optional[str] = None, num_params: int = -1) -> Callable[[type], type]:
        """Decorator form of ``register_window_function``."""

        def decorator(klass: type) -> type:
            self.register_window_function(klass, name, num_params)
            return klass

        return decorator

    def collation(self, name: Optional[str] = None) -> Callable[[Any], Any]:
        """Decorator form of ``register_collation``."""

        def decorator(fn: Callable[[str, str], int]) -> Callable[[str, str], int]:
            self.register_collation(fn, name)
            return fn

        return decorator

    # sqlite3 cannot remove a function from an open connection: the unregister methods stop
    # registering it on new connections (collations are removed from open ones as well).
    def unregister_function(self, name: str) -> None:
        del self._functions[name]

    def unregister_aggregate(self, name: str) -> None:
        del self._aggregates[name]

    def unregister_window_function(self, name: str) -> None:
        del self._window_functions[name]

    def unregister_collation(self, name: str) -> None:
        del self._collations[name]
        self._removed_collations.add(name)
        self._hooks_changed()
        conn = self._open_conn()
        if conn is not None:
            conn.create_collation(name, None)

    # Extensions and attached databases ---------------------------------------------------------
    def load_extension(self, extension: str) -> None:
        """Load a SQLite extension now (if connected) and on every new connection.

        Raises ``NotSupportedError`` when Python's ``sqlite3`` was built without extension
        loading.
        """
        if not hasattr(sqlite3.Connection, "enable_load_extension"):
            raise NotSupportedError("This build of the sqlite3 module cannot load extensions.")
        self._extensions.append(extension)
        conn = self._open_conn()
        if conn is not None:
            conn.enable_load_extension(True)
            try:
                conn.load_extension(extension)
            except sqlite3.Error as exc:
                self._extensions.remove(extension)
                raise OperationalError(*exc.args) from exc

    def unload_extension(self, extension: str) -> None:
        """Stop loading ``extension`` on new connections."""
        self._extensions.remove(extension)

    def attach(self, filename: str, name: str) -> bool:
        """Attach another database file under the schema ``name`` (on every connection)."""
        if name in self._attached:
            if self._attached[name] == filename:
                return False
            raise OperationalError('schema "%s" already attached.' % name)
        self._refuse_inside_transaction()
        self._attached[name] = filename
        self._detached.discard(name)
        self._apply_attachments()
        return True

    def detach(self, name: str) -> bool:
        """Detach a schema attached with ``attach()``; False if it was not attached."""
        if name not in self._attached:
            return False
        self._refuse_inside_transaction()
        del self._attached[name]
        self._detached.add(name)
        self._apply_attachments()
        return True

    def _refuse_inside_transaction(self) -> None:
        if not self.is_closed() and self._state.conn.in_transaction:
            raise OperationalError("Cannot attach or detach a database within a transaction.")

    def _apply_attachments(self) -> None:
        # This thread's open connection now; other threads' before their next statement.
        self._hooks_changed()
        if not self.is_closed():
            try:
                self._sync_attached(self._state.conn)
            except sqlite3.Error as exc:
                raise self._wrap_error(exc) from exc

    # Transactions ------------------------------------------------------------------------------
    def _begin_sql(self, lock_type: Optional[str] = None) -> str:
        lock_type = lock_type or self._lock_type
        if lock_type:
            if lock_type.upper() not in _LOCK_TYPES:
                raise ValueError("Unsupported lock type %r; use one of %s." % (lock_type, ", ".join(_LOCK_TYPES)))
            return "BEGIN %s" % lock_type.upper()
        return "BEGIN"

    # sqlite3's own commit()/rollback() quietly do nothing when no transaction is open; the SQL
    # statements say so (``OperationalError``), as a COMMIT of a transaction SQLite already
    # rolled back should.  Only a block ending while its transaction is already gone rolls back
    # quietly, so the block's own error is the one reported.
    def _commit(self, conn: sqlite3.Connection) -> None:
        conn.execute("COMMIT")

    def _rollback(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction or not self._state.transactions:
            conn.execute("ROLLBACK")

    # Introspection -----------------------------------------------------------------------------
    def _pragma_rows(self, pragma: str, name: str, schema: str) -> List[Any]:
        """The rows of ``PRAGMA schema.pragma(name)``, both names quoted as identifiers."""
        quote = self.dialect.quote_name
        return self.execute_sql("PRAGMA %s.%s(%s)" % (quote(schema), pragma, quote(name))).fetchall()

    def get_tables(self, schema: Optional[str] = None) -> List[str]:
        schema = schema or "main"
        cursor = self.execute_sql(
            'SELECT name FROM %s.sqlite_master WHERE type=? ORDER BY name' % self.dialect.quote_name(schema), ("table",)
        )
        return [row[0] for row in cursor.fetchall()]

    def get_views(self, schema: Optional[str] = None) -> List[ViewMetadata]:
        schema = schema or "main"
        cursor = self.execute_sql(
            'SELECT name, sql FROM %s.sqlite_master WHERE type=? ORDER BY name' % self.dialect.quote_name(schema), ("view",)
        )
        return [ViewMetadata(name, sql) for name, sql in cursor.fetchall()]

    def get_indexes(self, table: str, schema: Optional[str] = None) -> List[IndexMetadata]:
        schema = schema or "main"
        cursor = self.execute_sql(
            "SELECT name, sql FROM %s.sqlite_master WHERE tbl_name = ? AND type = ? ORDER BY name"
            % self.dialect.quote_name(schema),
            (table, "index"),
        )
        index_sql = cursor.fetchall()
        unique = {
            row[1]
            for row in self._pragma_rows("index_list", table, schema)
            if row[2]
        }
        result = []
        for name, sql in index_sql:
            info = self._pragma_rows("index_info", name, schema)
            columns = [row[2] for row in sorted(info)]
            result.append(IndexMetadata(name, sql, columns, name in unique, table))
        return result

    def get_columns(self, table: str, schema: Optional[str] = None) -> List[ColumnMetadata]:
        schema = schema or "main"
        rows = self._pragma_rows("table_info", table, schema)
        pk_count = sum(1 for row in rows if row[5])
        columns = []
        for _cid, name, data_type, notnull, default, pk in rows:
            identity = bool(pk) and pk_count == 1 and data_type.upper() == "INTEGER"
            columns.append(
                ColumnMetadata(name, data_type, not notnull, bool(pk), table, default, data_type, identity)
            )
        return columns

    def get_primary_keys(self, table: str, schema: Optional[str] = None) -> List[str]:
        schema = schema or "main"
        rows = self._pragma_rows("table_info", table, schema)
        return [row[1] for row in sorted((r for r in rows if r[5]), key=lambda r: r[5])]

    def get_foreign_keys(self, table: str, schema: Optional[str] = None) -> List[ForeignKeyMetadata]:
        schema = schema or "main"
        rows = self._pragma_rows("foreign_key_list", table, schema)
        return [
            ForeignKeyMetadata(row[3], row[2], row[4], table, None, row[6], row[5]) for row in rows
        ]

    def sequence_exists(self, seq: str) -> bool:
        """SQLite has no sequences."""
        return False

    # Date arithmetic through the date_part / date_trunc functions registered above.
    def extract_date(self, date_part: str, date_field: Any) -> Any:
        return fn.date_part(date_part, date_field, python_value=int)

    def truncate_date(self, date_part: str, date_field: Any) -> Any:
        return fn.date_trunc(date_part, date_field, python_value=simple_date_time)

    def to_timestamp(self, date_field: Any) -> Any:
        return Cast(fn.strftime("%s", date_field), "integer")

    def from_timestamp(self, date_field: Any) -> Any:
        return fn.datetime(date_field, "unixepoch")

    def get_binary_type(self) -> type:
        return sqlite3.Binary  # type: ignore[return-value]

