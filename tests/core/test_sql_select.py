"""Table-level SELECT queries: SQL text per dialect and results on every backend that is up."""

from collections import namedtuple

import pytest

from peewee import (
    JOIN,
    SQL,
    Context,
    InterfaceError,
    MySQLDialect,
    PostgresqlDialect,
    Select,
    SqliteDialect,
    Table,
    ValuesList,
    Value,
    Window,
    fn,
)

U = Table("users", ("id", "name", "age"))
T = Table("tweets", ("id", "user_id", "content"))
DIALECTS = {"sqlite": SqliteDialect(), "postgres": PostgresqlDialect(), "mysql": MySQLDialect()}


def render(query, dialect="sqlite"):
    return Context(dialect=DIALECTS[dialect]).sql(query).query()


# SQL text -----------------------------------------------------------------------------------------


def test_select_join_where_order_limit_text():
    q = (
        U.select(U.name, T.content)
        .join(T, on=(U.id == T.user_id))
        .where((U.age > 18) & T.content.contains("foo") & U.name.startswith("a"))
        .order_by(T.content.desc())
        .limit(10)
    )
    assert render(q) == (
        'SELECT "t1"."name", "t2"."content" FROM "users" AS "t1" INNER JOIN "tweets" AS "t2" '
        'ON ("t1"."id" = "t2"."user_id") WHERE ((("t1"."age" > ?) AND ("t2"."content" LIKE ?)) '
        'AND ("t1"."name" LIKE ?)) ORDER BY "t2"."content" DESC LIMIT ?',
        [18, "%foo%", "a%", 10],
    )
    assert render(q, "postgres")[0].endswith(
        'AND ("t1"."name" ILIKE %s)) ORDER BY "t2"."content" DESC LIMIT %s'
    )
    assert render(q, "mysql")[0].startswith(
        "SELECT `t1`.`name`, `t2`.`content` FROM `users` AS `t1` INNER JOIN `tweets` AS `t2`"
    )


@pytest.mark.parametrize("join_type", ["INNER", "LEFT_OUTER", "RIGHT_OUTER", "FULL", "FULL_OUTER"])
def test_join_types_text(join_type):
    q = U.select(U.id).join(T, getattr(JOIN, join_type), on=(T.user_id == U.id))
    assert render(q)[0] == (
        'SELECT "t1"."id" FROM "users" AS "t1" %s "tweets" AS "t2" ON ("t2"."user_id" = "t1"."id")'
        % getattr(JOIN, join_type)
    )


def test_cross_natural_and_lateral_join_text():
    assert render(U.select(U.id).join(T, JOIN.CROSS))[0] == (
        'SELECT "t1"."id" FROM "users" AS "t1" CROSS JOIN "tweets" AS "t2"'
    )
    assert render(U.select(U.id).join(T, JOIN.NATURAL))[0].endswith('NATURAL JOIN "tweets" AS "t2"')
    sub = T.select(T.content).where(T.user_id == U.id).limit(2).alias("t")
    q = U.select(U.name, SQL("t.content")).join(sub, JOIN.LEFT_LATERAL, on=SQL("true"))
    assert render(q, "postgres") == (
        'SELECT "t1"."name", t.content FROM "users" AS "t1" LEFT JOIN LATERAL (SELECT '
        '"t2"."content" FROM "tweets" AS "t2" WHERE ("t2"."user_id" = "t1"."id") LIMIT %s) AS "t" '
        "ON true",
        [2],
    )


def test_where_orwhere_having_group_by_text():
    q = U.select(U.name).where(U.id == 1).orwhere(U.name == "x")
    assert render(q)[0].endswith('WHERE (("t1"."id" = ?) OR ("t1"."name" = ?))')
    q = (
        U.select(U.name, fn.COUNT(U.id).alias("ct"))
        .group_by(U.name)
        .having(fn.COUNT(U.id) > 2)
        .order_by(SQL("ct").desc())
    )
    assert render(q) == (
        'SELECT "t1"."name", COUNT("t1"."id") AS "ct" FROM "users" AS "t1" GROUP BY "t1"."name" '
        'HAVING (COUNT("t1"."id") > ?) ORDER BY ct DESC',
        [2],
    )
    assert render(U.select(U.id).group_by(U))[0].endswith(
        'GROUP BY "t1"."id", "t1"."name", "t1"."age"'
    )


