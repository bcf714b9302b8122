"""Row builders for model queries: model instances (with joined object graphs), ``objects()``, dicts,
tuples and namedtuples, each converting values with the selected fields' ``python_value``.

A plan (column -> attribute, converter, owning model) is built once per query execution from the
select list; rows then fill ``__data__`` directly.  Knows nothing of SQL text or drivers.
"""
from __future__ import annotations

import collections
import operator
import datetime as _datetime
from typing import Any

from .sql import Alias, BindTo, ColumnBase, CursorWrapper, Entity, Function, Node
from .sql.cursor import dedupe_columns, make_identifier
from .errors import translate_data_error

__all__ = [
    "ModelDictCursorWrapper",
    "ModelGraphCursorWrapper",
    "ModelInstanceCursorWrapper",
    "ModelNamedTupleCursorWrapper",
    "ModelObjectCursorWrapper",
    "ModelTupleCursorWrapper",
]


def _clean_name(name: str) -> str:
    dot = name.rfind(".")
    if dot != -1:
        name = name[dot + 1:]
    return name.strip('()"`')


def _field_like(node: Any) -> bool:
    return isinstance(node, ColumnBase) and hasattr(node, "python_value") and hasattr(node, "model")


def _skip_type(node: Any) -> Any:
    """A value type the column's converter returns unchanged (so the call can be skipped), for the
    built-in field types whose conversion is known; None when every value must be converted."""
    from . import fields as f

    field = _base_field(node)
    cls = type(field)
    if not isinstance(field, f.Field):
        return None
    python_value = cls.python_value
    if python_value is f._StringField.python_value:
        return str
    if python_value is not f.Field.python_value:
        return None
    adapt = cls.adapt
    if adapt is f.IntegerField.adapt:
        return int
    if adapt is f.FloatField.adapt:
        return float
    if adapt is f.BooleanField.adapt:
        return bool
    if adapt is f.DateTimeField.adapt:
        return _datetime.datetime
    return None


def _base_field(node: Any) -> Any:
    """The field whose conversion a selected column gets (aliases and foreign keys unwrapped)."""
    field = node
    while isinstance(field, (Alias, BindTo)):
        field = field.node
    field = getattr(field, "field", field) if type(field).__name__ == "FieldAlias" else field
    rel_field = getattr(field, "rel_field", None)
    if rel_field is not None and type(field).python_value is _fk_python_value():
        field = rel_field
    return field


def _inline_kind(node: Any, conv: Any) -> Any:
    """"bool" or "iso" when the column's converter is exactly ``BooleanField``'s or the default
    ``DateTimeField``'s (so generated code may apply ``bool`` / ``fromisoformat`` itself)."""
    from . import fields as f

    field = _base_field(node)
    cls = type(field)
    if not isinstance(field, f.Field) or cls.python_value is not f.Field.python_value:
        return None
    if getattr(conv, "__self__", None) is not field or getattr(conv, "__func__", None) is not (
        f.Field.python_value
    ):
        return None
    if cls.adapt is f.BooleanField.adapt:
        return "bool"
    if cls.adapt is f.DateTimeField.adapt and field.formats is f.DateTimeField.formats:
        return "iso"
    return None


def _fk_python_value() -> Any:
    from .relations import ForeignKeyField

    return ForeignKeyField.python_value


def _safe(convert: Any) -> Any:
    """``convert``, except that a value it rejects (``TypeError``/``ValueError``) is kept as is:
    for a function result converted like its first argument, which may not fit."""

    def safe_convert(value: Any) -> Any:
        try:
            return convert(value)
        except (TypeError, ValueError):
            return value

    return safe_convert


def _conversion(raw: Any, node: Any, column: str, combined: dict) -> tuple:
    """``(converter, forced)`` for one selected column (``raw`` as selected, ``node`` unwrapped).

    A field converts with its ``python_value`` unless ``coerce(False)`` (or ``Cast``) says not
    to; a column with ``converter(...)`` or a function with ``python_value(...)`` uses that one,
    called for every value, ``None`` included (``forced``); a coercing function converts like a
    field given as its first argument, keeping values that do not fit; any other column whose
    name is one of the model's columns converts like that field."""
    if _field_like(node):
        return (node.python_value if getattr(raw, "_coerce", True) else None), False
    if not isinstance(node, ColumnBase):
        return None, False
    explicit = getattr(raw, "_converter", None)
    if explicit is not None:
        return explicit, True
    if isinstance(node, Function):
        if node._python_value is not None:
            return node._python_value, True
        if node._coerce:
            if getattr(raw, "_coerce", True) is False or not node.arguments:
                return None, False
            first = node.arguments[0]
            if not isinstance(first, Node):
                return None, False
            first = first.unwrap()
            if isinstance(first, Entity):
                first = combined.get(first._path[-1]) if first._path else None
            if _field_like(first):
                return _safe(first.python_value), False
            return None, False
    if column in combined and getattr(node, "_coerce", True):
        return combined[column].python_value, False
    return None, False


