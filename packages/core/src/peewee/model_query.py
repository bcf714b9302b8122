"""Model-level queries: ``ModelSelect`` (joins, ``filter()``), compound selects, raw queries, aliases.

Subclasses the table-level queries of ``peewee.sql`` and hands rows to results.py; writes live in
model_write.py.  Models are recognised by duck typing (``_meta``), so this module never imports model.py.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any, Iterable, Optional

from .errors import DoesNotExist
from .model_cache import render_select
from .model_write import (
    ModelDelete,
    ModelInsert,
    ModelUpdate,
    _ModelQueryHelper,
    is_model,
    normalize_write_data,  # noqa: F401  (re-exported for model.py)
)
from .sql import (
    DQ,
    JOIN,
    OP,
    Alias,
    ColumnBase,
    Column,
    CompoundSelectQuery,
    Expression,
    Negated,
    Node,
    Select,
    SQL,
)
from .sql.nodes import SCOPE_COLUMN, SCOPE_NORMAL, SCOPE_SOURCE, SCOPE_VALUES
from .sql.query import database_required

try:
    from .sql import RawQuery
except ImportError:  # pragma: no cover - the SQL room may not provide one
    RawQuery = None  # type: ignore[assignment,misc]

__all__ = [
    "DJANGO_MAP",
    "FieldAlias",
    "ModelAlias",
    "ModelCompoundSelectQuery",
    "ModelDelete",
    "ModelInsert",
    "ModelRaw",
    "ModelSelect",
    "ModelUpdate",
    "NoopModelSelect",
]


def _expr(op: str) -> Any:
    return lambda lhs, rhs: Expression(lhs, op, rhs)


DJANGO_MAP = {
    "eq": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "ne": operator.ne,
    "in": operator.lshift,
    "is": _expr(OP.IS),
    "like": _expr(OP.LIKE),
    "ilike": _expr(OP.ILIKE),
    "regexp": _expr(OP.REGEXP),
    "iregexp": lambda lhs, rhs: lhs.iregexp(rhs),
    "not_in": lambda lhs, rhs: lhs.not_in(rhs),
    "is_not": _expr(OP.IS_NOT),
    "is_null": lambda lhs, rhs: lhs.is_null(rhs),
    "contains": lambda lhs, rhs: lhs.contains(rhs),
    "startswith": lambda lhs, rhs: lhs.startswith(rhs),
    "endswith": lambda lhs, rhs: lhs.endswith(rhs),
    "between": lambda lhs, rhs: lhs.between(*rhs),
}


# ---------------------------------------------------------------------------------------------
# Aliases


#: Operators a field class may give its own meaning (string ``+``, JSON ``[]``, bit operators...).
_FIELD_OPERATORS = (
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
    "__rtruediv__", "__mod__", "__rmod__", "__pow__", "__and__", "__rand__", "__or__", "__ror__",
    "__xor__", "__rxor__", "__lshift__", "__rshift__", "__invert__", "__neg__", "__getitem__",
)
_ALIAS_CLASSES: dict = {}


class FieldAlias(ColumnBase):
    """A field seen through a ``ModelAlias``: renders ``"t2"."column"`` for that alias."""

    def __init__(self, source: Any, field: Any) -> None:
        self.source = source
        # As in peewee, ``model`` is the alias itself (it proxies the model's attributes).
        self.model = source
        self.field = field

    @classmethod
    def create(cls, source: Any, field: Any) -> Any:
        """The alias of ``field`` seen through ``source``; it keeps the operators the field's
        class defines (``+`` concatenating strings, ``[]`` on JSON, ...)."""
        field_class = type(field)
        alias_class = _ALIAS_CLASSES.get((cls, field_class))
        if alias_class is None:
            overrides = {}
            for name in _FIELD_OPERATORS:
                impl = getattr(field_class, name, None)
                if impl is not None and impl is not getattr(ColumnBase, name, None):
                    overrides[name] = impl
            alias_class = type(cls.__name__, (cls,), overrides) if overrides else cls
            _ALIAS_CLASSES[cls, field_class] = alias_class
        return alias_class(source, field)

    def clone(self) -> "FieldAlias":
        return type(self)(self.source, self.field)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self.field, attr)

    def adapt(self, value: Any) -> Any:
        return self.field.adapt(value)

    def python_value(self, value: Any) -> Any:
        return self.field.python_value(value)

    def db_value(self, value: Any) -> Any:
        return self.field.db_value(value)

    def __hash__(self) -> int:
        return hash((self.source, self.field.name))

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(Column(self.source, self.field.column_name))


class ModelAlias(Node):
    """Another reference to a model's table, for self-joins: ``User.alias()``."""

    def __init__(self, model: Any, alias: Optional[str] = None) -> None:
        self.__dict__["model"] = model
        self.__dict__["alias"] = alias

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        model_attr = getattr(self.model, attr)
        field = self.model._meta.fields.get(attr)
        if (
            field is not None
            and model_attr is not None
            and getattr(model_attr, "field", field) is field
        ):
            self.__dict__[attr] = fa = FieldAlias.create(self, field)
            return fa
        if isinstance(model_attr, ColumnBase) and getattr(model_attr, "model", None) is self.model:
            self.__dict__[attr] = fa = FieldAlias.create(self, model_attr)
            return fa
        return model_attr

    def __setattr__(self, attr: str, value: Any) -> None:
        raise AttributeError("Cannot set attributes on model aliases.")

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: Any) -> Any:
        return self is other

    def __ne__(self, other: Any) -> Any:
        return self is not other

    def __call__(self, **kwargs: Any) -> Any:
        return self.model(**kwargs)

    def get_field_aliases(self) -> list:
        return [getattr(self, f.name) for f in self.model._meta.sorted_fields]

    def select(self, *selection: Any) -> "ModelSelect":
        if not selection:
            selection = tuple(self.get_field_aliases())
        return ModelSelect(self, selection)

    def clone(self) -> "ModelAlias":
        return self

    def _column_prefix(self, ctx: Any) -> str:
        alias = self.alias
        if alias:
            ctx.alias_manager[self] = alias
        else:
            alias = ctx.alias_manager[self]
        return ctx.dialect.quote_name(alias) + "."

    def get_sort_key(self, ctx: Any) -> tuple:
        return (self.alias or ctx.alias_manager[self],)

    def __sql__(self, ctx: Any) -> Any:
        meta = self.model._meta
        scope = ctx.state.scope
        quote_name = ctx.dialect.quote_name
        entity = ".".join(quote_name(p) for p in _table_path(meta))
        if scope == SCOPE_VALUES:
            ctx._sql.append(entity)
            return ctx
        if self.alias:
            ctx.alias_manager[self] = self.alias
        if scope == SCOPE_SOURCE:
            ctx._sql.append(entity + " AS " + quote_name(ctx.alias_manager[self]))
        else:
            ctx._sql.append(quote_name(ctx.alias_manager[self]))
        return ctx


