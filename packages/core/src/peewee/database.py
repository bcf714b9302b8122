"""``Database``: per-thread connection state, statement execution, transactions, introspection and
model binding, plus ``Proxy``/``DatabaseProxy`` and the metadata tuples.

Knows queries only through ``Context`` and models only duck-typed (``model.bind()``,
``model.create_table()``); backend specifics live in ``peewee.backends``.
"""
from __future__ import annotations

import datetime
import logging
import threading
import warnings
from time import perf_counter
from collections import namedtuple
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence

from .dialects.base import Dialect
from .errors import (
    EXCEPTIONS,
    ExceptionWrapper,
    InterfaceError,
    OperationalError,
    translate_data_error,
)
from .sql.context import Context
from .sql.nodes import SQL, NodeList, fn
from .transactions import (
    ConnectionContext,
    ExecutionContext,
    _atomic,
    _callable_context_manager,
    _manual,
    _savepoint,
    _transaction,
)

__all__ = [
    "Database",
    "Proxy",
    "DatabaseProxy",
    "ColumnMetadata",
    "IndexMetadata",
    "ForeignKeyMetadata",
    "ViewMetadata",
    "QueryEvent",
    "SENTINEL",
    "logger",
    "simple_date_time",
    "__exception_wrapper__",
]

logger = logging.getLogger("peewee")

#: Marker for "argument not given" where ``None`` is a meaningful value.
SENTINEL: Any = object()

__exception_wrapper__ = ExceptionWrapper(EXCEPTIONS)

_NOT_INITIALIZED = "Error, database must be initialized before opening a connection."
_LOST_IN_TRANSACTION = (
    "The connection was lost inside a transaction, whose work is rolled back; nothing more can "
    "run until the transaction ends."
)


# Metadata returned by the introspection methods.  The first fields are the ones every peewee
# version has; the trailing ones default so positional construction with the short form works.
ColumnMetadata = namedtuple(
    "ColumnMetadata",
    ("name", "data_type", "null", "primary_key", "table", "default", "full_type", "identity"),
    defaults=(None, False),
)
IndexMetadata = namedtuple("IndexMetadata", ("name", "sql", "columns", "unique", "table"))
ForeignKeyMetadata = namedtuple(
    "ForeignKeyMetadata",
    ("column", "dest_table", "dest_column", "table", "name", "on_delete", "on_update"),
    defaults=(None, None, None),
)
ViewMetadata = namedtuple("ViewMetadata", ("name", "sql"))
#: What each of ``Database.query_hooks`` receives after a statement ran: the SQL text, the
#: parameters as given to ``execute_sql()``, the time taken in seconds and the peewee exception
#: raised (or ``None``).
QueryEvent = namedtuple("QueryEvent", ("sql", "params", "duration", "exception"))


def simple_date_time(value: Any) -> Any:
    """Parse ``'YYYY-MM-DD HH:MM:SS'`` text (as truncated dates come back) to a datetime."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return value


class _ConnectionState:
    """What a database knows about its current connection (one per thread when thread-safe)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        self.closed = True
        self.conn: Any = None
        self.ctx: List[Any] = []
        self.transactions: List[Any] = []
        self.commit_callbacks: List[Callable[[], Any]] = []
        #: True while the implicit transaction of an ``autocommit=False`` database is open.
        self.implicit = False
        #: Which generation of per-connection setup this connection has (backends that can
        #: change the setup of open connections compare it with their own counter).
        self.hooks_version = 0
        #: Set when the server dropped the connection while a transaction was open: what the
        #: transaction wrote is gone, so nothing may reconnect until the transaction ends
        #: (``"block"``: a transaction block is open; ``"implicit"``: the implicit transaction of
        #: an ``autocommit=False`` database, ended by ``commit()``/``rollback()``).
        self.lost: Optional[str] = None

    def set_connection(self, conn: Any) -> None:
        self.conn = conn
        self.closed = False
        self.ctx = []
        self.transactions = []
        self.commit_callbacks = []
        self.implicit = False
        self.hooks_version = 0
        self.lost = None


