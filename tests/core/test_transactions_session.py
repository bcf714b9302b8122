"""session_start()/session_commit()/session_rollback(), the transaction stack and close() after
failed blocks."""

from __future__ import annotations

import pytest

import peewee
from peewee import IntegrityError, OperationalError
from server_sessions import second_connection


def setup_table(db):
    db.execute_sql("CREATE TABLE tx (id INTEGER NOT NULL PRIMARY KEY)")


def insert(db, id_):
    db.execute_sql("INSERT INTO tx (id) VALUES (%s)" % db.dialect.param, (id_,))


def committed_ids(db):
    other = second_connection(db)
    try:
        return [row[0] for row in other.execute_sql("SELECT id FROM tx ORDER BY id").fetchall()]
    finally:
        other.close()


def test_session_commit_and_rollback_without_a_transaction_return_false(db):
    assert db.session_commit() is False
    assert db.session_rollback() is False
    assert db.transaction_depth() == 0


def test_session_start_commit(db):
    setup_table(db)
    txn = db.session_start()
    assert isinstance(txn, peewee._transaction)
    assert db.top_transaction() is txn and db.transaction_depth() == 1
    insert(db, 1)
    assert committed_ids(db) == []
    assert db.session_commit() is True
    assert not db.in_transaction()
    assert committed_ids(db) == [1]


def test_session_start_rollback(db):
    setup_table(db)
    db.session_start()
    insert(db, 1)
    assert db.session_rollback() is True
    assert not db.in_transaction()
    assert committed_ids(db) == []
    assert db.session_rollback() is False


def test_nested_session_commit_commits_and_begins_again_for_the_outer_level(db):
    setup_table(db)
    db.session_start()
    db.session_start()
    assert db.transaction_depth() == 2
    insert(db, 1)
    assert db.session_commit() is True  # commits the work so far ...
    assert db.transaction_depth() == 1
    assert committed_ids(db) == [1]
    insert(db, 2)  # ... and the outer level runs in a new transaction
    assert db.session_rollback() is True
    assert db.transaction_depth() == 0
    assert committed_ids(db) == [1]


def test_nested_session_rollback_begins_again_for_the_outer_level(db):
    setup_table(db)
    db.session_start()
    db.session_start()
    insert(db, 1)
    assert db.session_rollback() is True
    insert(db, 2)
    assert db.session_commit() is True
    assert committed_ids(db) == [2]


def test_session_commit_runs_after_commit_callbacks(db):
    calls = []
    db.session_start()
    db.session_start()
    db.after_commit(lambda: calls.append("first"))
    db.session_commit()
    assert calls == ["first"]
    db.after_commit(lambda: calls.append("second"))
    db.session_rollback()
    assert calls == ["first"]


def test_atomic_inside_a_session_is_a_savepoint(db):
    setup_table(db)
    db.session_start()
    with pytest.raises(IntegrityError):
        with db.atomic():
            insert(db, 1)
            insert(db, 1)
    with db.atomic():
        insert(db, 2)
    assert db.transaction_depth() == 1
    db.session_commit()
    assert committed_ids(db) == [2]


def test_session_commit_inside_atomic_leaves_the_block_without_a_transaction(db):
    setup_table(db)
    with pytest.raises(IndexError):
        with db.atomic():
            insert(db, 1)
            assert db.session_commit() is True
            assert db.transaction_depth() == 0
    assert committed_ids(db) == [1]
    assert db.close() is True


def test_pop_transaction_of_an_empty_stack_raises_index_error(db):
    with pytest.raises(IndexError):
        db.pop_transaction()
    marker = object()
    db.push_transaction(marker)
    assert db.in_transaction() and db.top_transaction() is marker
    assert db.pop_transaction() is marker
    assert db.top_transaction() is None


def test_close_is_refused_only_while_the_block_is_open(db):
    setup_table(db)
    with pytest.raises(IntegrityError):
        with db.atomic():
            insert(db, 1)
            with pytest.raises(OperationalError, match="transaction is open"):
                db.close()
            insert(db, 1)
    assert db.close() is True


