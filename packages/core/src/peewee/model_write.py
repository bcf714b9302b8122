"""Model-level writes: ``ModelInsert``, ``ModelUpdate``, ``ModelDelete``, ``bulk_create`` / ``bulk_update``.

Also the row-type plumbing shared by every model query (``_ModelQueryHelper``).  Models are known by
duck typing (``_meta``); SQL text is produced by ``peewee.sql`` and executed by the database.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from .errors import InterfaceError
from .sql import SQL, Case, Delete, Insert, Node, Update
from . import results
from .sql.cursor import ROW

__all__ = ["ModelInsert", "ModelUpdate", "ModelDelete"]


def is_model(obj: Any) -> bool:
    return isinstance(obj, type) and hasattr(obj, "_meta") and hasattr(obj, "__data__")


def normalize_write_data(model: Any, data: Any, kwargs: dict) -> dict:
    """Turn ``{name_or_field: value}`` plus keyword arguments into ``{Field: value}``.

    Unknown names raise ``AttributeError`` naming the model and the known fields.
    """
    combined = model._meta.combined
    normalized: dict = {}
    for source in (data, kwargs):
        if not source:
            continue
        for key, value in source.items():
            if isinstance(key, str):
                field = combined.get(key)
                if field is None and source is data:
                    raise ValueError('Unrecognized field name: "%s" in %s.' % (key, data))
                if field is None:
                    raise AttributeError(
                        '%s has no field named "%s"; known fields: %s.'
                        % (model.__name__, key, ", ".join(model._meta.sorted_field_names))
                    )
                key = field
            normalized[key] = value
    return normalized


class _ModelQueryHelper:
    """Row-type handling shared by model selects, compound selects and raw queries."""

    default_row_type = ROW.MODEL

    def models(self) -> Any:
        """Rows as model instances with their joined objects: the default row type."""
        clone = self.clone()
        clone._row_type = ROW.MODEL
        return clone

    def objects(self, constructor: Any = None) -> Any:
        clone = self.clone()
        clone._row_type = ROW.CONSTRUCTOR
        clone._constructor = self.model if constructor is None else constructor
        return clone

    def _get_cursor_wrapper(self, cursor: Any) -> Any:
        row_type = getattr(self, "_row_type", None) or self.default_row_type
        if row_type == ROW.MODEL:
            return results.model_cursor_wrapper(self, cursor)
        if row_type == ROW.DICT:
            return results.ModelDictCursorWrapper(cursor, self.model, self._returning)
        if row_type == ROW.TUPLE:
            return results.ModelTupleCursorWrapper(cursor, self.model, self._returning)
        if row_type == ROW.NAMED_TUPLE:
            return results.ModelNamedTupleCursorWrapper(cursor, self.model, self._returning)
        if row_type == ROW.CONSTRUCTOR:
            return results.ModelObjectCursorWrapper(cursor, self.model, self._returning, self._constructor)
        raise ValueError("Unrecognized row type: %r." % (row_type,))


def _expand_returning(returning: Iterable) -> list:
    out = []
    for item in returning:
        if is_model(item):
            out.extend(item._meta.sorted_fields)
        else:
            out.append(item)
    return out


class _ModelWriteQueryHelper(_ModelQueryHelper):
    def __init__(self, model: Any, *args: Any, **kwargs: Any) -> None:
        self.model = model
        kwargs.setdefault("_database", model._meta.database)
        super().__init__(model._meta.table, *args, **kwargs)

    def returning(self, *returning: Any) -> Any:
        return super().returning(*_expand_returning(returning))


def _field_for(model: Any, key: Any) -> Any:
    if isinstance(key, str):
        field = model._meta.combined.get(key)
        if field is None:
            raise AttributeError(
                '%s has no field named "%s"; known fields: %s.'
                % (model.__name__, key, ", ".join(model._meta.sorted_field_names))
            )
        return field
    return key


def _set_pk_returning(query: Any, on: bool) -> None:
    """Ask (or not) for the new primary keys through RETURNING, rows coming back as tuples."""
    if on:
        query._returning = query.model._meta.get_primary_keys()
        query._return_cursor = False
        query._pk_returning = True
    else:
        query._returning = None
        query._pk_returning = False


def _multi_row_shape(model: Any, database: Any, columns: tuple, pk_returning: bool) -> Any:
    """``(head, repeated row group, tail, usable)`` of ``INSERT ... VALUES (row), (row)...``,
    found by rendering the statement for one and for two rows of markers."""
    from .model_cache import get_template, marker_values

    width = len(columns)
    rendered = []
    for count in (1, 2):
        def build(count: int = count) -> Any:
            markers = marker_values(width * count)
            rows = [tuple(markers[r * width:(r + 1) * width]) for r in range(count)]
            query = ModelInsert(model, insert=rows, columns=list(columns))
            _set_pk_returning(query, pk_returning)
            return query

        template = get_template(model, ("insert_many", columns, count, pk_returning), database, build)
        if template is None:
            return None
        rendered.append(template)
    one, two = rendered
    plan_ok = [i for i, _ in one.plan] == list(range(width)) and [i for i, _ in two.plan] == list(
        range(2 * width)
    )
    sql1, sql2 = one.sql, two.sql
    p = 0
    limit = min(len(sql1), len(sql2))
    while p < limit and sql1[p] == sql2[p]:
        p += 1
    q = 0
    while q < len(sql1) - p and sql1[-1 - q] == sql2[-1 - q]:
        q += 1
    group = sql2[p:len(sql2) - q]
    return sql1[:p], group, sql1[p:], plan_ok


def _returning_clause(database: Any) -> bool:
    """Whether the database reports new keys through RETURNING (PostgreSQL)."""
    flag = getattr(database, "returning_clause", None)
    if flag is None:
        flag = getattr(getattr(database, "dialect", None), "returning_clause", False)
    return bool(flag)


class ModelInsert(_ModelWriteQueryHelper, Insert):
    """``Model.insert()`` / ``insert_many()`` / ``insert_from()``; returns the new primary key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._resolve_columns()
        self._pk_returning = False
        database = self._database
        if database is not None and _returning_clause(database):
            self._add_pk_returning()

    def _resolve_columns(self) -> None:
        """Name the inserted columns by field, so values go through the fields' ``db_value``."""
        meta = self.model._meta
        combined = meta.combined
        insert = self._insert
        if self._columns:
            columns = [_field_for(self.model, c) for c in self._columns]
            if isinstance(insert, (list, tuple)):
                # Rows of values: fields left out of ``fields=`` that have a default get it,
                # as with dict rows.  (An INSERT ... SELECT keeps exactly the named columns.)
                for field in meta.defaults:
                    if not any(field is column for column in columns):
                        columns.append(field)
            self._columns = columns
            return
        if isinstance(insert, (list, tuple)) and insert and isinstance(insert[0], dict):
            columns = [_field_for(self.model, key) for key in insert[0]]
            for field in meta.defaults:
                if not any(field is column for column in columns):
                    columns.append(field)
            if all(getattr(c, "name", None) in combined for c in columns):
                columns.sort(key=lambda c: c._sort_key)
            self._columns = columns

    def returning(self, *returning: Any) -> Any:
        query = super().returning(*returning)
        query._pk_returning = False
        return query

    def _add_pk_returning(self) -> None:
        meta = self.model._meta
        # INSERT ... SELECT reports its new keys too (rows of one-element tuples).
        if self._returning is None and meta.primary_key is not False and not isinstance(
            self._insert, SQL
        ):
            self._returning = meta.get_primary_keys()
            self._return_cursor = False
            self._pk_returning = True

    def _execute(self, database: Any) -> Any:
        if isinstance(self._insert, (list, tuple)) and not self._insert:
            return None  # insert_many([]): nothing to insert, nothing is run
        if self._as_rowcount:
            # Counting rows: no implicit RETURNING of the new keys.
            if self._pk_returning:
                _set_pk_returning(self, False)
        elif not self._pk_returning and self._returning is None and _returning_clause(database):
            self._add_pk_returning()
        cursor = self._execute_many_rows(database)
        if cursor is None:
            if not self._pk_returning:
                return super()._execute(database)
            try:
                cursor = database.execute(self)
            except self.DefaultValuesException:
                return None
        elif not self._pk_returning:
            return self.handle_result(database, cursor)
        if self._as_rowcount:
            return database.rows_affected(cursor)
        if self._query_type == Insert.SIMPLE:
            row = cursor.fetchone()
            if row is None:  # ON CONFLICT DO NOTHING skipped the row
                return None
            return row if self.model._meta.composite_key else row[0]
        from .results import ModelTupleCursorWrapper

        return ModelTupleCursorWrapper(cursor, self.model, self._returning)

    def _execute_many_rows(self, database: Any) -> Any:
        """Run a plain multi-row INSERT from a cached statement shape; None when the general
        path must render it (upserts, expressions as values, explicit RETURNING...)."""
        rows = self._insert
        columns = self._columns
        if (
            not isinstance(rows, (list, tuple))
            or len(rows) < 2
            or not columns
            or self._on_conflict is not None
            or (self._returning and not self._pk_returning)
            or getattr(self, "_cte_list", None)
        ):
            return None
        fields = self.model._meta.fields
        if any(fields.get(getattr(c, "name", None)) is not c or c._db_value_nodes for c in columns):
            return None
        defaults = self.model._meta.defaults
        names = [c.name for c in columns]
        converters = [c.db_value for c in columns]
        width = len(columns)
        params: list = []
        append = params.append
        for row in rows:
            if isinstance(row, dict):
                for column, name, convert in zip(columns, names, converters):
                    if name in row:
                        value = row[name]
                    elif column in row:
                        value = row[column]
                    elif column in defaults:
                        value = defaults[column]
                        if callable(value):
                            value = value()
                    else:
                        return None
                    if isinstance(value, Node):
                        return None
                    append(convert(value))
            elif isinstance(row, (list, tuple)) and len(row) <= width:
                given = len(row)
                for i, (column, convert) in enumerate(zip(columns, converters)):
                    if i < given:
                        value = row[i]
                    elif column in defaults:
                        value = defaults[column]
                        if callable(value):
                            value = value()
                    else:
                        return None
                    if isinstance(value, Node):
                        return None
                    append(convert(value))
            else:
                return None
        shape = _multi_row_shape(self.model, database, tuple(columns), self._pk_returning)
        if shape is None:
            return None
        head, group, tail, plan_ok = shape
        if not plan_ok:
            return None
        sql = head + group * (len(rows) - 1) + tail
        self._query_type = Insert.MULTI
        return database.execute_sql(sql, params)

    def get_default_data(self) -> dict:
        return self.model._meta.defaults

    def get_default_columns(self) -> list:
        fields = self.model._meta.sorted_fields
        return fields[1:] if self.model._meta.auto_increment else fields


