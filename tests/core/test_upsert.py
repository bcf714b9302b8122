"""Upserts: conflict resolution SQL per backend (checked against peewee's text), the
``conflict_statement`` / ``conflict_update`` hooks a database or a context may supply, and the
effect of every form on the backend it belongs to."""

import pytest

from peewee import (
    EXCLUDED,
    SQL,
    CharField,
    Context,
    Database,
    IntegerField,
    InterfaceError,
    Model,
    MySQLDatabase,
    MySQLDialect,
    NodeList,
    OnConflict,
    PostgresqlDatabase,
    SqliteDatabase,
    SqliteDialect,
    Table,
    TextField,
    fn,
)
from peewee.dialects._upsert import build_on_conflict_target, build_on_conflict_update

SQLITE = SqliteDatabase(":memory:")
PG = PostgresqlDatabase("peewee_test")  # never connected: its SQL only
MY = MySQLDatabase("peewee_test")


def make_user(bound_to):
    class User(Model):
        username = CharField(unique=True)
        visits = IntegerField(default=0)
        last = TextField(null=True)

        class Meta:
            database = bound_to

    return User


# SQL text ----------------------------------------------------------------------------------------


def test_ignore_and_replace_statements_per_backend():
    for database, ignore, replace in (
        (SQLITE, 'INSERT OR IGNORE INTO "user"', 'INSERT OR REPLACE INTO "user"'),
        (MY, "INSERT IGNORE INTO `user`", "REPLACE INTO `user`"),
    ):
        User = make_user(database)
        assert User.insert(username="a").on_conflict_ignore().sql()[0].startswith(ignore + " (")
        assert User.insert(username="a").on_conflict("IGNORE").sql()[0].startswith(ignore + " (")
        assert User.insert(username="a").on_conflict_replace().sql()[0].startswith(replace + " (")
        assert User.replace(username="a").sql()[0].startswith(replace + " (")
        assert User.replace_many([{"username": "a"}]).sql()[0].startswith(replace + " (")
        # Switched off again: a plain INSERT.
        q = User.insert(username="a").on_conflict_ignore().on_conflict_ignore(False)
        assert q.sql()[0].startswith("INSERT INTO ")
    User = make_user(PG)
    assert User.insert(username="a").on_conflict_ignore().sql() == (
        'INSERT INTO "user" ("username", "visits") VALUES (%s, %s) ON CONFLICT DO NOTHING '
        'RETURNING "user"."id"',
        ["a", 0],
    )
    with pytest.raises(ValueError, match='only supported actions .* "ignore" or "update"'):
        User.insert(username="a").on_conflict_replace().sql()


def test_other_sqlite_actions_and_do_nothing():
    User = make_user(SQLITE)
    assert User.insert(username="a").on_conflict("ABORT").sql()[0].startswith("INSERT OR ABORT ")
    assert User.insert(username="a").on_conflict("NOTHING").sql() == (
        'INSERT INTO "user" ("username", "visits") VALUES (?, ?) ON CONFLICT DO NOTHING',
        ["a", 0],
    )
    q = User.insert(username="a").on_conflict(
        "nothing", conflict_target=[User.username], conflict_where=(User.visits > 1)
    )
    assert q.sql()[0].endswith('ON CONFLICT ("username") WHERE ("visits" > ?) DO NOTHING')
    My = make_user(MY)
    with pytest.raises(ValueError, match="MySQL supports REPLACE, IGNORE and UPDATE"):
        My.insert(username="a").on_conflict("NOTHING").sql()


def test_on_conflict_do_update_text_sqlite_and_postgres():
    for database, p, tail in ((SQLITE, "?", ""), (PG, "%s", ' RETURNING "user"."id"')):
        User = make_user(database)
        q = User.insert(username="a", visits=1).on_conflict(
            conflict_target=[User.username],
            preserve=[User.last],
            update={User.visits: User.visits + EXCLUDED.visits},
            where=(User.visits < 10),
        )
        assert q.sql() == (
            'INSERT INTO "user" ("username", "visits") VALUES ({p}, {p}) ON CONFLICT ("username") '
            'DO UPDATE SET "last" = EXCLUDED."last", "visits" = ("user"."visits" + '
            'EXCLUDED."visits") WHERE ("user"."visits" < {p}){tail}'.format(p=p, tail=tail),
            ["a", 1, 10],
        )
        # Names as strings, a partial-index target and a subquery value.
        q = User.insert(username="a").on_conflict(
            action="update",
            conflict_target=("username",),
            conflict_where=(User.visits > 1),
            update={"visits": User.select(fn.MAX(User.visits)), "last": "x"},
        )
        assert q.sql() == (
            'INSERT INTO "user" ("username", "visits") VALUES ({p}, {p}) ON CONFLICT ("username") '
            'WHERE ("visits" > {p}) DO UPDATE SET "visits" = (SELECT MAX("user"."visits") FROM '
            '"user" AS "user"), "last" = {p}{tail}'.format(p=p, tail=tail),
            ["a", 0, 1, "x"],
        )


