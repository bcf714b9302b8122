"""Table-level query builder: sources (``Table``, joins, CTEs, VALUES lists) and SELECT queries
(plain and compound), with execution through a database's ``execute()``.  Knows nothing of
models; model queries subclass these classes and override ``_get_cursor_wrapper``."""

from __future__ import annotations

import operator
from functools import reduce
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Sequence

from ..dialects.base import (
    CSQ_PARENTHESES_ALWAYS,
    CSQ_PARENTHESES_GROUPED,
    CSQ_PARENTHESES_UNNESTED,
)
from ..errors import InterfaceError
from .context import Context, query_to_string
from .cursor import (
    ROW,
    CursorWrapper,
    DictCursorWrapper,
    NamedTupleCursorWrapper,
    ObjectCursorWrapper,
)
from .nodes import (
    SCOPE_COLUMN,
    SCOPE_CTE,
    SCOPE_SOURCE,
    SCOPE_VALUES,
    OP,
    SQL,
    Column,
    ColumnBase,
    Expression,
    ForUpdate,
    Node,
    Star,
    _render_list,
    fn,
)

if TYPE_CHECKING:  # pragma: no cover
    from .write import Delete, Insert, Update

__all__ = [
    "JOIN",
    "Source",
    "BaseTable",
    "Table",
    "Join",
    "CTE",
    "ValuesList",
    "BaseQuery",
    "RawQuery",
    "Query",
    "SelectQuery",
    "SelectBase",
    "Select",
    "CompoundSelectQuery",
    "database_required",
]


def and_onto(existing: Any, expressions: Sequence[Any]) -> Any:
    """``existing AND e1 AND e2 ...``: what repeated ``where()``/``having()`` calls build."""
    if existing is not None:
        expressions = (existing, *expressions)
    elif len(expressions) == 1:
        return expressions[0]  # what ``reduce`` gives for one term, without the call
    return reduce(operator.and_, expressions)


class _AttrDict(dict):
    def __getattr__(self, attr: str) -> Any:
        try:
            return self[attr]
        except KeyError:
            raise AttributeError(attr) from None


JOIN = _AttrDict(
    INNER="INNER JOIN",
    LEFT_OUTER="LEFT OUTER JOIN",
    RIGHT_OUTER="RIGHT OUTER JOIN",
    FULL="FULL JOIN",
    FULL_OUTER="FULL OUTER JOIN",
    CROSS="CROSS JOIN",
    NATURAL="NATURAL JOIN",
    LATERAL="JOIN LATERAL",
    LEFT_LATERAL="LEFT JOIN LATERAL",
)
_LATERAL_JOINS = (JOIN.LATERAL, JOIN.LEFT_LATERAL)


def database_required(method: Callable) -> Callable:
    """Pass the query's bound database (or the one given) to ``method``; fail without one."""

    def inner(self: Any, database: Any = None, *args: Any, **kwargs: Any) -> Any:
        database = self._database if database is None else database
        if not database:
            raise InterfaceError(
                'Query must be bound to a database in order to call "%s".' % method.__name__
            )
        return method(self, database, *args, **kwargs)

    inner.__name__ = method.__name__
    inner.__doc__ = method.__doc__
    return inner


