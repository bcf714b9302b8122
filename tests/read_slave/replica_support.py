"""The PostgreSQL read replica started by scripts/servers.sh: its settings, whether it answers, and
stopping / starting it from a test."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

import backends

SERVERS_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "servers.sh"


def replica_port() -> int:
    return int(os.environ.get("PEEWEE_PG_REPLICA_PORT") or 5433)


def replica_required() -> bool:
    return os.environ.get("PEEWEE_REQUIRE_REPLICA", "") not in ("", "0")


def connect_params(port=None) -> dict:
    s = backends.settings("postgres")
    return dict(user=s.user, password=s.password, host=s.host, port=port or replica_port(),
                connect_timeout=3)


def replica_status(database: str):
    """``(up, reason)``: whether the replica answers on ``database`` as a standby."""
    import psycopg2

    params = connect_params()
    where = "%s:%s" % (params["host"], params["port"])
    try:
        conn = psycopg2.connect(dbname=database, **params)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return False, "PostgreSQL read replica not reachable at %s: %s" % (where, first)
    try:
        cur = conn.cursor()
        cur.execute("SELECT pg_is_in_recovery()")
        if not cur.fetchone()[0]:
            return False, "the server at %s is not a standby" % where
    finally:
        conn.close()
    return True, "PostgreSQL read replica at %s" % where


def require_replica(database: str) -> None:
    """Skip the test (fail it under PEEWEE_REQUIRE_REPLICA=1) when the replica is not up."""
    up, reason = replica_status(database)
    if up:
        return
    if replica_required():
        pytest.fail("%s (required by PEEWEE_REQUIRE_REPLICA)" % reason, pytrace=False)
    pytest.skip(reason + " (start it with: bash scripts/servers.sh start)")


def servers(command: str) -> None:
    """Run ``scripts/servers.sh <command>`` (replica-stop, replica-start)."""
    result = subprocess.run(["bash", str(SERVERS_SCRIPT), command], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def wait_until(predicate, timeout: float = 30.0, what: str = "condition"):
    """Poll ``predicate`` until it returns a true value (replication is asynchronous)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except Exception:  # e.g. the table has not reached the replica yet
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.01)
