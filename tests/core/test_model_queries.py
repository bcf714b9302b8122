"""Model selects: SQL text, joins building object graphs, row types, filters, counting, fetch helpers."""

from __future__ import annotations

import datetime

import pytest

from peewee import (
    DQ,
    JOIN,
    SQL,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    fn,
)


def make_models():
    class User(Model):
        username = CharField(unique=True)

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()
        created = DateTimeField(null=True)

    class Relationship(Model):
        from_user = ForeignKeyField(User, backref="relationships")
        to_user = ForeignKeyField(User, backref="related_to")

        class Meta:
            indexes = ((("from_user", "to_user"), True),)

    return User, Tweet, Relationship


@pytest.fixture
def models(db):
    User, Tweet, Relationship = make_models()
    db.bind([User, Tweet, Relationship])
    db.create_tables([User, Tweet, Relationship])
    return User, Tweet, Relationship


@pytest.fixture
def populated(models):
    User, Tweet, Relationship = models
    base = datetime.datetime(2024, 1, 1, 12, 0, 0)
    users = {name: User.create(username=name) for name in ("ann", "bob", "cat")}
    for i, (name, content) in enumerate([("ann", "a1"), ("ann", "a2"), ("bob", "b1")]):
        Tweet.create(user=users[name], content=content, created=base + datetime.timedelta(hours=i))
    Relationship.create(from_user=users["ann"], to_user=users["bob"])
    Relationship.create(from_user=users["ann"], to_user=users["cat"])
    Relationship.create(from_user=users["bob"], to_user=users["ann"])
    return users


class StatementCounter:
    def __init__(self, database, monkeypatch):
        self.statements = []
        original = database.execute_sql

        def execute_sql(sql, params=None, *args, **kwargs):
            self.statements.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database, "execute_sql", execute_sql)

    @property
    def count(self):
        return len(self.statements)


# -- SQL text (unbound models render with the default ? placeholders and " quotes) ----------------


def test_select_sql_text():
    User, Tweet, Relationship = make_models()
    assert Tweet.select().sql() == (
        'SELECT "t1"."id", "t1"."user_id", "t1"."content", "t1"."created" FROM "tweet" AS "t1"',
        [],
    )
    assert Tweet.select(Tweet, User).join(User).sql()[0] == (
        'SELECT "t1"."id", "t1"."user_id", "t1"."content", "t1"."created", "t2"."id", "t2"."username" '
        'FROM "tweet" AS "t1" INNER JOIN "user" AS "t2" ON ("t1"."user_id" = "t2"."id")'
    )
    # A back-reference join from the other side.
    assert User.select().join(Tweet).sql()[0] == (
        'SELECT "t1"."id", "t1"."username" FROM "user" AS "t1" '
        'INNER JOIN "tweet" AS "t2" ON ("t2"."user_id" = "t1"."id")'
    )


def test_subquery_selects_only_the_primary_key():
    User, Tweet, Relationship = make_models()
    following = (
        User.select().join(Relationship, on=Relationship.to_user).where(Relationship.from_user == 1)
    )
    query = Tweet.select().where(Tweet.user.in_(following))
    assert query.sql() == (
        'SELECT "t1"."id", "t1"."user_id", "t1"."content", "t1"."created" FROM "tweet" AS "t1" '
        'WHERE ("t1"."user_id" IN (SELECT "t2"."id" FROM "user" AS "t2" '
        'INNER JOIN "relationship" AS "t3" ON ("t3"."to_user_id" = "t2"."id") '
        'WHERE ("t3"."from_user_id" = ?)))',
        [1],
    )


def test_group_by_model_expands_to_columns():
    User, Tweet, _ = make_models()
    query = User.select(User.username, fn.COUNT(Tweet.id)).join(Tweet).group_by(User)
    assert query.sql()[0] == (
        'SELECT "t1"."username", COUNT("t2"."id") FROM "user" AS "t1" '
        'INNER JOIN "tweet" AS "t2" ON ("t2"."user_id" = "t1"."id") GROUP BY "t1"."id", "t1"."username"'
    )


def test_alias_self_join_sql():
    User, _, Relationship = make_models()
    ToUser = User.alias()
    query = Relationship.select(Relationship, ToUser).join(ToUser, on=Relationship.to_user)
    assert query.sql()[0] == (
        'SELECT "t1"."id", "t1"."from_user_id", "t1"."to_user_id", "t2"."id", "t2"."username" '
        'FROM "relationship" AS "t1" INNER JOIN "user" AS "t2" ON ("t1"."to_user_id" = "t2"."id")'
    )


