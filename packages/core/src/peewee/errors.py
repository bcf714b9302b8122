"""The exception family raised by peewee and the wrapper that translates driver errors into it.

Knows nothing of databases, queries or models: it only maps DB-API exception class names.
"""
from __future__ import annotations

from types import TracebackType
from typing import Dict, Iterable, Optional, Type

__all__ = [
    "PeeweeException",
    "ImproperlyConfigured",
    "DatabaseError",
    "DataError",
    "IntegrityError",
    "InterfaceError",
    "InternalError",
    "NotSupportedError",
    "OperationalError",
    "ProgrammingError",
    "DoesNotExist",
    "ExceptionWrapper",
    "EXCEPTIONS",
    "translate_data_error",
]


class PeeweeException(Exception):
    """Base class of every error peewee raises on its own behalf or on behalf of a driver."""

    #: The driver exception this one translates (None when peewee raised it itself).
    orig: Optional[BaseException] = None


class ImproperlyConfigured(PeeweeException):
    """A required driver or setting is missing."""


class DatabaseError(PeeweeException):
    """Base of the DB-API error family."""


class DataError(DatabaseError):
    """Bad data for the operation (value out of range, invalid input...)."""


class IntegrityError(DatabaseError):
    """A constraint was violated (unique, foreign key, not null, check)."""


class InterfaceError(PeeweeException):
    """Misuse of the database interface (e.g. a closed or uninitialised database)."""


class InternalError(DatabaseError):
    """The database reported an internal error."""


class NotSupportedError(DatabaseError):
    """The database does not support the requested operation."""


class OperationalError(DatabaseError):
    """An error in the database's operation (lost connection, locked database, ...)."""


class ProgrammingError(DatabaseError):
    """Bad SQL: syntax error, unknown table or column, wrong number of parameters."""


class DoesNotExist(Exception):
    """No row matched a query that expects exactly one (base of ``Model.DoesNotExist``)."""


EXCEPTIONS: Dict[str, Type[Exception]] = {
    "ConstraintError": IntegrityError,
    "DatabaseError": DatabaseError,
    "DataError": DataError,
    "IntegrityError": IntegrityError,
    "InterfaceError": InterfaceError,
    "InternalError": InternalError,
    "NotSupportedError": NotSupportedError,
    "OperationalError": OperationalError,
    "ProgrammingError": ProgrammingError,
}


class ExceptionWrapper:
    """Context manager re-raising driver exceptions as the peewee class of the same name.

    The lookup walks the exception's class hierarchy, so driver-specific subclasses (for example
    psycopg2's ``UniqueViolation``) map to the DB-API class they derive from.  ``codes`` maps
    numeric error codes (the first argument of the driver exception) to the peewee class to use
    whatever the driver's class, for servers that file an error under the wrong DB-API class.
    The driver's exception is chained as ``__cause__`` and also kept as ``exc.orig``.
    """

    __slots__ = ("exceptions", "codes")

    def __init__(
        self,
        exceptions: Optional[Dict[str, Type[Exception]]] = None,
        codes: Optional[Dict[int, Type[Exception]]] = None,
    ) -> None:
        self.exceptions = EXCEPTIONS if exceptions is None else exceptions
        self.codes: Dict[int, Type[Exception]] = dict(codes or {})

    def __enter__(self) -> "ExceptionWrapper":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        if exc_type is None or exc_value is None or isinstance(exc_value, PeeweeException):
            return None
        new_exc = self.translate(exc_value)
        if new_exc is exc_value:
            return None
        raise new_exc from exc_value

    def translate(self, exc: BaseException) -> BaseException:
        """The peewee exception standing for ``exc`` (``exc`` itself if it is not a DB error).

        The result has ``orig`` and ``__cause__`` set to ``exc``.
        """
        if isinstance(exc, PeeweeException):
            return exc
        new_type = self.lookup(type(exc))
        if new_type is None:
            return exc
        if self.codes and exc.args:
            code = exc.args[0]
            if isinstance(code, int):
                new_type = self.codes.get(code, new_type)
        new_exc = new_type(*exc.args)
        new_exc.orig = exc  # type: ignore[attr-defined]
        new_exc.__cause__ = exc
        return new_exc

    def lookup(self, exc_type: Type[BaseException]) -> Optional[Type[Exception]]:
        """Return the peewee class for a driver exception class, or None if it is not a DB error."""
        exceptions = self.exceptions
        found = exceptions.get(exc_type.__name__)
        if found is not None:
            return found
        for klass in _mro(exc_type):
            found = exceptions.get(klass.__name__)
            if found is not None:
                return found
        return None


def _mro(exc_type: Type[BaseException]) -> Iterable[type]:
    return exc_type.__mro__[1:]


#: Built-in exceptions a driver raises for a value it cannot send or read (an integer too large
#: for SQLite, text that cannot be encoded, a NUL character PostgreSQL refuses, ...).
_DATA_ERRORS = (OverflowError, ValueError)
_DEFAULT_WRAPPER = ExceptionWrapper()


def translate_data_error(exc: BaseException, wrapper: Optional[ExceptionWrapper] = None) -> BaseException:
    """Like ``ExceptionWrapper.translate`` for an error raised while a driver ran a statement or
    fetched its rows: the driver's own bad-value exceptions become ``DataError`` as well."""
    new_exc = (wrapper or _DEFAULT_WRAPPER).translate(exc)
    if new_exc is exc and isinstance(exc, _DATA_ERRORS) and not isinstance(exc, PeeweeException):
        new_exc = DataError(str(exc))
        new_exc.orig = exc
        new_exc.__cause__ = exc
    return new_exc