def _skip_for(node: Any) -> Any:
    """``_skip_type`` of a selected column; a coercing function uses its first argument's."""
    inner = node.unwrap() if isinstance(node, Node) else node
    if isinstance(inner, Function) and inner._python_value is None and inner.arguments:
        first = inner.arguments[0]
        first = first.unwrap() if isinstance(first, Node) else first
        return _skip_type(first) if _field_like(first) else None
    return _skip_type(node)


def _resolve_columns(nodes: Any, description: Any, model: Any) -> list:
    """``[(name, converter, forced), ...]`` for each column of a result.

    The name is the field's name for a field, the alias for an aliased column, and otherwise
    the column name the driver reports, cleaned of a table prefix, quotes and parentheses
    (``COUNT("t1"."id")`` gives ``id``).  A column past the end of the select list (raw
    queries) that is named like one of the model's columns converts like that field."""
    meta = getattr(model, "_meta", None)
    combined = meta.combined if meta is not None else {}
    out = []
    count = len(nodes) if nodes is not None else 0
    for idx, item in enumerate(description):
        orig = item[0]
        if isinstance(orig, bytes):
            orig = orig.decode("utf8")
        column = _clean_name(orig)
        if idx < count:
            raw = nodes[idx]
        elif column in combined:
            raw = combined[column]
        else:
            out.append((column, None, False))
            continue
        if isinstance(raw, Node):
            node = raw.unwrap()
            is_alias = raw.is_alias()
        else:
            node, is_alias = raw, False
        if is_alias:
            name = orig
        elif _field_like(node):
            name = node.name
        else:
            name = column
        conv, forced = _conversion(raw, node, column, combined)
        out.append((name, conv, forced))
    return out


def _converter(node: Any) -> Any:
    """The converter of a selected node for the joined-row builder (see ``_conversion``)."""
    if node is None:
        return None
    inner = node.unwrap() if isinstance(node, Node) else node
    conv, forced = _conversion(node, inner, "", {})
    return None if forced else conv


def _describe(node: Any, description_name: str) -> tuple:
    """(source, attribute name) for one selected column; source None means 'the main model'."""
    if isinstance(node, BindTo):
        source, name = _describe(node.node, description_name)
        return node.dest, name
    if isinstance(node, Alias):
        inner = node.node
        if isinstance(inner, BindTo):
            return inner.dest, node._alias
        if _field_like(inner):
            return getattr(inner, "source", None) or inner.model, node._alias
        return None, node._alias
    if _field_like(node):
        source = getattr(node, "source", None) or node.model
        return source, node.name
    return None, _clean_name(description_name)


def _forced(nodes: Any, count: int) -> list:
    """``[(index, converter), ...]`` for the columns whose converter sees every value."""
    out = []
    if nodes is None:
        return out
    for idx in range(min(count, len(nodes))):
        node = nodes[idx]
        inner = node.unwrap() if isinstance(node, Node) else node
        conv, forced = _conversion(node, inner, "", {})
        if forced:
            out.append((idx, conv))
    return out


def _plain_names(nodes: Any, description: Any, model: Any = None,
                 identifiers: bool = False) -> list:
    names = [name for name, _, _ in _resolve_columns(nodes, description, model)]
    return dedupe_columns(names, identifiers)


def _converters(nodes: Any, count: int, model: Any = None, description: Any = None) -> list:
    """``[(index, converter, skip_type), ...]`` for the columns that need converting (those
    whose converter also sees ``None`` are left to ``_forced``)."""
    convs = []
    if description is not None:
        for idx, (_, conv, forced) in enumerate(_resolve_columns(nodes, description, model)):
            if conv is not None and not forced:
                node = nodes[idx] if nodes is not None and idx < len(nodes) else None
                convs.append((idx, conv, _skip_for(node) if node is not None else None))
        return convs
    if nodes is None:
        return convs
    for idx in range(min(count, len(nodes))):
        conv = _converter(nodes[idx])
        if conv is not None:
            convs.append((idx, conv, _skip_type(nodes[idx])))
    return convs


def _with_forced(wrapper: Any, forced: list) -> None:
    """Apply the ``forced`` converters to each raw row before ``wrapper`` builds it."""
    if not forced:
        return
    build = wrapper.process_row

    def process_row(row: Any) -> Any:
        row = list(row)
        for idx, conv in forced:
            row[idx] = conv(row[idx])
        return build(row)

    wrapper.process_row = process_row


_CHUNK = 256


def _column_plan(nodes: Any, count: int) -> dict:
    """``{index: (converter, skip type, inline kind)}`` for the columns that need converting."""
    plan = {}
    for idx, conv, skip in _converters(nodes, count):
        plan[idx] = (conv, skip, _inline_kind(nodes[idx], conv))
    return plan