def test_limit_offset_forms_per_dialect():
    q = U.select(U.id).offset(10)
    assert render(q) == ('SELECT "t1"."id" FROM "users" AS "t1" LIMIT ? OFFSET ?', [-1, 10])
    assert render(q, "postgres") == ('SELECT "t1"."id" FROM "users" AS "t1" OFFSET %s', [10])
    assert render(q, "mysql")[1] == [18446744073709551615, 10]
    assert render(U.select(U.id).paginate(3, 7))[1] == [7, 14]
    assert render(U.select(U.id).paginate(2))[1] == [20, 20]


def test_distinct_and_distinct_on_text():
    assert (
        render(U.select(U.name).distinct())[0] == 'SELECT DISTINCT "t1"."name" FROM "users" AS "t1"'
    )
    assert render(U.select(U.name).distinct(U.name), "postgres")[0] == (
        'SELECT DISTINCT ON ("t1"."name") "t1"."name" FROM "users" AS "t1"'
    )


def test_for_update_text_and_sqlite_refusal():
    q = U.select(U.id).join(T, on=(U.id == T.user_id)).for_update(of=T, nowait=True)
    assert render(q, "postgres")[0].endswith('FOR UPDATE OF "t2" NOWAIT')
    assert render(U.select(U.id).for_update("FOR SHARE"), "mysql")[0].endswith("FOR SHARE")
    with pytest.raises(ValueError, match="FOR UPDATE"):
        render(U.select(U.id).for_update())


def test_subqueries_as_sources_columns_and_exists():
    sq = U.select(U.name).alias("sq")
    assert render(Select([sq], [sq.c.name]).where(sq.c.name != "x")) == (
        'SELECT "sq"."name" FROM (SELECT "t1"."name" FROM "users" AS "t1") AS "sq" '
        'WHERE ("sq"."name" != ?)',
        ["x"],
    )
    q = U.select(U.name, T.select(fn.COUNT(T.id)).where(T.user_id == U.id).alias("n"))
    assert render(q)[0] == (
        'SELECT "t1"."name", (SELECT COUNT("t2"."id") FROM "tweets" AS "t2" WHERE '
        '("t2"."user_id" = "t1"."id")) AS "n" FROM "users" AS "t1"'
    )
    q = U.select(U.id).where(~fn.EXISTS(T.select(SQL("1")).where(T.user_id == U.id)))
    assert render(q)[0] == (
        'SELECT "t1"."id" FROM "users" AS "t1" WHERE NOT EXISTS(SELECT 1 FROM "tweets" AS "t2" '
        'WHERE ("t2"."user_id" = "t1"."id"))'
    )


def test_compound_select_parentheses_per_dialect():
    q = (
        (U.select(U.name).where(U.id < 3) | U.select(U.name).where(U.id > 5) | T.select(T.content))
        .order_by(SQL("1"))
        .limit(3)
    )
    assert render(q)[0] == (
        'SELECT "t1"."name" FROM "users" AS "t1" WHERE ("t1"."id" < ?) UNION SELECT "t2"."name" '
        'FROM "users" AS "t2" WHERE ("t2"."id" > ?) UNION SELECT "t3"."content" FROM "tweets" AS '
        '"t3" ORDER BY 1 LIMIT ?'
    )
    assert render(q, "postgres")[0].startswith('((SELECT "t1"."name" FROM "users" AS "t1" WHERE')
    assert render(q, "mysql")[0].startswith("(SELECT `t1`.`name` FROM `users` AS `t1` WHERE")
    ops = {
        "UNION ALL": U.select(U.name) + T.select(T.content),
        "INTERSECT": U.select(U.name) & T.select(T.content),
        "EXCEPT": U.select(U.name) - T.select(T.content),
    }
    for op, query in ops.items():
        assert render(query)[0] == (
            'SELECT "t1"."name" FROM "users" AS "t1" %s SELECT "t2"."content" FROM "tweets" AS "t2"'
            % op
        )


def test_compound_member_with_limit_is_wrapped_on_sqlite():
    q = U.select(U.name).order_by(U.name).limit(1) | T.select(T.content).limit(2)
    assert render(q)[0] == (
        'SELECT * FROM (SELECT "t1"."name" FROM "users" AS "t1" ORDER BY "t1"."name" LIMIT ?) '
        'UNION SELECT * FROM (SELECT "t2"."content" FROM "tweets" AS "t2" LIMIT ?)'
    )