def _table_path(meta: Any) -> tuple:
    if meta.schema:
        return (meta.schema, meta.table_name)
    return (meta.table_name,)


# ---------------------------------------------------------------------------------------------
# Selects


def _model_of(source: Any) -> Any:
    if isinstance(source, ModelAlias):
        return source.model
    return source


class _SelectList(Node):
    """A select list of plain fields of one table, rendered as one cached fragment.

    Each field would render as ``ctx.source_prefix(table) + quote_name(column)`` (``Field`` and
    ``Column`` rendering); the fragment is that text joined with ", ", kept per prefix and
    dialect.  Built only while the fields' table is the model's current ``_meta.table``."""

    def __init__(self, source: Any, names: list) -> None:
        self.source = source
        self.names = names
        self.texts: dict = {}

    def __sql__(self, ctx: Any) -> Any:
        prefix = ctx.source_prefix(self.source)
        dialect = ctx.dialect
        key = (prefix, dialect)
        text = self.texts.get(key)
        if text is None:
            quote = dialect.quote_name
            text = ", ".join([prefix + quote(name) for name in self.names])
            if len(self.texts) >= 16:
                self.texts.clear()
            self.texts[key] = text
        ctx._sql.append(text)
        return ctx


def _select_list(returning: Any) -> Any:
    """The cached ``_SelectList`` for a tuple of plain fields of one model, or None."""
    field_sql = _FIELD_SQL[0] if _FIELD_SQL else _field_sql()
    first = returning[0]
    if type(first).__sql__ is not field_sql:
        return None
    model = getattr(first, "model", None)
    meta = getattr(model, "_meta", None)
    if meta is None:
        return None
    table = meta.table
    entry = meta.__dict__.get("_select_lists")
    if entry is None or entry[0] is not table or len(entry[1]) > 64:
        entry = meta.__dict__["_select_lists"] = (table, {}, [(), None])
    last_fields, found = entry[2]
    # The select list used last (usually every field, in order) is recognised by identity.
    if not (len(last_fields) == len(returning) and all(map(operator.is_, last_fields, returning))):
        try:
            key = tuple(returning)
            found = entry[1].get(key)
        except TypeError:
            return None
    else:
        key = last_fields
    if found is not None:
        if found.names == list(map(_COLUMN_NAME, key)):
            entry[2][:] = [key, found]
            return found
    names = []
    for field in returning:
        if type(field).__sql__ is not field_sql or getattr(field, "model", None) is not model:
            return None
        column = field.column
        if type(column).__sql__ is not Column.__sql__ or column.source is not table:
            return None
        names.append(column.name)
    found = entry[1][key] = _SelectList(table, names)
    entry[2][:] = [key, found]
    return found