def test_conflict_constraint_is_postgres_only():
    User = make_user(PG)
    q = User.insert(username="a").on_conflict(conflict_constraint="uq", preserve=(User.visits,))
    assert q.sql()[0] == (
        'INSERT INTO "user" ("username", "visits") VALUES (%s, %s) ON CONFLICT ON CONSTRAINT "uq" '
        'DO UPDATE SET "visits" = EXCLUDED."visits" RETURNING "user"."id"'
    )
    assert User.insert(username="a").on_conflict("IGNORE", conflict_constraint="uq").sql()[0] == (
        'INSERT INTO "user" ("username", "visits") VALUES (%s, %s) ON CONFLICT ON CONSTRAINT "uq" '
        'DO NOTHING RETURNING "user"."id"'
    )
    Lite = make_user(SQLITE)
    with pytest.raises(ValueError, match="SQLite does not support specifying named constraints"):
        Lite.insert(username="a").on_conflict(conflict_constraint="uq", preserve=[Lite.visits]).sql()
    with pytest.raises(ValueError, match='only one of "conflict_target" and "conflict_constraint"'):
        Lite.insert(username="a").on_conflict(conflict_target=[Lite.id], conflict_constraint="uq")


def test_upsert_errors_match_peewee():
    for database, name, action in ((SQLITE, "SQLite", "NOTHING"), (PG, "Postgres", "IGNORE")):
        User = make_user(database)
        with pytest.raises(ValueError, match="%s requires that a conflict target" % name):
            User.insert(username="a").on_conflict(preserve=[User.visits]).sql()
        with pytest.raises(ValueError, match='action should be set to "%s"' % action):
            User.insert(username="a").on_conflict(conflict_target=[User.username]).sql()
    My = make_user(MY)
    with pytest.raises(ValueError, match="MySQL does not support the specification of where"):
        My.insert(username="a").on_conflict(conflict_target=[My.username], preserve=[My.id]).sql()
    with pytest.raises(ValueError, match="MySQL does not support the specification of where"):
        My.insert(username="a").on_conflict(preserve=[My.id], where=(My.visits > 1)).sql()


def test_on_duplicate_key_update_text():
    User = make_user(MY)
    q = User.insert(username="a").on_conflict(
        preserve=[User.visits], update={User.last: fn.CONCAT(User.last, "x"), "visits": 3}
    )
    assert q.sql() == (
        "INSERT INTO `user` (`username`, `visits`) VALUES (%s, %s) ON DUPLICATE KEY UPDATE "
        "`visits` = VALUES(`visits`), `last` = CONCAT(`last`, %s), `visits` = %s",
        ["a", 0, "x", 3],
    )
    # IGNORE with preserved columns keeps both parts, as peewee does.
    assert User.insert(username="a").on_conflict("ignore", preserve=[User.visits]).sql()[0] == (
        "INSERT IGNORE INTO `user` (`username`, `visits`) VALUES (%s, %s) "
        "ON DUPLICATE KEY UPDATE `visits` = VALUES(`visits`)"
    )
    # Nothing to update: a plain INSERT.
    assert User.insert(username="a").on_conflict("update").sql()[0] == (
        "INSERT INTO `user` (`username`, `visits`) VALUES (%s, %s)"
    )


def test_mariadb_reads_the_proposed_row_with_value():
    T = Table("kv", ("id", "k", "v"))
    q = T.insert(k="a", v=1).on_conflict(preserve=[T.v])

    def text(**dialect):
        return Context(dialect=MySQLDialect(**dialect)).sql(q).query()[0]

    values, value = "`v` = VALUES(`v`)", "`v` = VALUE(`v`)"
    assert text().endswith(values)  # version unknown
    assert text(server_version=(8, 0, 36)).endswith(values)  # MySQL
    assert text(server_version=(10, 3, 2), mariadb=True).endswith(values)
    assert text(server_version=(10, 3, 3), mariadb=True).endswith(value)
    assert text(server_version=(10, 11, 6)).endswith(value)  # only MariaDB has a 10.x


