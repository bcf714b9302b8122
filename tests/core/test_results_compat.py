"""Result rows as peewee builds them: repeated column names, ``objects()``, per-column conversion,
cursor reuse and ``fill_cache()``, outer joins that match nothing (several hops, ``attr``,
back-references) and ``prefetch()`` over several foreign keys, adjacency lists and both strategies."""

from __future__ import annotations

import datetime
import decimal

import pytest

from peewee import (
    JOIN,
    PREFETCH_TYPE,
    BooleanField,
    CharField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    Model,
    Table,
    TextField,
    Value,
    fn,
    prefetch,
)


def make_models():
    class User(Model):
        username = CharField()

        class Meta:
            table_name = "rc_user"

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()
        created = DateTimeField()

        class Meta:
            table_name = "rc_tweet"

    class Message(Model):
        sender = ForeignKeyField(User, backref="sent")
        receiver = ForeignKeyField(User, backref="received")
        body = TextField()

        class Meta:
            table_name = "rc_message"

    class Category(Model):
        name = CharField()
        parent = ForeignKeyField("self", null=True, backref="children")

        class Meta:
            table_name = "rc_category"

    class Team(Model):
        name = CharField()

        class Meta:
            table_name = "rc_team"

    class Member(Model):
        name = CharField()
        team = ForeignKeyField(Team, null=True, backref="members")

        class Meta:
            table_name = "rc_member"

    class Task(Model):
        title = CharField()
        member = ForeignKeyField(Member, null=True, backref="tasks")
        price = DecimalField(max_digits=10, decimal_places=2, default=0)
        done = BooleanField(default=False)

        class Meta:
            table_name = "rc_task"

    return User, Tweet, Message, Category, Team, Member, Task


class M:
    """The models of one test, by name."""


@pytest.fixture
def m(db):
    models = make_models()
    db.bind(models)
    db.create_tables(models)
    ns = M()
    for model in models:
        setattr(ns, model.__name__, model)
    ann, bob, cat = [ns.User.create(username=n) for n in ("ann", "bob", "cat")]
    for day, (user, text) in enumerate([(ann, "a1"), (ann, "a2"), (bob, "b1")], 1):
        ns.Tweet.create(user=user, content=text, created=datetime.datetime(2024, 1, day, 10, 30))
    ns.Message.create(sender=ann, receiver=bob, body="hi bob")
    ns.Message.create(sender=bob, receiver=ann, body="hi ann")
    ns.Message.create(sender=ann, receiver=cat, body="hi cat")
    root = ns.Category.create(name="root")
    c1 = ns.Category.create(name="c1", parent=root)
    ns.Category.create(name="c2", parent=root)
    ns.Category.create(name="c11", parent=c1)
    red = ns.Team.create(name="red")
    m1 = ns.Member.create(name="m1", team=red)
    m2 = ns.Member.create(name="m2", team=None)
    ns.Task.create(title="t1", member=m1, price=decimal.Decimal("1.50"), done=True)
    ns.Task.create(title="t2", member=m2)
    ns.Task.create(title="t3", member=None)
    return ns


def statements(db, monkeypatch):
    seen = []
    original = db.execute_sql

    def execute_sql(sql, params=None, *args, **kwargs):
        seen.append(sql.replace("`", '"').replace("%s", "?"))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", execute_sql)
    return seen


# -- repeated column names ---------------------------------------------------------------------


def test_repeated_names_get_numbered_in_every_row_type(db, m):
    Tweet, User = m.Tweet, m.User
    query = Tweet.select(Tweet.id, User.id, Tweet.content).join(User).order_by(Tweet.id)
    assert list(query.clone().tuples()) == [(1, 1, "a1"), (2, 1, "a2"), (3, 2, "b1")]
    assert list(query.clone().dicts())[2] == {"id": 3, "id_2": 2, "content": "b1"}
    row = list(query.clone().namedtuples())[2]
    assert row._fields == ("id", "id_2", "content") and tuple(row) == (3, 2, "b1")
    flat = list(query.clone().objects())[2]
    assert (flat.id, flat.id_2, flat.content) == (3, 2, "b1")
    # Joined model rows: the second "id" belongs to the user.
    tweet = list(query.clone())[2]
    assert (tweet.id, tweet.user.id, tweet.content) == (3, 2, "b1")


