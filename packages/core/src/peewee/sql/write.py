"""Write statements of the table-level query builder: INSERT (with upserts), UPDATE, DELETE,
and the CREATE INDEX node.  Knows nothing of models; model queries subclass these and
supply defaults through ``get_default_data()`` / ``get_default_columns()``."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional, Sequence

from ..errors import InterfaceError
from .context import _DEFAULT_DIALECT, Context
from .nodes import SQL, Column, Entity, Node, _render_list
from .query import Query, SelectQuery, Table, and_onto

__all__ = ["Insert", "OnConflict", "Update", "Delete", "Index", "ValueLiterals"]


class _WriteQuery(Query):
    """Shared parts of INSERT / UPDATE / DELETE: the target table and RETURNING."""

    def __init__(
        self, table: Any, returning: Optional[Sequence[Any]] = None, **kwargs: Any
    ) -> None:
        self.table = table
        self._returning = returning
        self._return_cursor = bool(returning)
        super().__init__(**kwargs)

    def cte(
        self, name: str, recursive: bool = False, columns: Any = None, materialized: Any = None
    ) -> Any:
        from .query import CTE

        return CTE(name, self, recursive=recursive, columns=columns, materialized=materialized)

    @Node.copy
    def returning(self, *returning: Any) -> None:
        self._returning = returning
        self._return_cursor = bool(returning)

    def apply_returning(self, ctx: Any) -> Any:
        if self._returning:
            ctx._sql.append(" RETURNING ")
            with ctx.scope_source():
                _render_list(ctx, self._returning, ", ")
        return ctx

    def _execute(self, database: Any) -> Any:
        if self._returning:
            cursor = self.execute_returning(database)
        else:
            cursor = database.execute(self)
        return self.handle_result(database, cursor)

    def execute_returning(self, database: Any) -> Any:
        if self._cursor_wrapper is None:
            cursor = database.execute(self)
            self._cursor_wrapper = self._get_cursor_wrapper(cursor)
        return self._cursor_wrapper

    def handle_result(self, database: Any, cursor: Any) -> Any:
        if self._return_cursor:
            return cursor
        return database.rows_affected(cursor)

    def _set_table_alias(self, ctx: Any) -> None:
        table = self.table
        alias = getattr(table, "_alias", None) or getattr(table, "__name__", None)
        if alias:
            ctx.alias_manager[table] = alias

    def __sql__(self, ctx: Any) -> Any:
        self._render_ctes(ctx)
        self._set_table_alias(ctx)
        return ctx


def _supports_returning(database: Any) -> bool:
    flag = getattr(database, "returning_clause", None)
    if flag is None:
        flag = getattr(getattr(database, "dialect", None), "returning_clause", False)
    return bool(flag)


def _column_of(table: Any, key: Any) -> Any:
    if isinstance(key, str):
        resolver = getattr(table, "_resolve_column", None)
        if resolver is not None:
            return resolver(key)
        return Column(table, key)
    return key


class Update(_WriteQuery):
    """``UPDATE table SET col = value, ... [FROM ...] [WHERE ...] [RETURNING ...]``"""

    def __init__(self, table: Any, update: Optional[Dict[Any, Any]] = None, **kwargs: Any) -> None:
        super().__init__(table, **kwargs)
        self._update = update
        self._from: Any = None

    @Node.copy
    def from_(self, *sources: Any) -> None:
        self._from = sources

    def __sql__(self, ctx: Any) -> Any:
        super().__sql__(ctx)
        sql = ctx._sql
        with ctx.scope_values(subquery=True):
            sql.append("UPDATE ")
            ctx.sql(self.table)
            sql.append(" SET ")
            first = True
            items = [(_column_of(self.table, k), v) for k, v in self._update.items()]
            items.sort(key=ctx.column_sort_key)
            for column, value in items:
                if first:
                    first = False
                else:
                    sql.append(", ")
                ctx.sql(column)
                sql.append(" = ")
                _render_assigned(ctx, column, value)
            if self._from:
                sql.append(" FROM ")
                with ctx.scope_source(parentheses=False):
                    _render_list(ctx, self._from, ", ")
            if self._where is not None:
                sql.append(" WHERE ")
                with ctx.scope_normal():
                    ctx.sql(self._where)
            self._apply_ordering(ctx)
            return self.apply_returning(ctx)


def _render_assigned(ctx: Any, column: Any, value: Any) -> None:
    """Render ``value`` assigned to ``column``: values converted by the column's ``db_value``."""
    if isinstance(value, Node):
        with ctx.scope_normal():
            value.__sql__(ctx)
        return
    converter = getattr(column, "db_value", None)
    ctx.value(value, converter if converter is not None else False)


