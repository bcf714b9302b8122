"""The PostgreSQL dialect: ``%s`` placeholders, ILIKE and ``~`` regular expressions, RETURNING,
``ON CONFLICT`` upserts, FOR UPDATE, sequences.  Knows no models."""

from __future__ import annotations

from typing import Any, Dict

from ._upsert import postgresql_conflict_update
from .base import CSQ_PARENTHESES_ALWAYS, Dialect

__all__ = ["PostgresqlDialect"]


class PostgresqlDialect(Dialect):
    name = "postgresql"
    param = "%s"
    quote = '""'
    field_types: Dict[str, str] = {
        "AUTO": "SERIAL",
        "BIGAUTO": "BIGSERIAL",
        "BLOB": "BYTEA",
        "BOOL": "BOOLEAN",
        "DATETIME": "TIMESTAMP",
        "DECIMAL": "NUMERIC",
        "DOUBLE": "DOUBLE PRECISION",
        "JSON": "JSONB",
        "UUID": "UUID",
        "UUIDB": "BYTEA",
    }
    operations: Dict[str, str] = {"REGEXP": "~", "IREGEXP": "~*"}
    compound_select_parentheses = CSQ_PARENTHESES_ALWAYS
    for_update = True
    nulls_ordering = True
    returning_clause = True
    safe_create_index = True
    sequences = True
    truncate_table = True

    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        return None

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        return postgresql_conflict_update(on_conflict, query)