def test_ctes_text():
    cte = U.select(U.id, U.name).where(U.age > 1).cte("adults")
    assert render(cte.select_from(cte.c.name).order_by(cte.c.id)) == (
        'WITH "adults" AS (SELECT "t1"."id", "t1"."name" FROM "users" AS "t1" WHERE '
        '("t1"."age" > ?)) SELECT "adults"."name" FROM "adults" ORDER BY "adults"."id"',
        [1],
    )
    cte = U.select(U.id).cte("c2", columns=("uid",), materialized=True)
    assert render(cte.select_from(cte.c.uid))[0] == (
        'WITH "c2" ("uid") AS MATERIALIZED (SELECT "t1"."id" FROM "users" AS "t1") '
        'SELECT "c2"."uid" FROM "c2"'
    )
    base = Select(columns=(Value(1).alias("n"),)).cte("cnt", recursive=True)
    cnt = base.union_all(base.select(base.c.n + 1).where(base.c.n < 10))
    assert render(cnt.select_from(cnt.c.n)) == (
        'WITH RECURSIVE "cnt" AS (SELECT ? AS "n" UNION ALL SELECT ("cnt"."n" + ?) FROM "cnt" '
        'WHERE ("cnt"."n" < ?)) SELECT "cnt"."n" FROM "cnt"',
        [1, 1, 10],
    )


def test_values_list_text():
    vl = ValuesList([(1, "a"), (2, "b")], columns=("idx", "letter"), alias="vl")
    assert render(vl.select(vl.c.idx, vl.c.letter)) == (
        'SELECT "vl"."idx", "vl"."letter" FROM (VALUES (?, ?), (?, ?)) AS "vl"("idx", "letter")',
        [1, "a", 2, "b"],
    )
    assert render(ValuesList([(1,)]).columns("x").alias("v"))[0] == "(VALUES (?))"


def test_table_options_schema_alias_and_hostile_names():
    person = Table("person", ("id", "name"), schema="main", primary_key="id")
    assert person.primary_key.name == "id"
    assert render(person.select().where(person.id == 3))[0] == (
        'SELECT "t1"."id", "t1"."name" FROM "main"."person" AS "t1" WHERE ("t1"."id" = ?)'
    )
    u2 = U.alias("u2")
    assert render(U.select(U.name, u2.name).join(u2, on=(u2.id == U.id)))[0] == (
        'SELECT "t1"."name", "u2"."name" FROM "users" AS "t1" INNER JOIN "users" AS "u2" '
        'ON ("u2"."id" = "t1"."id")'
    )
    weird = Table('we"ird', ('a"b', "c`d"))
    col = getattr(weird, 'a"b')
    assert render(weird.select(col).where(col == "x'; DROP")) == (
        'SELECT "t1"."a""b" FROM "we""ird" AS "t1" WHERE ("t1"."a""b" = ?)',
        ["x'; DROP"],
    )
    assert render(weird.select(getattr(weird, "c`d")), "mysql")[0] == (
        'SELECT `t1`.`c``d` FROM `we"ird` AS `t1`'
    )
    free = Table("favs")
    assert render(free.select(free.c.id, free.c["odd name"]))[0] == (
        'SELECT "t1"."id", "t1"."odd name" FROM "favs" AS "t1"'
    )
    with pytest.raises(AttributeError):
        _ = U.c.id


def test_unbound_query_cannot_execute():
    with pytest.raises(
        InterfaceError, match='must be bound to a database in order to call "execute"'
    ):
        U.select().execute()


# Execution ------------------------------------------------------------------------------------


def _create(db, name, columns):
    q = db.dialect.quote_name
    cols = ", ".join("%s %s" % (q(c), t) for c, t in columns)
    db.execute_sql("CREATE TABLE %s (%s)" % (q(name), cols))


