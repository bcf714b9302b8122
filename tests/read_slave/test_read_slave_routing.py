"""ReadSlaveModel routing, on every backend.  The "replicas" here are further database objects
on the test database itself, each counting the statements it runs, so where every statement went
is known exactly; tests against a real standby are in test_read_slave_replica.py."""

from __future__ import annotations

import logging

import pytest

from peewee import (
    CharField,
    IntegerField,
    OperationalError,
    PostgresqlDatabase,
    SqliteDatabase,
    Using,
)
from playhouse import read_slave
from playhouse.read_slave import ReadSlaveModel


def counting(database, name):
    """Record every SQL statement ``database`` runs in ``database.statements``."""
    database.statements = []
    database.name = name
    plain = database.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        database.statements.append(sql)
        return plain(sql, params, *args, **kwargs)

    database.execute_sql = execute_sql
    return database


def twin(db, name, **overrides):
    params = dict(db.connect_params)
    params.update(overrides)
    return counting(type(db)(db.database, **params), name)


@pytest.fixture
def setup(db):
    primary = counting(db, "primary")
    r1, r2 = twin(db, "r1"), twin(db, "r2")

    class Base(ReadSlaveModel):
        class Meta:
            database = primary
            read_slaves = (r1, r2)

    class Item(Base):
        name = CharField()
        qty = IntegerField(default=0)

    primary.create_tables([Item])
    yield Item, primary, r1, r2
    read_slave._down_until.clear()
    for database in (r1, r2):
        database.close()


def where(*databases):
    """How many statements each database ran so far."""
    return tuple(len(d.statements) for d in databases)


def test_selects_alternate_between_the_replicas(setup):
    Item, primary, r1, r2 = setup
    Item.create(name="a")
    before = where(primary, r1, r2)
    names = [[i.name for i in Item.select()] for _ in range(4)]
    assert names == [["a"]] * 4
    assert where(primary, r1, r2) == (before[0], before[1] + 2, before[2] + 2)
    expected = 'SELECT "t1"."id", "t1"."name", "t1"."qty" FROM "item" AS "t1"'
    if "mysql" in type(primary).__name__.lower():
        expected = expected.replace('"', "`")
    assert r1.statements == r2.statements == [expected] * 2


def test_writes_and_ddl_run_on_the_primary(setup):
    Item, primary, r1, r2 = setup
    item = Item.create(name="a")
    item.qty = 3
    item.save()
    Item.update(qty=Item.qty + 1).execute()
    Item.insert_many([{"name": "b"}, {"name": "c"}]).execute()
    Item.delete().where(Item.name == "c").execute()
    Item.add_index(Item.name)
    Item._schema.create_indexes()
    assert r1.statements == [] and r2.statements == []
    assert any(s.startswith("INSERT") for s in primary.statements)
    assert any(s.startswith("UPDATE") for s in primary.statements)
    assert any(s.startswith("DELETE") for s in primary.statements)
    assert any(s.startswith("CREATE INDEX") for s in primary.statements)
    assert sorted((i.name, i.qty) for i in Item.select()) == [("a", 4), ("b", 0)]


def test_every_way_of_reading_is_routed(setup):
    Item, primary, r1, r2 = setup
    Item.create(name="a", qty=2)
    primary.statements.clear()
    assert Item.select().count() == 1
    assert Item.select().exists() is True
    assert Item.get(Item.name == "a").qty == 2
    assert Item.get_or_none(Item.name == "z") is None
    assert Item.get_by_id(1).name == "a"
    assert Item.select(Item.qty).scalar() == 2
    assert Item.select().first().name == "a"
    assert len(Item.select().where(Item.qty > 1)) == 1
    assert [i.name for i in Item.filter(name="a")] == ["a"]
    assert primary.statements == []
    assert len(r1.statements) + len(r2.statements) == 9
    assert abs(len(r1.statements) - len(r2.statements)) <= 1


