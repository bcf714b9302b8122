"""The MySQL / MariaDB dialect: backtick quoting, ``%s`` placeholders, ``LIKE BINARY`` for
case-sensitive LIKE, ``INSERT IGNORE`` / ``REPLACE`` / ``ON DUPLICATE KEY UPDATE``, emulated
NULLS FIRST/LAST.  Knows no models."""

from __future__ import annotations

from typing import Any, Dict

from ..sql.nodes import SQL, CommaNodeList, Entity, NodeList
from ._upsert import update_assignments
from .base import CSQ_PARENTHESES_UNNESTED, Dialect

__all__ = ["MySQLDialect"]


def _values_of(column: Any) -> Any:
    return NodeList((SQL("VALUES("), Entity(column.name), SQL(")")), glue="")


class MySQLDialect(Dialect):
    name = "mysql"
    param = "%s"
    quote = "``"
    field_types: Dict[str, str] = {
        "AUTO": "INTEGER AUTO_INCREMENT",
        "BIGAUTO": "BIGINT AUTO_INCREMENT",
        "BOOL": "BOOL",
        "DECIMAL": "NUMERIC",
        "DOUBLE": "DOUBLE PRECISION",
        "FLOAT": "FLOAT",
        "JSON": "JSON",
        "UUID": "VARCHAR(40)",
        "UUIDB": "VARBINARY(16)",
    }
    operations: Dict[str, str] = {
        "LIKE": "LIKE BINARY",
        "ILIKE": "LIKE",
        "REGEXP": "REGEXP BINARY",
        "IREGEXP": "REGEXP",
        "#": "XOR",
    }
    compound_select_parentheses = CSQ_PARENTHESES_UNNESTED
    for_update = True
    limit_max = 18446744073709551615
    nulls_ordering = False
    returning_clause = False
    safe_create_index = False
    safe_drop_index = False
    sequences = False
    truncate_table = True
    index_using_precedes_table = True
    use_concat_function = True
    commit_select = True
    default_values = "() VALUES ()"

    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        action = (on_conflict._action or "").lower()
        if not action or action == "update":
            return None
        if action == "replace":
            return SQL("REPLACE")
        if action == "ignore":
            return SQL("INSERT IGNORE")
        raise ValueError(
            'Unsupported action for conflict resolution. MySQL supports "REPLACE" and "IGNORE".'
        )

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        if on_conflict._where or on_conflict._conflict_target or on_conflict._conflict_constraint:
            raise ValueError(
                "MySQL does not support the specification of where clauses or conflict targets "
                "for conflict resolution."
            )
        action = (on_conflict._action or "").lower()
        if action and action != "update":
            return None
        assignments = update_assignments(on_conflict, query, _values_of)
        if not assignments:
            return None
        return NodeList((SQL("ON DUPLICATE KEY UPDATE"), CommaNodeList(assignments)))
