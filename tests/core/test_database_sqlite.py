"""SQLite extras: pragmas, timeout, user-defined functions, aggregates, window functions,
collations, attached databases and extensions."""

from __future__ import annotations

import sqlite3

import pytest

import peewee
from peewee import OperationalError, SqliteDatabase


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "app.db")


def test_pragmas_apply_to_every_new_connection(path):
    db = SqliteDatabase(path, pragmas={"cache_size": -4000, "foreign_keys": 1})
    assert db.cache_size == -4000
    assert db.foreign_keys == 1
    db.close()
    db.connect()
    assert db.cache_size == -4000
    db.close()
    listed = SqliteDatabase(path, pragmas=[("journal_mode", "wal"), ("synchronous", 1)])
    assert listed.journal_mode == "wal"
    assert listed.synchronous == 1
    listed.close()


def test_pragma_method_and_permanent_values(path):
    db = SqliteDatabase(path)
    db.pragma("cache_size", -1234)
    assert db.pragma("cache_size") == -1234
    db.close()
    db.connect()
    assert db.pragma("cache_size") != -1234  # not permanent: gone with the connection
    db.pragma("cache_size", -2345, permanent=True)
    db.close()
    assert db.cache_size == -2345
    with pytest.raises(ValueError):
        db.pragma("cache_size", permanent=True)
    db.close()


def test_pragma_properties_read_and_set(path):
    db = SqliteDatabase(path)
    db.user_version = 12
    assert db.user_version == 12
    db.application_id = 99
    assert db.application_id == 99
    db.foreign_keys = 1
    assert db.foreign_keys == 1
    assert db.page_size > 0
    assert db.journal_mode == "delete"
    db.journal_mode = "wal"
    assert db.journal_mode == "wal"
    for name in ("journal_size_limit", "mmap_size", "read_uncommitted", "wal_autocheckpoint"):
        assert isinstance(getattr(db, name), int)
    db.close()
    reopened = SqliteDatabase(path)
    assert reopened.user_version == 12  # stored in the file
    reopened.close()


def test_pragma_with_schema(path, tmp_path):
    db = SqliteDatabase(path)
    db.attach(str(tmp_path / "other.db"), "other")
    db.pragma("user_version", 5, schema="other")
    assert db.pragma("user_version", schema="other") == 5
    assert db.pragma("user_version") == 0
    db.close()


def test_timeout(path):
    db = SqliteDatabase(path)
    assert db.timeout == 5
    db.timeout = 2
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 2000
    db.close()
    assert SqliteDatabase(path, timeout=0.5).timeout == 0.5


def test_locked_database_is_an_operational_error(path):
    a = SqliteDatabase(path, timeout=0)
    b = SqliteDatabase(path, timeout=0)
    a.execute_sql("CREATE TABLE t (x INTEGER)")
    with a.atomic("EXCLUSIVE"):
        with pytest.raises(OperationalError, match="locked"):
            b.execute_sql("SELECT * FROM t")
    a.close()
    b.close()


def test_user_defined_function_decorator_and_open_connection(path):
    db = SqliteDatabase(path)
    db.connect()

    @db.func()
    def title_case(s):
        return s.title()

    @db.func("add3", num_params=3, deterministic=True)
    def add_three(a, b, c):
        return a + b + c

    # Registered on the already-open connection ...
    assert db.execute_sql("SELECT title_case('hello world')").fetchone()[0] == "Hello World"
    assert db.execute_sql("SELECT add3(1, 2, 3)").fetchone()[0] == 6
    db.close()
    # ... and on new ones.
    assert db.execute_sql("SELECT title_case('x y')").fetchone()[0] == "X Y"
    db.unregister_function("title_case")
    db.close()
    with pytest.raises(OperationalError, match="no such function: title_case"):
        db.execute_sql("SELECT title_case('x')")
    assert db.execute_sql("SELECT add3(1, 1, 1)").fetchone()[0] == 3
    db.close()


