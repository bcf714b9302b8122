"""INSERT / UPDATE / DELETE / upserts / CREATE INDEX: SQL text per dialect and real effects."""

import pytest

from peewee import (
    EXCLUDED,
    SQL,
    Context,
    Index,
    IntegrityError,
    MySQLDialect,
    PostgresqlDialect,
    Select,
    SqliteDialect,
    Table,
    fn,
)

U = Table("users", ("id", "name", "age"), primary_key="id")
T = Table("tweets", ("id", "user_id", "content"))
P = Table("person", ("id", "name"), schema="main")
DIALECTS = {"sqlite": SqliteDialect(), "postgres": PostgresqlDialect(), "mysql": MySQLDialect()}


def render(query, dialect="sqlite"):
    return Context(dialect=DIALECTS[dialect]).sql(query).query()


# SQL text -----------------------------------------------------------------------------------------


def test_insert_forms_text():
    assert render(U.insert({U.name: "a", U.age: 3})) == (
        'INSERT INTO "users" ("age", "name") VALUES (?, ?)',
        [3, "a"],
    )
    assert render(U.insert(name="b", age=4))[1] == [4, "b"]
    assert render(U.insert([{"name": "a", "age": 1}, {"name": "b", "age": 2}])) == (
        'INSERT INTO "users" ("age", "name") VALUES (?, ?), (?, ?)',
        [1, "a", 2, "b"],
    )
    assert render(U.insert([("a", 1), ("b", 2)], columns=[U.name, U.age])) == (
        'INSERT INTO "users" ("name", "age") VALUES (?, ?), (?, ?)',
        ["a", 1, "b", 2],
    )
    assert render(U.insert(T.select(T.content, T.id), columns=[U.name, U.age])) == (
        'INSERT INTO "users" ("name", "age") SELECT "t1"."content", "t1"."id" FROM "tweets" AS "t1"',
        [],
    )
    assert render(U.insert({})) == ('INSERT INTO "users" DEFAULT VALUES', [])
    assert render(U.insert(name=fn.UPPER("a"))) == (
        'INSERT INTO "users" ("name") VALUES (UPPER(?))',
        ["a"],
    )
    assert render(P.insert(name="z"), "mysql") == (
        "INSERT INTO `main`.`person` (`name`) VALUES (%s)",
        ["z"],
    )
    with pytest.raises(NotImplementedError):
        U.insert(name="x").where(U.id == 1)


def test_insert_returning_and_conflict_resolution_text():
    assert render(U.insert(name="x").returning(U.id, U.name), "postgres") == (
        'INSERT INTO "users" ("name") VALUES (%s) RETURNING "users"."id", "users"."name"',
        ["x"],
    )
    assert render(U.insert(name="x").on_conflict_ignore())[0] == (
        'INSERT OR IGNORE INTO "users" ("name") VALUES (?)'
    )
    assert render(U.insert(name="x").on_conflict_ignore(), "postgres")[0] == (
        'INSERT INTO "users" ("name") VALUES (%s) ON CONFLICT DO NOTHING'
    )
    assert render(U.insert(name="x").on_conflict_ignore(), "mysql")[0] == (
        "INSERT IGNORE INTO `users` (`name`) VALUES (%s)"
    )
    assert render(U.replace(name="x"))[0] == 'INSERT OR REPLACE INTO "users" ("name") VALUES (?)'
    assert render(U.insert(name="x").on_conflict_replace(), "mysql")[0] == (
        "REPLACE INTO `users` (`name`) VALUES (%s)"
    )
    with pytest.raises(ValueError):
        render(U.replace(name="x"), "postgres")


