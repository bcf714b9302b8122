"""Backend-specific forms of the table query builder, executed: every join type, window frames,
nested compound queries, locking clauses, VALUES lists, DEFAULT VALUES and upsert conditions."""

import sqlite3

import pytest

from peewee import (
    EXCLUDED,
    JOIN,
    OP,
    Expression,
    SQL,
    Context,
    MySQLDialect,
    PostgresqlDialect,
    Select,
    SqliteDialect,
    Table,
    ValuesList,
    Window,
    fn,
)

DIALECTS = {"sqlite": SqliteDialect(), "postgres": PostgresqlDialect(), "mysql": MySQLDialect()}
SQLITE_RIGHT_FULL = sqlite3.sqlite_version_info >= (3, 39, 0)


def render(query, dialect):
    return Context(dialect=DIALECTS[dialect]).sql(query).query()


def _create(db, name, columns):
    q = db.dialect.quote_name
    cols = ", ".join("%s %s" % (q(c), t) for c, t in columns)
    db.execute_sql("CREATE TABLE %s (%s)" % (q(name), cols))


@pytest.fixture
def pets(db):
    """owner(id, name) and pet(id, owner_id, name): owner 3 has no pet, pet 'stray' no owner."""
    _create(db, "owner", [("id", "INTEGER NOT NULL PRIMARY KEY"), ("oname", "VARCHAR(20)")])
    _create(
        db,
        "pet",
        [("pid", "INTEGER NOT NULL PRIMARY KEY"), ("id", "INTEGER"), ("pname", "VARCHAR(20)")],
    )
    owner = Table("owner", ("id", "oname")).bind(db)
    pet = Table("pet", ("pid", "id", "pname")).bind(db)
    owner.insert([(1, "ann"), (2, "bob"), (3, "cat")], columns=[owner.id, owner.oname]).execute()
    pet.insert(
        [(10, 1, "rex"), (11, 1, "tom"), (12, 2, "kit"), (13, None, "stray")],
        columns=[pet.pid, pet.id, pet.pname],
    ).execute()
    return owner, pet


def _pairs(query):
    return sorted(query.tuples(), key=lambda r: (r[0] or "", r[1] or ""))


# Joins ---------------------------------------------------------------------------------------


def test_inner_left_cross_natural_joins(pets, backend):
    owner, pet = pets
    base = owner.select(owner.oname, pet.pname)
    on = pet.id == owner.id
    assert _pairs(base.join(pet, JOIN.INNER, on=on)) == [
        ("ann", "rex"),
        ("ann", "tom"),
        ("bob", "kit"),
    ]
    assert _pairs(base.join(pet, JOIN.LEFT_OUTER, on=on)) == [
        ("ann", "rex"),
        ("ann", "tom"),
        ("bob", "kit"),
        ("cat", None),
    ]
    cross = owner.select(fn.COUNT(SQL("*"))).join(pet, JOIN.CROSS)
    assert render(cross, backend)[0].endswith(
        "CROSS JOIN %s AS %s"
        % (DIALECTS[backend].quote_name("pet"), DIALECTS[backend].quote_name("t2"))
    )
    assert cross.scalar() == 12
    # NATURAL JOIN matches on the shared column name "id".
    natural = base.join(pet, JOIN.NATURAL)
    assert " NATURAL JOIN " in render(natural, backend)[0]
    assert _pairs(natural) == [("ann", "rex"), ("ann", "tom"), ("bob", "kit")]


@pytest.mark.skipif(not SQLITE_RIGHT_FULL, reason="RIGHT/FULL JOIN need SQLite 3.39")
def test_right_outer_join(pets, backend):
    owner, pet = pets
    q = owner.select(owner.oname, pet.pname).join(pet, JOIN.RIGHT_OUTER, on=(pet.id == owner.id))
    assert " RIGHT OUTER JOIN " in render(q, backend)[0]
    assert _pairs(q) == [(None, "stray"), ("ann", "rex"), ("ann", "tom"), ("bob", "kit")]


@pytest.mark.backends("sqlite", "postgres")
@pytest.mark.skipif(not SQLITE_RIGHT_FULL, reason="RIGHT/FULL JOIN need SQLite 3.39")
@pytest.mark.parametrize("join_type", ["FULL", "FULL_OUTER"])
def test_full_joins(pets, backend, join_type):
    owner, pet = pets
    q = owner.select(owner.oname, pet.pname).join(
        pet, getattr(JOIN, join_type), on=(pet.id == owner.id)
    )
    assert " %s " % getattr(JOIN, join_type) in render(q, backend)[0]
    assert _pairs(q) == [
        (None, "stray"),
        ("ann", "rex"),
        ("ann", "tom"),
        ("bob", "kit"),
        ("cat", None),
    ]