def test_function_usable_through_fn(path):
    from peewee import fn

    db = SqliteDatabase(path)
    db.register_function(lambda x: x * 2, "double")
    cursor = db.execute(peewee.Select(columns=[fn.double(21)]))
    assert cursor.fetchone()[0] == 42
    db.close()


def test_aggregate_and_window_function(path):
    db = SqliteDatabase(path)

    @db.aggregate("product")
    class Product:
        def __init__(self):
            self.value = 1

        def step(self, x):
            self.value *= x

        def finalize(self):
            return self.value

    @db.window_function("running_sum", 1)
    class RunningSum:
        def __init__(self):
            self.total = 0

        def step(self, x):
            self.total += x

        def inverse(self, x):
            self.total -= x

        def value(self):
            return self.total

        def finalize(self):
            return self.total

    db.execute_sql("CREATE TABLE n (x INTEGER)")
    for x in (2, 3, 4):
        db.execute_sql("INSERT INTO n VALUES (?)", (x,))
    assert db.execute_sql("SELECT product(x) FROM n").fetchone()[0] == 24
    rows = db.execute_sql(
        "SELECT running_sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM n"
    ).fetchall()
    assert [r[0] for r in rows] == [2, 5, 7]
    db.unregister_aggregate("product")
    db.unregister_window_function("running_sum")
    db.close()
    with pytest.raises(OperationalError, match="no such function: product"):
        db.execute_sql("SELECT product(x) FROM n")
    with pytest.raises(OperationalError, match="no such function: running_sum"):
        db.execute_sql("SELECT running_sum(x) OVER () FROM n")
    db.close()


def test_collation(path):
    db = SqliteDatabase(path)

    @db.collation()
    def reverse(a, b):
        return -((a > b) - (a < b))

    db.execute_sql("CREATE TABLE c (s TEXT)")
    for s in ("a", "c", "b"):
        db.execute_sql("INSERT INTO c VALUES (?)", (s,))
    rows = db.execute_sql("SELECT s FROM c ORDER BY s COLLATE reverse").fetchall()
    assert [r[0] for r in rows] == ["c", "b", "a"]
    db.close()
    rows = db.execute_sql("SELECT s FROM c ORDER BY s COLLATE reverse").fetchall()
    assert [r[0] for r in rows] == ["c", "b", "a"]
    sql, _ = db.get_sql_context().sql(reverse.collation(peewee.SQL("s"))).query()
    assert sql == "s collate reverse"
    db.unregister_collation("reverse")
    with pytest.raises(OperationalError, match="no such collation sequence: reverse"):
        db.execute_sql("SELECT s FROM c ORDER BY s COLLATE reverse")
    db.close()


def test_attach_and_detach(path, tmp_path):
    other_path = str(tmp_path / "other.db")
    other = sqlite3.connect(other_path)
    other.execute("CREATE TABLE remote (x INTEGER)")
    other.execute("INSERT INTO remote VALUES (7)")
    other.commit()
    other.close()

    db = SqliteDatabase(path)
    assert db.attach(other_path, "other") is True
    assert db.attach(other_path, "other") is False
    with pytest.raises(OperationalError):
        db.attach(str(tmp_path / "third.db"), "other")
    assert db.execute_sql("SELECT x FROM other.remote").fetchone()[0] == 7
    assert db.get_tables(schema="other") == ["remote"]
    db.close()
    assert db.execute_sql("SELECT x FROM other.remote").fetchone()[0] == 7  # re-attached
    assert db.detach("other") is True
    assert db.detach("other") is False
    with pytest.raises(OperationalError):
        db.execute_sql("SELECT x FROM other.remote")
    db.close()


def test_regexp_function_option(path):
    db = SqliteDatabase(path, regexp_function=True)
    assert db.execute_sql("SELECT 'peewee' REGEXP '^pe+w'").fetchone()[0] == 1
    assert db.execute_sql("SELECT 'peewee' REGEXP '^x'").fetchone()[0] == 0
    db.close()


def test_memory_database_keeps_data_while_connected():
    db = SqliteDatabase(":memory:")
    db.execute_sql("CREATE TABLE m (x INTEGER)")
    with db.atomic():
        db.execute_sql("INSERT INTO m VALUES (1)")
    assert db.execute_sql("SELECT COUNT(*) FROM m").fetchone()[0] == 1
    with db:  # the block closes the connection, taking the data with it
        pass
    assert db.get_tables() == []
    db.close()


