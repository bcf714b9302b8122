"""model_to_dict, dict_to_model and update_model_from_dict on every backend."""

from __future__ import annotations

import pytest

from peewee import JOIN, CharField, ForeignKeyField, ManyToManyField, Model, TextField, fn
from playhouse.shortcuts import dict_to_model, model_to_dict, update_model_from_dict


@pytest.fixture
def models(db):
    class Base(Model):
        class Meta:
            database = db

    class User(Base):
        username = CharField()

        def shout(self):
            return self.username.upper()

    class Tweet(Base):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()

    class Favorite(Base):
        tweet = ForeignKeyField(Tweet, backref="favorites")
        user = ForeignKeyField(User, backref="favorites")

    class Note(Base):
        user = ForeignKeyField(User, null=True, lazy_load=False, backref="+")
        text = TextField()

    class Tag(Base):
        name = CharField()
        tweets = ManyToManyField(Tweet, backref="tags")

    through = Tag.tweets.get_through_model()
    db.create_tables([User, Tweet, Favorite, Note, Tag, through])
    alice = User.create(username="alice")
    bob = User.create(username="bob")
    hello = Tweet.create(user=alice, content="hello")
    Tweet.create(user=alice, content="again")
    Favorite.create(tweet=hello, user=bob)
    Note.create(user=alice, text="note")
    tag = Tag.create(name="news")
    tag.tweets.add([hello])
    return dict(User=User, Tweet=Tweet, Favorite=Favorite, Note=Note, Tag=Tag, through=through)


def test_fields_follow_foreign_keys_unless_recurse_is_false(models):
    Tweet = models["Tweet"]
    hello = Tweet.get(Tweet.content == "hello")
    assert model_to_dict(hello) == {
        "id": hello.id,
        "user": {"id": hello.user_id, "username": "alice"},
        "content": "hello",
    }
    assert list(model_to_dict(hello)) == ["id", "user", "content"]
    assert model_to_dict(hello, recurse=False) == {
        "id": hello.id,
        "user": hello.user_id,
        "content": "hello",
    }


def test_lazy_load_false_keys_and_missing_relations(models):
    Note, Tweet, User = models["Note"], models["Tweet"], models["User"]
    note = Note.get()
    assert model_to_dict(note) == {"id": note.id, "user": note.user_id, "text": "note"}
    Note.create(user=None, text="orphan")
    orphan = Note.get(Note.text == "orphan")
    assert model_to_dict(orphan)["user"] is None
    # An outer join that found no row caches None for the relation.
    query = (
        Tweet.select(Tweet, User)
        .join(User, JOIN.LEFT_OUTER, on=(Tweet.user == User.id) & (User.username == "nobody"))
        .order_by(Tweet.id)
    )
    assert [model_to_dict(t)["user"] for t in query] == [None, None]


def test_backrefs_nest_related_rows_without_repeating_the_key(models):
    User, Favorite = models["User"], models["Favorite"]
    alice = User.get(User.username == "alice")
    data = model_to_dict(alice, backrefs=True, exclude=[Favorite.user])
    tweets = sorted(data["tweets"], key=lambda t: t["id"])
    assert [t["content"] for t in tweets] == ["hello", "again"]
    assert all("user" not in t for t in tweets)
    assert tweets[0]["favorites"] == [{"id": Favorite.get().id}]
    assert "favorites" not in data  # the excluded foreign key's back-reference goes too
    assert model_to_dict(alice, backrefs=True)["favorites"] == []
    assert "note_set" not in data  # backref '+' is never followed
    assert model_to_dict(alice, backrefs=True, recurse=False) == {"id": alice.id, "username": "alice"}


def test_only_exclude_extra_attrs_and_max_depth(models):
    Favorite, Tweet, User = models["Favorite"], models["Tweet"], models["User"]
    fav = Favorite.get()
    assert model_to_dict(fav, only=[Favorite.tweet, Tweet.content]) == {"tweet": {"content": "hello"}}
    assert model_to_dict(fav, exclude=[Tweet.user, Favorite.user]) == {
        "id": fav.id,
        "tweet": {"id": fav.tweet_id, "content": "hello"},
    }
    assert model_to_dict(fav, max_depth=0) == {"id": fav.id, "tweet": fav.tweet_id, "user": fav.user_id}
    one_level = model_to_dict(fav, max_depth=1)
    assert one_level["tweet"]["user"] == fav.tweet.user_id
    assert one_level["user"] == {"id": fav.user_id, "username": "bob"}
    bob = User.get(User.username == "bob")
    assert model_to_dict(bob, seen=[User.id], extra_attrs=["shout"]) == {
        "username": "bob",
        "shout": "BOB",
    }
    data = model_to_dict(User.get(User.username == "alice"), backrefs=True, only=[User.username, User.tweets])
    assert data == {"username": "alice", "tweets": [{}, {}]}


def test_fields_from_query_keeps_selected_fields_and_aliases(models):
    Tweet = models["Tweet"]
    query = Tweet.select(Tweet.content, fn.UPPER(Tweet.content).alias("loud")).order_by(Tweet.id)
    assert model_to_dict(query.get(), fields_from_query=query) == {"content": "hello", "loud": "HELLO"}
    only_alias = Tweet.select(fn.UPPER(Tweet.content).alias("loud")).order_by(Tweet.id)
    assert model_to_dict(only_alias.get(), fields_from_query=only_alias) == {"loud": "HELLO"}


def test_many_to_many_fields_become_lists(models):
    Tag, Tweet = models["Tag"], models["Tweet"]
    tag = Tag.get()
    hello = Tweet.get(Tweet.content == "hello")
    assert model_to_dict(tag, manytomany=True) == {
        "tweets": [{"id": hello.id, "user": {"id": hello.user_id, "username": "alice"}, "content": "hello"}],
        "id": tag.id,
        "name": "news",
    }
    assert model_to_dict(hello, manytomany=True, recurse=False)["tags"] == [{"id": tag.id, "name": "news"}]
    assert "tweets" not in model_to_dict(tag)


def test_dict_to_model_builds_nested_instances(models):
    Tweet, User = models["Tweet"], models["User"]
    tweet = dict_to_model(Tweet, {"id": 9, "content": "c", "user": {"id": 1, "username": "al"}})
    assert (tweet.id, tweet.content, tweet.user.username, tweet.user_id) == (9, "c", "al", 1)
    user = dict_to_model(User, {"username": "z", "tweets": [{"content": "q"}, {"content": "r"}]})
    assert [(t.content, t.user is user) for t in user.tweets] == [("q", True), ("r", True)]
    by_column = dict_to_model(Tweet, {"user_id": 2})
    assert by_column.user_id == 2
    with pytest.raises(AttributeError) as info:
        dict_to_model(User, {"age": 3})
    assert str(info.value) == 'Unrecognized attribute "age" for model class %s.' % User
    loose = dict_to_model(User, {"age": 3, "username": "y"}, ignore_unknown=True)
    assert loose.age == 3 and loose.__data__ == {"username": "y"}


def test_update_model_from_dict_fills_the_cached_related_instance(models):
    Tweet, User = models["Tweet"], models["User"]
    tweet = Tweet.get(Tweet.content == "hello")
    cached = tweet.user
    assert update_model_from_dict(tweet, {"content": "edited", "user": {"username": "renamed"}}) is tweet
    assert tweet.user is cached and cached.username == "renamed"
    assert tweet.content == "edited"
    tweet.save()
    assert Tweet.get_by_id(tweet.id).content == "edited"
    assert User.get_by_id(cached.id).username == "alice"  # the related row is not saved
