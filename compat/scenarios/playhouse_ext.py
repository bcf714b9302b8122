"""playhouse extensions: shortcuts, hybrid attributes, key/value store, signals, test utilities.

A scenario whose module an implementation cannot import is skipped, not compared.
"""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, Model, fn

from compat.registry import scenario
from compat.scenarios.common import optional_import, seed_twitter


@scenario()
def shortcuts_model_to_dict(db, obs):
    sc = optional_import("playhouse.shortcuts")
    User, Tweet, Favorite = seed_twitter(db)
    t = Tweet.select().order_by(Tweet.id).first()
    obs.value("recurse", sc.model_to_dict(t))
    obs.value("flat", sc.model_to_dict(t, recurse=False))
    obs.value("max_depth", sc.model_to_dict(Favorite.get_by_id(1), max_depth=1))
    u = User.get(User.username == "alice")
    obs.value("backrefs", sc.model_to_dict(u, backrefs=True, exclude=[Tweet.created]))
    obs.value("only", sc.model_to_dict(u, only=[User.username, User.age]))
    obs.value("extra", sc.model_to_dict(u, extra_attrs=["username"], exclude=[User.active]))
    q = Tweet.select(Tweet.content, User.username).join(User).order_by(Tweet.id)
    obs.value("fields_from_query", [sc.model_to_dict(r, fields_from_query=q) for r in q])
    obs.value("manytomany", sc.model_to_dict(u, manytomany=True, recurse=False))


@scenario()
def shortcuts_dict_to_model(db, obs):
    sc = optional_import("playhouse.shortcuts")
    User, Tweet, Favorite = seed_twitter(db)
    back = sc.dict_to_model(User, {"username": "zed", "age": 5})
    obs.value("dict_to_model", (back.username, back.age, back.id, back.is_dirty()))
    nested = sc.dict_to_model(Tweet, {"content": "x", "user": {"id": 2, "username": "bob"}})
    obs.value("nested", (nested.content, nested.user.username, nested.user_id))
    u = User.get_by_id(1)
    obs.call("update_model_from_dict", lambda: sc.update_model_from_dict(u, {"age": 1}).age)
    obs.call("bad_key", lambda: sc.dict_to_model(User, {"nope": 1}))
    obs.call(
        "ignore_unknown",
        lambda: sc.dict_to_model(User, {"nope": 1, "age": 2}, ignore_unknown=True).age,
    )


@scenario()
def hybrid_attributes(db, obs):
    hybrid = optional_import("playhouse.hybrid")

    class Interval(Model):
        start = IntegerField()
        end = IntegerField()

        class Meta:
            database = db

        @hybrid.hybrid_property
        def length(self):
            return self.end - self.start

        @hybrid.hybrid_method
        def contains(self, point):
            return (self.start <= point) & (point < self.end)

    db.create_tables([Interval])
    for s, e in [(1, 5), (2, 3), (4, 10)]:
        Interval.create(start=s, end=e)
    obs.value("instance", [i.length for i in Interval.select().order_by(Interval.id)])
    obs.rows(
        "where",
        Interval.select(Interval.id).where(Interval.length > 2).order_by(Interval.id).tuples(),
    )
    obs.rows("select", Interval.select(Interval.length.alias("n")).order_by(Interval.id).tuples())
    obs.rows(
        "method",
        Interval.select(Interval.id).where(Interval.contains(4)).order_by(Interval.id).tuples(),
    )
    obs.value("method_instance", Interval.get_by_id(1).contains(4))


@scenario()
def key_value_store(db, obs):
    kv = optional_import("playhouse.kv")
    store = kv.KeyValue(database=db, table_name="kv_store")
    store["a"] = 1
    store["b"] = {"x": [1, 2]}
    store.update(c=3, d=4)
    obs.value("get", (store["a"], store["b"], store.get("zz", "default")))
    obs.call("missing", lambda: store["zz"])
    obs.value("len", len(store))
    obs.value("contains", ("a" in store, "zz" in store))
    obs.value("keys", sorted(store.keys()))
    obs.value("expr", sorted(store[store.key > "b"]))
    del store["a"]
    obs.value("after_del", sorted(store.items()))
    obs.value("pop", store.pop("c"))
    store.clear()
    obs.value("cleared", len(store))


