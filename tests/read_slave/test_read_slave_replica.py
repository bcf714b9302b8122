"""ReadSlaveModel against the real PostgreSQL hot standby started by scripts/servers.sh: each
server is asked who answered (``pg_is_in_recovery()`` is true on the standby only).  Replication
is asynchronous, so the tests wait for a row to arrive rather than assume it has."""

from __future__ import annotations

import pytest

from peewee import CharField, PostgresqlDatabase
from playhouse import read_slave
from playhouse.read_slave import ReadSlaveModel
from replica_support import (
    connect_params,
    replica_status,
    require_replica,
    servers,
    wait_until,
)

IN_RECOVERY = "SELECT pg_is_in_recovery() AS standby, current_setting('port') AS port"


@pytest.fixture
def standby(pg_db):
    """``(primary, make_replica)`` once the standby answers on the test database."""
    up, reason = replica_status(pg_db.database)
    if not up and "does not exist" in reason:  # the test database is new: not there yet
        wait_until(lambda: replica_status(pg_db.database)[0] or None, timeout=5,
                   what="the test database on the standby")
    require_replica(pg_db.database)
    made = []

    def make_replica():
        replica = PostgresqlDatabase(pg_db.database, **connect_params())
        made.append(replica)
        return replica

    yield pg_db, make_replica
    read_slave._down_until.clear()
    for replica in made:
        replica.close()


def models(primary, replicas, backoff=None):
    class Base(ReadSlaveModel):
        class Meta:
            database = primary
            read_slaves = tuple(replicas)
            read_slave_backoff = backoff

    class Entry(Base):
        title = CharField()

    return Entry


def who_answered(Entry):
    """``True`` when the standby ran the query, ``False`` for the primary."""
    return Entry.raw(IN_RECOVERY).get().standby


def test_reads_go_to_the_standby_writes_to_the_primary(standby):
    primary, make_replica = standby
    Entry = models(primary, [make_replica()])
    primary.create_tables([Entry])
    Entry.create(title="first")  # the standby refuses writes (SQLSTATE 25006): this is the primary
    assert who_answered(Entry) is True
    assert wait_until(lambda: [e.title for e in Entry.select()], what="the row") == ["first"]
    row = Entry.raw(IN_RECOVERY).get()
    assert (row.standby, row.port) == (True, str(connect_params()["port"]))
    assert primary.execute_sql("SELECT pg_is_in_recovery()").fetchone() == (False,)


def test_the_standby_refuses_writes(standby):
    primary, make_replica = standby
    replica = make_replica()
    with pytest.raises(Exception) as info:
        replica.execute_sql("CREATE TABLE refused (id INTEGER)")
    assert getattr(info.value.__cause__, "pgcode", None) == "25006"


def test_round_robin_over_two_replica_databases(standby):
    primary, make_replica = standby
    r1, r2 = make_replica(), make_replica()
    Entry = models(primary, [r1, r2])
    primary.create_tables([Entry])
    Entry.create(title="x")
    wait_until(lambda: Entry.select().count() == 1 and Entry.select().count() == 1,
               what="the row on the standby")
    r1.close()
    r2.close()
    # Each read opens the connection of the replica it uses: they take turns.
    seen = []
    for _ in range(4):
        assert who_answered(Entry) is True
        seen.append("r1" if not r1.is_closed() else "r2")
        assert r1.is_closed() != r2.is_closed()
        r1.close()
        r2.close()
    assert seen in (["r1", "r2", "r1", "r2"], ["r2", "r1", "r2", "r1"])


def test_a_transaction_reads_its_own_writes_on_the_primary(standby):
    primary, make_replica = standby
    Entry = models(primary, [make_replica()])
    primary.create_tables([Entry])
    with primary.atomic():
        Entry.create(title="mine")
        assert who_answered(Entry) is False
        assert [e.title for e in Entry.select()] == ["mine"]
    assert who_answered(Entry) is True
    assert wait_until(lambda: Entry.select().count(), what="the row") == 1


def test_reads_survive_the_standby_stopping_and_resume_after(standby):
    primary, make_replica = standby
    Entry = models(primary, [make_replica()], backoff=0.5)
    primary.create_tables([Entry])
    Entry.create(title="kept")
    wait_until(lambda: Entry.select().count() == 1, what="the row on the standby")
    assert who_answered(Entry) is True  # the replica's connection is open
    servers("replica-stop")
    try:
        # The open connection is dead now: the read moves to the primary, and so do the next
        # ones while the replica backs off.
        assert who_answered(Entry) is False
        assert [e.title for e in Entry.select()] == ["kept"]
        assert who_answered(Entry) is False
    finally:
        servers("replica-start")
    assert wait_until(lambda: who_answered(Entry), what="reads back on the standby") is True
    assert [e.title for e in Entry.select()] == ["kept"]
