"""count_queries and assert_query_count: statements counted from the peewee logger."""

from __future__ import annotations

import logging

import pytest

from peewee import CharField, ForeignKeyField, Model
from playhouse.test_utils import assert_query_count, count_queries


@pytest.fixture
def models(db):
    class User(Model):
        name = CharField()

        class Meta:
            database = db

    class Post(Model):
        user = ForeignKeyField(User, backref="posts")

        class Meta:
            database = db

    db.create_tables([User, Post])
    for name in ("a", "b"):
        Post.create(user=User.create(name=name))
    return User, Post


def test_counts_every_statement_of_the_block(models):
    User, Post = models
    with count_queries() as counter:
        for post in Post.select():
            post.user.name
    assert counter.count == 3
    texts = [record.msg[0] for record in counter.get_queries()]
    assert all(t.startswith("SELECT ") for t in texts)
    with count_queries() as counter:
        User.create(name="c")
        list(User.select())
    assert counter.count == 2
    assert counter.get_queries()[0].msg[0].startswith("INSERT INTO ")


def test_only_select(models):
    User, _ = models
    with count_queries(only_select=True) as counter:
        User.create(name="d")
        User.get(User.name == "d")
        User.update(name="e").execute()
    assert counter.count == 1
    assert len(counter.get_queries()) == 3


def test_logger_level_and_handlers_are_restored(models):
    User, _ = models
    logger = logging.getLogger("peewee")
    level, handlers = logger.level, list(logger.handlers)
    logger.setLevel(logging.WARNING)
    try:
        with count_queries() as counter:
            assert logger.level == logging.DEBUG
            list(User.select())
        assert logger.level == logging.WARNING
        assert logger.handlers == handlers
        assert counter.count == 1
    finally:
        logger.setLevel(level)


def test_assert_query_count_as_context_manager(models):
    User, Post = models
    with assert_query_count(1):
        list(User.select())
    with pytest.raises(AssertionError) as info:
        with assert_query_count(1):
            [p.user.name for p in Post.select()]
    assert str(info.value) == "3 != 1"
    with assert_query_count(1, only_select=True):
        User.create(name="z")
        list(User.select())


def test_assert_query_count_as_decorator(models):
    User, _ = models

    @assert_query_count(2)
    def two():
        list(User.select())
        return [u.name for u in User.select().order_by(User.id)]

    @assert_query_count(2)
    def one():
        """One query only."""
        list(User.select())

    assert two() == ["a", "b"]
    assert two() == ["a", "b"]  # counted afresh on every call
    with pytest.raises(AssertionError, match="^1 != 2$"):
        one()
    assert one.__name__ == "one" and one.__doc__ == "One query only."
