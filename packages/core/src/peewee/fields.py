"""Model fields: ``Field`` (a column expression with Python <-> database conversion) and the scalar
field types, plus the descriptors that read and write an instance's ``__data__``.

Fields build expressions and DDL fragments only; they never run queries (relations.py does that).
"""

from __future__ import annotations

import calendar
import datetime
import decimal
import functools
import itertools
import operator
import re
import socket
import struct
import time
import uuid
import warnings
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

import copy

from .errors import DataError
from .sql import SQL, AsIs, BitwiseMixin, Column, ColumnBase, Entity, Node, NodeList, Value

__all__ = [
    "AnyField",
    "AutoField",
    "BareField",
    "BigAutoField",
    "BigBitField",
    "BigIntegerField",
    "BinaryUUIDField",
    "BitField",
    "BlobField",
    "BooleanField",
    "CharField",
    "CompositeKey",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DoubleField",
    "Field",
    "FieldAccessor",
    "FixedCharField",
    "FloatField",
    "IPField",
    "IdentityField",
    "IntegerField",
    "InvalidValueError",
    "MetaField",
    "PrimaryKeyField",
    "SmallIntegerField",
    "TextField",
    "TimeField",
    "TimestampField",
    "UUIDField",
    "VirtualField",
    "format_date_time",
]


class InvalidValueError(DataError, ValueError):
    """A value a field cannot store (``UUIDField('not-a-uuid')``, ``DecimalField('abc')``).

    Raised when the value is converted for the database, before any SQL runs, so a malformed value
    never reaches a table.  It is both a ``DataError`` (what PostgreSQL and MySQL report for such a
    value) and a ``ValueError``.
    """


def _invalid(field: "Field", value: Any, what: str) -> InvalidValueError:
    name = "%s.%s" % (field.model.__name__, field.name) if field.model is not None else None
    where = " for %s" % name if name else ""
    return InvalidValueError("%r is not %s%s." % (value, what, where))

_creation_counter = itertools.count()


class FieldAccessor:
    """Descriptor installed on the model class for a field: ``instance.name`` reads
    ``instance.__data__``, assignment writes it and marks the name dirty; ``Model.name`` is the field."""

    __slots__ = ("model", "field", "name")

    def __init__(self, model: type, field: "Field", name: str) -> None:
        self.model = model
        self.field = field
        self.name = name

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            return instance.__data__.get(self.name)
        return self.field

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__data__[self.name] = value
        instance._dirty.add(self.name)


def _column_type(ctx: Any, field_type: str) -> str:
    """Map an abstract field type through the context's dialect (or a ``field_types`` override)."""
    mapping = ctx.state.field_types if ctx is not None else None
    if mapping and field_type in mapping:
        return mapping[field_type]
    dialect = getattr(ctx, "dialect", None)
    types = getattr(dialect, "field_types", None)
    if types:
        return types.get(field_type, field_type)
    return field_type


