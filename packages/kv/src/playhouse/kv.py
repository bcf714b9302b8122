"""``KeyValue``: a dictionary kept in a database table, one row per key.

Keys may also be expressions on ``KeyValue.key`` to read, write or delete many rows at once.
Built on the public model API only; upserts use ON CONFLICT where the backend has it, else REPLACE.
"""

from __future__ import annotations

import operator
import pickle
from typing import Any, Iterator, List, Optional, Tuple

from peewee import (
    BlobField,
    CharField,
    Expression,
    Field,
    Model,
    PostgresqlDatabase,
    SqliteDatabase,
)

try:  # the same class as playhouse.fields when that package is installed
    from playhouse.fields import PickleField
except ImportError:

    class PickleField(BlobField):  # type: ignore[no-redef]
        """Any picklable Python object, stored pickled in a BLOB column."""

        def db_value(self, value: Any) -> Any:
            if value is None:
                return None
            return super().db_value(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

        def python_value(self, value: Any) -> Any:
            if value is None:
                return None
            if isinstance(value, memoryview):
                value = value.tobytes()
            return pickle.loads(value)


__all__ = ["KeyValue"]


class _Missing:
    """Default of :meth:`KeyValue.pop`: no default given."""


Sentinel = _Missing


class KeyValue:
    """A persistent dictionary.

    ``key_field`` (default ``CharField(max_length=255, primary_key=True)``) must be a primary key;
    ``value_field`` defaults to a pickling BLOB field; ``ordered`` sorts iteration by key;
    ``database`` defaults to a new in-memory SQLite database.  The table ``table_name`` is created
    if it does not exist.
    """

    def __init__(
        self,
        key_field: Optional[Field] = None,
        value_field: Optional[Field] = None,
        ordered: bool = False,
        database: Any = None,
        table_name: str = "keyvalue",
    ) -> None:
        if key_field is None:
            key_field = CharField(max_length=255, primary_key=True)
        if not key_field.primary_key:
            raise ValueError("key_field must have primary_key=True.")
        if value_field is None:
            value_field = PickleField()
        self._key_field = key_field
        self._value_field = value_field
        self._ordered = ordered
        self._database = database if database is not None else SqliteDatabase(":memory:")
        self._table_name = table_name

        db = self._database
        if isinstance(db, PostgresqlDatabase) or (
            isinstance(db, SqliteDatabase) and tuple(db.server_version) >= (3, 24)
        ):
            self.upsert = self._postgres_upsert
            self.update = self._postgres_update
        else:
            self.upsert = self._upsert
            self.update = self._update

        self.model = self.create_model()
        self.key = self.model.key
        self.value = self.model.value
        self.model.create_table()

    def create_model(self) -> Any:
        """The model class behind the store (fields ``key`` and ``value``)."""
        store = self

        class KeyValue(Model):
            key = store._key_field
            value = store._value_field

            class Meta:
                database = store._database
                table_name = store._table_name

        return KeyValue

    # -- reading -----------------------------------------------------------------------------------

    def query(self, *select: Any) -> Any:
        """``SELECT`` of the given columns (all by default) as tuples, by key when ordered."""
        query = self.model.select(*select).tuples()
        if self._ordered:
            query = query.order_by(self.key)
        return query

    def convert_expression(self, expr: Any) -> Tuple[Any, bool]:
        """``(condition, is_single_key)`` for a key or an expression."""
        if isinstance(expr, Expression):
            return expr, False
        return self.key == expr, True

    def __contains__(self, key: Any) -> bool:
        condition, _ = self.convert_expression(key)
        return self.model.select().where(condition).exists()

    def __len__(self) -> int:
        return len(self.model)

    def __getitem__(self, expr: Any) -> Any:
        condition, single = self.convert_expression(expr)
        values = [row[0] for row in self.query(self.value).where(condition)]
        if single:
            if not values:
                raise KeyError(expr)
            return values[0]
        return values

    def __iter__(self) -> Iterator[Tuple[Any, Any]]:
        return iter(self.query().execute())

    def keys(self) -> Iterator[Any]:
        return map(operator.itemgetter(0), self.query(self.key))

    def values(self) -> Iterator[Any]:
        return map(operator.itemgetter(0), self.query(self.value))

    def items(self) -> Iterator[Tuple[Any, Any]]:
        return iter(self.query().execute())

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    # -- writing -----------------------------------------------------------------------------------

    def _upsert(self, key: Any, value: Any) -> None:
        self.model.insert(key=key, value=value).on_conflict("replace").execute()

    def _postgres_upsert(self, key: Any, value: Any) -> None:
        (
            self.model.insert(key=key, value=value)
            .on_conflict(conflict_target=[self.key], preserve=[self.value])
            .execute()
        )

    def _rows(self, data: Any, mapping: dict) -> List[Tuple[Any, Any]]:
        if data is not None:
            mapping.update(data)
        return list(mapping.items())

    def _update(self, __data: Any = None, **mapping: Any) -> Any:
        rows = self._rows(__data, mapping)
        return (
            self.model.insert_many(rows, fields=[self.key, self.value])
            .on_conflict("replace")
            .execute()
        )

    def _postgres_update(self, __data: Any = None, **mapping: Any) -> Any:
        rows = self._rows(__data, mapping)
        return (
            self.model.insert_many(rows, fields=[self.key, self.value])
            .on_conflict(conflict_target=[self.key], preserve=[self.value])
            .execute()
        )

    def __setitem__(self, expr: Any, value: Any) -> None:
        if isinstance(expr, Expression):
            self.model.update(value=value).where(expr).execute()
        else:
            self.upsert(expr, value)

    def __delitem__(self, expr: Any) -> None:
        condition, single = self.convert_expression(expr)
        if not self.model.delete().where(condition).execute() and single:
            raise KeyError(expr)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            self[key] = default
            return default

    def pop(self, key: Any, default: Any = Sentinel) -> Any:
        with self._database.atomic():
            try:
                result = self[key]
            except KeyError:
                if default is Sentinel:
                    raise
                return default
            del self[key]
        return result

    def clear(self) -> None:
        self.model.delete().execute()