@pytest.mark.backends("postgres")
def test_lateral_joins(pets):
    owner, pet = pets
    first = pet.select(pet.pname).where(pet.id == owner.id).order_by(pet.pname).limit(1).alias("fp")
    q = owner.select(owner.oname, first.c.pname).join(first, JOIN.LATERAL).order_by(owner.oname)
    assert render(q, "postgres") == (
        'SELECT "t1"."oname", "fp"."pname" FROM "owner" AS "t1" JOIN LATERAL (SELECT "t2"."pname" '
        'FROM "pet" AS "t2" WHERE ("t2"."id" = "t1"."id") ORDER BY "t2"."pname" LIMIT %s) AS "fp" '
        'ON %s ORDER BY "t1"."oname"',
        [1, True],
    )
    assert list(q.tuples()) == [("ann", "rex"), ("bob", "kit")]
    q = (
        owner.select(owner.oname, first.c.pname)
        .join(first, JOIN.LEFT_LATERAL)
        .order_by(owner.oname)
    )
    assert list(q.tuples()) == [("ann", "rex"), ("bob", "kit"), ("cat", None)]


# Window frames --------------------------------------------------------------------------------


@pytest.fixture
def series(db):
    _create(db, "series", [("k", "INTEGER NOT NULL PRIMARY KEY"), ("v", "INTEGER")])
    series = Table("series", ("k", "v")).bind(db)
    series.insert([(1, 1), (2, 1), (3, 2), (4, 3), (5, 3)], columns=[series.k, series.v]).execute()
    return series


def _sums(series, over):
    q = series.select(series.k, fn.SUM(series.v).over(**over)).order_by(series.k).tuples()
    return [int(r[1]) if r[1] is not None else None for r in q]


def test_rows_and_range_frames(series, backend):
    rows = dict(order_by=[series.k], start=Window.preceding(1), end=Window.CURRENT_ROW)
    assert _sums(series, rows) == [1, 2, 3, 5, 6]
    # RANGE over equal ORDER BY values treats peers as one: running totals per value.
    rng = dict(order_by=[series.v], frame_type=Window.RANGE)
    assert (
        "RANGE UNBOUNDED PRECEDING"
        in render(series.select(fn.SUM(series.v).over(**rng)), backend)[0]
    )
    assert _sums(series, rng) == [2, 2, 4, 10, 10]
    rng_between = dict(
        order_by=[series.v],
        frame_type=Window.RANGE,
        start=Window.CURRENT_ROW,
        end=Window.following(),
    )
    assert _sums(series, rng_between) == [10, 10, 8, 6, 6]


@pytest.mark.backends("sqlite", "postgres")
def test_groups_frames_and_exclusion(series, backend):
    groups = dict(
        order_by=[series.v],
        frame_type=Window.GROUPS,
        start=Window.preceding(1),
        end=Window.CURRENT_ROW,
    )
    sql = render(series.select(fn.SUM(series.v).over(**groups)), backend)[0]
    assert "OVER (ORDER BY" in sql and "GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW" in sql
    assert _sums(series, groups) == [2, 2, 4, 8, 8]
    frame = dict(order_by=[series.k], start=Window.preceding(), end=Window.following())
    cases = [
        (Window.CURRENT_ROW, [9, 9, 8, 7, 7]),
        (Window.GROUP, [9, 9, 8, 7, 7]),
        (Window.TIES, [10, 10, 10, 10, 10]),
        (Window.NO_OTHERS, [10, 10, 10, 10, 10]),
    ]
    for exclusion, expected in cases:
        assert _sums(series, dict(frame, exclude=exclusion)) == expected
    # Ordered by v, TIES excludes the peers but keeps the row itself.
    by_v = dict(order_by=[series.v], start=Window.preceding(), end=Window.following())
    assert _sums(series, dict(by_v, exclude=Window.TIES)) == [9, 9, 10, 7, 7]
    assert _sums(series, dict(by_v, exclude=Window.GROUP)) == [8, 8, 8, 4, 4]
    w = Window(order_by=[series.v], alias="w").as_groups().exclude(Window.CURRENT_ROW)
    q = series.select(series.k, fn.COUNT(series.k).over(w)).window(w).order_by(series.k)
    assert render(q, backend)[0].endswith(
        'WINDOW "w" AS (ORDER BY "t1"."v" GROUPS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) '
        'ORDER BY "t1"."k"'
    )
    assert [r[1] for r in q.tuples()] == [1, 1, 2, 4, 4]


