"""Transaction and connection context managers: ``atomic``, ``transaction``, ``savepoint``,
``manual_commit``, connection contexts and the old ``execution_context``/``Using`` helpers.

Talks to a database only through its public methods (duck-typed); knows nothing of queries or
models beyond ``model.bind()``.
"""
from __future__ import annotations

import copy
import functools
import uuid
from typing import Any, Callable, Iterable, List, Optional, Tuple, TypeVar

__all__ = [
    "ConnectionContext",
    "ExecutionContext",
    "Using",
    "_atomic",
    "_callable_context_manager",
    "_manual",
    "_savepoint",
    "_transaction",
]

F = TypeVar("F", bound=Callable[..., Any])


class _callable_context_manager:
    """Mixin: an instance is also a decorator running the function inside ``with self``.

    Each call enters a fresh shallow copy, so a decorated function is safe to call recursively
    and from several threads at once.
    """

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with copy.copy(self):
                return fn(*args, **kwargs)

        return inner  # type: ignore[return-value]


class _transaction(_callable_context_manager):
    """The outermost transaction.  Inside the block ``commit()``/``rollback()`` end the current
    transaction and begin a new one (pass ``begin=False`` not to)."""

    def __init__(self, db: Any, *args: Any, **kwargs: Any) -> None:
        self.db = db
        self._begin_args: Tuple[Any, ...] = args
        self._begin_kwargs = kwargs

    def _begin(self) -> None:
        self.db.begin(*self._begin_args, **self._begin_kwargs)

    def commit(self, begin: bool = True) -> None:
        self.db.commit()
        callbacks = self.db._take_commit_callbacks()
        if begin:
            self._begin()
        _run_callbacks(callbacks)

    def rollback(self, begin: bool = True) -> None:
        self.db.rollback()
        self.db._take_commit_callbacks()  # discarded with the work they depended on
        if begin:
            self._begin()

    def _quiet_rollback(self) -> None:
        # A connection the server dropped has nothing left to roll back.
        if not self.db.is_closed():
            self.rollback(False)
        else:
            self.db._take_commit_callbacks()

    def __enter__(self) -> "_transaction":
        db = self.db
        if db.transaction_depth() == 0:
            self._begin()
        db.push_transaction(self)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        db = self.db
        callbacks: List[Callable[[], Any]] = []
        try:
            if db.transaction_depth() == 1:
                if exc_type is not None:
                    self._quiet_rollback()
                else:
                    try:
                        db.commit()
                    except BaseException:
                        self._quiet_rollback()
                        raise
                    callbacks = db._take_commit_callbacks()
        finally:
            db.pop_transaction()
        _run_callbacks(callbacks)


def _run_callbacks(callbacks: List[Callable[[], Any]]) -> None:
    for callback in callbacks:
        callback()


class _savepoint(_callable_context_manager):
    """A savepoint inside the current transaction.

    ``commit()`` releases it and ``rollback()`` rolls back to it; both then set it again (pass
    ``begin=False`` not to), so the rest of the block stays covered by the savepoint.
    """

    def __init__(self, db: Any, sid: Optional[str] = None) -> None:
        self.db = db
        self.sid = sid or "s" + uuid.uuid4().hex
        self._quoted: Optional[str] = None
        self._released = False

    @property
    def quoted_sid(self) -> str:
        if self._quoted is None:
            self._quoted = self.db.dialect.quote_name(self.sid)
        return self._quoted

    def _begin(self) -> None:
        self.db.execute_sql("SAVEPOINT %s;" % self.quoted_sid)
        self._released = False

    def commit(self, begin: bool = True) -> None:
        self.db.execute_sql("RELEASE SAVEPOINT %s;" % self.quoted_sid)
        self._released = True
        if begin:
            self._begin()

    def rollback(self, begin: bool = True) -> None:
        self.db.execute_sql("ROLLBACK TO SAVEPOINT %s;" % self.quoted_sid)
        if begin:
            self._begin()

    def __enter__(self) -> "_savepoint":
        self._begin()
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if self._released:
            return
        if self.db.is_closed():
            # The server dropped the connection: the savepoint went with the transaction.  A
            # block that ends normally learns it here; a failing one keeps its own error.
            if exc_type is None:
                self.db._check_lost()
            return
        if exc_type is not None:
            self.rollback(False)
            return
        try:
            self.commit(False)
        except BaseException:
            if not self.db.is_closed():
                self.rollback(False)
            raise


