"""PostgreSQL and MySQL/MariaDB specifics: lost connections, driver parameters, versions."""

from __future__ import annotations

import pytest

import peewee
from peewee import OperationalError
from server_sessions import backend_pid, kill_from_another_connection


@pytest.mark.backends("postgres", "mysql")
def test_killed_connection_is_an_operational_error_and_reconnects(db):
    first_pid = backend_pid(db)
    kill_from_another_connection(db, first_pid)
    with pytest.raises(OperationalError):
        db.execute_sql("SELECT 1")
    assert db.is_closed()
    db.connect()  # the next connect() works
    assert db.execute_sql("SELECT 1").fetchone()[0] == 1
    assert backend_pid(db) != first_pid


@pytest.mark.backends("postgres", "mysql")
def test_killed_connection_inside_atomic(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    pid = backend_pid(db)
    with pytest.raises(OperationalError):
        with db.atomic():
            db.execute_sql("INSERT INTO lost (x) VALUES (1)")
            kill_from_another_connection(db, pid)
            db.execute_sql("INSERT INTO lost (x) VALUES (2)")
    assert not db.in_transaction()
    assert db.execute_sql("SELECT COUNT(*) FROM lost").fetchone()[0] == 0


@pytest.mark.backends("postgres", "mysql")
def test_usable_after_error(db):
    db.connect()
    assert db.is_connection_usable()
    with db.atomic():
        with pytest.raises(peewee.ProgrammingError):
            with db.atomic():
                db.execute_sql("SELECT * FROM missing_table")
        assert db.is_connection_usable()
        assert db.execute_sql("SELECT 1").fetchone()[0] == 1


@pytest.mark.backends("postgres")
def test_postgres_parameters_and_version(pg_db):
    assert pg_db.connect_params["user"]
    other = peewee.PostgresqlDatabase(
        pg_db.database, encoding="LATIN1", application_name="pw-tests", **pg_db.connect_params
    )
    try:
        assert other.execute_sql("SHOW client_encoding").fetchone()[0] == "LATIN1"
        assert other.execute_sql("SHOW application_name").fetchone()[0] == "pw-tests"
        assert isinstance(other.server_version, int)
        assert other.get_noop_query() == "SELECT 0 WHERE false"
        assert other.execute_sql(other.get_noop_query()).fetchall() == []
    finally:
        other.close()


@pytest.mark.backends("postgres")
def test_postgres_dsn_url(pg_db):
    p = pg_db.connect_params
    url = "postgresql://%s:%s@%s:%s/%s" % (
        p["user"],
        p["password"],
        p["host"],
        p.get("port", 5432),
        pg_db.database,
    )
    db = peewee.PostgresqlDatabase(url)
    try:
        assert db.execute_sql("SELECT current_database()").fetchone()[0] == pg_db.database
    finally:
        db.close()


@pytest.mark.backends("postgres")
def test_postgres_sequences(pg_db):
    pg_db.execute_sql("CREATE SEQUENCE counter_seq")
    assert pg_db.sequence_exists("counter_seq")
    assert not pg_db.sequence_exists("nothing_seq")
    assert pg_db.execute_sql("SELECT nextval('counter_seq')").fetchone()[0] == 1


@pytest.mark.backends("postgres")
def test_postgres_autorollback_outside_transactions(pg_db):
    db = peewee.PostgresqlDatabase(pg_db.database, autorollback=True, **pg_db.connect_params)
    try:
        with pytest.raises(peewee.ProgrammingError):
            db.execute_sql("SELECT * FROM missing_table")
        assert db.execute_sql("SELECT 1").fetchone()[0] == 1
        assert db.is_connection_usable()
    finally:
        db.close()


@pytest.mark.backends("mysql")
def test_mysql_charset_sql_mode_and_version(mysql_db):
    assert peewee.MySQLDatabase("x").connect_params["charset"] == "utf8mb4"
    db = peewee.MySQLDatabase(
        mysql_db.database, sql_mode="PIPES_AS_CONCAT", **mysql_db.connect_params
    )
    try:
        assert db.execute_sql("SELECT 'a' || 'b'").fetchone()[0] == "ab"
        assert db.execute_sql("SELECT @@character_set_client").fetchone()[0] == "utf8mb4"
        assert isinstance(db.server_version, tuple) and len(db.server_version) == 3
        assert db.execute_sql("SELECT %s", ("\N{SNOWMAN}",)).fetchone()[0] == "\N{SNOWMAN}"
        assert list(db.execute_sql(db.get_noop_query()).fetchall()) == []
    finally:
        db.close()


@pytest.mark.backends("mysql")
def test_mysql_server_gone_away_then_reconnect(mysql_db):
    db = peewee.MySQLDatabase(mysql_db.database, **mysql_db.connect_params)
    try:
        db.execute_sql("SET SESSION wait_timeout = 1")
        import time

        time.sleep(2.5)
        with pytest.raises(OperationalError):
            db.execute_sql("SELECT 1")
        assert db.is_closed()
        assert db.connect() is True
        assert db.execute_sql("SELECT 1").fetchone()[0] == 1
    finally:
        db.close()


@pytest.mark.backends("postgres")
def test_postgres_set_time_zone(pg_db):
    pg_db.set_time_zone("America/Chicago")
    assert pg_db.execute_sql("SHOW TIME ZONE").fetchone()[0] == "America/Chicago"
    pg_db.set_time_zone("UTC")
    assert pg_db.execute_sql("SHOW TIME ZONE").fetchone()[0] == "UTC"