def test_filter_adds_joins_sql():
    User, Tweet, _ = make_models()
    assert Tweet.filter(user__username="ann").sql() == (
        'SELECT "t1"."id", "t1"."user_id", "t1"."content", "t1"."created" FROM "tweet" AS "t1" '
        'INNER JOIN "user" AS "t2" ON ("t1"."user_id" = "t2"."id") WHERE ("t2"."username" = ?)',
        ["ann"],
    )
    assert (
        User.filter(tweets__content__startswith="a")
        .sql()[0]
        .startswith(
            'SELECT "t1"."id", "t1"."username" FROM "user" AS "t1" '
            'INNER JOIN "tweet" AS "t2" ON ("t2"."user_id" = "t1"."id") WHERE'
        )
    )


def test_ambiguous_join_is_a_clear_error():
    User, _, Relationship = make_models()
    with pytest.raises(ValueError, match="More than one foreign key"):
        Relationship.select().join(User)


# -- execution ---------------------------------------------------------------------------------


def test_join_builds_related_objects_without_extra_queries(db, populated, models, monkeypatch):
    User, Tweet, _ = models
    counter = StatementCounter(db, monkeypatch)
    tweets = list(Tweet.select(Tweet, User).join(User).order_by(Tweet.id))
    assert [(t.content, t.user.username) for t in tweets] == [
        ("a1", "ann"),
        ("a2", "ann"),
        ("b1", "bob"),
    ]
    assert counter.count == 1
    assert isinstance(tweets[0].created, datetime.datetime)
    assert not tweets[0].is_dirty() and not tweets[0].user.is_dirty()


def test_lazy_foreign_key_runs_a_query(db, populated, models, monkeypatch):
    User, Tweet, _ = models
    tweets = list(Tweet.select().order_by(Tweet.id))
    counter = StatementCounter(db, monkeypatch)
    assert tweets[0].user.username == "ann"
    assert counter.count == 1


def test_left_outer_backref_join_gives_none(db, populated, models):
    User, Tweet, _ = models
    rows = list(
        User.select(User, Tweet).join(Tweet, JOIN.LEFT_OUTER).order_by(User.username, Tweet.id)
    )
    assert [(u.username, u.tweet.content if u.tweet else None) for u in rows] == [
        ("ann", "a1"),
        ("ann", "a2"),
        ("bob", "b1"),
        ("cat", None),
    ]


def test_join_attr_and_alias(db, populated, models):
    User, Tweet, Relationship = models
    Followed = User.alias()
    rows = (
        Relationship.select(Relationship, User, Followed)
        .join(User, on=Relationship.from_user, attr="follower")
        .switch(Relationship)
        .join(Followed, on=Relationship.to_user, attr="followed")
        .order_by(Relationship.id)
    )
    assert [(r.follower.username, r.followed.username) for r in rows] == [
        ("ann", "bob"),
        ("ann", "cat"),
        ("bob", "ann"),
    ]


def test_following_and_followers(populated, models):
    User, Tweet, Relationship = models
    ann = populated["ann"]
    following = (
        User.select()
        .join(Relationship, on=Relationship.to_user)
        .where(Relationship.from_user == ann)
        .order_by(User.username)
    )
    followers = (
        User.select()
        .join(Relationship, on=Relationship.from_user)
        .where(Relationship.to_user == ann)
        .order_by(User.username)
    )
    assert [u.username for u in following] == ["bob", "cat"]
    assert [u.username for u in followers] == ["bob"]
    timeline = Tweet.select().where(Tweet.user.in_(following)).order_by(Tweet.id)
    assert [t.content for t in timeline] == ["b1"]


def test_row_types(populated, models):
    User, Tweet, _ = models
    query = Tweet.select(Tweet.content, User.username).join(User).order_by(Tweet.id)
    assert list(query.dicts()) == [
        {"content": "a1", "username": "ann"},
        {"content": "a2", "username": "ann"},
        {"content": "b1", "username": "bob"},
    ]
    assert list(query.tuples())[0] == ("a1", "ann")
    row = list(query.namedtuples())[2]
    assert (row.content, row.username) == ("b1", "bob")
    flat = query.objects()[0]
    assert isinstance(flat, Tweet) and flat.content == "a1" and flat.username == "ann"
    nested = query[0]
    assert nested.user.username == "ann"
    # python_value applies to dicts and tuples too.
    created = Tweet.select(Tweet.created).order_by(Tweet.id).tuples()[0][0]
    assert created == datetime.datetime(2024, 1, 1, 12, 0, 0)


