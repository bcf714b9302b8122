"""Rendered-SQL templates for the hot single-row paths (``get_by_id``, ``save()``, ``create()``).

The statement of such a call has the same text every time for a model, a field set and a database;
only the parameters change.  A template is rendered once through the normal query objects with
placeholder markers, then reused.  It is dropped when the model's table (fields, name, schema) or
database changes.  Knows queries only through the public model API.
"""
from __future__ import annotations

import datetime as _dt
import decimal as _decimal
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


# -- repeated SELECT shapes ------------------------------------------------------------------

_SELECT_CACHE_ATTR = "_select_sql_templates"
_COMPARISONS = frozenset(("=", "!=", "<", "<=", ">", ">=", "<>"))
_PLAIN_TYPES = frozenset((int, float, str, bool, _dt.datetime, _dt.date, _dt.time, _decimal.Decimal))
# Query attributes that must hold these values (anything else renders more than the shape).
_NEUTRAL = {
    "_alias": None, "_cte_list": None, "_distinct": None, "_for_update": None,
    "_for_update_nowait": None, "_for_update_of": None, "_group_by": None, "_having": None,
    "_lateral": None, "_simple_distinct": None, "_windows": None,
}
# Attributes that do not change the text (row shape, caches, the bound database).
_IGNORED = frozenset((
    "_constructor", "_cursor_wrapper", "_database", "_hash", "_is_default", "_join_ctx",
    "_row_type", "model",
))
_SHAPE = frozenset(("_from_list", "_joins", "_limit", "_offset", "_order_by", "_returning", "_where"))
_KNOWN = _SHAPE | _IGNORED
_EXPRESSION_ATTRS = frozenset(("lhs", "op", "rhs", "flat"))
_CLASSES: list = []


def _own_field(node: Any, model: Any, table: Any, field_sql: Any) -> bool:
    return (
        type(node).__sql__ is field_sql
        and getattr(node, "model", None) is model
        and node.column.source is table
    )


def _where_shape(node: Any, model: Any, table: Any, field_sql: Any, expr_cls: Any,
                 leaves: list) -> Any:
    """The shape of a WHERE tree of ``field <op> constant`` terms joined by AND / OR, collecting
    ``(field, value)`` per constant in rendering order; None for anything else."""
    if type(node) is not expr_cls or node.__dict__.keys() != _EXPRESSION_ATTRS:
        return None
    op = node.op
    if op == "AND" or op == "OR":
        left = _where_shape(node.lhs, model, table, field_sql, expr_cls, leaves)
        if left is None:
            return None
        right = _where_shape(node.rhs, model, table, field_sql, expr_cls, leaves)
        if right is None:
            return None
        return (op, node.flat, left, right)
    if op not in _COMPARISONS:
        return None
    lhs, rhs = node.lhs, node.rhs
    if type(rhs) not in _PLAIN_TYPES or not _own_field(lhs, model, table, field_sql):
        return None
    leaves.append((lhs, rhs))
    return (op, node.flat, id(lhs), lhs.column_name)


def _order_shape(items: Any, model: Any, table: Any, field_sql: Any, ordering_cls: Any) -> Any:
    shape = []
    for item in items:
        if _own_field(item, model, table, field_sql):
            shape.append((id(item), item.column_name))
        elif (
            type(item) is ordering_cls
            and item.collation is None
            and item.nulls is None
            and _own_field(item.node, model, table, field_sql)
        ):
            shape.append((id(item.node), item.node.column_name, item.direction))
        else:
            return None
    return tuple(shape)


def render_select(query: Any, ctx: Any, select_list: Any, render: Callable[[Any], Any]) -> bool:
    """Render a simple single-model SELECT at the top of ``ctx`` from a template of its shape.

    The shape is the select list, the WHERE tree without its constants, ORDER BY, LIMIT and
    OFFSET; the constants become parameters, converted as the rendering would convert them
    (the field's ``db_value``).  The template is the query's own rendering with markers in
    place of the constants.  Returns False (nothing written) when the query or the context is
    not of that simple kind."""
    if ctx._sql or ctx.stack:
        return False
    if not _CLASSES:
        from .fields import Field
        from .sql.nodes import Expression, Ordering

        _CLASSES.extend((Field, Expression, Ordering))
    Field, Expression, Ordering = _CLASSES
    attrs = query.__dict__
    for name in attrs.keys() - _KNOWN:
        value = attrs[name]
        if name not in _NEUTRAL or (value is not None and value is not False):
            return False
    model = query.model
    meta = getattr(model, "_meta", None)
    if meta is None or attrs.get("_joins") or attrs.get("_from_list") != [model]:
        return False
    table = meta.table
    field_sql = Field.__sql__
    leaves: list = []
    where = attrs.get("_where")
    where_shape = None
    if where is not None:
        where_shape = _where_shape(where, model, table, field_sql, Expression, leaves)
        if where_shape is None:
            return False
    order_shape = ()
    if attrs.get("_order_by"):
        order_shape = _order_shape(attrs["_order_by"], model, table, field_sql, Ordering)
        if order_shape is None:
            return False
    limit, offset = attrs.get("_limit"), attrs.get("_offset")
    if not (limit is None or type(limit) is int) or not (offset is None or type(offset) is int):
        return False
    args = []
    for field, value in leaves:
        if getattr(field, "_coerce", False):
            value = field.db_value(value)
            if type(value) not in _PLAIN_TYPES and (
                isinstance(value, Node) or hasattr(value, "__sql__")
            ):
                return False
        args.append(value)
    dialect = ctx.dialect
    key = (dialect, select_list, where_shape, order_shape, limit, offset)
    cache = meta.__dict__.get(_SELECT_CACHE_ATTR)
    if cache is None or cache[0] is not table or len(cache[1]) >= _MAX_ENTRIES:
        cache = meta.__dict__[_SELECT_CACHE_ATTR] = (table, {})
    state = ctx.state.__dict__
    entry = cache[1].get(key)
    if entry is not None and entry.extra == state:
        ctx._sql.append(entry.sql)
        ctx._values.extend(entry.params(args))
        return True
    # Render the query itself (into ``ctx``, as usual) with markers in place of the constants.
    snapshot = dict(state)
    shaped = object.__new__(type(query))
    shaped.__dict__.update(attrs)
    if where is not None:
        shaped._where = _with_markers(where, iter(marker_values(len(leaves))), Expression)
    render(shaped)
    sql, params = ctx.query()
    entry = Template(table, None, sql, params)
    entry.extra = snapshot
    cache[1][key] = entry
    ctx._sql[:] = [sql]
    ctx._values[:] = entry.params(args)
    return True


def _with_markers(node: Any, markers: Any, expr_cls: Any) -> Any:
    """A copy of a WHERE tree accepted by ``_where_shape`` with each constant replaced by the
    next marker (in rendering order)."""
    if node.op == "AND" or node.op == "OR":
        left = _with_markers(node.lhs, markers, expr_cls)
        right = _with_markers(node.rhs, markers, expr_cls)
        return expr_cls(left, node.op, right, node.flat)
    return expr_cls(node.lhs, node.op, next(markers), node.flat)
