"""The pool on every backend: reuse, limits and waiting, stale and dead connections, connections
returned inside a transaction, and the management calls.  Server connections are killed and
inspected for real, from a second, raw connection."""

from __future__ import annotations

import os
import threading
import time

import pytest

from pool_support import is_dead, kill_session, server_sessions, session_id, wait_until
from peewee import (
    CharField,
    InterfaceError,
    Model,
    OperationalError,
    SqliteDatabase,
)
from playhouse.pool import (
    MaxConnectionsExceeded,
    PooledDatabase,
    PooledSqliteDatabase,
)

def test_a_returned_connection_is_reused(make_pool):
    pool = make_pool()
    assert pool.connect() is True
    conn = pool.connection()
    assert pool.close() is True
    assert pool.is_closed() and not is_dead(pool, conn)
    with pool.connection_context():
        assert pool.connection() is conn
        assert pool.execute_sql("SELECT 1").fetchone() == (1,)
    with pool:
        assert pool.connection() is conn
    assert pool.is_closed()
    assert pool.close() is False


def test_connect_follows_reuse_if_open(make_pool):
    pool = make_pool(max_connections=1)
    assert pool.connect() is True
    assert pool.connect(reuse_if_open=True) is False
    with pytest.raises(OperationalError, match="Connection already opened."):
        pool.connect()
    assert len(pool._in_use) == 1
    pool.close()
    assert len(pool._in_use) == 0 and len(pool._connections) == 1


def test_threads_get_connections_of_their_own(make_pool):
    pool = make_pool(max_connections=4)
    pool.connect()
    mine = pool.connection()
    seen = []
    ready = threading.Barrier(3)

    def work():
        pool.connect()
        seen.append(pool.connection())
        ready.wait()  # both hold their connection at once
        pool.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    ready.wait()
    for t in threads:
        t.join()
    assert len({id(c) for c in seen + [mine]}) == 3
    assert len(pool._in_use) == 1 and len(pool._connections) == 2
    pool.close()
    assert len(pool._connections) == 3


def test_the_oldest_idle_connection_is_reused_first(make_pool):
    pool = make_pool()
    pool.connect()
    first = pool.connection()
    opened = []
    go = threading.Event()

    def open_one():
        pool.connect()
        opened.append(pool.connection())
        go.wait(5)
        pool.close()  # the younger connection is returned last

    t = threading.Thread(target=open_one)
    t.start()
    wait_until(lambda: opened)
    pool.close()
    go.set()
    t.join()
    assert len(pool._connections) == 2
    pool.connect()
    assert pool.connection() is first
    pool.close()


def test_full_pool_raises_at_once_without_timeout(make_pool):
    pool = make_pool(max_connections=1)
    pool.connect()
    errors = []

    def work():
        start = time.monotonic()
        try:
            pool.connect()
        except MaxConnectionsExceeded as exc:
            errors.append((exc, time.monotonic() - start))

    t = threading.Thread(target=work)
    t.start()
    t.join()
    (exc, elapsed), = errors
    assert isinstance(exc, ValueError)
    assert str(exc) == "Exceeded maximum connections (max_connections=1)."
    assert elapsed < 0.2
    pool.close()


def test_timeout_waits_then_raises(make_pool):
    pool = make_pool(max_connections=1, timeout=0.5)
    pool.connect()
    outcome = []

    def work():
        start = time.monotonic()
        try:
            pool.connect()
        except MaxConnectionsExceeded as exc:
            outcome.append((str(exc), time.monotonic() - start))

    t = threading.Thread(target=work)
    t.start()
    t.join()
    (message, elapsed), = outcome
    assert 0.5 <= elapsed < 1.5
    assert message == (
        "Max connections exceeded (max_connections=1), timed out attempting to connect after "
        "waiting 0.5 seconds."
    )
    pool.close()
    assert len(pool._in_use) == 0 and pool._reserved == 0


@pytest.mark.parametrize("timeout", [5, 0])
def test_a_waiting_connect_gets_the_returned_connection(make_pool, timeout):
    pool = make_pool(max_connections=1, timeout=timeout)
    pool.connect()
    mine = pool.connection()
    got = []

    def work():
        start = time.monotonic()
        pool.connect()
        got.append((pool.connection(), time.monotonic() - start))
        pool.close()

    t = threading.Thread(target=work)
    t.start()
    time.sleep(0.3)
    assert not got  # still waiting
    pool.close()
    t.join(5)
    (conn, elapsed), = got
    assert conn is mine and 0.25 <= elapsed < 2