class _ColumnFactory:
    """``source.c.name`` -> ``Column(source, 'name')``."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def __getattr__(self, attr: str) -> Column:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Column(self.node, attr)

    __getitem__ = __getattr__


class _ExplicitColumn:
    """Descriptor-free placeholder: a table with declared columns exposes them as attributes."""

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            raise AttributeError(
                "%s specifies columns explicitly, and does not support dynamic column lookups."
                % instance
            )
        return self


class Source(Node):
    """Something rows come from: a table, a subquery, a CTE, a VALUES list."""

    def __init__(self, alias: Optional[str] = None, **kwargs: Any) -> None:
        self._alias = alias
        super().__init__(**kwargs)

    @property
    def c(self) -> _ColumnFactory:
        return _ColumnFactory(self)

    @property
    def __star__(self) -> Any:
        """``"t1".*``: every column of this source."""
        return Star(self)

    @Node.copy
    def alias(self, name: Optional[str]) -> None:
        self._alias = name

    def select(self, *columns: Any) -> "Select":
        if not columns:
            columns = (SQL("*"),)
        return Select((self,), columns)

    def join(self, dest: Any, join_type: str = JOIN.INNER, on: Any = None) -> "Join":
        return Join(self, dest, join_type, on)

    def left_outer_join(self, dest: Any, on: Any = None) -> "Join":
        return Join(self, dest, JOIN.LEFT_OUTER, on)

    def cte(
        self,
        name: str,
        recursive: bool = False,
        columns: Optional[Sequence[str]] = None,
        materialized: Optional[bool] = None,
    ) -> "CTE":
        return CTE(name, self, recursive=recursive, columns=columns, materialized=materialized)

    def get_sort_key(self, ctx: Any) -> tuple:
        if self._alias:
            return (self._alias,)
        return (ctx.alias_manager[self],)

    def apply_alias(self, ctx: Any) -> Any:
        if ctx.state.scope == SCOPE_SOURCE and (self._alias or not ctx.state.in_columns):
            if self._alias:
                ctx.alias_manager[self] = self._alias
            ctx._sql.append(" AS " + ctx.dialect.quote_name(ctx.alias_manager[self]))
        return ctx

    def apply_column(self, ctx: Any) -> Any:
        if self._alias:
            ctx.alias_manager[self] = self._alias
        ctx._sql.append(ctx.dialect.quote_name(ctx.alias_manager[self]))
        return ctx

    def _column_prefix(self, ctx: Any) -> str:
        alias = self._alias
        if alias:
            ctx.alias_manager.mapping[self] = alias
        else:
            alias = ctx.alias_manager[self]
        return ctx.dialect.quote_name(alias) + "."


class _HashableSource:
    """Sources equal by kind, path and alias share one alias within a query."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._update_hash()

    @Node.copy
    def alias(self, name: Optional[str]) -> None:
        self._alias = name
        self._update_hash()

    def _update_hash(self) -> None:
        self._hash = self._get_hash()

    def _get_hash(self) -> int:
        return hash((self.__class__, getattr(self, "_path", None) or id(self), self._alias))

    def __hash__(self) -> int:
        return self._hash

    # Compared with another source: equality of sources; with anything else: an expression
    # (``subquery == 3``).
    def __eq__(self, other: Any) -> Any:
        if isinstance(other, _HashableSource):
            return self._hash == other._hash
        return Expression(self, OP.EQ, other)

    def __ne__(self, other: Any) -> Any:
        if isinstance(other, _HashableSource):
            return self._hash != other._hash
        return Expression(self, OP.NE, other)

    def __lt__(self, other: Any) -> Expression:
        return Expression(self, OP.LT, other)

    def __le__(self, other: Any) -> Expression:
        return Expression(self, OP.LTE, other)

    def __gt__(self, other: Any) -> Expression:
        return Expression(self, OP.GT, other)

    def __ge__(self, other: Any) -> Expression:
        return Expression(self, OP.GTE, other)


def __join__(join_type: str = JOIN.INNER, inverted: bool = False) -> Callable:
    def method(self: Any, other: Any) -> "Join":
        if inverted:
            self, other = other, self
        return Join(self, other, join_type=join_type)

    return method


class BaseTable(Source):
    __and__ = __join__(JOIN.INNER)
    __add__ = __join__(JOIN.LEFT_OUTER)
    __sub__ = __join__(JOIN.RIGHT_OUTER)
    __or__ = __join__(JOIN.FULL_OUTER)
    __mul__ = __join__(JOIN.CROSS)
    __rand__ = __join__(JOIN.INNER, inverted=True)
    __radd__ = __join__(JOIN.LEFT_OUTER, inverted=True)
    __rsub__ = __join__(JOIN.RIGHT_OUTER, inverted=True)
    __ror__ = __join__(JOIN.FULL_OUTER, inverted=True)
    __rmul__ = __join__(JOIN.CROSS, inverted=True)


class _BoundTableContext:
    def __init__(self, table: "Table", database: Any) -> None:
        self.table = table
        self.database = database

    def __enter__(self) -> "Table":
        self._orig = self.table._database
        self.table.bind(self.database)
        if self.table._model is not None:
            self.table._model.bind(self.database)
        return self.table

    def __exit__(self, *exc: Any) -> None:
        self.table.bind(self._orig)
        if self.table._model is not None:
            self.table._model.bind(self._orig)

    def __call__(self, fn: Callable) -> Callable:
        def inner(*args: Any, **kwargs: Any) -> Any:
            with _BoundTableContext(self.table, self.database):
                return fn(*args, **kwargs)

        return inner