@pytest.fixture
def tables(db):
    auto = db.dialect.field_types["AUTO"]
    _create(
        db,
        "person",
        [
            ("id", auto + " NOT NULL PRIMARY KEY"),
            ("name", "VARCHAR(100)"),
            ("age", "INTEGER"),
            ("city", "VARCHAR(50)"),
        ],
    )
    _create(
        db,
        "note",
        [
            ("id", auto + " NOT NULL PRIMARY KEY"),
            ("person_id", "INTEGER"),
            ("body", "VARCHAR(100)"),
        ],
    )
    person = Table("person", ("id", "name", "age", "city"), primary_key="id").bind(db)
    note = Table("note", ("id", "person_id", "body"), primary_key="id").bind(db)
    rows = [
        ("ann", 31, "oslo"),
        ("bob", 25, "rome"),
        ("cat", 42, "oslo"),
        ("dan", None, "rome"),
        ("eve", 25, None),
    ]
    person.insert(rows, columns=[person.name, person.age, person.city]).execute()
    ids = {r["name"]: r["id"] for r in person.select(person.id, person.name)}
    note.insert(
        [(ids["ann"], "a1"), (ids["ann"], "a2"), (ids["cat"], "c1")],
        columns=[note.person_id, note.body],
    ).execute()
    return person, note, ids


def test_select_rows_as_dicts_tuples_namedtuples_objects(tables):
    person, _, ids = tables
    q = person.select(person.name, person.age).where(person.city == "oslo").order_by(person.name)
    assert list(q) == [{"name": "ann", "age": 31}, {"name": "cat", "age": 42}]
    assert list(q.tuples()) == [("ann", 31), ("cat", 42)]
    rows = list(q.namedtuples())
    assert [(r.name, r.age) for r in rows] == [("ann", 31), ("cat", 42)]
    Pair = namedtuple("Pair", "name age")
    assert list(q.objects(Pair)) == [Pair("ann", 31), Pair("cat", 42)]
    assert list(q.dicts()) == list(q)


def test_where_operators_against_data(tables):
    person, _, _ = tables

    def names(expr):
        return [r[0] for r in person.select(person.name).where(expr).order_by(person.name).tuples()]

    assert names(person.age > 30) == ["ann", "cat"]
    assert names(person.age.in_([25, 42])) == ["bob", "cat", "eve"]
    assert names(person.age.not_in([25])) == ["ann", "cat"]
    assert names(person.age.is_null()) == ["dan"]
    assert names(person.city == None) == ["eve"]  # noqa: E711
    assert names(person.age.between(26, 42)) == ["ann", "cat"]
    assert names(person.name.startswith("c")) == ["cat"]
    assert names(person.name.endswith("n")) == ["ann", "dan"]
    assert names(person.name.contains("v")) == ["eve"]
    assert names(person.name.in_([])) == []
    assert names(person.name.not_in([])) == ["ann", "bob", "cat", "dan", "eve"]
    assert names((person.city == "rome") | (person.age == 42)) == ["bob", "cat", "dan"]
    assert names(~(person.city == "oslo") & person.city.is_null(False)) == ["bob", "dan"]
    assert names(person.name.concat("x") == "annx") == ["ann"]


def test_join_group_by_having_and_order(tables):
    person, note, _ = tables
    q = (
        person.select(person.name, fn.COUNT(note.id).alias("n"))
        .join(note, JOIN.LEFT_OUTER, on=(note.person_id == person.id))
        .group_by(person.name)
        .having(fn.COUNT(note.id) > 0)
        .order_by(fn.COUNT(note.id).desc())
    )
    assert list(q.tuples()) == [("ann", 2), ("cat", 1)]


def test_limit_offset_paginate_and_nulls_ordering(tables):
    person, _, _ = tables
    base = person.select(person.name).order_by(person.name).tuples()
    assert [r[0] for r in base.limit(2).offset(1)] == ["bob", "cat"]
    assert [r[0] for r in base.offset(3)] == ["dan", "eve"]
    assert [r[0] for r in base.paginate(2, 2)] == ["cat", "dan"]
    q = person.select(person.name).order_by(person.age.asc(nulls="first"), person.name).tuples()
    assert [r[0] for r in q] == ["dan", "bob", "eve", "ann", "cat"]
    q = person.select(person.name).order_by(person.age.desc(nulls="last"), person.name).tuples()
    assert [r[0] for r in q] == ["cat", "ann", "bob", "eve", "dan"]