class Delete(_WriteQuery):
    """``DELETE FROM table [WHERE ...] [RETURNING ...]``"""

    def __sql__(self, ctx: Any) -> Any:
        super().__sql__(ctx)
        sql = ctx._sql
        with ctx.scope_values(subquery=True):
            sql.append("DELETE FROM ")
            ctx.sql(self.table)
            if self._where is not None:
                sql.append(" WHERE ")
                with ctx.scope_normal():
                    ctx.sql(self._where)
            self._apply_ordering(ctx)
            return self.apply_returning(ctx)


class OnConflict(Node):
    """Conflict resolution of an INSERT (``ON CONFLICT``, ``OR IGNORE``, ``ON DUPLICATE KEY``)."""

    def __init__(
        self,
        action: Optional[str] = None,
        update: Optional[Dict[Any, Any]] = None,
        preserve: Any = None,
        where: Any = None,
        conflict_target: Any = None,
        conflict_where: Any = None,
        conflict_constraint: Optional[str] = None,
    ) -> None:
        self._action = action
        self._update = update
        self._preserve = _as_tuple(preserve)
        self._where = where
        if conflict_target is not None and conflict_constraint is not None:
            raise ValueError(
                'only one of "conflict_target" and "conflict_constraint" may be specified.'
            )
        self._conflict_target = _as_tuple(conflict_target)
        self._conflict_where = conflict_where
        self._conflict_constraint = conflict_constraint

    def get_conflict_statement(self, ctx: Any, query: Any) -> Any:
        """What replaces ``INSERT`` (None: plain ``INSERT``), from the compiling context."""
        return _conflict_hook(ctx, "conflict_statement")(self, query)

    def get_conflict_update(self, ctx: Any, query: Any) -> Any:
        """What follows the inserted rows (None: nothing), from the compiling context."""
        return _conflict_hook(ctx, "conflict_update")(self, query)

    @Node.copy
    def preserve(self, *columns: Any) -> None:
        self._preserve = columns

    @Node.copy
    def update(self, _data: Optional[Dict[Any, Any]] = None, **kwargs: Any) -> None:
        if _data and kwargs and not isinstance(_data, dict):
            raise ValueError(
                "Cannot mix data with keyword arguments in the OnConflict update method."
            )
        _data = dict(_data or {})
        _data.update(kwargs)
        self._update = _data

    @Node.copy
    def where(self, *expressions: Any) -> None:
        self._where = and_onto(self._where, expressions)

    @Node.copy
    def conflict_target(self, *constraints: Any) -> None:
        self._conflict_constraint = None
        self._conflict_target = constraints

    @Node.copy
    def conflict_where(self, *expressions: Any) -> None:
        self._conflict_where = and_onto(self._conflict_where, expressions)

    @Node.copy
    def conflict_constraint(self, constraint: str) -> None:
        self._conflict_constraint = constraint
        self._conflict_target = None


def _conflict_hook(ctx: Any, name: str) -> Any:
    """The ``conflict_statement`` / ``conflict_update`` hook compiling this query: one given to
    the context (``Context(conflict_statement=...)``) wins over the dialect's, which a database
    class overriding the hook replaces with its own."""
    hook = getattr(ctx.state, name)
    if hook is not None:
        return hook
    dialect = ctx.dialect
    if dialect is _DEFAULT_DIALECT:
        # A query compiled without a database has no conflict syntax to use.
        raise InterfaceError("ON CONFLICT clause requires the query be bound to a database.")
    return getattr(dialect, name)


