"""Shared pieces of the benchmark: backends, schema, deterministic data, workload sizes.

Imported by the orchestrator and by every worker process (also inside the peer libraries'
virtual environments), so it uses the standard library only and knows no ORM.
"""
from __future__ import annotations

import datetime
import os

__all__ = [
    "BACKENDS", "IMPLS", "WORKLOADS", "FULL_SIZES", "QUICK_SIZES", "MODEL_WORKLOADS",
    "NotApplicable", "backend_settings", "user_rows", "user_dicts", "tweet_rows", "BASE_TIME",
    "SINCE", "age_threshold", "Setup",
]

# Backends: the SQLite file lives in a temporary directory owned by the worker process.
BACKENDS = ("sqlite-file", "sqlite-memory", "postgres", "mysql")

# Implementations: "raw" is the floor every other one is divided by.
IMPLS = ("raw", "peewee", "peewee-pypi", "sqlalchemy-orm", "sqlalchemy-core")

WORKLOADS = (
    "insert_one", "bulk_insert", "select_models", "select_tuples", "select_dicts", "get_by_pk",
    "filter_order_limit", "join_fk", "update_save", "update_bulk", "delete_bulk", "build_sql",
    "select_models_iter_memory",
)

# Workloads that need model objects; a library without models reports them as not applicable.
MODEL_WORKLOADS = ("select_models", "select_models_iter_memory")

# Sizes: the number of operations (or rows) each workload performs.
# select_models_iter_memory takes (small, large); filter_order_limit and join_fk also name the
# size of the table they read.
FULL_SIZES: dict[str, object] = {
    "insert_one": 10_000,
    "bulk_insert": 100_000,
    "select_models": 100_000,
    "select_tuples": 100_000,
    "select_dicts": 100_000,
    "get_by_pk": 10_000,
    "filter_order_limit": (2_000, 10_000),   # (queries, users in the table)
    "join_fk": (20_000, 1_000),              # (tweets, users)
    "update_save": 10_000,
    "update_bulk": 50_000,
    "delete_bulk": 50_000,
    "build_sql": 20_000,
    "select_models_iter_memory": (10_000, 100_000),
}

QUICK_SIZES: dict[str, object] = {
    "insert_one": 300,
    "bulk_insert": 3_000,
    "select_models": 3_000,
    "select_tuples": 3_000,
    "select_dicts": 3_000,
    "get_by_pk": 300,
    "filter_order_limit": (60, 1_000),
    "join_fk": (1_000, 100),
    "update_save": 300,
    "update_bulk": 2_000,
    "delete_bulk": 2_000,
    "build_sql": 300,
    "select_models_iter_memory": (500, 5_000),
}

BASE_TIME = datetime.datetime(2024, 1, 1, 8, 0, 0)
SINCE = datetime.datetime(2024, 1, 2, 0, 0, 0)


class NotApplicable(Exception):
    """Raised by an implementation for a workload it has no equivalent for (shown as n/a)."""


