"""``Database.query_hooks``: the ``QueryEvent`` each hook receives for successful and failing
statements, on every backend."""

from __future__ import annotations

import pytest

from peewee import IntegerField, Model, OperationalError, ProgrammingError, QueryEvent


def test_query_event_fields():
    event = QueryEvent("SELECT 1", [1], 0.25, None)
    assert event._fields == ("sql", "params", "duration", "exception")
    assert (event.sql, event.params, event.duration, event.exception) == ("SELECT 1", [1], 0.25, None)


def test_hooks_see_every_statement(db):
    events = []
    db.query_hooks.append(events.append)

    class Counter(Model):
        value = IntegerField()

        class Meta:
            database = db
            table_name = "hook_counter"

    db.create_tables([Counter])
    Counter.create(value=3)
    assert Counter.select().where(Counter.value == 3).count() == 1
    inserts = [e for e in events if e.sql.startswith("INSERT")]
    assert len(inserts) == 1
    assert list(inserts[0].params) == [3]
    assert inserts[0].exception is None
    selects = [e for e in events if e.sql.startswith("SELECT COUNT")]
    assert len(selects) == 1 and list(selects[0].params) == [3, 1]  # count() asks for one row
    assert all(isinstance(e.duration, float) and e.duration >= 0 for e in events)


def test_failing_statement_reports_the_peewee_exception(db):
    events = []
    db.query_hooks.append(events.append)
    with pytest.raises((OperationalError, ProgrammingError)) as info:
        db.execute_sql("SELECT no_such_column FROM no_such_table")
    assert len(events) == 1
    event = events[0]
    assert event.sql == "SELECT no_such_column FROM no_such_table"
    assert event.params is None
    assert event.exception is info.value


def test_several_hooks_run_in_order_and_can_be_removed(sqlite_db):
    seen = []

    def first(event):
        seen.append(("first", event.sql))

    def second(event):
        seen.append(("second", event.sql))

    sqlite_db.query_hooks.extend([first, second])
    sqlite_db.execute_sql("SELECT 1")
    assert seen == [("first", "SELECT 1"), ("second", "SELECT 1")]
    sqlite_db.query_hooks.remove(first)
    sqlite_db.execute_sql("SELECT 2")
    assert seen[-1] == ("second", "SELECT 2") and len(seen) == 3


def test_hook_errors_propagate(sqlite_db):
    def broken(event):
        raise ValueError("hook failed")

    sqlite_db.query_hooks.append(broken)
    with pytest.raises(ValueError, match="hook failed"):
        sqlite_db.execute_sql("SELECT 1")
    with pytest.raises(ValueError) as info:
        sqlite_db.execute_sql("SELECT nope")
    assert isinstance(info.value.__context__, OperationalError)


def test_hooks_are_per_database(sqlite_db, tmp_path):
    from peewee import SqliteDatabase

    other = SqliteDatabase(str(tmp_path / "other.db"))
    events = []
    sqlite_db.query_hooks.append(events.append)
    other.execute_sql("SELECT 1")
    assert events == [] and other.query_hooks == []
    other.close()