# Compound queries -----------------------------------------------------------------------------


def test_nested_and_ordered_compound_queries(series, backend):
    s = series
    small = s.select(s.k).where(s.v == 1)  # 1, 2
    odd = s.select(s.k).where(s.k.in_([1, 3, 5]))
    big = s.select(s.k).where(s.v == 3)  # 4, 5

    def keys(q):
        return sorted(r[0] for r in q.tuples())

    # EXCEPT of a UNION keeps its grouping on every backend.
    nested = s.select(s.k) - (small | big)
    assert keys(nested) == [3]
    assert keys((small | big) - odd) == [2, 4]
    assert keys(small | (odd & big)) == [1, 2, 5]
    # A member with its own ORDER BY / LIMIT.
    top = s.select(s.k).order_by(s.k.desc()).limit(1)
    assert keys(small | top) == [1, 2, 5]
    assert keys((small | big).order_by(SQL("1")).limit(3) | odd) == [1, 2, 3, 4, 5]
    # Ordered and limited compound query, as a source and inside IN.
    q = (small + big).order_by(SQL("1").desc()).limit(2).offset(1)
    assert [r[0] for r in q.tuples()] == [4, 2]
    src = (small | big).alias("u")
    assert Select([src], [fn.COUNT(SQL("*"))]).bind(s._database).scalar() == 4
    inside = s.select(s.k).where(s.k.not_in(small | (big - odd))).order_by(s.k)
    assert [r[0] for r in inside.tuples()] == [3, 5]


def test_compound_text_per_backend():
    t = Table("t", ("a",))
    a, b, c = (t.select(t.a).where(t.a == n) for n in (1, 2, 3))
    assert render(a - (b | c), "sqlite") == (
        'SELECT "t1"."a" FROM "t" AS "t1" WHERE ("t1"."a" = ?) EXCEPT SELECT * FROM (SELECT '
        '"t2"."a" FROM "t" AS "t2" WHERE ("t2"."a" = ?) UNION SELECT "t3"."a" FROM "t" AS "t3" '
        'WHERE ("t3"."a" = ?))',
        [1, 2, 3],
    )
    assert render(a | (b | c), "sqlite")[0].count("SELECT * FROM") == 0
    assert render(a - (b | c), "postgres")[0] == (
        '(SELECT "t1"."a" FROM "t" AS "t1" WHERE ("t1"."a" = %s)) EXCEPT ((SELECT "t2"."a" FROM '
        '"t" AS "t2" WHERE ("t2"."a" = %s)) UNION (SELECT "t3"."a" FROM "t" AS "t3" WHERE '
        '("t3"."a" = %s)))'
    )
    # MySQL before a connection (peewee's "unnested" rule) leaves a nested compound flat; a
    # server that accepts grouped members (MariaDB 10.4+, MySQL 8.0.22+) gets the grouping.
    assert render(a - (b | c), "mysql")[0].count("((") == 0
    grouped = MySQLDialect().derive(compound_select_parentheses=3)
    assert Context(dialect=grouped).sql(a - (b | c)).query()[0] == (
        "(SELECT `t1`.`a` FROM `t` AS `t1` WHERE (`t1`.`a` = %s)) EXCEPT ((SELECT `t2`.`a` FROM "
        "`t` AS `t2` WHERE (`t2`.`a` = %s)) UNION (SELECT `t3`.`a` FROM `t` AS `t3` WHERE "
        "(`t3`.`a` = %s)))"
    )
    # Same-operator chains stay flat on MySQL; inside IN the members are bare.
    assert render((a | b) | c, "mysql")[0].count("((") == 0
    sub = t.select(t.a).where(t.a.in_(a | b))
    assert render(sub, "mysql")[0].endswith(
        "IN (SELECT `t1`.`a` FROM `t` AS `t1` WHERE (`t1`.`a` = %s) UNION SELECT `t1`.`a` FROM "
        "`t` AS `t1` WHERE (`t1`.`a` = %s)))"
    )


# Locking clauses -------------------------------------------------------------------------------


