"""The fast paths give exactly what the general code gives: rendered SELECT templates, generated
row builders, and ``save()`` that keeps no per-instance containers."""

from __future__ import annotations

import datetime

import pytest

import peewee.model_query as model_query
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def make_user(db):
    class HotUser(Model):
        name = CharField()
        age = IntegerField(null=True)
        seen = DateTimeField(null=True)
        active = BooleanField(null=True)

        class Meta:
            database = db
            table_name = "hot_user"

    db.create_tables([HotUser])
    return HotUser


def load(User):
    base = datetime.datetime(2024, 5, 1, 12, 30, 15)
    User.insert_many(
        [
            ("ann", 30, base, True),
            ("bob", None, None, None),
            ("cid", 41, base + datetime.timedelta(days=3), False),
            ("dee", 17, base.replace(hour=9), True),
        ],
        fields=[User.name, User.age, User.seen, User.active],
    ).execute()


def queries(User):
    since = datetime.datetime(2024, 5, 2)
    return [
        User.select().where(User.age > 20).order_by(User.name).limit(2),
        User.select().where((User.age > 20) & (User.name != "zed") | (User.active == True))  # noqa: E712
        .order_by(User.name.desc(), User.id).limit(3).offset(1),
        User.select(User.name, User.seen).where(User.seen >= since),
        User.select().where(User.name == "bob"),
        User.select().where(User.age.is_null()),
        User.select().order_by(User.id),
    ]


def rows(query):
    return [
        (list(query.clone()), [u.__data__ for u in query.clone()]),
        list(query.clone().tuples()),
        list(query.clone().dicts()),
    ]


def test_select_templates_match_the_general_rendering(db, monkeypatch):
    User = make_user(db)
    with db:
        load(User)
        fast = []
        for _ in range(3):  # the first round fills the caches, the others use them
            fast.append([(q.sql(), rows(q)[1:], rows(q)[0][1]) for q in queries(User)])
        monkeypatch.setattr(model_query, "render_select", lambda *args: False)
        monkeypatch.setattr(model_query, "_select_list", lambda returning: None)
        slow = [(q.sql(), rows(q)[1:], rows(q)[0][1]) for q in queries(User)]
    assert fast[0] == fast[1] == fast[2] == slow
    sql, params = slow[0][0]
    assert params == [20, 2] and "ORDER BY" in sql and "LIMIT" in sql


def test_select_templates_follow_column_renames_and_new_fields(db):
    User = make_user(db)
    with db:
        load(User)
        before = User.select().where(User.age > 20).sql()
        User.age.column_name = "years"
        renamed = User.select().where(User.age > 20).sql()
        assert renamed[0] == before[0].replace('"age"', '"years"').replace("`age`", "`years`")
        User.age.column_name = "age"
        User._meta.add_field("nick", CharField(null=True))
        added = User.select().where(User.age > 20).sql()
        assert "nick" in added[0] and added[1] == [20]
        User._meta.remove_field("nick")
        assert User.select().where(User.age > 20).sql() == before


def test_row_builders_convert_like_the_fields(db):
    User = make_user(db)
    with db:
        load(User)
        got = list(User.select().order_by(User.id).tuples())
        assert got[1] == (2, "bob", None, None, None)
        assert got[0][3] == datetime.datetime(2024, 5, 1, 12, 30, 15)
        assert type(got[0][4]) is bool and got[2][4] is False
        dicts = list(User.select().order_by(User.id).dicts())
        assert dicts[3] == {"id": 4, "name": "dee", "age": 17,
                            "seen": datetime.datetime(2024, 5, 1, 9, 30, 15), "active": True}
        users = list(User.select().order_by(User.id))
        assert [u.active for u in users] == [True, None, False, True]
        assert not any(u.is_dirty() for u in users)
        # Single rows (indexing) and streamed rows come from the same builder.
        assert User.select().order_by(User.id)[2].__data__ == users[2].__data__
        assert [u.__data__ for u in User.select().order_by(User.id).iterator()] == [
            u.__data__ for u in users
        ]


@pytest.mark.backends("sqlite")
def test_text_that_is_not_iso_falls_back_to_the_field_formats(db):
    class Stamp(Model):
        at = DateTimeField(formats=["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"])
        plain = DateTimeField(null=True)

        class Meta:
            database = db

    with db:
        db.create_tables([Stamp])
        db.execute_sql(
            "INSERT INTO stamp (at, plain) VALUES ('05/06/2024 10:30', '2024-06-05 10:30:00'),"
            " ('2024-06-05 10:30:00', 'not a date'), ('2024-06-05 11:00:00', '')"
        )
        class Note(Model):
            stamp = ForeignKeyField(Stamp)
            when = DateTimeField()

            class Meta:
                database = db

        db.create_tables([Note])
        db.execute_sql(
            "INSERT INTO note (stamp_id, \"when\") VALUES (1, '2024-01-02 03:04:05'), (2, '2024-01-02'),"
            " (3, '2024-01-02 03:04:05')"
        )
        notes = list(Note.select(Note, Stamp).join(Stamp).order_by(Note.id))
        assert [(n.when, n.stamp.plain) for n in notes] == [
            (datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.datetime(2024, 6, 5, 10, 30)),
            (datetime.datetime(2024, 1, 2), "not a date"),
            (datetime.datetime(2024, 1, 2, 3, 4, 5), ""),
        ]
        got = list(Stamp.select(Stamp.at, Stamp.plain).order_by(Stamp.id).tuples())
        assert got == [
            (datetime.datetime(2024, 6, 5, 10, 30), datetime.datetime(2024, 6, 5, 10, 30)),
            (datetime.datetime(2024, 6, 5, 10, 30), "not a date"),
            (datetime.datetime(2024, 6, 5, 11, 0), ""),
        ]