def _compile_chunk_builder(shape: str, count: int, plan: dict, names: Any = None,
                           order: Any = None, cls: Any = None) -> Any:
    """Generate ``build(rows) -> list`` for one result shape ("tuple", "dict" or "model"): the
    same values as the per-row builders, as one comprehension (or loop) over a fetched batch.

    Each converted column becomes ``v if type(v) is skip or v is None else convert(v)``; the
    converters of ``BooleanField`` and of the default ``DateTimeField`` are inlined (``bool``,
    ``fromisoformat``).  ``fromisoformat`` is tried for a whole batch only when every converter
    of the plan is a built-in one; if it raises ``ValueError`` the batch is built again with the
    fields' own converters, which are the reference."""
    env: dict = {"new": object.__new__, "BOOL": bool, "DT": _datetime.datetime,
                 "FI": _datetime.datetime.fromisoformat}
    cols = ["c%d" % i for i in range(count)]
    target = ", ".join(cols) + ("," if count == 1 else "")

    def expr(i: int, optimistic: bool) -> str:
        c = cols[i]
        if i not in plan:
            return c
        conv, skip, inline = plan[i]
        env["C%d" % i] = conv
        env["S%d" % i] = skip
        if inline == "bool":
            return "(%s if %s is None else BOOL(%s))" % (c, c, c)
        if inline == "iso" and optimistic:
            return "(%s if type(%s) is DT or %s is None else (FI(%s) if type(%s) is str and %s else C%d(%s)))" % (
                c, c, c, c, c, c, i, c)
        if skip is not None:
            return "(%s if type(%s) is S%d or %s is None else C%d(%s))" % (c, c, i, c, i, c)
        return "(%s if %s is None else C%d(%s))" % (c, c, i, c)

    def body(optimistic: bool, indent: str) -> list:
        if shape == "tuple":
            row = "(%s%s)" % (", ".join(expr(i, optimistic) for i in range(count)),
                              "," if count == 1 else "")
            return [indent + "return [%s for %s in rows]" % (row, target)]
        if shape == "dict":
            row = "{%s}" % ", ".join("%r: %s" % (names[i], expr(i, optimistic)) for i in order)
            return [indent + "return [%s for %s in rows]" % (row, target)]
        data = "{%s}" % ", ".join("%r: %s" % (names[i], expr(i, optimistic)) for i in range(count))
        return [
            indent + "out = []",
            indent + "append = out.append",
            indent + "for %s in rows:" % target,
            indent + "    o = new(K)",
            indent + "    o.__data__ = %s" % data,
            indent + "    append(o)",
            indent + "return out",
        ]

    env["K"] = cls
    lines = ["def build(rows):"]
    optimistic = any(inline == "iso" for _, _, inline in plan.values()) and all(
        skip is not None or inline is not None for _, skip, inline in plan.values()
    )
    if optimistic:
        lines.append("    try:")
        lines.extend(body(True, "        "))
        lines.append("    except ValueError:")
        lines.append("        pass")
    lines.extend(body(False, "    "))
    exec("\n".join(lines), env)  # noqa: S102 - code built from the plan above, no user input
    return env["build"]


def _plan_key(nodes: Any) -> Any:
    """The cache key of a select list whose row builder may be kept, or None."""
    if nodes and all(_field_like(n) for n in nodes):
        return tuple(nodes)
    return None


def _chunk_builder(model: Any, shape: str, nodes: Any, description: Any, make: Any) -> Any:
    """The generated builder for this select list, from the model's cache when possible.
    Only select lists made of fields are compiled (an ad-hoc expression would make every
    query pay for code generation); None means 'use the per-row builder'."""
    key = _plan_key(nodes)
    count = len(description)
    if key is None or count != len(key) or model is None or not hasattr(model, "_meta"):
        return None
    cache_key = (shape, key)
    builder = _cached_plan(model, cache_key)
    if builder is None:
        builder = make()
        _store_plan(model, cache_key, builder)
    return builder


def _cached_chunk(model: Any, shape: str, nodes: Any, description: Any) -> Any:
    """The builder kept for this select list, if any (the column plan need not be worked out
    again: it depends on the select list alone)."""
    key = _plan_key(nodes)
    if key is None or len(description) != len(key) or not hasattr(model, "_meta"):
        return None
    return _cached_plan(model, (shape, key))


class _ChunkedWrapper(CursorWrapper):
    """Processes rows a chunk at a time while iterating (fewer calls per row), keeping the cache,
    ``count`` and the lazy semantics of ``CursorWrapper``."""

    def __iter__(self) -> Any:
        if self.populated:
            return iter(self.row_cache)
        if not hasattr(self, "_buffer"):  # a CursorWrapper without the buffered fetch
            return super().__iter__()
        return self._iterate_chunks()

    def _iterate_chunks(self) -> Any:
        cache = self.row_cache
        i = 0
        while True:
            if self.populated:
                # The cache is complete: hand over the rest without a step per row here.
                yield from (cache[i:] if i else cache)
                return
            n = len(cache)
            while i < n:
                yield cache[i]
                i += 1
            self._fill_chunk()

    _chunk: Any = None

    def _next_chunk(self) -> Any:
        """Build the next batch of rows (None at the end); counts them but does not cache."""
        buf = self._buffer
        pos = self._buffer_pos
        last = False
        if pos < len(buf):
            rows = buf[pos:]
            self._buffer = []
            self._buffer_pos = 0
        else:
            try:
                rows = self.cursor.fetchmany(_CHUNK)
            except Exception as exc:  # reading rows can fail too: report it as peewee does
                raise translate_data_error(exc) from exc
            # DB-API: fewer rows than asked for means the result is exhausted.
            last = len(rows) < _CHUNK
        if not rows:
            self._finish()
            return None
        if not self.initialized:
            self.initialize()
            self.initialized = True
        chunk = self._chunk
        out = chunk(rows) if chunk is not None else list(map(self.process_row, rows))
        self.count += len(out)
        if last:
            self._finish()
        return out

    def _fill_chunk(self) -> None:
        out = self._next_chunk()
        if out is not None:
            self.row_cache.extend(out)

    def iterator(self) -> Any:
        if not hasattr(self, "_buffer"):
            yield from super().iterator()
            return
        if self.row_cache:
            # Rows already read (and cached) come first; the rest is streamed.
            yield from list(self.row_cache)
        while not self.populated:
            out = self._next_chunk()
            if out is None:
                return
            # Hand the objects over one by one, keeping no reference to those already given.
            out.reverse()
            pop = out.pop
            while out:
                yield pop()

    def fill_cache(self, n: int = 0) -> None:
        if n or not hasattr(self, "_buffer"):
            return super().fill_cache(n)
        while not self.populated:
            self._fill_chunk()


