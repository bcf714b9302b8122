"""Database connections, execution, logging, deferred initialisation, proxies and threads."""

from __future__ import annotations

import logging
import sqlite3
import threading
import warnings

import pytest

import peewee
from peewee import (
    Database,
    DatabaseProxy,
    InterfaceError,
    OperationalError,
    Proxy,
    SqliteDatabase,
    Value,
)
from server_sessions import second_connection


def autoinc_ddl(db, table):
    pk = {
        "sqlite": "id INTEGER NOT NULL PRIMARY KEY",
        "postgresql": "id SERIAL NOT NULL PRIMARY KEY",
        "mysql": "id INTEGER AUTO_INCREMENT NOT NULL PRIMARY KEY",
    }[db.dialect.name]
    return "CREATE TABLE %s (%s, name VARCHAR(40))" % (table, pk)


# Connecting and closing --------------------------------------------------------------------------
def test_connect_close_lifecycle(db):
    assert db.is_closed()
    assert db.connect() is True
    assert not db.is_closed()
    assert db.is_connection_usable()
    with pytest.raises(OperationalError, match="Connection already opened."):
        db.connect()
    assert db.connect(reuse_if_open=True) is False
    assert db.close() is True
    assert db.close() is False
    assert db.is_closed()
    assert not db.is_connection_usable()


def test_connection_opens_on_demand_and_is_the_driver_connection(db):
    conn = db.connection()
    assert not db.is_closed()
    assert db.connection() is conn
    cursor = db.cursor()
    cursor.execute("SELECT 1")
    assert cursor.fetchone()[0] == 1


def test_close_inside_transaction_is_refused(db):
    with db.atomic():
        with pytest.raises(
            OperationalError, match="Attempting to close database while transaction is open."
        ):
            db.close()
    assert db.close() is True


def test_autoconnect_false_requires_explicit_connect(tmp_path):
    db = SqliteDatabase(str(tmp_path / "a.db"), autoconnect=False)
    with pytest.raises(InterfaceError, match="Error, database connection not opened."):
        db.execute_sql("SELECT 1")
    db.connect()
    assert db.execute_sql("SELECT 1").fetchone() == (1,)
    db.close()


def test_with_database_is_a_connection_and_transaction(db):
    db.execute_sql("CREATE TABLE ctx_t (x INTEGER)")
    db.close()
    with db:
        assert not db.is_closed()
        assert db.in_transaction()
        db.execute_sql("INSERT INTO ctx_t (x) VALUES (1)")
    assert db.is_closed()
    with pytest.raises(ZeroDivisionError):
        with db:
            db.execute_sql("INSERT INTO ctx_t (x) VALUES (2)")
            raise ZeroDivisionError
    assert db.is_closed()
    assert list(db.execute_sql("SELECT x FROM ctx_t").fetchall()) == [(1,)]
    # As in peewee, the outermost block closes the connection even if it was open beforehand.
    assert not db.is_closed()
    with db:
        with db.connection_context():
            pass
        assert not db.is_closed()
    assert db.is_closed()


def test_connection_context_as_context_manager_and_decorator(db):
    with db.connection_context():
        assert not db.is_closed()
        assert not db.in_transaction()
    assert db.is_closed()

    @db.connection_context()
    def work():
        assert not db.is_closed()
        return db.execute_sql("SELECT 2").fetchone()[0]

    assert work() == 2
    assert work() == 2
    assert db.is_closed()


def test_initialize_connection_hook_runs_for_every_connection(tmp_path):
    seen = []

    class HookedDatabase(SqliteDatabase):
        def initialize_connection(self, conn):
            seen.append(conn)
            conn.execute("PRAGMA user_version = 7")

    db = HookedDatabase(str(tmp_path / "h.db"))
    assert db.execute_sql("PRAGMA user_version").fetchone()[0] == 7
    db.close()
    db.connect()
    assert len(seen) == 2 and seen[0] is not seen[1]
    db.close()


