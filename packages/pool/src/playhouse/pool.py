"""``playhouse.pool``: pooled twins of the core databases.  ``connect()`` takes a connection from
the pool (opening one only when none is idle), ``close()`` gives it back.

Knows the core databases only through the connection hooks ``_connect()``/``_close()`` and the
drivers' connection objects; nothing here knows of models or SQL.
"""
from __future__ import annotations

import heapq
import logging
import os
import select
import threading
import time
from collections import namedtuple
from typing import Any, Dict, List, Optional, Tuple

from peewee import MySQLDatabase, PostgresqlDatabase, SqliteDatabase

__all__ = [
    "MaxConnectionsExceeded",
    "PooledDatabase",
    "PooledMySQLDatabase",
    "PooledPostgresqlDatabase",
    "PooledSqliteDatabase",
]

logger = logging.getLogger("peewee.pool")


class MaxConnectionsExceeded(ValueError):
    """Every connection the pool may open is in use (and waiting, if allowed, did not help)."""


#: A checked-out connection: when it was opened and when it was handed out
#: (``time.monotonic()`` seconds).
PoolConnection = namedtuple("PoolConnection", ("timestamp", "connection", "checked_out"))


def _number(value: Any) -> Any:
    """Pool options may arrive as text (e.g. from a database URL): make them numbers."""
    if value is None or isinstance(value, (int, float)):
        return value
    try:
        return int(value)
    except ValueError:
        return float(value)


def _wait_seconds(timeout: Any) -> Optional[float]:
    """``timeout`` as a wait: ``None`` (never wait), ``inf`` (``0``: wait forever) or seconds."""
    timeout = _number(timeout)
    if timeout is None:
        return None
    if timeout == 0:
        return float("inf")
    return float(timeout)


def _socket_quiet(fileno: Any) -> bool:
    """True when nothing is waiting to be read on the socket ``fileno`` (no waiting).

    Between statements a server sends nothing unless it is ending the session, so a quiet socket
    belongs to a live connection; a readable one needs a round trip to tell.
    """
    try:
        fd = fileno()
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            return not poller.poll(0)
        return not select.select([fd], [], [], 0)[0]
    except (OSError, ValueError, TypeError, AttributeError):
        return False


# Per-backend checks --------------------------------------------------------------------------------
class _Probe:
    """How the pool tells whether an idle connection still works (``alive``) and puts a returned
    one back into a clean state (``reset``), for drivers it knows nothing about."""

    @staticmethod
    def alive(db: Any, conn: Any) -> bool:
        return True

    @staticmethod
    def reset(db: Any, conn: Any) -> bool:
        try:
            db._rollback(conn)
        except Exception:
            return False
        return True


class _SqliteProbe(_Probe):
    @staticmethod
    def alive(db: Any, conn: Any) -> bool:
        try:
            return conn.total_changes >= 0  # raises once the connection is closed
        except Exception:
            return False

    @staticmethod
    def reset(db: Any, conn: Any) -> bool:
        try:
            if conn.in_transaction:
                db._rollback(conn)
            return not conn.in_transaction
        except Exception:
            return False


class _PostgresProbe(_Probe):
    @staticmethod
    def _status(conn: Any) -> Optional[int]:
        if conn.closed:
            return None
        status = conn.get_transaction_status()
        return None if status == 4 else status  # 4: TRANSACTION_STATUS_UNKNOWN (link broken)

    @classmethod
    def alive(cls, db: Any, conn: Any) -> bool:
        try:
            status = cls._status(conn)
            if status is None:
                return False
            if status == 0 and _socket_quiet(conn.fileno):  # 0: TRANSACTION_STATUS_IDLE
                return True
            if status != 0:
                db._rollback(conn)
            else:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT 1")
            return cls._status(conn) == 0
        except Exception:
            return False

    @classmethod
    def reset(cls, db: Any, conn: Any) -> bool:
        try:
            status = cls._status(conn)
            if status is None:
                return False
            if status != 0:  # in a transaction (or a failed one): end it
                db._rollback(conn)
                return cls._status(conn) == 0
            return True
        except Exception:
            return False


_MYSQL_IN_TRANS = 1  # SERVER_STATUS_IN_TRANS


