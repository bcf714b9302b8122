"""SQL text of the less common nodes: FILTER, DISTINCT in functions, collations, tuples, VALUES
lists, lateral joins, several CTEs, row locks, window exclusions, explicit converters."""

from __future__ import annotations

from peewee import (
    JOIN,
    SQL,
    AsIs,
    Cast,
    EnclosedNodeList,
    Entity,
    NodeList,
    Select,
    Tuple,
    Value,
    ValuesList,
    Window,
    fn,
)

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


def _is(db, name):
    return type(db).__name__.startswith(name)


@scenario()
def nodes(db, obs):
    User, Tweet, _ = seed_twitter(db)
    obs.sql("distinct_fn", Tweet.select(fn.COUNT(Tweet.user.distinct())))
    obs.sql("filter", Tweet.select(fn.COUNT(Tweet.id).filter(Tweet.likes > 1)))
    obs.sql(
        "collate",
        User.select().order_by(
            User.username.collate(
                "NOCASE" if _is(db, "Sqlite") else "C" if _is(db, "Postgres") else "utf8mb4_bin"
            )
        ),
    )
    obs.sql("tuple_in", User.select().where(Tuple(User.id, User.age).in_([(1, 20), (2, 27)])))
    obs.sql(
        "tuple_sub",
        User.select().where(Tuple(User.id, User.username).in_(User.select(User.id, User.username))),
    )
    obs.sql("nodelist", User.select(NodeList((SQL("1"), SQL("+"), Value(2)))))
    obs.sql("enclosed", User.select().where(User.id.in_(EnclosedNodeList([Value(1), Value(2)]))))
    obs.sql("entity", User.select(Entity("t1", "username")))
    obs.sql("asis", User.select().where(User.username == AsIs("raw")))
    obs.sql("cast", User.select(Cast(User.age, "TEXT")))
    obs.sql(
        "sql_params",
        User.select().where(
            SQL("age > ? AND id < ?", [1, 9])
            if _is(db, "Sqlite")
            else SQL("age > %s AND id < %s", [1, 9])
        ),
    )
    obs.sql("value_list", User.select(Value([1, 2], unpack=False)))
    obs.sql("is_null_chain", User.select().where(User.age.is_null() | (User.age >> None)))
    obs.sql(
        "ops",
        User.select().where((User.id % 2 == 0) & (User.age != None) & (User.username << ["a"])),  # noqa: E711
    )
    obs.sql("between_expr", User.select().where(User.age.between(User.id, User.id + 10)))
    obs.sql("nested_fn", User.select(fn.LOWER(fn.SUBSTR(User.username, 1, 2)).alias("s")))
    obs.sql("concat_ops", User.select(User.username + "x", "x" + User.username))
    if not _is(db, "MySQL"):
        filtered = Tweet.select(fn.COUNT(Tweet.id).filter(Tweet.likes > 1))
        obs.rows("filter_rows", filtered.tuples())
    obs.rows("count_distinct", Tweet.select(fn.COUNT(Tweet.user.distinct())).tuples())


@scenario()
def converters_and_python_values(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = User.select(
        fn.UPPER(User.username).python_value(lambda v: v and v[::-1]).alias("r")
    ).order_by(User.id)
    obs.rows("python_value", q.tuples())
    q = (
        User.select(User.age.converter(lambda v: -1 if v is None else v * 2)).order_by(User.id)
        if hasattr(User.age, "converter")
        else None
    )
    if q is not None:
        obs.rows("converter", q.tuples())
    obs.rows("coerce_false", User.select(fn.MAX(User.username).coerce(False)).tuples())


@scenario()
def values_lists_and_ctes(db, obs):
    User, Tweet, _ = seed_twitter(db)
    vl = ValuesList([(1, "one"), (2, "two"), (3, "three")], columns=("n", "word"), alias="vl")
    q = Select([vl], [vl.c.n, vl.c.word]).order_by(vl.c.n).bind(db)
    obs.sql("values_sql", q)
    obs.rows("values", q.tuples())
    q = User.select(User.username, vl.c.word).join(vl, on=(User.id == vl.c.n)).order_by(User.id)
    obs.rows("join_values", q.tuples())
    a = User.select(User.id).where(User.age > 20).cte("a")
    b = (
        Tweet.select(Tweet.user, fn.COUNT(Tweet.id).alias("n"))
        .group_by(Tweet.user)
        .cte("b", columns=("uid", "n"))
    )
    q = (
        Select([a], [a.c.id, b.c.n])
        .join(b, JOIN.LEFT_OUTER, on=(a.c.id == b.c.uid))
        .with_cte(a, b)
        .order_by(a.c.id)
        .bind(db)
    )
    obs.sql("two_ctes", q)
    obs.rows("two_ctes_rows", q.tuples())
    sub = Tweet.select(Tweet.id).where(Tweet.likes > 0).cte("liked")
    obs.rows(
        "cte_in_where",
        Tweet.select(Tweet.content)
        .where(Tweet.id.in_(sub.select(sub.c.id)))
        .with_cte(sub)
        .order_by(Tweet.id)
        .tuples(),
    )
    obs.call(
        "update_with_cte",
        lambda: (
            Tweet.update(likes=0).where(Tweet.id.in_(sub.select(sub.c.id))).with_cte(sub).execute()
        ),
    )
    obs.rows("after", Tweet.select(Tweet.likes).order_by(Tweet.id).tuples())


@scenario(backends=("postgres",))
def postgres_only(db, obs):
    User, Tweet, _ = seed_twitter(db)
    latest = (
        Tweet.select(Tweet.content)
        .where(Tweet.user == User.id)
        .order_by(Tweet.id.desc())
        .limit(1)
        .lateral()
    )
    q = (
        User.select(User.username, latest.c.content)
        .join(latest, JOIN.LEFT_LATERAL, on=SQL("true"))
        .order_by(User.id)
    )
    obs.sql("lateral_sql", q)
    obs.rows("lateral", q.tuples())
    obs.sql("for_share", User.select().for_update("FOR SHARE"))
    obs.sql("skip_locked", User.select().for_update(skip_locked=True))
    w = Window(
        order_by=[Tweet.id],
        start=Window.preceding(1),
        end=Window.following(1),
        exclude=Window.CURRENT_ROW,
    )
    obs.rows(
        "exclude",
        Tweet.select(Tweet.id, fn.SUM(Tweet.likes).over(w)).window(w).order_by(Tweet.id).tuples(),
    )
    obs.rows("string_agg", User.select(fn.string_agg(User.username, ",")).tuples())
    obs.rows(
        "array_agg",
        Tweet.select(Tweet.user, fn.array_agg(Tweet.id))
        .group_by(Tweet.user)
        .order_by(Tweet.user)
        .tuples(),
    )


@scenario(backends=("mysql",))
def mysql_only(db, obs):
    User, Tweet, _ = seed_twitter(db)
    obs.rows("group_concat", User.select(fn.GROUP_CONCAT(User.username)).tuples())
    obs.sql("for_update", User.select().for_update())
    obs.call("update_limit", lambda: Tweet.update(likes=9).order_by(Tweet.id).limit(2).execute())
    obs.call("delete_limit", lambda: Tweet.delete().order_by(Tweet.id.desc()).limit(1).execute())
    obs.rows("after", Tweet.select(Tweet.id, Tweet.likes).order_by(Tweet.id).tuples())
    obs.rows(
        "regexp",
        User.select(User.username).where(User.username.regexp("^[ab]")).order_by(User.id).tuples(),
    )
    obs.sql("ilike", User.select().where(User.username ** "A%"))