class Table(_HashableSource, BaseTable):
    """A database table: ``Table('users', ('id', 'name'))``; queries start from it."""

    def __init__(
        self,
        name: str,
        columns: Optional[Sequence[str]] = None,
        primary_key: Optional[str] = None,
        schema: Optional[str] = None,
        alias: Optional[str] = None,
        _model: Any = None,
        _database: Any = None,
    ) -> None:
        self.__name__ = name
        self._columns = columns
        self._primary_key = primary_key
        self._schema = schema
        self._path = (schema, name) if schema else (name,)
        self._model = _model
        self._database = _database
        super().__init__(alias=alias)
        if columns:
            self.c = _ExplicitColumn()  # type: ignore[assignment]
            for column in columns:
                setattr(self, column, Column(self, column))
            if primary_key:
                self.primary_key = getattr(self, primary_key)
            else:
                self.primary_key = None
        else:
            self.c = _ColumnFactory(self)  # type: ignore[assignment]
            self.primary_key = None

    c = None  # type: ignore[assignment]

    def clone(self) -> "Table":
        return Table(
            self.__name__,
            columns=self._columns,
            primary_key=self._primary_key,
            schema=self._schema,
            alias=self._alias,
            _model=self._model,
            _database=self._database,
        )

    def bind(self, database: Any = None) -> "Table":
        self._database = database
        return self

    def bind_ctx(self, database: Any = None) -> _BoundTableContext:
        return _BoundTableContext(self, database)

    def _get_hash(self) -> int:
        return hash((self.__class__, self._path, self._alias, self._model))

    def select(self, *columns: Any) -> "Select":
        if not columns and self._columns:
            columns = tuple(Column(self, column) for column in self._columns)
        elif not columns:
            columns = (SQL("*"),)
        return Select((self,), columns, _database=self._database)

    def _resolve_column(self, key: Any) -> Any:
        if isinstance(key, str):
            col = self.__dict__.get(key) if self._columns else None
            return col if isinstance(col, ColumnBase) else Column(self, key)
        return key

    def insert(
        self, insert: Any = None, columns: Optional[Sequence[Any]] = None, **kwargs: Any
    ) -> "Insert":
        from .write import Insert

        if kwargs:
            insert = {} if insert is None else dict(insert)
            for key, value in kwargs.items():
                insert[self._resolve_column(key)] = value
        return Insert(self, insert=insert, columns=columns, _database=self._database)

    def replace(
        self, insert: Any = None, columns: Optional[Sequence[Any]] = None, **kwargs: Any
    ) -> "Insert":
        return self.insert(insert=insert, columns=columns, **kwargs).on_conflict("REPLACE")

    def update(self, update: Any = None, **kwargs: Any) -> "Update":
        from .write import Update

        if kwargs:
            update = {} if update is None else dict(update)
            for key, value in kwargs.items():
                update[self._resolve_column(key)] = value
        return Update(self, update=update, _database=self._database)

    def delete(self) -> "Delete":
        from .write import Delete

        return Delete(self, _database=self._database)

    def _entity(self, ctx: Any) -> str:
        quote_name = ctx.dialect.quote_name
        return ".".join([quote_name(p) for p in self._path])

    def __sql__(self, ctx: Any) -> Any:
        scope = ctx.state.scope
        if scope == SCOPE_VALUES:
            ctx._sql.append(self._entity(ctx))
            return ctx
        if self._alias:
            ctx.alias_manager.mapping[self] = self._alias
        if scope == SCOPE_SOURCE:
            ctx._sql.append(
                self._entity(ctx) + " AS " + ctx.dialect.quote_name(ctx.alias_manager[self])
            )
        else:
            ctx._sql.append(ctx.dialect.quote_name(ctx.alias_manager[self]))
        return ctx

    def __repr__(self) -> str:
        return "<Table: %s>" % ".".join(self._path)


class Join(BaseTable):
    """``lhs <join type> rhs [ON expr]``"""

    def __init__(
        self,
        lhs: Any,
        rhs: Any,
        join_type: str = JOIN.INNER,
        on: Any = None,
        alias: Optional[str] = None,
    ) -> None:
        super().__init__(alias=alias)
        self.lhs = lhs
        self.rhs = rhs
        self.join_type = join_type
        self._on = on

    def on(self, predicate: Any) -> "Join":
        self._on = predicate
        return self

    def __sql__(self, ctx: Any) -> Any:
        ctx.sql(self.lhs)
        ctx._sql.append(" %s " % self.join_type)
        ctx.sql(self.rhs)
        on = self._on
        if on is None and self.join_type in _LATERAL_JOINS:
            on = True
        if on is not None:
            ctx._sql.append(" ON ")
            with ctx.scope_normal():
                ctx.sql(on)
        return ctx


class ValuesList(_HashableSource, BaseTable):
    """``VALUES (...), (...)`` usable as a source: ``ValuesList(rows, columns=(...), alias=...)``."""

    def __init__(
        self,
        values: Sequence[Sequence[Any]],
        columns: Optional[Sequence[str]] = None,
        alias: Optional[str] = None,
    ) -> None:
        self._values = values
        self._columns = columns
        super().__init__(alias=alias)

    def _get_hash(self) -> int:
        return hash((self.__class__, id(self._values), self._alias))

    @Node.copy
    def columns(self, *names: str) -> None:
        self._columns = names

    def __sql__(self, ctx: Any) -> Any:
        if self._alias:
            ctx.alias_manager[self] = self._alias
        scope = ctx.state.scope
        if scope == SCOPE_SOURCE or scope == SCOPE_VALUES or scope == 1:
            sql = ctx._sql
            sql.append("(VALUES ")
            with ctx(converter=None):
                first = True
                for row in self._values:
                    if first:
                        first = False
                    else:
                        sql.append(", ")
                    sql.append("(")
                    _render_list(ctx, row, ", ")
                    sql.append(")")
            sql.append(")")
            if scope == SCOPE_SOURCE and not (ctx.state.in_columns or ctx.state.in_expr):
                # A source gets its alias; an operand (select list, expression) does not.
                sql.append(" AS " + ctx.dialect.quote_name(ctx.alias_manager[self]))
                if self._columns:
                    quote_name = ctx.dialect.quote_name
                    sql.append("(" + ", ".join([quote_name(c) for c in self._columns]) + ")")
            return ctx
        ctx._sql.append(ctx.dialect.quote_name(ctx.alias_manager[self]))
        return ctx