def test_raw_select_is_routed_other_raw_sql_is_not(setup):
    Item, primary, r1, r2 = setup
    Item.create(name="a")
    primary.statements.clear()
    assert [i.name for i in Item.raw('SELECT * FROM item')] == ["a"]
    assert [i.name for i in Item.raw('  select * from item')] == ["a"]
    assert where(primary, r1, r2) == (0, 1, 1)
    Item.raw("UPDATE item SET qty = 5").execute()
    assert primary.statements == ["UPDATE item SET qty = 5"]
    assert where(r1, r2) == (1, 1)


def test_a_transaction_reads_its_own_writes_on_the_primary(setup):
    Item, primary, r1, r2 = setup
    outside = Item.select(Item.name)
    with primary.atomic():
        Item.create(name="uncommitted")
        assert [i.name for i in Item.select()] == ["uncommitted"]
        assert Item.select().count() == 1
        assert [i.name for i in outside] == ["uncommitted"]  # built outside, run inside
        assert [i.name for i in Item.raw("SELECT * FROM item")] == ["uncommitted"]
    assert r1.statements == [] and r2.statements == []
    assert [i.name for i in Item.select()] == ["uncommitted"]
    assert where(r1, r2) == (1, 0)


def test_an_explicit_database_wins(setup, tmp_path):
    Item, primary, r1, r2 = setup
    Item.create(name="a")
    other = counting(SqliteDatabase(str(tmp_path / "other.db")), "other")
    with Item.bind_ctx(other):
        other.create_tables([Item])
        Item.create(name="in other")
        assert [i.name for i in Item.select()] == ["in other"]
        assert Item.select().count() == 1
    with Using(other, [Item]):
        assert [i.name for i in Item.raw("SELECT * FROM item")] == ["in other"]
    assert [i.name for i in Item.select().bind(other)] == ["in other"]
    assert [i.name for i in Item.select().execute(other)] == ["in other"]
    assert Item.select().count(other) == 1
    assert r1.statements == [] and r2.statements == []
    assert [i.name for i in Item.select()] == ["a"]  # routed again after the block
    other.close()


def test_a_model_without_replicas_reads_from_its_database(setup):
    Item, primary, r1, r2 = setup

    class Plain(ReadSlaveModel):
        name = CharField()

        class Meta:
            database = primary
            table_name = "item"

    assert [p.name for p in Plain.select()] == []
    assert where(r1, r2) == (0, 0)


def test_read_slaves_must_be_a_sequence(db):
    with pytest.raises(ValueError, match="read_slaves must be a list or tuple"):
        class Broken(ReadSlaveModel):
            class Meta:
                database = db
                read_slaves = db


def _unreachable(db, name):
    if isinstance(db, SqliteDatabase):
        return counting(SqliteDatabase("/nonexistent-dir/replica.db"), name)
    return twin(db, name, host="127.0.0.1", port=1, connect_timeout=2) \
        if isinstance(db, PostgresqlDatabase) else twin(db, name, host="127.0.0.1", port=1,
                                                       connect_timeout=2)


def test_an_unreachable_replica_is_skipped_then_retried(db, monkeypatch, caplog):
    primary = counting(db, "primary")
    good = twin(db, "good")
    dead = _unreachable(db, "dead")

    class Item(ReadSlaveModel):
        name = CharField()

        class Meta:
            database = primary
            read_slaves = (dead, good)
            read_slave_backoff = 30

    primary.create_tables([Item])
    Item.create(name="a")
    clock = [1000.0]
    monkeypatch.setattr(read_slave.time, "monotonic", lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="playhouse.read_slave"):
        assert [i.name for i in Item.select()] == ["a"]  # dead fails, good answers
    assert len(good.statements) == 1
    assert "failed (OperationalError" in caplog.text and "skipped for 30 s" in caplog.text
    dead_attempts = len(dead.statements)
    for _ in range(4):
        assert [i.name for i in Item.select()] == ["a"]
    assert len(good.statements) == 5
    assert len(dead.statements) == dead_attempts  # not tried while backing off
    clock[0] += 31
    assert [i.name for i in Item.select()] == ["a"]
    assert len(dead.statements) > dead_attempts or len(good.statements) == 6
    Item.select().count()
    assert len(dead.statements) > dead_attempts  # tried again after the back-off
    good.close()


