"""Rendered-SQL templates for the hot single-row paths (``get_by_id``, ``save()``, ``create()``).

The statement of such a call has the same text every time for a model, a field set and a database;
only the parameters change.  A template is rendered once through the normal query objects with
placeholder markers, then reused.  It is dropped when the model's table (fields, name, schema) or
database changes.  Knows queries only through the public model API.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from .sql import Node, Value

__all__: list = []

_CACHE_ATTR = "_model_sql_templates"
_MAX_ENTRIES = 64


class _Marker:
    """Stands for the n-th argument while a template is rendered."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def marker_values(count: int) -> list:
    return [Value(_Marker(i), False, unpack=False) for i in range(count)]


class Template:
    __slots__ = ("table", "database", "dialect", "sql", "plan", "in_order", "extra")

    def __init__(self, table: Any, database: Any, sql: str, params: list) -> None:
        self.table = table
        self.database = database
        self.dialect = getattr(database, "dialect", None)
        self.sql = sql
        plan = []
        for param in params:
            if isinstance(param, _Marker):
                plan.append((param.index, None))
            else:
                plan.append((None, param))
        self.plan = plan
        self.in_order = [i for i, _ in plan] == list(range(len(plan)))
        self.extra: Any = None

    def params(self, args: list) -> list:
        if self.in_order:
            return args
        return [args[i] if i is not None else const for i, const in self.plan]


def get_template(model: Any, key: Any, database: Any, build: Callable[[], Any]) -> Optional[Template]:
    """The template for ``key``; ``build()`` returns the query object rendered with markers."""
    meta = model._meta
    cache = meta.__dict__.get(_CACHE_ATTR)
    if cache is None:
        cache = meta.__dict__[_CACHE_ATTR] = {}
    table = meta.table
    entry = cache.get(key)
    if (
        entry is not None
        and entry.table is table
        and entry.database is database
        and entry.dialect is getattr(database, "dialect", None)
    ):
        return entry
    query = build()
    if query is None:
        return None
    sql, params = database.get_sql_context().sql(query).query()
    entry = Template(table, database, sql, params)
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()
    cache[key] = entry
    return entry


def cacheable_values(values: Any) -> bool:
    for value in values:
        if isinstance(value, Node) or hasattr(value, "__sql__"):
            return False
    return True