def test_stale_connections_are_closed_on_return_and_on_checkout(make_pool):
    pool = make_pool(stale_timeout=0.2)
    pool.connect()
    old = pool.connection()
    pool.close()
    time.sleep(0.3)  # goes stale while idle
    pool.connect()
    young = pool.connection()
    assert young is not old and is_dead(pool, old)
    time.sleep(0.3)  # goes stale while in use
    pool.close()
    assert is_dead(pool, young) and pool._connections == []
    pool.connect()
    assert pool.execute_sql("SELECT 1").fetchone() == (1,)
    pool.close()


def test_pool_options_accept_text_and_init_replaces_them(make_pool):
    pool = make_pool(max_connections="2", stale_timeout="30", timeout="0")
    assert (pool._max_connections, pool._stale_timeout, pool._wait_timeout) == (2, 30, float("inf"))
    assert make_pool(stale_timeout="0.5", timeout="2.5")._stale_timeout == 0.5
    pool.init(pool.database, max_connections=5, timeout=1)
    assert (pool._max_connections, pool._stale_timeout, pool._wait_timeout) == (5, 30, 1.0)
    pool.init(pool.database)  # options not given are kept
    assert (pool._max_connections, pool._stale_timeout, pool._wait_timeout) == (5, 30, 1.0)