def test_subqueries_and_exists(tables):
    person, note, _ = tables
    writers = (
        person.select(person.name)
        .where(person.id.in_(note.select(note.person_id)))
        .order_by(person.name)
        .tuples()
    )
    assert [r[0] for r in writers] == ["ann", "cat"]
    silent = (
        person.select(person.name)
        .where(~fn.EXISTS(note.select(SQL("1")).where(note.person_id == person.id)))
        .order_by(person.name)
        .tuples()
    )
    assert [r[0] for r in silent] == ["bob", "dan", "eve"]
    counts = (
        person.select(
            person.name,
            note.select(fn.COUNT(note.id)).where(note.person_id == person.id).alias("n"),
        )
        .order_by(person.name)
        .tuples()
    )
    assert list(counts)[:3] == [("ann", 2), ("bob", 0), ("cat", 1)]
    sq = (
        person.select(person.city, fn.MAX(person.age).alias("oldest"))
        .group_by(person.city)
        .alias("sq")
    )
    q = (
        Select([sq], [sq.c.city, sq.c.oldest])
        .where(sq.c.city.is_null(False))
        .order_by(sq.c.city)
        .bind(person._database)
        .tuples()
    )
    assert list(q) == [("oslo", 42), ("rome", 25)]


def test_compound_queries(tables, backend):
    person, _, _ = tables
    young = person.select(person.name).where(person.age < 30)
    oslo = person.select(person.name).where(person.city == "oslo")
    assert sorted(r[0] for r in (young | oslo).tuples()) == ["ann", "bob", "cat", "eve"]
    assert sorted(r[0] for r in (young + young).tuples()) == ["bob", "bob", "eve", "eve"]
    assert sorted(r[0] for r in (young & oslo).tuples()) == []
    assert sorted(r[0] for r in (oslo - young).tuples()) == ["ann", "cat"]
    limited = (young | oslo).order_by(SQL("1")).limit(2)
    assert [r[0] for r in limited.tuples()] == ["ann", "bob"]


def test_ctes_plain_and_recursive(tables):
    person, _, _ = tables
    cte = person.select(person.name, person.age).where(person.age > 28).cte("seniors")
    q = cte.select_from(cte.c.name).order_by(cte.c.name).tuples()
    assert [r[0] for r in q] == ["ann", "cat"]
    base = Select(columns=(Value(1).alias("n"),)).cte("cnt", recursive=True)
    cnt = base.union_all(base.select(base.c.n + 1).where(base.c.n < 5))
    q = cnt.select_from(cnt.c.n).bind(person._database).tuples()
    assert sorted(r[0] for r in q) == [1, 2, 3, 4, 5]


def test_window_functions(tables):
    person, _, _ = tables
    q = (
        person.select(
            person.name,
            fn.SUM(person.age)
            .over(partition_by=[person.city], order_by=[person.name])
            .alias("running"),
        )
        .where(person.city.is_null(False))
        .order_by(person.city, person.name)
        .tuples()
    )
    assert [(r[0], int(r[1]) if r[1] is not None else None) for r in q] == [
        ("ann", 31),
        ("cat", 73),
        ("bob", 25),
        ("dan", 25),
    ]
    w = Window(order_by=[person.name], start=Window.preceding(1), end=Window.CURRENT_ROW)
    q = (
        person.select(person.name, fn.COUNT(person.id).over(w))
        .window(w)
        .order_by(person.name)
        .tuples()
    )
    assert [r[1] for r in q] == [1, 2, 2, 2, 2]


@pytest.mark.backends("postgres")
def test_postgres_only_forms(tables):
    person, note, _ = tables
    q = (
        person.select(person.city, person.name)
        .distinct(person.city)
        .where(person.city.is_null(False))
        .order_by(person.city, person.name.desc())
        .tuples()
    )
    assert list(q) == [("oslo", "cat"), ("rome", "dan")]
    vl = ValuesList([(1, "one"), (2, "two")], columns=("k", "v"), alias="vl")
    assert list(vl.select(vl.c.k, vl.c.v).order_by(vl.c.k).bind(person._database).tuples()) == [
        (1, "one"),
        (2, "two"),
    ]
    sub = (
        note.select(note.body)
        .where(note.person_id == person.id)
        .order_by(note.body.desc())
        .limit(1)
        .alias("last")
    )
    q = (
        person.select(person.name, SQL('"last"."body"'))
        .join(sub, JOIN.LEFT_LATERAL, on=SQL("true"))
        .order_by(person.name)
        .limit(3)
        .tuples()
    )
    assert list(q) == [("ann", "a2"), ("bob", None), ("cat", "c1")]


@pytest.mark.backends("postgres", "mysql")
def test_for_update_executes_inside_transaction(tables, db):
    person, _, _ = tables
    q = person.select(person.name).where(person.name == "ann").for_update().tuples()
    assert list(q) == [("ann",)]