class _PlanWrapper(_ChunkedWrapper):
    def __init__(self, cursor: Any, model: Any, select: Any, *args: Any) -> None:
        super().__init__(cursor)
        self.model = model
        self.select = list(select) if select else None

    def _set_chunk_builder(self, chunk: Any) -> None:
        """Build rows with ``chunk`` (a batch at a time); single rows go through it too."""
        self._chunk = chunk
        self.process_row = lambda row: chunk((row,))[0]  # type: ignore[method-assign]


class ModelTupleCursorWrapper(_PlanWrapper):
    """Rows as tuples, values converted by the selected fields."""

    def initialize(self) -> None:
        description = self.cursor.description
        if type(self) is ModelTupleCursorWrapper:
            chunk = _cached_chunk(self.model, "tuple", self.select, description)
            if chunk is not None:
                self._set_chunk_builder(chunk)
                return
        self.columns = _resolve_columns(self.select, description, self.model)
        self.converters = _converters(self.select, len(description), self.model, description)
        if type(self) is ModelTupleCursorWrapper:
            nodes, count = self.select, len(description)
            chunk = _chunk_builder(
                self.model, "tuple", nodes, description,
                lambda: _compile_chunk_builder("tuple", count, _column_plan(nodes, count)),
            )
            if chunk is not None:
                self._set_chunk_builder(chunk)
        _with_forced(self, [(i, c) for i, (_, c, f) in enumerate(self.columns) if f])

    def process_row(self, row: Any) -> Any:
        convs = self.converters
        if not convs:
            return tuple(row)
        row = list(row)
        for idx, conv, skip in convs:
            value = row[idx]
            if value is not None and type(value) is not skip:
                row[idx] = conv(value)
        return tuple(row)


class ModelDictCursorWrapper(_PlanWrapper):
    """Rows as dicts keyed by field name (or alias); repeated names get ``_2``, ``_3`` suffixes."""

    def initialize(self) -> None:
        description = self.cursor.description
        if type(self) is ModelDictCursorWrapper:
            chunk = _cached_chunk(self.model, "dict", self.select, description)
            if chunk is not None:
                self._set_chunk_builder(chunk)
                return
        columns = _resolve_columns(self.select, description, self.model)
        names = dedupe_columns([name for name, _, _ in columns], False)
        self.names = names
        self.converters = [
            (idx, names[idx], conv, skip)
            for idx, conv, skip in _converters(self.select, len(description), self.model,
                                               description)
        ]
        forced = [(i, c) for i, (_, c, f) in enumerate(columns) if f]
        # Keys of columns that need no conversion come first, then the converted ones (the
        # order peewee gives); both groups keep the column order.
        converted = {idx for idx, _, _, _ in self.converters} | {idx for idx, _ in forced}
        order = [i for i in range(len(names)) if i not in converted] + sorted(converted)
        if order != list(range(len(names))) and len(order) > 1:
            getter = operator.itemgetter(*order)
            ordered = [names[i] for i in order]
            self._keys = lambda row: zip(ordered, getter(row))
        else:
            self._keys = lambda row: zip(names, row)
        if type(self) is ModelDictCursorWrapper:
            nodes, count = self.select, len(description)
            chunk = _chunk_builder(
                self.model, "dict", nodes, description,
                lambda: _compile_chunk_builder(
                    "dict", count, _column_plan(nodes, count), names=names, order=order),
            )
            if chunk is not None:
                self._set_chunk_builder(chunk)
        _with_forced(self, forced)

    def process_row(self, row: Any) -> Any:
        data = dict(self._keys(row))
        for idx, name, conv, skip in self.converters:
            value = row[idx]
            if value is not None and type(value) is not skip:
                data[name] = conv(value)
        return data


class ModelNamedTupleCursorWrapper(ModelTupleCursorWrapper):
    """Rows as namedtuples whose attributes are the dict keys."""

    def initialize(self) -> None:
        super().initialize()
        names = dedupe_columns([name for name, _, _ in self.columns], True)
        self.tuple_class = collections.namedtuple("Row", names, rename=True)  # type: ignore[misc]

    def process_row(self, row: Any) -> Any:
        return self.tuple_class(*ModelTupleCursorWrapper.process_row(self, row))