def test_aggregate_alias_and_coercion(populated, models):
    User, Tweet, _ = models
    query = (
        User.select(
            User.username, fn.COUNT(Tweet.id).alias("n"), fn.MAX(Tweet.created).alias("last")
        )
        .join(Tweet, JOIN.LEFT_OUTER)
        .group_by(User.username)
        .order_by(User.username)
    )
    rows = [(u.username, u.n, u.last) for u in query]
    assert rows == [
        ("ann", 2, datetime.datetime(2024, 1, 1, 13, 0, 0)),
        ("bob", 1, datetime.datetime(2024, 1, 1, 14, 0, 0)),
        ("cat", 0, None),
    ]


def test_count_exists_scalar(populated, models):
    User, Tweet, _ = models
    assert User.select().count() == 3
    assert Tweet.select().join(User).where(User.username == "ann").count() == 2
    assert User.select().order_by(User.id).limit(2).count() == 2
    assert User.select().limit(2).count(clear_limit=True) == 3
    grouped = Tweet.select(Tweet.user).group_by(Tweet.user)
    assert grouped.count() == 2
    assert User.select().where(User.username == "bob").exists()
    assert not User.select().where(User.username == "zed").exists()
    assert User.select(fn.COUNT(User.id)).scalar() == 3
    assert Tweet.select(fn.MIN(Tweet.content), fn.MAX(Tweet.content)).scalar(as_tuple=True) == (
        "a1",
        "b1",
    )


def test_get_first_peek_paginate_slicing(populated, models):
    User, _, _ = models

    def ordered():
        return User.select().order_by(User.username)

    assert ordered().get().username == "ann"
    assert ordered().first().username == "ann"
    assert [u.username for u in ordered().first(n=2)] == ["ann", "bob"]
    assert ordered().peek().username == "ann"
    assert [u.username for u in ordered().paginate(2, 2)] == ["cat"]
    ordered = ordered()
    assert [u.username for u in ordered[1:3]] == ["bob", "cat"]
    assert ordered[2].username == "cat"
    assert len(ordered) == 3
    assert User.get(User.username == "bob").username == "bob"
    assert User.get(username="cat").username == "cat"
    assert User.get_or_none(User.username == "zed") is None


def test_get_without_match_raises_model_does_not_exist(populated, models):
    User, _, _ = models
    with pytest.raises(User.DoesNotExist) as info:
        User.get(User.username == "zed")
    message = str(info.value)
    assert message.startswith("<Model: User> instance matching query does not exist:\nSQL: SELECT")
    assert "\nParams: ['zed', 1, 0]" in message or "\nParams: ['zed', 1]" in message
    with pytest.raises(User.DoesNotExist):
        User.get_by_id(12345)


def test_results_are_cached_until_cloned(db, populated, models, monkeypatch):
    User, _, _ = models
    query = User.select().order_by(User.id)
    counter = StatementCounter(db, monkeypatch)
    assert [u.username for u in query] == [u.username for u in query]
    assert counter.count == 1
    list(query.clone())
    assert counter.count == 2
    # iterator() does not cache rows
    assert [u.username for u in query.clone().iterator()] == ["ann", "bob", "cat"]


def test_filter_with_dq_and_lookups(populated, models):
    User, Tweet, _ = models
    names = lambda q: sorted(u.username for u in q)  # noqa: E731
    assert names(User.filter(DQ(username="ann") | DQ(username="cat"))) == ["ann", "cat"]
    assert names(User.filter(~DQ(username="ann"))) == ["bob", "cat"]
    assert names(User.filter(username__in=["bob", "cat"])) == ["bob", "cat"]
    assert names(User.filter(username__startswith="b")) == ["bob"]
    assert names(User.filter(id__gte=populated["bob"].id)) == ["bob", "cat"]
    assert sorted(t.content for t in Tweet.filter(user__username="ann")) == ["a1", "a2"]
    assert names(User.select().filter(tweets__content="b1")) == ["bob"]
    with pytest.raises(AttributeError, match="no field or relation named"):
        User.filter(nope=1)


def test_compound_select_rows_are_models(populated, models):
    User, _, _ = models
    a = User.select().where(User.username == "ann")
    c = User.select().where(User.username == "cat")
    rows = sorted(u.username for u in (a | c))
    assert rows == ["ann", "cat"]
    assert all(isinstance(u, User) for u in a.union_all(c))


def test_raw_queries(db, populated, models):
    User, _, _ = models
    table = db.dialect.quote_name("user")
    param = db.dialect.param
    rows = list(User.raw("SELECT id, username FROM %s WHERE username = %s" % (table, param), "bob"))
    assert [(type(u), u.username) for u in rows] == [(User, "bob")]