# Deferred initialisation and proxies --------------------------------------------------------
def test_deferred_database_raises_until_initialised(tmp_path):
    db = SqliteDatabase(None)
    assert db.deferred
    with pytest.raises(InterfaceError) as info:
        db.connect()
    assert str(info.value) == "Error, database must be initialized before opening a connection."
    with pytest.raises(InterfaceError):
        db.execute_sql("SELECT 1")
    db.init(str(tmp_path / "deferred.db"), timeout=2)
    assert not db.deferred
    assert db.timeout == 2
    assert db.execute_sql("SELECT 1").fetchone() == (1,)
    db.close()


def test_init_closes_an_open_connection_and_merges_parameters(tmp_path):
    db = SqliteDatabase(str(tmp_path / "one.db"), check_same_thread=False)
    db.connect()
    db.init(str(tmp_path / "two.db"), cached_statements=10)
    assert db.is_closed()
    assert db.connect_params == {"check_same_thread": False, "cached_statements": 10}
    db.execute_sql("CREATE TABLE t2 (x INTEGER)")
    assert (tmp_path / "two.db").exists()
    db.close()


def test_proxy_forwards_after_initialize(tmp_path):
    proxy = Proxy()
    with pytest.raises(AttributeError, match="Cannot use uninitialized Proxy."):
        _ = proxy.execute_sql
    with pytest.raises(AttributeError, match="Cannot set attribute on proxy."):
        proxy.foo = 1
    called = []
    proxy.attach_callback(called.append)
    real = SqliteDatabase(str(tmp_path / "p.db"))
    proxy.initialize(real)
    assert called == [real]
    assert proxy.execute_sql("SELECT 3").fetchone() == (3,)
    with proxy:
        assert real.in_transaction()
    real.close()


def test_database_proxy_context_managers_created_before_initialisation(tmp_path):
    proxy = DatabaseProxy()
    atomic = proxy.atomic()
    conn_ctx = proxy.connection_context()
    real = SqliteDatabase(str(tmp_path / "dp.db"))
    proxy.initialize(real)
    with conn_ctx:
        assert not real.is_closed()
        with atomic:
            assert real.in_transaction()
            real.execute_sql("CREATE TABLE dp (x INTEGER)")
        with proxy.transaction():
            real.execute_sql("INSERT INTO dp VALUES (1)")
        with proxy.manual_commit():
            assert real.top_transaction() is not None
    assert real.is_closed()
    assert list(real.execute_sql("SELECT x FROM dp").fetchall()) == [(1,)]
    real.close()


# Executing -------------------------------------------------------------------------------------
def test_statements_outside_transactions_are_committed(db):
    db.execute_sql("CREATE TABLE ac_t (x INTEGER)")
    db.execute_sql("INSERT INTO ac_t (x) VALUES (1)")
    other = second_connection(db)
    try:
        assert list(other.execute_sql("SELECT x FROM ac_t").fetchall()) == [(1,)]
    finally:
        other.close()


def test_last_insert_id_and_rows_affected(db):
    db.execute_sql(autoinc_ddl(db, "li_t"))
    returning = " RETURNING id" if db.dialect.returning_clause else ""
    p = db.dialect.param
    cursor = db.execute_sql("INSERT INTO li_t (name) VALUES (%s)%s" % (p, returning), ("a",))
    assert db.last_insert_id(cursor) == 1
    cursor = db.execute_sql("INSERT INTO li_t (name) VALUES (%s)%s" % (p, returning), ("b",))
    assert db.last_insert_id(cursor) == 2
    cursor = db.execute_sql("UPDATE li_t SET name = %s" % p, ("z",))
    assert db.rows_affected(cursor) == 2


def test_every_statement_is_logged_as_sql_and_params(db, caplog):
    caplog.set_level(logging.DEBUG, logger="peewee")
    p = db.dialect.param
    db.execute_sql("SELECT %s" % p, (5,))
    db.execute_sql("SELECT 1")
    messages = [r.msg for r in caplog.records if r.name == "peewee"]
    assert ("SELECT %s" % p, (5,)) in messages
    assert ("SELECT 1", None) in messages


