"""Result wrappers around a DB-API cursor: lazy row cache, iteration, indexing and slicing,
``iterator()`` without caching, and row builders for tuples, dicts, namedtuples and
constructors.  Knows nothing of models (model row builders subclass ``CursorWrapper``)."""

from __future__ import annotations

import re
from collections import namedtuple
from typing import Any, Callable, Iterator, List, Optional

from ..errors import translate_data_error

__all__ = [
    "ROW",
    "CursorWrapper",
    "DictCursorWrapper",
    "NamedTupleCursorWrapper",
    "ObjectCursorWrapper",
    "ResultIterator",
]


class _AttrDict(dict):
    def __getattr__(self, attr: str) -> Any:
        try:
            return self[attr]
        except KeyError:
            raise AttributeError(attr) from None


ROW = _AttrDict(TUPLE=1, DICT=2, NAMED_TUPLE=3, CONSTRUCTOR=4, MODEL=5)

_FETCH_SIZE = 256


class CursorWrapper:
    """Wraps a driver cursor.  Rows are fetched lazily and cached (``row_cache``) so a result
    can be iterated many times; ``iterator()`` streams rows without caching them.

    Subclasses build rows by overriding ``initialize()`` (called once, when the first row
    arrives, to prepare a per-column plan from ``cursor.description``) and ``process_row()``.
    """

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.count = 0
        self.index = 0
        self.initialized = False
        self.populated = False
        self.row_cache: List[Any] = []
        self._buffer: List[Any] = []
        self._buffer_pos = 0

    def __iter__(self) -> Iterator[Any]:
        if self.populated:
            return iter(self.row_cache)
        return ResultIterator(self)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            stop = item.stop
            if stop is None or stop < 0 or (item.start is not None and item.start < 0):
                self.fill_cache()
            else:
                self.fill_cache(stop)
            return self.row_cache[item]
        if isinstance(item, int):
            self.fill_cache(item + 1 if item >= 0 else 0)
            return self.row_cache[item]
        raise ValueError("CursorWrapper only supports integer and slice indexes.")

    def __len__(self) -> int:
        self.fill_cache()
        return self.count

    def initialize(self) -> None:
        """Prepare per-query state from ``self.cursor.description`` (called once)."""

    def process_row(self, row: Any) -> Any:
        return row

    def _fetch(self) -> Optional[Any]:
        buf = self._buffer
        pos = self._buffer_pos
        if pos >= len(buf):
            if self.populated:
                return None
            try:
                buf = self._buffer = self.cursor.fetchmany(_FETCH_SIZE)
            except Exception as exc:  # reading rows can fail too: report it as peewee does
                raise translate_data_error(exc) from exc
            pos = 0
            if not buf:
                self._buffer_pos = 0
                return None
        self._buffer_pos = pos + 1
        return buf[pos]

    def _finish(self) -> None:
        self.populated = True
        try:
            self.cursor.close()
        except Exception:  # the driver may have closed it already
            pass

    def iterate(self, cache: bool = True) -> Any:
        row = self._fetch()
        if row is None:
            self._finish()
            raise StopIteration
        if not self.initialized:
            self.initialize()
            self.initialized = True
        self.count += 1
        result = self.process_row(row)
        if cache:
            self.row_cache.append(result)
        return result

    def iterator(self) -> Iterator[Any]:
        """Stream the rows without caching them (rows already cached come first)."""
        if self.row_cache:
            yield from list(self.row_cache)
        while True:
            try:
                yield self.iterate(False)
            except StopIteration:
                return

    def fill_cache(self, n: int = 0) -> None:
        n = n or 0
        if n < 0:
            raise ValueError("Negative values are not supported.")
        iterate = self.iterate
        try:
            if n <= 0:
                while not self.populated:
                    iterate()
            else:
                while not self.populated and len(self.row_cache) < n:
                    iterate()
        except StopIteration:
            pass


class ResultIterator:
    """Iterates a ``CursorWrapper``: cached rows first, then fetches (and caches) more."""

    __slots__ = ("cursor_wrapper", "index")

    def __init__(self, cursor_wrapper: CursorWrapper) -> None:
        self.cursor_wrapper = cursor_wrapper
        self.index = 0

    def __iter__(self) -> "ResultIterator":
        return self

    def __next__(self) -> Any:
        wrapper = self.cursor_wrapper
        if self.index < wrapper.count:
            obj = wrapper.row_cache[self.index]
        elif not wrapper.populated:
            obj = wrapper.iterate()
        else:
            raise StopIteration
        self.index += 1
        return obj


_IDENTIFIER = re.compile(r"[^\W\d]\w*")


def make_identifier(name: str) -> str:
    """The first identifier in the last dotted part of ``name`` (``COUNT("t1"."id")`` gives
    ``id``), or ``name`` itself when it has none."""
    found = _IDENTIFIER.search(name.rsplit(".", 1)[-1])
    return found.group() if found is not None else name


def dedupe_columns(names: Any, identifiers: bool = True) -> List[str]:
    """Unique names for a row's columns: a repeated name gets ``_2``, ``_3``... (``id``, ``id_2``);
    with ``identifiers`` each name is first reduced by ``make_identifier()``."""
    out: List[str] = []
    seen: dict = {}
    for name in names:
        if identifiers:
            name = make_identifier(name)
        while name in seen:
            seen[name] += 1
            name = "%s_%s" % (name, seen[name])
        seen[name] = 1
        out.append(name)
    return out


def _column_names(description: Any, identifiers: bool) -> List[str]:
    names = []
    for item in description or ():
        name = item[0]
        if isinstance(name, bytes):
            name = name.decode("utf8")
        names.append(name)
    return dedupe_columns(names, identifiers)


class DictCursorWrapper(CursorWrapper):
    """Rows as dicts keyed by the column names the driver reports (a repeated name gets a
    ``_2``, ``_3``... suffix)."""

    identifiers = False

    def initialize(self) -> None:
        self.columns = _column_names(self.cursor.description, self.identifiers)
        self._ncols = len(self.columns)

    def process_row(self, row: Any) -> dict:
        return dict(zip(self.columns, row))


class NamedTupleCursorWrapper(CursorWrapper):
    """Rows as namedtuples (one class per query, built once); field names are the column names
    reduced to identifiers."""

    def initialize(self) -> None:
        self.columns = _column_names(self.cursor.description, True)
        self.tuple_class = namedtuple("Row", self.columns, rename=True)  # type: ignore[misc]
        self._make = self.tuple_class._make

    def process_row(self, row: Any) -> Any:
        return self._make(row)


class ObjectCursorWrapper(DictCursorWrapper):
    """Rows passed as keyword arguments to ``constructor`` (column names reduced to
    identifiers)."""

    identifiers = True

    def __init__(self, cursor: Any, constructor: Callable[..., Any]) -> None:
        super().__init__(cursor)
        self.constructor = constructor

    def process_row(self, row: Any) -> Any:
        return self.constructor(**dict(zip(self.columns, row)))
