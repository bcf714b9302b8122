"""What a scenario observes: executed statements (from the ``peewee`` logger), compiled SQL, result
rows, values and exception class names, each turned into plain JSON data.

Runs inside the child processes under either implementation; it imports peewee only lazily.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import re
import uuid
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List

__all__ = ["Recorder", "plain"]

_SAVEPOINT = re.compile(r'(SAVEPOINT\s+)([`"]?)s[0-9a-f]{32}\2', re.IGNORECASE)
# Statements that read the database's catalogue (introspection, ``table_exists()``, the checks
# behind ``create_tables(safe=True)``): their text is an implementation detail, their results show
# up in what the scenario records.
_CATALOGUE = re.compile(
    r"\b(information_schema|pg_catalog|pg_class|pg_namespace|pg_index|pg_attribute|pg_constraint"
    r"|sqlite_master|sqlite_schema|sqlite_temp_master)\b"
    r"|^\s*(PRAGMA\s+(\"?\w+\"?\.)?\w+\s*\(|SHOW\b)",
    re.IGNORECASE,
)


def normalise_sql(sql: str) -> str:
    """Savepoint names are random: replace them with a fixed one."""
    return _SAVEPOINT.sub(r"\1\2s…\2", sql)


def _model_data(obj: Any) -> Any:
    data = getattr(obj, "__data__", None)
    if not isinstance(data, dict):
        return {"repr": type(obj).__name__}
    return {
        "model": type(obj).__name__,
        "data": {str(k): plain(v) for k, v in sorted(data.items())},
    }


def plain(value: Any) -> Any:
    """``value`` as JSON data that keeps the type where JSON would lose it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return (
            value if value == value and value not in (float("inf"), float("-inf")) else repr(value)
        )
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"timedelta": value.total_seconds()}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"bytes": bytes(value).hex()}
    if hasattr(value, "_asdict") and hasattr(value, "_fields"):  # a namedtuple row
        return {"namedtuple": [[k, plain(v)] for k, v in value._asdict().items()]}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((plain(v) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"dict": [[plain(k), plain(v)] for k, v in value.items()]}
    if hasattr(value, "__data__") and hasattr(type(value), "_meta"):
        return _model_data(value)
    if type(value).__module__.startswith("psycopg2") and hasattr(value, "adapted"):
        # a driver adapter (Binary, Json): compare what it sends to the server
        if hasattr(value, "dumps"):
            return value.dumps(value.adapted)
        return plain(value.adapted)
    return {"type": type(value).__name__}


class _Capture(logging.Handler):
    def __init__(self, recorder: "Recorder") -> None:
        super().__init__(logging.DEBUG)
        self.recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.msg
        if isinstance(msg, tuple) and len(msg) == 2 and isinstance(msg[0], str):
            self.recorder.executed(msg[0], msg[1])


class Recorder:
    """Collects the events of one scenario in order; ``events`` is the comparable record."""

    def __init__(self) -> None:
        self.events: List[list] = []
        self.messages: List[str] = []  # exception messages: shown in reports, never compared
        self.handler = _Capture(self)
        self.quiet_depth = 0

    # -- wiring ----------------------------------------------------------------------------------

    def __enter__(self) -> "Recorder":
        log = logging.getLogger("peewee")
        log.addHandler(self.handler)
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return self

    def __exit__(self, *exc: Any) -> None:
        logging.getLogger("peewee").removeHandler(self.handler)

    def executed(self, sql: str, params: Any) -> None:
        if self.quiet_depth or _CATALOGUE.search(sql):
            return
        self.events.append(["exec", normalise_sql(sql), plain(list(params or ()))])

    # -- what scenarios call ---------------------------------------------------------------------

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Statements run inside the block are not recorded (for queries whose text is an
        implementation detail, such as the catalogue queries behind introspection)."""
        self.quiet_depth += 1
        try:
            yield
        finally:
            self.quiet_depth -= 1

    def value(self, label: str, value: Any) -> Any:
        self.events.append(["value", label, plain(value)])
        return value

    def sql(self, label: str, query: Any) -> None:
        """The compiled ``(sql, params)`` of ``query`` (nothing is executed)."""
        try:
            sql, params = query.sql()
        except Exception as exc:
            self.raised(label, exc)
            return
        self.events.append(["sql", label, normalise_sql(sql), plain(list(params))])

    def rows(self, label: str, rows: Any, ordered: bool = True) -> list:
        """Iterate ``rows`` (a query or any iterable) and record the rows; an error is recorded."""
        try:
            items = list(rows)
        except Exception as exc:
            self.raised(label, exc)
            return []
        data = [plain(r) for r in items]
        if not ordered:
            data.sort(key=repr)
        self.events.append(["rows", label, data])
        return items

    def call(self, label: str, func: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call ``func`` and record what it returned, or the class of what it raised."""
        try:
            result = func(*args, **kwargs)
        except Exception as exc:
            self.raised(label, exc)
            return None
        self.events.append(["value", label, plain(result)])
        return result

    def raised(self, label: str, exc: BaseException) -> None:
        self.events.append(["raised", label, type(exc).__name__])
        self.messages.append(f"{label}: {type(exc).__name__}: {exc}")