_MODEL_INIT: list = []


def _default_init(cls: Any) -> bool:
    if not _MODEL_INIT:
        from .model import Model

        _MODEL_INIT.append(Model.__init__)
    return cls.__init__ is _MODEL_INIT[0]


def _cached_plan(model: Any, key: Any) -> Any:
    plans = model._meta.__dict__.get("_row_plans")
    if plans is not None and plans[0] is model._meta.table:
        return plans[1].get(key)
    return None


def _store_plan(model: Any, key: Any, plan: Any) -> None:
    meta = model._meta
    plans = meta.__dict__.get("_row_plans")
    if plans is None or plans[0] is not meta.table or len(plans[1]) > 64:
        plans = meta.__dict__["_row_plans"] = (meta.table, {})
    plans[1][key] = plan


class ModelObjectCursorWrapper(_PlanWrapper):
    """``objects()``: one object per row with every column as a flat attribute."""

    def __init__(self, cursor: Any, model: Any, select: Any, constructor: Any) -> None:
        super().__init__(cursor, model, select)
        self.constructor = constructor

    def initialize(self) -> None:
        description = self.cursor.description
        columns = _resolve_columns(self.select, description, self.model)
        self.names = dedupe_columns([name for name, _, _ in columns], True)
        self.converters = [
            (idx, self.names[idx], conv, skip)
            for idx, conv, skip in _converters(self.select, len(description), self.model,
                                               description)
        ]
        self.is_model = hasattr(self.constructor, "_meta")
        if self.is_model and _default_init(self.constructor):
            fields = self.constructor._meta.fields
            self.field_names = {n for n in self.names if n in fields}
            self.process_row = self._process_fast  # type: ignore[method-assign]
        _with_forced(self, [(i, c) for i, (_, c, f) in enumerate(columns) if f])

    def _process_fast(self, row: Any) -> Any:
        data = dict(zip(self.names, row))
        for idx, name, conv, skip in self.converters:
            value = row[idx]
            if value is not None and type(value) is not skip:
                data[name] = conv(value)
        cls = self.constructor
        inst = object.__new__(cls)
        field_names = self.field_names
        if len(field_names) == len(data):
            inst.__data__ = data
        else:
            inst.__data__ = {k: v for k, v in data.items() if k in field_names}
            attrs = inst.__dict__
            for k, v in data.items():
                if k not in field_names:
                    attrs[k] = v
        return inst

    def process_row(self, row: Any) -> Any:
        data = dict(zip(self.names, row))
        for idx, name, conv, skip in self.converters:
            value = row[idx]
            if value is not None and type(value) is not skip:
                data[name] = conv(value)
        if self.is_model:
            inst = self.constructor(__no_default=1, **data)
            dirty = inst.__dict__.get("_dirty")
            if dirty:
                dirty.clear()
            return inst
        return self.constructor(**data)


class ModelInstanceCursorWrapper(_PlanWrapper):
    """Rows of a single-model select: fills each instance's ``__data__`` without ``__init__``
    (unless the model defines its own ``__init__``, which then runs as in peewee)."""

    dedupe = True

    def initialize(self) -> None:
        model = self.model
        nodes = self.select
        if nodes:
            # Only select lists made of fields are ever stored, so a hit needs no check.
            try:
                builder = _cached_plan(model, ("model", tuple(nodes)))
            except TypeError:  # an unhashable node
                builder = None
            if builder is not None and len(self.cursor.description) == len(nodes):
                self.extras = ()
                self._set_chunk_builder(builder)
                return
        key = tuple(nodes) if nodes and all(_field_like(n) for n in nodes) else None
        description = self.cursor.description
        fields = model._meta.fields
        columns = _resolve_columns(nodes, description, model)
        names = [name for name, _, _ in columns]
        # Repeated names are told apart (``id``, ``id_2``) only in a query without joins; with
        # joins, as in the joined-row builder, a later column of the same name wins.
        names = dedupe_columns(names, True) if self.dedupe else [make_identifier(n) for n in names]
        extras = [(idx, name) for idx, name in enumerate(names) if name not in fields]
        convs = []
        forced = []
        for idx, (_, conv, is_forced) in enumerate(columns):
            if conv is None:
                continue
            if is_forced:
                forced.append((idx, conv))
            else:
                node = nodes[idx] if nodes is not None and idx < len(nodes) else None
                convs.append((idx, names[idx], conv,
                              _skip_for(node) if node is not None else None))
        self.names = names
        self.extras = extras
        self.converters = convs
        if not extras and _default_init(model):
            if key is not None and len(key) == len(names) and len(set(names)) == len(names):
                count = len(names)
                builder = _compile_chunk_builder(
                    "model", count, _column_plan(nodes, count), names=names, cls=model)
                _store_plan(model, ("model", key), builder)
                self._set_chunk_builder(builder)
            else:
                self.process_row = self._make_fast_builder(  # type: ignore[method-assign]
                    model, names, convs)
        elif extras:
            # Non-field columns become plain attributes; keep them out of __data__.
            self.field_idx = [i for i, n in enumerate(names) if n in fields]
            self.field_names = [names[i] for i in self.field_idx]
        _with_forced(self, forced)

    @staticmethod
    def _make_fast_builder(cls: Any, names: list, convs: list) -> Any:
        new = object.__new__
        if not convs:

            def build(row: Any) -> Any:
                inst = new(cls)
                inst.__data__ = dict(zip(names, row))
                return inst

            return build

        def build_converted(row: Any) -> Any:
            data = dict(zip(names, row))
            for idx, name, conv, skip in convs:
                value = row[idx]
                if value is not None and type(value) is not skip:
                    data[name] = conv(value)
            inst = new(cls)
            inst.__data__ = data
            return inst

        return build_converted

    def process_row(self, row: Any) -> Any:
        cls = self.model
        if self.converters:
            row = list(row)
            for idx, _, conv, skip in self.converters:
                value = row[idx]
                if value is not None and type(value) is not skip:
                    row[idx] = conv(value)
        if self.extras:
            data = {name: row[i] for i, name in zip(self.field_idx, self.field_names)}
        else:
            data = dict(zip(self.names, row))
        if _default_init(cls):
            inst = cls.__new__(cls)
            inst.__data__ = data
        else:
            inst = cls(__no_default=1)
            inst.__data__.update(data)
            dirty = inst.__dict__.get("_dirty")
            if dirty:
                dirty.clear()
        if self.extras:
            attrs = inst.__dict__
            for idx, name in self.extras:
                attrs[name] = row[idx]
        return inst