_COLUMN_NAME = operator.attrgetter("column_name")
_FIELD_SQL: list = []


def _field_sql() -> Any:
    from .fields import Field

    _FIELD_SQL.append(Field.__sql__)
    return Field.__sql__


def _with_columns(query: Any, columns: Any) -> Any:
    """The same query with its column list as one pre-rendered fragment (a shallow copy)."""
    copy = object.__new__(type(query))
    copy.__dict__.update(query.__dict__)
    copy._returning = (columns,)
    return copy


def _sorted_fields(model: Any) -> Any:
    meta = getattr(model, "_meta", None)
    return meta.sorted_fields if meta is not None else None


_NO_TEMPLATES: dict = {}
# Values a default selection may share between queries (nothing a chaining method changes in place).
_SHARED_TYPES = (type(None), bool, int, str)
_FRESH = frozenset(("_joins", "_database", "_from_list", "_returning", "_hash"))


def _default_select_template(query: Any, model: Any) -> None:
    """Keep the attributes of a freshly built ``model.select()`` for the next ones of its class.
    A template is kept only when every attribute but the fresh ones (rebuilt per query) is
    immutable or the model itself; otherwise the class keeps using the full constructor."""
    attrs = query.__dict__
    meta = model._meta
    templates = meta.__dict__.get("_select_templates")
    if templates is None:
        templates = meta.__dict__["_select_templates"] = {}
    if type(query) in templates:
        return
    if type(query) is not ModelSelect:
        # A subclass may set attributes of its own around the constructor: always run it.
        templates[type(query)] = None
        return
    ok = all(
        name in _FRESH or value is model or type(value) in _SHARED_TYPES
        for name, value in attrs.items()
    )
    templates[type(query)] = dict(attrs) if ok else None


def _expand_selection(fields_or_models: Iterable) -> list:
    selection = []
    for item in fields_or_models:
        if is_model(item):
            selection.extend(item._meta.sorted_fields)
        elif isinstance(item, ModelAlias):
            selection.extend(item.get_field_aliases())
        else:
            selection.append(item)
    return selection