def _as_tuple(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, tuple, set)):
        return tuple(value)
    return (value,)


class Insert(_WriteQuery):
    """``INSERT INTO table (cols) VALUES (...), ...`` / ``... SELECT`` / ``DEFAULT VALUES``"""

    SIMPLE = 0
    QUERY = 1
    MULTI = 2

    class DefaultValuesException(Exception):
        pass

    def __init__(
        self,
        table: Any,
        insert: Any = None,
        columns: Optional[Sequence[Any]] = None,
        on_conflict: Optional[OnConflict] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(table, **kwargs)
        self._insert = insert
        self._columns = columns
        self._on_conflict = on_conflict
        self._query_type: Optional[int] = None
        self._as_rowcount = False

    def where(self, *expressions: Any) -> "Insert":  # type: ignore[override]
        raise NotImplementedError("INSERT queries cannot have a WHERE clause.")

    @Node.copy
    def as_rowcount(self, _as_rowcount: bool = True) -> None:
        self._as_rowcount = _as_rowcount

    @Node.copy
    def on_conflict_ignore(self, ignore: bool = True) -> None:
        self._on_conflict = OnConflict("IGNORE") if ignore else None

    @Node.copy
    def on_conflict_replace(self, replace: bool = True) -> None:
        self._on_conflict = OnConflict("REPLACE") if replace else None

    @Node.copy
    def on_conflict(self, *args: Any, **kwargs: Any) -> None:
        self._on_conflict = OnConflict(*args, **kwargs) if (args or kwargs) else None

    def get_default_data(self) -> Dict[Any, Any]:
        return {}

    def get_default_columns(self) -> Optional[List[Any]]:
        table = self.table
        if getattr(table, "_columns", None):
            return [getattr(table, col) for col in table._columns if col != table._primary_key]
        return None

    def _simple_insert(self, ctx: Any) -> Any:
        if not self._insert and not self.get_default_data():
            raise self.DefaultValuesException("Error: no data to insert.")
        return self._generate_insert((self._insert,), ctx)

    def _generate_insert(self, insert: Any, ctx: Any) -> Any:
        rows_iter = iter(insert)
        columns = self._columns
        sql = ctx._sql
        table = self.table
        defaults = self.get_default_data()
        try:
            row = next(rows_iter)
        except StopIteration:
            raise self.DefaultValuesException("Error: no rows to insert.") from None

        if columns is None:
            if not isinstance(row, dict):
                columns = self.get_default_columns()
                if columns is None:
                    raise ValueError("Bulk insert must specify columns.")
            else:
                seen = set()
                columns = []
                for key in row:
                    column = _column_of(table, key)
                    columns.append(column)
                    seen.add(column)
                for key in defaults:
                    column = _column_of(table, key)
                    if column not in seen:
                        columns.append(column)
                with ctx.scope_values():
                    columns.sort(key=lambda c: c.get_sort_key(ctx))
        else:
            columns = [_column_of(table, c) for c in columns]
            for key in defaults:
                # Identity, not ``in``: a column's ``==`` builds an expression, which is truthy.
                column = _column_of(table, key)
                if not any(column is c for c in columns):
                    columns.append(column)

        sql.append("(")
        with ctx.scope_values():
            _render_list(ctx, columns, ", ")
        sql.append(") VALUES ")

        converters = [getattr(c, "db_value", None) or False for c in columns]
        names = [getattr(c, "name", None) for c in columns]
        first_row = True
        while True:
            if first_row:
                first_row = False
            else:
                sql.append(", ")
            sql.append("(")
            is_dict = isinstance(row, dict)
            for i, column in enumerate(columns):
                if i:
                    sql.append(", ")
                if is_dict:
                    if column in row:
                        value = row[column]
                    elif names[i] in row:
                        value = row[names[i]]
                    elif column in defaults:
                        value = defaults[column]
                        if callable(value):
                            value = value()
                    else:
                        raise ValueError("Missing value for %s." % names[i])
                else:
                    try:
                        value = row[i]
                    except IndexError:
                        if column in defaults:
                            value = defaults[column]
                            if callable(value):
                                value = value()
                        else:
                            raise ValueError("Missing value for %s." % names[i]) from None
                if isinstance(value, Node):
                    with ctx.scope_normal(subquery=True):
                        value.__sql__(ctx)
                else:
                    ctx.value(value, converters[i])
            sql.append(")")
            try:
                row = next(rows_iter)
            except StopIteration:
                break
        return ctx

    def _query_insert(self, ctx: Any) -> Any:
        sql = ctx._sql
        columns = self._columns
        if columns:
            sql.append("(")
            with ctx.scope_values():
                _render_list(ctx, [_column_of(self.table, c) for c in columns], ", ")
            sql.append(") ")
        with ctx.scope_normal(subquery=False):
            ctx.sql(self._insert)
        return ctx

    def _default_values(self, ctx: Any) -> Any:
        ctx._sql.append(ctx.dialect.default_values)
        return ctx

    def __sql__(self, ctx: Any) -> Any:
        super().__sql__(ctx)
        sql = ctx._sql
        with ctx.scope_values():
            stmt = None
            if self._on_conflict is not None:
                stmt = self._on_conflict.get_conflict_statement(ctx, self)
            if stmt is not None:
                ctx.sql(stmt)
            else:
                sql.append("INSERT")
            sql.append(" INTO ")
            ctx.sql(self.table)
            sql.append(" ")
            insert = self._insert
            if isinstance(insert, dict) and not self._columns:
                try:
                    self._simple_insert(ctx)
                except self.DefaultValuesException:
                    self._default_values(ctx)
                self._query_type = Insert.SIMPLE
            elif isinstance(insert, (SelectQuery, SQL)):
                self._query_insert(ctx)
                self._query_type = Insert.QUERY
            elif insert is None:
                self._default_values(ctx)
                self._query_type = Insert.SIMPLE
            else:
                try:
                    self._generate_insert(insert, ctx)
                except self.DefaultValuesException:
                    return ctx
                self._query_type = Insert.MULTI
            if self._on_conflict is not None:
                update = self._on_conflict.get_conflict_update(ctx, self)
                if update is not None:
                    sql.append(" ")
                    ctx.sql(update)
            return self.apply_returning(ctx)

    def _execute(self, database: Any) -> Any:
        if (
            self._returning is None
            and self._query_type != Insert.QUERY
            and _supports_returning(database)
            and isinstance(self.table, Table)
            and self.table._columns
            and self.table._primary_key
        ):
            # Ask for the new key where the backend reports it through RETURNING.
            self._returning = (getattr(self.table, self.table._primary_key),)
        try:
            if self._returning and self._return_cursor:
                return self.execute_returning(database)
            cursor = database.execute(self)
        except self.DefaultValuesException:
            return None
        return self.handle_result(database, cursor)

    def handle_result(self, database: Any, cursor: Any) -> Any:
        if self._return_cursor:
            return cursor
        if self._as_rowcount:
            return database.rows_affected(cursor)
        return database.last_insert_id(cursor, self._query_type)


class Index(Node):
    """``CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table [USING m] (expr, ...)
    [NULLS [NOT] DISTINCT] [WHERE ...]`` (MySQL puts ``USING`` before ``ON``)."""

    def __init__(
        self,
        name: str,
        table: Any,
        expressions: Sequence[Any],
        unique: bool = False,
        safe: bool = False,
        where: Any = None,
        using: Optional[str] = None,
        nulls_distinct: Optional[bool] = None,
    ) -> None:
        self._name = name
        self._table = table if isinstance(table, Table) else Entity(table)
        self._expressions = expressions
        self._where = where
        self._unique = unique
        self._safe = safe
        self._using = using
        if nulls_distinct is not None and not unique:
            raise ValueError(_NULLS_DISTINCT_UNIQUE)
        self._nulls_distinct = nulls_distinct

    @Node.copy
    def safe(self, _safe: bool = True) -> None:
        self._safe = _safe

    @Node.copy
    def where(self, *expressions: Any) -> None:
        self._where = and_onto(self._where, expressions)

    @Node.copy
    def using(self, _using: Optional[str] = None) -> None:
        self._using = _using

    @Node.copy
    def nulls_distinct(self, nulls_distinct: Optional[bool] = None) -> None:
        """``True``: ``NULLS DISTINCT``, ``False``: ``NULLS NOT DISTINCT`` (PostgreSQL 15+), for
        unique indexes; ``None`` leaves the clause out."""
        if nulls_distinct is not None and not self._unique:
            raise ValueError(_NULLS_DISTINCT_UNIQUE)
        self._nulls_distinct = nulls_distinct

    def __sql__(self, ctx: Any) -> Any:
        sql = ctx._sql
        dialect = ctx.dialect
        quote = dialect.quote_name
        table = self._table
        with ctx.scope_values(subquery=True):
            sql.append("CREATE UNIQUE INDEX " if self._unique else "CREATE INDEX ")
            if self._safe:
                sql.append("IF NOT EXISTS ")
            # SQLite names the schema on the index (``"s"."idx" ON "t"``), the others on the
            # table (``"idx" ON "s"."t"``).
            schema = table._schema if isinstance(table, Table) else None
            if dialect.index_schema_prefix and schema:
                sql.append(quote(schema) + "." + quote(self._name))
                table_text: Optional[str] = quote(table.__name__)
            else:
                sql.append(quote(self._name))
                table_text = None
            using = self._using
            if using is not None and dialect.index_using_precedes_table:
                sql.append(" USING %s" % using)
            sql.append(" ON ")
            if table_text is not None:
                sql.append(table_text)
            else:
                ctx.sql(table)
            sql.append(" ")
            if using is not None and not dialect.index_using_precedes_table:
                sql.append("USING %s " % using)
            sql.append("(")
            _render_list(
                ctx, [SQL(e) if isinstance(e, str) else e for e in self._expressions], ", "
            )
            sql.append(")")
            if self._nulls_distinct is not None:
                sql.append(" NULLS DISTINCT" if self._nulls_distinct else " NULLS NOT DISTINCT")
            if self._where is not None:
                sql.append(" WHERE ")
                ctx.sql(self._where)
        return ctx


_NULLS_DISTINCT_UNIQUE = "NULLS DISTINCT is only available with UNIQUE."


def _literal_text(value: Any) -> str:
    """A parameter written into the SQL text: strings, dates and times quoted, bytes decoded,
    integers (and booleans) as numbers, ``None`` as ``NULL``, anything else as ``str()``."""
    if isinstance(value, (str, datetime.datetime, datetime.date, datetime.time)):
        return "'%s'" % str(value).replace("'", "''")
    if isinstance(value, bytes):
        try:
            text = value.decode("utf8")
        except UnicodeDecodeError:
            text = value.decode("raw_unicode_escape")
        return "'%s'" % text.replace("'", "''")
    if isinstance(value, int):
        return "%d" % int(value)
    if value is None:
        return "NULL"
    return str(value)


class _LiteralContext(Context):
    """A context writing every parameter into the SQL text (see ``ValueLiterals``)."""

    __slots__ = ()

    def value(self, value: Any, converter: Any = None, add_param: bool = True) -> Any:
        values = self._values
        count = len(values)
        super().value(value, converter, add_param)
        if len(values) > count:
            # The parameter just bound: its placeholder was the last piece of text.
            self._sql[-1] = _literal_text(values.pop())
        return self


class ValueLiterals(Node):
    """Render ``node`` with its values written into the SQL as literals instead of parameters:
    for DDL, where some backends accept no parameters (an index's ``WHERE`` on SQLite)."""

    def __init__(self, node: Any) -> None:
        self.node = node

    def __sql__(self, ctx: Any) -> Any:
        literal = _LiteralContext(ctx.dialect)
        literal.state = ctx.state
        literal.alias_manager = ctx.alias_manager
        literal.sql(self.node)
        ctx._sql.extend(literal._sql)
        return ctx