def test_columns_with_their_own_names_render_the_column_name():
    expected = {
        SQLITE: 'ON CONFLICT ("nm") DO UPDATE SET "cnt" = EXCLUDED."cnt"',
        PG: 'ON CONFLICT ("nm") DO UPDATE SET "cnt" = EXCLUDED."cnt" RETURNING "c"."id"',
        MY: "ON DUPLICATE KEY UPDATE `cnt` = VALUES(`cnt`)",
    }
    for database, tail in expected.items():

        class C(Model):
            name = CharField(column_name="nm", unique=True)
            n = IntegerField(column_name="cnt")

            class Meta:
                database = SQLITE

        C.bind(database)
        target = None if database is MY else [C.name]
        q = C.insert(name="a", n=1).on_conflict(conflict_target=target, preserve=[C.n])
        assert q.sql()[0].endswith(tail)


# Where the hooks come from -------------------------------------------------------------------


def test_unbound_upsert_needs_a_database():
    T = Table("kv", ("id", "k", "v"))
    for q in (
        T.insert(k="a").on_conflict_ignore(),
        T.insert(k="a").on_conflict_replace(),
        T.insert(k="a").on_conflict(conflict_target=["k"], preserve=["v"]),
    ):
        with pytest.raises(InterfaceError, match="requires the query be bound to a database"):
            q.sql()
    assert T.insert(k="a").sql() == ('INSERT INTO "kv" ("k") VALUES (?)', ["a"])


def test_database_subclass_hooks_drive_the_sql():
    class CustomSqlite(SqliteDatabase):
        def conflict_statement(self, on_conflict, query):
            if (on_conflict._action or "").lower() == "ignore":
                return SQL("INSERT OR ROLLBACK")
            return super().conflict_statement(on_conflict, query)

        def conflict_update(self, on_conflict, query):
            node = super().conflict_update(on_conflict, query)
            return None if node is None else NodeList((SQL("/* upsert */"), node))

    db = CustomSqlite(":memory:")
    T = Table("kv", ("id", "k", "v")).bind(db)
    assert T.insert(k="a").on_conflict_ignore().sql()[0] == (
        'INSERT OR ROLLBACK INTO "kv" ("k") VALUES (?)'
    )
    assert T.insert(k="a").on_conflict_replace().sql()[0] == (
        'INSERT OR REPLACE INTO "kv" ("k") VALUES (?)'
    )
    sql = T.insert(k="a").on_conflict(conflict_target=[T.k], preserve=[T.v]).sql()[0]
    assert sql.endswith('/* upsert */ ON CONFLICT ("k") DO UPDATE SET "v" = EXCLUDED."v"')
    # A database of another class keeps the dialect's own hooks.
    assert Table("kv").bind(SQLITE).insert(k="a").on_conflict_ignore().sql()[0].startswith(
        "INSERT OR IGNORE"
    )


def test_driver_built_on_the_generic_database():
    class NewDriver(Database):
        param = "%s"

        def conflict_statement(self, on_conflict, query):
            return SQL("UPSERT") if on_conflict._action == "MERGE" else None

        def conflict_update(self, on_conflict, query):
            if on_conflict._action == "MERGE":
                return None
            return build_on_conflict_update(on_conflict, query)

    db = NewDriver("x")
    T = Table("kv", ("id", "k", "v")).bind(db)
    assert T.insert(k="a").on_conflict("MERGE").sql() == ('UPSERT INTO "kv" ("k") VALUES (%s)', ["a"])
    assert T.insert(k="a").on_conflict(conflict_target=[T.k], update={T.v: 1}).sql() == (
        'INSERT INTO "kv" ("k") VALUES (%s) ON CONFLICT ("k") DO UPDATE SET "v" = %s',
        ["a", 1],
    )
    assert Context().sql(build_on_conflict_target(OnConflict("IGNORE"))).query() == (
        "ON CONFLICT",
        [],
    )
    # Without hooks of its own, a driver on the generic dialect has no conflict syntax.
    bare = Database("x")
    with pytest.raises(NotImplementedError):
        Table("kv", ("k",)).bind(bare).insert(k="a").on_conflict_ignore().sql()