class _ConnectionLocal(_ConnectionState, threading.local):
    """Connection state kept separately for every thread."""


class _NoopLock:
    __slots__ = ()

    def __enter__(self) -> "_NoopLock":
        return self

    def __exit__(self, *exc: Any) -> None:
        return None


def _wrap_driver_error(exc: BaseException) -> BaseException:
    """Translate a driver exception into the peewee class of the same DB-API name (or return it)."""
    return __exception_wrapper__.translate(exc)


class Database(_callable_context_manager):
    """A database reached through a DB-API 2.0 driver.

    Subclasses implement ``_connect()`` (return a new driver connection) and may override the
    class attributes ``param``, ``quote``, ``field_types`` and ``operations``; they are folded
    into ``self.dialect``, which is what the SQL compiler reads.
    """

    #: The dialect class this database compiles SQL with.
    dialect_class: type = Dialect
    #: Extension points; ``None`` means "whatever the dialect says".
    param: Any = None
    quote: Any = None
    field_types: Any = None
    operations: Any = None
    #: The server's version, filled in on first connect.
    server_version: Any = None
    #: True when the driver connection is put in autocommit mode and transactions are begun
    #: explicitly; False for plain DB-API drivers (each statement outside a transaction is then
    #: followed by ``conn.commit()``).
    driver_autocommit: bool = False
    #: Exceptions whose driver classes mean "this connection is gone".
    context_class: type = Context

    def __init__(
        self,
        database: Any,
        thread_safe: bool = True,
        autorollback: bool = False,
        field_types: Optional[Dict[str, str]] = None,
        operations: Optional[Dict[str, str]] = None,
        autocommit: Optional[bool] = None,
        autoconnect: bool = True,
        **kwargs: Any,
    ) -> None:
        self.autoconnect = autoconnect
        self.autorollback = autorollback
        self.thread_safe = thread_safe
        if thread_safe:
            self._state: _ConnectionState = _ConnectionLocal()
            self._lock: Any = threading.RLock()
        else:
            self._state = _ConnectionState()
            self._lock = _NoopLock()
        if autocommit is not None:
            warnings.warn(
                'The "autocommit" option is deprecated; use atomic() to group statements in a '
                "transaction.",
                DeprecationWarning,
                stacklevel=2,
            )
        self.autocommit = autocommit
        # autocommit=False: every statement outside a transaction joins an implicit one that
        # lasts until commit() or rollback().
        self._implicit_begin = autocommit is False and self.driver_autocommit
        kwargs.pop("threadlocals", None)  # accepted for old code; state is always per thread
        self.dialect = self._build_dialect(field_types, operations)
        self.connect_params: Dict[str, Any] = {}
        self._hooks_installed = False
        #: Callables run with a ``QueryEvent`` after every statement ``execute_sql()`` runs.
        self.query_hooks: List[Callable[[Any], Any]] = []
        self.database: Any = None
        self.deferred = True
        self.init(database, **kwargs)

    # Dialect -----------------------------------------------------------------------------------
    def _build_dialect(
        self, field_types: Optional[Dict[str, str]], operations: Optional[Dict[str, str]]
    ) -> Dialect:
        overrides: Dict[str, Any] = {}
        merged_types: Dict[str, str] = {}
        merged_ops: Dict[str, str] = {}
        for klass in reversed(type(self).__mro__):
            attrs = klass.__dict__
            for name in ("param", "quote"):
                value = attrs.get(name)
                if isinstance(value, str):
                    overrides[name] = value
            if isinstance(attrs.get("field_types"), dict):
                merged_types.update(attrs["field_types"])
            if isinstance(attrs.get("operations"), dict):
                merged_ops.update(attrs["operations"])
        merged_types.update(field_types or {})
        merged_ops.update(operations or {})
        if merged_types:
            overrides["field_types"] = merged_types
        if merged_ops:
            overrides["operations"] = merged_ops
        dialect = self.dialect_class(**overrides)
        # A database class overriding the upsert hooks renders conflicts with its own.
        for hook in ("conflict_statement", "conflict_update"):
            if getattr(type(self), hook) is not getattr(Database, hook):
                setattr(dialect, hook, getattr(self, hook))
        # Mirror the effective values on the instance, as peewee applications read them there.
        self.param = dialect.param
        self.quote = dialect.quote
        self.field_types = dialect.field_types
        self.operations = dialect.operations
        return dialect

    def get_sql_context(self, **context_options: Any) -> Context:
        """A fresh compiler ``Context`` using this database's dialect."""
        return self.context_class(dialect=self.dialect, **context_options)

    def get_context_options(self) -> Dict[str, Any]:
        d = self.dialect
        return {
            "field_types": d.field_types,
            "operations": d.operations,
            "param": d.param,
            "quote": d.quote,
            "compound_select_parentheses": d.compound_select_parentheses,
            "limit_max": d.limit_max,
            "nulls_ordering": d.nulls_ordering,
            "conflict_statement": self.conflict_statement,
            "conflict_update": self.conflict_update,
        }

    #: Translates driver exceptions into peewee's (backends with error-code rules replace it).
    exception_wrapper: ExceptionWrapper = __exception_wrapper__

    # Initialisation ----------------------------------------------------------------------------
    def init(self, database: Any, **kwargs: Any) -> None:
        """(Re)configure the database name and driver parameters; closes an open connection."""
        if not self.is_closed():
            self.close()
        self.deferred = not bool(database)
        self.database = database
        kwargs.pop("threadlocals", None)
        self.connect_params.update(kwargs)

    # Connections -------------------------------------------------------------------------------
    def __enter__(self) -> "Database":
        if self.is_closed():
            self.connect()
            opened = True
        else:
            opened = False
        ctx = self.atomic()
        try:
            ctx.__enter__()
        except BaseException:
            if opened and not self._state.transactions:
                self.dispose()
            raise
        self._state.ctx.append(ctx)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        # The outermost ``with db:`` / ``connection_context()`` block closes the connection.
        ctx = self._state.ctx.pop()
        try:
            ctx.__exit__(exc_type, exc_val, exc_tb)
        finally:
            if not self._state.ctx and not self.is_closed():
                self.close()

    def connection_context(self) -> ConnectionContext:
        """Open a connection for a block or a decorated function, closing it afterwards."""
        return ConnectionContext(self)

    def execution_context(self, with_transaction: bool = True, transaction_type: Any = None) -> ExecutionContext:
        """Old API: run a block on a connection of its own, optionally in a transaction."""
        return ExecutionContext(self, with_transaction=with_transaction)

    def _connect(self) -> Any:
        raise NotImplementedError

    def _close(self, conn: Any) -> None:
        conn.close()

    def _set_server_version(self, conn: Any) -> None:
        self.server_version = None

    def _initialize_connection(self, conn: Any) -> None:
        """Internal hook run on every new connection (kept for subclasses of old code)."""

    def initialize_connection(self, conn: Any) -> None:
        """Hook for subclasses: run on every new connection, after the backend set it up."""

    def connect(self, reuse_if_open: bool = False) -> bool:
        """Open a connection for the current thread; returns False if one was open and reused."""
        with self._lock:
            if self.deferred:
                raise InterfaceError(_NOT_INITIALIZED)
            state = self._state
            if not state.closed:
                if reuse_if_open:
                    return False
                raise OperationalError("Connection already opened.")
            if state.lost is not None:
                self._check_lost()
            state.reset()
            try:
                conn = self._connect()
            except Exception as exc:
                raise self._wrap_error(exc) from exc
            try:
                if self.server_version is None:
                    self._set_server_version(conn)
                    self.dialect.server_version = self.server_version
                self._initialize_connection(conn)
                self.initialize_connection(conn)
            except BaseException as exc:
                try:
                    self._close(conn)
                except Exception:
                    pass
                if isinstance(exc, Exception):
                    raise self._wrap_error(exc) from exc
                raise
            state.set_connection(conn)
        return True

    def close(self) -> bool:
        """Close the current thread's connection; False if it was already closed."""
        with self._lock:
            if self.deferred:
                raise InterfaceError(_NOT_INITIALIZED)
            if self.in_transaction():
                raise OperationalError("Attempting to close database while transaction is open.")
            state = self._state
            is_open = not state.closed
            try:
                if is_open:
                    try:
                        self._close(state.conn)
                    except Exception as exc:
                        raise self._wrap_error(exc) from exc
            finally:
                state.reset()
            return is_open

    def dispose(self) -> None:
        """Close the current thread's connection unconditionally: an open transaction is abandoned
        (the server rolls it back) and errors from the driver are ignored."""
        with self._lock:
            state = self._state
            conn = None if state.closed else state.conn
            try:
                if conn is not None:
                    self._close(conn)
            except Exception:
                pass
            finally:
                state.reset()

    def is_closed(self) -> bool:
        return self._state.closed

    def is_connection_usable(self) -> bool:
        """True when a connection is open and able to run statements."""
        return not self._state.closed

    def connection(self) -> Any:
        """The current thread's driver connection, opened if needed."""
        if self._state.closed:
            self.connect()
        return self._state.conn

    def cursor(self, commit: Any = None, named_cursor: Any = None) -> Any:
        """A new driver cursor on the current connection (connecting when ``autoconnect``)."""
        state = self._state
        if state.closed:
            if not self.autoconnect:
                raise InterfaceError("Error, database connection not opened.")
            self.connect()
        return state.conn.cursor()

    def _connection_lost(self, conn: Any, exc: BaseException) -> bool:
        """Whether ``exc`` left ``conn`` unusable (backends refine this)."""
        return False

    def _check_lost(self) -> None:
        """Raise if the connection was lost inside a transaction that is still open; once the
        transaction has ended, forget the loss so that the next ``connect()`` may reconnect."""
        state = self._state
        if state.lost == "implicit" or (state.lost is not None and state.transactions):
            raise OperationalError(_LOST_IN_TRANSACTION)
        state.lost = None

    def _discard_connection(self) -> None:
        """Forget a connection the server dropped.  Outside a transaction the next statement
        (or ``connect()``) opens a new one; inside one, the transaction is marked lost."""
        state = self._state
        conn = state.conn
        if state.transactions:
            state.lost = "block"
        elif state.implicit:
            state.lost = "implicit"
        state.closed = True
        state.conn = None
        state.implicit = False
        try:
            if conn is not None:
                self._close(conn)
        except Exception:
            pass

    # Execution ---------------------------------------------------------------------------------
    def execute_sql(self, sql: str, params: Optional[Sequence[Any]] = None, commit: Any = None) -> Any:
        """Run one statement and return the driver cursor; logged as ``(sql, params)``."""
        logger.debug((sql, params))
        state = self._state
        if state.closed:
            if not self.autoconnect:
                raise InterfaceError("Error, database connection not opened.")
            self.connect()
        conn = state.conn
        if self._implicit_begin and not state.implicit and not state.transactions:
            self.begin()
        hooks = self.query_hooks
        start = perf_counter() if hooks else 0.0
        try:
            cursor = conn.cursor()
            if params:
                cursor.execute(sql, params)
            else:  # no parameters: the driver must not read "%" in the text as a placeholder
                cursor.execute(sql)
            if not self.driver_autocommit and not state.transactions and self.autocommit is not False:
                conn.commit()
        except Exception as exc:
            self._after_error(conn, exc)
            error = translate_data_error(self._wrap_error(exc))
            if not hooks:
                raise error from exc
            try:
                raise error from exc
            except BaseException:
                self._notify_hooks(sql, params, start, error)
                raise
        if hooks:
            self._notify_hooks(sql, params, start, None)
        return cursor

    def _notify_hooks(
        self, sql: str, params: Any, start: float, exception: Optional[BaseException]
    ) -> None:
        """Run every query hook with the ``QueryEvent`` of a statement started at ``start``."""
        event = QueryEvent(sql, params, perf_counter() - start, exception)
        for hook in list(self.query_hooks):
            hook(event)

    def _after_error(self, conn: Any, exc: BaseException) -> None:
        state = self._state
        if self._connection_lost(conn, exc):
            self._discard_connection()
            return
        if self.autorollback and not state.transactions:
            try:
                self.rollback()
            except Exception:
                pass

    def _wrap_error(self, exc: BaseException) -> BaseException:
        """The peewee exception standing for driver exception ``exc`` (backends may refine)."""
        return self.exception_wrapper.translate(exc)

    def execute(self, query: Any, commit: Any = None, **context_options: Any) -> Any:
        """Compile ``query`` with this database's dialect and run it."""
        ctx = self.get_sql_context(**context_options)
        sql, params = ctx.sql(query).query()
        return self.execute_sql(sql, params)

    def last_insert_id(self, cursor: Any, query_type: Any = None) -> Any:
        return cursor.lastrowid

    def rows_affected(self, cursor: Any) -> int:
        return cursor.rowcount

    # Transactions ------------------------------------------------------------------------------
    def in_transaction(self) -> bool:
        return bool(self._state.transactions)

    def push_transaction(self, transaction: Any) -> None:
        self._state.transactions.append(transaction)

    def pop_transaction(self) -> Any:
        """Remove and return the innermost open block (``IndexError`` when none is open)."""
        return self._state.transactions.pop()

    def transaction_depth(self) -> int:
        return len(self._state.transactions)

    def top_transaction(self) -> Any:
        transactions = self._state.transactions
        return transactions[-1] if transactions else None

    def atomic(self, *args: Any, **kwargs: Any) -> _atomic:
        """A transaction, or a savepoint when one is already open (context manager / decorator)."""
        return _atomic(self, *args, **kwargs)

    def manual_commit(self) -> _manual:
        """A block in which peewee manages no transactions: call begin/commit/rollback yourself."""
        return _manual(self)

    def transaction(self, *args: Any, **kwargs: Any) -> _transaction:
        """The outermost transaction (nested calls join it)."""
        return _transaction(self, *args, **kwargs)

    def savepoint(self, sid: Optional[str] = None) -> _savepoint:
        """A savepoint inside the current transaction."""
        return _savepoint(self, sid)

    def _begin_sql(self, *args: Any, **kwargs: Any) -> Optional[str]:
        """The statement that opens a transaction (None: let the driver begin implicitly)."""
        return None

    def begin(self, *args: Any, **kwargs: Any) -> None:
        """Start a transaction on the current connection (opening one if needed)."""
        if self.is_closed():
            self.connect()
        state = self._state
        if self._implicit_begin:
            if state.implicit:
                return  # already inside the implicit transaction: join it
            state.implicit = True
        sql = self._begin_sql(*args, **kwargs)
        if sql is not None:
            conn = state.conn
            try:
                conn.cursor().execute(sql)
            except Exception as exc:
                state.implicit = False
                self._after_error(conn, exc)
                raise self._wrap_error(exc) from exc

    def commit(self) -> None:
        state = self._state
        if state.closed:
            if state.lost is not None:
                self._end_lost()
            raise InterfaceError("Cannot commit, database connection not open.")
        if self._implicit_begin and not state.implicit and not state.transactions:
            return  # autocommit=False with nothing pending since the last commit/rollback
        conn = state.conn
        state.implicit = False
        try:
            self._commit(conn)
        except Exception as exc:
            self._after_error(conn, exc)
            raise self._wrap_error(exc) from exc

    def rollback(self) -> None:
        state = self._state
        if state.closed:
            if state.lost is not None:
                self._end_lost()
            raise InterfaceError("Cannot rollback, database connection not open.")
        if self._implicit_begin and not state.implicit and not state.transactions:
            return  # autocommit=False with nothing pending since the last commit/rollback
        conn = state.conn
        state.implicit = False
        try:
            self._rollback(conn)
        except Exception as exc:
            if self._connection_lost(conn, exc):
                self._discard_connection()
            raise self._wrap_error(exc) from exc

    def _end_lost(self) -> None:
        """``commit()``/``rollback()`` of a transaction whose connection was lost: the implicit
        transaction ends here; either way the caller learns that its work is gone."""
        state = self._state
        if state.lost == "implicit":
            state.lost = None
        raise OperationalError(_LOST_IN_TRANSACTION)

    def _commit(self, conn: Any) -> None:
        conn.commit()

    def _rollback(self, conn: Any) -> None:
        conn.rollback()

    def after_commit(self, fn: Callable[[], Any]) -> Callable[[], Any]:
        """Call ``fn()`` once the current transaction commits (at once outside a transaction).

        Callbacks of a transaction that rolls back are discarded. Usable as a decorator.
        """
        top = self.top_transaction()
        if top is None:
            fn()
        elif isinstance(top, _manual):
            raise ValueError("after_commit() cannot be used with `manual`")
        else:
            self._state.commit_callbacks.append(fn)
        return fn

    def _take_commit_callbacks(self) -> List[Callable[[], Any]]:
        state = self._state
        callbacks = state.commit_callbacks
        if callbacks:
            state.commit_callbacks = []
        return callbacks

    def session_start(self) -> _transaction:
        """Begin a transaction that lasts until ``session_commit()``/``session_rollback()``.

        Inside an open transaction it joins it, one level deeper.
        """
        return self.transaction().__enter__()

    def session_commit(self) -> bool:
        """Leave the innermost open block, committing the transaction; False if none was open.

        When an outer block remains open, a new transaction begins for it.
        """
        try:
            txn = self.pop_transaction()
        except IndexError:
            return False
        txn.commit(begin=self.in_transaction())
        return True

    def session_rollback(self) -> bool:
        """Leave the innermost open block, rolling the transaction back; False if none was open.

        When an outer block remains open, a new transaction begins for it.
        """
        try:
            txn = self.pop_transaction()
        except IndexError:
            return False
        txn.rollback(begin=self.in_transaction())
        return True

    def batch_commit(self, it: Iterable[Any], n: int) -> Iterator[Any]:
        """Yield the items of ``it``, committing a transaction after every ``n`` of them."""
        batch: List[Any] = []
        for item in it:
            batch.append(item)
            if len(batch) >= n:
                with self.atomic():
                    yield from batch
                batch = []
        if batch:
            with self.atomic():
                yield from batch

    # Introspection (backends implement these) --------------------------------------------------
    def get_tables(self, schema: Optional[str] = None) -> List[str]:
        raise NotImplementedError

    def get_views(self, schema: Optional[str] = None) -> List[Any]:
        raise NotImplementedError

    def get_indexes(self, table: str, schema: Optional[str] = None) -> List[Any]:
        raise NotImplementedError

    def get_columns(self, table: str, schema: Optional[str] = None) -> List[Any]:
        raise NotImplementedError

    def get_primary_keys(self, table: str, schema: Optional[str] = None) -> List[str]:
        raise NotImplementedError

    def get_foreign_keys(self, table: str, schema: Optional[str] = None) -> List[Any]:
        raise NotImplementedError

    def sequence_exists(self, seq: str) -> bool:
        raise NotImplementedError

    def table_exists(self, table_name: Any, schema: Optional[str] = None) -> bool:
        """Whether a table exists; accepts a name or a model class."""
        meta = getattr(table_name, "_meta", None)
        if meta is not None:
            schema = getattr(meta, "schema", None) if schema is None else schema
            table_name = meta.table_name
        return table_name in self.get_tables(schema=schema)

    # Models ------------------------------------------------------------------------------------
    def create_tables(self, models: Iterable[Any], **options: Any) -> None:
        """Create the tables of ``models`` in dependency order."""
        from .schema import sort_models

        for model in sort_models(models):
            model.create_table(**options)

    def drop_tables(self, models: Iterable[Any], **kwargs: Any) -> None:
        """Drop the tables of ``models``, dependents first."""
        from .schema import sort_models

        for model in reversed(sort_models(models)):
            model.drop_table(**kwargs)

    def bind(self, models: Iterable[Any], bind_refs: bool = True, bind_backrefs: bool = True) -> None:
        """Bind ``models`` (and, optionally, the models they refer to) to this database."""
        for model in models:
            model.bind(self, bind_refs=bind_refs, bind_backrefs=bind_backrefs)

    def bind_ctx(self, models: Iterable[Any], bind_refs: bool = True, bind_backrefs: bool = True) -> "_BindTo":
        """Context manager binding ``models`` to this database for the block."""
        return _BindTo(self, models, bind_refs, bind_backrefs)

    @property
    def Model(self) -> Any:
        """A ``BaseModel`` class bound to this database, for quick scripts."""
        return _base_model_for(self)

    def get_noop_query(self) -> str:
        return "SELECT 0 WHERE 0"

    get_noop_select = get_noop_query

    def get_binary_type(self) -> type:
        return bytes

    # SQL for date arithmetic used by date and time fields (backends override) -----------------
    def extract_date(self, date_part: str, date_field: Any) -> Any:
        """An expression for one part (``'year'``, ``'month'``, ...) of a date/time value."""
        return fn.EXTRACT(NodeList((SQL(date_part), SQL("FROM"), date_field)))

    def truncate_date(self, date_part: str, date_field: Any) -> Any:
        """An expression truncating a date/time value to ``date_part``."""
        return fn.DATE_TRUNC(date_part, date_field)

    def to_timestamp(self, date_field: Any) -> Any:
        """An expression converting a date/time value to seconds since the epoch."""
        return self.extract_date("EPOCH", date_field)

    def from_timestamp(self, date_field: Any) -> Any:
        """An expression converting seconds since the epoch to a timestamp."""
        return fn.to_timestamp(date_field)

    def random(self) -> Any:
        """An expression for a random value (for ``ORDER BY``)."""
        return fn.random()

    # The dialect's feature flags and hooks, readable on the database as peewee code expects.
    # The dialect class's own hooks: a subclass overriding these may call super().
    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        dialect = self.dialect
        return type(dialect).conflict_statement(dialect, on_conflict, query)

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        dialect = self.dialect
        return type(dialect).conflict_update(dialect, on_conflict, query)


