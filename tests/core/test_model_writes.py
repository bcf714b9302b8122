"""Model writes: create/save, insert variants, bulk helpers, update/delete, upserts, errors."""

from __future__ import annotations

import datetime

import pytest

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    Model,
    TextField,
)


def make_models():
    class User(Model):
        username = CharField(unique=True)
        visits = IntegerField(default=0)

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()
        created = DateTimeField(default=lambda: datetime.datetime(2024, 5, 1, 9, 30))

    class Like(Model):
        tweet = ForeignKeyField(Tweet, backref="likes")
        user = ForeignKeyField(User, backref="likes", null=True)

    return User, Tweet, Like


@pytest.fixture
def models(db):
    User, Tweet, Like = make_models()
    db.bind([User, Tweet, Like])
    db.create_tables([User, Tweet, Like])
    return User, Tweet, Like


def usernames(User):
    return [u.username for u in User.select().order_by(User.id)]


def test_write_sql_text():
    User, Tweet, _ = make_models()
    assert User.insert(username="a").sql() == (
        'INSERT INTO "user" ("username", "visits") VALUES (?, ?)',
        ["a", 0],
    )
    assert User.update(visits=User.visits + 1).where(User.id == 3).sql() == (
        'UPDATE "user" SET "visits" = ("user"."visits" + ?) WHERE ("user"."id" = ?)',
        [1, 3],
    )
    assert User.delete().where(User.id == 3).sql() == (
        'DELETE FROM "user" WHERE ("user"."id" = ?)',
        [3],
    )


def test_create_sets_primary_key_and_clears_dirty(models):
    User, Tweet, _ = models
    user = User.create(username="ann")
    assert isinstance(user.id, int)
    assert not user.is_dirty()
    tweet = Tweet.create(user=user, content="hi")
    assert tweet.id is not None
    loaded = Tweet.get_by_id(tweet.id)
    assert loaded.user_id == user.id and loaded.created == datetime.datetime(2024, 5, 1, 9, 30)
    second = User.create(username="bob")
    assert second.id != user.id


def test_create_rejects_unknown_field_names(models):
    User, _, _ = models
    with pytest.raises(AttributeError, match='User has no field named "nickname"'):
        User.create(username="ann", nickname="x")
    with pytest.raises(AttributeError, match='User has no field named "nickname"'):
        User.update(nickname="x")
    with pytest.raises(AttributeError, match='User has no field named "nickname"'):
        User.insert(nickname="x")
    assert User.select().count() == 0


def test_save_inserts_then_updates(db, models):
    User, _, _ = models
    user = User(username="ann")
    assert user.save() == 1
    assert user.id is not None
    user.username = "anne"
    assert user.save() == 1
    assert usernames(User) == ["anne"]
    # only= limits the columns written
    user.username = "zzz"
    user.visits = 5
    user.save(only=[User.visits])
    fresh = User.get_by_id(user.id)
    assert (fresh.username, fresh.visits) == ("anne", 5)


def test_save_only_dirty(db):
    class Note(Model):
        title = CharField()
        body = TextField(default="")

        class Meta:
            only_save_dirty = True

    db.bind([Note])
    db.create_tables([Note])
    note = Note.create(title="t", body="b")
    note.body = "changed"
    Note.update(title="other").where(Note.id == note.id).execute()
    note.save()  # writes body only, so the concurrent title change survives
    fresh = Note.get_by_id(note.id)
    assert (fresh.title, fresh.body) == ("other", "changed")
    assert note.save() is False  # nothing dirty


def test_force_insert_with_explicit_key(models):
    User, _, _ = models
    user = User(id=50, username="fixed")
    user.save(force_insert=True)
    assert User.get_by_id(50).username == "fixed"


def test_insert_many_and_insert_from(models):
    User, _, _ = models
    User.insert_many([{"username": "a"}, {"username": "b", "visits": 2}]).execute()
    User.insert_many([("c", 3), ("d", 4)], fields=[User.username, User.visits]).execute()
    assert usernames(User) == ["a", "b", "c", "d"]
    assert [u.visits for u in User.select().order_by(User.id)] == [0, 2, 3, 4]
    query = User.select(User.username.concat("-copy"), User.visits).where(User.visits > 2)
    User.insert_from(query, [User.username, User.visits]).execute()
    assert sorted(usernames(User)) == ["a", "b", "c", "c-copy", "d", "d-copy"]
    # an empty list inserts nothing
    assert User.select().count() == 6


