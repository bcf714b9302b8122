"""The ``Dialect`` base: what the SQL compiler asks a backend about (quoting, placeholders,
column types, operator spellings, feature flags, upsert and LIMIT forms).  Knows no models
and no connections; a dialect is plain data plus a few small hooks."""

from __future__ import annotations

from typing import Any, Dict, Optional

__all__ = [
    "Dialect",
    "FIELD",
    "CSQ_PARENTHESES_NEVER",
    "CSQ_PARENTHESES_ALWAYS",
    "CSQ_PARENTHESES_UNNESTED",
    "CSQ_PARENTHESES_GROUPED",
]

#: Compound-select member parentheses: never (SQLite), always (PostgreSQL),
#: only for members that are not themselves compound queries (MySQL).
CSQ_PARENTHESES_NEVER = 0
CSQ_PARENTHESES_ALWAYS = 1
CSQ_PARENTHESES_UNNESTED = 2
#: Like UNNESTED, but a nested compound member is parenthesised where the grouping changes the
#: result (servers that accept it: MariaDB 10.4+, MySQL 8.0.22+).
CSQ_PARENTHESES_GROUPED = 3

#: Abstract field type -> generic column type; each dialect overrides some entries.
FIELD: Dict[str, str] = {
    "AUTO": "INTEGER",
    "BIGAUTO": "BIGINT",
    "BIGINT": "BIGINT",
    "BLOB": "BLOB",
    "BOOL": "SMALLINT",
    "CHAR": "CHAR",
    "DATE": "DATE",
    "DATETIME": "DATETIME",
    "DECIMAL": "DECIMAL",
    "DEFAULT": "",
    "DOUBLE": "REAL",
    "FLOAT": "REAL",
    "INT": "INTEGER",
    "SMALLINT": "SMALLINT",
    "TEXT": "TEXT",
    "TIME": "TIME",
    "UUID": "TEXT",
    "UUIDB": "BLOB",
    "VARCHAR": "VARCHAR",
}

_DICT_OPTIONS = ("field_types", "operations")


class Dialect:
    """Backend description used by :class:`~peewee.Context`.

    Class attributes are the defaults; ``Dialect(**overrides)`` or ``dialect.derive(**overrides)``
    produce an instance with some of them replaced (dictionaries are merged, not replaced).
    """

    name: str = "generic"
    #: placeholder for a bound parameter
    param: str = "?"
    #: opening and closing identifier quote characters
    quote: str = '""'
    #: abstract field type -> column type (merged over ``FIELD``)
    field_types: Dict[str, str] = {}
    #: operator spelling overrides, keyed by the generic operator text (e.g. ``'ILIKE'``)
    operations: Dict[str, str] = {}

    # Feature flags.
    compound_select_parentheses: int = CSQ_PARENTHESES_NEVER
    for_update: bool = False
    limit_max: Optional[int] = None
    nulls_ordering: bool = False
    returning_clause: bool = False
    safe_create_index: bool = True
    safe_drop_index: bool = True
    sequences: bool = False
    truncate_table: bool = True
    #: TRUNCATE accepts ``RESTART IDENTITY`` and ``CASCADE``
    truncate_options: bool = True
    #: DDL takes no bound parameters: an index's WHERE values are written as literals
    index_value_literals: bool = False
    index_schema_prefix: bool = False
    index_using_precedes_table: bool = False
    use_concat_function: bool = False
    commit_select: bool = False
    #: how an INSERT of a row made only of column defaults ends
    default_values: str = "DEFAULT VALUES"
    server_version: Any = None

    def __init__(self, **overrides: Any) -> None:
        merged_types = dict(FIELD)
        for klass in reversed(type(self).__mro__):
            merged_types.update(klass.__dict__.get("field_types", {}))
        ops: Dict[str, str] = {}
        for klass in reversed(type(self).__mro__):
            ops.update(klass.__dict__.get("operations", {}))
        self.field_types = merged_types
        self.operations = ops
        for key, value in overrides.items():
            if key in _DICT_OPTIONS:
                if value:
                    getattr(self, key).update(value)
            else:
                setattr(self, key, value)
        self._quote_cache: Dict[str, str] = {}

    @property
    def supports_returning(self) -> bool:
        return self.returning_clause

    def derive(self, **overrides: Any) -> "Dialect":
        """Return a copy of this dialect with ``overrides`` applied (dicts merged)."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.field_types = dict(self.field_types)
        new.operations = dict(self.operations)
        new._quote_cache = {}
        for key, value in overrides.items():
            if key in _DICT_OPTIONS:
                if value:
                    getattr(new, key).update(value)
            else:
                setattr(new, key, value)
        return new

    # Identifier quoting -------------------------------------------------------------------
    def quote_name(self, name: str) -> str:
        """Quote one identifier, doubling embedded closing-quote characters."""
        try:
            return self._quote_cache[name]
        except KeyError:
            q = self.quote
            text = q[0] + name.replace(q[1], q[1] + q[1]) + q[1]
            if len(self._quote_cache) < 4096:
                self._quote_cache[name] = text
            return text

    def get_field_type(self, field_type: str) -> str:
        return self.field_types.get(field_type, field_type)

    # Hooks used by INSERT ... ON CONFLICT -----------------------------------------------------
    # A backend implements both (``peewee.dialects._upsert`` has the building blocks); the
    # generic dialect knows no conflict syntax.
    def conflict_statement(self, on_conflict: Any, query: Any) -> Any:
        """SQL node replacing ``INSERT`` (e.g. ``INSERT OR IGNORE``), or None."""
        raise NotImplementedError

    def conflict_update(self, on_conflict: Any, query: Any) -> Any:
        """SQL node appended after the VALUES part (e.g. ``ON CONFLICT ...``), or None."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return "<%s>" % type(self).__name__