def test_upsert_text_per_dialect():
    q = U.insert(id=1, name="x").on_conflict(
        conflict_target=(U.id,),
        preserve=[U.name],
        update={U.age: EXCLUDED.age + 1},
        where=(U.age < 10),
    )
    assert render(q) == (
        'INSERT INTO "users" ("id", "name") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET '
        '"name" = EXCLUDED."name", "age" = (EXCLUDED."age" + ?) WHERE ("users"."age" < ?)',
        [1, "x", 1, 10],
    )
    q = U.insert(id=1, name="x").on_conflict(conflict_constraint="users_pkey", preserve=[U.name])
    assert render(q, "postgres")[0] == (
        'INSERT INTO "users" ("id", "name") VALUES (%s, %s) ON CONFLICT ON CONSTRAINT "users_pkey" '
        'DO UPDATE SET "name" = EXCLUDED."name"'
    )
    with pytest.raises(ValueError, match="named constraints"):
        render(q)
    q = U.insert(id=1, name="x").on_conflict(
        conflict_target=[U.name], conflict_where=(U.age > 1), action="IGNORE"
    )
    assert render(q, "postgres") == (
        'INSERT INTO "users" ("id", "name") VALUES (%s, %s) ON CONFLICT ("name") WHERE ("age" > %s) '
        "DO NOTHING",
        [1, "x", 1],
    )
    q = U.insert(id=1, name="x").on_conflict(preserve=[U.name], update={U.age: 3})
    assert render(q, "mysql") == (
        "INSERT INTO `users` (`id`, `name`) VALUES (%s, %s) ON DUPLICATE KEY UPDATE "
        "`name` = VALUES(`name`), `age` = %s",
        [1, "x", 3],
    )
    with pytest.raises(ValueError, match="conflict target"):
        render(q, "postgres")
    with pytest.raises(ValueError, match="MySQL does not support"):
        render(U.insert(id=1).on_conflict(conflict_target=[U.id], preserve=[U.name]), "mysql")


def test_update_text():
    assert render(U.update({U.name: "z"}).where(U.id == 1)) == (
        'UPDATE "users" SET "name" = ? WHERE ("users"."id" = ?)',
        ["z", 1],
    )
    assert render(U.update(name="q", age=U.age + 1)) == (
        'UPDATE "users" SET "age" = ("users"."age" + ?), "name" = ?',
        [1, "q"],
    )
    assert render(U.update(name=T.content).from_(T).where(T.user_id == U.id))[0] == (
        'UPDATE "users" SET "name" = "t1"."content" FROM "tweets" AS "t1" '
        'WHERE ("t1"."user_id" = "users"."id")'
    )
    assert render(U.update(age=T.select(fn.COUNT(T.id)).where(T.user_id == U.id)))[0] == (
        'UPDATE "users" SET "age" = (SELECT COUNT("t1"."id") FROM "tweets" AS "t1" '
        'WHERE ("t1"."user_id" = "users"."id"))'
    )
    assert render(U.update(name="q").where(U.id > 1).returning(U.id), "postgres")[0] == (
        'UPDATE "users" SET "name" = %s WHERE ("users"."id" > %s) RETURNING "users"."id"'
    )
    assert render(P.update(name="z").where(P.id == 1))[0] == (
        'UPDATE "main"."person" SET "name" = ? WHERE ("person"."id" = ?)'
    )


def test_delete_text():
    assert render(U.delete().where(U.id == 1)) == (
        'DELETE FROM "users" WHERE ("users"."id" = ?)',
        [1],
    )
    assert render(U.delete()) == ('DELETE FROM "users"', [])
    assert render(U.delete().where(U.id.in_(T.select(T.user_id))))[0] == (
        'DELETE FROM "users" WHERE ("users"."id" IN (SELECT "t1"."user_id" FROM "tweets" AS "t1"))'
    )
    assert render(U.delete().where(U.id > 1).order_by(U.id).limit(3), "mysql") == (
        "DELETE FROM `users` WHERE (`users`.`id` > %s) ORDER BY `id` LIMIT %s",
        [1, 3],
    )
    assert render(U.delete().returning(U.name), "postgres")[0] == (
        'DELETE FROM "users" RETURNING "users"."name"'
    )


