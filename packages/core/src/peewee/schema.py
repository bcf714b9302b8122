"""Schema management: ``SchemaManager`` (CREATE/DROP/TRUNCATE TABLE, indexes, sequences, foreign
key constraints) behind ``Model.create_table()`` and friends, ``ModelIndex`` and ``sort_models``.

DDL is built as SQL nodes and rendered by the database's ``Context``; drivers are never touched.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable, List, Optional, Sequence

from .errors import ImproperlyConfigured
from .fields import Field
from .relations import ForeignKeyField
from .sql import (
    SCOPE_NORMAL,
    SCOPE_VALUES,
    SQL,
    EnclosedNodeList,
    Entity,
    Index,
    Node,
    NodeList,
    Table,
    ValueLiterals,
)

__all__ = ["ModelIndex", "SchemaManager", "sort_models"]


def _truncate_constraint_name(name: str, maxlen: int = 64) -> str:
    if len(name) > maxlen:
        digest = hashlib.md5(name.encode("utf-8")).hexdigest()
        name = "%s_%s" % (name[: maxlen - 8], digest[:7])
    return name


class ModelIndex(Index):
    """An index on a model's table; named ``<table>_<columns>`` unless ``name`` is given."""

    def __init__(
        self,
        model: type,
        fields: Sequence[Any],
        unique: bool = False,
        safe: bool = True,
        where: Any = None,
        using: Optional[str] = None,
        name: Optional[str] = None,
        nulls_distinct: Optional[bool] = None,
    ) -> None:
        self._model = model
        if name is None:
            name = self._generate_name_from_fields(model, fields)
        if using is None:
            for field in fields:
                using = getattr(field, "index_type", None) if isinstance(field, Field) else None
                if using:
                    break
        super().__init__(
            name=name,
            table=model._meta.table,
            expressions=fields,
            unique=unique,
            safe=safe,
            where=where,
            using=using,
            nulls_distinct=nulls_distinct,
        )

    @staticmethod
    def _generate_name_from_fields(model: type, fields: Iterable[Any]) -> str:
        parts: List[str] = []
        for field in fields:
            if isinstance(field, str):
                parts.append(field.split()[0])
                continue
            if isinstance(field, Node) and not isinstance(field, Field):
                field = field.unwrap()
            if isinstance(field, Field):
                parts.append(field.column_name)
        if not parts:
            raise ValueError("Cannot derive a name for this index: pass name=... explicitly.")
        columns = re.sub(r"[^\w]+", "", "_".join(parts))
        meta = model._meta
        prefix = meta.name if meta.legacy_table_names else meta.table_name
        return _truncate_constraint_name("_".join((prefix, columns)))