def backend_settings(backend: str) -> dict:
    """Connection settings for a backend, read from the environment."""
    database = os.environ.get("PEEWEE_BENCH_DATABASE", "peewee_bench")
    if backend == "postgres":
        return {
            "host": os.environ.get("PEEWEE_PG_HOST", "127.0.0.1"),
            "port": int(os.environ.get("PEEWEE_PG_PORT", "5432")),
            "user": os.environ.get("PEEWEE_PG_USER", "peewee"),
            "password": os.environ.get("PEEWEE_PG_PASSWORD", "peewee"),
            "database": database,
        }
    if backend == "mysql":
        return {
            "host": os.environ.get("PEEWEE_MYSQL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("PEEWEE_MYSQL_PORT", "3306")),
            "user": os.environ.get("PEEWEE_MYSQL_USER", "peewee"),
            "password": os.environ.get("PEEWEE_MYSQL_PASSWORD", "peewee"),
            "database": database,
        }
    if backend == "sqlite-memory":
        return {"database": ":memory:"}
    if backend == "sqlite-file":
        return {"database": None}  # filled in by the worker with a file in its temporary directory
    raise ValueError(f"unknown backend {backend!r}")


def age_threshold(i: int) -> int:
    """The threshold used by query number ``i`` of filter_order_limit and build_sql."""
    return 18 + i % 50


def user_rows(n: int, start: int = 1) -> list[tuple]:
    """``n`` users as (username, email, age, created, active) tuples, deterministic."""
    td = datetime.timedelta
    return [
        (
            f"user{i:08d}",
            f"user{i}@example.com",
            18 + (i * 7) % 60,
            BASE_TIME + td(seconds=i * 37, microseconds=(i * 7919) % 1_000_000 or 1),
            i % 3 != 0,
        )
        for i in range(start, start + n)
    ]


USER_FIELDS = ("username", "email", "age", "created", "active")


def user_dicts(n: int, start: int = 1) -> list[dict]:
    """The same users as :func:`user_rows`, as dicts keyed by field name."""
    return [dict(zip(USER_FIELDS, row)) for row in user_rows(n, start)]


def tweet_rows(n: int, n_users: int) -> list[tuple]:
    """``n`` tweets as (user_id, message, created) tuples spread over users 1..n_users."""
    td = datetime.timedelta
    return [
        (
            1 + i % n_users,
            f"tweet number {i}: the quick brown fox jumps over the lazy dog",
            BASE_TIME + td(seconds=i * 11, microseconds=(i * 104729) % 1_000_000 or 1),
        )
        for i in range(n)
    ]


# --- schema and data set-up through a plain DB-API connection -----------------------------------

DDL = {
    "sqlite": [
        "CREATE TABLE bench_user (id INTEGER NOT NULL PRIMARY KEY, username VARCHAR(255) NOT NULL,"
        " email VARCHAR(255) NOT NULL, age INTEGER NOT NULL, created DATETIME NOT NULL,"
        " active INTEGER NOT NULL)",
        "CREATE UNIQUE INDEX bench_user_username ON bench_user (username)",
        "CREATE TABLE bench_tweet (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL"
        " REFERENCES bench_user (id), message TEXT NOT NULL, created DATETIME NOT NULL)",
        "CREATE INDEX bench_tweet_user_id ON bench_tweet (user_id)",
    ],
    "postgres": [
        "CREATE TABLE bench_user (id SERIAL NOT NULL PRIMARY KEY, username VARCHAR(255) NOT NULL,"
        " email VARCHAR(255) NOT NULL, age INTEGER NOT NULL, created TIMESTAMP NOT NULL,"
        " active BOOLEAN NOT NULL)",
        "CREATE UNIQUE INDEX bench_user_username ON bench_user (username)",
        "CREATE TABLE bench_tweet (id SERIAL NOT NULL PRIMARY KEY, user_id INTEGER NOT NULL"
        " REFERENCES bench_user (id), message TEXT NOT NULL, created TIMESTAMP NOT NULL)",
        "CREATE INDEX bench_tweet_user_id ON bench_tweet (user_id)",
    ],
    "mysql": [
        "CREATE TABLE bench_user (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY,"
        " username VARCHAR(255) NOT NULL, email VARCHAR(255) NOT NULL, age INTEGER NOT NULL,"
        " created DATETIME(6) NOT NULL, active BOOL NOT NULL) ENGINE=InnoDB",
        "CREATE UNIQUE INDEX bench_user_username ON bench_user (username)",
        "CREATE TABLE bench_tweet (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY,"
        " user_id INTEGER NOT NULL, message TEXT NOT NULL, created DATETIME(6) NOT NULL,"
        " FOREIGN KEY (user_id) REFERENCES bench_user (id)) ENGINE=InnoDB",
        "CREATE INDEX bench_tweet_user_id ON bench_tweet (user_id)",
    ],
}

DROP = ["DROP TABLE IF EXISTS bench_tweet", "DROP TABLE IF EXISTS bench_user"]


def family(backend: str) -> str:
    return "sqlite" if backend.startswith("sqlite") else backend


class Setup:
    """Creates the schema and loads data through the DB-API connection an implementation uses.

    Set-up is never timed.  It works whether the connection is in autocommit mode (as peewee
    keeps it) or in the DB-API's implicit-transaction mode.
    """

    def __init__(self, backend: str) -> None:
        self.family = family(backend)
        self.param = "?" if self.family == "sqlite" else "%s"

    def _autocommit(self, conn) -> bool:
        raw = getattr(conn, "dbapi_connection", None) or conn
        if self.family == "sqlite":
            return raw.isolation_level is None
        if self.family == "postgres":
            return bool(raw.autocommit)
        return bool(raw.get_autocommit())

    def _run(self, conn, fn) -> None:
        cur = conn.cursor()
        auto = self._autocommit(conn)
        if auto:
            cur.execute("BEGIN")
        try:
            fn(cur)
        except BaseException:
            if auto:
                cur.execute("ROLLBACK")
            else:
                conn.rollback()
            raise
        if auto:
            cur.execute("COMMIT")
        else:
            conn.commit()
        cur.close()

    def db_time(self, value: datetime.datetime):
        return value.isoformat(" ") if self.family == "sqlite" else value

    def reset(self, conn) -> None:
        """Drop and recreate both tables (empty)."""
        def fn(cur):
            for stmt in DROP + DDL[self.family]:
                cur.execute(stmt)
        self._run(conn, fn)

    def load_users(self, conn, n: int) -> None:
        p = self.param
        sql = (f"INSERT INTO bench_user (id, username, email, age, created, active)"
               f" VALUES ({p}, {p}, {p}, {p}, {p}, {p})")
        conv = self.db_time
        rows = [(i, u, e, a, conv(c), act)
                for i, (u, e, a, c, act) in enumerate(user_rows(n), start=1)]
        self._insert(conn, sql, rows, "bench_user")

    def load_tweets(self, conn, n: int, n_users: int) -> None:
        p = self.param
        sql = f"INSERT INTO bench_tweet (id, user_id, message, created) VALUES ({p}, {p}, {p}, {p})"
        conv = self.db_time
        rows = [(i, uid, m, conv(c))
                for i, (uid, m, c) in enumerate(tweet_rows(n, n_users), start=1)]
        self._insert(conn, sql, rows, "bench_tweet")

    def _insert(self, conn, sql: str, rows: list, table: str) -> None:
        def fn(cur):
            if self.family == "postgres":
                # executemany is one round trip per row on psycopg2: send batches instead.
                width = len(rows[0]) if rows else 0
                one = "(" + ", ".join(["%s"] * width) + ")"
                head = sql.split(" VALUES ")[0]
                for i in range(0, len(rows), 1000):
                    batch = rows[i:i + 1000]
                    cur.execute(head + " VALUES " + ", ".join([one] * len(batch)),
                                [v for row in batch for v in row])
                # Keep the SERIAL sequence past the explicit ids.
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")
            else:
                cur.executemany(sql, rows)
        self._run(conn, fn)

    def prepare(self, conn, workload: str, size) -> None:
        """Bring the tables into the state ``workload`` starts from."""
        self.reset(conn)
        if workload in ("insert_one", "bulk_insert", "build_sql"):
            return
        if workload == "filter_order_limit":
            self.load_users(conn, size[1])
        elif workload == "join_fk":
            n_tweets, n_users = size
            self.load_users(conn, n_users)
            self.load_tweets(conn, n_tweets, n_users)
        elif workload == "select_models_iter_memory":
            self.load_users(conn, size[1])
        else:
            self.load_users(conn, size)