def test_index_text():
    assert render(Index("idx_name", U, [U.name, U.age]))[0] == (
        'CREATE INDEX "idx_name" ON "users" ("name", "age")'
    )
    idx = Index("idx_u", U, [U.name], unique=True, safe=True, where=(U.age > 1), using="btree")
    assert render(idx) == (
        'CREATE UNIQUE INDEX IF NOT EXISTS "idx_u" ON "users" USING btree ("name") WHERE ("age" > ?)',
        [1],
    )
    assert render(idx, "mysql")[0] == (
        "CREATE UNIQUE INDEX IF NOT EXISTS `idx_u` USING btree ON `users` (`name`) WHERE (`age` > %s)"
    )
    assert render(Index("idx_p", P, [P.name, SQL("id DESC")]))[0] == (
        'CREATE INDEX "main"."idx_p" ON "person" ("name", id DESC)'
    )
    assert render(Index("idx_p", P, [P.name]), "postgres")[0] == (
        'CREATE INDEX "idx_p" ON "main"."person" ("name")'
    )
    assert render(Index("idx_e", U, [fn.LOWER(U.name)]))[0] == (
        'CREATE INDEX "idx_e" ON "users" (LOWER("name"))'
    )
    assert render(Index("i", U, [U.name]).safe().where(U.age > 2).using("hash"), "postgres")[0] == (
        'CREATE INDEX IF NOT EXISTS "i" ON "users" USING hash ("name") WHERE ("age" > %s)'
    )


# Execution ------------------------------------------------------------------------------------


@pytest.fixture
def kv(db):
    q = db.dialect.quote_name
    auto = db.dialect.field_types["AUTO"]
    db.execute_sql(
        "CREATE TABLE %s (%s %s NOT NULL PRIMARY KEY, %s VARCHAR(50) NOT NULL UNIQUE, %s INTEGER)"
        % (q("kv"), q("id"), auto, q("k"), q("v"))
    )
    return Table("kv", ("id", "k", "v"), primary_key="id").bind(db)


def _rows(kv):
    return list(kv.select(kv.k, kv.v).order_by(kv.k).tuples())


def test_insert_returns_new_primary_key(kv):
    first = kv.insert(k="a", v=1).execute()
    second = kv.insert({kv.k: "b", kv.v: 2}).execute()
    assert second == first + 1
    assert kv.select(kv.k).where(kv.id == second).scalar() == "b"


def test_insert_many_and_from_query(kv):
    kv.insert([{"k": "a", "v": 1}, {"k": "b", "v": 2}]).execute()
    kv.insert([("c", 3), ("d", 4)], columns=[kv.k, kv.v]).execute()
    src = kv.select(kv.k.concat("x"), kv.v + 10).where(kv.v < 3)
    kv.insert(src, columns=[kv.k, kv.v]).execute()
    assert _rows(kv) == [("a", 1), ("ax", 11), ("b", 2), ("bx", 12), ("c", 3), ("d", 4)]


def test_update_and_delete_report_rows_affected(kv):
    kv.insert([("a", 1), ("b", 2), ("c", 3)], columns=[kv.k, kv.v]).execute()
    assert kv.update(v=kv.v * 10).where(kv.v >= 2).execute() == 2
    assert _rows(kv) == [("a", 1), ("b", 20), ("c", 30)]
    assert kv.update({kv.v: None}).where(kv.k == "zzz").execute() == 0
    assert kv.delete().where(kv.k.in_(["a", "c"])).execute() == 2
    assert _rows(kv) == [("b", 20)]
    assert kv.delete().execute() == 1


def test_unique_violation_raises_integrity_error(kv):
    kv.insert(k="a", v=1).execute()
    with pytest.raises(IntegrityError):
        kv.insert(k="a", v=2).execute()


