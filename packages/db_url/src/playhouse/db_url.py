"""``playhouse.db_url``: a peewee database from a URL.

``scheme://user:password@host:port/database?option=value``: the scheme picks the database class,
the rest becomes its keyword arguments.  Classes that live in other distributions (the pools, the
extension databases) are imported the first time their scheme is used, so this module costs
nothing for the schemes an application does not use.
"""
from __future__ import annotations

import importlib
from typing import Any, Dict, Tuple
from urllib.parse import ParseResult, parse_qsl, unquote, urlparse

from peewee import MySQLDatabase, PostgresqlDatabase, SqliteDatabase

__all__ = ["connect", "parse", "register_database", "schemes"]

#: Scheme name -> database class, for every scheme whose class is loaded (the core ones, those
#: given to ``register_database()``, and the optional ones once used).
schemes: Dict[str, Any] = {
    "mysql": MySQLDatabase,
    "postgres": PostgresqlDatabase,
    "postgresql": PostgresqlDatabase,
    "sqlite": SqliteDatabase,
}

# Scheme name -> (module, class name, distribution providing it, directory in this repository).
_OPTIONAL: Dict[str, Tuple[str, str, str, str]] = {}


def _optional(module: str, class_name: str, distribution: str, *names: str) -> None:
    directory = "packages/" + distribution[len("peewee-"):].replace("-", "_")
    for name in names:
        _OPTIONAL[name] = (module, class_name, distribution, directory)


_optional("playhouse.pool", "PooledMySQLDatabase", "peewee-pool", "mysql+pool")
_optional("playhouse.pool", "PooledPostgresqlDatabase", "peewee-pool",
          "postgres+pool", "postgresql+pool")
_optional("playhouse.pool", "PooledSqliteDatabase", "peewee-pool", "sqlite+pool")
_optional("playhouse.sqlite_ext", "SqliteExtDatabase", "peewee-sqlite-ext", "sqliteext")
_optional("playhouse.sqlite_ext", "PooledSqliteExtDatabase", "peewee-sqlite-ext",
          "sqliteext+pool")
_optional("playhouse.postgres_ext", "PostgresqlExtDatabase", "peewee-postgres-ext",
          "postgresext", "postgresqlext")
_optional("playhouse.postgres_ext", "PooledPostgresqlExtDatabase", "peewee-postgres-ext",
          "postgresext+pool", "postgresqlext+pool")
_optional("playhouse.postgres_ext", "Psycopg3Database", "peewee-postgres-ext", "psycopg3")
_optional("playhouse.postgres_ext", "PooledPsycopg3Database", "peewee-postgres-ext",
          "psycopg3+pool")
_optional("playhouse.apsw_ext", "APSWDatabase", "peewee-apsw-ext", "apsw")
_optional("playhouse.berkeleydb", "BerkeleyDatabase", "peewee-berkeleydb", "berkeleydb")
_optional("playhouse.cockroachdb", "CockroachDatabase", "peewee-cockroachdb",
          "cockroachdb", "crdb")
_optional("playhouse.cockroachdb", "PooledCockroachDatabase", "peewee-cockroachdb",
          "cockroachdb+pool", "crdb+pool")
_optional("playhouse.cysqlite_ext", "CySqliteDatabase", "peewee-cysqlite-ext", "cysqlite")
_optional("playhouse.cysqlite_ext", "PooledCySqliteDatabase", "peewee-cysqlite-ext",
          "cysqlite+pool")
_optional("playhouse.mysql_ext", "MySQLConnectorDatabase", "peewee-mysql-ext", "mysqlconnector")
_optional("playhouse.mysql_ext", "PooledMySQLConnectorDatabase", "peewee-mysql-ext",
          "mysqlconnector+pool")
_optional("playhouse.mysql_ext", "MariaDBConnectorDatabase", "peewee-mysql-ext",
          "mariadbconnector")