def test_window_functions(populated, models):
    User, Tweet, _ = models
    query = (
        Tweet.select(Tweet.content, fn.COUNT(Tweet.id).over(partition_by=[Tweet.user]).alias("n"))
        .order_by(Tweet.content)
        .tuples()
    )
    assert list(query) == [("a1", 2), ("a2", 2), ("b1", 1)]


def test_sql_literal_and_distinct(populated, models):
    User, Tweet, _ = models
    users = Tweet.select(Tweet.user).distinct().order_by(Tweet.user).tuples()
    assert [row[0] for row in users] == [populated["ann"].id, populated["bob"].id]
    assert User.select().where(SQL("1 = 1")).count() == 3


def test_integer_python_value_on_extra_fields(db, models):
    class Score(Model):
        points = IntegerField()

    db.bind([Score])
    db.create_tables([Score])
    Score.insert_many([{"points": 3}, {"points": 4}]).execute()
    total = Score.select(fn.SUM(Score.points)).scalar()
    assert int(total) == 7


def test_noop_runs_and_returns_nothing(db, models):
    User, _, _ = models
    assert list(User.noop()) == []


def test_dict_keys_for_repeated_names_and_custom_constructor(populated, models):
    User, Tweet, _ = models
    rows = list(Tweet.select(Tweet.id, User.id).join(User).order_by(Tweet.id).dicts())
    assert list(rows[0]) == ["id", "id_2"]
    assert rows[0]["id_2"] == populated["ann"].id
    pairs = Tweet.select(Tweet.content, User.username).join(User).order_by(Tweet.id).objects(
        lambda **kw: (kw["content"], kw["username"])
    )
    assert list(pairs) == [("a1", "ann"), ("a2", "ann"), ("b1", "bob")]


def test_subquery_keeps_explicit_columns():
    User, Tweet, Relationship = make_models()
    inner = Relationship.select(Relationship.to_user).where(Relationship.from_user == 1)
    assert User.select().where(User.id.in_(inner)).sql()[0].endswith(
        'WHERE ("t1"."id" IN (SELECT "t2"."to_user_id" FROM "relationship" AS "t2" '
        'WHERE ("t2"."from_user_id" = ?)))'
    )
    explicit = User.select().columns(User.id, User.username)
    assert '"t2"."username"' in Tweet.select().where(Tweet.user.in_(explicit)).sql()[0]


def test_instances_stand_for_their_key_in_expressions(populated, models):
    User, Tweet, _ = models
    ann = populated["ann"]
    assert User.select().where(User.id == ann).sql()[1] == [ann.id]
    assert [u.username for u in User.select().where(User.id == ann)] == ["ann"]
    assert Tweet.select().where(Tweet.user == ann).count() == 2


def test_dict_rows_list_unconverted_columns_first(populated, models):
    User, Tweet, _ = models
    rows = list(Tweet.select(Tweet.user, fn.COUNT(Tweet.id).alias("ct")).group_by(Tweet.user).order_by(Tweet.user).dicts())
    assert [list(r) for r in rows] == [["ct", "user"], ["ct", "user"]]
    assert [(r["user"], r["ct"]) for r in rows] == [(populated["ann"].id, 2), (populated["bob"].id, 1)]


def test_three_level_join_graph_and_aliased_columns(db, populated, models, monkeypatch):
    User, Tweet, Relationship = models

    class Like(Model):
        tweet = ForeignKeyField(Tweet, backref="likes")
        weight = IntegerField(null=True)

    db.bind([Like])
    db.create_tables([Like])
    first = Tweet.select().order_by(Tweet.id).first()
    Like.create(tweet=first, weight=3)
    Like.create(tweet=first, weight=None)
    counter = StatementCounter(db, monkeypatch)
    query = (
        Like.select(Like, Tweet, User.username.alias("author"), User.id)
        .join(Tweet)
        .join(User)
        .order_by(Like.id)
    )
    rows = [(lk.weight, lk.tweet.content, lk.tweet.user.author, lk.tweet.user.id) for lk in query]
    assert rows == [(3, "a1", "ann", populated["ann"].id), (None, "a1", "ann", populated["ann"].id)]
    assert counter.count == 1
    # A LEFT OUTER join whose row is missing gives None, also two levels down.
    query = (
        User.select(User, Tweet, Like)
        .join(Tweet, JOIN.LEFT_OUTER)
        .join(Like, JOIN.LEFT_OUTER)
        .order_by(User.username, Tweet.id, Like.id)
    )
    summary = [
        (u.username, u.tweet and u.tweet.content, u.tweet and u.tweet.like and u.tweet.like.weight)
        for u in query
    ]
    assert summary == [
        ("ann", "a1", 3), ("ann", "a1", None), ("ann", "a2", None), ("bob", "b1", None), ("cat", None, None),
    ]