def test_context_hooks_win_over_the_dialect():
    T = Table("kv", ("id", "k", "v")).bind(SQLITE)
    q = T.insert(k="a").on_conflict_ignore()
    ctx = SQLITE.get_sql_context(
        conflict_statement=lambda oc, query: SQL("MERGE"), conflict_update=lambda oc, query: None
    )
    assert ctx.sql(q).query() == ('MERGE INTO "kv" ("k") VALUES (?)', ["a"])
    # peewee's context options carry the database's hooks, so a bare Context works with them.
    for database, expected in ((SQLITE, "INSERT OR IGNORE INTO"), (MY, "INSERT IGNORE INTO")):
        options = database.get_context_options()
        assert options["conflict_statement"] == database.conflict_statement
        assert Context(**options).sql(q).query()[0].startswith(expected)


# Effects on the real backends ------------------------------------------------------------------


@pytest.fixture
def User(db):
    model = make_user(db)
    db.create_tables([model])
    model.create(username="ann", visits=1, last="a")
    return model


def _state(User):
    return [(u.username, u.visits, u.last) for u in User.select().order_by(User.username)]


def test_insert_ignore_keeps_the_existing_row(User):
    User.insert(username="ann", visits=9).on_conflict_ignore().execute()
    User.insert(username="bob", visits=2).on_conflict_ignore().execute()
    assert _state(User) == [("ann", 1, "a"), ("bob", 2, None)]


@pytest.mark.backends("sqlite", "mysql")
def test_replace_swaps_the_row(User):
    User.replace(username="ann", visits=7).execute()
    User.insert(username="ann", visits=8, last="z").on_conflict_replace().execute()
    assert _state(User) == [("ann", 8, "z")]


@pytest.mark.backends("sqlite", "postgres")
def test_on_conflict_do_update_with_where(User):
    def upsert(visits):
        return User.insert(username="ann", visits=visits, last="new").on_conflict(
            conflict_target=[User.username],
            preserve=[User.last],
            update={User.visits: User.visits + EXCLUDED.visits},
            where=(User.visits < 10),
        )

    upsert(4).execute()
    assert _state(User) == [("ann", 5, "new")]
    upsert(20).execute()
    assert _state(User) == [("ann", 25, "new")]
    upsert(1).execute()  # 25 is not < 10: unchanged
    assert _state(User) == [("ann", 25, "new")]
    User.insert(username="ann").on_conflict("IGNORE").execute()
    User.insert(username="ann").on_conflict(
        "IGNORE", conflict_target=[User.username]
    ).execute()
    assert _state(User) == [("ann", 25, "new")]


@pytest.mark.backends("sqlite")
def test_sqlite_do_nothing_with_target(User):
    User.insert(username="ann", visits=5).on_conflict(
        "NOTHING", conflict_target=[User.username]
    ).execute()
    assert _state(User) == [("ann", 1, "a")]


@pytest.mark.backends("postgres")
def test_postgres_conflict_on_constraint(User, db):
    db.execute_sql('ALTER TABLE "user" ADD CONSTRAINT "user_visits_uq" UNIQUE ("visits")')
    User.insert(username="zed", visits=1).on_conflict(
        conflict_constraint="user_visits_uq", update={User.last: "from zed"}
    ).execute()
    User.insert(username="amy", visits=1).on_conflict(
        "IGNORE", conflict_constraint="user_visits_uq"
    ).execute()
    assert _state(User) == [("ann", 1, "from zed")]


@pytest.mark.backends("mysql")
def test_on_duplicate_key_update_on_the_server(User, db):
    q = User.insert(username="ann", visits=5, last="b").on_conflict(
        preserve=[User.last], update={User.visits: User.visits + 1}
    )
    function = "VALUE" if db.server_version >= (10, 3, 3) else "VALUES"
    assert "`last` = %s(`last`)" % function in q.sql()[0]
    q.execute()
    assert _state(User) == [("ann", 2, "b")]
    User.insert(username="ann", visits=50).on_conflict("IGNORE", preserve=[User.visits]).execute()
    assert _state(User) == [("ann", 50, "b")]


def test_sqlite_before_3_24_has_only_insert_or():
    old = SqliteDialect(server_version=(3, 23, 1))
    T = Table("kv", ("id", "k", "v"))
    assert Context(dialect=old).sql(T.insert(k="a").on_conflict_replace()).query()[0] == (
        'INSERT OR REPLACE INTO "kv" ("k") VALUES (?)'
    )
    with pytest.raises(ValueError, match="SQLite does not support specifying which values"):
        Context(dialect=old).sql(T.insert(k="a").on_conflict(conflict_target=[T.k], preserve=[T.v]))