def test_model_queries_and_failing_statements_are_logged(db, caplog):
    Person, _ = _models(db)
    db.create_tables([Person])
    caplog.set_level(logging.DEBUG, logger="peewee")
    caplog.clear()
    Person.create(name="huey")
    list(Person.select().where(Person.name == "huey"))
    with pytest.raises(peewee.DatabaseError):
        db.execute_sql("SELECT * FROM no_such_table")
    records = [r for r in caplog.records if r.name == "peewee"]
    assert all(r.levelno == logging.DEBUG and not r.args for r in records)
    assert all(isinstance(r.msg, tuple) and len(r.msg) == 2 for r in records)
    sqls = [r.msg[0] for r in records]
    q = db.dialect.quote_name
    assert any(sql.startswith("INSERT INTO %s" % q("person")) for sql in sqls)
    select = next(r.msg for r in records if r.msg[0].startswith("SELECT"))
    assert q("name") in select[0] and list(select[1]) == ["huey"]
    assert records[-1].msg == ("SELECT * FROM no_such_table", None)
    assert records[-1].getMessage() == str(("SELECT * FROM no_such_table", None))


def test_execute_compiles_with_the_database_dialect(db):
    from peewee import SQL

    cursor = db.execute(SQL("SELECT 1 + %s" % db.dialect.param, [41]))
    assert cursor.fetchone()[0] == 42
    ctx = db.get_sql_context()
    assert ctx.dialect is db.dialect


def test_server_version_is_known_after_connecting(db):
    db.connect()
    version = db.server_version
    if isinstance(db, peewee.PostgresqlDatabase):
        assert isinstance(version, int) and version >= 90000
    else:
        assert isinstance(version, tuple) and version[0] >= 3


# Threads ---------------------------------------------------------------------------------------
def test_each_thread_has_its_own_connection(db):
    db.execute_sql("CREATE TABLE th_t (x INTEGER)")
    main_conn = db.connection()
    seen = {}
    errors = []

    def worker(n):
        try:
            assert db.is_closed()  # nothing leaks from the main thread
            with db.atomic():
                assert db.transaction_depth() == 1
                db.execute_sql("INSERT INTO th_t (x) VALUES (%d)" % n)
            seen[n] = db.connection()
            db.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({id(c) for c in seen.values()} | {id(main_conn)}) == 5
    assert db.connection() is main_conn
    assert sorted(r[0] for r in db.execute_sql("SELECT x FROM th_t").fetchall()) == [0, 1, 2, 3]


def test_thread_safe_false_shares_one_connection(tmp_path):
    db = SqliteDatabase(str(tmp_path / "shared.db"), thread_safe=False, check_same_thread=False)
    conn = db.connection()
    result = []
    t = threading.Thread(target=lambda: result.append(db.connection()))
    t.start()
    t.join()
    assert result == [conn]
    db.close()


def test_check_same_thread_is_passed_to_sqlite3(tmp_path):
    db = SqliteDatabase(str(tmp_path / "cst.db"), thread_safe=False)
    db.connect()
    errors = []
    t = threading.Thread(target=lambda: errors.append(_try(db)))
    t.start()
    t.join()
    assert isinstance(errors[0], sqlite3.ProgrammingError)
    db.close()
    shared = SqliteDatabase(str(tmp_path / "cst.db"), thread_safe=False, check_same_thread=False)
    assert shared.connect_params == {"check_same_thread": False}
    shared.connect()
    errors = []
    t = threading.Thread(target=lambda: errors.append(_try(shared)))
    t.start()
    t.join()
    assert errors == [None]
    shared.close()


def _try(db):
    try:
        db.connection().execute("SELECT 1")
    except Exception as exc:
        return exc
    return None


def test_threadlocals_and_autocommit_are_accepted_for_old_code(tmp_path):
    db = SqliteDatabase(str(tmp_path / "old.db"), threadlocals=True)
    assert "threadlocals" not in db.connect_params
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SqliteDatabase(str(tmp_path / "old2.db"), autocommit=False)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


# A new driver ------------------------------------------------------------------------------------
class _Cursor:
    """A DB-API 2.0 cursor that only forwards to sqlite3 (as a third-party driver would)."""

    def __init__(self, cursor):
        self._cursor = cursor

    def execute(self, sql, params=()):
        self._cursor.execute(sql, params)
        return self

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchmany(self, size=None):
        return self._cursor.fetchmany(self.arraysize if size is None else size)

    def fetchall(self):
        return self._cursor.fetchall()

    def executemany(self, sql, seq_of_params):
        self._cursor.executemany(sql, seq_of_params)
        return self

    def close(self):
        self._cursor.close()

    arraysize = 1

    @property
    def description(self):
        return self._cursor.description

    @property
    def rowcount(self):
        return self._cursor.rowcount

    @property
    def lastrowid(self):
        return self._cursor.lastrowid


