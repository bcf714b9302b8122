"""Where the test databases live, whether they are up, and how to empty them.

Settings come from the environment (``PEEWEE_PG_*``, ``PEEWEE_MYSQL_*``, ``PEEWEE_TEST_DATABASE``,
``PEEWEE_BACKENDS``, ``PEEWEE_REQUIRE_BACKENDS``; see CONTRIBUTING.md).  Everything here talks to the servers through the
raw drivers (psycopg2, pymysql) and knows nothing of peewee, so it works whatever state peewee is in.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

__all__ = [
    "BACKENDS",
    "DOCS_DATABASE",
    "ServerSettings",
    "availability",
    "drop_all",
    "is_available",
    "is_required",
    "peewee_database",
    "raw_connect",
    "required_backends",
    "selected_backends",
    "settings",
    "test_database_name",
]

BACKENDS: Tuple[str, ...] = ("sqlite", "postgres", "mysql")
SERVER_BACKENDS: Tuple[str, ...] = ("postgres", "mysql")
DOCS_DATABASE = "peewee_test"  # the documents always use this literal name

_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL", "mysql": "MySQL/MariaDB"}
_DEFAULT_PORTS = {"postgres": 5432, "mysql": 3306}
_ENV_PREFIX = {"postgres": "PEEWEE_PG", "mysql": "PEEWEE_MYSQL"}
_CONNECT_TIMEOUT = 3  # seconds; a server that is down refuses at once anyway


@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    user: str
    password: str


def label(backend: str) -> str:
    return _LABELS[backend]


def test_database_name() -> str:
    """The database the test suite uses on the servers (PEEWEE_TEST_DATABASE, default peewee_test)."""
    return os.environ.get("PEEWEE_TEST_DATABASE") or DOCS_DATABASE


def settings(backend: str) -> ServerSettings:
    prefix = _ENV_PREFIX[backend]
    env = os.environ
    return ServerSettings(
        host=env.get(prefix + "_HOST") or "127.0.0.1",
        port=int(env.get(prefix + "_PORT") or _DEFAULT_PORTS[backend]),
        user=env.get(prefix + "_USER") or "peewee",
        password=env.get(prefix + "_PASSWORD", "peewee"),
    )


_ALIASES = {"pg": "postgres", "postgresql": "postgres", "mariadb": "mysql", "sqlite3": "sqlite"}


def _backend_list(variable: str) -> Optional[Tuple[str, ...]]:
    value = os.environ.get(variable)
    if value is None or not value.strip():
        return None
    names = [_ALIASES.get(n, n) for n in (x.strip().lower() for x in value.split(",")) if n]
    unknown = sorted(set(names) - set(BACKENDS))
    if unknown:
        raise ValueError(f"{variable} names unknown backends: {', '.join(unknown)}")
    return tuple(n for n in BACKENDS if n in names)


def required_backends() -> Tuple[str, ...]:
    """Backends named in PEEWEE_REQUIRE_BACKENDS: for these, 'not reachable' is an error."""
    return _backend_list("PEEWEE_REQUIRE_BACKENDS") or ()


def selected_backends() -> Tuple[str, ...]:
    """Backends to test: PEEWEE_BACKENDS (e.g. ``sqlite`` for a quick run), default all of them.

    Every required backend must be selected.
    """
    selected = _backend_list("PEEWEE_BACKENDS") or BACKENDS
    missing = [n for n in required_backends() if n not in selected]
    if missing:
        raise ValueError(
            f"PEEWEE_REQUIRE_BACKENDS names {', '.join(missing)}, which PEEWEE_BACKENDS leaves out"
        )
    return selected


def is_required(backend: str) -> bool:
    return backend in required_backends()


# --- raw connections ----------------------------------------------------------------------------


def raw_connect(backend: str, database: Optional[str] = None) -> Any:
    """A DB-API connection (autocommit) to ``database`` on the backend's server."""
    s = settings(backend)
    if backend == "postgres":
        import psycopg2

        conn = psycopg2.connect(
            dbname=database or "postgres",
            user=s.user,
            password=s.password,
            host=s.host,
            port=s.port,
            connect_timeout=_CONNECT_TIMEOUT,
        )
        conn.autocommit = True
        return conn
    if backend == "mysql":
        import pymysql

        return pymysql.connect(
            database=database,
            user=s.user,
            password=s.password,
            host=s.host,
            port=s.port,
            charset="utf8mb4",
            autocommit=True,
            connect_timeout=_CONNECT_TIMEOUT,
            ssl_disabled=True,  # the local server has no TLS; building a context costs ~50 ms
        )
    raise ValueError(f"no server for backend {backend!r}")


