"""Model-level queries and writes that follow peewee 4.5.3 to the letter: CTEs built from model
queries, cross joins, ``bind_to``, compound selects with joins, inserts filling defaults,
``exists()`` / ``scalar()`` text, composite-key lookups, table names and field aliases."""

from __future__ import annotations

import pytest

from peewee import (
    JOIN,
    SQL,
    CharField,
    CompositeKey,
    ForeignKeyField,
    IntegerField,
    InterfaceError,
    Model,
    TextField,
    Value,
    fn,
)


def as_backend(db, sql):
    """The SQLite-form text ``sql`` written with ``db``'s quotes and placeholders."""
    if db.param != "?":
        sql = sql.replace("?", db.param)
    if db.quote != '""':
        sql = sql.replace('"', db.quote[0])
    return sql


@pytest.fixture
def social(db):
    class Base(Model):
        class Meta:
            database = db

    class User(Base):
        username = CharField(unique=True)
        age = IntegerField(default=18)

    class Tweet(Base):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()
        likes = IntegerField(default=0)

    db.create_tables([User, Tweet])
    for i, name in enumerate(["huey", "mickey", "zaizee"]):
        user = User.create(username=name, age=10 + i)
        for j in range(i + 1):
            Tweet.create(user=user, content="%s-%d" % (name, j), likes=j)
    return User, Tweet


@pytest.fixture
def category(db):
    class Category(Model):
        name = CharField()
        parent = ForeignKeyField("self", null=True, backref="children")

        class Meta:
            database = db

    db.create_tables([Category])
    root = Category.create(name="root")
    a = Category.create(name="a", parent=root)
    b = Category.create(name="b", parent=root)
    Category.create(name="a1", parent=a)
    Category.create(name="b1", parent=b)
    return Category


# --- common table expressions ------------------------------------------------------------------


def test_recursive_cte_from_model_query_yields_model_rows(db, backend, category):
    Category = category
    # PostgreSQL wants both terms of the recursion typed alike: VARCHAR(255) widened to TEXT.
    name = Category.name.cast("TEXT") if backend == "postgres" else Category.name
    base = (
        Category.select(Category.id, name.alias("path"))
        .where(Category.parent.is_null())
        .cte("paths", recursive=True)
    )
    child = Category.alias("c2")
    step = child.select(child.id, base.c.path.concat("/").concat(child.name)).join(
        base, on=(child.parent == base.c.id)
    )
    tree = base.union_all(step)
    query = tree.select_from(tree.c.path).order_by(tree.c.path)
    if backend == "sqlite":
        assert query.sql() == (
            'WITH RECURSIVE "paths" AS (SELECT "t1"."id", "t1"."name" AS "path" FROM "category" '
            'AS "t1" WHERE ("t1"."parent_id" IS NULL) UNION ALL SELECT "c2"."id", (("paths"."path"'
            ' || ?) || "c2"."name") FROM "category" AS "c2" INNER JOIN "paths" ON ("c2"."parent_id"'
            ' = "paths"."id")) SELECT "paths"."path" FROM "paths" ORDER BY "paths"."path"',
            ["/"],
        )
    rows = list(query)
    assert all(isinstance(row, Category) for row in rows)
    assert [row.path for row in rows] == ["root", "root/a", "root/a/a1", "root/b", "root/b/b1"]


def test_cte_joined_back_to_the_model(db, category):
    Category = category
    cte = Category.select(Category.id, Category.name).where(Category.name == "a").cte("acats")
    query = (
        Category.select(Category.name, cte.c.name.alias("cname"))
        .join(cte, on=(Category.parent == cte.c.id))
        .with_cte(cte)
        .order_by(Category.name)
    )
    assert query.sql() == (
        as_backend(
            db,
            'WITH "acats" AS (SELECT "t1"."id", "t1"."name" FROM "category" AS "t1" WHERE ("t1"."name" '
            '= ?)) SELECT "t2"."name", "acats"."name" AS "cname" FROM "category" AS "t2" INNER JOIN '
            '"acats" ON ("t2"."parent_id" = "acats"."id") ORDER BY "t2"."name"',
        ),
        ["a"],
    )
    # The CTE's columns hang on the row as a dict named after the CTE.
    assert [(c.name, c.acats) for c in query] == [("a1", {"cname": "a"})]


def test_cte_columns_name_the_cte_result(db, category):
    Category = category
    cte = Category.select(Category.id, Category.name).cte("cc", columns=("cid", "cname"))
    query = cte.select_from(cte.c.cid, cte.c.cname).order_by(cte.c.cid)
    assert query.sql() == (
        as_backend(
            db,
            'WITH "cc" ("cid", "cname") AS (SELECT "t1"."id", "t1"."name" FROM "category" AS "t1") '
            'SELECT "cc"."cid", "cc"."cname" FROM "cc" ORDER BY "cc"."cid"',
        ),
        [],
    )
    assert [row.cname for row in query][:2] == ["root", "a"]