class _ModelCompoundMixin:
    """UNION / INTERSECT / EXCEPT of model queries keep the model, so rows are built as models."""

    model: Any
    _cursor_wrapper: Any

    def _compound(self, op: str, rhs: Any) -> "ModelCompoundSelectQuery":
        return ModelCompoundSelectQuery(self.model, self, op, rhs)

    def union_all(self, rhs: Any) -> Any:
        return self._compound("UNION ALL", rhs)

    def union(self, rhs: Any) -> Any:
        return self._compound("UNION", rhs)

    def intersect(self, rhs: Any) -> Any:
        return self._compound("INTERSECT", rhs)

    def except_(self, rhs: Any) -> Any:
        return self._compound("EXCEPT", rhs)

    __add__ = union_all
    __or__ = union
    __and__ = intersect
    __sub__ = except_

    def __iter__(self) -> Any:
        # A model query with no database fails as ``execute()`` does (InterfaceError).
        if self._cursor_wrapper is None:
            self.execute()  # type: ignore[attr-defined]
        return iter(self._cursor_wrapper)


class ModelSelect(_ModelCompoundMixin, _ModelQueryHelper, Select):
    """``Model.select(...)``: a SELECT whose rows become model instances (or dicts, tuples...)."""

    def __init__(self, model: Any, fields_or_models: Iterable, is_default: bool = False) -> None:
        default = is_default and fields_or_models is _sorted_fields(model)
        if default and isinstance(model, type):
            # ``Model.select()``: start from the attributes the full constructor gave the first
            # such query of this class and model (see ``_default_select_template``).
            template = model._meta.__dict__.get("_select_templates", _NO_TEMPLATES).get(type(self))
            if template and template["model"] is model:
                attrs = self.__dict__
                attrs.update(template)
                attrs["_joins"] = {}
                attrs["_database"] = model._meta.database
                attrs["_from_list"] = [model]
                attrs["_returning"] = list(fields_or_models)
                self._update_hash()
                return
        self.model = self._join_ctx = model
        self._joins: dict = {}
        self._is_default = is_default
        if default:
            # ``Model.select()`` passes the model's sorted fields: nothing to expand.
            selection = list(fields_or_models)
        else:
            selection = _expand_selection(fields_or_models)
        super().__init__([model], selection)
        self._database = _model_of(model)._meta.database
        if default and isinstance(model, type):
            _default_select_template(self, model)

    def clone(self) -> Any:
        # Node.clone + BaseQuery.clone + Select.clone in one step (keep in step with them): a
        # shallow copy of the attributes with fresh copies of the lists chaining methods change
        # in place, and no results.
        clone = self.__class__.__new__(self.__class__)
        attrs = clone.__dict__ = self.__dict__.copy()
        attrs["_cursor_wrapper"] = None
        attrs["_hash"] = id(clone)  # SelectBase.clone: a copy is another source
        if attrs["_from_list"]:
            attrs["_from_list"] = list(attrs["_from_list"])
        joins = attrs["_joins"]
        # Always a new dict: ``join()`` adds to the clone's, which must not be the original's.
        attrs["_joins"] = {k: list(v) for k, v in joins.items()} if joins else {}
        return clone

    #: ``Load`` objects run once the query has executed (see ``peewee.eager``).
    _load_tree: tuple = ()

    def with_related(self, *rels: Any) -> "ModelSelect":
        """Load the rows related through ``rels`` (``Load`` objects, foreign keys or
        back-references) with one query each once this query has run."""
        from .eager import as_loads

        clone = self.clone()
        clone._load_tree = as_loads(rels)
        return clone

    def _execute(self, database: Any) -> Any:
        if not self._load_tree or self._cursor_wrapper is not None:
            return super()._execute(database)
        wrapper = super()._execute(database)
        from .eager import load_related

        load_related(self, list(wrapper), database)
        return wrapper

    def iterator(self, database: Any = None) -> Any:
        if self._load_tree:
            raise ValueError("with_related() is incompatible with iterator().")
        return super().iterator(database)

    def select(self, *fields_or_models: Any) -> Any:
        if not fields_or_models and self._is_default:
            return self.clone()
        query = super().select(*_expand_selection(fields_or_models))
        query._is_default = False
        return query

    columns = select

    @database_required
    def exists(self, database: Any) -> bool:
        # ``SELECT EXISTS(SELECT 1 FROM ...) LIMIT 1``: the default selection becomes ``1``.
        query = self.select(SQL("1")) if self._is_default else self
        return Select.exists(query, database)

    def select_extend(self, *columns: Any) -> Any:
        query = super().select_extend(*_expand_selection(columns))
        query._is_default = False
        return query

    def group_by(self, *columns: Any) -> Any:
        grouping = []
        for column in columns:
            if is_model(column):
                grouping.extend(column._meta.sorted_fields)
            elif isinstance(column, ModelAlias):
                grouping.extend(column.get_field_aliases())
            elif isinstance(column, Select):
                grouping.extend(column._returning)
            else:
                grouping.append(column)
        return super().group_by(*grouping)

    def switch(self, ctx: Any = None) -> "ModelSelect":
        clone = self.clone()
        clone._join_ctx = self.model if ctx is None else ctx
        return clone

    # -- joins ------------------------------------------------------------------------------------

    def _find_foreign_key(self, src: Any, dest: Any) -> tuple:
        src_model, dest_model = _model_of(src), _model_of(dest)
        forward = [fk for fk in src_model._meta.refs if fk.rel_model is dest_model]
        backward = [fk for fk in dest_model._meta.refs if fk.rel_model is src_model]
        if forward and backward and src_model is dest_model:
            backward = []
        if not forward and not backward:
            raise ValueError(
                "Unable to find foreign key between %r and %r. Please specify an explicit join "
                "condition." % (src_model, dest_model)
            )
        if len(forward) + len(backward) > 1:
            # Several keys: the one named after the destination model wins (``Tweet.user`` for
            # ``Tweet.select().join(User)``); without such a key the join is ambiguous.
            name = dest_model._meta.name
            forward = [fk for fk in forward if fk.name == name]
            backward = [fk for fk in backward if fk.name == name]
            if len(forward) + len(backward) != 1:
                raise ValueError(
                    "More than one foreign key between %r and %r. Please specify which you are "
                    "joining on." % (src_model, dest_model)
                )
        if forward:
            return forward[0], False
        return backward[0], True

    def _normalize_join(self, src: Any, dest: Any, on: Any, attr: Optional[str]) -> tuple:
        if isinstance(on, Alias):
            attr = attr or on._alias
            on = on.alias()
        src_model, dest_model = _model_of(src), _model_of(dest)
        src_is_model = is_model(src_model)
        dest_is_model = is_model(dest_model)
        constructor = dest_model if dest_is_model else dict
        if not (src_is_model and dest_is_model):
            if not dest_is_model:
                # Columns of a joined subquery are grouped on an object hung on the row: an
                # instance of the subquery's model (attribute named after it), or a dict named
                # after the subquery's alias.
                sub_model = (
                    _model_of(getattr(dest, "model", None))
                    if isinstance(dest, ModelSelect)
                    else None
                )
                if is_model(sub_model):
                    constructor = sub_model
                    if attr is None:
                        attr = sub_model._meta.name
                elif attr is None:
                    attr = getattr(dest, "_alias", None) or getattr(dest, "__name__", None)
            return on, attr, constructor

        fk, is_backref = None, False
        if on is None:
            fk, is_backref = self._find_foreign_key(src, dest)
        else:
            candidate = on.field if isinstance(on, FieldAlias) else on
            if _is_foreign_key(candidate):
                fk = candidate
                is_backref = (
                    candidate.model is dest_model
                    and candidate.rel_model is src_model
                    and (candidate.model is not src_model or _source_for(on, src, dest) is dest)
                )
        if fk is not None and (
            on is None or _is_foreign_key(on.field if isinstance(on, FieldAlias) else on)
        ):
            if is_backref:
                lhs = getattr(dest, fk.name) if isinstance(dest, ModelAlias) else fk
                rhs_field = fk.rel_field
                rhs = getattr(src, rhs_field.name) if isinstance(src, ModelAlias) else rhs_field
            else:
                lhs = getattr(src, fk.name) if isinstance(src, ModelAlias) else fk
                rhs_field = fk.rel_field
                rhs = getattr(dest, rhs_field.name) if isinstance(dest, ModelAlias) else rhs_field
            on = lhs == rhs
            if attr is None:
                attr = dest_model._meta.name if is_backref else fk.name
        elif attr is None:
            attr = _attr_for_condition(src_model, dest_model, on)
        return on, attr, constructor

    def join(
        self,
        dest: Any,
        join_type: Any = JOIN.INNER,
        on: Any = None,
        src: Any = None,
        attr: Optional[str] = None,
    ) -> Any:
        src = self._join_ctx if src is None else src
        if (
            join_type in (getattr(JOIN, "LATERAL", None), getattr(JOIN, "LEFT_LATERAL", None))
            and join_type
        ):
            # A lateral subquery's columns stay on the row object itself.
            if on is None:
                on = True
            attr, constructor = None, dict
        elif join_type == JOIN.CROSS:
            # A cross join pairs every row with every row: no condition, no row graph, and
            # the join context stays where it was.
            if on is not None:
                raise ValueError("Cannot specify on clause with cross join.")
            query = self.clone()
            query._from_list = list(query._from_list)
            return Select.join(query, dest, join_type, on)
        else:
            on, attr, constructor = self._normalize_join(src, dest, on, attr)
        query = self.clone()
        if attr:
            query._joins.setdefault(src, []).append((dest, attr, constructor, join_type))
        query._join_ctx = dest
        query._from_list = list(query._from_list)
        return Select.join(query, dest, join_type, on)

    def left_outer_join(
        self, dest: Any, on: Any = None, src: Any = None, attr: Optional[str] = None
    ) -> Any:
        return self.join(dest, JOIN.LEFT_OUTER, on, src, attr)

    def join_from(
        self, src: Any, dest: Any, join_type: Any = JOIN.INNER, on: Any = None, attr: Any = None
    ) -> Any:
        return self.join(dest, join_type, on, src, attr)

    def ensure_join(self, lm: Any, rm: Any, on: Any = None, **join_kwargs: Any) -> "ModelSelect":
        for dest, _, _, _ in self._joins.get(lm, ()):
            if dest is rm:
                return self
        join_ctx = self._join_ctx
        return self.switch(lm).join(rm, on=on, **join_kwargs).switch(join_ctx)

    # -- Django-style filters -------------------------------------------------------------------

    def convert_dict_to_node(self, qdict: dict) -> tuple:
        accum, joins = [], []
        for key, value in sorted(qdict.items()):
            curr = self.model
            if "__" in key and key.rsplit("__", 1)[1] in DJANGO_MAP:
                key, op_name = key.rsplit("__", 1)
                op = DJANGO_MAP[op_name]
            elif value is None:
                op = DJANGO_MAP["is"]
            else:
                op = DJANGO_MAP["eq"]
            model_attr = None
            pieces = key.split("__")
            last = len(pieces) - 1
            for i, piece in enumerate(pieces):
                for dest, attr, _, _ in self._joins.get(curr, ()):
                    if attr == piece or (isinstance(dest, ModelAlias) and dest.alias == piece):
                        model_attr = getattr(curr, piece, None)
                        curr = dest
                        break
                else:
                    model_attr = getattr(curr, piece, None)
                    if model_attr is None:
                        raise AttributeError(
                            '%s has no field or relation named "%s" (in filter "%s").'
                            % (_model_of(curr).__name__, piece, key)
                        )
                    if _is_foreign_key(model_attr):
                        if i == last:
                            break  # the last piece compares the foreign-key column: no join
                        curr = model_attr.rel_model
                        joins.append((model_attr.model, model_attr.rel_model, model_attr))
                    elif _is_backref(model_attr):
                        curr = model_attr.rel_model
                        joins.append(
                            (model_attr.field.rel_model, model_attr.rel_model, model_attr.field)
                        )
            if _is_backref(model_attr):
                model_attr = model_attr.rel_model._meta.primary_key
            accum.append(op(model_attr, value))
        return accum, joins

    def _resolve_dq(self, node: Any, joins: list) -> Any:
        if isinstance(node, DQ):
            parts, found = self.convert_dict_to_node(node.query)
            for join in found:
                if not any(all(a is b for a, b in zip(join, seen)) for seen in joins):
                    joins.append(join)
            expression = reduce(operator.and_, parts)
            if getattr(node, "_negated", False):
                expression = Negated(expression)
            return expression
        if isinstance(node, Expression):
            lhs = self._resolve_dq(node.lhs, joins)
            rhs = self._resolve_dq(node.rhs, joins)
            if lhs is node.lhs and rhs is node.rhs:
                return node
            clone = node.clone()
            clone.lhs, clone.rhs = lhs, rhs
            return clone
        if isinstance(node, Negated):
            inner = self._resolve_dq(node.node, joins)
            return node if inner is node.node else Negated(inner)
        return node

    def filter(self, *args: Any, **kwargs: Any) -> "ModelSelect":
        nodes = list(args)
        if kwargs:
            nodes.append(DQ(**kwargs))
        if not nodes:
            return self.clone()
        joins: list = []
        resolved = [self._resolve_dq(node, joins) for node in nodes]
        query = self
        for lm, rm, fk in joins:
            query = query.ensure_join(lm, rm, on=fk)
        return query.where(reduce(operator.and_, resolved))

    # -- fetching -------------------------------------------------------------------------------

    def get(self, database: Any = None) -> Any:
        clone = self.paginate(1, 1)
        clone._cursor_wrapper = None
        try:
            return clone.execute(database)[0]
        except IndexError:
            sql, params = clone.sql()
            raise self.model.DoesNotExist(
                "%s instance matching query does not exist:\nSQL: %s\nParams: %s"
                % (self.model, sql, params)
            ) from None

    def get_or_none(self, database: Any = None) -> Any:
        try:
            return self.get(database)
        except DoesNotExist:
            return None

    def prefetch(self, *subqueries: Any, **kwargs: Any) -> list:
        from .prefetch import prefetch

        return prefetch(self, *subqueries, **kwargs)

    def __sql__(self, ctx: Any) -> Any:
        # Used as a value (``x IN (subquery)``), a default selection of every field selects only
        # the primary key.
        state = ctx.state
        if (
            self._is_default
            and state.__dict__.get("subquery")
            and state.scope == SCOPE_NORMAL
            and len(self._returning) > 1
        ):
            pk = _model_of(self.model)._meta.primary_key
            if pk is not False and not _model_of(self.model)._meta.composite_key:
                if isinstance(self.model, ModelAlias):
                    pk = getattr(self.model, pk.name)
                clone = self.clone()
                clone._returning = (pk,)
                clone._is_default = False
                return Select.__sql__(clone, ctx)
        if state.scope != SCOPE_COLUMN and self._returning:
            columns = _select_list(self._returning)
            if columns is not None:
                if type(self) is ModelSelect and render_select(
                    self,
                    ctx,
                    columns,
                    lambda shaped: Select.__sql__(_with_columns(shaped, columns), ctx),
                ):
                    return ctx
                return super(ModelSelect, _with_columns(self, columns)).__sql__(ctx)
        return super().__sql__(ctx)