class Field(ColumnBase):
    """A model attribute mapped to a column."""

    _field_counter = 0
    _order = 0
    accessor_class: type = FieldAccessor
    auto_increment = False
    default_index_type: Optional[str] = None
    field_type = "DEFAULT"
    unpack = True
    #: True when ``db_value()`` may return a node rendered as SQL (``json(?)``) rather than a
    #: parameter; the cached single-statement paths, which bind converted values directly, then
    #: leave the write to the general query path.
    _db_value_nodes = False

    def __init__(
        self,
        null: bool = False,
        index: bool = False,
        unique: bool = False,
        column_name: Optional[str] = None,
        default: Any = None,
        primary_key: bool = False,
        constraints: Optional[list] = None,
        sequence: Optional[str] = None,
        collation: Optional[str] = None,
        unindexed: bool = False,
        choices: Optional[Iterable] = None,
        help_text: Optional[str] = None,
        verbose_name: Optional[str] = None,
        index_type: Optional[str] = None,
        db_column: Optional[str] = None,
        _hidden: bool = False,
    ) -> None:
        if db_column is not None:
            warnings.warn(
                'The field argument "db_column" is an old spelling: use "column_name" instead.',
                DeprecationWarning,
                stacklevel=2,
            )
            column_name = db_column
        self.null = null
        self.index = index
        self.unique = unique
        self.column_name = column_name
        self.default = default
        self.primary_key = primary_key
        self.constraints = constraints
        self.sequence = sequence
        self.collation = collation
        self.unindexed = unindexed
        self.choices = choices
        self.help_text = help_text
        self.verbose_name = verbose_name
        self.index_type = index_type or self.default_index_type
        self._hidden = _hidden
        self.model: Any = None
        self.name: Optional[str] = None
        self.safe_name: Optional[str] = None
        self._order = next(_creation_counter)
        Field._field_counter = self._order + 1
        self._sort_key = (1 if self.primary_key else 2, self._order)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        if self.model is not None and self.name is not None:
            return "<%s: %s.%s>" % (type(self).__name__, self.model.__name__, self.name)
        return "<%s: (unbound)>" % type(self).__name__

    def bind(self, model: type, name: str, set_attribute: bool = True) -> None:
        """Attach the field to ``model`` under ``name`` (installs the descriptor)."""
        self.model = model
        self.name = self.safe_name = name
        self.column_name = self.column_name or name
        if set_attribute:
            setattr(model, name, self.accessor_class(model, self, name))

    _column: Optional[Column] = None

    @property
    def column(self) -> Column:
        meta = self.model._meta
        table = meta._table
        if table is None:
            table = meta.table
        column = self._column
        if column is None or column.source is not table or column.name != self.column_name:
            column = self._column = Column(table, self.column_name)
        return column

    def __deepcopy__(self, memo: dict) -> "Field":
        state = {k: v for k, v in self.__dict__.items() if k != "_column"}
        rel_field = state.get("rel_field")
        if isinstance(rel_field, Field):
            memo[id(rel_field)] = rel_field
        new = type(self).__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(state, memo))
        return new

    # -- value conversion --------------------------------------------------------------------

    def adapt(self, value: Any) -> Any:
        return value

    def db_value(self, value: Any) -> Any:
        return value if value is None else self.adapt(value)

    def python_value(self, value: Any) -> Any:
        return value if value is None else self.adapt(value)

    def to_value(self, value: Any) -> Value:
        return Value(value, self.db_value, unpack=False)

    def case_value(self, value: Any) -> Value:
        """``value`` bound as a parameter converted by this field (e.g. a ``Case`` result)."""
        return Value(value, self.db_value, unpack=False)

    # -- SQL ---------------------------------------------------------------------------------

    def get_sort_key(self, ctx: Any = None) -> tuple:
        return self._sort_key

    def __sql__(self, ctx: Any) -> Any:
        return self.column.__sql__(ctx)

    def get_modifiers(self) -> Optional[list]:
        return None

    def ddl_datatype(self, ctx: Any) -> Optional[SQL]:
        column_type = _column_type(ctx, self.field_type)
        if not column_type:
            return None
        modifiers = self.get_modifiers()
        if modifiers:
            column_type = "%s(%s)" % (column_type, ", ".join(str(m) for m in modifiers))
        return SQL(column_type)

    def ddl(self, ctx: Any) -> NodeList:
        """The column definition used by CREATE TABLE."""
        parts: list = [Entity(self.column_name)]
        data_type = self.ddl_datatype(ctx)
        if data_type is not None:
            parts.append(data_type)
        if self.unindexed:
            parts.append(SQL("UNINDEXED"))
        if not self.null:
            parts.append(SQL("NOT NULL"))
        if self.primary_key:
            parts.append(SQL("PRIMARY KEY"))
        if self.sequence:
            schema = self.model._meta.schema if self.model is not None else None
            sequence = "%s.%s" % (schema, self.sequence) if schema else self.sequence
            parts.append(SQL("DEFAULT NEXTVAL('%s')" % sequence))
        if self.constraints:
            parts.extend(self.constraints)
        if self.collation:
            parts.append(SQL("COLLATE %s" % self.collation))
        return NodeList(parts)


