"""Field types: JSON documents, custom fields, date parts, bit fields, defaults, keys."""

from __future__ import annotations

import datetime
import decimal

from peewee import (
    BigAutoField,
    BigBitField,
    BitField,
    BooleanField,
    CharField,
    CompositeKey,
    DateField,
    DateTimeField,
    DecimalField,
    IntegerField,
    JSONField,
    Model,
    TextField,
)

from compat.registry import scenario


def _profiles(db):
    class Profile(Model):
        name = CharField()
        data = JSONField(null=True)

        class Meta:
            database = db

    db.create_tables([Profile])
    Profile.create(name="ann", data={"age": 30, "langs": ["en", "no"], "city": {"name": "Oslo"}})
    Profile.create(name="bob", data={"age": 9, "langs": ["it"], "pets": 2})
    Profile.create(name="cy", data=["not", "an", "object"])
    Profile.create(name="dee", data=None)
    return Profile


@scenario()
def json_documents(db, obs):
    P = _profiles(db)
    obs.rows("all", P.select(P.name, P.data).order_by(P.id).tuples())
    obs.rows("path", P.select(P.name, P.data["city"]["name"]).order_by(P.id).tuples())
    obs.rows("path_eq", P.select(P.name).where(P.data["city"]["name"] == "Oslo").tuples())
    obs.rows("index", P.select(P.name).where(P.data.path("langs", 0) == "it").tuples())
    obs.rows("in", P.select(P.name).where(P.data["age"].in_([9, 40])).tuples())
    obs.rows("is_null", P.select(P.name).where(P.data["pets"].is_null()).order_by(P.id).tuples())
    obs.rows("eq_doc", P.select(P.name).where(P.data == ["not", "an", "object"]).tuples())
    obs.rows("gt", P.select(P.name).where(P.data["age"] > 10).tuples())
    obs.sql("sql_path", P.select(P.data["a"]["b"]).where(P.data["x"] == 1))


@scenario()
def json_updates(db, obs):
    P = _profiles(db)
    for label, expr in [
        ("set", lambda: P.data["age"].set(31)),
        ("update", lambda: P.data.update({"pets": 3})),
        ("remove", lambda: P.data["langs"].remove()),
    ]:
        try:
            node = expr()
        except Exception as exc:
            obs.raised(label, exc)
            continue
        obs.call(label, lambda node=node: P.update(data=node).where(P.name == "ann").execute())
    obs.rows("after", P.select(P.data).where(P.name == "ann").tuples())
    obs.rows(
        "contains",
        P.select(P.name).where(P.data.contains({"age": 9})).tuples()
        if hasattr(P.data, "contains")
        else [],
    )
    obs.rows(
        "has_key",
        P.select(P.name).where(P.data.has_key("pets")).tuples()
        if hasattr(P.data, "has_key")
        else [],
    )


@scenario()
def custom_field_type(db, obs):
    class ListField(TextField):
        field_type = "TEXT"

        def db_value(self, value):
            return None if value is None else ",".join(value)

        def python_value(self, value):
            return None if value is None else value.split(",")

    class Doc(Model):
        tags = ListField(null=True)

        class Meta:
            database = db

    db.create_tables([Doc])
    Doc.create(tags=["a", "b"])
    Doc.create(tags=None)
    obs.rows("read", Doc.select(Doc.tags).order_by(Doc.id).tuples())
    obs.rows("where", Doc.select(Doc.id).where(Doc.tags == ["a", "b"]).tuples())
    obs.rows("in", Doc.select(Doc.id).where(Doc.tags.in_([["a", "b"], ["c"]])).tuples())
    obs.rows("like_not_converted", Doc.select(Doc.id).where(Doc.tags.contains("a,")).tuples())


@scenario()
def date_parts_and_defaults(db, obs):
    class Event(Model):
        when = DateTimeField(default=lambda: datetime.datetime(2024, 5, 6, 7, 8, 9))
        day = DateField(null=True)
        flag = BooleanField(default=False)
        kind = CharField(default="x", choices=[("x", "X"), ("y", "Y")])
        amount = DecimalField(max_digits=8, decimal_places=2, auto_round=True, null=True)

        class Meta:
            database = db

    db.create_tables([Event])
    e = Event.create(day=datetime.date(2023, 2, 28), amount=decimal.Decimal("1.005"))
    obs.value("defaults", (e.when, e.flag, e.kind, e.amount))
    obs.rows(
        "parts",
        Event.select(
            Event.when.year, Event.when.month, Event.when.day, Event.when.hour, Event.day.year
        ).tuples(),
    )
    obs.rows("filter_year", Event.select(Event.id).where(Event.when.year == 2024).tuples())
    obs.rows(
        "trunc",
        Event.select(
            Event.when.truncate("day") if hasattr(Event.when, "truncate") else Event.id
        ).tuples(),
    )
    obs.rows("read", Event.select(Event.when, Event.day, Event.flag, Event.amount).tuples())


@scenario()
def bit_fields(db, obs):
    class Perm(Model):
        flags = BitField(default=0)
        is_read = flags.flag(1)
        is_write = flags.flag(2)
        data = BigBitField()

        class Meta:
            database = db

    db.create_tables([Perm])
    p = Perm.create()
    p.is_write = True
    p.data.set_bit(3)
    p.data.set_bit(9)
    p.save()
    p = Perm.get_by_id(p.id)
    obs.value("flags", (p.flags, p.is_read, p.is_write, p.data.is_set(3), p.data.is_set(4)))
    obs.rows("where", Perm.select(Perm.id).where(Perm.is_write == True).tuples())  # noqa: E712
    obs.rows("where_not", Perm.select(Perm.id).where(Perm.is_read == True).tuples())  # noqa: E712


@scenario()
def primary_keys(db, obs):
    class Base(Model):
        class Meta:
            database = db

    class Code(Base):
        code = CharField(primary_key=True)
        n = IntegerField(default=0)

    class Pair(Base):
        a = IntegerField()
        b = IntegerField()
        v = CharField(null=True)

        class Meta:
            primary_key = CompositeKey("a", "b")

    class Big(Base):
        id = BigAutoField()
        name = CharField()

    class NoPk(Base):
        x = IntegerField()

        class Meta:
            primary_key = False

    db.create_tables([Code, Pair, Big, NoPk])
    obs.call("create_code", lambda: Code.create(code="k1").code)
    c = Code.get_by_id("k1")
    c.n = 5
    obs.call("save_code", c.save)
    obs.call("save_new_code", lambda: Code(code="k2").save())
    obs.call("force_insert", lambda: Code(code="k2").save(force_insert=True))
    obs.call("pair_create", lambda: Pair.create(a=1, b=2, v="x").get_id())
    obs.call("pair_get", lambda: Pair.get((Pair.a == 1) & (Pair.b == 2)).v)
    obs.call("pair_by_id", lambda: Pair.get_by_id((1, 2)).v)
    p = Pair.get((Pair.a == 1) & (Pair.b == 2))
    p.v = "y"
    obs.call("pair_save", p.save)
    obs.call("big", lambda: Big.create(name="b").id)
    obs.call("nopk", lambda: NoPk.insert(x=1).execute())
    obs.rows("nopk_rows", NoPk.select().tuples())
    obs.rows("codes", Code.select().order_by(Code.code).tuples())