def test_same_field_twice_without_a_join(db, m):
    User = m.User
    query = User.select(User.username, User.username).order_by(User.id)
    assert list(query.clone().dicts())[0] == {"username": "ann", "username_2": "ann"}
    user = query.clone()[0]
    assert user.username == "ann" and user.username_2 == "ann"
    assert user.__data__ == {"username": "ann"}


def test_same_column_through_a_model_alias(db, m):
    Message, User = m.Message, m.User
    Receiver = User.alias("receiver")
    query = (Message.select(Message.body, User.username, Receiver.username)
             .join(User, on=(Message.sender == User.id))
             .switch(Message).join(Receiver, on=(Message.receiver == Receiver.id))
             .order_by(Message.id))
    assert list(query.clone().dicts())[0] == {"body": "hi bob", "username": "ann",
                                             "username_2": "bob"}
    assert list(query.clone().namedtuples())[0]._fields == ("body", "username", "username_2")
    message = query.clone()[0]
    assert (message.sender.username, message.receiver.username) == ("ann", "bob")


def test_functions_named_after_their_column(db, m):
    User, Tweet = m.User, m.Tweet
    query = (User.select(User.username, fn.COUNT(Tweet.id), fn.COUNT(Tweet.id))
             .join(Tweet, JOIN.LEFT_OUTER).group_by(User.username).order_by(User.username))
    # The name is what is left of the driver's column name: PostgreSQL reports "count".
    key = "count" if db.dialect.name == "postgresql" else "id"
    # Unconverted columns come first in a dict, then the converted ones.
    assert list(query.clone().dicts()) == [
        {key: 2, key + "_2": 2, "username": "ann"},
        {key: 1, key + "_2": 1, "username": "bob"},
        {key: 0, key + "_2": 0, "username": "cat"},
    ]
    assert list(query.clone().namedtuples())[0]._fields == ("username", key, key + "_2")


def test_table_rows_keep_the_driver_names(db, m):
    tweet, user = Table("rc_tweet").bind(db), Table("rc_user").bind(db)
    query = (tweet.select(tweet.c.id, user.c.id, tweet.c.content)
             .join(user, on=(tweet.c.user_id == user.c.id)).order_by(tweet.c.id))
    assert list(query.clone().dicts())[2] == {"id": 3, "id_2": 2, "content": "b1"}
    assert list(query.clone().namedtuples())[2]._fields == ("id", "id_2", "content")

    class Row:
        def __init__(self, **kwargs):
            self.kwargs = kwargs

    assert query.clone().objects(Row)[2].kwargs == {"id": 3, "id_2": 2, "content": "b1"}


@pytest.mark.backends("sqlite")
def test_table_rows_name_expressions_as_the_driver_does(db, m):
    tweet = Table("rc_tweet").bind(db)
    query = tweet.select(fn.COUNT(tweet.c.id), tweet.c.id + 1).where(tweet.c.id == 1)
    assert list(query.clone().dicts()) == [{'COUNT("t1"."id")': 1, '("t1"."id" + ?)': 2}]
    assert list(query.clone().namedtuples())[0]._fields == ("id", "id_2")


def test_raw_rows_with_repeated_names(db, m):
    q = db.dialect.quote_name
    sql = ("SELECT t.id, u.id, t.content FROM %s t JOIN %s u ON t.user_id = u.id ORDER BY t.id"
           % (q("rc_tweet"), q("rc_user")))
    query = m.Tweet.raw(sql)
    assert list(query.clone().dicts())[2] == {"id": 3, "id_2": 2, "content": "b1"}
    tweet = query.clone()[2]
    assert (tweet.id, tweet.id_2, tweet.content) == (3, 2, "b1")


# -- objects() ---------------------------------------------------------------------------------


def test_objects_with_a_class_a_callable_and_the_model(db, m):
    Tweet, User = m.Tweet, m.User
    query = Tweet.select(Tweet.content, User.username).join(User).order_by(Tweet.id)

    class Flat:
        def __init__(self, **kwargs):
            self.kwargs = kwargs

    assert [o.kwargs for o in query.clone().objects(Flat)][0] == {"content": "a1",
                                                                  "username": "ann"}
    assert list(query.clone().objects(lambda **kw: sorted(kw.items())))[2] == [
        ("content", "b1"), ("username", "bob")]
    tweet = query.clone().objects()[2]
    assert type(tweet) is Tweet and (tweet.content, tweet.username) == ("b1", "bob")
    assert tweet.__data__ == {"content": "b1"} and not tweet.dirty_fields
    user = query.clone().objects(User)[0]
    assert type(user) is User and user.username == "ann" and user.content == "a1"


