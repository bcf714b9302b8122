"""Cursor wrappers over real driver cursors: lazy caching, indexing, slicing, streaming, row types."""

import pytest

from peewee import Table
from peewee.sql import (
    ROW,
    CursorWrapper,
    DictCursorWrapper,
    NamedTupleCursorWrapper,
    ObjectCursorWrapper,
)

N_ROWS = 600  # more than one internal fetch batch


@pytest.fixture
def numbers(db):
    q = db.dialect.quote_name
    db.execute_sql(
        "CREATE TABLE %s (%s INTEGER NOT NULL PRIMARY KEY, %s VARCHAR(20))"
        % (q("num"), q("n"), q("label"))
    )
    table = Table("num", ("n", "label")).bind(db)
    table.insert([(i, "n%d" % i) for i in range(N_ROWS)], columns=[table.n, table.label]).execute()
    return table


def _cursor(db, limit=N_ROWS):
    q = db.dialect.quote_name
    sql = "SELECT %s, %s FROM %s ORDER BY %s LIMIT %d" % (
        q("n"),
        q("label"),
        q("num"),
        q("n"),
        limit,
    )
    return db.execute_sql(sql)


def test_rows_are_fetched_lazily_and_cached(db, numbers):
    wrapper = CursorWrapper(_cursor(db))
    assert wrapper.row_cache == [] and not wrapper.populated
    assert wrapper[2] == (2, "n2")
    assert len(wrapper.row_cache) == 3
    assert wrapper[0:5] == [(i, "n%d" % i) for i in range(5)]
    assert len(wrapper.row_cache) == 5
    assert len(wrapper) == N_ROWS and wrapper.populated
    assert wrapper[-1] == (N_ROWS - 1, "n%d" % (N_ROWS - 1))
    assert list(wrapper) == list(wrapper)  # iterating again replays the cache
    assert [r[0] for r in wrapper][:3] == [0, 1, 2]


def test_partial_iteration_then_full_iteration_sees_every_row_once(db, numbers):
    wrapper = CursorWrapper(_cursor(db, 10))
    it = iter(wrapper)
    assert [next(it)[0] for _ in range(3)] == [0, 1, 2]
    assert [r[0] for r in wrapper] == list(range(10))
    assert wrapper.count == 10


def test_iterator_does_not_cache(db, numbers):
    wrapper = CursorWrapper(_cursor(db))
    seen = sum(1 for _ in wrapper.iterator())
    assert seen == N_ROWS
    assert wrapper.row_cache == []


def test_fill_cache_limits(db, numbers):
    wrapper = CursorWrapper(_cursor(db, 20))
    wrapper.fill_cache(7)
    assert len(wrapper.row_cache) == 7 and not wrapper.populated
    wrapper.fill_cache()
    assert len(wrapper.row_cache) == 20 and wrapper.populated
    with pytest.raises(IndexError):
        wrapper[25]


def test_row_builders(db, numbers):
    dicts = DictCursorWrapper(_cursor(db, 2))
    assert list(dicts) == [{"n": 0, "label": "n0"}, {"n": 1, "label": "n1"}]
    named = NamedTupleCursorWrapper(_cursor(db, 2))
    rows = list(named)
    assert [(r.n, r.label) for r in rows] == [(0, "n0"), (1, "n1")]
    assert type(rows[0]) is type(rows[1])  # one class per result

    class Num:
        def __init__(self, n, label):
            self.text = "%s=%s" % (label, n)

    objects = ObjectCursorWrapper(_cursor(db, 2), Num)
    assert [o.text for o in objects] == ["n0=0", "n1=1"]


def test_empty_result(db, numbers):
    wrapper = DictCursorWrapper(_cursor(db, 0))
    assert list(wrapper) == [] and len(wrapper) == 0
    assert wrapper[0:3] == []


def test_row_type_constants():
    assert {ROW.TUPLE, ROW.DICT, ROW.NAMED_TUPLE, ROW.CONSTRUCTOR, ROW.MODEL} == {1, 2, 3, 4, 5}


def test_select_uses_cursor_wrapper_per_row_type(numbers):
    q = numbers.select(numbers.n).where(numbers.n < 2).order_by(numbers.n)
    assert isinstance(q.execute(), DictCursorWrapper)
    assert isinstance(q.tuples().execute(), CursorWrapper)
    assert list(q.namedtuples())[1].n == 1
    assert q.execute() is q.execute()  # executed once, then cached
