"""Misuse and edge cases: the exception class raised for bad input, empty results, re-use of
consumed queries."""

from __future__ import annotations

from peewee import (
    JOIN,
    CharField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelSelect,
    Table,
    fn,
)

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


@scenario()
def bad_queries(db, obs):
    User, Tweet, Favorite = seed_twitter(db)

    class Lonely(Model):
        x = IntegerField()

        class Meta:
            database = db

    obs.call("join_unrelated", lambda: User.select().join(Lonely).sql())
    obs.call("unknown_field_kwarg", lambda: User.select().where(User.id == 1).filter(nope=1).sql())
    obs.call("insert_unknown", lambda: User.insert(nope=1).sql())
    obs.call("create_unknown_attr", lambda: User(nope=1).nope)
    obs.call("insert_many_empty", lambda: User.insert_many([]).execute())
    obs.call("insert_many_mixed", lambda: User.insert_many([{"username": "x"}, ("y",)]).sql())
    obs.call("update_nothing", lambda: User.update().execute())
    obs.call("update_unknown", lambda: User.update(nope=1).sql())
    obs.call("limit_negative", lambda: User.select().limit(-1).sql())
    obs.call("get_by_id_none", lambda: User.get_by_id(None))
    obs.call("index_empty", lambda: User.select().where(User.id < 0)[0])
    obs.call("get_empty", lambda: User.select().where(User.id < 0).get())
    obs.call("first_empty", lambda: User.select().where(User.id < 0).first())
    obs.call("scalar_empty", lambda: User.select(User.id).where(User.id < 0).scalar())
    obs.call("negative_index", lambda: User.select().order_by(User.id)[-1])
    obs.call("bad_operator_value", lambda: User.select().where(User.id == object()).sql())
    obs.call(
        "compound_mismatch",
        lambda: list((User.select(User.id) | Tweet.select(Tweet.id, Tweet.likes)).tuples()),
    )
    obs.call("select_no_columns", lambda: User.select().select().sql())
    obs.call("cte_without_with", lambda: User.select().cte("c").select_from(fn.COUNT(1)).sql())
    obs.call("table_no_columns", lambda: Table("t").select().sql())
    obs.call("delete_instance_unsaved", lambda: User().delete_instance())
    obs.call("save_no_pk_model", lambda: User.get_by_id(1).save(force_insert=True))
    obs.call(
        "left_join_filter",
        lambda: User.select().join(Tweet, JOIN.LEFT_OUTER).where(Tweet.id.is_null()).count(),
    )


@scenario()
def consumed_and_cached_queries(db, obs):
    User, Tweet, _ = seed_twitter(db)
    q = User.select().order_by(User.id)
    obs.value("first_pass", [u.username for u in q])
    obs.value("second_pass_cached", [u.username for u in q])
    it = User.select().order_by(User.id).iterator()
    obs.value("iterator_once", [u.username for u in it])
    obs.value("iterator_again", [u.username for u in it])
    q = User.select().order_by(User.id)
    obs.value("len", len(q))
    User.create(username="late")
    obs.value("cached_after_insert", len(q))
    obs.value("clone_sees_new", len(q.clone()))
    obs.value("is_model_select", isinstance(q, ModelSelect))
    obs.value("bool_empty", bool(User.select().where(User.id < 0)))
    obs.value("contains", User.get_by_id(1) in User.select())


@scenario()
def model_misuse(db, obs):
    def define_duplicate_backref():
        class A(Model):
            class Meta:
                database = db

        class B(Model):
            a = ForeignKeyField(A, backref="bs")
            a2 = ForeignKeyField(A, backref="bs")

            class Meta:
                database = db

    obs.call("duplicate_backref", define_duplicate_backref)

    def reserved_name():
        class C(Model):
            name = CharField()
            select_ = CharField(column_name="select")

            class Meta:
                database = db

        db.create_tables([C])
        C.create(name="x", select_="y")
        return [(c.name, c.select_) for c in C.select()]

    obs.call("reserved_column", reserved_name)

    def bad_field_name():
        class D(Model):
            save = CharField()

            class Meta:
                database = db

    obs.call("field_shadows_method", bad_field_name)
    obs.call(
        "not_null_missing",
        lambda: db.create_tables([_not_null_model(db)]) or _not_null_model.created.create(),
    )


def _not_null_model(db):
    class E(Model):
        must = CharField()

        class Meta:
            database = db
            table_name = "e_table"

    _not_null_model.created = E
    return E


@scenario()
def reprs_and_messages(db, obs):
    User, Tweet, _ = seed_twitter(db)
    u = User.get_by_id(1)
    obs.value("instance", (repr(u), str(u)))
    obs.value("unsaved", repr(User(username="x")))
    obs.value("model", repr(User))
    obs.value("field", (repr(User.username), repr(Tweet.user)))
    q = User.select().where((User.username == "it's") & (User.age > 3)).order_by(User.id).limit(2)
    obs.value("query_str", str(q))
    obs.value("update_str", str(User.update(age=1).where(User.id.in_([1, 2]))))
    try:
        User.get(User.username == "nobody")
    except User.DoesNotExist as exc:
        obs.value("does_not_exist", str(exc))
    try:
        User.get_by_id(99)
    except User.DoesNotExist as exc:
        obs.value("get_by_id_message", str(exc))
