"""ReconnectMixin: a statement that fails because the connection is gone is run again on a new
connection, outside transactions only.  On the servers the connection is killed for real."""

from __future__ import annotations

import time

import pytest

from peewee import (
    InterfaceError,
    MySQLDatabase,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
)
from playhouse.shortcuts import ReconnectMixin

PG_FRAGMENTS = (
    (OperationalError, "server closed the connection"),
    (InterfaceError, "connection already closed"),
    (OperationalError, "terminating connection"),
    (OperationalError, "the connection is closed"),
)


class ReconnectMySQL(ReconnectMixin, MySQLDatabase):
    pass


class ReconnectPostgres(ReconnectMixin, PostgresqlDatabase):
    reconnect_errors = ReconnectMixin.reconnect_errors + PG_FRAGMENTS


class PlainReconnectPostgres(ReconnectMixin, PostgresqlDatabase):
    pass


def reconnecting(db, cls=None):
    if cls is None:
        cls = ReconnectPostgres if isinstance(db, PostgresqlDatabase) else ReconnectMySQL
    return cls(db.database, **db.connect_params)


def session_id(db):
    sql = "SELECT pg_backend_pid()" if isinstance(db, PostgresqlDatabase) else "SELECT CONNECTION_ID()"
    return db.execute_sql(sql).fetchone()[0]


def kill(admin, session):
    if isinstance(admin, PostgresqlDatabase):
        # The timeout makes the call wait until the session has ended.
        admin.execute_sql("SELECT pg_terminate_backend(%s, 5000)", (session,))
    else:
        admin.execute_sql("KILL %s" % int(session))
        time.sleep(0.2)  # let the server close the socket


@pytest.fixture
def pair(db):
    """A reconnecting database and a plain one to kill its sessions with."""
    rdb = reconnecting(db)
    admin = type(db)(db.database, **db.connect_params)
    yield rdb, admin
    for database in (rdb, admin):
        try:
            database.close()
        except Exception:
            database.dispose()


@pytest.mark.backends("postgres", "mysql")
def test_killed_connection_is_replaced_and_the_statement_retried(pair):
    rdb, admin = pair
    first = session_id(rdb)
    kill(admin, first)
    second = session_id(rdb)
    assert second != first
    assert not rdb.is_closed()
    assert rdb.execute_sql("SELECT 1").fetchone() == (1,)


@pytest.mark.backends("postgres", "mysql")
def test_no_retry_inside_a_transaction(pair):
    rdb, admin = pair
    with pytest.raises((OperationalError, InterfaceError)):
        with rdb.atomic():
            kill(admin, session_id(rdb))
            rdb.execute_sql("SELECT 1")
    # Outside the transaction the next statement works again.
    assert rdb.execute_sql("SELECT 1").fetchone() == (1,)


@pytest.mark.backends("postgres", "mysql")
def test_begin_after_a_kill_reconnects(pair):
    rdb, admin = pair
    first = session_id(rdb)
    kill(admin, first)
    with rdb.atomic():
        assert session_id(rdb) != first


@pytest.mark.backends("postgres")
def test_default_errors_do_not_cover_postgresql(db):
    rdb = reconnecting(db, PlainReconnectPostgres)
    admin = type(db)(db.database, **db.connect_params)
    try:
        kill(admin, session_id(rdb))
        with pytest.raises(OperationalError):
            rdb.execute_sql("SELECT 1")
    finally:
        admin.close()
        rdb.dispose()


class FlakySqlite(ReconnectMixin, SqliteDatabase):
    """Fails the next ``failures`` statements with ``error`` (for checking the matching rules)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.failures = []
        self.calls = 0
        self.connects = 0

    def _connect(self):
        self.connects += 1
        return super()._connect()

    def _run(self, *args, **kwargs):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)

    def execute_sql(self, sql, params=None, *args, **kwargs):
        return self._reconnect(self._flaky, sql, params)

    def _flaky(self, sql, params):
        self._run()
        return SqliteDatabase.execute_sql(self, sql, params)


def test_matching_error_reconnects_once_and_retries():
    db = FlakySqlite(":memory:")
    db.connect()
    db.failures = [OperationalError("(2006, 'MySQL server has gone away')")]
    assert db.execute_sql("SELECT 1").fetchone() == (1,)
    assert (db.calls, db.connects) == (2, 2)
    # The retry's own failure propagates: one retry only.
    db.failures = [OperationalError("2013 lost"), OperationalError("2013 lost again")]
    with pytest.raises(OperationalError, match="lost again"):
        db.execute_sql("SELECT 1")
    assert db.calls == 4


def test_fragments_match_case_insensitively_and_classes_exactly():
    db = FlakySqlite(":memory:")
    db.failures = [OperationalError("mysql CONNECTION NOT AVAILABLE.")]
    assert db.execute_sql("SELECT 2").fetchone() == (2,)

    class Narrower(OperationalError):
        pass

    for error in (Narrower("2006"), InterfaceError("2006"), OperationalError("1205 deadlock")):
        db.failures = [error]
        with pytest.raises(type(error)):
            db.execute_sql("SELECT 1")
    db.failures = [InterfaceError("(0, '')")]
    assert db.execute_sql("SELECT 3").fetchone() == (3,)


def test_inside_a_transaction_the_error_is_raised():
    db = FlakySqlite(":memory:")
    with db.atomic():
        db.failures = [OperationalError("2006")]
        with pytest.raises(OperationalError):
            db.execute_sql("SELECT 1")
    assert db.connects == 1


def test_custom_reconnect_errors_are_normalised():
    class Custom(FlakySqlite):
        reconnect_errors = ((OperationalError, "Server Gone"),)

    db = Custom(":memory:")
    assert db._reconnect_errors == {OperationalError: ["server gone"]}
    db.failures = [OperationalError("the SERVER GONE away")]
    assert db.execute_sql("SELECT 1").fetchone() == (1,)
    db.failures = [OperationalError("2006")]
    with pytest.raises(OperationalError):
        db.execute_sql("SELECT 1")
