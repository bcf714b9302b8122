"""Module-level names that code written for peewee imports from ``peewee`` besides the public API:
small helpers (``attrdict``, ``merge_dict``, ``safe_python_value``, ...), driver modules, constants
and aliases of internal classes.  Only tiny utilities are defined here; nothing here runs queries.
"""

from __future__ import annotations

import calendar  # noqa: F401
import collections  # noqa: F401
import datetime
import decimal  # noqa: F401
import hashlib  # noqa: F401
import itertools  # noqa: F401
import json  # noqa: F401
import logging  # noqa: F401
import operator
import re
import socket  # noqa: F401
import struct  # noqa: F401
import sys  # noqa: F401
import threading  # noqa: F401
import time  # noqa: F401
import types
import uuid  # noqa: F401
import warnings
from bisect import bisect_left, bisect_right  # noqa: F401
from collections.abc import Callable, Mapping  # noqa: F401
from contextlib import contextmanager  # noqa: F401
from copy import deepcopy  # noqa: F401
from functools import partial, reduce, wraps  # noqa: F401
from inspect import isclass
from typing import Any, Optional

from . import model_query as _model_query
from .backends.mysql import mysql  # noqa: F401
from .dialects import base as _dialect_base
from .backends.postgres import pg_extensions, psycopg2  # noqa: F401
from .backends.sqlite import _json_contains as _sqlite_json_contains  # noqa: F401
from .backends.sqlite import _regexp as _sqlite_regexp  # noqa: F401
from .backends.sqlite import _sqlite_date_part, _sqlite_date_trunc  # noqa: F401
from .backends.sqlite import sqlite3
from .database import _ConnectionLocal, _ConnectionState, _NoopLock  # noqa: F401
from .fields import BigBitFieldAccessor, BigBitFieldData, _FormattedField  # noqa: F401
from .fields import _StringField, VirtualField, utcnow  # noqa: F401
from .metadata import Metadata
from .model import _BoundModelsContext  # noqa: F401
from .model_query import _ModelCompoundMixin
from .model_write import _ModelQueryHelper, _ModelWriteQueryHelper  # noqa: F401
from .results import ModelGraphCursorWrapper, _PlanWrapper
from .schema import _truncate_constraint_name  # noqa: F401
from .prefetch import PREFETCH_TYPE
from .sql import JOIN, OP, ROW, Column, ColumnBase, Entity, Expression, Node, QualifiedNames
from .sql.nodes import StringExpression, _AttrDict  # noqa: F401
from .sql.query import CSQ_PARENTHESES_GROUPED  # noqa: F401
from .sql.query import _BoundTableContext, _ExplicitColumn, _HashableSource  # noqa: F401
from .sql.write import _WriteQuery, _literal_text  # noqa: F401

__sqlite_version__ = sqlite3.sqlite_version_info if sqlite3 is not None else (0, 0, 0)

class attrdict(_AttrDict):  # noqa: N801 - peewee spelling
    """A dict whose keys can also be read and written as attributes; ``+`` and ``+=`` merge."""

    def __iadd__(self, rhs: Any) -> "attrdict":
        self.update(rhs)
        return self

    def __add__(self, rhs: Any) -> "attrdict":
        merged = attrdict(self)
        merged.update(rhs)
        return merged


def _as_attrdict(module: Any, name: str) -> attrdict:
    """Replace the plain dict ``module.name`` by an ``attrdict`` holding the same items (so
    ``FIELD.INT`` and ``DJANGO_MAP.eq`` work, as in peewee); the module reads its global at call
    time, so later changes to the public object are seen by it."""
    value = getattr(module, name)
    if not isinstance(value, attrdict):
        value = attrdict(value)
        setattr(module, name, value)
    return value


FIELD = _as_attrdict(_dialect_base, "FIELD")
DJANGO_MAP = _as_attrdict(_model_query, "DJANGO_MAP")

# The other constant maps are already attribute dicts; make them attrdicts in place (same object,
# same items), so that ``isinstance(OP, attrdict)`` and ``OP + {...}`` hold as in peewee.
for _constants in (OP, JOIN, ROW, PREFETCH_TYPE):
    if type(_constants).__name__ == "_AttrDict":
        object.__setattr__(_constants, "__class__", attrdict)