# --- joins -------------------------------------------------------------------------------------


def test_cross_join_pairs_every_row_and_rejects_a_condition(db, social):
    User, Tweet = social
    query = (
        User.select(User.username, Tweet.content)
        .join(Tweet, JOIN.CROSS)
        .where(Tweet.likes == 2)
        .order_by(User.id)
    )
    assert query.sql() == (
        as_backend(
            db,
            'SELECT "t1"."username", "t2"."content" FROM "user" AS "t1" CROSS JOIN "tweet" AS "t2" '
            'WHERE ("t2"."likes" = ?) ORDER BY "t1"."id"',
        ),
        [2],
    )
    assert list(query.tuples()) == [("huey", "zaizee-2"), ("mickey", "zaizee-2"), ("zaizee", "zaizee-2")]
    with pytest.raises(ValueError, match="Cannot specify on clause with cross join."):
        User.select().join(Tweet, JOIN.CROSS, on=(Tweet.user == User.id))
    assert not hasattr(User.select(), "cross_join")


def test_bind_to_puts_a_joined_column_on_the_joined_instance(db, social):
    User, Tweet = social
    query = (
        Tweet.select(Tweet.content, User.username.bind_to(User))
        .join(User)
        .order_by(Tweet.id)
    )
    rows = list(query)
    assert [(t.content, t.user.username) for t in rows][:2] == [("huey-0", "huey"), ("mickey-0", "mickey")]
    assert "username" not in rows[0].__dict__
    aliased = Tweet.select(Tweet.content, User.username.bind_to(User).alias("u")).join(User)
    assert sorted(t.user.u for t in aliased)[0] == "huey"


def test_cross_join_keeps_the_join_context(db, social):
    User, Tweet = social
    query = User.select().join(Tweet, JOIN.CROSS).join(Tweet.alias("t9"), on=SQL("1 = 1"))
    assert '"user" AS "t1" CROSS JOIN "tweet" AS "t2" INNER JOIN "tweet" AS "t9"' in query.sql()[0].replace("`", '"')


# --- compound selects --------------------------------------------------------------------------


def test_compound_select_with_joins_builds_the_joined_instances(db, social):
    User, Tweet = social
    young = Tweet.select(Tweet.content, User.username).join(User).where(User.age < 11)
    old = Tweet.select(Tweet.content, User.username).join(User).where(User.age > 11)
    query = young.union_all(old).order_by(SQL("1"))
    assert [(t.content, t.user.username) for t in query] == [
        ("huey-0", "huey"),
        ("zaizee-0", "zaizee"),
        ("zaizee-1", "zaizee"),
        ("zaizee-2", "zaizee"),
    ]


def test_compound_order_by_names_result_columns_unqualified(db, social):
    User, Tweet = social
    query = (User.select(User.username).where(User.age < 11) | User.select(User.username).where(User.age > 11)).order_by(
        User.username.desc()
    )
    assert query.sql()[0].endswith(as_backend(db, 'ORDER BY "username" DESC'))
    assert [u.username for u in query] == ["zaizee", "huey"]


# --- fetch helpers -----------------------------------------------------------------------------


def test_exists_and_scalar_ask_for_one_row(db, social):
    User, Tweet = social
    queries = []
    original = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        queries.append((sql, list(params or ())))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        assert User.select().where(User.age > 10).exists() is True
        assert User.select().where(User.age > 99).exists() is False
        assert User.select(fn.MAX(User.age)).scalar() == 12
        assert User.select(fn.MAX(User.age), fn.MIN(User.age)).scalar(as_tuple=True) == (12, 10)
        assert User.select().order_by(User.id).limit(2).count() == 2
    finally:
        del db.execute_sql
    assert queries[0] == (
        as_backend(db, 'SELECT EXISTS(SELECT 1 FROM "user" AS "t1" WHERE ("t1"."age" > ?)) LIMIT ?'),
        [10, 1],
    )
    assert queries[2] == (as_backend(db, 'SELECT MAX("t1"."age") FROM "user" AS "t1" LIMIT ?'), [1])
    assert queries[4] == (
        as_backend(
            db,
            'SELECT COUNT(1) FROM (SELECT 1 FROM "user" AS "t1" LIMIT ?) AS "_wrapped" LIMIT ?',
        ),
        [2, 1],
    )


def test_unbound_model_query_fails_like_execute():
    class Free(Model):
        name = CharField()

    assert Free.select().where(Free.name == "x").sql() == (
        'SELECT "t1"."id", "t1"."name" FROM "free" AS "t1" WHERE ("t1"."name" = ?)',
        ["x"],
    )
    with pytest.raises(InterfaceError, match='Query must be bound to a database in order to call "execute".'):
        list(Free.select())


