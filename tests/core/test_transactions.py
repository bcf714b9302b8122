"""Transactions: atomic blocks, nesting with savepoints, manual control and failure handling."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import warnings

import pytest

import peewee
from peewee import IntegrityError, SqliteDatabase
from server_sessions import second_connection


def setup_table(db):
    db.execute_sql("CREATE TABLE tx (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20) UNIQUE)")


def insert(db, id_, name=None):
    p = db.dialect.param
    db.execute_sql("INSERT INTO tx (id, name) VALUES (%s, %s)" % (p, p), (id_, name or "n%d" % id_))


def ids(db):
    return [row[0] for row in db.execute_sql("SELECT id FROM tx ORDER BY id").fetchall()]


def ids_seen_by_another_connection(db):
    other = second_connection(db)
    try:
        return ids(other)
    finally:
        other.close()


def test_atomic_commits_on_success(db):
    setup_table(db)
    with db.atomic() as txn:
        assert isinstance(txn, peewee._transaction)
        assert db.in_transaction() and db.transaction_depth() == 1
        assert db.top_transaction() is txn
        insert(db, 1)
        assert ids_seen_by_another_connection(db) == []
    assert not db.in_transaction()
    assert ids_seen_by_another_connection(db) == [1]


def test_exception_in_atomic_leaves_no_partial_rows(db):
    setup_table(db)
    insert(db, 1, "taken")
    with pytest.raises(IntegrityError):
        with db.atomic():
            insert(db, 2)
            insert(db, 3)
            insert(db, 4, "taken")  # fails: everything in the block is undone
    assert ids(db) == [1]
    assert ids_seen_by_another_connection(db) == [1]
    # The connection is usable afterwards.
    insert(db, 5)
    assert ids(db) == [1, 5]


def test_savepoints_nested_three_deep(db):
    setup_table(db)
    with db.atomic():
        insert(db, 1)
        with db.atomic() as sp1:
            assert isinstance(sp1, peewee._savepoint)
            insert(db, 2)
            with db.atomic():
                insert(db, 3)
                with pytest.raises(ValueError):
                    with db.atomic():
                        insert(db, 4)
                        raise ValueError("undo level three")
                insert(db, 5)
            assert db.transaction_depth() == 1
        with pytest.raises(IntegrityError):
            with db.atomic():
                insert(db, 6)
                insert(db, 7, "n1")
        insert(db, 8)
        assert ids_seen_by_another_connection(db) == []
    assert ids_seen_by_another_connection(db) == [1, 2, 3, 5, 8]


def test_commit_and_rollback_inside_atomic_start_a_new_transaction(db):
    setup_table(db)
    with db.atomic() as txn:
        insert(db, 1)
        txn.commit()
        assert ids_seen_by_another_connection(db) == [1]
        insert(db, 2)
        txn.rollback()
        assert db.in_transaction()
        insert(db, 3)
    assert ids_seen_by_another_connection(db) == [1, 3]


def test_nested_atomic_commit_and_rollback_restart_the_savepoint(db):
    setup_table(db)
    with db.atomic():
        with db.atomic() as sp:
            insert(db, 1)
            sp.rollback()
            insert(db, 2)
            sp.commit()
            insert(db, 3)
    assert ids(db) == [2, 3]


def test_savepoint_commit_and_rollback_set_the_savepoint_again(db, caplog):
    setup_table(db)
    caplog.set_level(logging.DEBUG, logger="peewee")
    with db.transaction():
        with db.savepoint() as sp:
            insert(db, 1)
            sp.rollback()
            insert(db, 2)
        with db.savepoint() as sp:
            insert(db, 3)
            sp.commit()
            insert(db, 4)  # covered by the new savepoint
            sp.rollback()
            insert(db, 5)
    statements = [r.msg[0] for r in caplog.records if r.name == "peewee"]
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 5
    assert ids(db) == [2, 3, 5]


def test_savepoint_commit_without_begin_leaves_the_rest_to_the_transaction(db, caplog):
    setup_table(db)
    caplog.set_level(logging.DEBUG, logger="peewee")
    with db.transaction():
        with db.savepoint() as sp:
            insert(db, 1)
            sp.commit(begin=False)
            insert(db, 2)
    statements = [r.msg[0] for r in caplog.records if r.name == "peewee"]
    assert [s.split()[0] for s in statements if "SAVEPOINT" in s] == ["SAVEPOINT", "RELEASE"]
    assert ids(db) == [1, 2]


def test_transaction_joins_an_open_transaction(db):
    setup_table(db)
    with db.transaction():
        insert(db, 1)
        with db.transaction() as inner:
            insert(db, 2)
            assert db.transaction_depth() == 2
            assert inner is db.top_transaction()
        assert ids_seen_by_another_connection(db) == []
    assert ids_seen_by_another_connection(db) == [1, 2]


def test_atomic_as_decorator(db):
    setup_table(db)

    @db.atomic()
    def add(n, fail=False):
        insert(db, n)
        if fail:
            raise RuntimeError
        return db.transaction_depth()

    assert add(1) == 1
    with pytest.raises(RuntimeError):
        add(2, fail=True)
    with db.atomic():
        assert add(3) == 1  # nested: a savepoint inside the outer transaction
    assert ids(db) == [1, 3]


def test_manual_commit(db):
    setup_table(db)
    with db.manual_commit():
        db.begin()
        insert(db, 1)
        db.rollback()
        db.begin()
        insert(db, 2)
        db.commit()
        with pytest.raises(
            ValueError, match="Cannot enter atomic commit block while in manual commit mode."
        ):
            with db.atomic():
                pass
    with db.atomic():
        with pytest.raises(
            ValueError, match="Cannot enter manual commit block while a transaction is active."
        ):
            with db.manual_commit():
                pass
    assert ids_seen_by_another_connection(db) == [2]


def test_session_start_commit_rollback(db):
    setup_table(db)
    db.session_start()
    insert(db, 1)
    assert db.in_transaction()
    assert db.session_rollback() is True
    assert not db.in_transaction()
    db.session_start()
    insert(db, 2)
    assert db.session_commit() is True
    assert db.session_commit() is False
    assert ids_seen_by_another_connection(db) == [2]


def test_batch_commit(db):
    setup_table(db)
    depths = []
    committed = []
    for n in db.batch_commit(iter(range(1, 8)), 3):
        # What another connection sees before this item is written: whole batches only.
        committed.append(ids_seen_by_another_connection(db))
        insert(db, n)
        depths.append(db.transaction_depth())
    assert depths == [1] * 7
    assert committed == [[]] * 3 + [[1, 2, 3]] * 3 + [[1, 2, 3, 4, 5, 6]]
    assert ids_seen_by_another_connection(db) == list(range(1, 8))


def test_batch_commit_failure_undoes_only_the_current_batch(db):
    setup_table(db)
    seen = []
    with pytest.raises(IntegrityError):
        for n in db.batch_commit([1, 2, 3, 4, 5], 2):
            seen.append(n)
            insert(db, n, "n1" if n == 4 else None)  # 4 repeats 1's unique name
    assert not db.in_transaction()
    # The batch (1, 2) was committed; (3, 4) failed on 4 and was rolled back; 5 never ran.
    assert seen == [1, 2, 3, 4]
    assert ids_seen_by_another_connection(db) == [1, 2]


def test_explicit_begin_commit_with_old_autocommit_false(db):
    setup_table(db)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        old = type(db)(db.database, autocommit=False, **db.connect_params)
    try:
        old.begin()
        insert(old, 1)
        assert ids_seen_by_another_connection(db) == []
        old.commit()
        assert ids_seen_by_another_connection(db) == [1]
        old.begin()
        insert(old, 2)
        old.rollback()
        assert ids(old) == [1]
    finally:
        old.close()


def _old_style(db):
    with pytest.warns(DeprecationWarning):
        return type(db)(db.database, autocommit=False, **db.connect_params)


def test_autocommit_false_keeps_statements_until_commit(db):
    setup_table(db)
    old = _old_style(db)
    try:
        insert(old, 1)
        insert(old, 2)
        # Nothing is committed yet: another connection sees no rows, this one sees both.
        assert ids_seen_by_another_connection(db) == []
        assert ids(old) == [1, 2]
        old.commit()
        assert ids_seen_by_another_connection(db) == [1, 2]
        insert(old, 3)
        old.rollback()
        assert ids(old) == [1, 2]
        old.commit()
        assert ids_seen_by_another_connection(db) == [1, 2]
    finally:
        old.close()


def test_autocommit_false_with_atomic_and_on_close(db):
    setup_table(db)
    old = _old_style(db)
    try:
        with old.atomic():
            insert(old, 1)
        assert ids_seen_by_another_connection(db) == [1]
        # A statement before an atomic block joins the implicit transaction, which the block
        # commits together with its own work.
        insert(old, 2)
        with old.atomic():
            insert(old, 3)
        assert ids_seen_by_another_connection(db) == [1, 2, 3]
        with pytest.raises(IntegrityError):
            with old.atomic():
                insert(old, 4)
                insert(old, 5, "n1")
        # A failing block rolls back the pending work it joined as well.
        insert(old, 7)
        with pytest.raises(IntegrityError):
            with old.atomic():
                insert(old, 8)
                insert(old, 9, "n1")
        assert ids(old) == [1, 2, 3]
        insert(old, 6)
    finally:
        old.close()
    # Closing without commit() discards the pending work.
    assert ids_seen_by_another_connection(db) == [1, 2, 3]


def test_autocommit_false_is_per_thread(db):
    setup_table(db)
    old = _old_style(db)
    seen = []

    def work():
        # This thread has its own connection and its own implicit transaction.
        seen.append(ids(old))
        old.rollback()
        old.close()

    try:
        insert(old, 1)
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert seen == [[]]
        # The other thread's rollback did not touch this thread's pending row.
        assert ids(old) == [1]
        old.commit()
        assert ids_seen_by_another_connection(db) == [1]
    finally:
        old.close()


def test_execution_context_commits_or_rolls_back_its_block(db):
    setup_table(db)
    with db.execution_context():
        insert(db, 1)
        assert ids_seen_by_another_connection(db) == []
    assert ids_seen_by_another_connection(db) == [1]
    with pytest.raises(IntegrityError):
        with db.execution_context():
            insert(db, 2)
            insert(db, 3, "n1")
    assert ids_seen_by_another_connection(db) == [1]

    calls = []

    @db.execution_context()
    def work(n):
        calls.append(db.connection())
        insert(db, n)
        assert n not in ids_seen_by_another_connection(db)

    work(4)
    work(5)
    assert ids_seen_by_another_connection(db) == [1, 4, 5]
    # Each call ran on a connection of its own, closed afterwards.
    assert calls[0] is not calls[1]
    assert all(conn is not db.connection() for conn in calls)
    assert all(driver_connection_closed(conn) for conn in calls)


def driver_connection_closed(conn):
    if hasattr(conn, "open"):  # pymysql
        return not conn.open
    if isinstance(getattr(conn, "closed", None), int):  # psycopg2
        return bool(conn.closed)
    try:  # sqlite3
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_execution_context_uses_its_own_connection(db):
    setup_table(db)
    outer = db.connection()
    with db.execution_context() as ctx:
        assert db.connection() is not outer
        assert db.in_transaction()
        insert(db, 1)
    assert db.connection() is outer
    assert ids(db) == [1]

    @db.execution_context(with_transaction=False)
    def work():
        assert not db.in_transaction()
        insert(db, 2)
        return db.connection()

    assert work() is not outer
    assert ids(db) == [1, 2]
    assert ctx is not None


@pytest.mark.backends("sqlite")
def test_sqlite_lock_modes(db, caplog, tmp_path):
    setup_table(db)
    for n, mode in enumerate(("IMMEDIATE", "EXCLUSIVE", "DEFERRED")):
        with db.atomic(mode):
            insert(db, n)
    with db.atomic(lock_type="IMMEDIATE"):
        assert db.connection().in_transaction
        # Another writer cannot start while the immediate lock is held.
        other = SqliteDatabase(db.database, timeout=0)
        with pytest.raises(peewee.OperationalError):
            other.execute_sql("BEGIN IMMEDIATE")
        other.close()
    with pytest.raises(ValueError):
        with db.atomic("SOMETIMES"):
            pass
    assert not db.in_transaction()


@pytest.mark.backends("postgres", "mysql")
def test_isolation_level_per_transaction(db):
    setup_table(db)
    with db.atomic(isolation_level="SERIALIZABLE"):
        assert current_isolation(db) == "SERIALIZABLE"
    with db.atomic():
        assert current_isolation(db) != "SERIALIZABLE"
    with db.atomic(isolation_level="READ COMMITTED"):
        assert current_isolation(db) == "READ COMMITTED"


def current_isolation(db):
    """The isolation level of the transaction in progress."""
    if isinstance(db, peewee.PostgresqlDatabase):
        level = db.execute_sql("SHOW transaction_isolation").fetchone()[0]
    else:
        db.execute_sql("SELECT * FROM tx").fetchall()  # makes InnoDB register the transaction
        time.sleep(0.2)  # InnoDB refreshes its transaction table at most every 0.1 s
        level = db.execute_sql(
            "SELECT trx_isolation_level FROM information_schema.innodb_trx "
            "WHERE trx_mysql_thread_id = CONNECTION_ID()"
        ).fetchone()[0]
    return level.upper().replace("-", " ")


@pytest.mark.backends("postgres", "mysql")
def test_isolation_level_for_the_database(db):
    other = type(db)(db.database, isolation_level="REPEATABLE READ", **db.connect_params)
    try:
        with other.atomic():
            level = session_isolation(other)
        assert level == "REPEATABLE READ"
    finally:
        other.close()
    other = type(db)(db.database, isolation_level="SERIALIZABLE", **db.connect_params)
    try:
        assert session_isolation(other) == "SERIALIZABLE"
    finally:
        other.close()


def session_isolation(db):
    """The session's default isolation level (MySQL 8 and MariaDB 11 name the variable
    transaction_isolation, older servers tx_isolation)."""
    if isinstance(db, peewee.PostgresqlDatabase):
        level = db.execute_sql("SHOW transaction_isolation").fetchone()[0]
    else:
        try:
            level = db.execute_sql("SELECT @@transaction_isolation").fetchone()[0]
        except peewee.OperationalError:
            level = db.execute_sql("SELECT @@tx_isolation").fetchone()[0]
    return level.upper().replace("-", " ")


@pytest.mark.backends("postgres")
def test_postgres_set_isolation_level(db):
    db.connect()
    db.set_isolation_level("SERIALIZABLE")
    assert db.isolation_level == "SERIALIZABLE"
    assert session_isolation(db) == "SERIALIZABLE"  # the open connection
    db.close()
    assert session_isolation(db) == "SERIALIZABLE"  # and new ones
    db.set_isolation_level(None)
    assert session_isolation(db) == "READ COMMITTED"


@pytest.mark.backends("postgres")
def test_postgres_psycopg2_isolation_constant(db):
    from psycopg2.extensions import ISOLATION_LEVEL_SERIALIZABLE

    other = peewee.PostgresqlDatabase(
        db.database, isolation_level=ISOLATION_LEVEL_SERIALIZABLE, **db.connect_params
    )
    try:
        with other.atomic():
            assert other.execute_sql("SHOW transaction_isolation").fetchone()[0] == "serializable"
    finally:
        other.close()


def test_using_rebinds_models_for_the_block(db, tmp_path):
    from peewee import CharField, Model

    elsewhere = SqliteDatabase(str(tmp_path / "elsewhere.db"))

    class Note(Model):
        text = CharField()

        class Meta:
            database = elsewhere

    with db.bind_ctx([Note]):
        db.create_tables([Note])
    outer = db.connection()
    with peewee.Using(db, [Note]):
        assert Note._meta.database is db
        assert db.connection() is not outer and db.in_transaction()
        Note.create(text="hello")
        # Not committed until the block ends.
        assert db.execute_sql("SELECT COUNT(*) FROM note").fetchone()[0] == 1
        other = second_connection(db)
        assert other.execute_sql("SELECT COUNT(*) FROM note").fetchone()[0] == 0
        other.close()
    assert Note._meta.database is elsewhere
    assert db.connection() is outer
    assert [r[0] for r in db.execute_sql("SELECT text FROM note").fetchall()] == ["hello"]
    with pytest.raises(ZeroDivisionError):
        with peewee.Using(db, [Note]):
            Note.create(text="lost")
            raise ZeroDivisionError
    assert Note._meta.database is elsewhere
    assert [r[0] for r in db.execute_sql("SELECT text FROM note").fetchall()] == ["hello"]
    assert not elsewhere.table_exists("note")
    elsewhere.close()


@pytest.mark.backends("sqlite")
def test_sqlite_default_lock_type(db, caplog):
    locking = SqliteDatabase(db.database, lock_type="IMMEDIATE", timeout=0)
    setup_table(locking)
    with locking.atomic():
        insert(locking, 1)
        other = SqliteDatabase(db.database, timeout=0)
        with pytest.raises(peewee.OperationalError, match="locked"):
            other.execute_sql("BEGIN IMMEDIATE")
        other.close()
    with locking.atomic("DEFERRED"):
        other = SqliteDatabase(db.database, timeout=0)
        other.execute_sql("BEGIN IMMEDIATE")  # nothing is locked yet
        other.rollback()
        other.close()
    locking.close()


def test_after_commit_callbacks(db):
    setup_table(db)
    calls = []
    db.after_commit(lambda: calls.append("now"))
    assert calls == ["now"]
    with db.atomic():
        insert(db, 1)
        db.after_commit(lambda: calls.append(ids_seen_by_another_connection(db)))
        with db.atomic():
            db.after_commit(lambda: calls.append("nested"))
        assert calls == ["now"]
    assert calls == ["now", [1], "nested"]
    with pytest.raises(RuntimeError):
        with db.atomic():
            db.after_commit(lambda: calls.append("rolled back"))
            raise RuntimeError
    with db.atomic() as txn:
        db.after_commit(lambda: calls.append("manual"))
        txn.commit()
        assert calls[-1] == "manual"
        db.after_commit(lambda: calls.append("discarded"))
        txn.rollback()
    assert calls == ["now", [1], "nested", "manual"]
    with db.manual_commit():
        with pytest.raises(ValueError):
            db.after_commit(lambda: None)


def test_failing_after_commit_callback_keeps_the_commit(db):
    setup_table(db)

    def boom():
        raise LookupError("callback failed")

    with pytest.raises(LookupError):
        with db.atomic():
            insert(db, 1)
            db.after_commit(boom)
    assert not db.in_transaction()
    assert ids_seen_by_another_connection(db) == [1]