def _base_model_for(database: Any) -> Any:
    model = getattr(database, "_Model", None)
    if model is None:
        from .model import Model

        meta = type("Meta", (), {"database": database})
        model = type("BaseModel", (Model,), {"Meta": meta, "__module__": Model.__module__})
        object.__setattr__(database, "_Model", model)
    return model


def _dialect_flag(name: str) -> property:
    def getter(self: Database) -> Any:
        return getattr(self.dialect, name)

    return property(getter, doc="The dialect's ``%s`` setting (read-only)." % name)


for _flag in (
    "commit_select",
    "compound_select_parentheses",
    "for_update",
    "index_schema_prefix",
    "index_using_precedes_table",
    "index_value_literals",
    "limit_max",
    "nulls_ordering",
    "returning_clause",
    "safe_create_index",
    "safe_drop_index",
    "sequences",
    "truncate_table",
    "use_concat_function",
):
    setattr(Database, _flag, _dialect_flag(_flag))
del _flag


class _BindTo(_callable_context_manager):
    """Temporarily bind models to a database, restoring their previous databases afterwards."""

    def __init__(self, database: Any, models: Iterable[Any], bind_refs: bool, bind_backrefs: bool) -> None:
        self.database = database
        self.models = list(models)
        self.bind_refs = bind_refs
        self.bind_backrefs = bind_backrefs
        self._saved: List[Any] = []

    def __enter__(self) -> List[Any]:
        self._saved = _bound_databases(self.models, self.bind_refs, self.bind_backrefs)
        self.database.bind(self.models, self.bind_refs, self.bind_backrefs)
        return self.models

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        for model, database in self._saved:
            set_database = getattr(model._meta, "set_database", None)
            if set_database is not None:
                set_database(database)
            else:
                model.bind(database, bind_refs=False, bind_backrefs=False)
        self._saved = []