def test_close_works_after_a_block_whose_commit_failed(db):
    setup_table(db)
    original = db.commit

    def failing_commit():
        raise OperationalError("commit failed")

    db.commit = failing_commit
    try:
        with pytest.raises(OperationalError, match="commit failed"):
            with db.atomic():
                insert(db, 1)
    finally:
        db.commit = original
    assert not db.in_transaction()
    assert db.close() is True
    assert committed_ids(db) == []


def test_close_works_after_a_failed_with_database_block(db):
    setup_table(db)
    db.close()
    with pytest.raises(IntegrityError):
        with db:
            insert(db, 1)
            insert(db, 1)
    assert db.is_closed()
    assert db.close() is False


def test_atomic_decorator_runs_each_call_in_its_own_block(db):
    setup_table(db)

    @db.atomic()
    def add(id_, fail=False):
        insert(db, id_)
        if fail:
            raise ValueError("undo")
        return db.transaction_depth()

    assert add(1) == 1
    with pytest.raises(ValueError):
        add(2, fail=True)
    with db.atomic():
        assert add(3) == 1  # the nested call is a savepoint: the depth does not grow
    assert committed_ids(db) == [1, 3]


def test_manual_commit_stack(db):
    setup_table(db)
    with db.manual_commit():
        assert db.in_transaction() and db.transaction_depth() == 1
        assert isinstance(db.top_transaction(), peewee._manual)
        db.begin()
        insert(db, 1)
        db.rollback()
        db.begin()
        insert(db, 2)
        db.commit()
    assert db.transaction_depth() == 0
    assert committed_ids(db) == [2]


def test_execution_context_that_cannot_connect_restores_the_previous_connection(tmp_path):
    db = peewee.SqliteDatabase(str(tmp_path / "ok.db"))
    previous = db.connection()
    db.database = str(tmp_path / "missing" / "x.db")  # new connections now fail
    with pytest.raises(OperationalError):
        with db.execution_context():
            pass
    assert not db.is_closed() and db.connection() is previous
    assert db.transaction_depth() == 0

    other = peewee.SqliteDatabase(str(tmp_path / "missing" / "y.db"))

    class Item(peewee.Model):
        class Meta:
            database = db

    with pytest.raises(OperationalError):
        with peewee.Using(other, [Item]):
            pass
    assert Item._meta.database is db
    assert db.connection() is previous


@pytest.mark.backends("sqlite")
def test_sqlite_commit_and_rollback_without_a_transaction_are_errors(sqlite_db):
    sqlite_db.connect()
    with pytest.raises(OperationalError, match="no transaction is active"):
        sqlite_db.commit()
    with pytest.raises(OperationalError, match="no transaction is active"):
        sqlite_db.rollback()
    with sqlite_db.manual_commit():
        sqlite_db.begin()
        sqlite_db.commit()
        with pytest.raises(OperationalError):
            sqlite_db.commit()


@pytest.mark.backends("sqlite")
def test_sqlite_block_whose_transaction_sqlite_rolled_back_ends_in_an_error(sqlite_db):
    setup_table(sqlite_db)
    insert(sqlite_db, 1)
    with pytest.raises(OperationalError, match="no transaction is active"):
        with sqlite_db.atomic():
            insert(sqlite_db, 2)
            with pytest.raises(IntegrityError):
                sqlite_db.execute_sql("INSERT OR ROLLBACK INTO tx (id) VALUES (1)")
    assert not sqlite_db.in_transaction()
    assert committed_ids(sqlite_db) == [1]
    # A failing block keeps its own error even though SQLite already ended the transaction.
    with pytest.raises(IntegrityError):
        with sqlite_db.atomic():
            sqlite_db.execute_sql("INSERT OR ROLLBACK INTO tx (id) VALUES (1)")
    assert sqlite_db.close() is True
