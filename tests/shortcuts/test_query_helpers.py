"""insert_where and resolve_multimodel_query on every backend."""

from __future__ import annotations

import datetime

from peewee import SQL, CharField, DateTimeField, IntegerField, Model, fn
from playhouse.shortcuts import insert_where, resolve_multimodel_query


def test_insert_where_writes_only_while_the_condition_holds(db):
    class Event(Model):
        name = CharField()
        count = IntegerField(default=3)
        at = DateTimeField(default=lambda: datetime.datetime(2024, 1, 2, 3, 4, 5))

        class Meta:
            database = db

    db.create_tables([Event])
    data = {Event.name: "boot"}
    query = insert_where(Event, data, where=~fn.EXISTS(Event.select().where(Event.name == "boot")))
    assert set(data) == {Event.name, Event.count, Event.at}  # defaults filled in place
    q = db.dialect.param
    sql, params = query.sql()
    assert sql.startswith("INSERT INTO %s (" % db.dialect.quote_name("event"))
    assert " SELECT %s, %s, %s WHERE NOT EXISTS(SELECT " % (q, q, q) in sql
    assert params[-1] == "boot"
    assert query.execute() == 1
    assert query.execute() == 0
    assert insert_where(Event, {"name": "other", "count": 1}).execute() == 1
    rows = list(Event.select(Event.name, Event.count, Event.at).order_by(Event.id).tuples())
    assert rows == [
        ("boot", 3, datetime.datetime(2024, 1, 2, 3, 4, 5)),
        ("other", 1, datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ]


def test_resolve_multimodel_query_gives_each_row_its_model(db):
    class Base(Model):
        class Meta:
            database = db

    class Person(Base):
        name = CharField()

    class Place(Base):
        title = CharField()

    db.create_tables([Person, Place])
    Person.create(name="ann")
    Person.create(name="cy")
    Place.create(title="bay")
    query = (
        Person.select(Person.id, Person.name) | Place.select(Place.id, Place.title)
    ).order_by(SQL("2"))
    objects = list(resolve_multimodel_query(query))
    assert [(type(o).__name__, o.name) for o in objects] == [
        ("Person", "ann"),
        ("Place", "bay"),
        ("Person", "cy"),
    ]
    assert all(isinstance(o.id, int) for o in objects)
    sql, params = query.sql()
    assert params[-2:] == ["person", "place"] or params == ["person", "place"]
    assert sql.count('AS %s' % db.dialect.quote_name("_model_identifier")) == 2

    custom = Person.select(Person.name) | Person.select(Person.name)
    assert [o.name for o in resolve_multimodel_query(custom, key="src")] in (
        ["ann", "cy"],
        ["cy", "ann"],
    )
    assert "src" in custom.sql()[0]