def test_save_keeps_no_dirty_set(db):
    User = make_user(db)
    with db:
        load(User)
        user = User.get(User.name == "ann")
        user.age += 1
        assert user.is_dirty() and "_dirty" in vars(user)
        assert user.save() == 1
        assert not user.is_dirty() and "_dirty" not in vars(user)
        user.name = "anna"
        assert user.dirty_fields == [User.name]
        user.save()
        assert User.get_by_id(user.id).__data__ == user.__data__
        assert User.get_by_id(user.id).age == 31


def test_chained_queries_stay_independent_of_their_sources(db, tmp_path):
    User = make_user(db)
    load(User)
    first, second = User.select(), User.select()
    assert first._returning is not second._returning
    assert first._from_list is not second._from_list
    assert first._joins is not second._joins
    adults = first.where(User.age > 18)
    ordered = adults.order_by(User.name)
    page = ordered.limit(2)
    assert [u.name for u in page] == ["ann", "cid"]
    assert [u.name for u in ordered] == ["ann", "cid"]
    assert sorted(u.name for u in adults) == ["ann", "cid"]
    assert len(list(first)) == 4 and first._where is None and first._limit is None
    # A join on a clone leaves the original's join list alone.
    joined = first.join(User.alias("other"), on=(User.id == User.alias("other").id))
    assert joined._joins and not first._joins and not second._joins
    assert first.sql() == second.sql()
    # A query's results belong to it: a chained copy runs its own statement.
    assert len(page) == 2 and len(page.limit(1)) == 1 and len(page) == 2


def test_default_selects_follow_the_bound_database(db, tmp_path):
    from peewee import SqliteDatabase

    User = make_user(db)
    load(User)
    assert len(User.select()) == 4
    other = SqliteDatabase(str(tmp_path / "other.db"))
    with other.bind_ctx([User]):
        other.create_tables([User])
        assert User.select()._database is other and len(User.select()) == 0
        other.drop_tables([User])
    assert User.select()._database is db and len(User.select()) == 4

    class Child(User):
        class Meta:
            table_name = "hot_user"

    assert Child.select().model is Child and len(Child.select()) == 4


def _graph(obj, depth=0):
    """Everything a joined row holds: field values, linked objects (or None), extra attributes."""
    if obj is None or depth > 3:
        return obj
    rel = {k: _graph(v, depth + 1) for k, v in obj.__dict__.get("__rel__", {}).items()}
    extra = {k: _graph(v, depth + 1) if isinstance(v, Model) else v
             for k, v in obj.__dict__.items() if not k.startswith("_")}
    return (type(obj).__name__, dict(obj.__data__), rel, extra)


def test_generated_join_builders_match_the_general_builder(db):
    from peewee import JOIN
    from peewee.results import ModelGraphCursorWrapper

    class HotTeam(Model):
        name = CharField()

        class Meta:
            database = db

    class HotMember(Model):
        name = CharField()
        team = ForeignKeyField(HotTeam, null=True, backref="members")

        class Meta:
            database = db

    class HotTask(Model):
        title = CharField()
        member = ForeignKeyField(HotMember, null=True, backref="tasks")

        class Meta:
            database = db

    db.create_tables([HotTeam, HotMember, HotTask])
    red = HotTeam.create(name="red")
    m1, m2 = HotMember.create(name="m1", team=red), HotMember.create(name="m2")
    for title, member in [("t1", m1), ("t2", m2), ("t3", None)]:
        HotTask.create(title=title, member=member)
    Team, Member, Task = HotTeam, HotMember, HotTask
    shapes = [
        Task.select(Task, Member, Team).join(Member, JOIN.LEFT_OUTER).join(Team, JOIN.LEFT_OUTER),
        Task.select(Task.title, Team.name).join(Member, JOIN.LEFT_OUTER)
        .join(Team, JOIN.LEFT_OUTER),
        Task.select(Task, Member).join(Member, JOIN.LEFT_OUTER, attr="owner"),
        Task.select(Task, Member, Team).join(Member).join(Team, JOIN.LEFT_OUTER),
        Team.select(Team, Member, Task).join(Member, JOIN.LEFT_OUTER).join(Task, JOIN.LEFT_OUTER),
        Member.select(Member.name, Team.name).join(Team),
    ]
    for query in shapes:
        query = query.order_by(*query.model._meta.get_primary_keys())
        wrapper = query.execute()
        fast = [_graph(obj) for obj in wrapper]
        assert isinstance(wrapper, ModelGraphCursorWrapper)
        # The generated builder replaced process_row; the class's method is the reference.
        assert wrapper.process_row.__name__ == "build"
        raw = db.execute_sql(*query.sql()).fetchall()
        general = [_graph(ModelGraphCursorWrapper.process_row(wrapper, row)) for row in raw]
        assert fast == general