class ModelGraphCursorWrapper(_PlanWrapper):
    """Rows of a select over joined models: one instance per model, linked as the joins say
    (``tweet.user`` for a foreign key, ``user.tweet`` for a back-reference)."""

    def __init__(self, cursor: Any, model: Any, select: Any, joins: dict, root: Any = None) -> None:
        super().__init__(cursor, model, select)
        self.joins = joins
        self.root = model if root is None else root

    def initialize(self) -> None:
        description = self.cursor.description
        nodes = self.select
        root = self.root
        columns: dict = {}
        order = [root]
        subqueries = _joined_subqueries(self.joins)
        for idx, item in enumerate(description):
            node = nodes[idx] if nodes is not None and idx < len(nodes) else None
            source, name = _describe(node, item[0])
            if source is None:
                source = _subquery_source(node, subqueries)
                if source is None:
                    source = root
            conv = _converter(node) if node is not None else None
            if source not in columns:
                columns[source] = []
                if source is not root:
                    order.append(source)
            columns[source].append((idx, name, conv))
        columns.setdefault(root, [])

        # Walk the join tree from the root; keep edges that lead to selected sources.
        edges = []
        reached = {root}
        pending = [root]
        while pending:
            src = pending.pop(0)
            for dest, attr, constructor, join_type in self.joins.get(src, ()):
                if dest in reached:
                    continue
                reached.add(dest)
                pending.append(dest)
                outer = isinstance(join_type, str) and ("LEFT" in join_type or "FULL" in join_type)
                edges.append((src, dest, attr, constructor, outer))
        needed = set(columns)
        changed = True
        while changed:
            changed = False
            for src, dest, _, _, _ in edges:
                if dest in needed and src not in needed:
                    needed.add(src)
                    changed = True
        edges = [e for e in edges if e[1] in needed]
        sources = [root] + [e[1] for e in edges]
        # Columns of sources the join tree does not reach are set on the root object.
        for source in list(columns):
            if source not in needed or (source is not root and not any(source is s for s in sources)):
                columns[root].extend(columns.pop(source))

        plan = []
        for source in sources:
            model = getattr(source, "model", source) if not hasattr(source, "_meta") else source
            constructor = model
            for _src, dest, _, ctor, _ in edges:
                if dest is source:
                    constructor = ctor
            fields = getattr(constructor, "_meta", None)
            field_names = fields.fields if fields is not None else {}
            cols = columns.get(source, [])
            field_cols = [(i, n, c) for i, n, c in cols if n in field_names]
            extra_cols = [(i, n, c) for i, n, c in cols if n not in field_names]
            idxs = [i for i, _, _ in field_cols]
            getter = operator.itemgetter(*idxs) if len(idxs) > 1 else None
            convs = [
                (i, n, c, _skip_for(nodes[i]) if nodes is not None and i < len(nodes) else None)
                for i, n, c in field_cols
                if c is not None
            ]
            plan.append((
                source,
                constructor,
                fields is not None and _default_init(constructor),
                [n for _, n, _ in field_cols],
                idxs,
                getter,
                convs,
                extra_cols,
                fields is not None,
            ))
        links = []
        below: dict = {}
        for src, dest, _, _, _ in reversed(edges):
            # The sources joined (directly or further on) beyond ``dest``.
            below[dest] = below.get(dest, ()) + ()
            below[src] = below.get(src, ()) + (dest,) + below[dest]
        for src, dest, attr, _, outer in edges:
            src_model = src if hasattr(src, "_meta") else getattr(src, "model", None)
            fk = src_model._meta.fields.get(attr) if src_model is not None else None
            is_fk = fk is not None and hasattr(fk, "rel_model")
            links.append((src, dest, attr, is_fk, fk.rel_field.name if is_fk else None,
                          outer, below.get(dest, ())))
        self.plan = plan
        self.links = list(reversed(links))
        builder = _compile_graph_builder(
            plan, self.links, self.root, nodes, ModelGraphCursorWrapper.process_row.__get__(self))
        if builder is not None:
            self.process_row = builder  # type: ignore[method-assign]
        _with_forced(self, _forced(nodes, len(description)))

    def process_row(self, row: Any) -> Any:
        objects: dict = {}
        empty: set = set()
        new = object.__new__
        for source, constructor, fast, names, idxs, getter, convs, extra_cols, is_model in self.plan:
            if getter is not None:
                values = getter(row)
            elif idxs:
                values = (row[idxs[0]],)
            else:
                values = ()
            data = dict(zip(names, values))
            all_none = values.count(None) == len(values)
            for idx, name, conv, skip in convs:
                value = row[idx]
                if value is not None and type(value) is not skip:
                    data[name] = conv(value)
            if is_model:
                if fast:
                    inst = new(constructor)
                    inst.__data__ = data
                else:
                    inst = constructor(__no_default=1)
                    inst.__data__.update(data)
                    dirty = inst.__dict__.get("_dirty")
                    if dirty:
                        dirty.clear()
                attrs = inst.__dict__
            else:
                inst = attrs = data
            for idx, name, conv in extra_cols:
                value = row[idx]
                if value is not None:
                    all_none = False
                    if conv is not None:
                        value = conv(value)
                attrs[name] = value
            if all_none:
                empty.add(source)
            objects[source] = inst
        for src, dest, attr, is_fk, rel_name, outer, below in self.links:
            parent = objects[src]
            if dest in empty and all(s in empty for s in below):
                # Nothing of ``dest`` (or beyond it) came back: an outer join that matched
                # nothing links None (a foreign key keeps its value), an inner join nothing.
                if not outer or src in empty:
                    continue
                child = None
            else:
                if outer and src in empty and dest in empty:
                    continue
                child = objects[dest]
            if is_fk:
                if child is None:
                    parent.__rel__[attr] = None
                else:
                    parent.__rel__[attr] = child
                    if parent.__data__.get(attr) is None:
                        parent.__data__[attr] = child.__data__.get(rel_name)
            elif isinstance(parent, dict):
                parent[attr] = child
            else:
                parent.__dict__[attr] = child
        return objects[self.root]


