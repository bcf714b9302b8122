"""Models shared by several scenarios: users, tweets and favourites, with a little data."""

from __future__ import annotations

import datetime
from typing import Any, Tuple

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from compat.registry import Unavailable

__all__ = ["twitter", "seed_twitter", "optional_import"]


def twitter(db: Any) -> Tuple[Any, Any, Any]:
    class Base(Model):
        class Meta:
            database = db

    class User(Base):
        username = CharField(unique=True)
        age = IntegerField(null=True)
        active = BooleanField(default=True)

    class Tweet(Base):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()
        likes = IntegerField(default=0)
        created = DateTimeField(default=datetime.datetime(2024, 1, 1, 12, 0))

    class Favorite(Base):
        user = ForeignKeyField(User, backref="favorites")
        tweet = ForeignKeyField(Tweet, backref="favorites")

    return User, Tweet, Favorite


def seed_twitter(db: Any) -> Tuple[Any, Any, Any]:
    User, Tweet, Favorite = twitter(db)
    db.create_tables([User, Tweet, Favorite])
    users = {}
    for i, name in enumerate(["alice", "bob", "carol", "dave"]):
        users[name] = User.create(
            username=name, age=20 + i * 7 if name != "dave" else None, active=name != "carol"
        )
    tweets = []
    for i, (who, text) in enumerate(
        [
            ("alice", "a1"),
            ("alice", "a2"),
            ("bob", "b1"),
            ("alice", "a3"),
            ("carol", "c1"),
            ("bob", "b2"),
        ]
    ):
        tweets.append(
            Tweet.create(
                user=users[who],
                content=text,
                likes=i * 3 % 5,
                created=datetime.datetime(2024, 1, 1 + i, 9, 30),
            )
        )
    for who, t in [("bob", 0), ("carol", 0), ("alice", 2), ("dave", 4), ("bob", 3)]:
        Favorite.create(user=users[who], tweet=tweets[t])
    return User, Tweet, Favorite


def optional_import(name: str) -> Any:
    """Import ``name`` or mark the scenario unavailable under this implementation."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise Unavailable(f"{name} cannot be imported: {exc}") from None
