"""The SQL compiler: ``Context`` walks a node tree and collects SQL text and parameters,
tracking scope, table aliases and the dialect.  Knows nothing of models or databases
(a database hands it a dialect; a model class renders through its own ``__sql__``)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Dict, List, Optional, Tuple

from ..dialects.base import Dialect
from .nodes import (
    _MULTI,
    SCOPE_COLUMN,
    SCOPE_CTE,
    SCOPE_NORMAL,
    SCOPE_SOURCE,
    SCOPE_VALUES,
    Node,
    Value,
)

__all__ = ["AliasManager", "Context", "State", "query_to_string"]

_DIALECT_OPTIONS = frozenset(
    (
        "param",
        "quote",
        "field_types",
        "operations",
        "compound_select_parentheses",
        "for_update",
        "limit_max",
        "nulls_ordering",
        "index_schema_prefix",
        "index_using_precedes_table",
        "use_concat_function",
        "returning_clause",
    )
)

_DEFAULT_DIALECT = Dialect()


class State:
    """Compiler state: ``scope``, ``parentheses``, ``subquery``, ``converter`` and any setting
    given to the ``Context``.  Unknown attributes read as ``None``."""

    def __init__(self, scope: int = SCOPE_NORMAL, parentheses: bool = False, **kwargs: Any) -> None:
        self.__dict__.update(kwargs)
        self.scope = scope
        self.parentheses = parentheses

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return None

    def __call__(self, **overrides: Any) -> "State":
        new = State.__new__(State)
        d = self.__dict__.copy()
        d["parentheses"] = False
        d.update(overrides)
        new.__dict__ = d
        return new

    def __repr__(self) -> str:
        return "State(%s)" % ", ".join("%s=%r" % kv for kv in sorted(self.__dict__.items()))


class AliasManager:
    """Gives each source of a query an alias (``t1``, ``t2``, ...), one mapping per nesting level.

    Entering a level starts a fresh mapping; lookups see the current level only (or, with
    ``get(source, any_depth=True)``, the enclosing levels too).
    """

    __slots__ = ("_counter", "_current_index", "_mapping", "mapping", "_prefixes", "prefixes")

    def __init__(self) -> None:
        self._counter = 0
        self._current_index = 0
        self._mapping: List[Dict[Any, str]] = []
        self.mapping: Dict[Any, str] = {}
        # Per level: source -> rendered column prefix (``"t1".``), filled by the compiler.
        self._prefixes: List[Dict[Any, str]] = []
        self.prefixes: Dict[Any, str] = {}
        self.push()

    def add(self, source: Any) -> str:
        mapping = self.mapping
        if source not in mapping:
            self._counter += 1
            mapping[source] = "t%d" % self._counter
        return mapping[source]

    def get(self, source: Any, any_depth: bool = False) -> str:
        if any_depth:
            for idx in reversed(range(self._current_index)):
                if source in self._mapping[idx]:
                    return self._mapping[idx][source]
        return self.add(source)

    def __getitem__(self, source: Any) -> str:
        try:
            return self.mapping[source]
        except KeyError:
            self._counter += 1
            alias = self.mapping[source] = "t%d" % self._counter
            return alias

    def __setitem__(self, source: Any, alias: str) -> None:
        self.mapping[source] = alias
        self.prefixes.pop(source, None)

    def __contains__(self, source: Any) -> bool:
        return source in self.mapping

    def push(self, initial: Optional[Dict[Any, str]] = None) -> None:
        """Enter a level, starting from a copy of ``initial`` (or empty)."""
        self._current_index += 1
        del self._mapping[self._current_index - 1 :]
        del self._prefixes[self._current_index - 1 :]
        self._mapping.append(dict(initial) if initial else {})
        self._prefixes.append({})
        self.mapping = self._mapping[-1]
        self.prefixes = self._prefixes[-1]

    def pop(self) -> None:
        if self._current_index == 1:
            raise ValueError("Cannot pop() from empty alias manager.")
        self._current_index -= 1
        self.mapping = self._mapping[self._current_index - 1]
        self.prefixes = self._prefixes[self._current_index - 1]


class _PushAlias:
    __slots__ = ("am", "initial")

    def __init__(self, am: AliasManager, initial: Optional[Dict[Any, str]] = None) -> None:
        self.am = am
        self.initial = initial

    def __enter__(self) -> None:
        self.am.push(self.initial)

    def __exit__(self, *exc: Any) -> None:
        self.am.pop()


class Context:
    """Compiles nodes to ``(sql, params)``: ``Context(dialect=...).sql(node).query()``."""

    __slots__ = ("dialect", "state", "stack", "_sql", "_values", "alias_manager")

    def __init__(self, dialect: Optional[Dialect] = None, **settings: Any) -> None:
        if dialect is None:
            dialect = _DEFAULT_DIALECT
        # Dialect data given as settings (peewee's context options) refine the dialect; hooks
        # such as conflict_statement stay in the state, where they win over the dialect's.
        if settings:
            dialect_options = {}
            for key in [k for k in settings if k in _DIALECT_OPTIONS]:
                value = settings.pop(key)
                if value is not None and not callable(value):
                    dialect_options[key] = value
            if dialect_options:
                dialect = dialect.derive(**dialect_options)
        self.dialect = dialect
        self.stack: List[State] = []
        self._sql: List[str] = []
        self._values: List[Any] = []
        self.alias_manager = AliasManager()
        self.state = State(**settings)

    # State -----------------------------------------------------------------------------------
    @property
    def scope(self) -> int:
        return self.state.scope

    @property
    def parentheses(self) -> bool:
        return self.state.parentheses

    @property
    def subquery(self) -> Any:
        return self.state.subquery

    def __call__(self, **overrides: Any) -> "Context":
        self.stack.append(self.state)
        self.state = self.state(**overrides)
        return self

    def push(self, **overrides: Any) -> None:
        """Push a state without emitting parentheses (pair with ``pop()``)."""
        self.stack.append(self.state)
        self.state = self.state(**overrides)

    def pop(self) -> None:
        self.state = self.stack.pop()

    def __enter__(self) -> "Context":
        if self.state.parentheses:
            self._sql.append("(")
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.state.parentheses:
            self._sql.append(")")
        self.state = self.stack.pop()

    def scope_normal(self, **kwargs: Any) -> "Context":
        return self(scope=SCOPE_NORMAL, **kwargs)

    def scope_source(self, **kwargs: Any) -> "Context":
        return self(scope=SCOPE_SOURCE, **kwargs)

    def scope_values(self, **kwargs: Any) -> "Context":
        return self(scope=SCOPE_VALUES, **kwargs)

    def scope_cte(self, **kwargs: Any) -> "Context":
        return self(scope=SCOPE_CTE, **kwargs)

    def scope_column(self, **kwargs: Any) -> "Context":
        return self(scope=SCOPE_COLUMN, **kwargs)

    def push_alias(self, initial: Optional[Dict[Any, str]] = None) -> _PushAlias:
        """Context manager entering a new alias level (see ``AliasManager.push``)."""
        return _PushAlias(self.alias_manager, initial)

    def column_sort_key(self, item: Any) -> Any:
        return item[0].get_sort_key(self)

    # Output ----------------------------------------------------------------------------------
    def sql(self, obj: Any) -> "Context":
        if isinstance(obj, Node):
            obj.__sql__(self)
        elif isinstance(obj, type) and hasattr(obj, "__sql__"):
            obj.__sql__(self)
        elif isinstance(obj, Context):
            self._sql.extend(obj._sql)
            self._values.extend(obj._values)
        elif isinstance(obj, _MULTI):
            # A list of values is a parenthesised list of parameters, one per item.
            Value(obj).__sql__(self)
        else:
            self.value(obj)
        return self

    def literal(self, keyword: str) -> "Context":
        self._sql.append(keyword)
        return self

    def value(self, value: Any, converter: Any = None, add_param: bool = True) -> "Context":
        if converter is None:
            converter = self.state.converter
        if converter:
            value = converter(value)
        if isinstance(value, Node):
            with self(converter=None):
                self.sql(value)
            return self
        if hasattr(value, "__sql__"):
            if isinstance(value, type):
                # A model class given as a value stands for its table's alias: COUNT("t1").
                with self.scope_column():
                    value.__sql__(self)
                return self
            # Objects that render themselves (e.g. a model instance stands for its key value).
            with self(converter=None):
                value.__sql__(self)
            return self
        if add_param:
            self._sql.append(self.dialect.param)
            self._values.append(value)
        else:
            self._sql.append(str(value))
        return self

    def source_prefix(self, source: Any) -> str:
        """The ``"alias".`` text that qualifies a column of ``source`` (cached per alias level)."""
        prefixes = self.alias_manager.prefixes
        try:
            return prefixes[source]
        except KeyError:
            pass
        except TypeError:  # an unhashable source
            return self._source_prefix(source)
        prefix = prefixes[source] = self._source_prefix(source)
        return prefix

    def _source_prefix(self, source: Any) -> str:
        fast = getattr(source, "_column_prefix", None)
        if fast is not None:
            return fast(self)
        saved, saved_values = self._sql, self._values
        self._sql, self._values = [], []
        try:
            with self.scope_column():
                self.sql(source)
            text = "".join(self._sql)
        finally:
            self._sql, self._values = saved, saved_values
        return text + "."

    def query(self) -> Tuple[str, List[Any]]:
        return "".join(self._sql), self._values

    def parse(self, node: Any) -> Tuple[str, List[Any]]:
        return self.sql(node).query()

    def as_new(self) -> "Context":
        return Context(self.dialect)

    def __repr__(self) -> str:
        return "<Context %s>" % "".join(self._sql)


def _literal_for_display(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    if isinstance(value, bytes):
        value = value.decode("utf8", "replace")
    elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        value = value.isoformat(" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return "'%s'" % str(value).replace("'", "''")


def query_to_string(query: Any) -> str:
    """The query's SQL with parameters inlined, for display and logging only (never execute it)."""
    database = getattr(query, "_database", None)
    ctx = database.get_sql_context() if database is not None else Context()
    sql, params = ctx.sql(query).query()
    if not params:
        return sql
    param = ctx.dialect.param
    parts = sql.split(param)
    if len(parts) - 1 != len(params):
        return sql
    out = [parts[0]]
    for value, part in zip(params, parts[1:]):
        out.append(_literal_for_display(value))
        out.append(part)
    return "".join(out)


# Scope constants are re-exported here for convenience of code that imports the compiler.
SCOPES = (SCOPE_NORMAL, SCOPE_SOURCE, SCOPE_VALUES, SCOPE_CTE, SCOPE_COLUMN)
