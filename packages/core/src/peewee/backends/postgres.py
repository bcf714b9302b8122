"""``PostgresqlDatabase``: the psycopg2 driver, isolation levels, sequences and PostgreSQL
introspection (schema-aware).

Knows nothing of models; SQL rendering is the ``PostgresqlDialect``'s business.
"""
from __future__ import annotations

import select
from typing import Any, Dict, List, Optional

from ..database import (
    ColumnMetadata,
    Database,
    ForeignKeyMetadata,
    IndexMetadata,
    ViewMetadata,
)
from ..dialects.postgres import PostgresqlDialect
from ..errors import ImproperlyConfigured

try:  # the driver is optional until a PostgreSQL database is used
    import psycopg2
    from psycopg2 import extensions as pg_extensions
except ImportError:  # pragma: no cover - depends on the environment
    psycopg2 = None
    pg_extensions = None

__all__ = ["PostgresqlDatabase"]

#: psycopg2's numeric isolation-level constants and the SQL they stand for.
_ISOLATION_LEVELS: Dict[int, str] = {
    1: "READ COMMITTED",
    2: "REPEATABLE READ",
    3: "SERIALIZABLE",
    4: "READ UNCOMMITTED",
}


def _isolation_sql(level: Any) -> Optional[str]:
    if level is None or level == 0:
        return None
    if isinstance(level, int):
        try:
            return _ISOLATION_LEVELS[level]
        except KeyError:
            raise ValueError("Unknown isolation level %r." % level) from None
    return str(level).replace("_", " ").upper()


def _readable(conn: Any) -> bool:
    """Whether the server sent something the connection has not read yet (no waiting)."""
    try:
        fd = conn.fileno()
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            return bool(poller.poll(0))
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True  # cannot tell without asking the server


