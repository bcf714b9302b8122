"""The MySQL / MariaDB dialect: backtick quoting, ``%s`` placeholders, ``LIKE BINARY`` for
case-sensitive LIKE, ``INSERT IGNORE`` / ``REPLACE`` / ``ON DUPLICATE KEY UPDATE``, emulated
NULLS FIRST/LAST.  Knows no models."""

from __future__ import annotations

from typing import Any, Dict

from ._upsert import mysql_conflict_statement, mysql_conflict_update
from .base import CSQ_PARENTHESES_UNNESTED, Dialect

__all__ = ["MySQLDialect"]


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
    truncate_options = False
    index_using_precedes_table = True
    use_concat_function = True
    commit_select = True
    default_values = "() VALUES ()"
    #: True for MariaDB, whose JSON values are marked with ``JSON_COMPACT()`` rather than
    #: ``CAST(... AS JSON)``; ``MySQLDatabase`` sets it (``mariadb=`` or the server's version).
    mariadb = False

    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        return mysql_conflict_statement(on_conflict, query)

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        return mysql_conflict_update(
            on_conflict, query, self.server_version, getattr(self, "mariadb", False)
        )