def test_with_every_replica_down_reads_go_to_the_primary(db, caplog):
    primary = counting(db, "primary")
    dead1, dead2 = _unreachable(db, "dead1"), _unreachable(db, "dead2")

    class Item(ReadSlaveModel):
        name = CharField()

        class Meta:
            database = primary
            read_slaves = [dead1, dead2]

    primary.create_tables([Item])
    Item.create(name="a")
    primary.statements.clear()
    with caplog.at_level(logging.DEBUG, logger="playhouse.read_slave"):
        assert [i.name for i in Item.select()] == ["a"]
        assert Item.select().count() == 1
    assert len(primary.statements) == 2
    assert "no read replica available" in caplog.text
    read_slave._down_until.clear()


def test_the_log_names_the_database_that_answered(setup, caplog):
    Item, primary, r1, r2 = setup
    with caplog.at_level(logging.DEBUG, logger="playhouse.read_slave"):
        list(Item.select())
        list(Item.select())
        with primary.atomic():
            list(Item.select())
    messages = [r.getMessage() for r in caplog.records if r.name == "playhouse.read_slave"]
    assert len(messages) == 3
    assert messages[0].startswith("Item: SELECT on read replica 1 of 2: ")
    assert messages[1].startswith("Item: SELECT on read replica 2 of 2: ")
    assert messages[2].startswith("Item: SELECT on the primary (in a transaction): ")
    assert repr(primary.database) in messages[2]


def test_routing_does_not_raise_for_other_errors(setup):
    Item, primary, r1, r2 = setup
    from peewee import ProgrammingError, DatabaseError

    with pytest.raises((ProgrammingError, DatabaseError, OperationalError)):
        list(Item.raw("SELECT * FROM no_such_table"))
    if isinstance(primary, SqliteDatabase):
        return  # SQLite reports a missing table as OperationalError: the replica is skipped
    assert read_slave._down_until == {}


def test_compound_selects_are_routed(setup):
    Item, primary, r1, r2 = setup
    for name in "abc":
        Item.create(name=name)
    primary.statements.clear()
    a = Item.select(Item.name).where(Item.name == "a")
    b = Item.select(Item.name).where(Item.name == "b")
    c = Item.select(Item.name).where(Item.name == "c")
    assert sorted(i.name for i in (a | b)) == ["a", "b"]
    assert sorted(i.name for i in ((a | b) | c)) == ["a", "b", "c"]
    assert (a | b | c).count() == 3
    assert primary.statements == []
    assert where(r1, r2) == (2, 1)
    with primary.atomic():
        assert sorted(i.name for i in (a | c)) == ["a", "c"]
    assert len(primary.statements) == 1 and "UNION" in primary.statements[0]
    assert where(r1, r2) == (2, 1)


def test_a_database_proxy_as_primary(db):
    from peewee import DatabaseProxy

    proxy = DatabaseProxy()
    replica = twin(db, "replica")

    class Item(ReadSlaveModel):
        name = CharField()

        class Meta:
            database = proxy
            read_slaves = [replica]

    primary = counting(db, "primary")
    proxy.initialize(primary)
    primary.create_tables([Item])
    Item.create(name="a")
    primary.statements.clear()
    assert [i.name for i in Item.select()] == ["a"]
    assert (len(primary.statements), len(replica.statements)) == (0, 1)
    with proxy.atomic():
        assert Item.select().count() == 1
    assert (len(primary.statements), len(replica.statements)) == (1, 1)
    replica.close()