@pytest.mark.backends("postgres", "mysql")
def test_for_update_variants_execute(pets, db, backend):
    owner, pet = pets
    base = owner.select(owner.oname).where(owner.id == 1)
    variants = [
        base.for_update(),
        base.for_update(nowait=True),
        base.for_update("FOR UPDATE SKIP LOCKED"),
    ]
    if backend == "postgres":
        variants += [
            base.for_update("FOR SHARE"),
            base.for_update("FOR NO KEY UPDATE"),
            base.for_update(of=owner),
            owner.select(owner.oname, pet.pname)
            .join(pet, on=(pet.id == owner.id))
            .where(owner.id == 2)
            .for_update(of=[owner, pet], nowait=True),
        ]
        assert render(variants[-1], "postgres")[0].endswith('FOR UPDATE OF "t1", "t2" NOWAIT')
    else:
        variants.append(base.for_update("LOCK IN SHARE MODE"))
    for query in variants:
        with db.atomic():
            rows = list(query.tuples())
        assert rows[0][0] in ("ann", "bob")
    assert render(base.for_update(nowait=True), backend)[0].endswith("FOR UPDATE NOWAIT")


# VALUES lists -------------------------------------------------------------------------------------


@pytest.mark.backends("sqlite", "postgres")
def test_values_list_as_source_and_join(pets, backend):
    owner, _ = pets
    plain = ValuesList([(1, "one"), (2, "two")]).alias("v")
    assert render(plain.select(SQL("*")), backend)[0] == (
        'SELECT * FROM (VALUES (?, ?), (?, ?)) AS "v"'.replace("?", DIALECTS[backend].param)
    )
    assert sorted(plain.select(SQL("*")).bind(owner._database).tuples()) == [(1, "one"), (2, "two")]
    if backend == "postgres":  # SQLite cannot name the columns of a derived table
        vl = ValuesList([(1, "uno"), (3, "tres")], columns=("k", "label"), alias="vl")
        q = (
            owner.select(owner.oname, vl.c.label)
            .join(vl, on=(vl.c.k == owner.id))
            .order_by(owner.id)
        )
        assert list(q.tuples()) == [("ann", "uno"), ("cat", "tres")]
        owner.update(oname=vl.c.label).from_(vl).where(vl.c.k == owner.id).execute()
        assert [r[0] for r in owner.select(owner.oname).order_by(owner.id).tuples()] == [
            "uno",
            "bob",
            "tres",
        ]


def test_values_list_in_cte_on_every_backend(pets):
    owner, _ = pets
    vals = ValuesList([(2, "x"), (3, "y")]).cte("vals", columns=("k", "tag"))
    q = (
        owner.select(owner.oname, vals.c.tag)
        .join(vals, on=(vals.c.k == owner.id))
        .with_cte(vals)
        .order_by(owner.id)
    )
    assert list(q.tuples()) == [("bob", "x"), ("cat", "y")]


# INSERT forms -----------------------------------------------------------------------------------


@pytest.fixture
def counters(db):
    auto = db.dialect.field_types["AUTO"]
    _create(
        db,
        "counter",
        [
            ("id", auto + " NOT NULL PRIMARY KEY"),
            ("name", "VARCHAR(20) DEFAULT 'none'"),
            ("hits", "INTEGER DEFAULT 7"),
        ],
    )
    return Table("counter", ("id", "name", "hits"), primary_key="id").bind(db)


def test_insert_default_values_executes(counters, backend):
    sql = render(counters.insert({}), backend)[0]
    expected = "() VALUES ()" if backend == "mysql" else "DEFAULT VALUES"
    assert sql.endswith(expected)
    new_id = counters.insert({}).execute()
    assert counters.select(counters.name, counters.hits).where(counters.id == new_id).tuples()[
        :
    ] == [("none", 7)]


def test_insert_from_query_without_column_list(counters, backend):
    counters.insert(
        [(1, "a", 1), (2, "b", 2)], columns=[counters.id, counters.name, counters.hits]
    ).execute()
    src = counters.select(counters.id + 10, counters.name.concat("!"), counters.hits * 2)
    q = counters.insert(src)
    assert render(q, backend)[0].startswith(
        "INSERT INTO %s SELECT" % DIALECTS[backend].quote_name("counter")
    )
    q.execute()
    rows = counters.select(counters.id, counters.name, counters.hits).order_by(counters.id).tuples()
    assert list(rows) == [(1, "a", 1), (2, "b", 2), (11, "a!", 2), (12, "b!", 4)]


