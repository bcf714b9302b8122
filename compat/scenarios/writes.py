"""Writes: inserts, bulk operations, updates, deletes, upserts and the instance API."""

from __future__ import annotations

from peewee import EXCLUDED, SQL, CharField, IntegerField, Model, fn

from compat.registry import scenario
from compat.scenarios.common import seed_twitter, twitter


def _kv(db):
    class KV(Model):
        key = CharField(unique=True)
        value = IntegerField(default=0)
        extra = CharField(null=True)

        class Meta:
            database = db

    db.create_tables([KV])
    return KV


@scenario()
def inserts(db, obs):
    User, Tweet, _ = twitter(db)
    db.create_tables([User, Tweet])
    obs.call("insert", lambda: User.insert(username="a", age=1).execute())
    obs.call("insert_kwargs_dict", lambda: User.insert({User.username: "b"}).execute())
    obs.call(
        "insert_many_dicts",
        lambda: User.insert_many([{"username": "c", "age": 3}, {"username": "d"}]).execute(),
    )
    obs.call(
        "insert_many_tuples",
        lambda: User.insert_many([("e", 5), ("f", 6)], fields=[User.username, User.age]).execute(),
    )
    obs.call(
        "insert_from",
        lambda: Tweet.insert_from(
            User.select(User.id, User.username).where(User.age > 2),
            fields=[Tweet.user, Tweet.content],
        ).execute(),
    )
    obs.call("create", lambda: User.create(username="g", age=7).id)
    obs.call("duplicate", lambda: User.create(username="g"))
    obs.call("missing_not_null", lambda: Tweet.insert(content="x").execute())
    obs.rows("users", User.select().order_by(User.id))
    obs.rows(
        "tweets", Tweet.select(Tweet.user, Tweet.content, Tweet.likes).order_by(Tweet.id).tuples()
    )
    obs.sql("insert_sql", User.insert(username="z"))
    obs.sql("insert_many_sql", User.insert_many([{"username": "y"}, {"username": "x", "age": 1}]))


@scenario()
def bulk(db, obs):
    User, Tweet, _ = twitter(db)
    db.create_tables([User, Tweet])
    users = [User(username=f"u{i}", age=i) for i in range(7)]
    obs.call("bulk_create", lambda: User.bulk_create(users, batch_size=3))
    obs.value("ids", [u.id for u in users])
    for u in users:
        u.age = (u.age or 0) * 10
    obs.call("bulk_update", lambda: User.bulk_update(users[:4], fields=[User.age], batch_size=2))
    obs.rows("after", User.select(User.username, User.age).order_by(User.id).tuples())
    with db.atomic():
        for batch in [[{"username": f"v{i}"} for i in range(j, j + 2)] for j in (0, 2)]:
            User.insert_many(batch).execute()
    obs.call("count", lambda: User.select().count())