class CTE(_HashableSource, Source):
    """A common table expression: ``query.cte('name', recursive=..., columns=...)``."""

    def __init__(
        self,
        name: str,
        query: Any,
        recursive: bool = False,
        columns: Optional[Sequence[Any]] = None,
        materialized: Optional[bool] = None,
    ) -> None:
        self._alias = name
        self._query = query
        self._recursive = recursive
        self._materialized = materialized
        if columns is not None:
            columns = [c if isinstance(c, str) else c.name for c in columns]
        self._columns = columns
        query._cte_list = ()
        super().__init__(alias=name)

    def _get_hash(self) -> int:
        return hash((self.__class__, self._alias, id(self._query)))

    def select_from(self, *columns: Any) -> "Select":
        if not columns:
            raise ValueError(
                "select_from() must specify one or more columns from the CTE to select."
            )
        query = Select((self,), columns).with_cte(self)
        query._database = getattr(self._query, "_database", None)
        model = getattr(self._query, "model", None)
        if model is not None:
            # Rows of a CTE built from a model query become instances of that model.
            query = query.objects(model)
        return query

    def _compound(self, op: str, rhs: Any) -> "CTE":
        # The query's own operator builds the compound (a model query gives a model compound).
        method = {"UNION ALL": "union_all", "UNION": "union", "INTERSECT": "intersect",
                  "EXCEPT": "except_"}[op]
        clone = getattr(self._query, method)(rhs)
        return CTE(
            self._alias,
            clone,
            recursive=self._recursive,
            columns=self._columns,
            materialized=self._materialized,
        )

    def union_all(self, rhs: Any) -> "CTE":
        return self._compound("UNION ALL", rhs)

    __add__ = union_all

    def union(self, rhs: Any) -> "CTE":
        return self._compound("UNION", rhs)

    __or__ = union

    def _column_prefix(self, ctx: Any) -> str:
        return ctx.dialect.quote_name(self._alias) + "."

    def __sql__(self, ctx: Any) -> Any:
        if ctx.state.scope != SCOPE_CTE:
            ctx._sql.append(ctx.dialect.quote_name(self._alias))
            return ctx
        quote_name = ctx.dialect.quote_name
        with ctx.push_alias():
            ctx.alias_manager[self] = self._alias
            sql = ctx._sql
            sql.append(quote_name(self._alias))
            if self._columns:
                sql.append(" (" + ", ".join([quote_name(c) for c in self._columns]) + ")")
            sql.append(" AS ")
            if self._materialized is True:
                sql.append("MATERIALIZED ")
            elif self._materialized is False:
                sql.append("NOT MATERIALIZED ")
            # A VALUES list brings its own parentheses.
            with ctx.scope_normal(parentheses=not isinstance(self._query, ValuesList)):
                ctx.sql(self._query)
        return ctx