def test_conflict_ignore_and_replace(kv, backend):
    kv.insert(k="a", v=1).execute()
    kv.insert(k="a", v=2).on_conflict_ignore().execute()
    assert _rows(kv) == [("a", 1)]
    if backend != "postgres":
        kv.replace(k="a", v=3).execute()
        assert _rows(kv) == [("a", 3)]


def test_upsert_updates_existing_row(kv, backend):
    kv.insert(k="a", v=1).execute()
    if backend == "mysql":
        q = kv.insert(k="a", v=5).on_conflict(preserve=[kv.v])
    else:
        q = kv.insert(k="a", v=5).on_conflict(conflict_target=[kv.k], preserve=[kv.v])
    q.execute()
    assert _rows(kv) == [("a", 5)]
    if backend == "mysql":
        q = kv.insert(k="a", v=7).on_conflict(update={kv.v: kv.v + 100})
    else:
        q = kv.insert(k="a", v=7).on_conflict(
            conflict_target=[kv.k], update={kv.v: EXCLUDED.v + kv.v}
        )
    q.execute()
    assert _rows(kv) == [("a", 105 if backend == "mysql" else 12)]


@pytest.mark.backends("sqlite", "postgres")
def test_returning_clauses(kv):
    rows = list(
        kv.insert([("a", 1), ("b", 2)], columns=[kv.k, kv.v]).returning(kv.k, kv.v).execute()
    )
    assert sorted((r["k"], r["v"]) for r in rows) == [("a", 1), ("b", 2)]
    updated = kv.update(v=kv.v + 1).where(kv.k == "b").returning(kv.v).tuples().execute()
    assert list(updated) == [(3,)]
    deleted = kv.delete().where(kv.k == "a").returning(kv.k).execute()
    assert [r["k"] for r in deleted] == ["a"]
    assert _rows(kv) == [("b", 3)]


@pytest.mark.backends("sqlite", "postgres")
def test_update_from_other_table(kv):
    kv.insert([("a", 1), ("b", 2)], columns=[kv.k, kv.v]).execute()
    src = Table("kv", ("id", "k", "v")).alias("src")
    q = kv.update(v=src.v + 100).from_(src).where((src.k == "a") & (kv.k == "b"))
    assert q.execute() == 1
    assert _rows(kv) == [("a", 1), ("b", 101)]


def test_create_index_executes(db, kv):
    db.execute(Index("kv_v_idx", kv, [kv.v], safe=False))
    kv.insert(k="a", v=1).execute()
    assert kv.select(kv.k).where(kv.v == 1).scalar() == "a"


def test_insert_and_update_convert_values_with_column_db_value(kv):
    from peewee import Column

    class Scaled(Column):
        def db_value(self, value):
            return value * 100

    scaled = Scaled(kv, "v")
    kv.insert({kv.k: "a", scaled: 2}).execute()
    assert _rows(kv) == [("a", 200)]
    kv.update({scaled: 3}).where(kv.k == "a").execute()
    assert _rows(kv) == [("a", 300)]
    assert kv.select(kv.k).where(scaled == 3).scalar() == "a"


def test_insert_as_rowcount(kv):
    count = kv.insert([("a", 1), ("b", 2)], columns=[kv.k, kv.v]).as_rowcount().execute()
    assert count == 2


def test_insert_value_from_subquery(kv, backend):
    assert render(U.insert(name=T.select(T.content).limit(1))) == (
        'INSERT INTO "users" ("name") VALUES ((SELECT "t1"."content" FROM "tweets" AS "t1" LIMIT ?))',
        [1],
    )
    kv.insert(k="a", v=41).execute()
    if backend == "mysql":  # MySQL cannot read the table it inserts into in a subquery
        src_q = Select([kv.select(kv.v).alias("src")], [fn.MAX(SQL("src.v")) + 1])
        kv.insert(k="b", v=src_q).execute()
    else:
        kv.insert(k="b", v=kv.select(fn.MAX(kv.v) + 1)).execute()
    assert _rows(kv) == [("a", 41), ("b", 42)]
