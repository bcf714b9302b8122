"""A short walk-through of peewee on an in-memory SQLite database.

Defines two models joined by a foreign key, creates their tables, adds rows, and queries them:
a join, an aggregate, a count and an update.  Run it with ``nox -s demo`` or ``python examples/demo.py``.
"""

import datetime

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    Model,
    SqliteDatabase,
    TextField,
    fn,
)

db = SqliteDatabase(":memory:")


class BaseModel(Model):
    class Meta:
        database = db


class User(BaseModel):
    username = CharField(unique=True)


class Tweet(BaseModel):
    user = ForeignKeyField(User, backref="tweets")
    content = TextField()
    created = DateTimeField(default=datetime.datetime.now)


def main() -> None:
    db.connect()
    db.create_tables([User, Tweet])
    print("tables:", ", ".join(db.get_tables()))

    alice = User.create(username="alice")
    bob = User.create(username="bob")
    start = datetime.datetime(2024, 1, 1, 9, 0)
    for minutes, (author, text) in enumerate(
        [
            (alice, "Hello, world"),
            (bob, "peewee is small"),
            (alice, "and expressive"),
            (alice, "goodnight"),
        ]
    ):
        Tweet.create(user=author, content=text, created=start + datetime.timedelta(minutes=minutes))
    print("users:", User.select().count(), "tweets:", Tweet.select().count())

    print("\ntimeline (a join, newest first):")
    timeline = Tweet.select(Tweet, User).join(User).order_by(Tweet.created.desc())
    for tweet in timeline:
        print(f"  {tweet.created:%H:%M}  @{tweet.user.username}: {tweet.content}")

    print("\ntweets per user (an aggregate):")
    per_user = (
        User.select(User.username, fn.COUNT(Tweet.id).alias("count"))
        .join(Tweet)
        .group_by(User.username)
        .order_by(User.username)
    )
    for user in per_user:
        print(f"  {user.username}: {user.count}")

    print("\nalice has", alice.tweets.count(), "tweets")

    updated = Tweet.update(content=Tweet.content.concat("!")).where(Tweet.user == bob).execute()
    print("updated", updated, "row:", Tweet.get(Tweet.user == bob).content)

    deleted = Tweet.delete().where(Tweet.content == "goodnight").execute()
    print("deleted", deleted, "row; tweets left:", Tweet.select().count())
    db.close()


if __name__ == "__main__":
    main()
