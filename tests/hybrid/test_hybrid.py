"""Hybrid properties and methods: Python on instances, SQL on the model class."""

from __future__ import annotations

import pytest

from peewee import IntegerField, Model, fn
from playhouse.hybrid import hybrid_method, hybrid_property


@pytest.fixture
def Interval(db):
    class Interval(Model):
        start = IntegerField()
        end = IntegerField()

        class Meta:
            database = db

        @hybrid_property
        def length(self):
            return self.end - self.start

        @hybrid_method
        def contains(self, point):
            return (self.start <= point) & (self.end > point)

        @hybrid_property
        def radius(self):
            return abs(self.length) / 2

        @radius.expression
        def radius(cls):
            return fn.ABS(cls.length) / 2

    db.create_tables([Interval])
    for start, end in [(1, 5), (2, 3), (0, 10), (7, 4)]:
        Interval.create(start=start, end=end)
    return Interval


def test_property_runs_python_on_instances(Interval):
    interval = Interval(start=1, end=5)
    assert interval.length == 4
    assert interval.radius == 2.0
    assert Interval(start=7, end=4).radius == 1.5
    assert interval.contains(3) is True
    assert interval.contains(5) is False


def test_property_builds_sql_on_the_class(Interval, db):
    q = db.dialect.param
    quote = db.dialect.quote_name
    sql, params = Interval.select().where(Interval.length > 2).sql()
    assert sql.endswith("WHERE ((%s.%s - %s.%s) > %s)" % (quote("t1"), quote("end"), quote("t1"), quote("start"), q))
    assert params == [2]
    lengths = sorted(i.length for i in Interval.select().where(Interval.length > 2))
    assert lengths == [4, 10]
    sql, params = Interval.select().where(Interval.radius < 2).sql()
    column = "%s.%s" % (quote("t1"), "%s")
    assert sql.endswith("WHERE ((ABS(%s - %s) / %s) < %s)" % (
        column % quote("end"), column % quote("start"), q, q))
    assert params == [2, 2]
    by_radius = Interval.select().where(Interval.radius < 2).order_by(Interval.id)
    assert [(i.start, i.end) for i in by_radius] == [(2, 3), (7, 4)]
    sizes = Interval.select(Interval.length.alias("size")).order_by(Interval.length.desc())
    assert [row["size"] for row in sizes.dicts()] == [10, 4, 1, -3]


def test_method_builds_sql_on_the_class(Interval, db):
    q = db.dialect.param
    sql, params = Interval.select().where(Interval.contains(2)).sql()
    assert sql.endswith('WHERE ((%s <= %s) AND (%s > %s))' % (
        '%s.%s' % (db.dialect.quote_name("t1"), db.dialect.quote_name("start")), q,
        '%s.%s' % (db.dialect.quote_name("t1"), db.dialect.quote_name("end")), q,
    ))
    assert params == [2, 2]
    found = Interval.select().where(Interval.contains(2)).order_by(Interval.id)
    assert [(i.start, i.end) for i in found] == [(1, 5), (2, 3), (0, 10)]


def test_setter_deleter_and_missing_ones():
    class Span(Model):
        start = IntegerField()
        end = IntegerField()

        @hybrid_property
        def length(self):
            return self.end - self.start

        @length.setter
        def length(self, value):
            self.end = self.start + value

        @length.deleter
        def length(self):
            self.end = self.start

        @hybrid_property
        def fixed(self):
            return 1

    span = Span(start=3, end=4)
    span.length = 10
    assert span.end == 13 and span.length == 10
    del span.length
    assert span.length == 0
    with pytest.raises(AttributeError, match="Cannot set attribute."):
        span.fixed = 2
    with pytest.raises(AttributeError, match="Cannot delete attribute."):
        del span.fixed
    assert isinstance(Span.__dict__["length"], hybrid_property)


def test_method_expression_override():
    class Window(Model):
        low = IntegerField()
        high = IntegerField()

        @hybrid_method
        def covers(self, lo, hi):
            return self.low <= lo and hi <= self.high

        @covers.expression
        def covers(cls, lo, hi):
            return (cls.low <= lo) & (cls.high >= hi)

    assert Window(low=0, high=9).covers(2, 4) is True
    assert Window(low=3, high=9).covers(2, 4) is False
    sql, params = Window.select(Window.id).where(Window.covers(2, 4)).sql()
    assert sql == 'SELECT "t1"."id" FROM "window" AS "t1" WHERE (("t1"."low" <= ?) AND ("t1"."high" >= ?))'
    assert params == [2, 4]
    method = Window.__dict__["covers"]
    assert isinstance(method, hybrid_method)
    assert method.expression(method.func) is method
