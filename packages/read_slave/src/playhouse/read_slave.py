"""``playhouse.read_slave``: SELECT queries of a model go to read replicas, the rest to the primary.

A model derived from ``ReadSlaveModel`` lists its replicas in ``Meta.read_slaves``.  Its
``select()`` queries (and ``raw()`` queries that start with SELECT) run on the replicas in turn;
writes, DDL, and every query run while the primary is inside a transaction use
``Meta.database``.  A replica that cannot be reached, or whose connection breaks, is skipped
for ``Meta.read_slave_backoff`` seconds (default 5), the read going to the next replica, or to
the primary when none is left.  Which database ran each routed read is logged (DEBUG) on the
``playhouse.read_slave`` logger.

The choice is made when the query runs, so a query built outside ``atomic()`` and run inside it
reads from the primary.  A model bound to another database than its ``Meta.database`` (through
``bind()``, ``bind_ctx()`` or ``Using``), a query bound with ``query.bind(db)`` and a query run
with ``query.execute(db)`` go to that database.
"""
from __future__ import annotations

import itertools
import logging
import time
from typing import Any, Callable, Dict, Iterator, Sequence

from peewee import (
    InterfaceError,
    Model,
    ModelCompoundSelectQuery,
    ModelRaw,
    ModelSelect,
    OperationalError,
)

__all__ = ["ReadSlaveModel", "DEFAULT_BACKOFF"]

logger = logging.getLogger("playhouse.read_slave")

#: Seconds a failed replica is left out when ``Meta.read_slave_backoff`` is not set.
DEFAULT_BACKOFF = 5.0

# id(replica database) -> time.monotonic() before which it is skipped.
_down_until: Dict[int, float] = {}

_FAILURES = (OperationalError, InterfaceError)


def describe(database: Any) -> str:
    """``PostgresqlDatabase 'app' at 127.0.0.1:5433``: a database as the log names it."""
    params = getattr(database, "connect_params", None) or {}
    where = params.get("host")
    if where and params.get("port"):
        where = "%s:%s" % (where, params["port"])
    text = "%s %r" % (type(database).__name__, getattr(database, "database", None))
    return "%s at %s" % (text, where) if where else text


def _replicas(model: Any) -> Sequence[Any]:
    return getattr(model._meta, "read_slaves", None) or ()


def _is_down(replica: Any, now: float) -> bool:
    until = _down_until.get(id(replica))
    return until is not None and now < until


def _mark_down(model: Any, replica: Any, exc: BaseException) -> None:
    backoff = getattr(model._meta, "read_slave_backoff", None)
    backoff = DEFAULT_BACKOFF if backoff is None else float(backoff)
    _down_until[id(replica)] = time.monotonic() + backoff
    try:  # the connection is dead: drop it, so that the next try opens a fresh one
        if not replica.is_closed():
            replica.close()
    except Exception:
        pass  # close() forgets the connection even when the driver fails to close it
    first_line = (str(exc).strip().splitlines() or [""])[0]
    logger.warning("read replica %s failed (%s: %s); skipped for %g s",
                   describe(replica), type(exc).__name__, first_line, backoff)


def _candidates(model: Any, replicas: Sequence[Any]) -> Iterator[Any]:
    """``(position, replica)`` to try, in round-robin order from the next one, skipping those
    backing off."""
    meta = model._meta
    counter = meta.__dict__.get("_read_slave_counter")
    if counter is None:  # setdefault: two threads starting at once share one counter
        counter = meta.__dict__.setdefault("_read_slave_counter", itertools.count())
    count = len(replicas)
    start = next(counter) % count
    now = time.monotonic()
    for offset in range(count):
        replica = replicas[(start + offset) % count]
        if not _is_down(replica, now):
            yield (start + offset) % count + 1, replica


