"""The SQL expression tree: nodes that render themselves into a ``Context`` (columns, values,
operators, functions, CASE/CAST, windows, ...).  Knows nothing of models, databases or
connections; backend differences are read from ``ctx.dialect`` at render time."""

from __future__ import annotations

from types import GeneratorType
from typing import Any, Callable, Iterable, Iterator, List, Optional, Sequence

__all__ = [
    "OP",
    "SCOPE_NORMAL",
    "SCOPE_SOURCE",
    "SCOPE_VALUES",
    "SCOPE_CTE",
    "SCOPE_COLUMN",
    "Node",
    "ColumnBase",
    "Column",
    "WrappedNode",
    "EntityFactory",
    "Entity",
    "SQL",
    "Value",
    "AsIs",
    "Alias",
    "BindTo",
    "Negated",
    "BitwiseMixin",
    "BitwiseNegated",
    "Expression",
    "StringExpression",
    "Ordering",
    "Asc",
    "Desc",
    "Function",
    "fn",
    "Cast",
    "Case",
    "Tuple",
    "NodeList",
    "EnclosedNodeList",
    "CommaNodeList",
    "Window",
    "WindowAlias",
    "ForUpdate",
    "Check",
    "Default",
    "DQ",
    "EXCLUDED",
    "QualifiedNames",
    "Star",
    "chunked",
    "ensure_tuple",
]

SCOPE_NORMAL = 1
SCOPE_SOURCE = 2
SCOPE_VALUES = 4
SCOPE_CTE = 8
SCOPE_COLUMN = 16


class _AttrDict(dict):
    """A dict whose keys read as attributes (``OP.EQ``)."""

    def __getattr__(self, attr: str) -> Any:
        try:
            return self[attr]
        except KeyError:
            raise AttributeError(attr) from None

    def __setattr__(self, attr: str, value: Any) -> None:
        self[attr] = value


OP = _AttrDict(
    AND="AND",
    OR="OR",
    ADD="+",
    SUB="-",
    MUL="*",
    DIV="/",
    BIN_AND="&",
    BIN_OR="|",
    XOR="#",
    MOD="%",
    EQ="=",
    LT="<",
    LTE="<=",
    GT=">",
    GTE=">=",
    NE="!=",
    IN="IN",
    NOT_IN="NOT IN",
    IS="IS",
    IS_NOT="IS NOT",
    LIKE="LIKE",
    ILIKE="ILIKE",
    BETWEEN="BETWEEN",
    REGEXP="REGEXP",
    IREGEXP="IREGEXP",
    CONCAT="||",
    BITWISE_NEGATION="~",
)

# Operators whose right-hand side is a pattern, never converted by the column's db_value.
_NO_CONVERT_OPS = frozenset(("LIKE", "ILIKE", "REGEXP", "IREGEXP"))
_NULL_OPS = {"=": "IS", "!=": "IS NOT", "IS": "IS", "IS NOT": "IS NOT"}
_MULTI = (list, tuple, set, frozenset, range, GeneratorType)


def chunked(iterable: Iterable[Any], n: int) -> Iterator[List[Any]]:
    """Yield lists of at most ``n`` items from ``iterable``."""
    chunk: List[Any] = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ensure_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(value)
    return (value,)