class ModelUpdate(_ModelWriteQueryHelper, Update):
    """``Model.update(...)``: returns the number of rows changed."""


class ModelDelete(_ModelWriteQueryHelper, Delete):
    """``Model.delete()``: returns the number of rows removed."""


# ---------------------------------------------------------------------------------------------
# bulk helpers


def _batches(items: list, size: Optional[int]) -> Iterable:
    if not size:
        yield items
        return
    for start in range(0, len(items), size):
        yield items[start:start + size]


def bulk_create(model: Any, model_list: Iterable, batch_size: Optional[int] = None) -> None:
    """Insert the instances' rows with multi-row INSERTs; set their primary keys when the backend
    returns them (RETURNING)."""
    instances = list(model_list)
    if not instances:
        return
    meta = model._meta
    pk = meta.primary_key
    if meta.auto_increment and all(inst._pk is None for inst in instances):
        fields = [f for f in meta.sorted_fields if f is not pk]
    else:
        fields = list(meta.sorted_fields)
    database = meta.database
    if database is None:
        raise InterfaceError('Query must be bound to a database in order to call "execute".')
    dialect = getattr(database, "dialect", None)
    use_returning = bool(
        meta.auto_increment and pk is not False and not meta.composite_key
        and _insert_returns_rows(dialect)
    )
    with database.atomic():
        _bulk_insert(model, instances, fields, batch_size, use_returning)