class BaseQuery(Node):
    """A statement that can be executed; results are cached on the query object."""

    default_row_type = ROW.DICT

    def __init__(self, _database: Any = None, **kwargs: Any) -> None:
        self._database = _database
        self._cursor_wrapper: Any = None
        self._row_type: Optional[int] = None
        self._constructor: Any = None

    def bind(self, database: Any = None) -> "BaseQuery":
        self._database = database
        return self

    def clone(self) -> "BaseQuery":
        query = super().clone()
        query._cursor_wrapper = None
        return query  # type: ignore[return-value]

    @Node.copy
    def dicts(self, as_dict: bool = True) -> None:
        self._row_type = ROW.DICT if as_dict else None

    @Node.copy
    def tuples(self, as_tuple: bool = True) -> None:
        self._row_type = ROW.TUPLE if as_tuple else None

    @Node.copy
    def namedtuples(self, as_namedtuple: bool = True) -> None:
        self._row_type = ROW.NAMED_TUPLE if as_namedtuple else None

    @Node.copy
    def objects(self, constructor: Any = None) -> None:
        self._row_type = ROW.CONSTRUCTOR if constructor else None
        self._constructor = constructor

    def _get_cursor_wrapper(self, cursor: Any) -> CursorWrapper:
        row_type = self._row_type or self.default_row_type
        if row_type == ROW.DICT:
            return DictCursorWrapper(cursor)
        if row_type == ROW.TUPLE:
            return CursorWrapper(cursor)
        if row_type == ROW.NAMED_TUPLE:
            return NamedTupleCursorWrapper(cursor)
        if row_type == ROW.CONSTRUCTOR:
            return ObjectCursorWrapper(cursor, self._constructor)
        raise ValueError('Unrecognized row type: "%s".' % row_type)

    def __sql__(self, ctx: Any) -> Any:
        raise NotImplementedError

    def sql(self) -> tuple:
        if self._database:
            context = self._database.get_sql_context()
        else:
            context = Context()
        return context.parse(self)

    @database_required
    def execute(self, database: Any) -> Any:
        return self._execute(database)

    def _execute(self, database: Any) -> Any:
        raise NotImplementedError

    def iterator(self, database: Any = None) -> Iterator[Any]:
        return iter(self.execute(database).iterator())

    def _ensure_execution(self) -> None:
        if self._cursor_wrapper is None:
            if not self._database:
                raise ValueError("Query has not been executed.")
            self.execute()

    def __iter__(self) -> Iterator[Any]:
        self._ensure_execution()
        return iter(self._cursor_wrapper)

    def __getitem__(self, value: Any) -> Any:
        self._ensure_execution()
        return self._cursor_wrapper[value]

    def __len__(self) -> int:
        self._ensure_execution()
        return len(self._cursor_wrapper)

    def __str__(self) -> str:
        return query_to_string(self)


