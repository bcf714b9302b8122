"""Rendering of conflict resolution for INSERT: ``INSERT OR ...`` / ``INSERT IGNORE`` /
``REPLACE`` statements, ``ON CONFLICT ... DO UPDATE/NOTHING`` and ``ON DUPLICATE KEY UPDATE``.
The dialects' ``conflict_statement`` / ``conflict_update`` hooks call these functions, and so
may a database class written for another backend.  Knows the SQL tree only, never models or
databases."""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from ..sql.nodes import SQL, Column, CommaNodeList, EnclosedNodeList, Entity, Node, NodeList

__all__ = [
    "build_on_conflict_target",
    "build_on_conflict_update",
    "conflict_action",
    "mysql_conflict_statement",
    "mysql_conflict_update",
    "postgresql_conflict_update",
    "sqlite_conflict_statement",
    "sqlite_conflict_update",
    "update_assignments",
]


class _Assignment(Node):
    """``"col" = value`` of an upsert's update list: the column bare, the value in normal scope
    (qualified column names) or, with ``qualify=False``, in values scope (bare names)."""

    def __init__(self, column: Any, value: Any, qualify: bool = True) -> None:
        self.column = column
        self.value = value
        self.qualify = qualify

    def __sql__(self, ctx: Any) -> Any:
        with ctx.scope_values():
            ctx.sql(self.column)
        ctx._sql.append(" = ")
        value = self.value
        if isinstance(value, Node):
            if self.qualify:
                with ctx.scope_normal(subquery=True):
                    ctx.sql(value)
            else:
                with ctx.scope_values(subquery=True):
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


def conflict_action(on_conflict: Any) -> str:
    """The conflict action in lower case (``''`` when none was given)."""
    action = on_conflict._action
    return action.lower() if action else ""


def resolve_column(query: Any, key: Any) -> Any:
    """A column of the query's table for a name (fields of a model keep their converters)."""
    if isinstance(key, str):
        table = query.table
        resolver = getattr(table, "_resolve_column", None)
        if resolver is not None:
            return resolver(key)
        return Column(table, key)
    return key


def update_assignments(
    on_conflict: Any, query: Any, preserved: Callable[[Any], Any], qualify: bool = True
) -> List[Node]:
    """The ``col = value`` list of an upsert: first the ``preserve`` columns (``preserved(column)``
    gives the node meaning "the value proposed for insertion"), then the ``update`` items."""
    items: List[Node] = []
    for column in on_conflict._preserve or ():
        column = resolve_column(query, column)
        items.append(_Assignment(column, preserved(column)))
    for key, value in (on_conflict._update or {}).items():
        items.append(_Assignment(resolve_column(query, key), value, qualify))
    return items


def excluded(column: Any) -> Node:
    """``EXCLUDED."col"``: the row proposed for insertion (PostgreSQL, SQLite)."""
    return NodeList((SQL("EXCLUDED"), _Bare(column)), glue=".")


def build_on_conflict_target(on_conflict: Any) -> Node:
    """``ON CONFLICT [("col", ...) [WHERE ...] | ON CONSTRAINT "name"]``."""
    if on_conflict._conflict_target:
        parts: List[Any] = [
            SQL("ON CONFLICT"),
            _Bare(
                EnclosedNodeList(
                    [Entity(c) if isinstance(c, str) else c for c in on_conflict._conflict_target]
                )
            ),
        ]
        if on_conflict._conflict_where is not None:
            parts.extend((SQL("WHERE"), _Bare(on_conflict._conflict_where)))
        return NodeList(parts)
    constraint = on_conflict._conflict_constraint
    if constraint:
        if isinstance(constraint, str):
            constraint = Entity(constraint)
        return NodeList((SQL("ON CONFLICT ON CONSTRAINT"), constraint))
    return SQL("ON CONFLICT")


def build_on_conflict_update(on_conflict: Any, query: Any) -> Node:
    """``ON CONFLICT ... DO UPDATE SET ... [WHERE ...]`` (PostgreSQL and SQLite)."""
    parts: List[Any] = [
        build_on_conflict_target(on_conflict),
        SQL("DO UPDATE SET"),
        CommaNodeList(update_assignments(on_conflict, query, excluded)),
    ]
    if on_conflict._where is not None:
        parts.extend((SQL("WHERE"), _Qualified(on_conflict._where)))
    return NodeList(parts)


def _check_updates(on_conflict: Any, action_name: str) -> None:
    if not on_conflict._update and not on_conflict._preserve:
        raise ValueError(
            "If you are not performing any updates (or preserving any INSERTed values), then "
            'the conflict resolution action should be set to "%s".' % action_name
        )