def test_insert_many_value_rows_fill_defaults_of_fields_left_out(models):
    User, Tweet, _ = models
    # Tweet.created is NOT NULL with a default: rows of values naming only some fields get it.
    alice = User.create(username="alice")
    Tweet.insert_many([(alice.id, "one"), (alice.id, "two")], fields=[Tweet.user, Tweet.content]).execute()
    Tweet.insert_many([(alice.id, "three")], fields=[Tweet.user, Tweet.content]).execute()
    rows = list(Tweet.select(Tweet.content, Tweet.created).order_by(Tweet.id).tuples())
    assert rows == [(c, datetime.datetime(2024, 5, 1, 9, 30)) for c in ("one", "two", "three")]
    sql, params = User.insert_many([("b",), ("c",)], fields=[User.username]).sql()
    assert params == ["b", 0, "c", 0]
    with pytest.raises(ValueError):
        Tweet.insert_many([(alice.id,)], fields=[Tweet.user, Tweet.content]).execute()


def test_insert_returns_new_id(models):
    User, _, _ = models
    first = User.insert(username="a").execute()
    second = User.insert(username="b").execute()
    assert second != first
    assert User.get_by_id(second).username == "b"


def test_bulk_create_and_bulk_update(db, models):
    User, _, _ = models
    users = [User(username="u%d" % i) for i in range(5)]
    User.bulk_create(users, batch_size=2)
    assert usernames(User) == ["u0", "u1", "u2", "u3", "u4"]
    if db.dialect.supports_returning:
        assert all(u.id is not None for u in users)
    else:
        users = list(User.select().order_by(User.id))
    for u in users:
        u.visits = len(u.username) * 10 + int(u.username[1])
    User.bulk_update(users, fields=[User.visits], batch_size=3)
    assert [u.visits for u in User.select().order_by(User.id)] == [20, 21, 22, 23, 24]


def test_update_with_expressions_and_delete(models):
    User, _, _ = models
    for name in ("a", "b", "c"):
        User.create(username=name)
    assert User.update(visits=User.visits + 2).where(User.username != "c").execute() == 2
    assert [u.visits for u in User.select().order_by(User.id)] == [2, 2, 0]
    assert User.delete().where(User.visits == 2).execute() == 2
    assert usernames(User) == ["c"]


def test_get_or_create(models):
    User, _, _ = models
    user, created = User.get_or_create(username="ann", defaults={"visits": 7})
    assert created and user.visits == 7
    again, created = User.get_or_create(username="ann", defaults={"visits": 1})
    assert not created and again.id == user.id and again.visits == 7


def test_integrity_error_inside_atomic(db, models):
    User, _, _ = models
    User.create(username="taken")
    with pytest.raises(IntegrityError):
        with db.atomic():
            User.create(username="taken")
    assert User.select().count() == 1


def test_by_id_helpers(models):
    User, _, _ = models
    user = User.create(username="a")
    User.set_by_id(user.id, {"visits": 9})
    assert User.get_by_id(user.id).visits == 9
    assert User.delete_by_id(user.id) == 1
    assert User.get_or_none(User.id == user.id) is None


def test_delete_instance_recursive(models):
    User, Tweet, Like = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    t1 = Tweet.create(user=ann, content="x")
    t2 = Tweet.create(user=bob, content="y")
    Like.create(tweet=t1, user=bob)
    Like.create(tweet=t2, user=ann)
    # Likes by ann are nullable: kept with user set to NULL; ann's tweets and their likes go.
    ann.delete_instance(recursive=True)
    assert usernames(User) == ["bob"]
    assert [t.content for t in Tweet.select()] == ["y"]
    likes = list(Like.select().order_by(Like.id))
    assert [(lk.tweet_id, lk.user_id) for lk in likes] == [(t2.id, None)]
    bob.delete_instance(recursive=True, delete_nullable=True)
    assert Like.select().count() == 0 and User.select().count() == 0