def _bulk_insert(model: Any, instances: list, fields: list, batch_size: Any, use_returning: bool) -> None:
    pk = model._meta.primary_key
    for batch in _batches(instances, batch_size):
        rows = []
        for inst in batch:
            inst._populate_unsaved_relations(inst.__data__)
            data = inst.__data__
            rows.append(tuple(data.get(f.name) for f in fields))
        query = model.insert_many(rows, fields=fields)
        if use_returning:
            _set_pk_returning(query, True)
            for inst, row in zip(batch, query.execute()):
                inst.__data__[pk.name] = row[0]
        else:
            _set_pk_returning(query, False)
            query.execute()
        for inst in batch:
            dirty = inst.__dict__.get("_dirty")
            if dirty:
                dirty.clear()


def _insert_returns_rows(dialect: Any) -> bool:
    """Whether a multi-row INSERT can return the new keys (RETURNING)."""
    if getattr(dialect, "supports_returning", False):
        return True
    if getattr(dialect, "name", None) == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version_info >= (3, 35, 0)
    return False


def bulk_update(model: Any, model_list: Iterable, fields: Iterable, batch_size: Optional[int] = None) -> int:
    """Update ``fields`` of every instance with one ``CASE pk WHEN ... THEN ...`` UPDATE per batch."""
    instances = list(model_list)
    if not instances:
        return 0
    meta = model._meta
    if meta.composite_key:
        raise ValueError("bulk_update() is not supported for models with a composite primary key.")
    resolved = [getattr(model, f) if isinstance(f, str) else f for f in fields]
    pk = meta.primary_key
    total = 0
    for batch in _batches(instances, batch_size):
        ids = [inst._pk for inst in batch]
        update = {}
        for field in resolved:
            whens = []
            for inst in batch:
                value = inst.__data__.get(field.name)
                if hasattr(value, "__sql__") or value is None:
                    whens.append((inst._pk, value))
                else:
                    whens.append((inst._pk, field.case_value(value)))
            if all(value is None for _, value in whens):
                # Every row gets NULL: a plain assignment (a CASE of NULLs only has no type on
                # PostgreSQL, which then refuses it for a non-text column).
                update[field] = None
            else:
                update[field] = Case(pk, whens)
        total += model.update(update).where(pk.in_(ids)).execute() or 0
        for inst in batch:
            dirty = inst.__dict__.get("_dirty")
            if dirty:
                dirty.difference_update(f.name for f in resolved)
    return total


def _Converted(value: Any) -> Any:
    from .sql import Value

    return Value(value, unpack=False) if _value_takes_unpack() else Value(value)


_VALUE_UNPACK: list = []


def _value_takes_unpack() -> bool:
    if not _VALUE_UNPACK:
        import inspect

        from .sql import Value

        try:
            _VALUE_UNPACK.append("unpack" in inspect.signature(Value).parameters)
        except (TypeError, ValueError):
            _VALUE_UNPACK.append(False)
    return _VALUE_UNPACK[0]
