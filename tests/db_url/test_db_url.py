"""playhouse.db_url: URL parsing, scheme lookup, and a real connection for every scheme."""

from __future__ import annotations

import importlib
from urllib.parse import quote

import pytest

import backends
from peewee import Database, MySQLDatabase, PostgresqlDatabase, SqliteDatabase
from playhouse import db_url
from playhouse.db_url import connect, parse, register_database


def _importable(scheme):
    module_name, class_name = db_url._OPTIONAL[scheme][:2]
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError):
        return None


def _open_and_query(url, expected_class_name, **overrides):
    """Connect through ``url``, run a query, and give back the database."""
    db = connect(url, **overrides)
    try:
        assert type(db).__name__ == expected_class_name
        assert db.execute_sql("SELECT 1 + 1").fetchone()[0] == 2
    finally:
        db.close()
        if hasattr(db, "close_all"):
            db.close_all()
    return db


def _check_scheme(scheme, url, core_class=None, **overrides):
    if scheme in db_url.schemes and scheme not in db_url._OPTIONAL:
        return _open_and_query(url, core_class.__name__, **overrides)
    expected = _importable(scheme)
    if expected is None:
        distribution = db_url._OPTIONAL[scheme][2]
        with pytest.raises(RuntimeError) as info:
            connect(url, **overrides)
        assert '"%s" scheme needs' % scheme in str(info.value)
        assert distribution in str(info.value)
        return None
    return _open_and_query(url, expected.__name__, **overrides)


def _server_url(scheme, backend, query=""):
    s = backends.settings(backend)
    return "%s://%s:%s@%s:%d/%s%s" % (
        scheme, quote(s.user, safe=""), quote(s.password, safe=""), s.host, s.port,
        backends.test_database_name(), query)


# -- every scheme against a real database ---------------------------------------------------------

@pytest.mark.parametrize("scheme", ["sqlite", "sqlite+pool", "sqliteext", "sqliteext+pool",
                                    "apsw", "berkeleydb", "cysqlite"])
def test_sqlite_schemes_connect_and_query(scheme, sqlite_db, tmp_path):
    path = tmp_path / ("%s.db" % scheme.replace("+", "_"))
    db = _check_scheme(scheme, "%s:///%s" % (scheme, path), SqliteDatabase)
    if db is not None:
        assert db.database == str(path)
        assert path.exists()


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "postgres+pool", "postgresql+pool",
                                    "postgresext", "postgresqlext", "postgresext+pool",
                                    "postgresqlext+pool"])
def test_postgres_schemes_connect_and_query(scheme, pg_db):
    url = _server_url(scheme, "postgres", "?connect_timeout=5")
    db = _check_scheme(scheme, url, PostgresqlDatabase)
    if db is not None:
        assert db.database == backends.test_database_name()
        assert isinstance(db, PostgresqlDatabase)


@pytest.mark.parametrize("scheme", ["mysql", "mysql+pool"])
def test_mysql_schemes_connect_and_query(scheme, mysql_db):
    url = _server_url(scheme, "mysql", "?charset=utf8mb4&ssl_disabled=true")
    db = _check_scheme(scheme, url, MySQLDatabase)
    if db is not None:
        assert isinstance(db, MySQLDatabase)
        assert db.database == backends.test_database_name()


def test_pool_options_come_from_the_query_string(pg_db):
    pool = pytest.importorskip("playhouse.pool", reason="peewee-pool is not installed")
    url = _server_url("postgres+pool", "postgres", "?max_connections=20&stale_timeout=300")
    db = connect(url)
    try:
        assert isinstance(db, pool.PooledPostgresqlDatabase)
        assert db.execute_sql("SELECT current_database()").fetchone()[0] == pg_db.database
        assert "max_connections" not in db.connect_params
        assert "stale_timeout" not in db.connect_params
    finally:
        db.close_all()


def test_sqlite_url_forms():
    assert connect("sqlite://").database == ":memory:"
    assert connect("sqlite:///:memory:").database == ":memory:"
    assert connect("sqlite:///relative.db").database == "relative.db"
    assert connect("sqlite:////absolute/path.db").database == "/absolute/path.db"
    db = connect("sqlite:///:memory:")
    assert db.execute_sql("SELECT 40 + 2").fetchone() == (42,)
    db.close()


# -- parse() ---------------------------------------------------------------------------------------

def test_parse_returns_every_part_of_the_url():
    assert parse("postgresql://bob:secret@db.example.com:6543/app") == {
        "database": "app", "user": "bob", "password": "secret",
        "host": "db.example.com", "port": 6543}