def _bound_databases(models: Iterable[Any], bind_refs: bool, bind_backrefs: bool) -> List[Any]:
    """(model, database) for the models a bind would touch, so it can be undone."""
    seen: Dict[Any, Any] = {}
    todo = list(models)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        meta = getattr(model, "_meta", None)
        seen[model] = getattr(meta, "database", None)
        if meta is None:
            continue
        # ``refs`` / ``backrefs`` map foreign-key fields to the related model classes.
        if bind_refs:
            todo.extend((getattr(meta, "refs", None) or {}).values())
        if bind_backrefs:
            todo.extend((getattr(meta, "backrefs", None) or {}).values())
    return list(seen.items())


# Proxies -----------------------------------------------------------------------------------------
_PROXY_ATTRS = frozenset(("obj", "_callbacks", "_Model"))


class Proxy:
    """A stand-in for an object chosen later with ``initialize(obj)``; attributes are forwarded."""

    __slots__ = ("obj", "_callbacks")

    def __init__(self) -> None:
        object.__setattr__(self, "obj", None)
        object.__setattr__(self, "_callbacks", [])

    def initialize(self, obj: Any) -> None:
        object.__setattr__(self, "obj", obj)
        for callback in self._callbacks:
            callback(obj)

    def attach_callback(self, callback: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Call ``callback(obj)`` when the proxy is initialised."""
        self._callbacks.append(callback)
        return callback

    def passthrough(method: Any) -> Any:  # type: ignore[misc]
        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            if self.obj is None:
                raise AttributeError("Cannot use uninitialized Proxy.")
            return getattr(self.obj, method)(*args, **kwargs)

        return inner

    __enter__ = passthrough("__enter__")
    __exit__ = passthrough("__exit__")

    def __getattr__(self, attr: str) -> Any:
        obj = object.__getattribute__(self, "obj")
        if obj is None:
            raise AttributeError("Cannot use uninitialized Proxy.")
        return getattr(obj, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr not in _PROXY_ATTRS:
            raise AttributeError("Cannot set attribute on proxy.")
        object.__setattr__(self, attr, value)


class DatabaseProxy(Proxy):
    """A ``Proxy`` for a database: usable in ``Meta.database``; its context managers defer to
    the real database when they are entered."""

    __slots__ = ("_Model",)

    def connection_context(self) -> ConnectionContext:
        return ConnectionContext(self)

    def atomic(self, *args: Any, **kwargs: Any) -> _atomic:
        return _atomic(self, *args, **kwargs)

    def manual_commit(self) -> _manual:
        return _manual(self)

    def transaction(self, *args: Any, **kwargs: Any) -> _transaction:
        return _transaction(self, *args, **kwargs)

    def savepoint(self) -> _savepoint:
        return _savepoint(self)

    @property
    def Model(self) -> Any:
        """A ``BaseModel`` class whose database is this proxy."""
        return _base_model_for(self)
