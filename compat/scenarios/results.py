"""How rows come back: row types, key names, converters on expressions, model graphs, aliases."""

from __future__ import annotations

from peewee import JOIN, SQL, Case, fn

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


@scenario()
def key_names_and_collisions(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = Tweet.select(Tweet.id, User.id, Tweet.content, User.username).join(User).order_by(Tweet.id)
    obs.rows("dicts", q.dicts())
    obs.rows("namedtuples", q.namedtuples())
    obs.rows("objects", [(t.id, t.content, t.username) for t in q.objects()])
    obs.rows("models", [(t.id, t.user.id, t.user.username) for t in q])
    q = (
        Tweet.select(
            Tweet.user, fn.COUNT(Tweet.id), fn.MAX(Tweet.likes).alias("top"), (Tweet.likes + 1)
        )
        .group_by(Tweet.user)
        .order_by(Tweet.user)
    )
    obs.rows("expr_dicts", q.dicts())
    obs.rows("expr_namedtuples", q.namedtuples())
    obs.rows(
        "expr_models",
        [
            sorted(t.__data__.items())
            + sorted((k, v) for k, v in vars(t).items() if not k.startswith("_"))
            for t in q
        ],
    )
    obs.rows("sql_column", User.select(SQL("username")).order_by(User.id).dicts())
    obs.rows("star", User.select(SQL("*")).order_by(User.id).tuples())


@scenario()
def converters_on_expressions(db, obs):
    User, Tweet, _ = seed_twitter(db)
    obs.rows("max_datetime", Tweet.select(fn.MAX(Tweet.created)).tuples())
    obs.rows("max_datetime_no_coerce", Tweet.select(fn.MAX(Tweet.created).coerce(False)).tuples())
    obs.rows("min_bool", User.select(fn.MIN(User.active)).tuples())
    obs.rows(
        "case_value",
        User.select(Case(None, [(User.age > 25, User.active)], False)).order_by(User.id).tuples(),
    )
    obs.rows(
        "coalesce_age", User.select(fn.COALESCE(User.age, 0).alias("a")).order_by(User.id).dicts()
    )
    obs.rows("scalar_convert", [Tweet.select(fn.MIN(Tweet.created)).scalar()])
    obs.rows(
        "date_part", Tweet.select(Tweet.created.year, Tweet.created.day).order_by(Tweet.id).tuples()
    )
    obs.rows("bool_models", [u.active for u in User.select(User.active).order_by(User.id)])
    obs.rows(
        "cast",
        Tweet.select(Tweet.likes.cast("TEXT" if "Sqlite" in type(db).__name__ else "CHAR"))
        .order_by(Tweet.id)
        .tuples(),
    )


@scenario()
def model_graphs(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    q = Favorite.select(Favorite, Tweet, User).join(Tweet).join(User).order_by(Favorite.id)
    obs.rows("graph", [(f.id, f.tweet.content, f.tweet.user.username) for f in q])
    Liker = User.alias()
    q = (
        Favorite.select(Favorite.id, Liker.username, Tweet.content, User.username)
        .join(Liker, on=(Favorite.user == Liker.id))
        .switch(Favorite)
        .join(Tweet)
        .join(User)
        .order_by(Favorite.id)
    )
    obs.rows(
        "alias_graph", [(f.id, f.user.username, f.tweet.content, f.tweet.user.username) for f in q]
    )
    q = (
        User.select(User.username, Tweet.content)
        .join(Tweet, JOIN.LEFT_OUTER, attr="t")
        .order_by(User.id, Tweet.id)
    )
    obs.rows("attr", [(u.username, u.t.content if getattr(u, "t", None) else None) for u in q])
    q = Tweet.select(Tweet.content, User.username.alias("who")).join(User).order_by(Tweet.id)
    obs.rows(
        "alias_on_joined",
        [(t.content, getattr(t, "who", None), getattr(t.user, "who", None)) for t in q],
    )
    q = (
        User.select(User.username)
        .join(Tweet, JOIN.LEFT_OUTER)
        .where(Tweet.id.is_null())
        .order_by(User.id)
    )
    obs.rows("anti_join", q.tuples())
    q = Tweet.select(Tweet, User).join(User).order_by(Tweet.id).objects()
    obs.rows("objects_flat", [(t.content, t.username) for t in q])
