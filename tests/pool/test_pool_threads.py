"""Many threads sharing one small pool on a real server: the server never sees more sessions
than ``max_connections``, every checkout succeeds and commits, and ``close_all()`` leaves none.

The sessions are counted from a separate raw connection while the threads run."""

from __future__ import annotations

import threading
import time

import pytest

from peewee import IntegerField, Model

from pool_support import server_sessions, wait_until

THREADS = 50
CHECKOUTS = 200
LIMIT = 8


class Sampler(threading.Thread):
    """Counts the pool's sessions on the server every few milliseconds until stopped."""

    def __init__(self, raw, backend, app, baseline):
        super().__init__(daemon=True)
        self.raw, self.backend, self.app, self.baseline = raw, backend, app, baseline
        self.counts = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            sessions = server_sessions(self.raw, self.backend, self.app) - self.baseline
            self.counts.append(len(sessions))
            time.sleep(0.01)


@pytest.mark.backends("postgres", "mysql")
def test_fifty_threads_share_eight_connections(db, backend, raw, make_pool):
    pool = make_pool(max_connections=LIMIT, timeout=30)

    class Hit(Model):
        worker = IntegerField()
        seq = IntegerField()

        class Meta:
            database = pool

    pool.create_tables([Hit])
    pool.close()
    pool.close_all()
    app = pool.app_name if backend == "postgres" else None
    baseline = server_sessions(raw, backend)
    # PostgreSQL sessions are told apart by application name; on MariaDB every session open
    # before the run (and the sampler's own) is left out of the count.
    sampler = Sampler(raw, backend, app, baseline if backend == "mysql" else set())
    sampler.start()
    done = [0] * THREADS
    errors = []
    start = threading.Barrier(THREADS)

    def worker(n):
        try:
            start.wait()
            for i in range(CHECKOUTS):
                with pool.connection_context():
                    with pool.atomic():
                        pk = Hit.insert(worker=n, seq=i).execute()
                        assert Hit.get_by_id(pk).seq == i
                done[n] += 1
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    sampler.stop.set()
    sampler.join()

    assert errors == []
    assert done == [CHECKOUTS] * THREADS  # no checkout lost
    assert pool._in_use == {} and pool._reserved == 0
    assert 1 <= len(pool._connections) <= LIMIT
    assert max(sampler.counts) <= LIMIT
    assert max(sampler.counts) >= 2  # the sampler did watch the run
    per_worker = dict(
        pool.execute_sql("SELECT worker, COUNT(*) FROM hit GROUP BY worker").fetchall()
    )
    assert per_worker == {n: CHECKOUTS for n in range(THREADS)}
    pool.close()
    pool.close_all()
    wait_until(lambda: not (server_sessions(raw, backend, app) - (baseline if app is None else set())))
    assert elapsed < 60