class Node:
    """Base of every SQL tree node.  ``__sql__(ctx)`` renders the node and returns ``ctx``."""

    _coerce = True
    #: True for SELECT queries (plain and compound), which parenthesise themselves as values.
    _is_select_query = False
    #: True for nodes whose contents render differently as an operand of an expression (a
    #: compound query's members; set ``in_expr`` before rendering them there).
    _marks_operand = False

    def clone(self) -> "Node":
        obj = self.__class__.__new__(self.__class__)
        obj.__dict__ = self.__dict__.copy()
        return obj

    def __sql__(self, ctx: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def copy(method: Callable) -> Callable:
        """Decorator for chaining methods: run ``method`` on a clone and return the clone."""

        def inner(self: Any, *args: Any, **kwargs: Any) -> Any:
            clone = self.clone()
            method(clone, *args, **kwargs)
            return clone

        inner.__name__ = method.__name__
        inner.__doc__ = method.__doc__
        inner.__wrapped__ = method  # type: ignore[attr-defined]
        return inner

    def coerce(self, _coerce: bool = True) -> "Node":
        if _coerce != self._coerce:
            clone = self.clone()
            clone._coerce = _coerce
            return clone
        return self

    def is_alias(self) -> bool:
        return False

    def unwrap(self) -> "Node":
        return self


def _e(op: str, inv: bool = False) -> Callable:
    if inv:

        def reflected(self: Any, rhs: Any) -> "Expression":
            return Expression(rhs, op, self)

        return reflected

    def method(self: Any, rhs: Any) -> "Expression":
        return Expression(self, op, rhs)

    return method


def _escape_like(term: str) -> "tuple[str, bool]":
    if "%" in term or "_" in term or "\\" in term:
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"), True
    return term, False


class ColumnBase(Node):
    """Anything usable as a column expression: carries the operator overloads."""

    _converter: Optional[Callable] = None

    def converter(self, converter: Optional[Callable] = None) -> "ColumnBase":
        clone = self.clone()
        clone._converter = converter
        return clone

    def alias(self, alias: Optional[str]) -> "ColumnBase":
        if alias:
            return Alias(self, alias)
        return self

    def unalias(self) -> "ColumnBase":
        return self

    def bind_to(self, dest: Any) -> "BindTo":
        return BindTo(self, dest)

    def cast(self, as_type: str) -> "Cast":
        return Cast(self, as_type)

    def asc(self, collation: Optional[str] = None, nulls: Optional[str] = None) -> "Ordering":
        return Asc(self, collation=collation, nulls=nulls)

    __pos__ = asc

    def desc(self, collation: Optional[str] = None, nulls: Optional[str] = None) -> "Ordering":
        return Desc(self, collation=collation, nulls=nulls)

    __neg__ = desc

    def __invert__(self) -> "Negated":
        return Negated(self)

    __and__ = _e(OP.AND)
    __or__ = _e(OP.OR)
    __add__ = _e(OP.ADD)
    __sub__ = _e(OP.SUB)
    __mul__ = _e(OP.MUL)
    __div__ = __truediv__ = _e(OP.DIV)
    __xor__ = _e(OP.XOR)
    __radd__ = _e(OP.ADD, inv=True)
    __rsub__ = _e(OP.SUB, inv=True)
    __rmul__ = _e(OP.MUL, inv=True)
    __rdiv__ = __rtruediv__ = _e(OP.DIV, inv=True)
    __rand__ = _e(OP.AND, inv=True)
    __ror__ = _e(OP.OR, inv=True)
    __rxor__ = _e(OP.XOR, inv=True)

    def __eq__(self, rhs: Any) -> "Expression":  # type: ignore[override]
        return Expression(self, OP.IS if rhs is None else OP.EQ, rhs)

    def __ne__(self, rhs: Any) -> "Expression":  # type: ignore[override]
        return Expression(self, OP.IS_NOT if rhs is None else OP.NE, rhs)

    __hash__ = Node.__hash__

    __lt__ = _e(OP.LT)
    __le__ = _e(OP.LTE)
    __gt__ = _e(OP.GT)
    __ge__ = _e(OP.GTE)
    __lshift__ = _e(OP.IN)
    __rshift__ = _e(OP.IS)
    __mod__ = _e(OP.LIKE)
    __pow__ = _e(OP.ILIKE)

    like = _e(OP.LIKE)
    ilike = _e(OP.ILIKE)
    bin_and = _e(OP.BIN_AND)
    bin_or = _e(OP.BIN_OR)
    in_ = _e(OP.IN)
    not_in = _e(OP.NOT_IN)
    regexp = _e(OP.REGEXP)
    iregexp = _e(OP.IREGEXP)

    def is_null(self, is_null: bool = True) -> "Expression":
        return Expression(self, OP.IS if is_null else OP.IS_NOT, None)

    def _like_expr(self, prefix: str, rhs: Any, suffix: str) -> "Expression":
        if isinstance(rhs, Node):
            pattern: Any = rhs
            if prefix:
                pattern = StringExpression(prefix, OP.CONCAT, pattern)
            if suffix:
                pattern = StringExpression(pattern, OP.CONCAT, suffix)
            return Expression(self, OP.ILIKE, pattern)
        term, escaped = _escape_like(str(rhs))
        pattern = prefix + term + suffix
        if escaped:
            # Unconverted: a field's converter must not touch the escaped pattern.
            escape = NodeList((Value(pattern, False), SQL("ESCAPE"), Value("\\", False)))
            return Expression(self, OP.ILIKE, escape)
        return Expression(self, OP.ILIKE, pattern)

    def contains(self, rhs: Any) -> "Expression":
        if isinstance(rhs, Node):
            return Expression(
                self,
                OP.ILIKE,
                StringExpression("%", OP.CONCAT, StringExpression(rhs, OP.CONCAT, "%")),
            )
        return self._like_expr("%", rhs, "%")

    def startswith(self, rhs: Any) -> "Expression":
        return self._like_expr("", rhs, "%")

    def endswith(self, rhs: Any) -> "Expression":
        return self._like_expr("%", rhs, "")

    def between(self, lo: Any, hi: Any) -> "Expression":
        return Expression(self, OP.BETWEEN, NodeList((lo, SQL("AND"), hi)))

    def concat(self, rhs: Any) -> "Expression":
        return StringExpression(self, OP.CONCAT, rhs)

    def __getitem__(self, item: Any) -> "Expression":
        """``col[lo:hi]`` is ``col BETWEEN lo AND hi``; ``col[x]`` is ``col = x``."""
        if isinstance(item, slice):
            if item.start is None or item.stop is None:
                raise ValueError("BETWEEN range must have both a start- and end-point.")
            return self.between(item.start, item.stop)
        return self == item

    __iter__ = None  # a column is not a sequence (``__getitem__`` must not make it iterable)

    def distinct(self) -> "NodeList":
        return NodeList((SQL("DISTINCT"), self))

    def collate(self, collation: str) -> "NodeList":
        return NodeList((self, SQL("COLLATE %s" % collation)))

    def get_sort_key(self, ctx: Any) -> tuple:
        return ()


class Column(ColumnBase):
    """A named column of a source (table, subquery, CTE, VALUES list)."""

    def __init__(self, source: Any, name: str) -> None:
        self.source = source
        self.name = name

    def get_sort_key(self, ctx: Any) -> tuple:
        if ctx.scope == SCOPE_VALUES:
            return (self.name,)
        return self.source.get_sort_key(ctx) + (self.name,)

    def __hash__(self) -> int:
        return hash((self.source, self.name))

    def __sql__(self, ctx: Any) -> Any:
        quote_name = ctx.dialect.quote_name
        if ctx.state.scope == SCOPE_VALUES:
            ctx._sql.append(quote_name(self.name))
            return ctx
        ctx._sql.append(ctx.source_prefix(self.source) + quote_name(self.name))
        return ctx

    def __repr__(self) -> str:
        return "<Column %s>" % self.name


class WrappedNode(ColumnBase):
    """A node that decorates another one (alias, negation, ordering, cast, ...)."""

    def __init__(self, node: Any) -> None:
        self.node = node
        self._coerce = getattr(node, "_coerce", True)
        self._converter = getattr(node, "_converter", None)

    def is_alias(self) -> bool:
        return self.node.is_alias()

    def unwrap(self) -> Any:
        return self.node.unwrap()


class EntityFactory:
    """``EntityFactory(key)`` gives ``Entity(key, attr)`` for each attribute accessed."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def __getattr__(self, attr: str) -> "Entity":
        return Entity(self.node, attr)


class Entity(ColumnBase):
    """A quoted, possibly dotted identifier: ``Entity('schema', 'table')`` -> ``"schema"."table"``."""

    def __init__(self, *path: Any) -> None:
        self._path = [part for part in path if part]

    def __getattr__(self, attr: str) -> "Entity":
        if attr.startswith("__") or attr == "_path":
            raise AttributeError(attr)
        return Entity(*self._path, attr)

    def get_sort_key(self, ctx: Any) -> tuple:
        return tuple(self._path)

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, tuple(self._path)))

    def __sql__(self, ctx: Any) -> Any:
        quote_name = ctx.dialect.quote_name
        ctx._sql.append(".".join([quote_name(p) for p in self._path]))
        return ctx


class SQL(ColumnBase):
    """Literal SQL text with optional parameters: ``SQL('age > ?', [18])``."""

    def __init__(self, sql: str, params: Optional[Sequence[Any]] = None) -> None:
        self.sql = sql
        self.params = params

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append(self.sql)
        if self.params:
            ctx._values.extend(self.params)
        return ctx

    def __repr__(self) -> str:
        return "<SQL %r>" % (self.sql,)


def Star(source: Any) -> SQL:  # noqa: N802 - peewee spelling
    """``source.*``"""

    class _Star(SQL):
        def __sql__(self, ctx: Any) -> Any:
            ctx._sql.append(ctx.source_prefix(source) + "*")
            return ctx

    return _Star("*")


class Value(ColumnBase):
    """A value bound as a parameter; lists/tuples/sets render as ``(?, ?, ...)``."""

    def __init__(
        self, value: Any, converter: Optional[Callable] = None, unpack: bool = True
    ) -> None:
        self.value = value
        self.converter = converter  # type: ignore[assignment]
        self.multi = unpack and isinstance(value, _MULTI)
        if self.multi:
            self.values = []
            for item in value:
                if isinstance(item, Node):
                    self.values.append(item)
                    if item._marks_operand:
                        self._marks_operand = True  # e.g. a compound query in an IN list
                else:
                    self.values.append(Value(item, converter))

    def __sql__(self, ctx: Any) -> Any:
        if self.multi:
            return ctx.sql(EnclosedNodeList(self.values))
        return ctx.value(self.value, self.converter)


class AsIs(Value):
    """A value bound exactly as given (no conversion by the column it is compared with)."""

    def __init__(self, value: Any, converter: Any = None) -> None:
        super().__init__(value, converter=False, unpack=False)

    def __sql__(self, ctx: Any) -> Any:
        return ctx.value(self.value, False)


class Cast(WrappedNode):
    """``CAST(node AS type)``"""

    def __init__(self, node: Any, cast: str) -> None:
        super().__init__(node)
        self._cast = cast
        self._coerce = False

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append("CAST(")
        ctx.sql(self.node)
        ctx._sql.append(" AS %s)" % self._cast)
        return ctx


class Alias(WrappedNode):
    """``node AS "alias"`` in a select list; the bare alias elsewhere."""

    c = property(lambda self: EntityFactory(self._alias))

    def __init__(self, node: Any, alias: str) -> None:
        super().__init__(node)
        self._alias = alias

    def __hash__(self) -> int:
        return hash(self._alias)

    @property
    def name(self) -> str:
        return self._alias

    @name.setter
    def name(self, value: str) -> None:
        self._alias = value

    def alias(self, alias: Optional[str] = None) -> Any:
        if alias is None:
            return self.node
        return Alias(self.node, alias)

    def unalias(self) -> Any:
        return self.node

    def is_alias(self) -> bool:
        return True

    def __sql__(self, ctx: Any) -> Any:
        if ctx.state.scope == SCOPE_SOURCE:
            ctx.sql(self.node)
            ctx._sql.append(" AS " + ctx.dialect.quote_name(self._alias))
            return ctx
        ctx._sql.append(ctx.dialect.quote_name(self._alias))
        return ctx


class BindTo(WrappedNode):
    """A column expression whose value is assigned to ``dest`` on model results."""

    def __init__(self, node: Any, dest: Any) -> None:
        super().__init__(node)
        self.dest = dest

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(self.node)


class Negated(WrappedNode):
    """``NOT node``"""

    def __invert__(self) -> Any:
        return self.node

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append("NOT ")
        return ctx.sql(self.node)


class BitwiseMixin:
    def __and__(self, other: Any) -> "Expression":
        return self.bin_and(other)  # type: ignore[attr-defined]

    def __or__(self, other: Any) -> "Expression":
        return self.bin_or(other)  # type: ignore[attr-defined]

    def __sub__(self, other: Any) -> "Expression":
        return self.bin_and(other.bin_negated())  # type: ignore[attr-defined]

    def __invert__(self) -> "BitwiseNegated":
        return BitwiseNegated(self)


class BitwiseNegated(BitwiseMixin, WrappedNode):
    def __invert__(self) -> Any:
        return self.node

    def __sql__(self, ctx: Any) -> Any:
        ops = ctx.dialect.operations
        ctx._sql.append(ops.get(OP.BITWISE_NEGATION, OP.BITWISE_NEGATION))
        return ctx.sql(self.node)


class Expression(ColumnBase):
    """A binary operation ``lhs op rhs``; parenthesised unless ``flat``."""

    def __init__(self, lhs: Any, op: str, rhs: Any, flat: bool = False) -> None:
        self.lhs = lhs
        self.op = op
        if (op == "IN" or op == "NOT IN") and isinstance(rhs, GeneratorType):
            # Read once, so the query renders the same every time.
            rhs = tuple(rhs)
        self.rhs = rhs
        self.flat = flat

    def __sql__(self, ctx: Any) -> Any:
        parens = not self.flat
        op = self.op
        rhs = self.rhs
        lhs = self.lhs
        sql = ctx._sql
        dialect = ctx.dialect
        op_sql = dialect.operations.get(op, op)
        if rhs is None and op in _NULL_OPS:
            op_sql = _NULL_OPS[op]
            rhs = _NULL
        elif op == "IN" or op == "NOT IN":
            if (
                (not rhs)
                if isinstance(rhs, _MULTI)
                else isinstance(rhs, _LIST_NODES) and _is_empty_list(rhs)
            ):
                text = "0 = 1" if op == "IN" else "1 = 1"
                sql.append("(" + text + ")" if parens else text)
                return ctx

        # Converter: a column-like lhs with ``db_value`` converts literal values on the rhs.
        if op in _NO_CONVERT_OPS:
            converter = None
        else:
            node = lhs.unwrap() if isinstance(lhs, WrappedNode) else lhs
            converter = getattr(node, "db_value", None) if getattr(lhs, "_coerce", False) else None
        state = ctx.state
        push = state.converter is not converter
        if push:
            ctx.push(converter=converter)
        if parens:
            sql.append("(")
        # A subquery operand is rendered as a value (``in_expr``): compound members stay
        # unparenthesised where the backend's rule says so for values.
        if isinstance(lhs, Node):
            if lhs._marks_operand:
                ctx.push(in_expr=True)
                lhs.__sql__(ctx)
                ctx.pop()
            else:
                lhs.__sql__(ctx)
        else:
            ctx.sql(lhs)
        sql.append(" " + op_sql + " ")
        if isinstance(rhs, Node):
            if rhs._marks_operand:
                ctx.push(in_expr=True)
                rhs.__sql__(ctx)
                ctx.pop()
            else:
                rhs.__sql__(ctx)
        elif isinstance(rhs, _MULTI):
            values = Value(rhs)
            if values._marks_operand:
                ctx.push(in_expr=True)
                values.__sql__(ctx)
                ctx.pop()
            else:
                values.__sql__(ctx)
        else:
            ctx.sql(rhs)
        if parens:
            sql.append(")")
        if push:
            ctx.pop()
        return ctx


def _is_empty_list(rhs: Any) -> bool:  # rhs is one of _LIST_NODES
    """True for a right-hand side of ``IN`` (not a plain list) that would render as ``()``."""
    if isinstance(rhs, Value):
        return rhs.multi and not rhs.values
    if isinstance(rhs, NodeList):
        return rhs.parens and not rhs.nodes
    return isinstance(rhs, SQL) and rhs.sql == "()" and not rhs.params


class StringExpression(Expression):
    """A string concatenation (``||``, or ``CONCAT()`` where the backend has no ``||``);
    ``+`` on it concatenates too."""

    def __sql__(self, ctx: Any) -> Any:
        if self.op == "||" and ctx.dialect.use_concat_function:
            return ctx.sql(Function("CONCAT", (self.lhs, self.rhs)))
        return Expression.__sql__(self, ctx)

    def __add__(self, rhs: Any) -> "StringExpression":
        return self.concat(rhs)

    def __radd__(self, lhs: Any) -> "StringExpression":
        return StringExpression(lhs, OP.CONCAT, self)


_NULL = SQL("NULL")


class Ordering(WrappedNode):
    """``node [COLLATE c] ASC|DESC [NULLS FIRST|LAST]`` (NULLS emulated where unsupported)."""

    def __init__(
        self,
        node: Any,
        direction: str,
        collation: Optional[str] = None,
        nulls: Optional[str] = None,
    ) -> None:
        super().__init__(node)
        self.direction = direction
        self.collation = collation
        self.nulls = nulls
        if nulls and nulls.lower() not in ("first", "last"):
            raise ValueError('Ordering nulls= parameter must be "first" or "last", got: %s' % nulls)

    def collate(self, collation: Optional[str] = None) -> "Ordering":  # type: ignore[override]
        return Ordering(self.node, self.direction, collation, self.nulls)

    def _render(self, ctx: Any) -> None:
        ctx.sql(self.node)
        if self.collation:
            ctx._sql.append(" COLLATE %s" % self.collation)
        ctx._sql.append(" " + self.direction)

    def __sql__(self, ctx: Any) -> Any:
        nulls = self.nulls
        if not nulls:
            self._render(ctx)
            return ctx
        if ctx.dialect.nulls_ordering:
            self._render(ctx)
            ctx._sql.append(" NULLS %s" % nulls)
            return ctx
        first = nulls.lower() == "first"
        ctx.sql(Case(None, ((self.node.is_null(), 0 if first else 1),), 1 if first else 0))
        ctx._sql.append(", ")
        self._render(ctx)
        return ctx


def Asc(node: Any, collation: Optional[str] = None, nulls: Optional[str] = None) -> Ordering:  # noqa: N802
    return Ordering(node, "ASC", collation, nulls)


def Desc(node: Any, collation: Optional[str] = None, nulls: Optional[str] = None) -> Ordering:  # noqa: N802
    return Ordering(node, "DESC", collation, nulls)


# Functions whose lone subquery argument is written without a second pair of parentheses.
_SUBQUERY_FUNCTIONS = frozenset(("exists", "any", "all", "some", "array"))


class Function(ColumnBase):
    """A SQL function call ``NAME(arg, ...)``; ``fn.NAME(...)`` builds one."""

    no_coerce_functions = frozenset(("sum", "count", "avg", "cast", "array_agg"))

    def __init__(
        self,
        name: str,
        arguments: Sequence[Any],
        coerce: bool = True,
        python_value: Optional[Callable] = None,
    ) -> None:
        self.name = name
        self.arguments = arguments
        self._filter: Any = None
        self._order_by: Any = None
        self._python_value = python_value
        if name and name.lower() in self.no_coerce_functions:
            self._coerce = False
        else:
            self._coerce = coerce

    @Node.copy
    def filter(self, where: Any = None) -> None:
        self._filter = where

    @Node.copy
    def order_by(self, *ordering: Any) -> None:
        self._order_by = ordering

    @Node.copy
    def python_value(self, func: Optional[Callable] = None) -> None:
        self._python_value = func

    def over(
        self,
        partition_by: Any = None,
        order_by: Any = None,
        start: Any = None,
        end: Any = None,
        frame_type: Any = None,
        window: Any = None,
        exclude: Any = None,
    ) -> "NodeList":
        if isinstance(partition_by, Window) and window is None:
            window = partition_by
        if window is not None:
            node: Any = WindowAlias(window)
        else:
            node = Window(
                partition_by=partition_by,
                order_by=order_by,
                start=start,
                end=end,
                frame_type=frame_type,
                exclude=exclude,
                _inline=True,
            )
        return NodeList((self, SQL("OVER"), node))

    def __sql__(self, ctx: Any) -> Any:
        sql = ctx._sql
        sql.append(self.name)
        args = self.arguments
        if not args:
            sql.append("()")
        else:
            ordering = self._order_by
            single = len(args) == 1 and not ordering
            arg = args[0]
            # EXISTS(SELECT ...): the argument list's parentheses are the subquery's own.
            bare = (
                single
                and getattr(arg, "_is_select_query", False)
                and self.name.lower() in _SUBQUERY_FUNCTIONS
            )
            ctx.push(in_function=True, bare_subquery=bare)
            sql.append("(")
            if single and isinstance(arg, Expression) and not arg.flat:
                # SUM(a + b): the argument list already groups a lone expression.
                arg = arg.clone()
                arg.flat = True
                arg.__sql__(ctx)
            else:
                first = True
                for arg in args:
                    if first:
                        first = False
                    else:
                        sql.append(", ")
                    if isinstance(arg, Node):
                        arg.__sql__(ctx)
                    elif isinstance(arg, _MULTI):
                        Value(arg, False).__sql__(ctx)
                    else:
                        ctx.value(arg, False)
                if ordering:
                    sql.append(" ORDER BY ")
                    _render_list(ctx, ordering, ", ")
            sql.append(")")
            ctx.pop()
        if self._filter is not None:
            sql.append(" FILTER (WHERE ")
            ctx.sql(self._filter)
            sql.append(")")
        return ctx


def _render_list(ctx: Any, items: Sequence[Any], glue: str) -> None:
    sql = ctx._sql
    first = True
    for item in items:
        if first:
            first = False
        else:
            sql.append(glue)
        if isinstance(item, Node):
            item.__sql__(ctx)
        else:
            ctx.sql(item)


class _FunctionFactory:
    """``fn.ANY_NAME(*args)`` -> ``Function('ANY_NAME', args)``."""

    def __getattr__(self, attr: str) -> Callable[..., Function]:
        if attr.startswith("__"):
            raise AttributeError(attr)

        def make(*args: Any, **kwargs: Any) -> Function:
            return Function(attr, args, **kwargs)

        make.__name__ = attr
        return make


fn = _FunctionFactory()


class Case(ColumnBase):
    """``CASE [predicate] WHEN a THEN b ... [ELSE default] END``"""

    _marks_operand = True

    def __init__(
        self, predicate: Any, expression_tuples: Iterable[Sequence[Any]], default: Any = None
    ) -> None:
        self.predicate = predicate
        self.expression_tuples = list(expression_tuples)
        self.default = default

    def __sql__(self, ctx: Any) -> Any:
        sql = ctx._sql
        sql.append("CASE")
        with ctx(in_function=False):
            if self.predicate is not None:
                sql.append(" ")
                ctx.sql(self.predicate)
            for when, then in self.expression_tuples:
                sql.append(" WHEN ")
                ctx.sql(when)
                sql.append(" THEN ")
                _render_result(ctx, then)
            if self.default is not None:
                sql.append(" ELSE ")
                _render_result(ctx, self.default)
        sql.append(" END")
        return ctx


def _render_result(ctx: Any, value: Any) -> None:
    """A THEN / ELSE value of ``CASE``: a subquery there is a value, never given an alias."""
    if isinstance(value, Node):
        ctx.push(in_function=True)
        value.__sql__(ctx)
        ctx.pop()
    else:
        ctx.sql(value)


class NodeList(ColumnBase):
    """Nodes joined by ``glue``; optionally enclosed in parentheses."""

    _marks_operand = True

    def __init__(self, nodes: Sequence[Any], glue: str = " ", parens: bool = False) -> None:
        self.nodes = nodes
        self.glue = glue
        self.parens = parens
        if parens and len(nodes) == 1 and isinstance(nodes[0], Expression) and not nodes[0].flat:
            # Avoid double parentheses around a single expression.
            self.nodes = (nodes[0].clone(),)
            self.nodes[0].flat = True

    def __sql__(self, ctx: Any) -> Any:
        nodes = self.nodes
        if not nodes:
            if self.parens:
                ctx._sql.append("()")
            return ctx
        if self.parens:
            ctx._sql.append("(")
            with ctx(in_query=None):
                _render_list(ctx, nodes, self.glue)
            ctx._sql.append(")")
        else:
            _render_list(ctx, nodes, self.glue)
        return ctx


def CommaNodeList(nodes: Sequence[Any]) -> NodeList:  # noqa: N802
    return NodeList(nodes, ", ")


def EnclosedNodeList(nodes: Sequence[Any]) -> NodeList:  # noqa: N802
    return NodeList(nodes, ", ", True)


# Nodes that can render as an empty list ``()`` on the right of IN.
_LIST_NODES = (Value, NodeList, SQL)


class _TupleNode(NodeList):
    pass


def Tuple(*args: Any) -> NodeList:  # noqa: N802
    """``(a, b, ...)`` as one expression (row value)."""
    return _TupleNode(args, ", ", True)


class QualifiedNames(WrappedNode):
    """Render column references fully qualified even where bare names are the default."""

    def __sql__(self, ctx: Any) -> Any:
        with ctx.scope_normal(qualify_names=True):
            return ctx.sql(self.node)


class Window(Node):
    """A window definition for ``fn.X(...).over(...)`` and ``Select.window(...)``."""

    CURRENT_ROW = SQL("CURRENT ROW")
    GROUP = SQL("GROUP")
    TIES = SQL("TIES")
    NO_OTHERS = SQL("NO OTHERS")
    GROUPS = "GROUPS"
    RANGE = "RANGE"
    ROWS = "ROWS"

    def __init__(
        self,
        partition_by: Any = None,
        order_by: Any = None,
        start: Any = None,
        end: Any = None,
        frame_type: Optional[str] = None,
        extends: Any = None,
        exclude: Any = None,
        alias: Optional[str] = None,
        _inline: bool = False,
    ) -> None:
        if start is not None and not isinstance(start, SQL):
            start = SQL(start)
        if end is not None and not isinstance(end, SQL):
            end = SQL(end)
        if isinstance(exclude, str):
            exclude = SQL(exclude)
        self.partition_by = ensure_tuple(partition_by)
        self.order_by = ensure_tuple(order_by)
        self.start = start
        self.end = end
        if start is None and end is not None:
            raise ValueError("Cannot specify WINDOW end without start.")
        self.frame_type = frame_type
        self._extends = extends
        self._exclude = exclude
        self._alias = alias or "w"
        self._inline = _inline

    def alias(self, alias: Optional[str] = None) -> "Window":
        self._alias = alias or "w"
        return self

    @Node.copy
    def as_range(self) -> None:
        self.frame_type = Window.RANGE

    @Node.copy
    def as_rows(self) -> None:
        self.frame_type = Window.ROWS

    @Node.copy
    def as_groups(self) -> None:
        self.frame_type = Window.GROUPS

    @Node.copy
    def extends(self, window: Any = None) -> None:
        self._extends = window

    @Node.copy
    def exclude(self, frame_exclusion: Any = None) -> None:
        if isinstance(frame_exclusion, str):
            frame_exclusion = SQL(frame_exclusion)
        self._exclude = frame_exclusion

    @staticmethod
    def following(value: Optional[int] = None) -> SQL:
        if value is None:
            return SQL("UNBOUNDED FOLLOWING")
        return SQL("%d FOLLOWING" % value)

    @staticmethod
    def preceding(value: Optional[int] = None) -> SQL:
        if value is None:
            return SQL("UNBOUNDED PRECEDING")
        return SQL("%d PRECEDING" % value)

    def _definition(self, ctx: Any) -> None:
        sql = ctx._sql
        sql.append("(")
        parts = False
        with ctx.scope_normal():
            if self._extends is not None:
                ext = self._extends
                sql.append(ctx.dialect.quote_name(ext._alias if isinstance(ext, Window) else ext))
                parts = True
            if self.partition_by:
                if parts:
                    sql.append(" ")
                sql.append("PARTITION BY ")
                _render_list(ctx, self.partition_by, ", ")
                parts = True
            if self.order_by:
                if parts:
                    sql.append(" ")
                sql.append("ORDER BY ")
                _render_list(ctx, self.order_by, ", ")
                parts = True
            if self.start is not None or self.frame_type is not None:
                if parts:
                    sql.append(" ")
                frame_type = self.frame_type or Window.ROWS
                start = self.start if self.start is not None else Window.preceding()
                sql.append(frame_type + " ")
                if self.end is not None:
                    sql.append("BETWEEN ")
                    ctx.sql(start)
                    sql.append(" AND ")
                    ctx.sql(self.end)
                else:
                    ctx.sql(start)
                parts = True
            if self._exclude is not None:
                if parts:
                    sql.append(" ")
                exclude = self._exclude
                if isinstance(exclude, str):
                    exclude = SQL(exclude)
                sql.append("EXCLUDE ")
                ctx.sql(exclude)
        sql.append(")")

    def __sql__(self, ctx: Any) -> Any:
        # In the WINDOW clause: ``"w" AS (...)``; inline (OVER) or in a select list: ``(...)``.
        if not self._inline and ctx.state.scope != SCOPE_SOURCE:
            ctx._sql.append(ctx.dialect.quote_name(self._alias) + " AS ")
        self._definition(ctx)
        return ctx


class WindowAlias(Node):
    """Reference to a named window: ``OVER "w"``."""

    def __init__(self, window: Window) -> None:
        self.window = window

    def alias(self, window_alias: str) -> "WindowAlias":
        self.window._alias = window_alias
        return self

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append(ctx.dialect.quote_name(self.window._alias or "w"))
        return ctx


class ForUpdate(Node):
    """``FOR UPDATE [OF ...] [NOWAIT | SKIP LOCKED]`` (or another locking clause given as text,
    such as ``'FOR SHARE'``; a trailing ``NOWAIT`` / ``SKIP LOCKED`` in the text counts as the
    flag)."""

    def __init__(
        self,
        expr: Any,
        of: Any = None,
        nowait: Optional[bool] = None,
        skip_locked: Optional[bool] = None,
    ) -> None:
        expr = "FOR UPDATE" if expr is True else expr
        lowered = expr.lower()
        if lowered.endswith("nowait"):
            expr = expr[:-7]
            nowait = True
        elif lowered.endswith("skip locked"):
            expr = expr[:-12]
            skip_locked = True
        if nowait and skip_locked:
            raise ValueError(
                "Only one of nowait and skip_locked may be used in a FOR UPDATE clause."
            )
        self._expr = expr
        if of is not None and not isinstance(of, (list, set, tuple)):
            of = (of,)
        self._of = of
        self._nowait = nowait
        self._skip_locked = skip_locked

    def __sql__(self, ctx: Any) -> Any:
        ctx._sql.append(self._expr)
        if self._of is not None:
            ctx._sql.append(" OF ")
            _render_list(ctx, self._of, ", ")
        if self._nowait:
            ctx._sql.append(" NOWAIT")
        elif self._skip_locked:
            ctx._sql.append(" SKIP LOCKED")
        return ctx


def Check(constraint: str, name: Optional[str] = None) -> NodeList:  # noqa: N802
    """A CHECK constraint, optionally named."""
    check = SQL("CHECK (%s)" % constraint)
    if not name:
        return NodeList((check,))
    return NodeList((SQL("CONSTRAINT"), Entity(name), check))


def Default(value: Any) -> SQL:  # noqa: N802 - peewee spelling
    """A ``DEFAULT <value>`` column constraint; ``value`` is SQL text (quote strings yourself)."""
    return SQL("DEFAULT %s" % value)


class DQ(ColumnBase):
    """Django-style filter holder: ``DQ(name__op=value)``; resolved by model queries."""

    def __init__(self, **query: Any) -> None:
        super().__init__()
        self.query = query
        self._negated = False

    @Node.copy
    def __invert__(self) -> None:  # type: ignore[override]
        self._negated = not self._negated

    def clone(self) -> "DQ":
        node = DQ(**self.query)
        node._negated = self._negated
        return node

    def __sql__(self, ctx: Any) -> Any:
        raise TypeError("DQ() must be resolved by a model query (use Model.filter()).")


class _Excluded:
    """``EXCLUDED.col`` refers to the row proposed for insertion in an upsert."""

    def __getattr__(self, attr: str) -> NodeList:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return NodeList((SQL("EXCLUDED"), Entity(attr)), glue=".")


EXCLUDED = _Excluded()