def _ensure_database(backend: str, database: str) -> None:
    conn = raw_connect(backend)
    try:
        cur = conn.cursor()
        if backend == "postgres":
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cur.fetchone() is None:
                cur.execute('CREATE DATABASE "%s"' % database.replace('"', '""'))
        else:
            cur.execute(
                "CREATE DATABASE IF NOT EXISTS `%s` DEFAULT CHARACTER SET utf8mb4"
                % database.replace("`", "``")
            )
    finally:
        conn.close()


_availability: Dict[Tuple[str, str], Tuple[bool, str]] = {}


def availability(backend: str, database: Optional[str] = None) -> Tuple[bool, str]:
    """``(up, reason)``: whether ``database`` on the backend answers a query (checked once).

    A missing database is created, so PEEWEE_TEST_DATABASE may name a new one.
    """
    if backend not in selected_backends():
        return False, f"{label(backend)} not selected by PEEWEE_BACKENDS"
    if backend == "sqlite":
        return True, "SQLite " + sqlite3.sqlite_version
    database = database or test_database_name()
    key = (backend, database)
    if key not in _availability:
        s = settings(backend)
        try:
            _ensure_database(backend, database)
            conn = raw_connect(backend, database)
            try:
                cur = conn.cursor()
                cur.execute("SELECT 1")
                cur.fetchall()
            finally:
                conn.close()
            _availability[key] = (True, f"{label(backend)} at {s.host}:{s.port}")
        except Exception as exc:  # any failure means "not usable": say why
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            _availability[key] = (
                False,
                f"{label(backend)} server not reachable at {s.host}:{s.port} "
                f"(database {database!r}): {first_line}",
            )
    return _availability[key]


def is_available(backend: str, database: Optional[str] = None) -> bool:
    return availability(backend, database)[0]


# --- emptying a database ------------------------------------------------------------------------