@pytest.mark.backends("sqlite", "postgres")
def test_upsert_where_and_conflict_where_execute(counters, db, backend):
    counters.insert(
        [(1, "a", 1), (2, "b", 50)], columns=[counters.id, counters.name, counters.hits]
    ).execute()

    def upsert(row_id, hits):
        return counters.insert(id=row_id, name="new", hits=hits).on_conflict(
            conflict_target=[counters.id],
            preserve=[counters.name],
            update={counters.hits: counters.hits + EXCLUDED.hits},
            where=(counters.hits < 10),
        )

    upsert(1, 5).execute()  # row 1 qualifies: updated
    upsert(2, 5).execute()  # row 2 fails the WHERE: left alone
    upsert(3, 5).execute()  # no conflict: inserted
    rows = counters.select(counters.id, counters.name, counters.hits).order_by(counters.id).tuples()
    assert list(rows) == [(1, "new", 6), (2, "b", 50), (3, "new", 5)]
    # conflict_where matches a partial unique index.
    db.execute_sql("CREATE UNIQUE INDEX counter_big ON counter (name) WHERE hits > 40")
    q = counters.insert(name="b", hits=60).on_conflict(
        conflict_target=[counters.name],
        # SQLite matches the index predicate textually, so the constant is inlined here.
        conflict_where=(counters.hits > SQL("40")),
        update={counters.hits: EXCLUDED.hits},
    )
    assert (
        "ON CONFLICT (%s) WHERE (%s > 40) DO UPDATE"
        % (
            DIALECTS[backend].quote_name("name"),
            DIALECTS[backend].quote_name("hits"),
        )
        in render(q, backend)[0]
    )
    q.execute()
    assert counters.select(counters.hits).where(counters.id == 2).scalar() == 60
    ignored = counters.insert(id=1, name="zzz").on_conflict(
        action="IGNORE", conflict_target=[counters.id]
    )
    ignored.execute()
    assert counters.select(counters.name).where(counters.id == 1).scalar() == "new"


def test_mysql_on_duplicate_key_update_text_and_effect(counters, backend):
    counters.insert(id=1, name="a", hits=1).execute()
    q = counters.insert(id=1, name="b", hits=5).on_conflict(
        preserve=[counters.name], update={counters.hits: counters.hits + 1}
    )
    assert render(q, "mysql") == (
        "INSERT INTO `counter` (`hits`, `id`, `name`) VALUES (%s, %s, %s) ON DUPLICATE KEY UPDATE "
        "`name` = VALUES(`name`), `hits` = (`hits` + %s)",
        [5, 1, "b", 1],
    )
    if backend == "mysql":
        q.execute()
        assert counters.select(counters.name, counters.hits).tuples()[:] == [("b", 2)]


@pytest.mark.backends("sqlite", "postgres")
def test_returning_on_single_insert_update_delete(counters):
    rows = (
        counters.insert(name="r", hits=3).returning(counters.id, counters.hits.alias("h")).execute()
    )
    [(new_id, hits)] = [(r["id"], r["h"]) for r in rows]
    assert hits == 3 and new_id >= 1
    upd = (
        counters.update(hits=counters.hits * 10)
        .where(counters.id == new_id)
        .returning(counters.hits)
    )
    assert [r[0] for r in upd.tuples().execute()] == [30]
    gone = counters.delete().where(counters.id == new_id).returning(counters.name, counters.hits)
    assert list(gone.namedtuples().execute())[0]._asdict() == {"name": "r", "hits": 30}
    assert counters.select().count() == 0


# Operators with backend spellings ---------------------------------------------------------------


@pytest.fixture
def words(db, backend, tmp_path):
    if backend == "sqlite":  # REGEXP needs the function peewee can register on SQLite
        from peewee import SqliteDatabase

        db = SqliteDatabase(str(tmp_path / "re.db"), regexp_function=True)
    _create(db, "word", [("id", "INTEGER NOT NULL PRIMARY KEY"), ("w", "VARCHAR(20)")])
    word = Table("word", ("id", "w")).bind(db)
    word.insert(
        [(1, "Apple"), (2, "apple"), (3, "a_b"), (4, "axb"), (5, "x%y")], columns=[word.id, word.w]
    ).execute()
    yield word
    if backend == "sqlite":
        db.close()