def _is_foreign_key(obj: Any) -> bool:
    return isinstance(obj, ColumnBase) and hasattr(obj, "rel_model") and hasattr(obj, "rel_field")


def _is_backref(obj: Any) -> bool:
    return (
        not isinstance(obj, ColumnBase)
        and _is_foreign_key(getattr(obj, "field", None))
        and hasattr(obj, "rel_model")
    )


def _attr_for_condition(src_model: Any, dest_model: Any, on: Any) -> str:
    """The attribute a model joined with an explicit condition is attached under.

    With one foreign key between the models it is the key's name (or, for a back-reference, the
    joined model's name); with several, the name of the key compared in ``on``; otherwise the
    joined model's name.
    """
    forward = [fk for fk in src_model._meta.refs if fk.rel_model is dest_model]
    backward = [fk for fk in dest_model._meta.refs if fk.rel_model is src_model]
    if src_model is dest_model:
        backward = []
    keys = forward + backward
    if len(keys) == 1:
        return keys[0].name if forward else dest_model._meta.name
    if keys and isinstance(on, Expression):
        for side in (on.lhs, on.rhs):
            side = side.field if isinstance(side, FieldAlias) else side
            if any(side is fk for fk in keys):
                return side.name
    return dest_model._meta.name


def _source_for(on: Any, src: Any, dest: Any) -> Any:
    if isinstance(on, FieldAlias):
        return on.source
    return src