@scenario()
def updates_and_deletes(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    obs.call(
        "update_expr", lambda: Tweet.update(likes=Tweet.likes + 1).where(Tweet.likes < 3).execute()
    )
    obs.call("update_dict", lambda: User.update({User.age: fn.COALESCE(User.age, 0) + 1}).execute())
    obs.call(
        "update_sub",
        lambda: (
            Tweet.update(likes=0)
            .where(Tweet.user.in_(User.select(User.id).where(User.username == "bob")))
            .execute()
        ),
    )
    obs.rows("tweets", Tweet.select(Tweet.content, Tweet.likes).order_by(Tweet.id).tuples())
    obs.call("delete", lambda: Favorite.delete().where(Favorite.user == 2).execute())
    obs.call("delete_instance_fk", lambda: User.get(User.username == "alice").delete_instance())
    obs.call(
        "delete_recursive",
        lambda: User.get(User.username == "alice").delete_instance(recursive=True),
    )
    obs.call(
        "counts", lambda: (User.select().count(), Tweet.select().count(), Favorite.select().count())
    )
    obs.sql("update_sql", User.update(age=User.age * 2).where(User.id == 3))
    obs.sql("update_from", Tweet.update(likes=User.age).from_(User).where(Tweet.user == User.id))
    obs.sql("delete_sql", Tweet.delete().where(Tweet.likes > 5))


@scenario()
def instance_api(db, obs):
    User, Tweet, _ = seed_twitter(db)
    u = User(username="eve")
    obs.value("dirty_new", sorted(u.dirty_fields and [f.name for f in u.dirty_fields]))
    obs.call("save_insert", u.save)
    obs.value("id", u.id)
    u.age = 44
    obs.value("is_dirty", u.is_dirty())
    obs.call("save_update", u.save)
    u.age = 45
    u.username = "eva"
    obs.call("save_only", lambda: u.save(only=[User.age]))
    obs.call("reload", lambda: (User.get_by_id(u.id).username, User.get_by_id(u.id).age))
    obs.call("force_insert", lambda: User(id=50, username="x").save(force_insert=True))
    obs.call("save_no_changes", lambda: User.get_by_id(1).save(only_dirty=True))
    obs.call(
        "get_or_create_new", lambda: User.get_or_create(username="new", defaults={"age": 3})[1]
    )
    obs.call(
        "get_or_create_old", lambda: User.get_or_create(username="new", defaults={"age": 3})[1]
    )
    obs.call("set_by_id", lambda: User.set_by_id(1, {"age": 99}))
    obs.call("delete_by_id", lambda: User.delete_by_id(50))
    obs.call("replace", lambda: User.replace(username="bob", age=1).execute())
    obs.rows("final", User.select(User.username, User.age).order_by(User.username).tuples())


@scenario()
def upsert_ignore_replace(db, obs):
    KV = _kv(db)
    KV.create(key="a", value=1)
    obs.call("ignore", lambda: KV.insert(key="a", value=2).on_conflict_ignore().execute())
    obs.call("replace", lambda: KV.insert(key="a", value=3).on_conflict_replace().execute())
    obs.call(
        "replace_many",
        lambda: KV.replace_many([{"key": "a", "value": 4}, {"key": "b", "value": 5}]).execute(),
    )
    obs.rows("rows", KV.select(KV.key, KV.value).order_by(KV.key).tuples())


@scenario()
def upsert_update(db, obs):
    KV = _kv(db)
    KV.create(key="a", value=1, extra="x")
    target = {} if db.__class__.__name__.startswith("MySQL") else {"conflict_target": [KV.key]}
    obs.call(
        "preserve",
        lambda: (
            KV.insert(key="a", value=7, extra="y")
            .on_conflict(preserve=[KV.value], **target)
            .execute()
        ),
    )
    obs.call(
        "update_expr",
        lambda: (
            KV.insert(key="a", value=1)
            .on_conflict(update={KV.value: KV.value + 10}, **target)
            .execute()
        ),
    )
    if target:
        obs.call(
            "excluded",
            lambda: (
                KV.insert(key="a", value=5)
                .on_conflict(conflict_target=[KV.key], update={KV.value: EXCLUDED.value + KV.value})
                .execute()
            ),
        )
        obs.call(
            "where",
            lambda: (
                KV.insert(key="a", value=100)
                .on_conflict(
                    conflict_target=[KV.key], update={KV.value: 0}, where=(KV.value > 1000)
                )
                .execute()
            ),
        )
    obs.call(
        "many",
        lambda: (
            KV.insert_many([{"key": "a", "value": 2}, {"key": "c", "value": 3}])
            .on_conflict(preserve=[KV.value], **target)
            .execute()
        ),
    )
    obs.rows("rows", KV.select(KV.key, KV.value, KV.extra).order_by(KV.key).tuples())
    obs.sql(
        "upsert_sql",
        KV.insert(key="q").on_conflict(preserve=[KV.value], update={KV.extra: "z"}, **target),
    )
    obs.call(
        "bad_target",
        lambda: KV.insert(key="q").on_conflict(conflict_target=[KV.key], preserve=[KV.value]).sql(),
    )


@scenario(backends=("sqlite", "postgres"))
def returning(db, obs):
    KV = _kv(db)
    obs.rows(
        "insert_returning",
        KV.insert_many([{"key": "a"}, {"key": "b", "value": 2}])
        .returning(KV.id, KV.key)
        .tuples()
        .execute(),
    )
    obs.rows(
        "update_returning",
        KV.update(value=KV.value + 1).returning(KV.key, KV.value).tuples().execute(),
        ordered=False,
    )
    obs.rows("delete_returning", KV.delete().where(KV.key == "a").returning(KV).execute())
    obs.sql("sql", KV.insert(key="z").returning(KV.id, SQL("1")))