class BareField(Field):
    """A column without a declared type (SQLite), optionally converting values with ``adapt``."""

    def __init__(self, adapt: Optional[Callable[[Any], Any]] = None, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if adapt is not None:
            self.adapt = adapt  # type: ignore[method-assign]

    def ddl_datatype(self, ctx: Any) -> None:
        return None


class AnyField(Field):
    field_type = "ANY"


# -- numbers ---------------------------------------------------------------------------------


class IntegerField(Field):
    field_type = "INT"

    def adapt(self, value: Any) -> Any:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value


class BigIntegerField(IntegerField):
    field_type = "BIGINT"


class SmallIntegerField(IntegerField):
    field_type = "SMALLINT"


class AutoField(IntegerField):
    """Auto-incrementing integer primary key."""

    auto_increment = True
    field_type = "AUTO"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("primary_key") is False:
            raise ValueError("%s must always be a primary key." % type(self).__name__)
        kwargs["primary_key"] = True
        super().__init__(*args, **kwargs)


class BigAutoField(AutoField):
    field_type = "BIGAUTO"


class IdentityField(AutoField):
    """PostgreSQL identity column: ``INT GENERATED BY DEFAULT AS IDENTITY`` (or ``ALWAYS``)."""

    field_type = "INT"

    def __init__(self, generate_always: bool = False, **kwargs: Any) -> None:
        self.generate_always = generate_always
        super().__init__(**kwargs)

    def ddl_datatype(self, ctx: Any) -> SQL:
        how = "ALWAYS" if self.generate_always else "BY DEFAULT"
        return SQL("INT GENERATED %s AS IDENTITY" % how)


class PrimaryKeyField(AutoField):
    """Old name of ``AutoField``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            '"PrimaryKeyField" is the old name of "AutoField": use AutoField instead.',
            DeprecationWarning,
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)


class FloatField(Field):
    field_type = "FLOAT"

    def adapt(self, value: Any) -> Any:
        try:
            return float(value)
        except (TypeError, ValueError):
            return value


class DoubleField(FloatField):
    field_type = "DOUBLE"


class DecimalField(Field):
    """Fixed-point number: ``DECIMAL(max_digits, decimal_places)``; values are ``Decimal``."""

    field_type = "DECIMAL"

    def __init__(
        self,
        max_digits: int = 10,
        decimal_places: int = 5,
        auto_round: bool = False,
        rounding: Optional[str] = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.auto_round = auto_round
        self.rounding = rounding or decimal.DefaultContext.rounding
        self._exp = decimal.Decimal(10) ** (-self.decimal_places)
        super().__init__(*args, **kwargs)

    def get_modifiers(self) -> list:
        return [self.max_digits, self.decimal_places]

    def db_value(self, value: Any) -> Any:
        if not value:
            return value if value is None else decimal.Decimal(0)
        if isinstance(value, (str, bytes)):
            try:
                number = decimal.Decimal(value.decode() if isinstance(value, bytes) else value)
            except (decimal.InvalidOperation, ValueError, UnicodeDecodeError):
                raise _invalid(self, value, "a decimal number") from None
            if not self.auto_round:
                return value
            value = number
        if self.auto_round:
            try:
                return decimal.Decimal(str(value)).quantize(self._exp, rounding=self.rounding)
            except decimal.InvalidOperation:
                raise _invalid(self, value, "a decimal number") from None
        return value

    def python_value(self, value: Any) -> Any:
        if value is None or isinstance(value, decimal.Decimal):
            return value
        return decimal.Decimal(str(value))


# -- text ------------------------------------------------------------------------------------


class _StringField(Field):
    def adapt(self, value: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, (bytes, bytearray)):
            return bytes(value).decode("utf-8")
        return str(value)

    def python_value(self, value: Any) -> Any:
        if value is None or type(value) is str:
            return value
        return self.adapt(value)

    def __add__(self, other: Any) -> Any:
        return self.concat(other)

    def __radd__(self, other: Any) -> Any:
        return Value(other).concat(self) if not isinstance(other, Node) else other.concat(self)


class CharField(_StringField):
    """``VARCHAR(max_length)``."""

    field_type = "VARCHAR"

    def __init__(self, max_length: int = 255, *args: Any, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def get_modifiers(self) -> Optional[list]:
        return [self.max_length] if self.max_length else None


class FixedCharField(CharField):
    """``CHAR(max_length)``; values are stripped of surrounding spaces (and cut to
    ``max_length``) when written and when read back."""

    field_type = "CHAR"

    def adapt(self, value: Any) -> Any:
        value = super().adapt(value)
        if value:
            value = value.strip()
            if self.max_length:
                value = value[: self.max_length].strip()
        return value

    def python_value(self, value: Any) -> Any:
        # Overridden (not inherited from _StringField) so that text read back is always stripped.
        return value if value is None else self.adapt(value)


class TextField(_StringField):
    field_type = "TEXT"


# -- bytes -----------------------------------------------------------------------------------


def _to_bytes(value: Any) -> Any:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


class BlobField(Field):
    """Binary data; values are ``bytes`` (``str`` is stored encoded as UTF-8)."""

    field_type = "BLOB"

    def db_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.encode("utf-8")
        return _to_bytes(value)

    def python_value(self, value: Any) -> Any:
        return _to_bytes(value)


class BigBitFieldData:
    """A mutable bitmap over an instance's bytes value (``set_bit``, ``clear_bit``, ...)."""

    __slots__ = ("instance", "name", "_buffer")

    def __init__(self, instance: Any, name: str) -> None:
        self.instance = instance
        self.name = name
        value = instance.__data__.get(name)
        if not value:
            value = bytearray()
        elif not isinstance(value, bytearray):
            value = bytearray(value)
        self._buffer = instance.__data__[name] = value

    def _ensure(self, idx: int) -> tuple:
        byte_num, byte_offset = divmod(idx, 8)
        if len(self._buffer) <= byte_num:
            self._buffer.extend(b"\x00" * (byte_num + 1 - len(self._buffer)))
        return byte_num, byte_offset

    def _changed(self) -> None:
        self.instance._dirty.add(self.name)

    def clear(self) -> None:
        del self._buffer[:]
        self._changed()

    def set_bit(self, idx: int) -> None:
        byte_num, offset = self._ensure(idx)
        self._buffer[byte_num] |= 1 << offset
        self._changed()

    def clear_bit(self, idx: int) -> None:
        byte_num, offset = self._ensure(idx)
        self._buffer[byte_num] &= ~(1 << offset) & 0xFF
        self._changed()

    def toggle_bit(self, idx: int) -> bool:
        byte_num, offset = self._ensure(idx)
        self._buffer[byte_num] ^= 1 << offset
        self._changed()
        return bool(self._buffer[byte_num] & (1 << offset))

    def is_set(self, idx: int) -> bool:
        byte_num, offset = divmod(idx, 8)
        if byte_num >= len(self._buffer):
            return False
        return bool(self._buffer[byte_num] & (1 << offset))

    def __len__(self) -> int:
        return len(self._buffer)

    def __iter__(self) -> Iterator[int]:
        for byte in self._buffer:
            for offset in range(8):
                yield 1 if byte & (1 << offset) else 0

    def _combine(self, other: Any, op: Callable[[int, int], int]) -> bytearray:
        other_bytes = bytes(other._buffer) if isinstance(other, BigBitFieldData) else bytes(other)
        size = max(len(self._buffer), len(other_bytes))
        left = bytes(self._buffer).ljust(size, b"\x00")
        right = other_bytes.ljust(size, b"\x00")
        return bytearray(op(a, b) for a, b in zip(left, right))

    def __and__(self, other: Any) -> bytearray:
        return self._combine(other, operator.and_)

    def __or__(self, other: Any) -> bytearray:
        return self._combine(other, operator.or_)

    def __xor__(self, other: Any) -> bytearray:
        return self._combine(other, operator.xor)

    def __bytes__(self) -> bytes:
        return bytes(self._buffer)

    def __repr__(self) -> str:
        return repr(self._buffer)


class BigBitFieldAccessor(FieldAccessor):
    __slots__ = ()

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is None:
            return self.field
        return BigBitFieldData(instance, self.name)

    def __set__(self, instance: Any, value: Any) -> None:
        if isinstance(value, BigBitFieldData):
            value = bytes(value._buffer)
        elif isinstance(value, (memoryview, bytearray)):
            value = bytes(value)
        elif isinstance(value, str):
            value = value.encode("utf-8")
        elif value is not None and not isinstance(value, bytes):
            raise ValueError(
                "A BigBitField value must be bytes, bytearray, memoryview or BigBitFieldData."
            )
        super().__set__(instance, value)


class BigBitField(BlobField):
    """An arbitrarily large bitmap stored as a blob."""

    accessor_class = BigBitFieldAccessor

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", bytes)
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        return bytes(value) if value is not None else value


class _FlagDescriptor(ColumnBase):
    """One bit of a ``BitField``: a boolean attribute on instances, an expression on the class."""

    def __init__(self, field: "BitField", value: int) -> None:
        self._field = field
        self._value = value
        super().__init__()

    def clear(self) -> Any:
        return self._field.bin_and(~self._value)

    def set(self) -> Any:
        return self._field.bin_or(self._value)

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is None:
            return self
        value = getattr(instance, self._field.name) or 0
        return (value & self._value) != 0

    def __set__(self, instance: Any, is_set: Any) -> None:
        if is_set not in (True, False):
            raise ValueError("A flag can only be set to True or False.")
        value = getattr(instance, self._field.name) or 0
        if is_set:
            value |= self._value
        else:
            value &= ~self._value
        setattr(instance, self._field.name, value)

    def __sql__(self, ctx: Any) -> Any:
        return ctx.sql(self._field.bin_and(self._value) != 0)


class BitField(BitwiseMixin, BigIntegerField):
    """An integer of flags; ``flag(value)`` declares one bit as a boolean attribute."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", 0)
        super().__init__(*args, **kwargs)
        self._next_flag = 1

    def flag(self, value: Optional[int] = None) -> _FlagDescriptor:
        if value is None:
            value = self._next_flag
            self._next_flag <<= 1
        else:
            self._next_flag = value << 1
        return _FlagDescriptor(self, value)


# -- identifiers -----------------------------------------------------------------------------


_HEX32 = re.compile("[0-9a-fA-F]{32}").fullmatch


class UUIDField(Field):
    """``uuid.UUID`` values (stored as 32 hex digits, or native UUID on PostgreSQL)."""

    field_type = "UUID"

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and len(value) == 32 and _HEX32(value):
            return value  # 32 hexadecimal digits are stored as they are given
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, bytes) and len(value) == 16:
            return uuid.UUID(bytes=value).hex
        try:
            return uuid.UUID(value).hex
        except (TypeError, ValueError, AttributeError):
            raise _invalid(self, value, "a UUID") from None

    def python_value(self, value: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(value)


class BinaryUUIDField(BlobField):
    """``uuid.UUID`` values stored as 16 raw bytes."""

    field_type = "UUIDB"

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, uuid.UUID):
            return value.bytes
        if isinstance(value, (bytes, bytearray, memoryview)) and len(value) == 16:
            return bytes(value)
        if isinstance(value, str):
            try:
                return uuid.UUID(value).bytes
            except ValueError:
                pass
        raise _invalid(self, value, "a UUID")

    def python_value(self, value: Any) -> Any:
        if value is None or isinstance(value, uuid.UUID):
            return value
        return uuid.UUID(bytes=bytes(value))


class BooleanField(Field):
    field_type = "BOOL"

    def adapt(self, value: Any) -> bool:
        return bool(value)


class IPField(BigIntegerField):
    """IPv4 addresses stored as integers."""

    def db_value(self, value: Any) -> Any:
        if value is None or isinstance(value, int):
            return value
        try:
            packed = socket.inet_aton(value)
        except (OSError, TypeError) as exc:
            raise ValueError("%r is not an IPv4 address." % (value,)) from exc
        return struct.unpack("!I", packed)[0]

    def python_value(self, value: Any) -> Any:
        if value is None:
            return value
        return socket.inet_ntoa(struct.pack("!I", value))


# -- dates and times -------------------------------------------------------------------------


_fromisoformat_dt = datetime.datetime.fromisoformat


def _from_iso(value: str) -> datetime.datetime:
    """``datetime.fromisoformat`` that also takes a space separator and a ``Z`` suffix on every
    supported Python version."""
    if len(value) > 10 and value[10] == " ":
        value = value[:10] + "T" + value[11:]
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    return _fromisoformat_dt(value)


def format_date_time(value: str, formats: Sequence[str], post_process: Any = None) -> Any:
    """Parse ``value``: ISO 8601 text first, then the first matching ``strptime`` format of
    ``formats``; return it unchanged if nothing matches."""
    if value:
        try:
            parsed = _from_iso(value)
        except (TypeError, ValueError):
            pass
        else:
            return post_process(parsed) if post_process else parsed
    for fmt in formats:
        try:
            parsed = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return post_process(parsed) if post_process else parsed
    return value


def _date_part(part: str) -> property:
    def getter(self: Any) -> Any:
        return self.model._meta.database.extract_date(part, self)

    return property(getter)


class _FormattedField(Field):
    formats: Sequence[str] = ()

    def __init__(self, formats: Optional[Sequence[str]] = None, *args: Any, **kwargs: Any):
        if formats is not None:
            self.formats = formats
        super().__init__(*args, **kwargs)


class DateTimeField(_FormattedField):
    """``datetime.datetime`` values; strings from the database are parsed."""

    field_type = "DATETIME"
    formats = [
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S.%f%z",
        "%Y-%m-%d %H:%M:%S%z",
        "%Y-%m-%d",
    ]

    def adapt(self, value: Any) -> Any:
        if value and isinstance(value, str):
            if self.formats is DateTimeField.formats:
                try:
                    return _fromisoformat_dt(value)
                except ValueError:
                    pass
            return format_date_time(value, self.formats)
        return value

    def to_timestamp(self) -> Any:
        return self.model._meta.database.to_timestamp(self)

    def truncate(self, part: str) -> Any:
        return self.model._meta.database.truncate_date(part, self)

    year = _date_part("year")
    month = _date_part("month")
    day = _date_part("day")
    hour = _date_part("hour")
    minute = _date_part("minute")
    second = _date_part("second")


class DateField(_FormattedField):
    """``datetime.date`` values."""

    field_type = "DATE"
    formats = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f"]

    def adapt(self, value: Any) -> Any:
        if value and isinstance(value, str):
            if self.formats is DateField.formats:
                try:
                    return _fromisoformat_dt(value).date()
                except ValueError:
                    pass
            return format_date_time(value, self.formats, operator.methodcaller("date"))
        if value and isinstance(value, datetime.datetime):
            return value.date()
        return value

    def to_timestamp(self) -> Any:
        return self.model._meta.database.to_timestamp(self)

    def truncate(self, part: str) -> Any:
        return self.model._meta.database.truncate_date(part, self)

    year = _date_part("year")
    month = _date_part("month")
    day = _date_part("day")


class TimeField(_FormattedField):
    """``datetime.time`` values (MySQL's ``timedelta`` results are converted)."""

    field_type = "TIME"
    formats = [
        "%H:%M:%S.%f",
        "%H:%M:%S",
        "%H:%M",
        "%H:%M:%S.%f%z",
        "%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S.%f",
        "%Y-%m-%d %H:%M:%S",
    ]

    def adapt(self, value: Any) -> Any:
        if isinstance(value, str):
            if value:
                try:
                    return datetime.time.fromisoformat(value)
                except ValueError:
                    return format_date_time(value, self.formats, operator.methodcaller("timetz"))
        elif isinstance(value, datetime.datetime):
            return value.time()
        elif isinstance(value, datetime.timedelta):
            return (datetime.datetime.min + value).time()
        return value

    hour = _date_part("hour")
    minute = _date_part("minute")
    second = _date_part("second")


def utcnow() -> datetime.datetime:
    """The current UTC time as a naive datetime (the default of ``TimestampField(utc=True)``)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _timestamp_part(part: str) -> property:
    def getter(self: Any) -> Any:
        database = self.model._meta.database
        return database.extract_date(part, database.from_timestamp(self._seconds()))

    return property(getter)


_EPOCH = datetime.datetime(1970, 1, 1)
_RESOLUTIONS = tuple(10**i for i in range(7))


class TimestampField(BigIntegerField):
    """A datetime stored as an integer count of seconds (or of ``1/resolution`` seconds)."""

    valid_resolutions = list(_RESOLUTIONS)
    formats = list(DateTimeField.formats)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        resolution = kwargs.pop("resolution", None)
        if not resolution:
            resolution = 1
        elif resolution in range(2, 7):
            resolution = 10**resolution
        elif resolution not in _RESOLUTIONS:
            raise ValueError(
                "TimestampField resolution must be one of: %s"
                % ", ".join(str(r) for r in _RESOLUTIONS)
            )
        self.resolution = resolution
        self.ticks_to_microsecond = 1000000 // resolution
        self.utc = kwargs.pop("utc", False) or False
        kwargs.setdefault("default", utcnow if self.utc else datetime.datetime.now)
        super().__init__(*args, **kwargs)

    def local_to_utc(self, dt: datetime.datetime) -> datetime.datetime:
        return datetime.datetime(*time.gmtime(time.mktime(dt.timetuple()))[:6])

    def utc_to_local(self, dt: datetime.datetime) -> datetime.datetime:
        return datetime.datetime(*time.localtime(calendar.timegm(dt.timetuple()))[:6])

    def get_timestamp(self, value: datetime.datetime) -> float:
        if value.tzinfo is not None:
            return int(value.timestamp())
        if self.utc:
            return calendar.timegm(value.utctimetuple())
        return time.mktime(value.timetuple())

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            parsed = format_date_time(value, self.formats)
            if isinstance(parsed, str):
                raise ValueError("%r is not a date and time." % (value,))
            value = parsed
        if isinstance(value, datetime.datetime):
            pass
        elif isinstance(value, datetime.date):
            value = datetime.datetime(value.year, value.month, value.day)
        else:
            return int(round(value * self.resolution))
        timestamp = self.get_timestamp(value)
        if self.resolution > 1:
            timestamp += value.microsecond * 0.000001
            timestamp *= self.resolution
        return int(round(timestamp))

    def python_value(self, value: Any) -> Any:
        if value is None or not isinstance(value, (int, float)):
            return value
        if self.resolution > 1:
            value, ticks = divmod(value, self.resolution)
            microseconds = int(ticks * self.ticks_to_microsecond)
        else:
            microseconds = 0
        if self.utc:
            result = _EPOCH + datetime.timedelta(seconds=value)
        else:
            result = datetime.datetime.fromtimestamp(value)
        if microseconds:
            result = result.replace(microsecond=microseconds)
        return result

    def _seconds(self) -> Any:
        """The column in whole seconds (divided by the resolution when there is one)."""
        return self / AsIs(self.resolution) if self.resolution > 1 else self

    def from_timestamp(self) -> Any:
        """The stored value as a database timestamp."""
        return self.model._meta.database.from_timestamp(self._seconds())

    year = _timestamp_part("year")
    month = _timestamp_part("month")
    day = _timestamp_part("day")
    hour = _timestamp_part("hour")
    minute = _timestamp_part("minute")
    second = _timestamp_part("second")


# -- fields that are not columns -------------------------------------------------------------


class MetaField(Field):
    """Base of model attributes that are declared like fields but are not columns."""

    column_name = None
    default = None
    model = None
    name = None
    primary_key = False


class VirtualField(MetaField):
    """A model attribute that is not a column but converts values like ``field_class`` would
    (used by extensions for values computed in queries)."""

    field_class: Optional[type] = None

    def __init__(self, field_class: Optional[type] = None, *args: Any, **kwargs: Any) -> None:
        field_class = field_class if field_class is not None else self.field_class
        self.field_instance = field_class() if field_class is not None else None
        super().__init__(*args, **kwargs)

    def db_value(self, value: Any) -> Any:
        if self.field_instance is not None:
            return self.field_instance.db_value(value)
        return value

    def python_value(self, value: Any) -> Any:
        if self.field_instance is not None:
            return self.field_instance.python_value(value)
        return value

    def bind(self, model: type, name: str, set_attribute: bool = True) -> None:
        self.model = model
        self.column_name = self.name = self.safe_name = name
        if set_attribute:
            setattr(model, name, self.accessor_class(model, self, name))


class CompositeKey(MetaField):
    """A primary key made of several fields: ``Meta.primary_key = CompositeKey('a', 'b')``."""

    sequence = None

    def __init__(self, *field_names: str) -> None:
        super().__init__(primary_key=True)
        self.field_names = field_names
        self._sort_key = (1, 0)

    @property
    def safe_field_names(self) -> Any:
        """The attribute names holding the key's values (``user_id`` for a foreign key ``user``)."""
        if self.model is None:
            return self.field_names
        fields = self.model._meta.fields
        return [fields[name].safe_name for name in self.field_names]

    def __get__(self, instance: Any, instance_type: Any = None) -> Any:
        if instance is not None:
            return tuple(getattr(instance, name) for name in self.safe_field_names)
        return self

    def __set__(self, instance: Any, value: Any) -> None:
        if not isinstance(value, (list, tuple)):
            raise TypeError("A composite primary key must be set from a list or a tuple.")
        if len(value) != len(self.field_names):
            raise ValueError(
                "A composite primary key of %d fields cannot be set from %d values."
                % (len(self.field_names), len(value))
            )
        for name, field_value in zip(self.field_names, value):
            setattr(instance, name, field_value)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        if isinstance(other, str) or (
            isinstance(other, (list, tuple)) and len(other) != len(self.field_names)
        ):
            raise ValueError(
                "The length of the value must equal the number of columns of the "
                "composite primary key."
            )
        fields = self.model._meta.fields
        expressions = [fields[name] == value for name, value in zip(self.field_names, other)]
        return functools.reduce(operator.and_, expressions)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return ~(self == other)

    def __hash__(self) -> int:
        return hash((self.model.__name__ if self.model else None, self.field_names))

    def __sql__(self, ctx: Any) -> Any:
        fields = self.model._meta.fields
        return ctx.sql(NodeList([fields[name] for name in self.field_names], ", ", True))

    def bind(self, model: type, name: str, set_attribute: bool = True) -> None:
        self.model = model
        self.column_name = self.name = self.safe_name = name
        setattr(model, name, self)
