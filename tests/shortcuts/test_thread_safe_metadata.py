"""ThreadSafeDatabaseMetadata: each thread binds a model to a database of its own."""

from __future__ import annotations

import threading

from peewee import IntegerField, Model, SqliteDatabase
from playhouse.shortcuts import ThreadSafeDatabaseMetadata


def run_in_thread(fn):
    box = {}

    def target():
        try:
            box["result"] = fn()
        except BaseException as exc:  # pragma: no cover - reported below
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["result"]


def make_models(primary):
    class Base(Model):
        class Meta:
            database = primary
            model_metadata_class = ThreadSafeDatabaseMetadata

    class Counter(Base):
        value = IntegerField()

    return Base, Counter


def test_binding_in_one_thread_leaves_the_others_alone(tmp_path, db):
    primary = SqliteDatabase(str(tmp_path / "primary.db"))
    replica = db
    Base, Counter = make_models(primary)
    assert isinstance(Counter._meta, ThreadSafeDatabaseMetadata)
    primary.create_tables([Counter])
    with replica.bind_ctx([Counter]):
        replica.create_tables([Counter])
        Counter.create(value=2)
        assert Counter._meta.database is replica

    Counter.create(value=1)

    def in_thread():
        before = Counter._meta.database
        replica.bind([Counter])
        values = [c.value for c in Counter.select()]
        replica.close()
        return before, Counter._meta.database, values

    before, after, values = run_in_thread(in_thread)
    assert before is primary and after is replica and values == [2]
    # This thread still reads and writes the primary.
    assert Counter._meta.database is primary
    assert [c.value for c in Counter.select()] == [1]
    assert Counter.select().count() == 1
    with replica.bind_ctx([Counter]):
        assert Counter.select().count() == 1
    replica.close()
    primary.close()


def test_tables_are_built_per_thread(tmp_path):
    primary = SqliteDatabase(str(tmp_path / "a.db"))
    other = SqliteDatabase(str(tmp_path / "b.db"))
    _, Counter = make_models(primary)
    table = Counter._meta.table
    assert Counter._meta.table is table
    thread_table = run_in_thread(lambda: Counter._meta.table)
    assert thread_table is not table
    assert Counter._meta.table is table
    other.bind([Counter])
    assert Counter._meta.table is not table  # rebinding rebuilds this thread's table
    assert Counter._meta.database is other


def test_subclasses_and_threads_that_never_bound_use_the_first_database(tmp_path):
    primary = SqliteDatabase(str(tmp_path / "a.db"))
    other = SqliteDatabase(str(tmp_path / "b.db"))
    Base, Counter = make_models(primary)

    class Child(Counter):
        pass

    assert isinstance(Child._meta, ThreadSafeDatabaseMetadata)
    assert Child._meta.database is primary
    other.bind([Child])
    assert run_in_thread(lambda: Child._meta.database) is primary
    assert Child._meta.database is other
    assert Counter._meta.database is primary
