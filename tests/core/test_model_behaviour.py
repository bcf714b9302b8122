"""Model behaviour in detail: join inference with several keys, lateral rows, recursive deletes,
dirty-only saves, raw queries, streaming with iterator(), get_or_create races, bulk batches."""

from __future__ import annotations

import gc
import re
import warnings
import weakref

import pytest

import backends
from peewee import (
    JOIN,
    CharField,
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
        reviewer = ForeignKeyField(User, backref="reviewed", null=True)
        content = TextField()

    class Comment(Model):
        tweet = ForeignKeyField(Tweet, backref="comments")
        author = ForeignKeyField(User, backref="comments", null=True)
        body = TextField(default="")

    class Attachment(Model):
        comment = ForeignKeyField(Comment, backref="attachments")

    return User, Tweet, Comment, Attachment


@pytest.fixture
def models(db):
    classes = make_models()
    db.bind(classes)
    db.create_tables(classes)
    return classes


class Recorder:
    """Collects the statements sent to the database."""

    def __init__(self, database, monkeypatch):
        self.statements = []
        original = database.execute_sql

        def execute_sql(sql, params=None, *args, **kwargs):
            self.statements.append(sql)
            return original(sql, params, *args, **kwargs)

        monkeypatch.setattr(database, "execute_sql", execute_sql)


# -- join inference ------------------------------------------------------------------------------


def test_join_picks_the_key_named_after_the_destination():
    User, Tweet, Comment, _ = make_models()
    # Tweet has two keys to User: "user" is named after the model, so it is the one joined on.
    assert Tweet.select(Tweet.id).join(User).sql()[0] == (
        'SELECT "t1"."id" FROM "tweet" AS "t1" INNER JOIN "user" AS "t2" ON ("t1"."user_id" = "t2"."id")'
    )
    assert Tweet.select(Tweet.id).join(User.alias("u")).sql()[0] == (
        'SELECT "t1"."id" FROM "tweet" AS "t1" INNER JOIN "user" AS "u" ON ("t1"."user_id" = "u"."id")'
    )
    # Comment's keys to User are "author" only (and "tweet" goes elsewhere): one key, no doubt.
    assert '"t1"."author_id" = "t2"."id"' in Comment.select().join(User).sql()[0]

    class Follow(Model):
        from_user = ForeignKeyField(User, backref="out")
        to_user = ForeignKeyField(User, backref="in_")

    # Neither key is named "user": the join is ambiguous in both directions.
    with pytest.raises(ValueError, match="More than one foreign key between <Model: Follow> and <Model: User>"):
        Follow.select().join(User)
    with pytest.raises(ValueError, match="More than one foreign key between <Model: User> and <Model: Tweet>"):
        User.select().join(Tweet)

    class Item(Model):
        name = CharField()

    with pytest.raises(ValueError, match="Unable to find foreign key between <Model: Item> and <Model: User>"):
        Item.select().join(User)


def test_join_on_the_named_key_builds_the_object_graph(db, models, monkeypatch):
    User, Tweet, _, _ = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    Tweet.create(user=ann, reviewer=bob, content="hello")
    recorder = Recorder(db, monkeypatch)
    rows = [(t.content, t.user.username, t.reviewer_id) for t in Tweet.select(Tweet, User).join(User)]
    assert rows == [("hello", "ann", bob.id)]
    reviewer = User.alias()
    query = (
        Tweet.select(Tweet, User, reviewer)
        .join(User)
        .switch(Tweet)
        .join(reviewer, on=Tweet.reviewer)
    )
    assert [(t.user.username, t.reviewer.username) for t in query] == [("ann", "bob")]
    assert len(recorder.statements) == 2


# -- lateral joins -------------------------------------------------------------------------------


@pytest.mark.backends("postgres")
def test_lateral_join_columns_become_attributes(db, models):
    User, Tweet, _, _ = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    User.create(username="cat")
    for user, content in [(ann, "a1"), (ann, "a2"), (ann, "a3"), (bob, "b1")]:
        Tweet.create(user=user, content=content)
    latest = (
        Tweet.select(Tweet.content, Tweet.id)
        .where(Tweet.user == User.id)
        .order_by(Tweet.id.desc())
        .limit(2)
        .alias("latest")
    )
    query = (
        User.select(User, latest.c.content)
        .join(latest, JOIN.LATERAL)
        .order_by(User.username, latest.c.id.desc())
    )
    rows = [(type(u), u.username, u.content) for u in query]
    assert rows == [(User, "ann", "a3"), (User, "ann", "a2"), (User, "bob", "b1")]
    outer = (
        User.select(User.username, latest.c.content)
        .join(latest, JOIN.LEFT_LATERAL, on=True)
        .order_by(User.username, latest.c.id.desc())
    )
    assert [(u.username, u.content) for u in outer] == [
        ("ann", "a3"), ("ann", "a2"), ("bob", "b1"), ("cat", None),
    ]
    assert list(outer.dicts())[-1] == {"username": "cat", "content": None}
    # attr= names nothing for a lateral join: the columns still land on the row object.
    named = (
        User.select(User, latest.c.content)
        .join(latest, JOIN.LEFT_LATERAL, on=True, attr="newest")
        .order_by(User.username, latest.c.id.desc())
    )
    rows = [(u.username, u.content, hasattr(u, "newest")) for u in named]
    assert rows[-1] == ("cat", None, False) and rows[0] == ("ann", "a3", False)


def test_joined_subquery_columns_hang_on_a_nested_object(db, models, monkeypatch):
    from peewee import Table, fn

    User, Tweet, _, _ = models
    ann = User.create(username="ann")
    User.create(username="bob")
    Tweet.create(user=ann, content="x")
    Tweet.create(user=ann, content="y")
    counts = Tweet.select(Tweet.user, fn.COUNT(Tweet.id).alias("ct")).group_by(Tweet.user).alias("counts")
    recorder = Recorder(db, monkeypatch)
    # A model subquery: an instance of its model, named after the model (or attr=).
    query = User.select(User, counts.c.ct).join(counts, JOIN.LEFT_OUTER, on=(counts.c.user_id == User.id))
    rows = [(u.username, u.tweet and type(u.tweet), u.tweet and u.tweet.ct) for u in query.order_by(User.id)]
    assert rows == [("ann", Tweet, 2), ("bob", None, None)]
    assert not hasattr(query.order_by(User.id).get(), "ct")
    named = User.select(User.username, counts.c.ct).join(
        counts, on=(counts.c.user_id == User.id), attr="stats"
    )
    assert [(u.username, u.stats.ct) for u in named] == [("ann", 2)]
    # A table-level subquery: a dict named after its alias.
    table = Table("tweet")
    per_user = table.select(table.c.user_id, fn.COUNT(table.c.id).alias("ct")).group_by(table.c.user_id).alias("per_user")
    query = User.select(User, per_user.c.ct).join(per_user, on=(per_user.c.user_id == User.id))
    assert [(u.username, u.per_user) for u in query] == [("ann", {"ct": 2})]
    # dicts() stay flat
    assert list(named.dicts()) == [{"username": "ann", "ct": 2}]
    assert len(recorder.statements) == 5


# -- recursive deletes ---------------------------------------------------------------------------


def test_dependencies_are_ordered_dependents_first(models):
    User, Tweet, Comment, Attachment = models
    ann = User.create(username="ann")
    names = [(fk.model.__name__, fk.name) for _, fk in ann.dependencies()]
    assert names == [
        ("Attachment", "comment"),
        ("Comment", "author"),
        ("Comment", "tweet"),
        ("Tweet", "user"),
        ("Tweet", "reviewer"),
    ]
    strict = [(fk.model.__name__, fk.name) for _, fk in ann.dependencies(search_nullable=False)]
    assert strict == [("Attachment", "comment"), ("Comment", "tweet"), ("Tweet", "user")]


def test_delete_instance_recursive_statements(db, models, monkeypatch):
    User, Tweet, Comment, Attachment = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    own = Tweet.create(user=ann, content="mine")
    other = Tweet.create(user=bob, reviewer=ann, content="theirs")
    on_own = Comment.create(tweet=own, author=bob)
    by_ann = Comment.create(tweet=other, author=ann)
    Attachment.create(comment=on_own)
    Attachment.create(comment=by_ann)
    recorder = Recorder(db, monkeypatch)
    assert ann.delete_instance(recursive=True) == 1
    verbs = [re.match(r'(DELETE|UPDATE) (?:FROM )?[`"](\w+)', sql).group(1, 2) for sql in recorder.statements]
    verbs = [" ".join(pair) for pair in verbs]
    assert verbs == [
        "DELETE attachment", "UPDATE comment", "DELETE comment", "DELETE tweet", "UPDATE tweet", "DELETE user",
    ]
    # ann's tweet, its comment and that comment's attachment are gone; rows that only named ann
    # through a nullable key stay, with the key cleared.
    assert [t.content for t in Tweet.select()] == ["theirs"]
    assert Tweet.get().reviewer_id is None
    assert [(c.tweet_id, c.author_id) for c in Comment.select()] == [(other.id, None)]
    assert [a.comment_id for a in Attachment.select()] == [by_ann.id]


def test_delete_instance_recursive_delete_nullable(db, models):
    User, Tweet, Comment, Attachment = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    other = Tweet.create(user=bob, reviewer=ann, content="reviewed by ann")
    kept = Tweet.create(user=bob, content="kept")
    by_ann = Comment.create(tweet=kept, author=ann)
    Attachment.create(comment=by_ann)
    ann.delete_instance(recursive=True, delete_nullable=True)
    assert [t.content for t in Tweet.select()] == ["kept"]
    assert Comment.select().count() == 0 and Attachment.select().count() == 0
    assert [u.username for u in User.select()] == ["bob"]
    assert other.id not in [t.id for t in Tweet.select()]


# -- saving --------------------------------------------------------------------------------------


def test_only_save_dirty_writes_changed_columns(db, monkeypatch):
    class Note(Model):
        title = CharField()
        body = TextField(default="")
        views = IntegerField(default=0)

        class Meta:
            only_save_dirty = True

    db.bind([Note])
    db.create_tables([Note])
    note = Note.create(title="t")
    assert not note.is_dirty() and note.dirty_fields == []
    recorder = Recorder(db, monkeypatch)
    note.views = 3
    assert note.dirty_fields == [Note.views]
    assert note.save() == 1
    q = db.dialect.quote_name
    assert recorder.statements[-1].startswith("UPDATE %s SET %s = " % (q("note"), q("views")))
    assert "title" not in recorder.statements[-1]
    assert note.save() is False  # nothing left to write: no statement
    assert len(recorder.statements) == 1
    loaded = Note.get_by_id(note.id)
    assert loaded.dirty_fields == [] and loaded.save() is False
    loaded.title = "new"
    loaded.body = "b"
    assert loaded.save(only=[Note.body]) == 1  # only= wins over the dirty set
    fresh = Note.get_by_id(note.id)
    assert (fresh.title, fresh.body, fresh.views) == ("t", "b", 3)
    assert loaded.dirty_fields == [Note.title]


def test_get_or_create_survives_a_concurrent_insert(db, backend, models, monkeypatch, tmp_path):
    User, _, _, _ = models
    if backend == "sqlite":
        from peewee import SqliteDatabase

        other = SqliteDatabase(db.database)
    else:
        other = backends.peewee_database(backend)
    original_create = User.create.__func__
    raced = []

    def create_after_someone_else(cls, **kwargs):
        # Another connection inserts the same username between our SELECT and our INSERT.
        if not raced:
            raced.append(True)
            with other.bind_ctx([User]):
                User.insert(username=kwargs["username"], visits=99).execute()
        return original_create(cls, **kwargs)

    monkeypatch.setattr(User, "create", classmethod(create_after_someone_else))
    try:
        user, created = User.get_or_create(username="ann", defaults={"visits": 1})
    finally:
        other.close()
    assert created is False and (user.username, user.visits) == ("ann", 99)
    assert User.select().count() == 1
    # The connection is still usable after the failed insert (PostgreSQL aborts the transaction).
    assert User.get_or_create(username="bob")[1] is True


def test_get_or_create_reraises_other_integrity_errors(models):
    User, Tweet, _, _ = models
    with pytest.raises(IntegrityError):
        Tweet.get_or_create(content="x", defaults={"user": None})
    assert Tweet.select().count() == 0


def test_bulk_update_runs_one_statement_per_batch(db, models, monkeypatch):
    User, _, _, _ = models
    users = [User.create(username="u%d" % i) for i in range(7)]
    for i, user in enumerate(users):
        user.visits = i * 10
        user.username = "n%d" % i
    recorder = Recorder(db, monkeypatch)
    assert User.bulk_update(users, fields=["visits", User.username], batch_size=3) == 7
    assert len(recorder.statements) == 3
    assert all(sql.startswith("UPDATE") and "CASE" in sql for sql in recorder.statements)
    rows = [(u.username, u.visits) for u in User.select().order_by(User.id)]
    assert rows == [("n%d" % i, i * 10) for i in range(7)]
    assert not any(u.is_dirty() for u in users)


def test_create_table_fail_silently_is_an_old_spelling(db):
    class Thing(Model):
        name = CharField()

    db.bind([Thing])
    with pytest.warns(DeprecationWarning, match='"fail_silently" .* use "safe"'):
        Thing.create_table(fail_silently=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Thing.create_table(True)  # positional safe flag, as old code wrote it
    assert Thing.table_exists()
    with pytest.warns(DeprecationWarning):
        Thing.drop_table(fail_silently=True)
    assert not Thing.table_exists()


# -- raw queries and streaming -------------------------------------------------------------------


def test_raw_rows_and_missing_row_message(db, models):
    User, _, _, _ = models
    User.create(username="ann", visits=2)
    User.create(username="bob", visits=5)
    q, p = db.dialect.quote_name, db.dialect.param
    sql = "SELECT id, username, visits * 2 AS doubled FROM %s WHERE visits > %s ORDER BY id" % (q("user"), p)
    rows = list(User.raw(sql, 1))
    assert [(type(u), u.username, u.doubled) for u in rows] == [(User, "ann", 4), (User, "bob", 10)]
    assert "doubled" not in rows[0].__data__  # extra columns are plain attributes
    assert list(User.raw(sql, 3).dicts()) == [{"id": rows[1].id, "username": "bob", "doubled": 10}]
    assert [tuple(r) for r in User.raw(sql, 3).tuples()] == [(rows[1].id, "bob", 10)]
    assert [r.username for r in User.raw(sql, 1).iterator()] == ["ann", "bob"]
    with pytest.raises(User.DoesNotExist) as info:
        User.raw(sql, 100).get()
    assert str(info.value) == (
        "<Model: User> instance matching query does not exist:\nSQL: %s\nParams: [100]" % sql
    )


def test_get_message_names_model_sql_and_params(sqlite_db):
    User, Tweet, Comment, Attachment = make_models()
    sqlite_db.bind([User, Tweet, Comment, Attachment])
    sqlite_db.create_tables([User])
    expected = (
        '<Model: User> instance matching query does not exist:\nSQL: SELECT "t1"."id", '
        '"t1"."username", "t1"."visits" FROM "user" AS "t1" WHERE ("t1"."username" = ?) '
        "LIMIT ? OFFSET ?\nParams: ['zed', 1, 0]"
    )
    with pytest.raises(User.DoesNotExist) as info:
        User.get(User.username == "zed")
    assert str(info.value) == expected
    with pytest.raises(User.DoesNotExist) as info:
        User.select().where(User.username == "zed").get()
    assert str(info.value) == expected
    with pytest.raises(User.DoesNotExist) as info:
        User.get_by_id(7)
    assert str(info.value) == expected.replace('("t1"."username" = ?)', '("t1"."id" = ?)').replace("'zed'", "7")


def test_iterator_streams_model_rows_without_keeping_them(db, models):
    User, _, _, _ = models
    User.insert_many([("u%04d" % i, i) for i in range(1500)], fields=[User.username, User.visits]).execute()
    query = User.select().order_by(User.id)
    alive = []
    refs = []
    total = 0
    for user in query.iterator():
        total += user.visits
        refs.append(weakref.ref(user))
        if len(refs) % 500 == 0:
            gc.collect()
            alive.append(sum(1 for r in refs if r() is not None))
    del user
    assert total == sum(range(1500))
    assert max(alive) <= 1  # only the row being looked at is still referenced
    assert query._cursor_wrapper.row_cache == []
    # a plain iteration caches every row instead
    assert len(list(query.clone())) == 1500


# -- writes on every backend ----------------------------------------------------------------------


@pytest.mark.backends("sqlite", "mysql")
def test_replace_many_replaces_rows_with_the_same_unique_key(db, backend, models):
    User, _, _, _ = models
    User.insert_many([("ann", 1), ("bob", 2)], fields=[User.username, User.visits]).execute()
    query = User.replace_many([{"username": "ann", "visits": 10}, {"username": "cat", "visits": 3}])
    verb = "INSERT OR REPLACE INTO" if backend == "sqlite" else "REPLACE INTO"
    assert query.sql()[0].startswith(verb + " ")
    query.execute()
    rows = [(u.username, u.visits) for u in User.select().order_by(User.username)]
    assert rows == [("ann", 10), ("bob", 2), ("cat", 3)]
    User.replace_many([("bob", 20)], fields=[User.username, User.visits]).execute()
    assert User.get(User.username == "bob").visits == 20
    assert User.select().count() == 3


@pytest.mark.backends("sqlite", "postgres")
def test_returning_rows_as_each_row_type(db, models):
    User, _, _, _ = models
    rows = User.insert_many([{"username": "a", "visits": 1}, {"username": "b", "visits": 2}]).returning(
        User.id, User.username
    ).execute()
    rows = list(rows)
    assert [(type(u), u.username) for u in rows] == [(User, "a"), (User, "b")]
    assert [u.id for u in rows] == [u.id for u in User.select().order_by(User.id)]
    query = User.update(visits=User.visits * 10).where(User.username == "b").returning(User.visits)
    assert list(query.tuples().execute()) == [(20,)]
    query = User.delete().where(User.username == "a").returning(User.username, User.visits)
    assert list(query.dicts().execute()) == [{"username": "a", "visits": 1}]
    assert [u.username for u in User.select()] == ["b"]


def test_new_keys_are_set_by_every_insert_path(db, models):
    User, _, _, _ = models
    created = User.create(username="a")
    saved = User(username="b")
    saved.save()
    inserted = User.insert(username="c").execute()
    keys = [u.id for u in User.select().order_by(User.id)]
    assert keys == [created.id, saved.id, inserted]
    assert all(isinstance(k, int) for k in keys) and len(set(keys)) == 3


def test_unbound_model_writes_say_to_bind_it():
    from peewee import InterfaceError

    User, _, _, _ = make_models()
    message = 'Query must be bound to a database in order to call "execute"'
    for action in (
        lambda: User(username="x").save(),
        lambda: User.create(username="x"),
        lambda: User.get_by_id(1),
        lambda: User.get_or_create(username="x"),
        lambda: User.insert_many([{"username": "x"}]).execute(),
        lambda: User.bulk_create([User(username="x")]),
        lambda: User.raw("SELECT 1").execute(),
    ):
        with pytest.raises(InterfaceError, match=message):
            action()


def test_insert_many_of_nothing_runs_nothing(db, models, monkeypatch):
    User, _, _, _ = models
    recorder = Recorder(db, monkeypatch)
    assert User.insert_many([]).execute() is None
    assert User.insert_many(iter([]), fields=[User.username]).execute() is None
    assert User.replace_many([]).execute() is None
    User.bulk_create([])
    assert recorder.statements == []


def test_insert_from_result_per_backend(db, backend, models):
    User, _, _, _ = models
    User.insert_many([("a", 1), ("b", 2)], fields=[User.username, User.visits]).execute()
    query = User.insert_from(
        User.select(User.username.concat("-copy"), User.visits).where(User.visits > 1),
        [User.username, User.visits],
    )
    result = query.execute()
    copy = User.get(User.username == "b-copy")
    if backend == "postgres":
        # RETURNING gives the new keys, as one-element tuples
        assert [tuple(row) for row in result] == [(copy.id,)]
    else:
        # the last inserted row id
        assert result == copy.id
    assert User.select().count() == 3


def test_join_with_a_condition_attaches_under_the_compared_key(db, models, monkeypatch):
    User, Tweet, Comment, _ = models
    ann = User.create(username="ann")
    bob = User.create(username="bob")
    Tweet.create(user=ann, reviewer=bob, content="t")
    recorder = Recorder(db, monkeypatch)
    # Two keys from Tweet to User: the one compared in ``on`` names the attribute.
    tweet = Tweet.select(Tweet, User).join(User, on=(Tweet.reviewer == User.id)).get()
    assert tweet.reviewer.username == "bob" and tweet.user_id == ann.id
    user = User.select(User, Tweet).join(Tweet, on=(Tweet.reviewer == User.id)).get()
    assert (user.username, user.reviewer.content) == ("bob", "t")
    # One key (Comment.tweet): a back-reference is named after the joined model.
    Comment.create(tweet=Tweet.get(), body="c")
    found = Tweet.select(Tweet, Comment).join(Comment, on=(Comment.tweet == Tweet.id)).get()
    assert found.comment.body == "c"
    assert len(recorder.statements) == 5  # one per query: nothing loaded lazily


def test_self_join_through_an_alias_with_a_condition(db):
    class Category(Model):
        name = CharField()
        parent = ForeignKeyField("self", null=True, backref="children")

    db.bind([Category])
    db.create_tables([Category])
    root = Category.create(name="root")
    Category.create(name="kid", parent=root)
    Parent = Category.alias("p")
    query = (
        Category.select(Category.name, Parent.name.alias("parent_name"))
        .join(Parent, on=(Category.parent == Parent.id))
        .order_by(Category.id)
    )
    assert [(c.name, c.parent.parent_name) for c in query] == [("kid", "root")]
    assert list(query.dicts()) == [{"name": "kid", "parent_name": "root"}]


def test_joined_table_columns_hang_on_a_dict(db, models):
    from peewee import Table

    User, _, _, _ = models
    ann = User.create(username="ann")
    db.execute_sql("CREATE TABLE extra (user_id INTEGER, note VARCHAR(20))")
    db.execute_sql("INSERT INTO extra VALUES (%s, 'hi')" % ann.id)
    extra = Table("extra", ("user_id", "note"))
    query = User.select(User, extra.note).join(extra, on=(extra.user_id == User.id))
    assert [(u.username, u.extra) for u in query] == [("ann", {"note": "hi"})]
    aliased = extra.alias("ex")
    query = User.select(User.username, aliased.note).join(aliased, on=(aliased.user_id == User.id))
    assert [(u.username, u.ex) for u in query] == [("ann", {"note": "hi"})]
    assert list(query.tuples()) == [("ann", "hi")]


def test_bulk_update_to_null_on_every_backend(db):
    import datetime

    from peewee import BooleanField, DateTimeField

    class Event(Model):
        name = CharField()
        when = DateTimeField(null=True)
        done = BooleanField(default=False)

    db.bind([Event])
    db.create_tables([Event])
    start = datetime.datetime(2024, 1, 1, 9)
    events = [Event.create(name="e%d" % i, when=start) for i in range(3)]
    for event in events:
        event.when = None
        event.done = True
    Event.bulk_update(events, fields=[Event.when, Event.done], batch_size=2)
    assert [(e.when, e.done) for e in Event.select().order_by(Event.id)] == [(None, True)] * 3
    events[0].when = start
    events[1].name = "renamed"
    Event.bulk_update(events, fields=["when", "name"])
    rows = [(e.name, e.when) for e in Event.select().order_by(Event.id)]
    assert rows == [("e0", start), ("renamed", None), ("e2", None)]


@pytest.mark.backends("postgres")
def test_get_or_create_race_inside_a_transaction(db, models, monkeypatch):
    # Inside an open transaction the failed insert is undone to a savepoint, so the transaction
    # goes on (PostgreSQL, READ COMMITTED: the other writer's row is visible at once).
    User, _, _, _ = models
    other = backends.peewee_database("postgres")
    original_create = User.create.__func__

    def create_after_someone_else(cls, **kwargs):
        with other.bind_ctx([User]):
            User.insert(username=kwargs["username"], visits=42).execute()
        return original_create(cls, **kwargs)

    monkeypatch.setattr(User, "create", classmethod(create_after_someone_else))
    try:
        with db.atomic():
            User.insert(username="before").execute()
            user, created = User.get_or_create(username="ann")
            assert (created, user.visits) == (False, 42)
            monkeypatch.undo()
            User.insert(username="after").execute()
    finally:
        other.close()
    assert sorted(u.username for u in User.select()) == ["after", "ann", "before"]
