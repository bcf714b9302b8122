"""``MySQLDatabase``: MySQL and MariaDB through pymysql (or mysqlclient), ``sql_mode``, isolation
levels, lost-connection handling and MySQL introspection.

Knows nothing of models; SQL rendering is the ``MySQLDialect``'s business.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ..database import (
    ColumnMetadata,
    Database,
    ForeignKeyMetadata,
    IndexMetadata,
    ViewMetadata,
    simple_date_time,
)
from ..sql.nodes import fn
from ..dialects.base import CSQ_PARENTHESES_GROUPED, CSQ_PARENTHESES_UNNESTED
from ..dialects.mysql import MySQLDialect
from ..errors import EXCEPTIONS, ExceptionWrapper, ImproperlyConfigured, IntegrityError

try:  # the driver is optional until a MySQL database is used
    import pymysql as mysql
except ImportError:  # pragma: no cover - depends on the environment
    try:
        import MySQLdb as mysql  # type: ignore[no-redef]
    except ImportError:
        mysql = None

__all__ = ["MySQLDatabase"]

#: Client error codes meaning the server connection is gone ("server has gone away", "lost
#: connection during query", "commands out of sync", ...).
_LOST_CONNECTION_CODES = frozenset((2006, 2013, 2014, 2045, 2055))

#: Server errors the driver files under another DB-API class than peewee reports them as: a
#: violated CHECK constraint (MySQL 8: 3819, MariaDB: 4025) is an ``IntegrityError``.
_ERROR_CODES = {3819: IntegrityError, 4025: IntegrityError}


#: DATE_FORMAT patterns truncating a value to a date part.
_DATE_TRUNC: Dict[str, str] = {
    "year": "%Y-01-01 00:00:00",
    "month": "%Y-%m-01 00:00:00",
    "day": "%Y-%m-%d 00:00:00",
    "hour": "%Y-%m-%d %H:00:00",
    "minute": "%Y-%m-%d %H:%i:00",
    "second": "%Y-%m-%d %H:%i:%S",
}


class _MariaDBFlag:
    """``MySQLDatabase.mariadb``: kept on the dialect, which is what the SQL compiler reads."""

    def __get__(self, obj: Any, owner: Any = None) -> bool:
        if obj is None:
            return False
        return bool(obj.dialect.mariadb)

    def __set__(self, obj: Any, value: Any) -> None:
        obj._set_mariadb(value)


class MySQLDatabase(Database):
    """A MySQL or MariaDB database.

    ``charset`` defaults to ``'utf8mb4'``; ``sql_mode`` and ``isolation_level`` are applied to each
    new connection; every other keyword argument (``user``, ``password``, ``host``, ``port``,
    ``ssl``, ...) goes to the driver's ``connect()``.
    """

    dialect_class = MySQLDialect
    driver_autocommit = True
    exception_wrapper = ExceptionWrapper(EXCEPTIONS, codes=_ERROR_CODES)
    sql_mode: Optional[str] = None

    def init(self, database: Any, mariadb: Optional[bool] = None, **kwargs: Any) -> None:
        if mariadb is None:
            # A subclass may say ``mariadb = True`` as a plain class attribute.
            for klass in type(self).__mro__:
                if "mariadb" in klass.__dict__:
                    declared = klass.__dict__["mariadb"]
                    if isinstance(declared, bool):
                        mariadb = declared
                    break
        if mariadb is not None:
            self._set_mariadb(mariadb)
        params: Dict[str, Any] = {"charset": "utf8mb4"}
        if "sql_mode" in kwargs:
            self.sql_mode = kwargs.pop("sql_mode")
        self._isolation_level = kwargs.pop("isolation_level", getattr(self, "_isolation_level", None))
        params.update(kwargs)
        if "password" in params and mysql is not None and mysql.__name__ == "MySQLdb":
            params["passwd"] = params.pop("password")
        super().init(database, **params)

    @property
    def isolation_level(self) -> Any:
        return self._isolation_level

    #: What ``mariadb=`` said (None: tell from the server's version on the first connection).
    _mariadb_given: Optional[bool] = None

    #: Whether the server is MariaDB (which spells some JSON operations its own way): given as
    #: ``MySQLDatabase(..., mariadb=True)`` or set on the database, otherwise found out from the
    #: server's version on the first connection (False until then).
    mariadb = _MariaDBFlag()

    def _set_mariadb(self, value: Any) -> None:
        self._mariadb_given = bool(value)
        self.dialect.mariadb = bool(value)

    def _connect(self) -> Any:
        if mysql is None:
            raise ImproperlyConfigured("MySQL driver not installed!")
        key = "db" if mysql.__name__ == "MySQLdb" else "database"
        params = dict(self.connect_params)
        params.setdefault(key, self.database)
        conn = mysql.connect(autocommit=True, **params)
        try:
            cursor = conn.cursor()
            if self.sql_mode:
                cursor.execute("SET sql_mode='%s'" % self.sql_mode)
            if self._isolation_level:
                cursor.execute("SET SESSION TRANSACTION ISOLATION LEVEL %s" % self._isolation_level)
            cursor.close()
        except Exception:
            conn.close()
            raise
        return conn

    def _set_server_version(self, conn: Any) -> None:
        version = conn.get_server_info()
        if isinstance(version, bytes):
            version = version.decode("utf8", "replace")
        if self._mariadb_given is None:
            self.dialect.mariadb = "mariadb" in version.lower()
        self.server_version = self._extract_server_version(version)
        # Servers that accept parentheses around compound members get them wherever a nested
        # compound's grouping matters (only the default setting is upgraded).
        is_mariadb = self.mariadb or self.server_version >= (10,)
        supported = self.server_version >= ((10, 4) if is_mariadb else (8, 0, 22))
        if supported and self.dialect.compound_select_parentheses == CSQ_PARENTHESES_UNNESTED:
            self.dialect.compound_select_parentheses = CSQ_PARENTHESES_GROUPED

    @staticmethod
    def _extract_server_version(version: str) -> Tuple[int, ...]:
        # MariaDB may report "5.5.5-10.11.6-MariaDB"; the real version follows the prefix.
        version = re.sub(r"^5\.5\.5-", "", version)
        match = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
        if match is None:
            return (0, 0, 0)
        return tuple(int(part) for part in match.groups())

    def is_connection_usable(self) -> bool:
        if self._state.closed:
            return False
        try:
            self._state.conn.ping(False)
        except Exception:
            return False
        return True

    def _connection_lost(self, conn: Any, exc: BaseException) -> bool:
        code = exc.args[0] if exc.args else None
        if code in _LOST_CONNECTION_CODES:
            return True
        return getattr(conn, "open", True) is False

    # Transactions ------------------------------------------------------------------------------
    def begin(self, isolation_level: Optional[str] = None) -> None:
        """Start a transaction (the isolation level, if given, applies to this one only)."""
        if self.is_closed():
            self.connect()
        state = self._state
        if self._implicit_begin:
            if state.implicit:
                return  # already inside the implicit transaction: join it
            state.implicit = True
        conn = state.conn
        try:
            cursor = conn.cursor()
            if isolation_level:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL %s" % isolation_level)
            cursor.execute("BEGIN")
            cursor.close()
        except Exception as exc:
            state.implicit = False
            self._after_error(conn, exc)
            raise self._wrap_error(exc) from exc

    def truncate_date(self, date_part: str, date_field: Any) -> Any:
        return fn.DATE_FORMAT(date_field, _DATE_TRUNC[date_part], python_value=simple_date_time)

    def to_timestamp(self, date_field: Any) -> Any:
        return fn.UNIX_TIMESTAMP(date_field)

    def from_timestamp(self, date_field: Any) -> Any:
        return fn.FROM_UNIXTIME(date_field)

    def random(self) -> Any:
        return fn.rand()

    def get_noop_query(self) -> str:
        return "DO 0"

    def get_noop_select(self) -> str:
        # ``Model.noop()``: a SELECT that yields no rows.
        return "SELECT 0 WHERE 0=1"

    def get_binary_type(self) -> Any:
        return mysql.Binary

    # Introspection -----------------------------------------------------------------------------
    def get_tables(self, schema: Optional[str] = None) -> List[str]:
        cursor = self.execute_sql(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = COALESCE(%s, DATABASE()) AND table_type != %s ORDER BY table_name",
            (schema, "VIEW"),
        )
        return [row[0] for row in cursor.fetchall()]

    def get_views(self, schema: Optional[str] = None) -> List[ViewMetadata]:
        cursor = self.execute_sql(
            "SELECT table_name, view_definition FROM information_schema.views "
            "WHERE table_schema = COALESCE(%s, DATABASE()) ORDER BY table_name",
            (schema,),
        )
        return [ViewMetadata(name, sql.strip(" \t;")) for name, sql in cursor.fetchall()]

    def _table_ref(self, table: str, schema: Optional[str]) -> str:
        quote = self.dialect.quote_name
        return "%s.%s" % (quote(schema), quote(table)) if schema else quote(table)

    def get_indexes(self, table: str, schema: Optional[str] = None) -> List[IndexMetadata]:
        cursor = self.execute_sql("SHOW INDEX FROM %s" % self._table_ref(table, schema))
        indexes: Dict[str, Tuple[List[str], bool]] = {}
        for row in cursor.fetchall():
            name, non_unique, column = row[2], row[1], row[4]
            columns, unique = indexes.setdefault(name, ([], not non_unique))
            columns.append(column)
        return [IndexMetadata(name, None, columns, unique, table) for name, (columns, unique) in indexes.items()]

    def get_columns(self, table: str, schema: Optional[str] = None) -> List[ColumnMetadata]:
        cursor = self.execute_sql(
            "SELECT column_name, is_nullable, data_type, column_default, column_type, extra "
            "FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = COALESCE(%s, DATABASE()) "
            "ORDER BY ordinal_position",
            (table, schema),
        )
        pks = set(self.get_primary_keys(table, schema))
        return [
            ColumnMetadata(
                name, data_type, nullable == "YES", name in pks, table,
                None if default == "NULL" else default, column_type,
                "auto_increment" in (extra or "").lower(),
            )
            for name, nullable, data_type, default, column_type, extra in cursor.fetchall()
        ]

    def get_primary_keys(self, table: str, schema: Optional[str] = None) -> List[str]:
        cursor = self.execute_sql("SHOW INDEX FROM %s" % self._table_ref(table, schema))
        rows = [row for row in cursor.fetchall() if row[2] == "PRIMARY"]
        return [row[4] for row in sorted(rows, key=lambda r: r[3])]

    def get_foreign_keys(self, table: str, schema: Optional[str] = None) -> List[ForeignKeyMetadata]:
        cursor = self.execute_sql(
            "SELECT kcu.column_name, kcu.referenced_table_name, kcu.referenced_column_name, "
            "kcu.constraint_name, rc.delete_rule, rc.update_rule "
            "FROM information_schema.key_column_usage AS kcu "
            "LEFT JOIN information_schema.referential_constraints AS rc "
            "ON rc.constraint_schema = kcu.constraint_schema AND rc.constraint_name = kcu.constraint_name "
            "WHERE kcu.table_name = %s AND kcu.table_schema = COALESCE(%s, DATABASE()) "
            "AND kcu.referenced_table_name IS NOT NULL AND kcu.referenced_column_name IS NOT NULL "
            "ORDER BY kcu.constraint_name, kcu.ordinal_position",
            (table, schema),
        )
        return [
            ForeignKeyMetadata(column, dest_table, dest_column, table, name, on_delete, on_update)
            for column, dest_table, dest_column, name, on_delete, on_update in cursor.fetchall()
        ]

    def sequence_exists(self, seq: str) -> bool:
        """MySQL has no sequences (MariaDB's are not used by peewee)."""
        return False