def test_unbounded_pool(make_pool):
    pool = make_pool(max_connections=None)
    held = []
    barrier = threading.Barrier(31)

    def work():
        pool.connect()
        held.append(pool.connection())
        barrier.wait()
        pool.close()

    threads = [threading.Thread(target=work) for _ in range(30)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    assert len({id(c) for c in held}) == 30 and len(pool._connections) == 30


def test_manual_close_closes_for_good(make_pool):
    pool = make_pool(max_connections=1)
    assert pool.manual_close() is False
    pool.connect()
    conn = pool.connection()
    assert pool.manual_close() is True
    assert pool.is_closed() and is_dead(pool, conn)
    assert pool._in_use == {} and pool._connections == []
    pool.connect()  # the slot is free again
    assert pool.connection() is not conn
    pool.close()


def test_close_idle_stale_and_all(make_pool):
    pool = make_pool()
    pool.connect()
    idle = pool.connection()
    pool.close()
    pool.connect()
    assert pool.connection() is idle
    held = []
    done = threading.Event()

    def hold():
        pool.connect()
        held.append(pool.connection())
        done.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    wait_until(lambda: held)
    pool.close()
    pool.close_idle()
    assert is_dead(pool, idle) and pool._connections == []
    assert pool.close_stale(age=60) == 0
    time.sleep(0.05)
    assert pool.close_stale(age=0.01) == 1
    assert is_dead(pool, held[0]) and pool._in_use == {}
    pool.connect()
    current = pool.connection()
    pool.close_all()
    assert pool.is_closed() and is_dead(pool, current)
    assert pool._in_use == {} and pool._connections == []
    done.set()
    t.join()


def test_dispose_drops_this_threads_connection_for_good(make_pool):
    pool = make_pool(max_connections=1)
    pool.connect()
    conn = pool.connection()
    pool.begin()  # dispose() does not mind an open transaction
    pool.dispose()
    assert pool.is_closed() and is_dead(pool, conn)
    assert pool._in_use == {} and pool._connections == []
    pool.dispose()  # nothing open: nothing to do
    pool.connect()  # the slot is free again
    assert pool.connection() is not conn
    pool.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork()")
def test_dispose_in_a_forked_child_forgets_the_parents_connections(make_pool):
    pool = make_pool()
    pool.connect()
    assert pool.execute_sql("SELECT 1").fetchone() == (1,)
    parent_conn = pool.connection()
    in_thread = threading.Thread(target=lambda: (pool.connect(), pool.close()))
    in_thread.start()
    in_thread.join()  # one idle connection as well
    assert len(pool._connections) == 1
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        try:
            pool.dispose()
            ok = pool.is_closed() and pool._in_use == {} and pool._connections == []
            pool.connect()
            ok = ok and pool.connection() is not parent_conn
            ok = ok and pool.execute_sql("SELECT 2").fetchone() == (2,)
            pool.close_all()
            os.write(write_end, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    assert os.read(read_end, 1) == b"1"
    os.close(read_end)
    # The parent's sessions survived the child.
    assert pool.connection() is parent_conn
    assert pool.execute_sql("SELECT 3").fetchone() == (3,)
    pool.close()
    pool.connect()
    assert pool.execute_sql("SELECT 4").fetchone() == (4,)
    pool.close()


def test_a_connection_returned_inside_a_transaction_is_rolled_back(make_pool, backend, raw, tmp_path):
    pool = make_pool()

    class Entry(Model):
        text = CharField()

        class Meta:
            database = pool

    pool.create_tables([Entry])
    pool.connect(reuse_if_open=True)
    conn = pool.connection()
    sid = None if backend == "sqlite" else session_id(pool)
    pool.begin()
    Entry.create(text="left behind")
    pool.close()  # returned with the transaction still open
    if backend == "postgres":
        cur = raw.cursor()
        cur.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", (sid,))
        assert cur.fetchone() == ("idle",)
    elif backend == "mysql":
        cur = raw.cursor()
        cur.execute("SELECT COUNT(*) FROM information_schema.innodb_trx "
                    "WHERE trx_mysql_thread_id = %s", (sid,))
        assert cur.fetchone() == (0,)
    else:
        other = SqliteDatabase(pool.database)
        other.execute_sql('INSERT INTO "entry" ("text") VALUES (?)', ("other writer",))
        other.close()
    pool.connect()
    assert pool.connection() is conn
    try:
        pool.commit()  # would commit the abandoned insert had it survived
    except OperationalError:
        assert backend == "sqlite"  # SQLite reports that no transaction is open
    pool.close()
    if raw is not None:
        cur = raw.cursor()
        cur.execute("SELECT text FROM entry")
        assert list(cur.fetchall()) == []
    assert [e.text for e in Entry.select()] == ([] if raw is not None else ["other writer"])
    pool.close()
    pool.drop_tables([Entry])


@pytest.mark.backends("postgres", "mysql")
def test_a_connection_killed_while_idle_is_not_handed_out(make_pool, backend, raw):
    pool = make_pool()
    pool.connect()
    dead = pool.connection()
    sid = session_id(pool)
    pool.close()
    kill_session(raw, backend, sid)
    pool.connect()  # no error: the dead connection is discarded
    assert pool.connection() is not dead
    assert session_id(pool) != sid
    assert pool.execute_sql("SELECT 1").fetchone() == (1,)
    pool.close()
    assert len(pool._connections) == 1


@pytest.mark.backends("postgres", "mysql")
def test_a_connection_lost_while_in_use_is_not_returned(make_pool, backend, raw):
    pool = make_pool()
    pool.connect()
    sid = session_id(pool)
    kill_session(raw, backend, sid)
    with pytest.raises((OperationalError, InterfaceError)):
        pool.execute_sql("SELECT 1")
    pool.close()
    assert pool._in_use == {} and pool._connections == []
    pool.connect()
    assert session_id(pool) != sid
    pool.close()


@pytest.mark.backends("postgres", "mysql")
def test_close_all_leaves_no_session_on_the_server(make_pool, backend, raw):
    pool = make_pool(max_connections=3)
    baseline = server_sessions(raw, backend)
    barrier = threading.Barrier(4)

    def work():
        pool.connect()
        pool.execute_sql("SELECT 1")
        barrier.wait()
        pool.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    app = pool.app_name if backend == "postgres" else None
    assert len(server_sessions(raw, backend, app) - baseline) == 3
    pool.close_all()
    wait_until(lambda: not (server_sessions(raw, backend, app) - baseline))


def test_ext_twin_is_one_line(db):
    class Tagged(type(db)):
        def initialize_connection(self, conn):
            self.opened = getattr(self, "opened", 0) + 1

    class PooledTagged(PooledDatabase, Tagged):
        pass

    pool = PooledTagged(db.database, max_connections=2, **db.connect_params)
    pool.connect()
    conn = pool.connection()
    pool.close()
    pool.connect()
    assert pool.connection() is conn and pool.opened == 2  # the hook runs on every checkout
    pool.close_all()


@pytest.mark.backends("sqlite")
def test_sqlite_connections_serve_any_thread_and_catch_up_with_new_functions(make_pool):
    pool = make_pool(max_connections=1, timeout=5)
    assert pool.connect_params["check_same_thread"] is False
    pool.connect()
    conn = pool.connection()
    pool.close()

    @pool.func("shout")
    def shout(text):
        return text.upper() + "!"

    got = []

    def work():
        with pool.connection_context():
            got.append((pool.connection(), pool.execute_sql("SELECT shout('hi')").fetchone()))

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert got == [(conn, ("HI!",))]
    assert PooledSqliteDatabase(":memory:", check_same_thread=True).connect_params == {
        "check_same_thread": True
    }