def test_parse_mysql_gives_passwd():
    assert parse("mysql://bob:secret@localhost/app") == {
        "database": "app", "user": "bob", "passwd": "secret", "host": "localhost"}
    # Only the plain mysql scheme renames it, as peewee does.
    assert "password" in parse("mysql+pool://bob:secret@localhost/app")


def test_query_string_values_are_converted():
    params = parse("postgres://h/db?a=20&b=1.5&c=true&d=False&e=on&f=OFF&g=none&h=null"
                   "&i=text&j=&k=1.2.3&l=-3&m=0")
    assert params == {"database": "db", "host": "h", "a": 20, "b": 1.5, "c": True, "d": False,
                      "e": True, "f": False, "g": None, "h": None, "i": "text", "j": "",
                      "k": "1.2.3", "l": "-3", "m": 0}
    assert type(params["a"]) is int and type(params["m"]) is int


def test_percent_encoded_user_and_password():
    url = "postgres://us%40er:p%40ss%3Aw%2Frd@h/db"
    assert parse(url)["password"] == "p%40ss%3Aw%2Frd"
    assert parse(url, unquote_password=True)["password"] == "p@ss:w/rd"
    assert parse(url)["user"] == "us%40er"
    assert parse(url, unquote_user=True)["user"] == "us@er"


def test_mysql_url_logs_in_without_deprecated_arguments(mysql_db, recwarn):
    db = connect(_server_url("mysql", "mysql", "?ssl_disabled=true"))
    try:
        assert db.execute_sql("SELECT CURRENT_USER()").fetchone()[0].startswith("peewee@")
    finally:
        db.close()
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]


def test_percent_encoded_password_logs_in(pg_db):
    s = backends.settings("postgres")
    url = _server_url("postgres", "postgres")
    db = connect(url, unquote_password=True, unquote_user=True)
    try:
        assert db.connect_params["password"] == s.password
        assert db.execute_sql("SELECT current_user").fetchone()[0] == s.user
    finally:
        db.close()


def test_overrides_win_over_the_url():
    db = connect("sqlite:///from_url.db", database=":memory:", timeout=7)
    assert db.database == ":memory:"
    assert db.timeout == 7


# -- errors and custom schemes ---------------------------------------------------------------------

def test_unknown_scheme_names_it_and_the_known_ones():
    with pytest.raises(RuntimeError) as info:
        connect("nosuchdb://host/db")
    message = str(info.value)
    assert 'scheme: "nosuchdb"' in message
    for known in ("sqlite", "postgres", "postgresql", "mysql", "postgres+pool", "apsw"):
        assert known in message


def test_missing_distribution_is_named(monkeypatch):
    monkeypatch.setitem(db_url._OPTIONAL, "madeup+pool",
                        ("playhouse.no_such_module", "X", "peewee-no-such", "packages/no_such"))
    with pytest.raises(RuntimeError, match="install the peewee-no-such distribution") as info:
        connect("madeup+pool:///x")
    assert "packages/no_such" in str(info.value)
    assert isinstance(info.value.__cause__, ImportError)


@pytest.mark.parametrize("url", ["postgres://host", "mysql://u:p@host:3306/", "postgres:///"])
def test_a_server_url_without_a_database_is_refused(url):
    with pytest.raises(ValueError, match="has no database name"):
        connect(url)


def test_register_database_adds_schemes(monkeypatch):
    monkeypatch.setattr(db_url, "schemes", dict(db_url.schemes))

    class AuditedSqlite(SqliteDatabase):
        pass

    register_database(AuditedSqlite, "audited", "audited2")
    db = connect("audited:///:memory:")
    assert type(db) is AuditedSqlite
    assert type(connect("audited2:///:memory:")) is AuditedSqlite
    assert db.execute_sql("SELECT 1").fetchone() == (1,)


def test_register_database_rejects_bad_input():
    with pytest.raises(TypeError):
        register_database("not a class", "x")
    with pytest.raises(ValueError):
        register_database(SqliteDatabase)


def test_core_schemes_are_core_classes():
    assert db_url.schemes["sqlite"] is SqliteDatabase
    assert db_url.schemes["postgres"] is db_url.schemes["postgresql"] is PostgresqlDatabase
    assert db_url.schemes["mysql"] is MySQLDatabase
    assert all(issubclass(cls, Database) for cls in db_url.schemes.values())