class _Connection:
    def __init__(self, path):
        self._conn = sqlite3.connect(path)  # default DB-API transaction handling

    def cursor(self):
        return _Cursor(self._conn.cursor())

    def commit(self):
        self._conn.commit()

    def rollback(self):
        self._conn.rollback()

    def close(self):
        self._conn.close()


class WrappedDatabase(Database):
    field_types = {"JSON": "TEXT"}
    operations = {"LIKE": "GLOB"}

    def _connect(self):
        return _Connection(self.database)


def test_a_database_subclass_with_only_connect_runs_queries(tmp_path):
    path = str(tmp_path / "w.db")
    db = WrappedDatabase(path)
    db.execute_sql("CREATE TABLE w (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
    cursor = db.execute_sql("INSERT INTO w (name) VALUES (?)", ("a",))
    assert db.last_insert_id(cursor) == 1
    with pytest.raises(peewee.IntegrityError):
        db.execute_sql("INSERT INTO w (name) VALUES (?)", ("a",))
    with pytest.raises(ZeroDivisionError):
        with db.atomic():
            db.execute_sql("INSERT INTO w (name) VALUES (?)", ("b",))
            raise ZeroDivisionError
    with db.atomic():
        db.execute_sql("INSERT INTO w (name) VALUES (?)", ("c",))
    # Committed for other connections to see; the rolled-back row is absent.
    check = sqlite3.connect(path)
    assert check.execute("SELECT name FROM w ORDER BY id").fetchall() == [("a",), ("c",)]
    check.close()
    assert db.dialect.field_types["JSON"] == "TEXT"
    assert db.dialect.operations["LIKE"] == "GLOB"
    assert db.field_types is db.dialect.field_types
    db.close()


def test_a_database_subclass_with_only_connect_runs_model_queries(tmp_path):
    from peewee import CharField, ForeignKeyField, IntegerField, Model, fn

    path = str(tmp_path / "wm.db")
    db = WrappedDatabase(path)

    class Base(Model):
        class Meta:
            database = db

    class Author(Base):
        name = CharField(unique=True)

    class Book(Base):
        author = ForeignKeyField(Author, backref="books")
        title = CharField()
        pages = IntegerField(default=0)

    db.create_tables([Author, Book])
    ann = Author.create(name="ann")
    bob = Author.create(name="bob")
    assert (ann.id, bob.id) == (1, 2)
    Book.insert_many(
        [(ann, "a1", 100), (ann, "a2", 250), (bob, "b1", 80)],
        fields=[Book.author, Book.title, Book.pages],
    ).execute()
    query = (
        Book.select(Book.title, Author.name)
        .join(Author)
        .where(Book.pages > 90)
        .order_by(Book.title)
    )
    assert [(b.title, b.author.name) for b in query] == [("a1", "ann"), ("a2", "ann")]
    counts = (
        Author.select(Author.name, fn.COUNT(Book.id).alias("n"))
        .join(Book)
        .group_by(Author.name)
        .order_by(Author.name)
    )
    assert [(a.name, a.n) for a in counts] == [("ann", 2), ("bob", 1)]
    assert Book.update(pages=Book.pages + 1).where(Book.author == bob).execute() == 1
    assert Book.get(Book.title == "b1").pages == 81
    with pytest.raises(peewee.IntegrityError):
        with db.atomic():
            Author.create(name="cat")
            Author.create(name="ann")
    assert Author.select().count() == 2
    assert Book.delete().where(Book.pages < 100).execute() == 1
    db.close()
    # Everything outside the failed block was committed for other connections to see.
    check = sqlite3.connect(path)
    assert check.execute("SELECT name FROM author ORDER BY id").fetchall() == [("ann",), ("bob",)]
    assert check.execute("SELECT title, pages FROM book ORDER BY id").fetchall() == [("a1", 100), ("a2", 250)]
    check.close()


def test_a_plain_dbapi_driver_with_old_autocommit_false(tmp_path):
    path = str(tmp_path / "wa.db")
    with pytest.warns(DeprecationWarning):
        db = WrappedDatabase(path, autocommit=False)
    db.execute_sql("CREATE TABLE w (id INTEGER PRIMARY KEY)")
    db.commit()
    db.execute_sql("INSERT INTO w (id) VALUES (1)")
    check = sqlite3.connect(path)
    assert check.execute("SELECT id FROM w").fetchall() == []
    db.commit()
    assert check.execute("SELECT id FROM w").fetchall() == [(1,)]
    db.execute_sql("INSERT INTO w (id) VALUES (2)")
    db.rollback()
    assert db.execute_sql("SELECT id FROM w").fetchall() == [(1,)]
    check.close()
    db.close()


def test_param_and_quote_overrides_reach_the_dialect(tmp_path):
    from peewee import SQL, Entity

    class Custom(SqliteDatabase):
        quote = "[]"
        field_types = {"VARCHAR": "NVARCHAR"}

    db = Custom(str(tmp_path / "c.db"), field_types={"TEXT": "CLOB"})
    sql, _ = db.get_sql_context().sql(Entity("a", "b")).query()
    assert sql == "[a].[b]"
    assert db.dialect.field_types["VARCHAR"] == "NVARCHAR"
    assert db.dialect.field_types["TEXT"] == "CLOB"
    assert db.dialect.field_types["INT"] == "INTEGER"
    # The backend's own dialect is untouched.
    assert SqliteDatabase(":memory:").dialect.field_types["VARCHAR"] == "VARCHAR"
    assert db.execute(SQL("SELECT 1")).fetchone() == (1,)


# Binding models ----------------------------------------------------------------------------------
def _models(target):
    from peewee import CharField, ForeignKeyField, Model

    class Base(Model):
        class Meta:
            database = target

    class Person(Base):
        name = CharField()

    class Pet(Base):
        owner = ForeignKeyField(Person, backref="pets")
        name = CharField()

    return Person, Pet


def test_create_and_drop_tables_in_dependency_order(db):
    Person, Pet = _models(db)
    db.create_tables([Pet, Person])
    assert db.get_tables() == ["person", "pet"]
    assert db.get_foreign_keys("pet")[0].dest_table == "person"
    db.drop_tables([Person, Pet])
    assert db.get_tables() == []


def test_bind_and_bind_ctx(db, tmp_path):
    other = SqliteDatabase(str(tmp_path / "other.db"))
    Person, Pet = _models(other)
    with db.bind_ctx([Person]) as bound:
        assert bound == [Person]
        assert Person._meta.database is db
        assert Pet._meta.database is db  # bound through the back-reference
        db.create_tables([Person, Pet])
        Person.create(name="huey")
    assert Person._meta.database is other
    assert Pet._meta.database is other
    assert [r[0] for r in db.execute_sql("SELECT name FROM person").fetchall()] == ["huey"]
    with db.bind_ctx([Person], bind_backrefs=False):
        assert Pet._meta.database is other
    db.bind([Pet], bind_refs=False)
    assert Pet._meta.database is db and Person._meta.database is other
    other.close()


def test_model_bind_and_model_bind_ctx(db, tmp_path):
    other = SqliteDatabase(str(tmp_path / "other.db"))
    Person, Pet = _models(other)
    with Pet.bind_ctx(db):
        assert Pet._meta.database is db
        assert Person._meta.database is db  # through the foreign key
        db.create_tables([Person, Pet])
        huey = Person.create(name="huey")
        Pet.create(owner=huey, name="mickey")
    assert Pet._meta.database is other and Person._meta.database is other
    assert db.execute_sql("SELECT name FROM pet").fetchall()[0][0] == "mickey"
    with Pet.bind_ctx(db, bind_refs=False):
        assert Pet._meta.database is db and Person._meta.database is other
    Person.bind(db, bind_backrefs=False)
    assert Person._meta.database is db and Pet._meta.database is other
    Person.bind(db)
    assert Pet._meta.database is db
    assert [p.name for p in Person.select()] == ["huey"]
    assert [p.owner.name for p in Pet.select()] == ["huey"]
    assert not other.table_exists("person")
    other.close()


def test_models_declared_against_a_proxy(tmp_path):
    proxy = DatabaseProxy()
    Person, Pet = _models(proxy)
    real = SqliteDatabase(str(tmp_path / "proxied.db"))
    proxy.initialize(real)
    real.create_tables([Person, Pet])
    with proxy.atomic():
        Person.create(name="mickey")
    assert Person.select().count() == 1
    real.close()


# Date arithmetic helpers -----------------------------------------------------------------------
def test_date_helpers_on_every_backend(db):
    import datetime

    from peewee import SQL, Select, Table

    db.execute_sql("CREATE TABLE ev (ts %s)" % db.dialect.field_types["DATETIME"])
    value = datetime.datetime(2023, 7, 14, 9, 30, 15)
    db.execute_sql("INSERT INTO ev (ts) VALUES (%s)" % db.dialect.param, (value,))
    ts = SQL("ts")
    ev = Table("ev")
    parts = [db.extract_date(p, ts) for p in ("year", "month", "day", "hour", "minute", "second")]
    row = db.execute(Select([ev], parts)).fetchone()
    assert [int(x) for x in row] == [2023, 7, 14, 9, 30, 15]
    truncated = db.execute(Select([ev], [db.truncate_date("month", ts)])).fetchone()[0]
    if isinstance(truncated, str):
        truncated = datetime.datetime.strptime(truncated, "%Y-%m-%d %H:%M:%S")
    assert truncated.replace(tzinfo=None) == datetime.datetime(2023, 7, 1)
    epoch = db.execute(Select([ev], [db.to_timestamp(ts)])).fetchone()[0]
    back = db.execute(Select(columns=[db.from_timestamp(Value(int(epoch)))])).fetchone()[0]
    if isinstance(back, str):
        back = datetime.datetime.strptime(back, "%Y-%m-%d %H:%M:%S")
    if isinstance(db, peewee.PostgresqlDatabase):
        back = back.astimezone(datetime.timezone.utc)
    assert back.replace(tzinfo=None) == value
    assert db.execute(Select(columns=[db.random()])).fetchone()[0] is not None


def test_sqlite_date_functions_are_registered(tmp_path):
    db = SqliteDatabase(str(tmp_path / "d.db"))
    rows = db.execute_sql(
        "SELECT date_part('year', '2020-03-04 05:06:07'), date_part('minute', '05:06:07'), "
        "date_trunc('day', '2020-03-04 05:06:07.5'), date_trunc('hour', '2020-03-04'), "
        "date_part('year', NULL)"
    ).fetchone()
    assert rows == (2020, 6, "2020-03-04 00:00:00", "2020-03-04 00:00:00", None)
    with pytest.raises(peewee.OperationalError):
        db.execute_sql("SELECT date_part('fortnight', '2020-03-04')")
    db.close()


def test_database_model_property(tmp_path):
    db = SqliteDatabase(str(tmp_path / "m.db"))
    base = db.Model
    assert base is db.Model and base.__name__ == "BaseModel"

    class Thing(db.Model):
        name = peewee.CharField()

    db.create_tables([Thing])
    assert Thing.create(name="x").id == 1
    proxy = DatabaseProxy()
    assert proxy.Model._meta.database is proxy
    db.close()


def test_transactions_do_not_leak_between_threads(db):
    db.execute_sql("CREATE TABLE tl (x INTEGER)")
    started = threading.Event()
    finish = threading.Event()
    observed = {}

    def writer():
        with db.atomic():
            db.execute_sql("INSERT INTO tl (x) VALUES (1)")
            started.set()
            finish.wait(5)
        db.close()

    t = threading.Thread(target=writer)
    t.start()
    assert started.wait(5)
    observed["in_transaction"] = db.in_transaction()
    observed["depth"] = db.transaction_depth()
    observed["rows"] = db.execute_sql("SELECT COUNT(*) FROM tl").fetchone()[0]
    finish.set()
    t.join()
    assert observed == {"in_transaction": False, "depth": 0, "rows": 0}
    assert db.execute_sql("SELECT COUNT(*) FROM tl").fetchone()[0] == 1
