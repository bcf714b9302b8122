"""The Database API: raw SQL, binding, proxies, connection hooks, table listing."""

from __future__ import annotations

from peewee import (
    CharField,
    DatabaseProxy,
    IntegerField,
    Model,
    Proxy,
    Table,
    fn,
)

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


@scenario()
def execute_sql_and_cursor(db, obs):
    User, Tweet, _ = seed_twitter(db)
    param = "?" if db.__class__.__name__.startswith("Sqlite") else "%s"
    cur = db.execute_sql(
        f"SELECT username FROM {User._meta.table_name} WHERE age > {param} ORDER BY id", (21,)
    )
    obs.value("rows", cur.fetchall())
    obs.value("param", db.param)
    obs.value("quote", db.quote)
    obs.call("bad_sql", lambda: db.execute_sql("SELEC 1"))
    obs.call("missing_table", lambda: db.execute_sql("SELECT * FROM nowhere"))
    obs.value("is_closed", db.is_closed())
    obs.value(
        "table_exists", (db.table_exists("user"), db.table_exists(User), db.table_exists("nope"))
    )
    with obs.quiet():
        obs.value("tables", db.get_tables())


@scenario()
def table_queries(db, obs):
    User, Tweet, _ = seed_twitter(db)
    user = Table("user", ("id", "username", "age", "active")).bind(db)
    tweet = Table("tweet").bind(db)
    q = user.select(user.c.username, user.c.age).where(user.c.age > 21).order_by(user.c.id)
    obs.rows("dicts", q)
    obs.rows("tuples", q.tuples())
    q = (
        tweet.select(tweet.c.content, user.c.username)
        .join(user, on=(tweet.c.user_id == user.c.id))
        .order_by(tweet.c.id)
        .namedtuples()
    )
    obs.rows("join", q)
    obs.call("insert", lambda: user.insert(username="tab", age=1, active=True).execute())
    obs.call(
        "update", lambda: user.update(age=user.c.age + 1).where(user.c.username == "tab").execute()
    )
    obs.call("delete", lambda: user.delete().where(user.c.username == "tab").execute())
    obs.call("count", lambda: user.select().count())
    obs.call("scalar", lambda: user.select(fn.MAX(user.c.age)).scalar())
    obs.sql("alias", user.alias("u").select(user.alias("u").c.id))


@scenario()
def binding_and_proxies(db, obs):
    proxy = DatabaseProxy()

    class Item(Model):
        name = CharField()
        n = IntegerField(default=0)

        class Meta:
            database = proxy

    obs.call("unbound", lambda: Item.select().count())
    proxy.initialize(db)
    db.create_tables([Item])
    Item.create(name="a")
    obs.call("via_proxy", lambda: Item.select().count())

    class Other(Model):
        name = CharField()

    obs.call("no_database", lambda: list(Other.select()))
    with db.bind_ctx([Other]):
        db.create_tables([Other])
        Other.create(name="o")
        obs.call("bind_ctx", lambda: [o.name for o in Other.select()])
    obs.value("after_bind_ctx", Other._meta.database is None)
    Other.bind(db)
    obs.call("bind", lambda: Other.select().count())
    plain = Proxy()
    obs.call("proxy_attr", lambda: plain.anything)
    obs.call("sql_unbound", lambda: Other.select().where(Other.id == 1).sql())


@scenario()
def connection_hooks(db, obs):
    calls = []

    class Hooked(db.__class__):
        def _initialize_connection(self, conn):
            calls.append("init")

    other = Hooked(db.database, **db.connect_params)
    other.connect()
    other.close()
    obs.value("calls", calls)
    obs.value("connect_params_keys", sorted(db.connect_params))
    other.init(db.database, **db.connect_params)
    obs.value("after_init", other.is_closed())
    deferred = db.__class__(None)
    obs.value("deferred", deferred.deferred)
    obs.call("connect_deferred", deferred.connect)