def test_objects_flattens_every_joined_model(db, m):
    Tweet, User = m.Tweet, m.User
    tweet = Tweet.select(Tweet, User).join(User).order_by(Tweet.id).objects()[2]
    # The user's "id" is numbered; everything is an attribute of the tweet.
    assert (tweet.id, tweet.id_2, tweet.user_id, tweet.username) == (3, 2, 2, "bob")
    assert "user" not in tweet.__rel__


# -- conversion --------------------------------------------------------------------------------


def test_functions_convert_like_their_first_argument(db, m):
    Tweet = m.Tweet
    last = datetime.datetime(2024, 1, 3, 10, 30)
    assert Tweet.select(fn.MAX(Tweet.created)).scalar() == last
    assert list(Tweet.select(fn.MAX(Tweet.created).alias("m")).dicts()) == [{"m": last}]
    raw = Tweet.select(fn.MAX(Tweet.created).coerce(False).alias("m")).dicts().get()["m"]
    if db.dialect.name == "sqlite":
        assert raw == "2024-01-03 10:30:00"
    # Named after what the driver reports: PostgreSQL says "lower", the others the whole call.
    user = m.User.select(fn.LOWER(m.User.username)).order_by(m.User.id).get()
    name = "lower" if db.dialect.name == "postgresql" else "username"
    assert getattr(user, name) == "ann"


def test_a_python_value_converter_sees_every_value(db, m):
    User, Tweet = m.User, m.Tweet
    if db.dialect.name == "postgresql":
        ids = fn.STRING_AGG(Tweet.id.cast("text"), ",")
    else:
        ids = fn.GROUP_CONCAT(Tweet.id)
    ids = ids.python_value(lambda text: sorted(int(i) for i in (text or "").split(",") if i))
    query = (User.select(User.username, ids.alias("ids")).join(Tweet, JOIN.LEFT_OUTER)
             .group_by(User.username).order_by(User.username))
    expected = [("ann", [1, 2]), ("bob", [3]), ("cat", [])]
    assert [(u.username, u.ids) for u in query.clone()] == expected
    assert list(query.clone().tuples()) == expected
    assert [tuple(d.values()) for d in query.clone().dicts()] == expected


def test_casts_are_not_converted_and_keep_the_field_name(db, m):
    Task = m.Task
    cast = "CHAR" if db.dialect.name == "mysql" else "TEXT"
    row = Task.select(Task.price.cast(cast)).where(Task.title == "t1").dicts().get()
    assert list(row) == ["price"] and isinstance(row["price"], str)
    assert list(Task.select(Value(1).alias("one")).limit(1).dicts()) == [{"one": 1}]


def test_counts_are_not_converted(db, m):
    Task = m.Task
    assert Task.select(fn.COUNT(Task.id)).scalar() == 3
    total = Task.select(fn.SUM(Task.price).alias("s")).dicts().get()["s"]
    assert decimal.Decimal(str(total)) == decimal.Decimal("1.5")


# -- fetching ----------------------------------------------------------------------------------


def test_fill_cache_refuses_negative_counts(db, m):
    User = m.User
    for wrapper in (User.select().execute(), User.select().dicts().execute(),
                    User.raw("SELECT * FROM %s" % db.dialect.quote_name("rc_user")).execute(),
                    Table("rc_user").bind(db).select().execute()):
        with pytest.raises(ValueError, match="Negative values are not supported."):
            wrapper.fill_cache(-1)
    wrapper = User.select().order_by(User.id).execute()
    wrapper.fill_cache(2)
    assert (len(wrapper.row_cache), wrapper.count, wrapper.populated) == (2, 2, False)


def test_results_are_reused_when_iterated_again(db, m, monkeypatch):
    User = m.User
    seen = statements(db, monkeypatch)
    query = User.select().order_by(User.id)
    first, second = list(query), list(query)
    assert all(a is b for a, b in zip(first, second)) and len(first) == 3
    assert [query[-1].username, [u.username for u in query[1:]], len(query)] == [
        "cat", ["bob", "cat"], 3]
    # iterator() after the rows were read yields them again, without another query.
    assert [u.username for u in query.iterator()] == ["ann", "bob", "cat"]
    assert len(seen) == 1