_optional("playhouse.mysql_ext", "PooledMariaDBConnectorDatabase", "peewee-mysql-ext",
          "mariadbconnector+pool")


def register_database(db_class: Any, *names: str) -> None:
    """Make ``connect()`` build ``db_class`` for URLs whose scheme is one of ``names``."""
    if not callable(db_class):
        raise TypeError("register_database() needs a Database class, not %r." % (db_class,))
    if not names:
        raise ValueError("register_database() needs at least one scheme name.")
    for name in names:
        schemes[name] = db_class


def _database_class(scheme: str) -> Any:
    db_class = schemes.get(scheme)
    if db_class is not None:
        return db_class
    if scheme not in _OPTIONAL:
        known = ", ".join(sorted(set(schemes) | set(_OPTIONAL)))
        raise RuntimeError(
            'Unrecognized or unsupported scheme: "%s". Known schemes: %s. Add one with '
            "register_database()." % (scheme, known)
        )
    module_name, class_name, distribution, directory = _OPTIONAL[scheme]
    try:
        module = importlib.import_module(module_name)
        db_class = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise RuntimeError(
            'The "%s" scheme needs %s.%s, which is not installed: install the %s distribution '
            "(pip install %s, or pip install -e %s in a checkout)."
            % (scheme, module_name, class_name, distribution, distribution, directory)
        ) from exc
    schemes[scheme] = db_class
    return db_class


_TRUE = frozenset(("true", "on"))
_FALSE = frozenset(("false", "off"))
_NONE = frozenset(("none", "null"))


def _convert(value: str) -> Any:
    """A query-string value as a Python value: bool, int, float, None, or the string itself."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    if value.isdigit():
        return int(value)
    if lowered in _NONE:
        return None
    whole, dot, fraction = value.partition(".")
    if dot and whole.isdigit() and fraction.isdigit():
        return float(value)
    return value


def _to_kwargs(parsed: ParseResult, unquote_password: bool, unquote_user: bool) -> Dict[str, Any]:
    kwargs: Dict[str, Any] = {"database": parsed.path[1:]}
    if parsed.username:
        kwargs["user"] = unquote(parsed.username) if unquote_user else parsed.username
    if parsed.password:
        kwargs["password"] = unquote(parsed.password) if unquote_password else parsed.password
    if parsed.hostname:
        kwargs["host"] = parsed.hostname
    if parsed.port:
        kwargs["port"] = parsed.port
    if parsed.scheme == "mysql" and "password" in kwargs:
        kwargs["passwd"] = kwargs.pop("password")
    elif "sqlite" in parsed.scheme and not kwargs["database"]:
        kwargs["database"] = ":memory:"
    for key, value in parse_qsl(parsed.query, keep_blank_values=True):
        kwargs[key] = _convert(value)
    return kwargs


def parse(url: str, unquote_password: bool = False, unquote_user: bool = False) -> Dict[str, Any]:
    """The keyword arguments ``connect(url)`` passes to the database class."""
    return _to_kwargs(urlparse(url), unquote_password, unquote_user)


def connect(
    url: str, unquote_password: bool = False, unquote_user: bool = False, **connect_params: Any
) -> Any:
    """The database ``url`` describes; ``connect_params`` override what the URL says."""
    parsed = urlparse(url)
    kwargs = _to_kwargs(parsed, unquote_password, unquote_user)
    if "passwd" in kwargs:
        # MySQLDatabase hands ``password`` to the driver under the name it expects; PyMySQL
        # warns about ``passwd``.
        kwargs["password"] = kwargs.pop("passwd")
    kwargs.update(connect_params)
    db_class = _database_class(parsed.scheme)
    if not kwargs.get("database"):
        raise ValueError(
            '"%s" has no database name. Local databases take three slashes ("%s:///dbname"), '
            'remote ones "%s://host/dbname".' % (url, parsed.scheme, parsed.scheme)
        )
    return db_class(**kwargs)