def test_dependencies_lists_referring_keys(models):
    User, Tweet, Like = models
    ann = User.create(username="ann")
    fks = [fk for _, fk in ann.dependencies()]
    assert set(fks) == {Tweet.user, Like.user, Like.tweet}


def test_on_conflict_ignore_and_replace(db, backend, models):
    User, _, _ = models
    User.create(username="a", visits=1)
    User.insert(username="a", visits=5).on_conflict_ignore().execute()
    assert User.get(User.username == "a").visits == 1
    if backend == "postgres":
        return
    User.replace(username="a", visits=3).execute()
    assert [(u.username, u.visits) for u in User.select()] == [("a", 3)]


def test_on_conflict_update(db, backend, models):
    User, _, _ = models
    User.create(username="a", visits=1)
    query = User.insert(username="a", visits=1)
    if backend == "mysql":
        query = query.on_conflict(update={User.visits: User.visits + 1})
    else:
        query = query.on_conflict(
            conflict_target=[User.username], update={User.visits: User.visits + 1}
        )
    query.execute()
    assert User.get(User.username == "a").visits == 2


@pytest.mark.backends("sqlite", "postgres")
def test_returning_model_rows(db, models):
    User, _, _ = models
    User.insert_many([{"username": "a"}, {"username": "b"}]).execute()
    rows = list(User.update(visits=4).where(User.username == "a").returning(User).execute())
    assert [(type(u), u.username, u.visits) for u in rows] == [(User, "a", 4)]
    inserted = list(User.insert(username="c").returning(User.id, User.username).execute())
    assert [u.username for u in inserted] == ["c"]


def test_bulk_create_sets_keys_where_returned(db, backend, models):
    User, _, _ = models
    users = [User(username="k%d" % i) for i in range(4)]
    User.bulk_create(users, batch_size=3)
    if backend in ("sqlite", "postgres"):
        assert [u.id for u in users] == [u.id for u in User.select().order_by(User.id)]
    assert not any(u.is_dirty() for u in users)


def test_repeated_saves_follow_rebinding(db, tmp_path):
    from peewee import SqliteDatabase

    User, Tweet, Like = make_models()
    other = SqliteDatabase(str(tmp_path / "other.db"))
    for database in (db, other):
        database.bind([User, Tweet, Like])
        database.create_tables([User, Tweet, Like])
    db.bind([User, Tweet, Like])
    first = User.create(username="on-db")
    assert User.get_by_id(first.id).username == "on-db"
    other.bind([User, Tweet, Like])
    second = User.create(username="on-other")
    second.visits = 3
    second.save()
    assert [u.username for u in User.select()] == ["on-other"]
    assert User.get_by_id(second.id).visits == 3
    db.bind([User, Tweet, Like])
    assert [u.username for u in User.select()] == ["on-db"]
    other.close()


def test_saved_statements_follow_new_fields(db):
    class Item(Model):
        name = CharField()

    db.bind([Item])
    db.create_tables([Item])
    item = Item.create(name="a")
    assert Item.get_by_id(item.id).name == "a"
    Item._meta.add_field("size", IntegerField(null=True))
    db.execute_sql("ALTER TABLE %s ADD COLUMN %s INTEGER" % (db.dialect.quote_name("item"), db.dialect.quote_name("size")))
    item.size = 4
    item.save()
    assert Item.get_by_id(item.id).size == 4
    assert Item.create(name="b", size=5).size == 5
    assert [i.size for i in Item.select().order_by(Item.id)] == [4, 5]


def test_insert_many_from_generator_and_field_keys(models):
    User, _, _ = models
    User.insert_many({User.username: "g%d" % i, "visits": i} for i in range(3)).execute()
    assert [(u.username, u.visits) for u in User.select().order_by(User.id)] == [
        ("g0", 0), ("g1", 1), ("g2", 2),
    ]
    with pytest.raises(AttributeError, match='User has no field named "bogus"'):
        User.insert_many([{"bogus": 1}])