# -- outer joins -------------------------------------------------------------------------------


def test_outer_joins_that_match_nothing_across_two_hops(db, m, monkeypatch):
    Task, Member, Team = m.Task, m.Member, m.Team
    query = (Task.select(Task, Member, Team).join(Member, JOIN.LEFT_OUTER)
             .join(Team, JOIN.LEFT_OUTER).order_by(Task.id))
    seen = statements(db, monkeypatch)
    t1, t2, t3 = list(query)
    assert (t1.member.name, t1.member.team.name) == ("m1", "red")
    # B found, C missing: the member keeps its (null) team key, the team is None.
    assert (t2.member_id, t2.member.name, t2.member.team_id, t2.member.team) == (2, "m2", None, None)
    # B missing: None, and no query is made to look for it.
    assert (t3.member_id, t3.member) == (None, None)
    assert t3.__rel__ == {"member": None} and t2.member.__rel__ == {"team": None}
    assert len(seen) == 1


def test_outer_join_with_a_dangling_key_keeps_the_key(db, m, monkeypatch):
    Task, Member = m.Task, m.Member
    # The key points at a member that is not selected by the join condition.
    query = (Task.select(Task, Member)
             .join(Member, JOIN.LEFT_OUTER, on=((Task.member == Member.id) & (Member.name == "zz")))
             .where(Task.title == "t1"))
    seen = statements(db, monkeypatch)
    task = query.get()
    assert (task.member_id, task.member) == (1, None) and len(seen) == 1


def test_only_the_far_model_selected(db, m):
    Task, Member, Team = m.Task, m.Member, m.Team
    query = (Task.select(Task.title, Team.name).join(Member, JOIN.LEFT_OUTER)
             .join(Team, JOIN.LEFT_OUTER).order_by(Task.id))
    t1, t2, t3 = list(query)
    # The member in between is built (empty) because the team beyond it was found.
    assert t1.member.team.name == "red" and t1.member.__data__ == {"team": None}
    assert t2.member is None and t3.member is None


def test_outer_joins_with_attr_and_back_references(db, m):
    Task, Member, Team = m.Task, m.Member, m.Team
    tasks = list(Task.select(Task, Member, Team).join(Member, JOIN.LEFT_OUTER, attr="owner")
                 .join(Team, JOIN.LEFT_OUTER, attr="squad").order_by(Task.id))
    assert tasks[0].owner.squad.name == "red" and tasks[0].member.name == "m1"
    assert tasks[1].owner.squad is None and tasks[2].owner is None
    assert tasks[2].member_id is None
    Team.create(name="empty")
    teams = list(Team.select(Team, Member, Task).join(Member, JOIN.LEFT_OUTER)
                 .join(Task, JOIN.LEFT_OUTER).order_by(Team.id, Member.id))
    assert [(t.name, t.member and t.member.name, t.member and t.member.task.title)
            for t in teams] == [("red", "m1", "t1"), ("empty", None, None)]


def test_inner_join_rows_with_no_values_attach_nothing(db, m):
    Member, Team = m.Member, m.Team
    members = list(Member.select(Member.name, Team.name).join(Team).order_by(Member.id))
    assert [(x.name, x.team.name) for x in members] == [("m1", "red")]


# -- prefetch ----------------------------------------------------------------------------------


def test_prefetch_type_is_a_dict_of_constants():
    assert (PREFETCH_TYPE.WHERE, PREFETCH_TYPE["JOIN"], PREFETCH_TYPE.MATERIALIZE) == (1, 2, 3)
    assert isinstance(PREFETCH_TYPE, dict) and sorted(PREFETCH_TYPE) == ["JOIN", "MATERIALIZE",
                                                                         "WHERE"]
    assert sorted(PREFETCH_TYPE.values()) == [1, 2, 3]
    with pytest.raises(AttributeError):
        PREFETCH_TYPE.NOPE