def callable_(obj: Any) -> bool:
    """True for anything that can be called (a default value that is computed)."""
    return isinstance(obj, Callable)  # type: ignore[arg-type]


#: Values that stand for several values when they are the right-hand side of ``IN``.
multi_types = (list, tuple, frozenset, set, range, types.GeneratorType)

#: The parts ``DateTimeField.year`` ... ``.second`` extract.
__date_parts__ = {"year", "month", "day", "hour", "minute", "second"}

#: The text formats SQLite date functions read, in the order they are tried.
__sqlite_datetime_formats__ = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%d", "%H:%M:%S", "%H:%M:%S.%f", "%H:%M:%S%z", "%H:%M:%S.%f%z", "%H:%M",
)

#: ``strftime`` formats that truncate a date to a part, for SQLite and MySQL.
__sqlite_date_trunc__ = {
    "year": "%Y-01-01 00:00:00",
    "month": "%Y-%m-01 00:00:00",
    "day": "%Y-%m-%d 00:00:00",
    "hour": "%Y-%m-%d %H:00:00",
    "minute": "%Y-%m-%d %H:%M:00",
    "second": "%Y-%m-%d %H:%M:%S",
}
__mysql_date_trunc__ = dict(__sqlite_date_trunc__, minute="%Y-%m-%d %H:%i:00",
                            second="%Y-%m-%d %H:%i:%S")

# Compound-select member rendering.
CSQ_FLAT = 0
CSQ_PARENS = 1
CSQ_WRAP = 2

SNAKE_CASE_STEP1 = re.compile("(.)_*([A-Z][a-z]+)")
SNAKE_CASE_STEP2 = re.compile("([a-z0-9])_*([A-Z])")
IDENTIFIER_RE = re.compile(r"[^\W\d]\w*")


def qesc(text: str, q: str = '"') -> str:
    """``text`` with the quote character doubled, for use inside a quoted identifier."""
    return text.replace(q, q + q)


def unqesc(part: str) -> str:
    """An identifier without its double quotes (doubled quotes inside become single)."""
    part = part.strip()
    if len(part) >= 2 and re.fullmatch(r'"(?:[^"]|"")*"', part):
        return part[1:-1].replace('""', '"')
    return part


def utcfromtimestamp(ts: float) -> datetime.datetime:
    """The UTC time of a Unix timestamp as a naive datetime."""
    moment = datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)
    return moment.replace(tzinfo=None)


_fromisoformat = datetime.datetime.fromisoformat


def __deprecated__(message: str) -> None:
    warnings.warn(message, DeprecationWarning, stacklevel=2)