def test_get_first_peek_scalar_count_exists(tables):
    person, _, _ = tables
    q = person.select(person.name, person.age).order_by(person.name)
    assert q.get() == {"name": "ann", "age": 31}
    assert q.peek(n=2) == [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}]
    assert q.first() == {"name": "ann", "age": 31}
    assert q._limit == 1  # first() limits the query itself, as peewee does
    assert person.select(fn.MAX(person.age)).scalar() == 42
    assert person.select(fn.MIN(person.age), fn.MAX(person.age)).scalar(as_tuple=True) == (25, 42)
    assert person.select().count() == 5
    assert person.select().where(person.age == 25).count() == 2
    assert person.select().limit(2).count() == 2
    assert person.select(person.city).distinct().count() == 3
    assert person.select().where(person.name == "ann").exists() is True
    assert person.select().where(person.name == "zed").exists() is False
    assert person.select().where(person.name == "zed").get() is None
    assert person.select().where(person.name == "zed").first() is None


def test_result_caching_iteration_indexing_and_len(tables):
    person, _, _ = tables
    q = person.select(person.name).order_by(person.name).tuples()
    first = list(q)
    assert list(q) == first  # cached: the same rows without running the query again
    assert q._cursor_wrapper is not None
    wrapper = q._cursor_wrapper
    assert list(q) == first and q._cursor_wrapper is wrapper
    assert len(q) == 5
    assert q[0] == ("ann",) and q[-1] == ("eve",)
    assert q[1:3] == [("bob",), ("cat",)]
    clone = q.where(person.age > 30)
    assert clone._cursor_wrapper is None
    assert [r[0] for r in clone] == ["ann", "cat"]
    fresh = person.select(person.name).order_by(person.name).tuples()
    assert fresh[2] == ("cat",)
    assert len(fresh._cursor_wrapper.row_cache) == 3  # filled lazily up to the index


def test_iterator_streams_without_caching(tables):
    person, _, _ = tables
    q = person.select(person.name).order_by(person.name).tuples()
    assert [r[0] for r in q.iterator()] == ["ann", "bob", "cat", "dan", "eve"]
    assert q._cursor_wrapper.row_cache == []


def test_hostile_identifiers_and_values_round_trip(db, backend):
    auto = db.dialect.field_types["AUTO"]
    _create(
        db,
        'we"ird`tbl',
        [
            ("id", auto + " NOT NULL PRIMARY KEY"),
            ('a"b', "VARCHAR(100)"),
            ("c`d;", "VARCHAR(100)"),
            ("ünï 名", "INTEGER"),
        ],
    )
    weird = Table('we"ird`tbl', ("id", 'a"b', "c`d;", "ünï 名"), primary_key="id").bind(db)
    values = ["x'); DROP TABLE person; --", 'quote " and `tick`', "ünïcödé ☃", "semi;colon"]
    if backend != "postgres":  # PostgreSQL text cannot hold NUL characters
        values.append("nul\x00byte")
    for value in values:
        weird.insert({getattr(weird, 'a"b'): value, getattr(weird, "c`d;"): value[::-1]}).execute()
    col = getattr(weird, 'a"b')
    got = weird.select(col, getattr(weird, "c`d;")).order_by(weird.id).tuples()
    assert list(got) == [(v, v[::-1]) for v in values]
    assert weird.select(col).where(col == values[0]).scalar() == values[0]
    uni = getattr(weird, "ünï 名")
    weird.update({uni: weird.id * 2}).where(col.in_(values[:2])).execute()
    assert list(weird.select(col, uni).where(uni.is_null(False)).order_by(uni).tuples()) == [
        (values[0], 2),
        (values[1], 4),
    ]


