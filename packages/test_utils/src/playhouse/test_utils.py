"""Helpers for testing applications: count the statements a block of code sends to the database.

Counting listens to the ``peewee`` logger, where every executed statement is logged as
``(sql, params)``; nothing here touches databases or queries.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, List

__all__ = ["assert_query_count", "count_queries"]

logger = logging.getLogger("peewee")


class _QueryLogHandler(logging.Handler):
    """Keeps every record the ``peewee`` logger itself emits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queries: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "peewee":
            self.queries.append(record)


class count_queries:
    """Context manager counting the statements executed inside its block (with
    ``only_select=True``, only those starting with ``SELECT``); the total is in ``count``
    once the block has ended."""

    def __init__(self, only_select: bool = False) -> None:
        self.only_select = only_select
        self.count = 0

    def get_queries(self) -> List[logging.LogRecord]:
        """The log records of the statements seen so far; each ``msg`` is ``(sql, params)``."""
        return self._handler.queries

    def __enter__(self) -> "count_queries":
        self._handler = _QueryLogHandler()
        self._level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self._handler)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        logger.setLevel(self._level)
        logger.removeHandler(self._handler)
        records = self._handler.queries
        if self.only_select:
            self.count = sum(1 for r in records if r.msg[0].startswith("SELECT "))
        else:
            self.count = len(records)


class assert_query_count(count_queries):
    """Like :class:`count_queries`, then ``AssertionError('<count> != <expected>')`` unless
    exactly ``expected`` statements ran.  Also a decorator."""

    def __init__(self, expected: int, only_select: bool = False) -> None:
        super().__init__(only_select=only_select)
        self.expected = expected

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                result = fn(*args, **kwargs)
            return result

        return wrapper

    def _assert_count(self) -> None:
        # Raised explicitly: an assert statement would vanish under ``python -O``, and test runners
        # that rewrite asserts in modules named test_*.py would change the message.
        if self.count != self.expected:
            raise AssertionError("%s != %s" % (self.count, self.expected))

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        super().__exit__(exc_type, exc_val, exc_tb)
        self._assert_count()