def test_load_extension(path):
    db = SqliteDatabase(path)
    db.connect()
    if not hasattr(sqlite3.Connection, "enable_load_extension"):
        # This Python's sqlite3 cannot load extensions at all: say so plainly.
        with pytest.raises(peewee.NotSupportedError):
            db.load_extension("anything")
        assert db.execute_sql("SELECT 1").fetchone() == (1,)
        db.close()
        return
    with pytest.raises(OperationalError):
        db.load_extension("/nonexistent/extension")
    db.close()
    # A failed load is not retried on new connections.
    assert db.execute_sql("SELECT 1").fetchone() == (1,)
    db.close()
    db.load_extension("/nonexistent/other")  # not connected: loaded on the next connection
    with pytest.raises(OperationalError):
        db.connect()
    db.unload_extension("/nonexistent/other")
    assert db.connect()
    db.close()


def test_functions_reach_connections_already_open_in_other_threads(path):
    import threading

    db = SqliteDatabase(path)
    opened = threading.Event()
    registered = threading.Event()
    results = []

    def worker():
        db.connect()
        opened.set()
        registered.wait(5)
        # This connection was open before the registrations below.
        results.append(db.execute_sql("SELECT shout('hi')").fetchone()[0])
        results.append(db.execute_sql("SELECT total_len(w) FROM (SELECT 'ab' AS w UNION ALL SELECT 'cde')").fetchone()[0])
        results.append(
            [r[0] for r in db.execute_sql("SELECT w FROM (SELECT 'bb' AS w UNION ALL SELECT 'a') ORDER BY w COLLATE bylen DESC")]
        )
        db.close()

    thread = threading.Thread(target=worker)
    thread.start()
    opened.wait(5)

    @db.func("shout", 1)
    def shout(s):
        return s.upper() + "!"

    @db.aggregate("total_len", 1)
    class TotalLen:
        def __init__(self):
            self.n = 0

        def step(self, value):
            self.n += len(value)

        def finalize(self):
            return self.n

    @db.collation("bylen")
    def bylen(a, b):
        return len(a) - len(b)

    registered.set()
    thread.join()
    assert results == ["HI!", 5, ["bb", "a"]]

    # Removing a collation reaches open connections too.
    db.connect()
    db.unregister_collation("bylen")
    with pytest.raises(OperationalError, match="no such collation"):
        db.execute_sql("SELECT 1 ORDER BY 1 COLLATE bylen")
    db.close()


def test_attach_reaches_connections_open_in_other_threads(path, tmp_path):
    import threading

    other_path = str(tmp_path / "extra.db")
    extra = sqlite3.connect(other_path)
    extra.execute("CREATE TABLE remote (x INTEGER)")
    extra.execute("INSERT INTO remote VALUES (9)")
    extra.commit()
    extra.close()

    db = SqliteDatabase(path)
    opened, attached, detached, checked = (threading.Event() for _ in range(4))
    results = []

    def worker():
        db.connect()
        opened.set()
        attached.wait(5)
        results.append(db.execute_sql("SELECT x FROM extra.remote").fetchone()[0])
        checked.set()
        detached.wait(5)
        try:
            db.execute_sql("SELECT x FROM extra.remote")
        except OperationalError as exc:
            results.append(str(exc))
        db.close()

    thread = threading.Thread(target=worker)
    thread.start()
    opened.wait(5)
    assert db.attach(other_path, "extra")
    attached.set()
    checked.wait(5)
    assert db.detach("extra")
    detached.set()
    thread.join()
    assert results == [9, "no such table: extra.remote"]

    with db.atomic():
        with pytest.raises(OperationalError, match="within a transaction"):
            db.attach(other_path, "extra")
    assert db.get_tables(schema="main") == []
    assert db.attach(other_path, "extra")
    assert db.get_tables(schema="extra") == ["remote"]
    db.close()
