"""Driver errors arrive as peewee's DB-API exception classes, with the original chained."""

from __future__ import annotations

import sqlite3

import pytest

import peewee
from peewee import (
    DatabaseError,
    DataError,
    DoesNotExist,
    ImproperlyConfigured,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PeeweeException,
    ProgrammingError,
)
from peewee.errors import ExceptionWrapper


def test_hierarchy_follows_dbapi():
    for cls in (
        DataError,
        IntegrityError,
        InternalError,
        NotSupportedError,
        OperationalError,
        ProgrammingError,
    ):
        assert issubclass(cls, DatabaseError)
    for cls in (DatabaseError, InterfaceError, ImproperlyConfigured):
        assert issubclass(cls, PeeweeException)
    assert not issubclass(InterfaceError, DatabaseError)
    assert issubclass(PeeweeException, Exception)
    assert issubclass(DoesNotExist, Exception)
    assert not issubclass(DoesNotExist, PeeweeException)


def test_wrapper_maps_by_class_name_and_chains():
    wrapper = ExceptionWrapper()
    with pytest.raises(IntegrityError) as info:
        with wrapper:
            raise sqlite3.IntegrityError("UNIQUE constraint failed: t.x")
    assert isinstance(info.value.__cause__, sqlite3.IntegrityError)
    assert info.value.orig is info.value.__cause__
    assert str(info.value) == "UNIQUE constraint failed: t.x"
    assert info.value.args == ("UNIQUE constraint failed: t.x",)


def test_wrapper_uses_the_dbapi_base_of_driver_subclasses():
    class UniqueViolation(sqlite3.IntegrityError):
        pass

    with pytest.raises(IntegrityError):
        with ExceptionWrapper():
            raise UniqueViolation("duplicate key")


def test_wrapper_leaves_other_exceptions_alone():
    with pytest.raises(KeyError):
        with ExceptionWrapper():
            raise KeyError("x")
    with pytest.raises(OperationalError) as info:
        with ExceptionWrapper():
            raise OperationalError("already peewee's")
    assert info.value.__cause__ is None


def _setup(db):
    db.execute_sql(
        "CREATE TABLE err_t (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(10) NOT NULL UNIQUE)"
    )
    db.execute_sql("INSERT INTO err_t (id, name) VALUES (1, 'a')")


def _driver_error_module(db):
    if isinstance(db, peewee.SqliteDatabase):
        return sqlite3
    if isinstance(db, peewee.PostgresqlDatabase):
        import psycopg2

        return psycopg2
    import pymysql

    return pymysql


def test_integrity_error_on_every_backend(db):
    _setup(db)
    driver = _driver_error_module(db)
    with pytest.raises(IntegrityError) as info:
        db.execute_sql("INSERT INTO err_t (id, name) VALUES (2, 'a')")
    assert isinstance(info.value.__cause__, driver.IntegrityError)
    with pytest.raises(IntegrityError):
        db.execute_sql("INSERT INTO err_t (id, name) VALUES (3, NULL)")
    # The database is still usable and the failed rows are not there.
    assert db.execute_sql("SELECT COUNT(*) FROM err_t").fetchone()[0] == 1


def test_check_constraint_violation_is_an_integrity_error(db):
    class Stock(peewee.Model):
        quantity = peewee.IntegerField(constraints=[peewee.Check("quantity >= 0")])

        class Meta:
            database = db

    db.create_tables([Stock])
    Stock.create(quantity=1)
    with pytest.raises(IntegrityError) as info:
        Stock.create(quantity=-1)
    # The driver's own exception is chained, whatever class the driver gave it.
    assert info.value.__cause__ is info.value.orig
    assert isinstance(info.value.orig, _driver_error_module(db).DatabaseError)
    with pytest.raises(IntegrityError):
        with db.atomic():
            Stock.create(quantity=2)
            Stock.update(quantity=Stock.quantity - 5).execute()
    assert [s.quantity for s in Stock.select()] == [1]


@pytest.mark.backends("mysql")
def test_mysql_check_violation_codes_become_integrity_errors(mysql_db):
    import pymysql

    mysql_db.execute_sql("CREATE TABLE err_ck (n INTEGER CHECK (n > 0))")
    with pytest.raises(IntegrityError) as info:
        mysql_db.execute_sql("INSERT INTO err_ck (n) VALUES (%s)", (-1,))
    cause = info.value.__cause__
    # MariaDB reports 4025 and MySQL 8 reports 3819, both filed by pymysql as OperationalError.
    assert cause.args[0] in (3819, 4025)
    assert isinstance(cause, pymysql.err.OperationalError)
    assert info.value.args == cause.args
    # Other operational errors keep their class.
    with pytest.raises(OperationalError):
        mysql_db.execute_sql("SELECT no_such_column FROM err_ck")


def test_wrapper_maps_error_codes_before_class_names():
    class OperationalError(Exception):
        pass

    wrapper = ExceptionWrapper(codes={4025: IntegrityError})
    translated = wrapper.translate(OperationalError(4025, "CONSTRAINT failed"))
    assert type(translated) is IntegrityError
    assert translated.args == (4025, "CONSTRAINT failed")
    assert type(wrapper.translate(OperationalError(1054, "unknown column"))).__name__ == "OperationalError"
    assert isinstance(wrapper.translate(OperationalError("no code")), peewee.OperationalError)
    plain = ValueError(4025)
    assert wrapper.translate(plain) is plain


def test_unknown_table_error_keeps_the_driver_class_name(db):
    driver = _driver_error_module(db)
    with pytest.raises(DatabaseError) as info:
        db.execute_sql("SELECT * FROM no_such_table_here")
    cause = info.value.__cause__
    assert isinstance(cause, driver.DatabaseError)
    # Whatever class the driver chose, peewee's has the same DB-API name.
    dbapi_names = {"OperationalError", "ProgrammingError"}
    driver_name = next(k.__name__ for k in type(cause).__mro__ if k.__name__ in dbapi_names)
    assert type(info.value).__name__ == driver_name


def test_syntax_error(db):
    with pytest.raises((ProgrammingError, OperationalError)) as info:
        db.execute_sql("SELEC 1")
    assert info.value.__cause__ is not None


@pytest.mark.backends("postgres", "mysql")
def test_data_error_on_servers(db):
    db.execute_sql("CREATE TABLE err_d (n SMALLINT)")
    if isinstance(db, peewee.MySQLDatabase):
        db.execute_sql("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")
    with pytest.raises(DataError):
        db.execute_sql("INSERT INTO err_d (n) VALUES (%s)", (10**9,))


def test_connecting_to_a_missing_server_is_an_operational_error():
    db = peewee.PostgresqlDatabase("nope", host="127.0.0.1", port=1, connect_timeout=1)
    with pytest.raises(OperationalError):
        db.connect()
    assert db.is_closed()


def test_missing_driver_is_improperly_configured(monkeypatch):
    from peewee.backends import mysql as mysql_backend
    from peewee.backends import postgres as pg_backend

    monkeypatch.setattr(pg_backend, "psycopg2", None)
    monkeypatch.setattr(mysql_backend, "mysql", None)
    with pytest.raises(ImproperlyConfigured, match="Postgres driver not installed!"):
        peewee.PostgresqlDatabase("x").connect()
    with pytest.raises(ImproperlyConfigured, match="MySQL driver not installed!"):
        peewee.MySQLDatabase("x").connect()