# SQLite -------------------------------------------------------------------------------------


def sqlite_conflict_statement(on_conflict: Any, query: Any) -> Optional[Node]:
    """``INSERT OR <ACTION>`` for any action but ``update`` / ``nothing``."""
    action = conflict_action(on_conflict)
    if action and action not in ("nothing", "update"):
        return SQL("INSERT OR %s" % on_conflict._action.upper())
    return None


def sqlite_conflict_update(
    on_conflict: Any, query: Any, server_version: Any = None
) -> Optional[Node]:
    """``ON CONFLICT`` for SQLite (3.24.0 or newer for anything but ``INSERT OR ...``)."""
    oc = on_conflict
    if (
        isinstance(server_version, tuple)
        and server_version < (3, 24, 0)
        and any((oc._preserve, oc._update, oc._where, oc._conflict_target, oc._conflict_constraint))
    ):
        raise ValueError("SQLite does not support specifying which values to preserve or update.")
    action = conflict_action(oc)
    if action and action not in ("nothing", "update"):
        return None
    if action == "nothing":
        if oc._conflict_constraint:
            raise ValueError(
                "SQLite does not support specifying named constraints for conflict resolution."
            )
        return NodeList((build_on_conflict_target(oc), SQL("DO NOTHING")))
    _check_updates(oc, "NOTHING")
    if oc._conflict_constraint:
        raise ValueError(
            "SQLite does not support specifying named constraints for conflict resolution."
        )
    if not oc._conflict_target:
        raise ValueError("SQLite requires that a conflict target be specified when doing an upsert.")
    return build_on_conflict_update(oc, query)


# PostgreSQL ---------------------------------------------------------------------------------


def postgresql_conflict_update(on_conflict: Any, query: Any) -> Node:
    """``ON CONFLICT ... DO NOTHING`` for ``ignore`` / ``nothing``, else ``DO UPDATE``."""
    oc = on_conflict
    action = conflict_action(oc)
    if action in ("ignore", "nothing"):
        return NodeList((build_on_conflict_target(oc), SQL("DO NOTHING")))
    if action and action != "update":
        raise ValueError(
            "The only supported actions for conflict resolution with Postgresql are "
            '"ignore" or "update".'
        )
    _check_updates(oc, "IGNORE")
    if not (oc._conflict_target or oc._conflict_constraint):
        raise ValueError(
            "Postgres requires that a conflict target be specified when doing an upsert."
        )
    return build_on_conflict_update(oc, query)


# MySQL / MariaDB ----------------------------------------------------------------------------


def mysql_conflict_statement(on_conflict: Any, query: Any) -> Optional[Node]:
    """``REPLACE`` or ``INSERT IGNORE`` (``update`` keeps a plain ``INSERT``)."""
    action = conflict_action(on_conflict)
    if not action:
        return None
    if action == "replace":
        return SQL("REPLACE")
    if action == "ignore":
        return SQL("INSERT IGNORE")
    if action != "update":
        raise ValueError(
            "Un-supported action for conflict resolution. MySQL supports REPLACE, IGNORE and "
            "UPDATE."
        )
    return None


def _inserted_value(function: str) -> Callable[[Any], Node]:
    def render(column: Any) -> Node:
        return NodeList((SQL(function + "("), _Bare(column), SQL(")")), glue="")

    return render


def mysql_conflict_update(
    on_conflict: Any, query: Any, server_version: Any = None, mariadb: bool = False
) -> Optional[Node]:
    """``ON DUPLICATE KEY UPDATE``; a preserved column reads the proposed row with ``VALUES(col)``,
    or ``VALUE(col)`` on MariaDB 10.3.3 and newer."""
    oc = on_conflict
    if oc._where is not None or oc._conflict_target or oc._conflict_constraint:
        raise ValueError(
            "MySQL does not support the specification of where clauses or conflict targets for "
            "conflict resolution."
        )
    version = server_version if isinstance(server_version, tuple) and server_version else (0,)
    # Oracle MySQL has no 10.x release: a 10.x server is MariaDB.
    is_mariadb = bool(mariadb) or version >= (10,)
    function = "VALUE" if is_mariadb and version >= (10, 3, 3) else "VALUES"
    items = update_assignments(oc, query, _inserted_value(function), qualify=False)
    if not items:
        return None
    return NodeList((SQL("ON DUPLICATE KEY UPDATE"), CommaNodeList(items)))