def test_chaining_helpers_text():
    q = U.select(U.id).select_extend(U.name).order_by(U.name).order_by_extend(U.id.desc())
    assert render(q)[0] == (
        'SELECT "t1"."id", "t1"."name" FROM "users" AS "t1" ORDER BY "t1"."name", "t1"."id" DESC'
    )
    q = U.select(U.name, fn.COUNT(U.id)).group_by(U.name).group_by_extend(U.age)
    assert render(q)[0].endswith('GROUP BY "t1"."name", "t1"."age"')
    cte = T.select(T.user_id).cte("authors")
    q = U.select(U.name).where(U.id.in_(cte.select(cte.c.user_id))).with_cte(cte)
    assert render(q)[0] == (
        'WITH "authors" AS (SELECT "t1"."user_id" FROM "tweets" AS "t1") SELECT "t2"."name" FROM '
        '"users" AS "t2" WHERE ("t2"."id" IN (SELECT "authors"."user_id" FROM "authors"))'
    )
    # select_from() attaches the CTE to the inner query as well, as peewee does.
    q = U.select(U.name).where(U.id.in_(cte.select_from(cte.c.user_id))).with_cte(cte)
    assert render(q)[0].endswith(
        'WHERE ("t2"."id" IN (WITH "authors" AS (SELECT "t3"."user_id" FROM "tweets" AS "t3") '
        'SELECT "authors"."user_id" FROM "authors"))'
    )
    q = U.select(U.id).from_(U, T).where(U.id == T.user_id)
    assert render(q)[0] == (
        'SELECT "t1"."id" FROM "users" AS "t1", "tweets" AS "t2" WHERE ("t1"."id" = "t2"."user_id")'
    )


def test_table_bind_ctx_binds_for_a_block(tables, db):
    person, _, _ = tables
    loose = Table("person", ("id", "name"))
    with loose.bind_ctx(db):
        assert loose.select(loose.name).where(loose.name == "ann").scalar() == "ann"
    assert loose._database is None
    with pytest.raises(InterfaceError):
        loose.select().execute()


def test_alias_numbering_across_subqueries_ctes_and_compound_members():
    # Sibling and nested subqueries share the enclosing query's aliases.
    q = U.select(SQL("1")).where(T.id.in_(T.select(T.id))).where(U.id.in_(T.select(T.id)))
    assert render(q)[0] == (
        'SELECT 1 FROM "users" AS "t1" WHERE (("t2"."id" IN (SELECT "t2"."id" FROM "tweets" AS "t2")) '
        'AND ("t1"."id" IN (SELECT "t2"."id" FROM "tweets" AS "t2")))'
    )
    # A CTE body starts a fresh alias scope; aliases it used are not reused afterwards.
    cte = U.select(U.id).cte("c")
    q = T.select(T.id).where(T.id.in_(cte.select_from(cte.c.id))).where(U.id > 1)
    assert render(q)[0] == (
        'SELECT "t1"."id" FROM "tweets" AS "t1" WHERE (("t1"."id" IN (WITH "c" AS (SELECT "t2"."id" '
        'FROM "users" AS "t2") SELECT "c"."id" FROM "c")) AND ("t3"."id" > ?))'
    )
    # The right-hand member of a compound query sees the aliases known before the compound began.
    q = U.select(U.id).where(U.id.in_(T.select(T.id) | U.select(U.id)))
    assert render(q)[0].endswith(
        'IN (SELECT "t2"."id" FROM "tweets" AS "t2" UNION SELECT "t1"."id" FROM "users" AS "t1"))'
    )
    q = T.select(T.id).where(T.id.in_(U.select(U.id) | U.select(U.id)))
    assert render(q)[0].endswith(
        'IN (SELECT "t2"."id" FROM "users" AS "t2" UNION SELECT "t3"."id" FROM "users" AS "t3"))'
    )
    q = U.update(name="x").where(U.id.in_(T.select(T.user_id) | U.select(U.id)))
    assert render(q)[0] == (
        'UPDATE "users" SET "name" = ? WHERE ("users"."id" IN (SELECT "t1"."user_id" FROM "tweets" '
        'AS "t1" UNION SELECT "users"."id" FROM "users" AS "users"))'
    )
    # A subquery in a single-argument function shares the outer scope.
    assert render(U.select(fn.EXISTS(U.select(SQL("1")))))[0] == (
        'SELECT EXISTS(SELECT 1 FROM "users" AS "t1") FROM "users" AS "t1"'
    )


def test_cte_over_values_list(db):
    vals = ValuesList([(1, "one"), (2, "two")]).cte("vals", columns=("k", "v"))
    q = vals.select_from(vals.c.k, vals.c.v).order_by(vals.c.k).bind(db).tuples()
    if db.dialect.param == "?":
        assert q.sql() == (
            'WITH "vals" ("k", "v") AS (VALUES (?, ?), (?, ?)) SELECT "vals"."k", "vals"."v" '
            'FROM "vals" ORDER BY "vals"."k"',
            [1, "one", 2, "two"],
        )
    assert list(q) == [(1, "one"), (2, "two")]
