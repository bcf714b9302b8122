"""prefetch(): one query per model, related rows attached in Python."""

from __future__ import annotations

import pytest

from peewee import PREFETCH_TYPE, CharField, ForeignKeyField, Model, TextField, prefetch


def make_models():
    class User(Model):
        username = CharField()

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()

    class Like(Model):
        tweet = ForeignKeyField(Tweet, backref="likes")
        user = ForeignKeyField(User, backref="likes")

    return User, Tweet, Like


@pytest.fixture
def models(db):
    User, Tweet, Like = make_models()
    db.bind([User, Tweet, Like])
    db.create_tables([User, Tweet, Like])
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    User.create(username="cat")
    t1 = Tweet.create(user=ann, content="a1")
    Tweet.create(user=ann, content="a2")
    t3 = Tweet.create(user=bob, content="b1")
    Like.create(tweet=t1, user=bob)
    Like.create(tweet=t3, user=ann)
    Like.create(tweet=t1, user=ann)
    return User, Tweet, Like


def count_statements(db, monkeypatch):
    statements = []
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", execute_sql)
    return statements


def test_prefetch_sql_is_one_query_per_model(db, models, monkeypatch):
    User, Tweet, Like = models
    statements = count_statements(db, monkeypatch)
    users = prefetch(
        User.select().order_by(User.id),
        Tweet.select().order_by(Tweet.id),
        Like.select().order_by(Like.id),
    )
    assert len(statements) == 3
    summary = [
        (u.username, [(t.content, sorted(lk.user.username for lk in t.likes)) for t in u.tweets])
        for u in users
    ]
    assert summary == [
        ("ann", [("a1", ["ann", "bob"]), ("a2", [])]),
        ("bob", [("b1", ["ann"])]),
        ("cat", []),
    ]
    # lk.user above was a lazy load (User is not part of the Like step): 3 extra lookups at most
    assert len(statements) <= 6
    # the children point back at their parents without queries
    before = len(statements)
    assert users[0].tweets[0].user is users[0]
    assert len(statements) == before


def test_prefetch_filters_children_by_the_parent_query(db, models, monkeypatch):
    User, Tweet, _ = models
    statements = count_statements(db, monkeypatch)
    users = prefetch(User.select().where(User.username == "bob"), Tweet)
    assert [(u.username, [t.content for t in u.tweets]) for u in users] == [("bob", ["b1"])]
    assert "IN (SELECT" in statements[0]


def test_prefetch_foreign_key_direction(db, models, monkeypatch):
    User, Tweet, _ = models
    tweets = prefetch(Tweet.select().order_by(Tweet.id), User)
    statements = count_statements(db, monkeypatch)
    assert [(t.content, t.user.username) for t in tweets] == [
        ("a1", "ann"),
        ("a2", "ann"),
        ("b1", "bob"),
    ]
    assert statements == []


def test_prefetch_join_type(db, models):
    User, Tweet, _ = models
    users = User.select().order_by(User.id).prefetch(Tweet, prefetch_type=PREFETCH_TYPE.JOIN)
    assert [(u.username, sorted(t.content for t in u.tweets)) for u in users] == [
        ("ann", ["a1", "a2"]),
        ("bob", ["b1"]),
        ("cat", []),
    ]


def test_prefetch_without_relation_is_an_error(db, models):
    User, _, _ = models

    class Orphan(Model):
        name = CharField()

    with pytest.raises(AttributeError, match="unable to find foreign key"):
        prefetch(User.select(), Orphan)


def test_join_prefetch_subqueries_drop_the_ordering(db, models, monkeypatch):
    # The joined key subquery is SELECT DISTINCT of the keys only: its ORDER BY is dropped
    # (PostgreSQL refuses ordering by a column outside a DISTINCT list); the outer order stays.
    User, Tweet, _ = models
    statements = count_statements(db, monkeypatch)
    users = prefetch(
        User.select().order_by(User.username.desc()),
        Tweet.select().order_by(Tweet.id),
        prefetch_type=PREFETCH_TYPE.JOIN,
    )
    assert [(u.username, [t.content for t in u.tweets]) for u in users] == [
        ("cat", []), ("bob", ["b1"]), ("ann", ["a1", "a2"]),
    ]
    q = db.dialect.quote_name
    tweet_sql = statements[0] if statements[0].count("SELECT") == 2 else statements[1]
    assert "(SELECT DISTINCT %s.%s FROM %s AS %s) AS" % (q("t2"), q("id"), q("user"), q("t2")) in tweet_sql
    assert tweet_sql.endswith("ORDER BY %s.%s" % (q("t1"), q("id")))