def test_pattern_operators_execute(words, backend):
    w = words

    def ids(expr):
        return [r[0] for r in w.select(w.id).where(expr).order_by(w.id).tuples()]

    case_sensitive = {"sqlite": "A*", "postgres": "A%", "mysql": "A%"}[backend]
    assert ids(w.w % case_sensitive) == [1]  # GLOB / LIKE / LIKE BINARY
    assert ids(w.w ** "a%") == [1, 2, 3, 4]  # LIKE / ILIKE / LIKE
    assert ids(w.w.ilike("APPLE")) == [1, 2]
    assert ids(w.w.contains("_")) == [3]  # the wildcard is escaped
    assert ids(w.w.contains("%")) == [5]
    assert ids(w.w.startswith("a_")) == [3]
    assert ids(w.w.endswith("%y")) == [5]
    assert ids(w.w.regexp("^a.b$")) == [3, 4]
    assert ids(w.w.regexp("^A")) == [1]
    if backend != "sqlite":  # SQLite has no IREGEXP
        assert ids(w.w.iregexp("^A")) == [1, 2, 3, 4]


def test_bitwise_operators_execute(series, backend):
    s = series

    def ks(expr):
        return [r[0] for r in s.select(s.k).where(expr).order_by(s.k).tuples()]

    assert ks(s.k.bin_and(1) == 1) == [1, 3, 5]
    assert ks(s.k.bin_or(4) == 5) == [1, 5]
    if backend == "sqlite":
        # ``%`` on a column means LIKE (as in peewee); modulo is spelled with OP.MOD, whose
        # literal ``%`` the format-style drivers (psycopg2, pymysql) cannot take, as in peewee.
        assert ks(Expression(s.k * 2 - 1, OP.MOD, 3) == 0) == [2, 5]
    assert [r[0] for r in s.select(s.k.bin_and(6)).order_by(s.k).tuples()] == [0, 2, 2, 4, 4]


def test_default_constraint_executes(db, backend):
    from peewee import Default, Entity, NodeList

    column = NodeList((Entity("n"), SQL("INTEGER"), Default(3)))
    ctx = Context(dialect=DIALECTS[backend])
    assert ctx.sql(column).query() == (
        "%s INTEGER DEFAULT 3" % DIALECTS[backend].quote_name("n"),
        [],
    )
    _create(db, "dflt", [("id", "INTEGER PRIMARY KEY"), ("n", "INTEGER %s" % Default(3).sql)])
    table = Table("dflt", ("id", "n")).bind(db)
    table.insert(id=1).execute()
    assert table.select(table.n).scalar() == 3


# CTE options, FILTER, lateral subqueries in FROM --------------------------------------------------


@pytest.mark.backends("sqlite", "postgres")
def test_materialized_ctes_and_aggregate_filter(series, backend):
    s = series
    for flag, word in ((True, "MATERIALIZED"), (False, "NOT MATERIALIZED")):
        cte = s.select(s.k, s.v).where(s.v > 1).cte("big", materialized=flag)
        q = cte.select_from(fn.SUM(cte.c.k))
        assert render(q, backend)[0].startswith('WITH "big" AS %s (SELECT' % word)
        assert q.scalar() == 12
    q = s.select(fn.COUNT(s.k).filter(s.v == 3), fn.SUM(s.k).filter(s.v < 3))
    assert render(q, backend)[0] == (
        'SELECT COUNT("t1"."k") FILTER (WHERE ("t1"."v" = %s)), SUM("t1"."k") FILTER (WHERE '
        '("t1"."v" < %s)) FROM "series" AS "t1"'.replace("%s", DIALECTS[backend].param)
    )
    assert tuple(int(x) for x in q.tuples()[0]) == (2, 6)


@pytest.mark.backends("postgres")
def test_lateral_subquery_in_from_list(series):
    s = series
    other = s.alias("o")
    nxt = other.select(other.v).where(other.k == s.k + 1).lateral().alias("nx")
    q = s.select(s.k, nxt.c.v).from_(s, nxt).order_by(s.k)
    assert render(q, "postgres")[0] == (
        'SELECT "t1"."k", "nx"."v" FROM "series" AS "t1", LATERAL (SELECT "o"."v" FROM "series" '
        'AS "o" WHERE ("o"."k" = ("t1"."k" + %s))) AS "nx" ORDER BY "t1"."k"'
    )
    assert list(q.tuples()) == [(1, 1), (2, 2), (3, 3), (4, 3)]
