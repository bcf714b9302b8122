"""Failure handling: connections the server drops (inside and outside transactions), connection
health checks, statements without parameters, and driver errors reported as peewee's."""

from __future__ import annotations

import time

import pytest

import peewee
from peewee import DataError, InterfaceError, OperationalError
from server_sessions import backend_pid, kill_from_another_connection, second_connection


def committed(db):
    other = second_connection(db)
    try:
        return [row[0] for row in other.execute_sql("SELECT x FROM lost ORDER BY x").fetchall()]
    finally:
        other.close()


def insert(db, x):
    db.execute_sql("INSERT INTO lost (x) VALUES (%d)" % x)


LOST = (OperationalError, InterfaceError)


# A connection lost inside a transaction -----------------------------------------------------------
@pytest.mark.backends("postgres", "mysql")
def test_connection_lost_inside_atomic_fails_the_block_instead_of_reconnecting(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    first_pid = backend_pid(db)
    with pytest.raises(LOST) as block_error:
        with db.atomic():
            insert(db, 1)
            kill_from_another_connection(db, first_pid)
            with pytest.raises(LOST):
                insert(db, 2)  # the server has gone: this one fails ...
            with pytest.raises(OperationalError, match="lost inside a transaction"):
                insert(db, 3)  # ... and so does every later statement of the block
            with pytest.raises(OperationalError, match="lost inside a transaction"):
                db.connect()
            assert db.is_closed() and db.in_transaction()
        # the handler swallowed the errors: leaving the block must still fail
    assert "lost inside a transaction" in str(block_error.value)
    assert not db.in_transaction()
    assert committed(db) == []  # nothing was half-committed
    assert db.close() is False
    # Outside the block the database reconnects as usual.
    insert(db, 4)
    assert backend_pid(db) != first_pid
    assert committed(db) == [4]


@pytest.mark.backends("postgres", "mysql")
def test_connection_lost_in_a_nested_block(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    pid = backend_pid(db)
    with pytest.raises(OperationalError, match="lost inside a transaction"):
        with db.atomic():
            insert(db, 1)
            with db.atomic():
                insert(db, 2)
                kill_from_another_connection(db, pid)
                try:
                    insert(db, 3)
                except LOST:
                    pass
            insert(db, 4)  # the savepoint block ended, the transaction is still lost
    assert not db.in_transaction()
    assert committed(db) == []
    insert(db, 5)
    assert committed(db) == [5]


@pytest.mark.backends("postgres", "mysql")
def test_connection_lost_with_the_error_propagating(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    pid = backend_pid(db)
    with pytest.raises(LOST) as info:
        with db.atomic():
            insert(db, 1)
            kill_from_another_connection(db, pid)
            insert(db, 2)
    assert "lost inside a transaction" not in str(info.value)  # the driver's own error
    assert db.close() is False
    assert committed(db) == []
    insert(db, 3)
    assert committed(db) == [3]


@pytest.mark.backends("postgres", "mysql")
def test_connection_lost_inside_a_session(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    pid = backend_pid(db)
    db.session_start()
    insert(db, 1)
    kill_from_another_connection(db, pid)
    with pytest.raises(LOST):
        insert(db, 2)
    with pytest.raises(OperationalError, match="lost inside a transaction"):
        db.session_commit()
    assert not db.in_transaction()
    assert committed(db) == []
    insert(db, 3)
    assert committed(db) == [3]


@pytest.mark.backends("postgres", "mysql")
def test_connection_lost_outside_a_transaction_reconnects(db):
    db.execute_sql("CREATE TABLE lost (x INTEGER)")
    pid = backend_pid(db)
    kill_from_another_connection(db, pid)
    with pytest.raises(LOST):
        insert(db, 1)
    insert(db, 2)
    assert committed(db) == [2]


# Connection health ----------------------------------------------------------------------------------
@pytest.mark.backends("postgres", "mysql")
def test_is_connection_usable_detects_a_killed_connection(db):
    db.connect()
    assert db.is_connection_usable()
    with db.atomic():
        assert db.is_connection_usable()
    kill_from_another_connection(db, backend_pid(db))
    time.sleep(0.2)  # let the server's goodbye reach the client
    assert not db.is_connection_usable()
    db.close()
    db.connect()
    assert db.is_connection_usable()


@pytest.mark.backends("postgres")
def test_postgres_pending_notification_is_not_a_dead_connection(pg_db):
    pg_db.connect()
    conn = pg_db.connection()
    assert pg_db.is_connection_usable()
    assert pg_db.execute_sql("SELECT 1").fetchone() == (1,)
    assert pg_db.is_connection_usable()
    pg_db.execute_sql("LISTEN reliability_channel")
    other = second_connection(pg_db)
    other.execute_sql("NOTIFY reliability_channel")
    other.close()
    time.sleep(0.1)
    assert pg_db.is_connection_usable()
    assert [n.channel for n in conn.notifies] == ["reliability_channel"]


# Statements without parameters ------------------------------------------------------------------------
def test_execute_sql_without_parameters_keeps_percent_signs(db):
    db.execute_sql("CREATE TABLE words (w VARCHAR(10))")
    db.execute_sql("INSERT INTO words (w) VALUES ('abc'), ('xbc'), ('a%')")
    sql = "SELECT w FROM words WHERE w LIKE 'a%' ORDER BY w"
    assert [row[0] for row in db.execute_sql(sql).fetchall()] == ["a%", "abc"]
    assert [row[0] for row in db.execute_sql(sql, ()).fetchall()] == ["a%", "abc"]
    assert [row[0] for row in db.execute_sql(sql, []).fetchall()] == ["a%", "abc"]
    assert db.execute_sql("SELECT COUNT(*) FROM words WHERE w LIKE '%bc'").fetchone()[0] == 2


# Driver errors ------------------------------------------------------------------------------------------
@pytest.mark.backends("sqlite")
def test_integer_too_large_for_sqlite_is_a_data_error(sqlite_db):
    sqlite_db.execute_sql("CREATE TABLE n (v INTEGER)")
    with pytest.raises(DataError) as info:
        sqlite_db.execute_sql("INSERT INTO n (v) VALUES (?)", (2**70,))
    assert isinstance(info.value.__cause__, OverflowError)
    assert info.value.orig is info.value.__cause__

    class N(peewee.Model):
        v = peewee.BigIntegerField()

        class Meta:
            database = sqlite_db
            table_name = "n"

    with pytest.raises(DataError):
        N.create(v=2**64)
    assert N.select().count() == 0


def test_text_that_cannot_be_encoded_is_a_data_error(db):
    with pytest.raises(DataError) as info:
        db.execute_sql("SELECT %s" % db.dialect.param, ("\udc80",))
    assert isinstance(info.value.__cause__, UnicodeError)


@pytest.mark.backends("postgres")
def test_nul_character_on_postgres_is_a_data_error(pg_db):
    with pytest.raises(DataError) as info:
        pg_db.execute_sql("SELECT %s", ("a\x00b",))
    assert "NUL" in str(info.value)
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.backends("sqlite")
def test_errors_while_fetching_rows_are_peewee_errors(sqlite_db):
    @sqlite_db.func()
    def fails_after_two(x):
        if x > 2:
            raise ValueError("no")
        return x

    sqlite_db.execute_sql("CREATE TABLE n (v INTEGER)")
    for i in range(5):
        sqlite_db.execute_sql("INSERT INTO n (v) VALUES (?)", (i,))

    class N(peewee.Model):
        v = peewee.IntegerField()

        class Meta:
            database = sqlite_db
            table_name = "n"

    queries = [
        N.select(peewee.fn.fails_after_two(N.v).alias("v")),
        N.select(peewee.fn.fails_after_two(N.v)).tuples(),
        N.select(peewee.fn.fails_after_two(N.v)).dicts(),
        N.select(peewee.SQL("CAST(x'ff' AS TEXT)")).tuples(),
    ]
    for query in queries:
        with pytest.raises(OperationalError) as info:
            list(query)
        assert info.value.__cause__ is not None
        with pytest.raises(OperationalError):
            list(query.clone().iterator())


# SQLite introspection of awkward names ----------------------------------------------------------------
@pytest.mark.backends("sqlite")
@pytest.mark.parametrize("name", ["it's", 'say "hi"', "both ' and \""])
def test_sqlite_introspection_of_names_with_quotes(sqlite_db, name):
    quoted = '"%s"' % name.replace('"', '""')
    index = '"%s"' % ("idx " + name).replace('"', '""')
    sqlite_db.execute_sql(
        "CREATE TABLE %s (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES %s (id), v TEXT)"
        % (quoted, quoted)
    )
    sqlite_db.execute_sql("CREATE UNIQUE INDEX %s ON %s (v)" % (index, quoted))
    assert name in sqlite_db.get_tables()
    assert [c.name for c in sqlite_db.get_columns(name)] == ["id", "parent", "v"]
    assert sqlite_db.get_primary_keys(name) == ["id"]
    assert [(i.name, i.columns, i.unique) for i in sqlite_db.get_indexes(name)] == [
        ("idx " + name, ["v"], True)
    ]
    assert [(f.column, f.dest_table, f.dest_column) for f in sqlite_db.get_foreign_keys(name)] == [
        ("parent", name, "id")
    ]
    assert sqlite_db.table_exists(name)


# MariaDB flag -----------------------------------------------------------------------------------------
def test_mariadb_flag_given_set_and_declared(tmp_path):
    assert peewee.MySQLDatabase.mariadb is False
    db = peewee.MySQLDatabase("somewhere", mariadb=True)
    assert db.mariadb is True and db.dialect.mariadb is True
    db.mariadb = False
    assert db.mariadb is False and db.dialect.mariadb is False
    deferred = peewee.MySQLDatabase(None)
    assert deferred.mariadb is False
    deferred.init("somewhere", mariadb=True)
    assert deferred.dialect.mariadb is True

    class MariaDBDatabase(peewee.MySQLDatabase):
        mariadb = True

    assert MariaDBDatabase("somewhere").dialect.mariadb is True


@pytest.mark.backends("mysql")
def test_mariadb_is_detected_on_connect_unless_given(mysql_db):
    assert mysql_db.mariadb is False  # not connected yet
    mysql_db.connect()
    version = mysql_db.execute_sql("SELECT VERSION()").fetchone()[0]
    is_mariadb = "mariadb" in version.lower()
    assert mysql_db.mariadb is is_mariadb
    assert mysql_db.dialect.mariadb is is_mariadb
    other = type(mysql_db)(mysql_db.database, mariadb=not is_mariadb, **mysql_db.connect_params)
    try:
        other.connect()
        assert other.mariadb is (not is_mariadb)  # what was given wins
    finally:
        other.close()