def _joined_subqueries(joins: dict) -> dict:
    """``{id(dest): dest}`` for the joined destinations that are not models or model aliases."""
    found = {}
    for targets in joins.values():
        for dest, _, _, _ in targets:
            if not hasattr(dest, "_meta") and type(dest).__name__ != "ModelAlias":
                found[id(dest)] = dest
    return found


def _subquery_source(node: Any, subqueries: dict) -> Any:
    """The joined subquery a selected column (``sub.c.name``, maybe aliased) comes from, if any."""
    if not subqueries:
        return None
    if isinstance(node, Alias):
        node = node.node
    source = getattr(node, "source", None)
    if source is not None and id(source) in subqueries and subqueries[id(source)] is source:
        return source
    return None


def _compile_graph_builder(plan: list, links: list, root: Any, nodes: Any = None,
                           slow: Any = None) -> Any:
    """Specialise the joined-row builder into straight-line code for this plan (the same steps
    as ``ModelGraphCursorWrapper.process_row``); None when a source is not a plain model.

    ``BooleanField`` conversions are inlined as ``bool(v)``.  When every converter is a built-in
    one, default-format ``DateTimeField`` text is parsed with ``fromisoformat`` directly, and a
    ``ValueError`` hands the row to ``slow`` (the generic builder, the reference)."""
    env: dict = {"new": object.__new__, "BOOL": bool, "FI": _datetime.datetime.fromisoformat,
                 "SLOW": slow}
    kinds = {}
    for entry in plan:
        for i, _name, conv, _skip in entry[6]:
            node = nodes[i] if nodes is not None and i < len(nodes) else None
            kinds[i] = _inline_kind(node, conv) if node is not None else None
    optimistic = slow is not None and "iso" in kinds.values() and all(
        skip is not None for entry in plan for _, _, _, skip in entry[6]
    ) and all(conv is None for entry in plan for _, _, conv in entry[7])
    lines = ["def build(row):"]
    index = {}
    for n, (source, constructor, fast, names, idxs, _getter, convs, extra_cols, is_model) in enumerate(plan):
        if not (is_model and fast):
            return None
        index[source] = n
        env["K%d" % n] = constructor
        pairs = ", ".join("%r: row[%d]" % (name, i) for name, i in zip(names, idxs))
        lines.append("    d%d = {%s}" % (n, pairs))
        for k, (i, name, conv, skip) in enumerate(convs):
            env["C%d_%d" % (n, k)] = conv
            env["S%d_%d" % (n, k)] = skip
            lines.append("    v = row[%d]" % i)
            kind = kinds.get(i)
            if kind == "bool":
                value = "BOOL(v)"
            elif kind == "iso" and optimistic:
                value = "FI(v) if type(v) is str and v else C%d_%d(v)" % (n, k)
            else:
                value = "C%d_%d(v)" % (n, k)
            lines.append(
                "    if v is not None and type(v) is not S%d_%d: d%d[%r] = %s"
                % (n, k, n, name, value)
            )
        lines.append("    o%d = new(K%d)" % (n, n))
        lines.append("    o%d.__data__ = d%d" % (n, n))
        all_idx = list(idxs) + [i for i, _, _ in extra_cols]
        if extra_cols:
            lines.append("    a%d = o%d.__dict__" % (n, n))
            for k, (i, name, conv) in enumerate(extra_cols):
                if conv is not None:
                    env["X%d_%d" % (n, k)] = conv
                    lines.append("    v = row[%d]" % i)
                    lines.append("    a%d[%r] = X%d_%d(v) if v is not None else v" % (n, name, n, k))
                else:
                    lines.append("    a%d[%r] = row[%d]" % (n, name, i))
        if all_idx:
            cond = " and ".join("row[%d] is None" % i for i in all_idx)
        else:
            cond = "True"
        if n or any(link[5] and link[0] is source for link in links):
            lines.append("    e%d = %s" % (n, cond))
    rel_vars: set = set()

    def attach(p: int, c: Any, attr: str, is_fk: bool, rel_name: Any, indent: str) -> list:
        """Lines linking ``o<c>`` (or None when ``c`` is None) to ``o<p>`` as ``attr``."""
        value = "None" if c is None else "o%d" % c
        out = []
        if is_fk and plan[p][1].__setattr__ is object.__setattr__:
            # Every object here is new, so ``__rel__`` exists only if an earlier link of this
            # row set it (tracked in ``r<p>``).  A plain attribute store keeps the instance's
            # compact attribute storage (reading ``__dict__`` would make a dict per object).
            if p not in rel_vars:
                rel_vars.add(p)
                lines.insert(1, "    r%d = None" % p)
            out.append("if r%d is None:" % p)
            out.append("    r%d = o%d.__rel__ = {%r: %s}" % (p, p, attr, value))
            out.append("else:")
            out.append("    r%d[%r] = %s" % (p, attr, value))
        elif is_fk:
            out.append("r = o%d.__dict__.get('__rel__')" % p)
            out.append("if r is None:")
            out.append("    o%d.__dict__['__rel__'] = {%r: %s}" % (p, attr, value))
            out.append("else:")
            out.append("    r[%r] = %s" % (attr, value))
        else:
            out.append("o%d.__dict__[%r] = %s" % (p, attr, value))
        if is_fk and c is not None:
            out.append("if d%d.get(%r) is None:" % (p, attr))
            out.append("    d%d[%r] = d%d.get(%r)" % (p, attr, c, rel_name))
        return [indent + line for line in out]

    for src, dest, attr, is_fk, rel_name, outer, below in links:
        if src not in index or dest not in index or any(b not in index for b in below):
            return None
        p, c = index[src], index[dest]
        empty = " and ".join("e%d" % index[x] for x in (dest,) + tuple(below))
        lines.append("    if %s:" % empty)
        if outer:
            # An outer join that matched nothing: None (the foreign key keeps its value).
            lines.append("        if not e%d:" % p)
            lines.extend(attach(p, None, attr, is_fk, rel_name, "            "))
        else:
            lines.append("        pass")
        if outer:
            lines.append("    elif not (e%d and e%d):" % (p, c))
        else:
            lines.append("    else:")
        lines.extend(attach(p, c, attr, is_fk, rel_name, "        "))
    lines.append("    return o%d" % index[root])
    if optimistic:
        lines = (["def build(row):", "    try:", "        return fast(row)",
                  "    except ValueError:", "        return SLOW(row)",
                  "def fast(row):"] + lines[1:])
    exec("\n".join(lines), env)  # noqa: S102 - code built from the plan above, no user input
    return env["build"]


