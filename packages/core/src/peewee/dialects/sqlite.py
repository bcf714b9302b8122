"""The SQLite dialect: ``?`` placeholders, GLOB/LIKE spellings, ``INSERT OR ...`` and
``ON CONFLICT`` upserts, ``LIMIT -1`` for an OFFSET without LIMIT.  Knows no models."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ._upsert import sqlite_conflict_statement, sqlite_conflict_update
from .base import CSQ_PARENTHESES_NEVER, Dialect

__all__ = ["SqliteDialect"]


class SqliteDialect(Dialect):
    name = "sqlite"
    param = "?"
    quote = '""'
    field_types: Dict[str, str] = {
        "BIGAUTO": "INTEGER",
        "BIGINT": "INTEGER",
        "BOOL": "INTEGER",
        "DOUBLE": "REAL",
        "JSON": "TEXT",
        "SMALLINT": "INTEGER",
        "UUID": "TEXT",
    }
    operations: Dict[str, str] = {"LIKE": "GLOB", "ILIKE": "LIKE"}
    compound_select_parentheses = CSQ_PARENTHESES_NEVER
    for_update = False
    limit_max = -1
    returning_clause = False
    index_schema_prefix = True
    truncate_table = False
    index_value_literals = True

    _nulls_ordering: Optional[bool] = None

    @property  # type: ignore[override]
    def nulls_ordering(self) -> bool:
        """``NULLS FIRST``/``LAST`` exist from SQLite 3.30.0; older servers get the emulation."""
        if self._nulls_ordering is not None:
            return self._nulls_ordering
        version = self.server_version
        if isinstance(version, tuple) and version and version < (3, 30, 0):
            return False
        return True

    @nulls_ordering.setter
    def nulls_ordering(self, value: bool) -> None:
        self._nulls_ordering = value

    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        return sqlite_conflict_statement(on_conflict, query)

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        return sqlite_conflict_update(on_conflict, query, self.server_version)