class _MySQLProbe(_Probe):
    @staticmethod
    def alive(db: Any, conn: Any) -> bool:
        if getattr(conn, "open", True) is False:
            return False
        sock = getattr(conn, "_sock", None)  # pymysql; other drivers always ping
        if sock is not None and _socket_quiet(sock.fileno):
            return True
        try:
            try:
                conn.ping(False)  # never let the driver reconnect behind the pool's back
            except TypeError:
                conn.ping()
        except Exception:
            return False
        return True

    @staticmethod
    def reset(db: Any, conn: Any) -> bool:
        if getattr(conn, "open", True) is False:
            return False
        status = getattr(conn, "server_status", None)
        if status is not None and not status & _MYSQL_IN_TRANS:
            return True
        try:
            db._rollback(conn)
        except Exception:
            return False
        return True


def _probe_for(db: Any) -> type:
    if isinstance(db, PostgresqlDatabase):
        return _PostgresProbe
    if isinstance(db, MySQLDatabase):
        return _MySQLProbe
    if isinstance(db, SqliteDatabase):
        return _SqliteProbe
    return _Probe


# The mixin ----------------------------------------------------------------------------------------
class PooledDatabase:
    """Mixin turning a database class into a pooled one: put it first among the bases,
    ``class PooledX(PooledDatabase, X): pass``.

    ``max_connections`` bounds the connections open at once (``None`` or ``0``: no bound);
    ``stale_timeout`` (seconds) retires connections opened longer ago than that when they are
    returned or next taken; ``timeout`` is how long ``connect()`` waits for a free slot when all
    are in use (``None``: not at all, ``0``: for ever) before raising ``MaxConnectionsExceeded``.
    """

    def __init__(
        self,
        database: Any,
        max_connections: Optional[int] = 20,
        stale_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        **kwargs: Any,
    ) -> None:
        self._max_connections = _number(max_connections)
        self._stale_timeout = _number(stale_timeout)
        self._wait_timeout = _wait_seconds(timeout)
        self._pool_lock = threading.RLock()
        self._pool_available = threading.Condition(self._pool_lock)
        #: Idle connections, a heap of ``(opened, counter, connection)``: the oldest first.
        self._connections: List[Tuple[float, int, Any]] = []
        self._heap_counter = 0
        #: Checked-out connections by ``id()``: ``PoolConnection`` records.
        self._in_use: Dict[int, PoolConnection] = {}
        #: Slots granted to ``connect()`` calls that have not got their connection yet.
        self._reserved = 0
        #: Setup generation (``_state.hooks_version``) of idle connections, by ``id()``.
        self._idle_versions: Dict[int, int] = {}
        #: Per thread: whether ``connect()`` holds a slot not yet filled, and the setup
        #: generation of the connection it reused.
        self._local = threading.local()
        #: The process whose connections these are (a forked child must not use them).
        self._owner_pid = os.getpid()
        self.conn_key = id
        self._probe = _probe_for(self)
        if isinstance(self, SqliteDatabase):
            # The pool hands a connection to one thread at a time, but not always the same one.
            kwargs.setdefault("check_same_thread", False)
        super().__init__(database, **kwargs)  # type: ignore[call-arg]

    def init(
        self,
        database: Any,
        max_connections: Optional[int] = None,
        stale_timeout: Optional[float] = None,
        timeout: Optional[float] = None,
        **connect_kwargs: Any,
    ) -> None:
        """As ``Database.init()``; a pool option that is given (not ``None``) replaces the old."""
        super().init(database, **connect_kwargs)  # type: ignore[misc]
        if max_connections is not None:
            self._max_connections = _number(max_connections)
        if stale_timeout is not None:
            self._stale_timeout = _number(stale_timeout)
        if timeout is not None:
            self._wait_timeout = _wait_seconds(timeout)

    # Slots -------------------------------------------------------------------------------------
    def _full(self) -> bool:
        limit = self._max_connections
        return bool(limit) and len(self._in_use) + self._reserved >= limit

    def _reserve_slot(self) -> None:
        """Take one slot, waiting for one as ``timeout`` allows."""
        wait = self._wait_timeout
        with self._pool_lock:
            if not self._full():
                self._reserved += 1
                return
            if not wait:
                raise MaxConnectionsExceeded(
                    "Exceeded maximum connections (max_connections=%s)." % self._max_connections
                )
            deadline = time.monotonic() + wait
            while self._full():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if not self._full():
                        self._pool_available.notify()  # pass on a wake-up meant for us
                    raise MaxConnectionsExceeded(
                        "Max connections exceeded (max_connections=%s), timed out attempting to "
                        "connect after waiting %g seconds." % (self._max_connections, wait)
                    )
                self._pool_available.wait(min(remaining, 60.0))
            self._reserved += 1

    def _release_slot(self) -> None:
        """Called with the pool lock held: one slot is free again."""
        self._pool_available.notify()

    # Connecting --------------------------------------------------------------------------------
    def connect(self, reuse_if_open: bool = False) -> bool:
        """Take a connection from the pool for this thread (waiting as ``timeout`` allows)."""
        if self.deferred or not self.is_closed():  # type: ignore[attr-defined]
            return super().connect(reuse_if_open)  # type: ignore[misc]
        self._reserve_slot()
        local = self._local
        local.slot = True
        local.reused = None
        try:
            opened = super().connect(reuse_if_open)  # type: ignore[misc]
        finally:
            if local.slot:  # no connection came out of it: give the slot back
                local.slot = False
                with self._pool_lock:
                    self._reserved -= 1
                    self._release_slot()
        if opened and local.reused is not None:
            # A reused connection carries the setup it had (SQLite brings it up to date with
            # functions registered since, before the next statement).
            self._state.hooks_version = local.reused  # type: ignore[attr-defined]
        return opened

    def _connect(self) -> Any:
        local = self._local
        if not getattr(local, "slot", False):  # called directly rather than through connect()
            with self._pool_lock:
                if self._full():
                    raise MaxConnectionsExceeded(
                        "Exceeded maximum connections (max_connections=%s)."
                        % self._max_connections
                    )
                self._reserved += 1
            local.slot = True
            local.reused = None
            try:
                return self._checkout()
            finally:
                if local.slot:  # nothing came of it: give the slot back
                    local.slot = False
                    with self._pool_lock:
                        self._reserved -= 1
                        self._release_slot()
        return self._checkout()

    def _checkout(self) -> Any:
        """Fill this thread's reserved slot: the oldest idle connection that is still good, or
        a new one."""
        local = self._local
        stale = self._stale_timeout
        while True:
            with self._pool_lock:
                if not self._connections:
                    break
                opened, _, conn = heapq.heappop(self._connections)
                key = self.conn_key(conn)
                version = self._idle_versions.pop(key, 0)
            if stale and self._is_stale(opened):
                logger.debug("Connection %s was stale, closing.", key)
                self._close_raw(conn)
                continue
            if self._is_closed(conn):
                logger.debug("Connection %s was closed, discarding.", key)
                self._close_raw(conn)
                continue
            with self._pool_lock:
                local.reused = version
                self._hand_over(key, opened, conn)
            return conn
        conn = super()._connect()  # type: ignore[misc]
        key = self.conn_key(conn)
        logger.debug("Created new connection %s.", key)
        with self._pool_lock:
            self._hand_over(key, time.monotonic(), conn)
        return conn

    def _hand_over(self, key: int, opened: float, conn: Any) -> None:
        """With the pool lock held: the reserved slot now holds ``conn``."""
        self._in_use[key] = PoolConnection(opened, conn, time.monotonic())
        self._reserved -= 1
        self._local.slot = False

    # Checks (override points, as in peewee) ---------------------------------------------------
    def _is_stale(self, timestamp: float) -> bool:
        """Whether a connection opened at ``timestamp`` (``time.monotonic()``) is too old."""
        return time.monotonic() - timestamp > self._stale_timeout

    def _is_closed(self, conn: Any) -> bool:
        """Checked before an idle connection is handed out: True if it no longer works."""
        return not self._probe.alive(self, conn)

    def _can_reuse(self, conn: Any) -> bool:
        """Checked when a connection is returned: end any transaction left open; False if the
        connection cannot be put back in a clean state."""
        return self._probe.reset(self, conn)

    # Returning ---------------------------------------------------------------------------------
    def _close_raw(self, conn: Any) -> None:
        try:
            super()._close(conn)  # type: ignore[misc]
        except Exception:
            logger.debug("Error closing connection %s.", self.conn_key(conn), exc_info=True)

    def _close(self, conn: Any, close_conn: bool = False) -> None:
        """Return ``conn`` to the pool (``close_conn=True``: close it and forget it)."""
        key = self.conn_key(conn)
        if close_conn:
            with self._pool_lock:
                owned = self._in_use.pop(key, None) is not None
            self._close_raw(conn)
            if owned:
                with self._pool_lock:
                    self._release_slot()
            return
        record = self._in_use.get(key)  # only this thread hands this connection back
        if record is None:
            logger.debug("Connection %s not in use, ignoring close.", key)
            return
        keep = False
        state = self._state  # type: ignore[attr-defined]
        if state.conn is not conn:
            # Given up by the database (the server dropped it, or setting it up failed).
            logger.debug("Connection %s was given up, closing.", key)
        elif self._stale_timeout and self._is_stale(record.timestamp):
            logger.debug("Closing stale connection %s on check-in.", key)
        elif not self._can_reuse(conn):
            logger.debug("Connection %s not reusable, closing.", key)
        else:
            keep = True
        if not keep:
            self._close_raw(conn)
        with self._pool_lock:
            if self._in_use.pop(key, None) is None:
                return  # closed meanwhile by close_all() / close_stale()
            if keep:
                self._heap_counter += 1
                heapq.heappush(self._connections, (record.timestamp, self._heap_counter, conn))
                self._idle_versions[key] = state.hooks_version
            self._release_slot()

    def manual_close(self) -> bool:
        """Close this thread's connection for good instead of returning it to the pool; False if
        none was open."""
        if self.is_closed():  # type: ignore[attr-defined]
            return False
        conn = self._state.conn  # type: ignore[attr-defined]
        with self._pool_lock:
            owned = self._in_use.pop(self.conn_key(conn), None) is not None
        self.close()  # type: ignore[attr-defined]  (no longer in use: not returned)
        self._close_raw(conn)
        if owned:
            with self._pool_lock:
                self._release_slot()
        return True

    def close_idle(self) -> None:
        """Close every connection waiting in the pool (those in use are left alone)."""
        with self._pool_lock:
            idle, self._connections = self._connections, []
            self._idle_versions.clear()
        for _, _, conn in idle:
            self._close_raw(conn)

    def close_stale(self, age: float = 600) -> int:
        """Close the connections checked out more than ``age`` seconds ago, even though a thread
        holds them; returns how many were closed."""
        cutoff = time.monotonic() - age
        with self._pool_lock:
            stale = [(k, r) for k, r in self._in_use.items() if r.checked_out < cutoff]
            for key, _ in stale:
                del self._in_use[key]
        for _, record in stale:
            self._close_raw(record.connection)
        with self._pool_lock:
            self._pool_available.notify_all()
        return len(stale)

    def close_all(self) -> None:
        """Return this thread's connection, then close every connection, idle or in use."""
        self.close()  # type: ignore[attr-defined]
        with self._pool_lock:
            idle, self._connections = self._connections, []
            in_use, self._in_use = self._in_use, {}
            self._idle_versions.clear()
        for _, _, conn in idle:
            self._close_raw(conn)
        for record in in_use.values():
            self._close_raw(record.connection)
        with self._pool_lock:
            self._pool_available.notify_all()

    def dispose(self) -> None:
        """In a child process after ``fork()``: forget every connection inherited from the parent,
        idle or in use, without closing any (closing would end the parent's sessions).

        In the process that opened the connections: as the core ``dispose()``, close the current
        thread's connection for good whatever its state (an open transaction is abandoned, driver
        errors are ignored) and free its slot; the other connections are left alone.
        """
        if os.getpid() != self._owner_pid:
            with self._lock:  # type: ignore[attr-defined]
                self._state.reset()  # type: ignore[attr-defined]
            with self._pool_lock:
                # Kept referenced: a driver connection that is garbage-collected says goodbye
                # to the server (psycopg2 does), which would end the parent's session.
                self._inherited = getattr(self, "_inherited", []) + [
                    conn for _, _, conn in self._connections
                ] + [record.connection for record in self._in_use.values()]
                self._connections = []
                self._in_use = {}
                self._reserved = 0
                self._idle_versions.clear()
                self._owner_pid = os.getpid()
                self._pool_available.notify_all()
            return
        with self._lock:  # type: ignore[attr-defined]
            state = self._state  # type: ignore[attr-defined]
            conn = None if state.closed else state.conn
            state.reset()
        if conn is None:
            return
        with self._pool_lock:
            owned = self._in_use.pop(self.conn_key(conn), None) is not None
        self._close_raw(conn)
        if owned:
            with self._pool_lock:
                self._release_slot()


class PooledSqliteDatabase(PooledDatabase, SqliteDatabase):
    """A ``SqliteDatabase`` whose connections are pooled (``check_same_thread`` defaults to
    ``False``: a connection may serve another thread after it was returned)."""


class PooledPostgresqlDatabase(PooledDatabase, PostgresqlDatabase):
    """A ``PostgresqlDatabase`` whose connections are pooled."""


class PooledMySQLDatabase(PooledDatabase, MySQLDatabase):
    """A ``MySQLDatabase`` (MySQL or MariaDB) whose connections are pooled."""