def model_cursor_wrapper(query: Any, cursor: Any) -> Any:
    """Pick the row builder for a model query: flat single-model rows or a joined graph."""
    joins = getattr(query, "_joins", None)
    select = query._returning
    if joins:
        subqueries = _joined_subqueries(joins)
        for node in select or ():
            if _subquery_source(node, subqueries) is not None:
                return ModelGraphCursorWrapper(cursor, query.model, select, joins)
            if isinstance(node, BindTo) and node.dest is not query.model:
                return ModelGraphCursorWrapper(cursor, query.model, select, joins)
            # (``is None`` tests: a source may be a subquery, whose truth value would run it.)
            source = getattr(node, "source", None)
            if source is None:
                source = getattr(node, "model", None)
            if isinstance(node, Alias) and _field_like(node.node):
                source = getattr(node.node, "source", None)
                if source is None:
                    source = node.node.model
            elif (isinstance(node, Alias) and isinstance(node.node, BindTo)
                    and _field_like(node.node.node)):
                source = node.node.dest
            if source is not None and source is not query.model and (
                hasattr(source, "_meta") or hasattr(source, "model")
            ):
                return ModelGraphCursorWrapper(cursor, query.model, select, joins)
    wrapper = ModelInstanceCursorWrapper(cursor, query.model, select)
    if joins:
        wrapper.dedupe = False
    return wrapper

