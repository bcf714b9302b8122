"""Shared rendering of ``ON CONFLICT ... DO UPDATE`` / ``ON DUPLICATE KEY UPDATE`` clauses.
Knows the SQL tree only, never models or databases."""

from __future__ import annotations

from typing import Any, List

from ..sql.nodes import SQL, Column, CommaNodeList, EnclosedNodeList, Entity, Node, NodeList


class _Assignment(Node):
    """``"col" = value`` inside an upsert's update list (column bare, value qualified)."""

    def __init__(self, column: Any, value: Any) -> None:
        self.column = column
        self.value = value

    def __sql__(self, ctx: Any) -> Any:
        with ctx.scope_values():
            ctx.sql(self.column)
        ctx._sql.append(" = ")
        value = self.value
        if isinstance(value, Node):
            with ctx.scope_normal(subquery=True):
                ctx.sql(value)
        else:
            converter = getattr(self.column, "db_value", None)
            ctx.value(value, converter if converter is not None else False)
        return ctx


class _Bare(Node):
    """Render a node in values scope (bare column names)."""

    def __init__(self, node: Any) -> None:
        self.node = node

    def __sql__(self, ctx: Any) -> Any:
        with ctx.scope_values():
            ctx.sql(self.node)
        return ctx


class _Qualified(_Bare):
    """Render a node in normal scope (qualified column names)."""

    def __sql__(self, ctx: Any) -> Any:
        with ctx.scope_normal():
            ctx.sql(self.node)
        return ctx


def resolve_column(query: Any, key: Any) -> Any:
    if isinstance(key, str):
        table = query.table
        resolver = getattr(table, "_resolve_column", None)
        if resolver is not None:
            return resolver(key)
        return Column(table, key)
    return key


def update_assignments(on_conflict: Any, query: Any, preserved: Any) -> List[Node]:
    """``preserved(column)`` gives the node meaning "the value proposed for insertion"."""
    items: List[Node] = []
    for column in on_conflict._preserve or ():
        column = resolve_column(query, column)
        items.append(_Assignment(column, preserved(column)))
    for key, value in (on_conflict._update or {}).items():
        items.append(_Assignment(resolve_column(query, key), value))
    return items


def excluded(column: Any) -> Node:
    return NodeList((SQL("EXCLUDED"), Entity(column.name)), glue=".")


def on_conflict_clause(on_conflict: Any, query: Any, backend: str, allow_constraint: bool) -> Any:
    """The PostgreSQL / SQLite ``ON CONFLICT`` clause."""
    action = (on_conflict._action or "").lower()
    if action and action not in ("update", "ignore"):
        if backend == "postgresql":
            raise ValueError(
                "The only supported actions for conflict resolution with Postgresql are "
                '"ignore" or "update".'
            )
        return None
    if backend == "sqlite" and action == "ignore":
        return None
    parts: List[Any] = [SQL("ON CONFLICT")]
    if on_conflict._conflict_constraint:
        if not allow_constraint:
            raise ValueError(
                "SQLite does not support specifying named constraints for conflict resolution."
            )
        parts.extend((SQL("ON CONSTRAINT"), Entity(on_conflict._conflict_constraint)))
    elif on_conflict._conflict_target:
        parts.append(
            _Bare(
                EnclosedNodeList([resolve_column(query, c) for c in on_conflict._conflict_target])
            )
        )
    if on_conflict._conflict_where is not None:
        parts.extend((SQL("WHERE"), _Bare(on_conflict._conflict_where)))
    if action == "ignore":
        parts.append(SQL("DO NOTHING"))
        return NodeList(parts)
    if not (on_conflict._conflict_target or on_conflict._conflict_constraint):
        raise ValueError(
            "%s requires that a conflict target be specified when doing an upsert."
            % ("Postgres" if backend == "postgresql" else "SQLite")
        )
    assignments = update_assignments(on_conflict, query, excluded)
    if not assignments:
        raise ValueError("An upsert must update or preserve at least one column.")
    parts.extend((SQL("DO UPDATE SET"), CommaNodeList(assignments)))
    if on_conflict._where is not None:
        parts.extend((SQL("WHERE"), _Qualified(on_conflict._where)))
    return NodeList(parts)
