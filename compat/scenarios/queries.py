"""Model queries: selects, joins, aggregates, subqueries, row types and lookups."""

from __future__ import annotations

from peewee import (
    JOIN,
    SQL,
    Case,
    Select,
    Value,
    Window,
    fn,
)

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


@scenario()
def where_order_limit(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = User.select().where((User.age > 21) | User.age.is_null()).order_by(User.username.desc())
    obs.rows("users", q.limit(2).offset(1))
    obs.rows("paginate", User.select().order_by(User.id).paginate(2, 2))
    obs.rows(
        "in",
        Tweet.select(Tweet.content).where(Tweet.likes.in_([0, 1, 3])).order_by(Tweet.id).tuples(),
    )
    obs.rows(
        "not_in",
        Tweet.select(Tweet.content).where(Tweet.likes.not_in([0, 1])).order_by(Tweet.id).tuples(),
    )
    obs.rows(
        "between",
        Tweet.select(Tweet.id).where(Tweet.likes.between(1, 3)).order_by(Tweet.id).tuples(),
    )
    obs.rows(
        "like",
        User.select(User.username).where(User.username.contains("o")).order_by(User.id).tuples(),
    )
    obs.rows("startswith", User.select(User.username).where(User.username.startswith("a")).tuples())
    obs.rows("negated", User.select(User.username).where(~(User.active == True)).tuples())  # noqa: E712


@scenario()
def get_count_exists_scalar(db, obs):
    User, Tweet, _ = seed_twitter(db)
    obs.call("get", lambda: User.get(User.username == "bob").age)
    obs.call("get_missing", lambda: User.get(User.username == "zed"))
    obs.call("get_or_none", lambda: User.get_or_none(User.username == "zed"))
    obs.call("get_by_id", lambda: User.get_by_id(2).username)
    obs.call("get_by_id_missing", lambda: User.get_by_id(99))
    obs.call("getitem", lambda: User[1].username)
    obs.call("count", lambda: Tweet.select().count())
    obs.call("count_distinct", lambda: Tweet.select(Tweet.user).distinct().count())
    obs.call("exists", lambda: Tweet.select().where(Tweet.likes > 3).exists())
    obs.call("scalar", lambda: Tweet.select(fn.MAX(Tweet.likes)).scalar())
    obs.call(
        "scalar_tuple",
        lambda: Tweet.select(fn.MIN(Tweet.likes), fn.MAX(Tweet.likes)).scalar(as_tuple=True),
    )
    obs.call("first", lambda: Tweet.select().order_by(Tweet.likes.desc(), Tweet.id).first())
    obs.call("peek", lambda: Tweet.select().order_by(Tweet.id).peek(n=2))
    obs.call("len", lambda: len(User.select()))
    obs.call("index", lambda: User.select().order_by(User.id)[2])
    obs.call("slice", lambda: User.select().order_by(User.id)[1:3])


@scenario()
def row_types(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = Tweet.select(Tweet.content, User.username, Tweet.likes).join(User).order_by(Tweet.id)
    obs.rows("dicts", q.dicts())
    obs.rows("tuples", q.tuples())
    obs.rows("namedtuples", q.namedtuples())
    obs.rows("objects", [(t.content, t.username) for t in q.objects()])
    obs.rows("models", [(t.content, t.user.username) for t in q])
    obs.rows("iterator", [t.content for t in Tweet.select().order_by(Tweet.id).iterator()])


@scenario()
def joins(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    q = Tweet.select(Tweet, User).join(User).where(User.username == "alice").order_by(Tweet.id)
    obs.rows("joined", [(t.content, t.user.username, t.user.age) for t in q])
    q = (
        User.select(User.username, fn.COUNT(Tweet.id).alias("n"))
        .join(Tweet, JOIN.LEFT_OUTER)
        .group_by(User.username)
        .order_by(User.username)
    )
    obs.rows("left_outer", [(u.username, u.n) for u in q])
    q = (
        Favorite.select(Favorite, Tweet, User)
        .join(Tweet)
        .join(User)
        .switch(Favorite)
        .order_by(Favorite.id)
    )
    obs.rows("switch", [(f.tweet.content, f.tweet.user.username) for f in q])
    q = (
        Favorite.select(Favorite.id, User.username)
        .join_from(Favorite, User)
        .order_by(Favorite.id)
        .tuples()
    )
    obs.rows("join_from", q)
    Liker = User.alias("liker")
    q = (
        Favorite.select(Favorite.id, Liker.username, Tweet.content)
        .join(Liker, on=(Favorite.user == Liker.id))
        .switch(Favorite)
        .join(Tweet)
        .order_by(Favorite.id)
        .tuples()
    )
    obs.rows("alias", q)
    q = (
        User.select(User.username)
        .join(Tweet, JOIN.INNER, on=(Tweet.user == User.id))
        .where(Tweet.likes >= 3)
        .distinct()
        .order_by(User.username)
        .tuples()
    )
    obs.rows("distinct", q)
    q = User.select(User.username, Tweet.content).join(
        Tweet, JOIN.LEFT_OUTER, on=((Tweet.user == User.id) & (Tweet.likes > 2)), attr="top"
    )
    obs.rows(
        "attr",
        [
            (u.username, getattr(getattr(u, "top", None), "content", None))
            for u in q.order_by(User.id, Tweet.id)
        ],
    )
    obs.sql("cross", User.select(User.id).join(Tweet, JOIN.CROSS))


@scenario()
def aggregates(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = (
        Tweet.select(Tweet.user, fn.SUM(Tweet.likes).alias("total"), fn.COUNT(Tweet.id).alias("n"))
        .group_by(Tweet.user)
        .having(fn.COUNT(Tweet.id) > 1)
        .order_by(SQL("total").desc())
    )
    obs.rows("group", q.dicts())
    q = Tweet.select(fn.AVG(Tweet.likes).alias("a"), fn.MAX(Tweet.created).alias("m"))
    obs.rows("avg", q.tuples())
    case = Case(Tweet.likes, ((0, "none"), (1, "one")), "many")
    obs.rows("case", Tweet.select(Tweet.id, case.alias("c")).order_by(Tweet.id).tuples())
    case = Case(None, ((Tweet.likes > 2, "hi"),), "lo")
    obs.rows("case_searched", Tweet.select(case).order_by(Tweet.id).tuples())
    obs.rows("coalesce", User.select(fn.COALESCE(User.age, 0)).order_by(User.id).tuples())
    obs.rows(
        "cast",
        Tweet.select(
            Tweet.likes.cast("CHAR" if db.__class__.__name__.startswith("MySQL") else "TEXT")
        )
        .order_by(Tweet.id)
        .tuples(),
    )
    obs.rows("arith", Tweet.select((Tweet.likes * 2 + 1).alias("x")).order_by(Tweet.id).tuples())
    obs.rows("concat", User.select(User.username.concat("!")).order_by(User.id).tuples())
    obs.rows("lower", User.select(fn.UPPER(User.username)).order_by(User.id).tuples())
    obs.rows("value", User.select(Value(1).alias("one")).limit(1).tuples())


@scenario()
def subqueries(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    popular = Tweet.select(Tweet.user).where(Tweet.likes >= 3)
    obs.rows(
        "in_sub", User.select(User.username).where(User.id.in_(popular)).order_by(User.id).tuples()
    )
    obs.rows(
        "not_in_sub",
        User.select(User.username).where(User.id.not_in(popular)).order_by(User.id).tuples(),
    )
    fav = Favorite.select(Favorite.id).where(Favorite.user == User.id)
    obs.rows("exists", User.select(User.username).where(fn.EXISTS(fav)).order_by(User.id).tuples())
    n = Tweet.select(fn.COUNT(Tweet.id)).where(Tweet.user == User.id)
    obs.rows("scalar_column", User.select(User.username, n.alias("n")).order_by(User.id).tuples())
    avg = Tweet.select(fn.AVG(Tweet.likes))
    obs.rows(
        "scalar_where", Tweet.select(Tweet.id).where(Tweet.likes > avg).order_by(Tweet.id).tuples()
    )
    sq = Tweet.select(Tweet.user, fn.COUNT(Tweet.id).alias("cnt")).group_by(Tweet.user).alias("sq")
    q = (
        User.select(User.username, sq.c.cnt)
        .join(sq, on=(User.id == sq.c.user_id))
        .order_by(User.id)
        .tuples()
    )
    obs.rows("join_sub", q)
    inner = User.select(User.id, User.username).where(User.age > 20).alias("inner_q")
    q = Select([inner], [inner.c.username]).order_by(inner.c.username).bind(db)
    obs.rows("from_sub", q.tuples())


@scenario()
def compounds(db, obs):
    User, Tweet, _ = seed_twitter(db)
    a = User.select(User.username).where(User.age < 30)
    b = User.select(User.username).where(User.active == False)  # noqa: E712
    obs.rows("union", (a | b).order_by(User.username).tuples())
    obs.rows("union_all", (a + b).order_by(SQL("1")).tuples())
    obs.rows("intersect", (a & b).tuples())
    obs.rows("except", (a - b).order_by(User.username).tuples())
    obs.rows("limit", (a | b).order_by(User.username.desc()).limit(1).tuples())
    obs.call("count", lambda: (a | b).count())
    obs.sql("nested", (a | b) | User.select(User.username).where(User.id == 4))


@scenario()
def ctes(db, obs):
    User, Tweet, _ = seed_twitter(db)
    cte = (
        Tweet.select(Tweet.user, fn.SUM(Tweet.likes).alias("total"))
        .group_by(Tweet.user)
        .cte("totals")
    )
    q = (
        User.select(User.username, cte.c.total)
        .join(cte, on=(User.id == cte.c.user_id))
        .with_cte(cte)
        .order_by(User.username)
        .tuples()
    )
    obs.rows("cte", q)
    base = Select(columns=[Value(1).alias("n")]).cte("nums", recursive=True, columns=("n",))
    step = Select(columns=[base.c.n + 1]).from_(base).where(base.c.n < 5)
    nums = base.union_all(step)
    q = Select(columns=[nums.c.n]).from_(nums).with_cte(nums).order_by(nums.c.n).bind(db)
    obs.rows("recursive", q.tuples())


@scenario()
def windows(db, obs):
    User, Tweet, _ = seed_twitter(db)
    rank = fn.RANK().over(partition_by=[Tweet.user], order_by=[Tweet.likes.desc(), Tweet.id])
    obs.rows("rank", Tweet.select(Tweet.id, rank.alias("r")).order_by(Tweet.id).tuples())
    total = fn.SUM(Tweet.likes).over(
        order_by=[Tweet.id], start=Window.preceding(1), end=Window.CURRENT_ROW
    )
    obs.rows("frame", Tweet.select(Tweet.id, total).order_by(Tweet.id).tuples())
    w = Window(partition_by=[Tweet.user], order_by=[Tweet.id])
    q = (
        Tweet.select(Tweet.id, fn.ROW_NUMBER().over(w), fn.COUNT(Tweet.id).over(w))
        .window(w)
        .order_by(Tweet.id)
        .tuples()
    )
    obs.rows("named", q)


@scenario()
def filter_and_dq(db, obs):
    User, Tweet, _ = seed_twitter(db)
    from peewee import DQ

    obs.rows("filter", User.select(User.username).filter(age__gt=25).order_by(User.id).tuples())
    obs.rows(
        "filter_join",
        Tweet.select(Tweet.content).filter(user__username="alice").order_by(Tweet.id).tuples(),
    )
    obs.rows(
        "dq",
        User.select(User.username)
        .filter(DQ(age__lt=25) | DQ(username="dave"))
        .order_by(User.id)
        .tuples(),
    )


@scenario()
def raw_and_sql(db, obs):
    User, Tweet, _ = seed_twitter(db)
    table = User._meta.table_name
    obs.rows(
        "raw", [u.username for u in User.raw(f"SELECT * FROM {table} WHERE age > 25 ORDER BY id")]
    )
    cur = db.execute_sql(f"SELECT COUNT(*) FROM {table}")
    obs.value("execute_sql", cur.fetchone())
    obs.rows("sql_where", User.select(User.username).where(SQL("age = 27")).tuples())


@scenario(backends=("postgres",))
def distinct_on(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = (
        Tweet.select(Tweet.user, Tweet.content)
        .distinct(Tweet.user)
        .order_by(Tweet.user, Tweet.likes.desc())
    )
    obs.rows("distinct_on", q.tuples())
    obs.rows("ilike", User.select(User.username).where(User.username ** "AL%").tuples())


@scenario(backends=("postgres", "mysql"))
def for_update(db, obs):
    User, Tweet, _ = seed_twitter(db)
    with db.atomic():
        obs.rows("for_update", User.select(User.username).where(User.id == 1).for_update().tuples())
        obs.sql("nowait", User.select().for_update(nowait=True))
        obs.sql("of", User.select().join(Tweet).for_update(of=User))


@scenario()
def query_sql_only(db, obs):
    User, Tweet, _ = seed_twitter(db)
    obs.sql("regexp", User.select().where(User.username.regexp("^a")))
    obs.sql("nulls", User.select().order_by(User.age.asc(nulls="LAST")))
    obs.sql("bin_and", User.select().where(User.age.bin_and(1) == 1))
    obs.sql("in_empty", User.select().where(User.id.in_([])))
    obs.sql("not_in_empty", User.select().where(User.id.not_in([])))
    obs.sql("tuple_in", User.select().where(User.id.in_((1, 2))))
    obs.sql("lock_free_expr", User.select(User.id).where((User.age + 1) * 2 > 10))
    obs.sql("group_by_model", Tweet.select(User, fn.COUNT(Tweet.id)).join(User).group_by(User))
    obs.sql("order_by_extend", User.select().order_by(User.id).order_by_extend(User.age.desc()))
    obs.sql(
        "where_chain", User.select().where(User.id > 1).where(User.age < 30).orwhere(User.active)
    )
    obs.sql("select_extend", User.select(User.id).select_extend(User.username))
    obs.sql("limit_only_offset", User.select().offset(3))