def _run_routed(query: Any, run: Callable[[Any], Any]) -> Any:
    """``run(database)`` on the first replica that answers, else on the query's own database."""
    model = query.model
    replicas = _replicas(model)
    for position, replica in _candidates(model, replicas):
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s: SELECT on read replica %d of %d: %s", model.__name__, position,
                         len(replicas), describe(replica))
        try:
            return run(replica)
        except _FAILURES as exc:
            # A statement the replica rejects fails as it would anywhere; a replica that cannot
            # be reached, or whose connection broke, is left out for a while.
            if replica.is_connection_usable():
                raise
            _mark_down(model, replica, exc)
    primary = query._database
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("%s: SELECT on the primary (no read replica available): %s",
                     model.__name__, describe(primary))
    return run(primary)


def _routable(query: Any, database: Any) -> bool:
    """Whether ``query``, about to run on ``database``, is a read to send to a replica."""
    primary = query._database
    if primary is None or database is not primary:
        return False  # another database was asked for
    if primary is not query.model.__dict__.get("_read_slave_home"):
        return False  # the model is bound to another database than its Meta.database
    if not _replicas(query.model):
        return False
    if primary.in_transaction():
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s: SELECT on the primary (in a transaction): %s",
                         query.model.__name__, describe(primary))
        return False
    return True


class _RoutedReads:
    """Mixed into the model SELECT classes: the database is picked when the query runs."""

    _cursor_wrapper: Any
    _database: Any

    def _execute(self, database: Any) -> Any:
        if self._cursor_wrapper is None and _routable(self, database):
            return _run_routed(self, lambda db: super(_RoutedReads, self)._execute(db))
        return super()._execute(database)  # type: ignore[misc]

    def count(self, database: Any = None, clear_limit: bool = False) -> int:
        if database is None and _routable(self, self._database):
            return _run_routed(self, lambda db: super(_RoutedReads, self).count(db, clear_limit))
        return super().count(database, clear_limit)  # type: ignore[misc]

    def exists(self, database: Any = None) -> bool:
        if database is None and _routable(self, self._database):
            return _run_routed(self, lambda db: super(_RoutedReads, self).exists(db))
        return super().exists(database)  # type: ignore[misc]

    def _compound(self, op: str, rhs: Any) -> Any:
        query = super()._compound(op, rhs)  # type: ignore[misc]
        if type(query) is ModelCompoundSelectQuery:
            query.__class__ = _ReadSlaveCompound
        return query


class _ReadSlaveSelect(_RoutedReads, ModelSelect):
    """``ReadSlaveModel.select()``."""


class _ReadSlaveCompound(_RoutedReads, ModelCompoundSelectQuery):
    """UNION / INTERSECT / EXCEPT of ``ReadSlaveModel`` selects."""


class _ReadSlaveRaw(ModelRaw):  # type: ignore[misc,valid-type]
    """A model raw SELECT that picks its database when it runs."""

    def _execute(self, database: Any) -> Any:
        if self._cursor_wrapper is None and _routable(self, database):
            return _run_routed(self, lambda db: ModelRaw._execute(self, db))
        return super()._execute(database)


class ReadSlaveModel(Model):
    """Base class of models whose reads go to ``Meta.read_slaves``.

    ``Meta.read_slaves``: a sequence of databases holding copies of ``Meta.database``.
    ``Meta.read_slave_backoff``: seconds a replica that failed is skipped (default 5).
    """

    @classmethod
    def validate_model(cls) -> None:
        super().validate_model()
        replicas = getattr(cls._meta, "read_slaves", None)
        if replicas is not None and (
            isinstance(replicas, (str, bytes)) or not hasattr(replicas, "__len__")
        ):
            raise ValueError(
                "%s: Meta.read_slaves must be a list or tuple of databases, not %r."
                % (cls.__name__, replicas)
            )
        # The database the replicas copy: the model reads from them only while bound to it.
        cls._read_slave_home = cls._meta.database

    @classmethod
    def select(cls, *fields: Any) -> Any:
        query = super().select(*fields)
        if type(query) is ModelSelect:
            query.__class__ = _ReadSlaveSelect
        return query

    @classmethod
    def raw(cls, sql: str, *params: Any) -> Any:
        query = super().raw(sql, *params)
        if type(query) is ModelRaw and sql.lstrip()[:6].lower() == "select":
            query.__class__ = _ReadSlaveRaw
        return query