class RawQuery(BaseQuery):
    """Literal SQL with parameters, executed and iterated like a select."""

    def __init__(
        self, sql: Optional[str] = None, params: Optional[Sequence[Any]] = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._sql = sql
        self._params = params

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append(self._sql or "")
        if self._params:
            ctx._values.extend(self._params)
        return ctx

    def _execute(self, database: Any) -> Any:
        if self._cursor_wrapper is None:
            cursor = database.execute(self)
            self._cursor_wrapper = self._get_cursor_wrapper(cursor)
        return self._cursor_wrapper


class Query(BaseQuery):
    """A statement with WHERE / ORDER BY / LIMIT / OFFSET and optional CTEs."""

    def __init__(
        self,
        where: Any = None,
        order_by: Any = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._where = where
        self._order_by = order_by
        self._limit = limit
        self._offset = offset
        self._cte_list: Any = None

    @Node.copy
    def with_cte(self, *cte_list: Any) -> None:
        self._cte_list = cte_list

    @Node.copy
    def where(self, *expressions: Any) -> None:
        self._where = and_onto(self._where, expressions)

    @Node.copy
    def orwhere(self, *expressions: Any) -> None:
        if self._where is not None:
            expressions = (self._where,) + expressions
        self._where = reduce(operator.or_, expressions)

    @Node.copy
    def order_by(self, *values: Any) -> None:
        self._order_by = values

    @Node.copy
    def order_by_extend(self, *values: Any) -> None:
        self._order_by = (tuple(self._order_by) if self._order_by else ()) + values

    @Node.copy
    def limit(self, value: Optional[int] = None) -> None:
        self._limit = value

    @Node.copy
    def offset(self, value: Optional[int] = None) -> None:
        self._offset = value

    @Node.copy
    def paginate(self, page: int, paginate_by: int = 20) -> None:
        if page > 0:
            page -= 1
        self._limit = paginate_by
        self._offset = page * paginate_by

    def _apply_ordering(self, ctx: Any) -> Any:
        sql = ctx._sql
        if self._order_by:
            sql.append(" ORDER BY ")
            _render_list(ctx, self._order_by, ", ")
        limit = self._limit
        offset = self._offset
        if limit is not None or (offset is not None and ctx.dialect.limit_max):
            if limit is None:
                limit = ctx.dialect.limit_max
            sql.append(" LIMIT ")
            ctx.value(limit, False)
        if offset is not None:
            sql.append(" OFFSET ")
            ctx.value(offset, False)
        return ctx

    def _render_ctes(self, ctx: Any) -> None:
        if self._cte_list:
            recursive = any(cte._recursive for cte in self._cte_list)
            with ctx.scope_cte(subquery=False):
                ctx._sql.append("WITH RECURSIVE " if recursive else "WITH ")
                _render_list(ctx, self._cte_list, ", ")
                ctx._sql.append(" ")

    def __sql__(self, ctx: Any) -> Any:
        self._render_ctes(ctx)
        return ctx


def _compound_op(op: str, inverted: bool = False) -> Callable:
    def method(self: Any, other: Any) -> "CompoundSelectQuery":
        if inverted:
            self, other = other, self
        return CompoundSelectQuery(self, op, other)

    return method


class SelectQuery(Query):
    """Operations shared by selects: compound operators and ``select_from``."""

    union_all = __add__ = _compound_op("UNION ALL")
    union = __or__ = _compound_op("UNION")
    intersect = __and__ = _compound_op("INTERSECT")
    except_ = __sub__ = _compound_op("EXCEPT")
    __radd__ = _compound_op("UNION ALL", inverted=True)
    __ror__ = _compound_op("UNION", inverted=True)
    __rand__ = _compound_op("INTERSECT", inverted=True)
    __rsub__ = _compound_op("EXCEPT", inverted=True)

    def select_from(self, *columns: Any) -> "Select":
        if not columns:
            raise ValueError("select_from() must specify one or more columns.")
        query = Select((self,), columns)
        query._database = self._database
        return query


class SelectBase(_HashableSource, Source, SelectQuery, ColumnBase):
    """Executable select (plain or compound): caching, ``get``, ``first``, ``scalar``, ``count``."""

    _is_select_query = True
    _marks_operand = True

    def _get_hash(self) -> int:
        return id(self)

    def clone(self) -> Any:
        clone = super().clone()
        clone._hash = id(clone)  # a copy is another source (its own alias in a query)
        return clone

    def _execute(self, database: Any) -> Any:
        if self._cursor_wrapper is None:
            cursor = database.execute(self)
            self._cursor_wrapper = self._get_cursor_wrapper(cursor)
        return self._cursor_wrapper

    @database_required
    def peek(self, database: Any, n: int = 1) -> Any:
        rows = self.execute(database)[:n]
        if rows:
            return rows[0] if n == 1 else rows
        return None

    @database_required
    def first(self, database: Any, n: int = 1) -> Any:
        if self._limit != n:
            self._limit = n
            self._cursor_wrapper = None
        return self.peek(database, n=n)

    @database_required
    def scalar(self, database: Any, as_tuple: bool = False, as_dict: bool = False) -> Any:
        # One row is asked for: the statement carries LIMIT 1 (as ``first()`` does).
        if as_dict:
            return self.dicts().first(database)
        row = self.tuples().first(database)
        return row[0] if row and not as_tuple else row

    @database_required
    def scalars(self, database: Any) -> Iterator[Any]:
        """The first column of each row, lazily."""
        for row in self.tuples().execute(database):
            yield row[0]

    @database_required
    def count(self, database: Any, clear_limit: bool = False) -> int:
        clone = self.order_by().alias("_wrapped")
        if clear_limit:
            clone._limit = clone._offset = None
        try:
            if (
                clone._having is None
                and clone._group_by is None
                and clone._windows is None
                and clone._distinct is None
                and clone._simple_distinct is not True
            ):
                clone = clone.select(SQL("1"))
        except AttributeError:
            pass
        return Select([clone], [fn.COUNT(SQL("1"))]).scalar(database)

    @database_required
    def exists(self, database: Any) -> bool:
        return bool(Select(columns=[fn.EXISTS(self)]).scalar(database))

    @database_required
    def get(self, database: Any) -> Any:
        """The first row (``None`` when there is none); runs the query afresh, as it is."""
        self._cursor_wrapper = None
        try:
            return self.execute(database)[0]
        except IndexError:
            return None


class CompoundSelectQuery(SelectBase):
    """``lhs UNION|UNION ALL|INTERSECT|EXCEPT rhs`` with the backend's parentheses rules."""

    def __init__(self, lhs: Any, op: str, rhs: Any) -> None:
        database = getattr(lhs, "_database", None) or getattr(rhs, "_database", None)
        super().__init__(_database=database)
        self.lhs = lhs
        self.op = op
        self.rhs = rhs

    @property
    def _returning(self) -> Any:
        return self.lhs._returning

    def _get_query_key(self) -> Any:
        return (self.lhs.get_query_key(), self.rhs.get_query_key())

    # How a member is written: as is, in parentheses, or (where members cannot be
    # parenthesised) as ``SELECT * FROM (member)``.
    _FLAT, _PARENS, _WRAP = 0, 1, 2

    @staticmethod
    def _orders_itself(subq: Any) -> bool:
        """A member with its own ORDER BY / LIMIT / OFFSET, which written flat would apply to
        the whole statement."""
        return bool(subq._order_by) or subq._limit is not None or subq._offset is not None

    def _needs_group(self, subq: Any, lhs: bool) -> bool:
        """Whether a nested compound member must be grouped to keep its meaning."""
        if self._orders_itself(subq):
            return True
        if lhs:
            # Written flat, the left member is evaluated first anyway; only INTERSECT, which
            # binds tighter on most servers, can regroup it.
            return self.op == "INTERSECT" and subq.op != self.op
        if self.op == "EXCEPT":
            return True
        # A flat right member continues this chain through its left-hand side: every operator
        # along that side must be this one.
        node = subq
        while isinstance(node, CompoundSelectQuery):
            if node.op != self.op:
                return True
            node = node.lhs
            if isinstance(node, CompoundSelectQuery) and self._orders_itself(node):
                break
        return False

    def _union_only(self, subq: Any) -> bool:
        if not isinstance(subq, CompoundSelectQuery):
            return True
        if subq.op not in ("UNION", "UNION ALL") or self._orders_itself(subq):
            return False
        return self._union_only(subq.lhs) and self._union_only(subq.rhs)

    def _member_style(self, ctx: Any, subq: Any, lhs: bool) -> int:
        setting = ctx.dialect.compound_select_parentheses
        compound = isinstance(subq, CompoundSelectQuery)
        if not setting:
            if compound:
                return self._WRAP if self._needs_group(subq, lhs) else self._FLAT
            return self._WRAP if self._orders_itself(subq) else self._FLAT
        if setting == CSQ_PARENTHESES_ALWAYS:
            return self._PARENS
        state = ctx.state
        as_value = bool(state.in_expr or state.in_function)
        if setting == CSQ_PARENTHESES_UNNESTED:
            if as_value or compound:
                return self._FLAT
            return self._PARENS
        if setting == CSQ_PARENTHESES_GROUPED:
            if compound:
                if as_value and self.op in ("UNION", "UNION ALL") and self._union_only(subq):
                    # Regrouping a chain of unions cannot change the set IN / EXISTS sees.
                    return self._FLAT
                return self._PARENS if self._needs_group(subq, lhs) else self._FLAT
            return self._FLAT if as_value else self._PARENS
        return self._FLAT

    def _render_member(self, ctx: Any, subq: Any, lhs: bool = False) -> None:
        style = self._member_style(ctx, subq, lhs)
        if style == self._WRAP:
            ctx._sql.append("SELECT * FROM ")
        with ctx.scope_normal(parentheses=style != self._FLAT, subquery=False):
            ctx.sql(subq)

    def __sql__(self, ctx: Any) -> Any:
        state = ctx.state
        scope = state.scope
        if scope == SCOPE_COLUMN:
            return self.apply_column(ctx)
        self._render_ctes(ctx)
        parens = (bool(state.subquery) or scope == SCOPE_SOURCE) and not state.bare_subquery
        in_function = state.in_function
        # The right-hand member sees the aliases known when the compound query began, but not
        # those the left-hand member introduced.
        known = dict(ctx.alias_manager.mapping)
        with ctx(parentheses=parens, bare_subquery=False, in_columns=False):
            self._render_member(ctx, self.lhs, True)
            ctx._sql.append(" %s " % self.op)
            with ctx.push_alias(known):
                self._render_member(ctx, self.rhs)
            # ORDER BY names the output columns: unqualified, as in the VALUES scope.
            with ctx.scope_values():
                self._apply_ordering(ctx)
        if scope == SCOPE_SOURCE and not in_function and (self._alias or not state.in_columns):
            self.apply_alias(ctx)
        return ctx


class Select(SelectBase):
    """``SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... WINDOW ... ORDER BY ... LIMIT``"""

    def __init__(
        self,
        from_list: Optional[Sequence[Any]] = None,
        columns: Optional[Sequence[Any]] = None,
        group_by: Optional[Sequence[Any]] = None,
        having: Any = None,
        distinct: Any = None,
        windows: Optional[Sequence[Any]] = None,
        for_update: Any = None,
        lateral: Optional[bool] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._from_list = list(from_list) if from_list else []
        self._returning = columns
        self._group_by = group_by
        self._having = having
        self._windows: Any = None
        if for_update and not isinstance(for_update, ForUpdate):
            for_update = ForUpdate(for_update)  # True or the clause as text
        self._for_update = for_update or None
        self._lateral = lateral
        self._distinct: Any = None
        self._simple_distinct: Any = None
        if distinct is not None:
            self.__dict__.update(
                self._distinct_state(
                    distinct if isinstance(distinct, (list, tuple)) else (distinct,)
                )
            )
        if windows:
            self._windows = list(windows)

    def clone(self) -> "Select":
        clone = super().clone()
        if clone._from_list:
            clone._from_list = list(clone._from_list)
        return clone  # type: ignore[return-value]

    @Node.copy
    def columns(self, *columns: Any, **kwargs: Any) -> None:
        self._returning = columns

    select = columns  # type: ignore[assignment]

    @Node.copy
    def select_extend(self, *columns: Any) -> None:
        self._returning = tuple(self._returning or ()) + columns

    @property
    def selected_columns(self) -> Optional[list]:
        """The columns this query selects (``None`` when none were given); assigning a list
        replaces them in place."""
        return None if self._returning is None else list(self._returning)

    @selected_columns.setter
    def selected_columns(self, columns: Sequence[Any]) -> None:
        self._returning = tuple(columns)

    @Node.copy
    def from_(self, *sources: Any) -> None:
        self._from_list = list(sources)

    @Node.copy
    def join(self, dest: Any, join_type: str = JOIN.INNER, on: Any = None) -> None:  # type: ignore[override]
        if not self._from_list:
            raise ValueError("No sources to join on.")
        if on is None and (
            join_type in _LATERAL_JOINS
            or (join_type != JOIN.CROSS and getattr(dest, "_lateral", False))
        ):
            on = True  # a lateral join needs an ON clause
        item = self._from_list.pop()
        self._from_list.append(Join(item, dest, join_type, on))

    def left_outer_join(self, dest: Any, on: Any = None) -> "Select":  # type: ignore[override]
        return self.join(dest, JOIN.LEFT_OUTER, on)

    @Node.copy
    def group_by(self, *columns: Any) -> None:
        grouping: List[Any] = []
        for column in columns:
            if isinstance(column, Table):
                if not column._columns:
                    raise ValueError(
                        "Cannot pass a table to group_by() that does not have columns explicitly declared."
                    )
                grouping.extend(getattr(column, name) for name in column._columns)
            else:
                grouping.append(column)
        self._group_by = grouping

    def group_by_extend(self, *values: Any) -> "Select":
        group_by = tuple(self._group_by or ()) + values
        return self.group_by(*group_by)

    @Node.copy
    def having(self, *expressions: Any) -> None:
        self._having = and_onto(self._having, expressions)

    @staticmethod
    def _distinct_state(columns: Sequence[Any]) -> Dict[str, Any]:
        if len(columns) == 1 and (columns[0] is True or columns[0] is False):
            return {"_simple_distinct": columns[0], "_distinct": None}
        if not columns:
            return {"_simple_distinct": True, "_distinct": None}
        return {"_simple_distinct": False, "_distinct": columns}

    @Node.copy
    def distinct(self, *columns: Any) -> None:
        self.__dict__.update(self._distinct_state(columns))

    @Node.copy
    def window(self, *windows: Any) -> None:
        aliases = [window._alias for window in windows]
        if len(set(aliases)) != len(aliases):
            raise ValueError(
                "Window definitions must have unique aliases. Use alias= to name each window."
            )
        self._windows = windows if windows else None

    @Node.copy
    def for_update(
        self,
        for_update: Any = True,
        of: Any = None,
        nowait: Optional[bool] = None,
        skip_locked: Optional[bool] = None,
    ) -> None:
        if not for_update and (of is not None or nowait or skip_locked):
            for_update = True
        self._for_update = ForUpdate(for_update, of, nowait, skip_locked) if for_update else None

    @Node.copy
    def lateral(self, lateral: bool = True) -> None:
        self._lateral = lateral

    def __sql__(self, ctx: Any) -> Any:
        state = ctx.state
        scope = state.scope
        if scope == SCOPE_COLUMN:
            return self.apply_column(ctx)
        sql = ctx._sql
        if self._lateral and scope == SCOPE_SOURCE:
            sql.append("LATERAL ")
        parens = (bool(state.subquery) or scope == SCOPE_SOURCE) and not state.bare_subquery
        in_function = state.in_function
        with ctx.scope_normal(
            converter=None,
            in_function=False,
            in_expr=False,
            bare_subquery=False,
            parentheses=parens,
            subquery=True,
            in_columns=False,
        ):
            self._render_ctes(ctx)
            sql.append("SELECT ")
            if self._simple_distinct or self._distinct is not None:
                sql.append("DISTINCT ")
                if self._distinct:
                    sql.append("ON (")
                    _render_list(ctx, self._distinct, ", ")
                    sql.append(") ")
            state = ctx.state
            state.scope = SCOPE_SOURCE
            state.in_columns = True
            if self._returning:
                _render_list(ctx, self._returning, ", ")
            else:
                sql.append("*")
            state.in_columns = False
            if self._from_list:
                sql.append(" FROM ")
                _render_list(ctx, self._from_list, ", ")
            ctx.state.scope = 1
            if self._where is not None:
                sql.append(" WHERE ")
                ctx.sql(self._where)
            if self._group_by:
                sql.append(" GROUP BY ")
                _render_list(ctx, self._group_by, ", ")
            if self._having is not None:
                sql.append(" HAVING ")
                ctx.sql(self._having)
            if self._windows is not None:
                sql.append(" WINDOW ")
                _render_list(ctx, self._windows, ", ")
            self._apply_ordering(ctx)
            if self._for_update is not None:
                if not ctx.dialect.for_update:
                    raise ValueError("FOR UPDATE specified but not supported by database.")
                sql.append(" ")
                ctx.sql(self._for_update)
        if scope == SCOPE_SOURCE and not in_function:
            self.apply_alias(ctx)
        return ctx
