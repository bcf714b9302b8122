"""Helpers shared by the pool tests: the pooled twin of each core database, and session
counting / killing through a raw connection to the server."""

from __future__ import annotations

import time

import backends
from peewee import MySQLDatabase, PostgresqlDatabase, SqliteDatabase
from playhouse.pool import PooledMySQLDatabase, PooledPostgresqlDatabase, PooledSqliteDatabase

POOLED = {
    SqliteDatabase: PooledSqliteDatabase,
    PostgresqlDatabase: PooledPostgresqlDatabase,
    MySQLDatabase: PooledMySQLDatabase,
}


def session_id(pool):
    if isinstance(pool, PostgresqlDatabase):
        return pool.connection().get_backend_pid()
    return pool.execute_sql("SELECT CONNECTION_ID()").fetchone()[0]


def kill_session(raw, backend, sid):
    cur = raw.cursor()
    if backend == "postgres":
        cur.execute("SELECT pg_terminate_backend(%s, 5000)", (sid,))  # waits for the exit
    else:
        cur.execute("KILL %d" % int(sid))
    wait_until(lambda: sid not in server_sessions(raw, backend))


def server_sessions(raw, backend, app=None):
    """Session ids the server shows on the test database (PostgreSQL: of application ``app``)."""
    cur = raw.cursor()
    if backend == "postgres":
        sql = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        params = [backends.test_database_name()]
        if app is not None:
            sql += " AND application_name = %s"
            params.append(app)
        cur.execute(sql, params)
    else:
        cur.execute(
            "SELECT id FROM information_schema.processlist "
            "WHERE db = %s AND id <> CONNECTION_ID()",
            (backends.test_database_name(),),
        )
    return {row[0] for row in cur.fetchall()}


def wait_until(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in %s s" % seconds)
        time.sleep(0.02)


def is_dead(pool, conn):
    if isinstance(pool, PostgresqlDatabase):
        return bool(conn.closed)
    if isinstance(pool, MySQLDatabase):
        return not conn.open
    try:
        conn.total_changes
    except Exception:
        return True
    return False