class classmethod_only:  # noqa: N801 - peewee spelling
    """A method callable on the class only: calling it on an instance raises ``TypeError``."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            raise TypeError("%s cannot be called from an instance." % self.fn.__name__)
        return partial(self.fn, instance_type)


def merge_dict(source: dict, overrides: Optional[dict]) -> dict:
    """A copy of ``source`` updated with ``overrides`` (which may be ``None``)."""
    merged = source.copy()
    if overrides:
        merged.update(overrides)
    return merged


def quote(path: Any, quote_chars: str) -> str:
    """The parts of a dotted name each wrapped in ``quote_chars`` (an opening and closing char)."""
    if len(path) == 1:
        return path[0].join(quote_chars)
    return ".".join(part.join(quote_chars) for part in path)


def is_model(obj: Any) -> bool:
    """True for a model class (not an instance)."""
    from .model import Model

    return isclass(obj) and issubclass(obj, Model)


def _combine(existing: Any, expressions: tuple, op: Any = operator.and_) -> Any:
    if existing is not None:
        expressions = (existing,) + tuple(expressions)
    return reduce(op, expressions)


def ensure_entity(value: Any) -> Any:
    """``value`` as a node: strings become quoted identifiers; ``None`` stays ``None``."""
    if value is not None:
        return value if isinstance(value, Node) else Entity(value)
    return None


def make_identifier(text: str) -> str:
    """The first valid Python identifier in the last dotted part of ``text`` (or ``text``)."""
    match = IDENTIFIER_RE.search(text.rsplit(".", 1)[-1])
    return match.group() if match is not None else text


def safe_python_value(conv_func: Any) -> Any:
    """``conv_func`` that returns its argument unchanged when it cannot convert it."""

    def validate(value: Any) -> Any:
        try:
            return conv_func(value)
        except (TypeError, ValueError):
            return value

    return validate


def _query_val_transform(value: Any) -> str:
    """A parameter written as an SQL literal, for displaying a query (never for executing it)."""
    return _literal_text(value)


def qualify_names(node: Any) -> Any:
    """``node`` with every column-like part rendered with its table prefix (``"t1"."name"``)."""
    if isinstance(node, Expression):
        return type(node)(qualify_names(node.lhs), node.op, qualify_names(node.rhs), node.flat)
    if isinstance(node, ColumnBase):
        return QualifiedNames(node)
    return node


class ModelDescriptor:
    """Marker base class of the descriptors a model class carries."""


class ColumnFactory:
    """``factory.name`` (or ``factory['name']``) is the column ``name`` of ``node``."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def __getattr__(self, attr: str) -> Column:
        return Column(self.node, attr)

    __getitem__ = __getattr__


class SubclassAwareMetadata(Metadata):
    """Metadata that records every model class using it, so a change can be applied to all of
    them with ``map_models(fn)`` (e.g. binding a whole model hierarchy to another database)."""

    models: list = []

    def __init__(self, model: type, *args: Any, **kwargs: Any) -> None:
        super().__init__(model, *args, **kwargs)
        self.models.append(model)

    def map_models(self, fn: Any) -> None:
        for model in self.models:
            fn(model)


_BaseFormattedField = _FormattedField
BaseModelSelect = _ModelCompoundMixin
BaseModelCursorWrapper = _PlanWrapper
ModelCursorWrapper = ModelGraphCursorWrapper

#: Driver objects found lazily (see ``peewee.__getattr__``).
_LAZY_DRIVER_NAMES = ("pysq3", "pg_register_uuid", "Json_pg2", "psycopg", "Json_pg3", "Jsonb_pg3")


def lazy_driver_name(name: str) -> Any:
    """The optional driver object ``name`` (``None`` when the driver is not installed)."""
    try:
        if name == "pysq3":
            from pysqlite3 import dbapi2  # type: ignore[import-not-found]

            return dbapi2
        if name == "pg_register_uuid":
            from psycopg2.extras import register_uuid

            return register_uuid
        if name == "Json_pg2":
            from psycopg2.extras import Json

            return Json
        if name == "psycopg":
            import psycopg  # type: ignore[import-not-found]

            return psycopg
        if name in ("Json_pg3", "Jsonb_pg3"):
            from psycopg.types import json as pg3_json  # type: ignore[import-not-found]

            return pg3_json.Json if name == "Json_pg3" else pg3_json.Jsonb
    except ImportError:
        return None
    raise AttributeError(name)


_PRIVATE = {
    "annotations", "Any", "Optional", "lazy_driver_name", "Column", "Entity", "Node", "Metadata",
    "ColumnBase", "Expression", "QualifiedNames",
    "ModelGraphCursorWrapper", "_AttrDict", "_FormattedField", "_ModelCompoundMixin", "_PlanWrapper",
    "_LAZY_DRIVER_NAMES", "_PRIVATE", "_DUNDER", "_as_attrdict", "_constants",
    "JOIN", "OP", "ROW", "PREFETCH_TYPE", "_dialect_base", "_model_query",
}
_DUNDER = {
    "__sqlite_version__", "__date_parts__", "__sqlite_datetime_formats__", "__sqlite_date_trunc__",
    "__mysql_date_trunc__", "__deprecated__",
}
__all__ = [
    name for name in list(globals())
    if name not in _PRIVATE and (not name.startswith("__") or name in _DUNDER)
]