def test_prefetch_rejects_bad_arguments(db, m):
    User, Tweet = m.User, m.Tweet
    with pytest.raises(ValueError, match="MATERIALIZE is not supported by prefetch"):
        prefetch(User.select(), Tweet, prefetch_type=PREFETCH_TYPE.MATERIALIZE)
    with pytest.raises(ValueError, match="prefetch_type must be a PREFETCH_TYPE value."):
        prefetch(User.select(), Tweet, prefetch_type=99)
    with pytest.raises(ValueError, match="Unrecognized arguments"):
        prefetch(User.select(), Tweet, foo=1)
    with pytest.raises(AttributeError, match="unable to find foreign key for query.* using"):
        prefetch(User.select(), (Tweet.select(), m.Team))


@pytest.mark.parametrize("kind", ["WHERE", "JOIN"])
def test_prefetch_two_foreign_keys_to_the_same_model(db, m, monkeypatch, kind):
    User, Message = m.User, m.Message
    seen = statements(db, monkeypatch)
    users = prefetch(User.select().order_by(User.id), Message.select().order_by(Message.id),
                     prefetch_type=PREFETCH_TYPE[kind])
    assert [(u.username, [x.body for x in u.sent], [x.body for x in u.received]) for u in users] == [
        ("ann", ["hi bob", "hi cat"], ["hi ann"]),
        ("bob", ["hi ann"], ["hi bob"]),
        ("cat", [], ["hi cat"]),
    ]
    assert users[0].sent[0].sender is users[0] and users[0].received[0].receiver is users[0]
    if kind == "JOIN":
        assert seen[0] == (
            'SELECT DISTINCT "t1"."id", "t1"."sender_id", "t1"."receiver_id", "t1"."body" '
            'FROM "rc_message" AS "t1" INNER JOIN (SELECT DISTINCT "t2"."id" FROM "rc_user" '
            'AS "t2") AS "t3" ON (("t1"."sender_id" = "t3"."id") OR '
            '("t1"."receiver_id" = "t3"."id")) ORDER BY "t1"."id"')
    else:
        assert ('WHERE (("t1"."sender_id" IN (SELECT "t2"."id" FROM "rc_user" AS "t2" ORDER BY '
                '"t2"."id")) OR ("t1"."receiver_id" IN (SELECT "t2"."id"') in seen[0]
    assert len(seen) == 2


@pytest.mark.parametrize("kind", ["WHERE", "JOIN"])
def test_prefetch_foreign_keys_in_the_other_direction(db, m, monkeypatch, kind):
    User, Message = m.User, m.Message
    seen = statements(db, monkeypatch)
    messages = prefetch(Message.select().order_by(Message.id), User.select().order_by(User.id),
                        prefetch_type=PREFETCH_TYPE[kind])
    assert [(x.body, x.sender.username, x.receiver.username) for x in messages] == [
        ("hi bob", "ann", "bob"), ("hi ann", "bob", "ann"), ("hi cat", "ann", "cat")]
    assert messages[0].sender is messages[1].receiver and not messages[0].dirty_fields
    assert len(seen) == 2


def test_prefetch_an_adjacency_list(db, m, monkeypatch):
    Category = m.Category
    seen = statements(db, monkeypatch)
    roots = prefetch(Category.select().where(Category.parent.is_null()).order_by(Category.id),
                     Category.select().order_by(Category.id))
    assert [(c.name, [x.name for x in c.children]) for c in roots] == [("root", ["c1", "c2"])]
    # The prefetched children get their own (here empty) lists: their children were not queried.
    assert roots[0].children[0].parent is roots[0] and roots[0].children[0].children == []
    assert len(seen) == 2
    everything = prefetch(Category.select().order_by(Category.id),
                          Category.select().order_by(Category.id))
    assert [(c.name, [x.name for x in c.children]) for c in everything] == [
        ("root", ["c1", "c2"]), ("c1", ["c11"]), ("c2", []), ("c11", [])]


def test_prefetch_subqueries_with_conditions_and_a_limited_parent(db, m, monkeypatch):
    User, Tweet = m.User, m.Tweet
    seen = statements(db, monkeypatch)
    users = prefetch(User.select().where(User.username != "cat").order_by(User.id).limit(1),
                     Tweet.select().where(Tweet.content != "a2").order_by(Tweet.id))
    assert [(u.username, [t.content for t in u.tweets]) for u in users] == [("ann", ["a1"])]
    # LIMIT inside IN is wrapped in a derived table (MySQL refuses it otherwise).
    assert 'IN (SELECT "_limited"."id" FROM (SELECT "t2"."id" FROM "rc_user" AS "t2"' in seen[0]