class _atomic(_callable_context_manager):
    """A transaction at the outermost level, a savepoint when nested."""

    def __init__(self, db: Any, *args: Any, **kwargs: Any) -> None:
        self.db = db
        self._args = args
        self._kwargs = kwargs
        self._helper: Any = None

    def __enter__(self) -> Any:
        db = self.db
        if db.transaction_depth() == 0:
            self._helper = db.transaction(*self._args, **self._kwargs)
        elif isinstance(db.top_transaction(), _manual):
            raise ValueError("Cannot enter atomic commit block while in manual commit mode.")
        else:
            self._helper = db.savepoint()
        return self._helper.__enter__()

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        return self._helper.__exit__(exc_type, exc_val, exc_tb)


class _manual(_callable_context_manager):
    """A block in which peewee opens no transactions; the caller manages them."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def __enter__(self) -> "_manual":
        top = self.db.top_transaction()
        if top is not None and not isinstance(top, _manual):
            raise ValueError("Cannot enter manual commit block while a transaction is active.")
        self.db.push_transaction(self)
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if self.db.pop_transaction() is not self:
            raise ValueError("Transaction stack corrupted while exiting manual commit block.")


class ConnectionContext(_callable_context_manager):
    """Holds a connection open for a block or a decorated function.

    The outermost of the nested ``connection_context()`` and ``with db:`` blocks closes the
    connection at its end, whether or not it opened it.
    """

    __slots__ = ("db",)

    def __init__(self, db: Any) -> None:
        self.db = db

    def __enter__(self) -> Any:
        db = self.db
        if db.is_closed():
            db.connect()
        db._state.ctx.append(self)
        return db

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        db = self.db
        ctx = db._state.ctx
        if ctx:
            ctx.pop()
        if not ctx:
            db.close()

    def __copy__(self) -> "ConnectionContext":
        return ConnectionContext(self.db)


class ExecutionContext(_callable_context_manager):
    """Old API: run a block on a connection of its own (optionally inside a transaction); the
    thread's previous connection is restored afterwards."""

    def __init__(self, db: Any, with_transaction: bool = True) -> None:
        self.db = db
        self.with_transaction = with_transaction
        self._saved: Optional[Tuple[Any, ...]] = None
        self._txn: Any = None

    def __enter__(self) -> Any:
        state = self.db._state
        self._saved = (
            state.closed, state.conn, state.ctx, state.transactions, state.implicit,
            state.hooks_version, state.lost,
        )
        state.reset()
        try:
            self.db.connect()
            if self.with_transaction:
                txn = self.db.transaction()
                txn.__enter__()
                self._txn = txn
        except BaseException:
            self.__exit__(None, None, None)  # give the thread its previous connection back
            raise
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            if self._txn is not None:
                txn, self._txn = self._txn, None
                txn.__exit__(exc_type, exc_val, exc_tb)
        finally:
            try:
                self.db.close()
            finally:
                state = self.db._state
                assert self._saved is not None
                (
                    state.closed, state.conn, state.ctx, state.transactions, state.implicit,
                    state.hooks_version, state.lost,
                ) = self._saved
                self._saved = None


class Using(ExecutionContext):
    """Old API: bind ``models`` to ``database`` for the block (with its own connection and,
    by default, a transaction), restoring their databases afterwards."""

    def __init__(self, database: Any, models: Iterable[Any], with_transaction: bool = True) -> None:
        super().__init__(database, with_transaction=with_transaction)
        self.database = database
        self.models = list(models)
        self._previous: List[Tuple[Any, Any]] = []

    def _rebind(self, model: Any, database: Any) -> None:
        bind = getattr(model, "bind", None)
        if bind is not None:
            bind(database, bind_refs=False, bind_backrefs=False)
        else:
            model._meta.database = database

    def __enter__(self) -> Any:
        self._previous = [(m, m._meta.database) for m in self.models]
        for model in self.models:
            self._rebind(model, self.database)
        try:
            return super().__enter__()
        except BaseException:
            self._restore_models()
            raise

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        try:
            super().__exit__(exc_type, exc_val, exc_tb)
        finally:
            self._restore_models()

    def _restore_models(self) -> None:
        for model, database in self._previous:
            self._rebind(model, database)
        self._previous = []