@scenario()
def signals(db, obs):
    sig = optional_import("playhouse.signals")
    seen = []

    class Thing(sig.Model):
        name = CharField()

        class Meta:
            database = db

    @sig.pre_save(sender=Thing)
    def on_pre_save(sender, instance, created):
        seen.append(("pre_save", instance.name, created))

    @sig.post_save(sender=Thing)
    def on_post_save(sender, instance, created):
        seen.append(("post_save", instance.name, created))

    @sig.pre_delete(sender=Thing)
    def on_pre_delete(sender, instance):
        seen.append(("pre_delete", instance.name))

    @sig.post_delete(sender=Thing)
    def on_post_delete(sender, instance):
        seen.append(("post_delete", instance.name))

    db.create_tables([Thing])
    t = Thing.create(name="a")
    t.name = "b"
    t.save()
    t.delete_instance()
    Thing.insert(name="bulk").execute()  # queries do not send signals
    obs.value("seen", seen)


@scenario()
def test_utils(db, obs):
    tu = optional_import("playhouse.test_utils")
    User, Tweet, Favorite = seed_twitter(db)
    with tu.count_queries() as counter:
        list(User.select())
        User.get_by_id(1)
    obs.value("count", counter.count)
    with tu.count_queries(only_select=True) as counter:
        User.select().count()
        User.update(age=1).where(User.id == 1).execute()
    obs.value("only_select", counter.count)
    try:
        with tu.assert_query_count(1):
            list(User.select())
            list(Tweet.select())
    except AssertionError as exc:
        obs.raised("assert_query_count", exc)

    @tu.assert_query_count(1)
    def one_query():
        return User.select(fn.COUNT(User.id)).scalar()

    obs.call("decorator", one_query)


@scenario()
def foreign_key_to_field(db, obs):
    class Base(Model):
        class Meta:
            database = db

    class Account(Base):
        code = CharField(unique=True)

    class Entry(Base):
        account = ForeignKeyField(Account, field=Account.code, backref="entries")
        amount = IntegerField()

    db.create_tables([Account, Entry])
    a = Account.create(code="ACC1")
    Entry.create(account=a, amount=5)
    Entry.create(account="ACC1", amount=7)
    obs.rows("entries", Entry.select(Entry.account, Entry.amount).order_by(Entry.id).tuples())
    obs.value("fk_object", Entry.get_by_id(1).account.code)
    obs.rows(
        "join", Entry.select(Entry.amount, Account.code).join(Account).order_by(Entry.id).tuples()
    )
    obs.value("backref", [e.amount for e in a.entries.order_by(Entry.id)])


def _pooled(db, **options):
    pool = optional_import("playhouse.pool")
    name = type(db).__name__
    cls = (
        pool.PooledSqliteDatabase
        if name.startswith("Sqlite")
        else pool.PooledPostgresqlDatabase
        if name.startswith("Postgres")
        else pool.PooledMySQLDatabase
    )
    return pool, cls(db.database, **options, **db.connect_params)


@scenario()
def pool_reuse(db, obs):
    pool, pdb = _pooled(db, max_connections=2, stale_timeout=300)

    class Item(Model):
        name = CharField()

        class Meta:
            database = pdb

    pdb.create_tables([Item])
    Item.create(name="a")
    first = pdb.connection()
    obs.value("close_returns", pdb.close())
    pdb.connect()
    obs.value("reused", pdb.connection() is first)
    obs.value("rows", [i.name for i in Item.select()])
    with pdb.connection_context():
        obs.value("inside_context", pdb.is_closed())
    obs.value("after_context", pdb.is_closed())
    with pdb.atomic():
        Item.create(name="b")
    obs.value("count", Item.select().count())
    obs.call("close_idle", pdb.close_idle)
    obs.call("close_stale", pdb.close_stale)
    obs.call("close_all", pdb.close_all)
    obs.value("closed", pdb.is_closed())
    obs.value("exceeded_is_value_error", issubclass(pool.MaxConnectionsExceeded, ValueError))


@scenario()
def pool_manual_close(db, obs):
    pool, pdb = _pooled(db, max_connections=2)
    obs.call("not_open", pdb.manual_close)
    pdb.connect()
    obs.call("open", pdb.manual_close)
    obs.value("closed", pdb.is_closed())