# --- writes ------------------------------------------------------------------------------------


def test_insert_without_values_fills_the_defaults(db):
    class Counter(Model):
        value = IntegerField(default=3)
        note = CharField(null=True)

        class Meta:
            database = db

    class Bare(Model):
        class Meta:
            database = db

    db.create_tables([Counter, Bare])
    sql, params = Counter.insert().sql()
    assert sql.startswith(as_backend(db, 'INSERT INTO "counter" ("value") VALUES (?)'))
    assert params == [3]
    Counter.insert().execute()
    Bare.insert().execute()
    assert list(Counter.select(Counter.value, Counter.note).tuples()) == [(3, None)]
    assert Bare.select().count() == 1


def test_insert_dict_with_an_unknown_name_is_a_value_error(db, social):
    User, Tweet = social
    with pytest.raises(ValueError, match='Unrecognized field name: "nickname"'):
        User.insert({"nickname": "x"})
    with pytest.raises(AttributeError):
        User.insert(nickname="x")


def test_composite_key_lookup_checks_the_key_length(db):
    class Tag(Model):
        a = CharField()
        b = IntegerField()
        v = TextField(default="")

        class Meta:
            database = db
            primary_key = CompositeKey("a", "b")

    db.create_tables([Tag])
    Tag.create(a="x", b=1, v="one")
    assert Tag.get_by_id(("x", 1)).v == "one"
    message = "The length of the value must equal the number of columns of the composite primary key."
    for bad in (("x",), ("x", 1, 2), "x"):
        with pytest.raises(ValueError, match=message):
            Tag.get_by_id(bad)
    with pytest.raises(ValueError, match=message):
        Tag.get(Tag._meta.primary_key == ("x",))


# --- model declaration -------------------------------------------------------------------------


def test_snake_case_table_names_absorb_existing_underscores():
    class Base(Model):
        class Meta:
            legacy_table_names = False

    class Foo_Bar(Base):
        pass

    class APIResponse(Base):
        pass

    class Model2Things(Base):
        pass

    class Legacy_Name(Model):
        pass

    assert Foo_Bar._meta.table_name == "foo_bar"
    assert APIResponse._meta.table_name == "api_response"
    assert Model2Things._meta.table_name == "model2_things"
    assert Legacy_Name._meta.table_name == "legacy_name"


def test_alias_field_model_is_the_alias(db, social):
    User, Tweet = social
    alias = User.alias("ua")
    field = alias.username
    assert field.model is alias
    assert field.source is alias
    assert field.field is User.username
    assert (field.name, field.column_name) == ("username", "username")
    assert field.model._meta is User._meta
    assert alias.select(alias.username).where(alias.username == "huey").sql() == (
        as_backend(db, 'SELECT "ua"."username" FROM "user" AS "ua" WHERE ("ua"."username" = ?)'),
        ["huey"],
    )
    row = alias.select().where(alias.username == "huey").get()
    assert (type(row), row.age) == (User, 10)


def test_value_in_cte_selection(db, category):
    Category = category
    cte = Category.select(Category.id, Value(1).alias("level")).where(Category.parent.is_null()).cte("lv")
    assert [row.level for row in cte.select_from(cte.c.level)] == [1]


def test_filter_ending_on_a_foreign_key_adds_no_join(db, social):
    User, Tweet = social
    huey = User.get(User.username == "huey")
    query = Tweet.filter(user__in=[huey, 2])
    assert query.sql() == (
        as_backend(
            db,
            'SELECT "t1"."id", "t1"."user_id", "t1"."content", "t1"."likes" FROM "tweet" AS "t1" '
            'WHERE ("t1"."user_id" IN (?, ?))',
        ),
        [huey.id, 2],
    )
    assert sorted(t.content for t in query) == ["huey-0", "mickey-0", "mickey-1"]
    assert " JOIN " not in Tweet.filter(user=huey).sql()[0]
    assert " JOIN " in Tweet.filter(user__username="huey").sql()[0]


def test_insert_many_mixes_dict_and_sequence_rows(db, social):
    User, Tweet = social
    query = User.insert_many([{"username": "a"}, ("b", 3)], fields=[User.username, User.age])
    sql, params = query.sql()  # (PostgreSQL adds RETURNING "user"."id")
    assert sql.startswith(as_backend(db, 'INSERT INTO "user" ("username", "age") VALUES (?, ?), (?, ?)'))
    assert params == ["a", 18, "b", 3]
    query.execute()
    User.insert_many([("c",), ("d", 5)], fields=[User.username, User.age]).execute()
    rows = User.select(User.username, User.age).where(User.username.in_(["a", "b", "c", "d"]))
    assert sorted(rows.tuples()) == [("a", 18), ("b", 3), ("c", 18), ("d", 5)]