class NoopModelSelect(ModelSelect):
    """``Model.noop()``: a statement that does nothing and yields no rows (the backend's no-op)."""

    def __sql__(self, ctx: Any) -> Any:
        getter = getattr(self._database, "get_noop_select", None)
        text = getter() if getter is not None else None
        ctx.literal(text or "SELECT 0 WHERE 0")
        return ctx

    def _get_cursor_wrapper(self, cursor: Any) -> Any:
        from .sql import CursorWrapper

        return CursorWrapper(cursor)


class ModelCompoundSelectQuery(_ModelCompoundMixin, _ModelQueryHelper, CompoundSelectQuery):
    """UNION / INTERSECT / EXCEPT of model selects; rows become instances of the left model."""

    def __init__(self, model: Any, *args: Any, **kwargs: Any) -> None:
        self.model = model
        super().__init__(*args, **kwargs)
        self._database = getattr(args[0], "_database", None) if args else None

    @property
    def _returning(self) -> Any:
        return self.lhs._returning

    # ``with_related()`` works as on a model select (see ``peewee.eager``).
    _load_tree: tuple = ()
    with_related = ModelSelect.with_related

    def _execute(self, database: Any) -> Any:
        if not self._load_tree or self._cursor_wrapper is not None:
            return super()._execute(database)
        wrapper = super()._execute(database)
        from .eager import load_related

        load_related(self, list(wrapper), database)
        return wrapper

    def iterator(self, database: Any = None) -> Any:
        if self._load_tree:
            raise ValueError("with_related() is incompatible with iterator().")
        return super().iterator(database)

    @property
    def _joins(self) -> Any:
        # Rows are built as the left-hand query builds them: its columns, its join graph.
        return getattr(self.lhs, "_joins", None) or {}


if RawQuery is not None:

    class ModelRaw(_ModelQueryHelper, RawQuery):  # type: ignore[misc,valid-type]
        """``Model.raw(sql, *params)``: hand-written SQL whose rows become model instances."""

        def __init__(self, model: Any, sql: str, params: Any, **kwargs: Any) -> None:
            self.model = model
            self._returning = ()
            self._joins = {}
            kwargs.setdefault("_database", model._meta.database)
            super().__init__(sql=sql, params=params, **kwargs)

        def get(self) -> Any:
            try:
                return self.execute()[0]
            except IndexError:
                sql, params = self.sql()
                raise self.model.DoesNotExist(
                    "%s instance matching query does not exist:\nSQL: %s\nParams: %s"
                    % (self.model, sql, params)
                ) from None

else:  # pragma: no cover

    class ModelRaw:  # type: ignore[no-redef]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise NotImplementedError("raw queries need peewee.sql.RawQuery")