class PostgresqlDatabase(Database):
    """A PostgreSQL database reached with psycopg2.

    ``register_unicode``, ``encoding`` and ``isolation_level`` (a psycopg2 constant or a string
    such as ``'SERIALIZABLE'``) are handled here; every other keyword argument (``user``,
    ``password``, ``host``, ``port``, ``sslmode``, ...) goes to ``psycopg2.connect``.
    """

    dialect_class = PostgresqlDialect
    driver_autocommit = True

    def init(
        self,
        database: Any,
        register_unicode: bool = True,
        encoding: Optional[str] = None,
        isolation_level: Any = None,
        **kwargs: Any,
    ) -> None:
        self._register_unicode = register_unicode
        self._encoding = encoding
        self._isolation_level = isolation_level
        super().init(database, **kwargs)

    @property
    def isolation_level(self) -> Any:
        return self._isolation_level

    def _connect(self) -> Any:
        if psycopg2 is None:
            raise ImproperlyConfigured("Postgres driver not installed!")
        params = dict(self.connect_params)
        database = self.database
        if isinstance(database, str) and database.startswith(("postgres://", "postgresql://")):
            params.setdefault("dsn", database)
        else:
            params.setdefault("dbname", database)
        conn = psycopg2.connect(**params)
        try:
            if self._register_unicode:
                pg_extensions.register_type(pg_extensions.UNICODE, conn)
                pg_extensions.register_type(pg_extensions.UNICODEARRAY, conn)
            if self._encoding:
                conn.set_client_encoding(self._encoding)
            conn.autocommit = True
            level = _isolation_sql(self._isolation_level)
            if level:
                with conn.cursor() as cursor:
                    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL %s" % level)
        except Exception:
            conn.close()
            raise
        return conn

    def _set_server_version(self, conn: Any) -> None:
        self.server_version = conn.server_version

    def is_connection_usable(self) -> bool:
        if self._state.closed:
            return False
        conn = self._state.conn
        if conn.closed:
            return False
        # Idle, active or in a transaction is fine; "in error" or "unknown" is not.
        status = conn.get_transaction_status()
        if status >= pg_extensions.TRANSACTION_STATUS_INERROR:
            return False
        if status == pg_extensions.TRANSACTION_STATUS_ACTIVE or not _readable(conn):
            return True
        # Between statements the server only speaks up to say it closed the session (or to
        # deliver a notification): only then is a round trip needed to tell which.
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:
            return False
        return not conn.closed

    def _connection_lost(self, conn: Any, exc: BaseException) -> bool:
        return bool(getattr(conn, "closed", 0))

    # Transactions ------------------------------------------------------------------------------
    def _begin_sql(self, isolation_level: Any = None) -> str:
        level = _isolation_sql(isolation_level)
        if level:
            return "BEGIN TRANSACTION ISOLATION LEVEL %s" % level
        return "BEGIN"

    def set_isolation_level(self, isolation_level: Any) -> None:
        """Change the default isolation level (applies to the open connection too)."""
        self._isolation_level = isolation_level
        if not self.is_closed():
            level = _isolation_sql(isolation_level) or "READ COMMITTED"
            self.execute_sql("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL %s" % level)

    def set_time_zone(self, timezone: str) -> None:
        """Set the session time zone of the current connection."""
        self.execute_sql("SET TIME ZONE %s", (timezone,))

    def _commit(self, conn: Any) -> None:
        # The connection is in autocommit mode, where psycopg2's commit() does nothing.
        with conn.cursor() as cursor:
            cursor.execute("COMMIT")

    def _rollback(self, conn: Any) -> None:
        with conn.cursor() as cursor:
            cursor.execute("ROLLBACK")

    def last_insert_id(self, cursor: Any, query_type: Any = None) -> Any:
        """PostgreSQL reports new keys through RETURNING: the first column of the first row."""
        if getattr(cursor, "description", None):
            row = cursor.fetchone()
            return row[0] if row else None
        return None

    def get_noop_query(self) -> str:
        return "SELECT 0 WHERE false"

    get_noop_select = get_noop_query

    def get_binary_type(self) -> Any:
        return psycopg2.Binary

    # Introspection -----------------------------------------------------------------------------
    def get_tables(self, schema: Optional[str] = None) -> List[str]:
        cursor = self.execute_sql(
            "SELECT tablename FROM pg_catalog.pg_tables "
            "WHERE schemaname = COALESCE(%s, current_schema()) ORDER BY tablename",
            (schema,),
        )
        return [row[0] for row in cursor.fetchall()]

    def get_views(self, schema: Optional[str] = None) -> List[ViewMetadata]:
        cursor = self.execute_sql(
            "SELECT viewname, definition FROM pg_catalog.pg_views "
            "WHERE schemaname = COALESCE(%s, current_schema()) ORDER BY viewname",
            (schema,),
        )
        return [ViewMetadata(name, sql.strip(" \t;")) for name, sql in cursor.fetchall()]

    def get_indexes(self, table: str, schema: Optional[str] = None) -> List[IndexMetadata]:
        cursor = self.execute_sql(
            "SELECT ic.relname, ix.indexdef, i.indisunique, "
            "ARRAY(SELECT pg_get_indexdef(i.indexrelid, k + 1, true) "
            "FROM generate_subscripts(i.indkey, 1) AS k ORDER BY k) "
            "FROM pg_catalog.pg_index AS i "
            "INNER JOIN pg_catalog.pg_class AS tc ON tc.oid = i.indrelid "
            "INNER JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid "
            "INNER JOIN pg_catalog.pg_namespace AS n ON n.oid = tc.relnamespace "
            "INNER JOIN pg_catalog.pg_indexes AS ix "
            "ON ix.schemaname = n.nspname AND ix.tablename = tc.relname AND ix.indexname = ic.relname "
            "WHERE tc.relname = %s AND n.nspname = COALESCE(%s, current_schema()) "
            "ORDER BY ic.relname",
            (table, schema),
        )
        return [
            IndexMetadata(name, sql, list(columns), unique, table)
            for name, sql, unique, columns in cursor.fetchall()
        ]

    def get_columns(self, table: str, schema: Optional[str] = None) -> List[ColumnMetadata]:
        cursor = self.execute_sql(
            "SELECT column_name, is_nullable, data_type, column_default, "
            "character_maximum_length, numeric_precision, numeric_scale, is_identity "
            "FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = COALESCE(%s, current_schema()) "
            "ORDER BY ordinal_position",
            (table, schema),
        )
        pks = set(self.get_primary_keys(table, schema))
        columns = []
        for name, nullable, data_type, default, length, precision, scale, is_identity in cursor.fetchall():
            full_type = data_type
            if length:
                full_type = "%s(%s)" % (data_type, length)
            elif data_type == "numeric" and precision:
                full_type = "numeric(%s, %s)" % (precision, scale or 0)
            identity = is_identity == "YES" or bool(default and str(default).startswith("nextval("))
            columns.append(
                ColumnMetadata(
                    name, data_type, nullable == "YES", name in pks, table, default, full_type, identity
                )
            )
        return columns

    def get_primary_keys(self, table: str, schema: Optional[str] = None) -> List[str]:
        cursor = self.execute_sql(
            "SELECT kc.column_name FROM information_schema.table_constraints AS tc "
            "INNER JOIN information_schema.key_column_usage AS kc "
            "ON tc.constraint_name = kc.constraint_name AND tc.table_schema = kc.table_schema "
            "AND tc.table_name = kc.table_name "
            "WHERE tc.constraint_type = %s AND tc.table_name = %s "
            "AND tc.table_schema = COALESCE(%s, current_schema()) "
            "ORDER BY kc.ordinal_position",
            ("PRIMARY KEY", table, schema),
        )
        return [row[0] for row in cursor.fetchall()]

    def get_foreign_keys(self, table: str, schema: Optional[str] = None) -> List[ForeignKeyMetadata]:
        cursor = self.execute_sql(
            "SELECT a.attname, rt.relname, ra.attname, c.conname, c.confdeltype, c.confupdtype "
            "FROM pg_catalog.pg_constraint AS c "
            "INNER JOIN pg_catalog.pg_class AS t ON t.oid = c.conrelid "
            "INNER JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace "
            "INNER JOIN pg_catalog.pg_class AS rt ON rt.oid = c.confrelid "
            "CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, refcol) "
            "INNER JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.col "
            "INNER JOIN pg_catalog.pg_attribute AS ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refcol "
            "WHERE c.contype = 'f' AND t.relname = %s AND n.nspname = COALESCE(%s, current_schema()) "
            "ORDER BY c.conname, a.attnum",
            (table, schema),
        )
        actions = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
        return [
            ForeignKeyMetadata(column, dest_table, dest_column, table, name, actions.get(ondel), actions.get(onupd))
            for column, dest_table, dest_column, name, ondel, onupd in cursor.fetchall()
        ]

    def sequence_exists(self, seq: str, schema: Optional[str] = None) -> bool:
        cursor = self.execute_sql(
            "SELECT COUNT(*) FROM pg_catalog.pg_class AS c "
            "INNER JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE c.relkind = %s AND c.relname = %s AND n.nspname = COALESCE(%s, current_schema())",
            ("S", seq, schema),
        )
        return bool(cursor.fetchone()[0])