def test_rowcount_insert_returns_the_count_without_returning(db, social):
    User, Tweet = social
    query = User.insert_many([("r1",), ("r2",)], fields=[User.username]).as_rowcount()
    assert query.execute() == 2
    assert User.select().where(User.username.startswith("r")).count() == 2


def test_noop_selects_nothing(db, backend, social):
    User, Tweet = social
    query = User.noop()
    expected = {
        "sqlite": "SELECT 0 WHERE 0",
        "postgres": "SELECT 0 WHERE false",
        "mysql": "SELECT 0 WHERE 0=1",
    }[backend]
    assert query.sql() == (expected, [])
    assert list(query) == []


def test_exists_replaces_only_the_default_selection(db, social):
    User, Tweet = social
    statements = []
    original = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = spy
    try:
        assert User.select(User.username).where(User.age > 11).exists() is True
        assert (User.select().where(User.age == 10) | User.select().where(User.age == 12)).exists()
    finally:
        del db.execute_sql
    assert statements[0] == as_backend(
        db,
        'SELECT EXISTS(SELECT "t1"."username" FROM "user" AS "t1" WHERE ("t1"."age" > ?)) LIMIT ?',
    )
    assert statements[1].startswith("SELECT EXISTS(") and " UNION " in statements[1]


def test_composite_pk_assignment_checks_the_value(db):
    class Pair(Model):
        a = CharField()
        b = IntegerField()

        class Meta:
            database = db
            primary_key = CompositeKey("a", "b")

    pair = Pair()
    pair._pk = ("q", 3)
    assert (pair.a, pair.b, pair.get_id()) == ("q", 3, ("q", 3))
    with pytest.raises(ValueError):
        pair._pk = ("q",)
    with pytest.raises(TypeError):
        pair._pk = "q"


def test_compound_of_model_queries_as_a_joined_subquery(db, social):
    User, Tweet = social
    young = User.select(User.id, User.username).where(User.age == 10)
    old = User.select(User.id, User.username).where(User.age == 12)
    both = (young | old).alias("both")
    query = User.select(User.username).join(both, on=(both.c.id == User.id)).order_by(User.id)
    assert [u.username for u in query] == ["huey", "zaizee"]
    inner = Tweet.select().where(Tweet.user.in_(young.select(User.id) | old.select(User.id)))
    assert sorted(t.content for t in inner) == ["huey-0", "zaizee-0", "zaizee-1", "zaizee-2"]


def test_models_restores_model_rows(db, social):
    User, Tweet = social
    query = Tweet.select(Tweet.content, User.username).join(User).order_by(Tweet.id).dicts()
    assert query[0] == {"content": "huey-0", "username": "huey"}
    rows = list(query.models())
    assert (type(rows[0]), rows[0].user.username) == (Tweet, "huey")


def test_dependencies_can_stop_at_nullable_keys(db):
    class Base(Model):
        class Meta:
            database = db

    class Root(Base):
        pass

    class Branch(Base):
        root = ForeignKeyField(Root, null=True)

    class Leaf(Base):
        branch = ForeignKeyField(Branch)

    db.create_tables([Root, Branch, Leaf])
    root = Root.create()
    Leaf.create(branch=Branch.create(root=root))
    def names(**options):
        return [str(fk) for _, fk in root.dependencies(**options)]

    assert names() == ["<ForeignKeyField: Leaf.branch>", "<ForeignKeyField: Branch.root>"]
    assert names(exclude_null_children=True) == ["<ForeignKeyField: Branch.root>"]
    assert names(search_nullable=False) == []
    # Without delete_nullable the branch only loses its key: its leaf stays.
    assert root.delete_instance(recursive=True) == 1
    assert Branch.select(Branch.root).scalar() is None
    assert Leaf.select().count() == 1
    root = Root.create()
    Branch.update(root=root).execute()
    assert root.delete_instance(recursive=True, delete_nullable=True) == 1
    assert (Branch.select().count(), Leaf.select().count()) == (0, 0)


def test_alias_fields_keep_their_field_class_operators(db, backend, social):
    User, Tweet = social
    Other = User.alias("o")
    query = Other.select((Other.username + "!").alias("shout"), (Other.age + 1).alias("next")).where(
        Other.username == "huey"
    )
    concat = 'CONCAT("o"."username", ?)' if backend == "mysql" else '("o"."username" || ?)'
    assert query.sql() == (
        as_backend(
            db,
            'SELECT %s AS "shout", ("o"."age" + ?) AS "next" FROM "user" AS "o" '
            'WHERE ("o"."username" = ?)' % concat,
        ),
        ["!", 1, "huey"],
    )
    assert type(Other.username.clone()) is type(Other.username)
    assert [(r.shout, r.next) for r in query.objects()] == [("huey!", 11)]
