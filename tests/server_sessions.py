"""Helpers for tests that need a second session on the same database, or that end a session from
the server's side (as a crashed or restarted server would)."""

from __future__ import annotations

from typing import Any

import peewee


def second_connection(db: peewee.Database) -> peewee.Database:
    """Another Database object on the same database (a separate connection)."""
    return type(db)(db.database, **db.connect_params)


def backend_pid(db: peewee.Database) -> int:
    """The server's id for ``db``'s current session (PostgreSQL or MySQL/MariaDB)."""
    if isinstance(db, peewee.PostgresqlDatabase):
        return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    return db.execute_sql("SELECT CONNECTION_ID()").fetchone()[0]


def kill_from_another_connection(db: peewee.Database, pid: Any) -> None:
    """End the server session ``pid`` from a second connection."""
    killer = second_connection(db)
    try:
        if isinstance(db, peewee.PostgresqlDatabase):
            killer.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
        else:
            killer.execute_sql("KILL %d" % pid)
    finally:
        killer.close()