_PG_OBJECTS = """
SELECT 'schema', quote_ident(nspname) FROM pg_namespace
 WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
   AND nspowner <> (SELECT datdba FROM pg_database WHERE datname = 'template0')
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview'
                      WHEN 'S' THEN 'sequence' ELSE 'table' END,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('e', 'i', 'a'))
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END,
       quote_ident(n.nspname) || '.' || quote_ident(t.typname)
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm', 'c')
   AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype IN ('e', 'i'))
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'routine' END, p.oid::regprocedure::text
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p', 'a', 'w')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""

_PG_DROP_ORDER = (
    ("schema", "SCHEMA"),
    ("view", "VIEW"),
    ("matview", "MATERIALIZED VIEW"),
    ("table", "TABLE"),
    ("sequence", "SEQUENCE"),
    ("aggregate", "AGGREGATE"),
    ("routine", "ROUTINE"),
    ("type", "TYPE"),
    ("domain", "DOMAIN"),
)


def _drop_postgres(conn: Any) -> List[str]:
    cur = conn.cursor()
    cur.execute("SET lock_timeout = '2s'")
    cur.execute(_PG_OBJECTS)
    found: Dict[str, List[str]] = {}
    for kind, name in cur.fetchall():
        found.setdefault(kind, []).append(name)
    statements = [
        f"DROP {keyword} IF EXISTS {', '.join(found[kind])} CASCADE"
        for kind, keyword in _PG_DROP_ORDER
        if kind in found
    ]
    for sql in statements:
        cur.execute(sql)
    return statements


def _drop_mysql(conn: Any) -> List[str]:
    cur = conn.cursor()
    cur.execute("SET SESSION lock_wait_timeout = 2")
    cur.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = DATABASE()"
    )
    views, tables = [], []
    for name, kind in cur.fetchall():
        quoted = "`%s`" % name.replace("`", "``")
        (views if kind == "VIEW" else tables).append(quoted)
    statements = []
    if views:
        statements.append("DROP VIEW IF EXISTS " + ", ".join(views))
    if tables:
        statements.append("DROP TABLE IF EXISTS " + ", ".join(tables))
    if statements:
        cur.execute("SET FOREIGN_KEY_CHECKS = 0")
        try:
            for sql in statements:
                cur.execute(sql)
        finally:
            cur.execute("SET FOREIGN_KEY_CHECKS = 1")
    return statements


def _end_stuck_sessions(backend: str, conn: Any) -> None:
    """End other sessions on this database that sit idle inside a transaction (leaked by a test)."""
    cur = conn.cursor()
    if backend == "postgres":
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state LIKE 'idle in transaction%'"
        )
    else:
        cur.execute(
            "SELECT id FROM information_schema.processlist "
            "WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command = 'Sleep'"
        )
        for (pid,) in cur.fetchall():
            try:
                cur.execute("KILL %d" % int(pid))
            except Exception:
                pass


_cleanup_connections: Dict[Tuple[str, str], Any] = {}


def _cleanup_connection(backend: str, database: str, fresh: bool = False) -> Any:
    """One autocommit connection per database, kept for the whole run (connecting costs more
    than the clean-up itself)."""
    key = (backend, database)
    conn = _cleanup_connections.pop(key, None)
    if conn is not None and fresh:
        try:
            conn.close()
        except Exception:
            pass
        conn = None
    if conn is None:
        conn = raw_connect(backend, database)
    _cleanup_connections[key] = conn
    return conn


def drop_all(backend: str, database: Optional[str] = None) -> List[str]:
    """Drop every table and view (on PostgreSQL also sequences, types, functions and schemas
    other than ``public``) in ``database``.

    Returns the DROP statements it ran.  Sessions left idle in a transaction that block the drop
    are ended and the drop retried once (on a new connection, should the old one have gone).
    """
    if backend == "sqlite":
        return []
    database = database or test_database_name()
    dropper = _drop_postgres if backend == "postgres" else _drop_mysql
    try:
        return dropper(_cleanup_connection(backend, database))
    except Exception:
        conn = _cleanup_connection(backend, database, fresh=True)
        _end_stuck_sessions(backend, conn)
        return dropper(conn)


def drop_all_sqlite(path: str) -> List[str]:
    """Drop every table, view, index and trigger of an SQLite database file."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "AND type IN ('view', 'table')"
        ).fetchall()
        statements = [
            'DROP %s IF EXISTS "%s"' % (kind.upper(), name.replace('"', '""'))
            for kind, name in sorted(rows, key=lambda r: r[0] != "view")
        ]
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            conn.execute(sql)
        return statements
    finally:
        conn.close()


# --- peewee databases ---------------------------------------------------------------------------


def peewee_database(backend: str, sqlite_path: Optional[str] = None) -> Any:
    """An unconnected peewee Database for ``backend`` on the test database."""
    import peewee

    if backend == "sqlite":
        return peewee.SqliteDatabase(sqlite_path or ":memory:")
    s = settings(backend)
    name = test_database_name()
    if backend == "postgres":
        return peewee.PostgresqlDatabase(
            name, user=s.user, password=s.password, host=s.host, port=s.port
        )
    # ssl_disabled: PyMySQL otherwise builds a TLS context for every connection (~50 ms).
    return peewee.MySQLDatabase(
        name,
        user=s.user,
        password=s.password,
        host=s.host,
        port=s.port,
        charset="utf8mb4",
        ssl_disabled=True,
    )
