"""Fixtures of the pool tests: pooled twins of the ``db`` fixture and a raw connection for
watching the server."""

from __future__ import annotations

import uuid

import pytest

import backends
from pool_support import POOLED

@pytest.fixture
def make_pool(db, backend):
    """``make_pool(**options)``: a pooled twin of ``db`` (PostgreSQL sessions carry an
    application name of their own); every pool is closed afterwards."""
    pools = []
    app = "pool-test-" + uuid.uuid4().hex[:8]

    def make(**options):
        params = dict(db.connect_params)
        if backend == "postgres":
            params["application_name"] = app
        params.update(options)
        pool = POOLED[type(db)](db.database, **params)
        pool.app_name = app
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        try:
            pool.close_all()
        except Exception:
            pool.dispose()


@pytest.fixture
def raw(backend):
    """A plain driver connection to the test database, outside the pool (servers only)."""
    if backend == "sqlite":
        yield None
        return
    conn = backends.raw_connect(backend, backends.test_database_name())
    yield conn
    conn.close()