class SchemaManager:
    """Creates and drops a model's table, indexes, sequences and constraints."""

    def __init__(self, model: type, database: Any = None, **context_options: Any) -> None:
        self.model = model
        self._database = database
        context_options.setdefault("scope", SCOPE_VALUES)
        self.context_options = context_options

    @property
    def database(self) -> Any:
        database = self._database or self.model._meta.database
        if database is None:
            raise ImproperlyConfigured(
                "The model %s has no database: set Meta.database or bind it." % self.model.__name__
            )
        return database

    @database.setter
    def database(self, value: Any) -> None:
        self._database = value

    def _create_context(self) -> Any:
        return self.database.get_sql_context(**self.context_options)

    def _feature(self, name: str, default: Any = None) -> Any:
        database = self.database
        value = getattr(database, name, None)
        if value is None:
            value = getattr(getattr(database, "dialect", None), name, default)
        return value

    def _execute(self, ctx: Any) -> Any:
        sql, params = ctx.query()
        return self.database.execute_sql(sql, params)

    # -- tables ------------------------------------------------------------------------------

    def _create_table(self, safe: bool = True, **options: Any) -> Any:
        is_temp = options.pop("temporary", False)
        ctx = self._create_context()
        ctx.literal("CREATE TEMPORARY TABLE " if is_temp else "CREATE TABLE ")
        if safe:
            ctx.literal("IF NOT EXISTS ")
        ctx.sql(self.model).literal(" ")

        meta = self.model._meta
        columns: list = []
        constraints: list = []
        if meta.composite_key:
            pk_columns = [meta.fields[name].column for name in meta.primary_key.field_names]
            constraints.append(NodeList((SQL("PRIMARY KEY"), EnclosedNodeList(pk_columns))))
        for field in meta.sorted_fields:
            columns.append(field.ddl(ctx))
            if isinstance(field, ForeignKeyField) and not field.deferred:
                constraints.append(field.foreign_key_constraint())
        if meta.constraints:
            constraints.extend(meta.constraints)
        constraints.extend(self._create_table_option_sql(options))
        ctx.sql(EnclosedNodeList(columns + constraints))

        if meta.table_settings is not None:
            settings = meta.table_settings
            if isinstance(settings, str):
                settings = (settings,)
            for setting in settings:
                if not isinstance(setting, str):
                    raise ValueError("Meta.table_settings must be a string or strings.")
                ctx.literal(" ").literal(setting)

        extra = []
        if meta.strict_tables:
            extra.append("STRICT")
        if meta.without_rowid:
            extra.append("WITHOUT ROWID")
        if extra:
            ctx.literal(" %s" % ", ".join(extra))
        return ctx

    def _create_table_option_sql(self, options: dict) -> list:
        merged = dict(self.model._meta.options or {})
        merged.update(options)
        parts = []
        for key, value in sorted(merged.items()):
            if not isinstance(value, Node):
                if isinstance(value, type) and hasattr(value, "_meta"):
                    value = value._meta.table
                else:
                    value = SQL(str(value))
            parts.append(NodeList((SQL(key), value), glue="="))
        return parts

    def create_table(self, safe: bool = True, **options: Any) -> None:
        self._execute(self._create_table(safe=safe, **options))

    def _create_table_as(self, table_name: str, query: Any, safe: bool = True, **meta: Any) -> Any:
        ctx = self._create_context()
        ctx.literal("CREATE TEMPORARY TABLE " if meta.get("temporary") else "CREATE TABLE ")
        if safe:
            ctx.literal("IF NOT EXISTS ")
        # A name, or a (schema, name) tuple; the model's schema does not apply.
        ctx.sql(Entity(*table_name) if isinstance(table_name, tuple) else Entity(table_name))
        ctx.literal(" AS ")
        with ctx(scope=SCOPE_NORMAL):
            ctx.sql(query)
        return ctx

    def create_table_as(self, table_name: str, query: Any, safe: bool = True, **meta: Any) -> None:
        self._execute(self._create_table_as(table_name, query, safe=safe, **meta))

    def _drop_table(self, safe: bool = True, **options: Any) -> Any:
        ctx = self._create_context()
        ctx.literal("DROP TABLE IF EXISTS " if safe else "DROP TABLE ")
        ctx.sql(self.model)
        if options.get("cascade"):
            ctx.literal(" CASCADE")
        elif options.get("restrict"):
            ctx.literal(" RESTRICT")
        return ctx

    def drop_table(self, safe: bool = True, **options: Any) -> None:
        self._execute(self._drop_table(safe=safe, **options))

    def _truncate_table(self, restart_identity: bool = False, cascade: bool = False) -> Any:
        ctx = self._create_context()
        if not self._feature("truncate_table", True):
            return ctx.literal("DELETE FROM ").sql(self.model)
        ctx.literal("TRUNCATE TABLE ").sql(self.model)
        # Both options are PostgreSQL's; MySQL's TRUNCATE always resets AUTO_INCREMENT and has
        # no CASCADE, so a dialect without them leaves them out rather than fail.
        if self._feature("truncate_options", True):
            if restart_identity:
                ctx.literal(" RESTART IDENTITY")
            if cascade:
                ctx.literal(" CASCADE")
        return ctx

    def truncate_table(self, restart_identity: bool = False, cascade: bool = False) -> None:
        self._execute(self._truncate_table(restart_identity, cascade))

    # -- indexes -----------------------------------------------------------------------------

    def _create_indexes(self, safe: bool = True) -> list:
        return [self._create_index(index, safe) for index in self.model._meta.fields_to_index()]

    def _create_index(self, index: Any, safe: bool = True) -> Any:
        ctx = self._create_context()
        if isinstance(index, Index):
            if not self._feature("safe_create_index", True):
                index = index.safe(False)
            elif index._safe != safe:
                index = index.safe(safe)
            if ctx.dialect.index_value_literals:
                # The backend takes no parameters in DDL: values go into the text.
                index = ValueLiterals(index)
        return ctx.sql(index)

    def create_indexes(self, safe: bool = True) -> None:
        for ctx in self._create_indexes(safe=safe):
            self._execute(ctx)

    def _drop_index(self, index: Any, safe: bool = True) -> Any:
        ctx = self._create_context()
        ctx.literal("DROP INDEX ")
        if safe and self._feature("safe_drop_index", True):
            ctx.literal("IF EXISTS ")
        if isinstance(index, Index):
            table = index._table
            schema = table._schema if isinstance(table, Table) else None
            ctx.sql(Entity(schema, index._name) if schema else Entity(index._name))
        else:
            ctx.sql(index)
        return ctx

    def drop_index(self, field: Any = None, index: Any = None, safe: bool = True) -> Any:
        """Drop the index of one field (as ``index=True`` / ``unique=True`` created it) or the
        given ``ModelIndex``."""
        if field is None and index is None:
            raise ValueError("field or index must be specified.")
        if field is not None:
            index = ModelIndex(self.model, (field,), unique=field.unique, using=field.index_type)
        return self._execute(self._drop_index(index, safe=safe))

    def _drop_indexes(self, safe: bool = True) -> list:
        return [
            self._drop_index(index, safe)
            for index in self.model._meta.fields_to_index()
            if isinstance(index, Index)
        ]

    def drop_indexes(self, safe: bool = True) -> None:
        for ctx in self._drop_indexes(safe=safe):
            self._execute(ctx)

    # -- sequences ---------------------------------------------------------------------------

    def _check_sequences(self, field: Field) -> None:
        if not field.sequence or not self._feature("sequences", False):
            raise ValueError(
                'Sequences are either not supported, or are not defined for "%s".' % field.name
            )

    @staticmethod
    def _sequence_parts(field: Field) -> tuple:
        """(schema, name) of a field's sequence: a dotted ``sequence=`` names its schema, else
        the sequence lives in the model's schema."""
        if "." in field.sequence:
            schema, name = field.sequence.rsplit(".", 1)
            return schema, name
        model = getattr(field, "model", None)
        return (model._meta.schema if model is not None else None), field.sequence

    def _sequence_for_field(self, field: Field) -> Entity:
        return Entity(*self._sequence_parts(field))

    def _sequence_exists(self, field: Field) -> bool:
        schema, name = self._sequence_parts(field)
        if schema is None:
            return self.database.sequence_exists(name)
        return self.database.sequence_exists(name, schema)

    def _create_sequence(self, field: Field) -> Any:
        self._check_sequences(field)
        if not self._sequence_exists(field):
            return (
                self._create_context()
                .literal("CREATE SEQUENCE ")
                .sql(self._sequence_for_field(field))
            )
        return None

    def create_sequence(self, field: Field) -> None:
        ctx = self._create_sequence(field)
        if ctx is not None:
            self._execute(ctx)

    def _drop_sequence(self, field: Field) -> Any:
        self._check_sequences(field)
        if self._sequence_exists(field):
            return (
                self._create_context()
                .literal("DROP SEQUENCE ")
                .sql(self._sequence_for_field(field))
            )
        return None

    def drop_sequence(self, field: Field) -> None:
        ctx = self._drop_sequence(field)
        if ctx is not None:
            self._execute(ctx)

    def create_sequences(self) -> None:
        if self._feature("sequences", False):
            for field in self.model._meta.sorted_fields:
                if field.sequence:
                    self.create_sequence(field)

    def drop_sequences(self) -> None:
        if self._feature("sequences", False):
            for field in self.model._meta.sorted_fields:
                if field.sequence:
                    self.drop_sequence(field)

    # -- foreign keys ------------------------------------------------------------------------

    def _create_foreign_key(self, field: ForeignKeyField) -> Any:
        constraint = field.foreign_key_constraint()
        if not field.constraint_name:
            name = "fk_%s_%s_refs_%s" % (
                field.model._meta.table_name,
                field.column_name,
                field.rel_model._meta.table_name,
            )
            constraint = NodeList(
                (SQL("CONSTRAINT"), Entity(_truncate_constraint_name(name)), constraint)
            )
        ctx = self._create_context().literal("ALTER TABLE ").sql(field.model).literal(" ADD ")
        return ctx.sql(constraint)

    def create_foreign_key(self, field: ForeignKeyField) -> None:
        self._execute(self._create_foreign_key(field))

    # -- everything --------------------------------------------------------------------------

    def create_all(self, safe: bool = True, **table_options: Any) -> None:
        self.create_sequences()
        self.create_table(safe, **table_options)
        self.create_indexes(safe=safe)

    def drop_all(self, safe: bool = True, drop_sequences: bool = True, **options: Any) -> None:
        self.drop_table(safe, **options)
        if drop_sequences:
            self.drop_sequences()


def sort_models(models: Iterable[type]) -> list:
    """Order ``models`` so that each comes after those of ``models`` that its foreign keys refer
    to or that it names in ``Meta.depends_on``; otherwise models keep alphabetical order."""
    wanted = set(models)
    seen: set = set()
    ordering: list = []

    def visit(model: type) -> None:
        if model in seen or model not in wanted:
            return
        seen.add(model)
        meta = model._meta
        for fk, rel_model in list(meta.refs.items()):
            if not fk.deferred:
                visit(rel_model)
        for dependency in meta.depends_on or ():
            visit(dependency)
        ordering.append(model)

    for model in sorted(wanted, key=lambda m: (m._meta.name, m._meta.table_name)):
        visit(model)
    return ordering
