"""Field types: exact round-trips on every backend, conversions, descriptors, defaults, errors."""

from __future__ import annotations

import datetime
import decimal
import math
import uuid
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peewee import (
    AnyField,
    AutoField,
    BareField,
    BigAutoField,
    BigBitField,
    BigIntegerField,
    BinaryUUIDField,
    BitField,
    BlobField,
    BooleanField,
    CharField,
    CompositeKey,
    DataError,
    DateField,
    DateTimeField,
    DecimalField,
    DoubleField,
    Field,
    FixedCharField,
    FloatField,
    ForeignKeyField,
    IdentityField,
    IntegerField,
    IPField,
    Model,
    PrimaryKeyField,
    SmallIntegerField,
    TextField,
    TimeField,
    TimestampField,
    UUIDField,
)
from peewee.fields import format_date_time

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def table_with(database, field, name="Holder"):
    """A model with one field ``value`` (plus ``id``), its table created on ``database``."""

    class Meta:
        pass

    Meta.database = database
    Meta.table_name = "holder_%s" % type(field).__name__.lower()
    model = type(name, (Model,), {"value": field, "Meta": Meta, "__module__": __name__})
    database.create_tables([model])
    return model


def round_trip(model, value):
    obj = model.create(value=value)
    return model.get_by_id(obj.id).value


# -- integers ----------------------------------------------------------------------------------


@HYPOTHESIS
@given(value=st.integers(-(2**31), 2**31 - 1))
def test_integer_field_round_trips(db, value):
    model = table_with(db, IntegerField())
    assert round_trip(model, value) == value


@HYPOTHESIS
@given(value=st.integers(-(2**63), 2**63 - 1))
def test_big_integer_field_round_trips_64_bit_values(db, value):
    model = table_with(db, BigIntegerField())
    result = round_trip(model, value)
    assert result == value and type(result) is int


@HYPOTHESIS
@given(value=st.integers(-32768, 32767))
def test_small_integer_field_round_trips(db, value):
    model = table_with(db, SmallIntegerField())
    assert round_trip(model, value) == value


def test_integer_field_converts_numeric_strings(db):
    model = table_with(db, IntegerField())
    assert round_trip(model, "42") == 42
    assert model.value.db_value("17") == 17
    assert model.value.db_value(None) is None


def test_integer_field_passes_values_that_are_not_numbers_to_the_database(db):
    # Like peewee: conversion is attempted, and the database judges what cannot be converted.
    assert IntegerField().db_value("abc") == "abc"
    assert IntegerField().db_value([1, 2]) == [1, 2]
    model = table_with(db, IntegerField())
    if db.__class__.__name__.startswith("Sqlite"):
        assert round_trip(model, "abc") == "abc"  # SQLite keeps text in an INTEGER column
    else:
        from peewee import DatabaseError

        with pytest.raises(DatabaseError):
            with db.atomic():
                model.create(value="abc")


def test_big_auto_field_generates_keys(db):
    class Thing(Model):
        id = BigAutoField()
        name = CharField()

        class Meta:
            database = db

    db.create_tables([Thing])
    first = Thing.create(name="a")
    second = Thing.create(name="b")
    assert isinstance(first.id, int) and second.id == first.id + 1
    assert Thing.get_by_id(second.id).name == "b"


@pytest.mark.backends("postgres")
def test_identity_field_generates_keys_on_postgres(db):
    class Ident(Model):
        id = IdentityField()
        name = CharField()

        class Meta:
            database = db

    db.create_tables([Ident])
    a = Ident.create(name="a")
    b = Ident.create(name="b")
    assert (a.id, b.id) == (1, 2)
    assert [r.name for r in Ident.select().order_by(Ident.id)] == ["a", "b"]


def test_identity_field_generate_always_ddl():
    field = IdentityField(generate_always=True)
    assert field.ddl_datatype(None).sql == "INT GENERATED ALWAYS AS IDENTITY"
    with pytest.raises(ValueError):
        IdentityField(primary_key=False)


def test_primary_key_field_is_a_deprecated_auto_field():
    with pytest.warns(DeprecationWarning):
        field = PrimaryKeyField()
    assert isinstance(field, AutoField) and field.primary_key


def test_auto_field_must_be_primary_key():
    with pytest.raises(ValueError, match="must always be a primary key"):
        AutoField(primary_key=False)


# -- floats and decimals -----------------------------------------------------------------------


@HYPOTHESIS
@given(value=st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_double_field_round_trips_exactly(db, value):
    model = table_with(db, DoubleField())
    assert round_trip(model, value) == value


@HYPOTHESIS
@given(value=st.floats(-(2.0**100), 2.0**100, allow_nan=False, width=32))
def test_float_field_round_trips_to_single_precision(db, value):
    # FloatField is single precision (REAL / FLOAT) on PostgreSQL and MySQL.
    model = table_with(db, FloatField())
    assert math.isclose(round_trip(model, value), value, rel_tol=1e-5, abs_tol=1e-37)


@HYPOTHESIS
@given(value=st.decimals(min_value=-99999, max_value=99999, places=5))
def test_decimal_field_round_trips(db, value):
    model = table_with(db, DecimalField(max_digits=10, decimal_places=5))
    result = round_trip(model, value)
    assert isinstance(result, decimal.Decimal)
    assert result == value


@pytest.mark.backends("postgres", "mysql")
def test_decimal_field_keeps_scale_on_servers(db):
    model = table_with(db, DecimalField(max_digits=10, decimal_places=2))
    result = round_trip(model, decimal.Decimal("1.10"))
    assert str(result) == "1.10"


def test_decimal_field_auto_round_and_rounding():
    field = DecimalField(decimal_places=2, auto_round=True)
    assert field.db_value(decimal.Decimal("1.005")) == decimal.Decimal("1.00")
    assert field.db_value(1.015) == decimal.Decimal("1.02")
    up = DecimalField(decimal_places=1, auto_round=True, rounding=decimal.ROUND_UP)
    assert up.db_value(decimal.Decimal("1.01")) == decimal.Decimal("1.1")
    assert DecimalField().db_value(0) == decimal.Decimal(0)
    assert DecimalField().db_value(None) is None
    assert DecimalField().python_value(2.5) == decimal.Decimal("2.5")
    with pytest.raises(DataError, match="is not a decimal number"):
        field.db_value("not a number")
    assert field.db_value("2.355") == decimal.Decimal("2.36")
    assert DecimalField().db_value("2.345") == "2.345"  # valid text is passed on as it is


# -- text --------------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@HYPOTHESIS
@given(value=TEXT.filter(lambda s: len(s) <= 255))
def test_char_field_round_trips_unicode_including_4_byte_characters(db, value):
    model = table_with(db, CharField())
    assert round_trip(model, value) == value


def test_char_field_stores_emoji(db):
    model = table_with(db, CharField(max_length=20))
    assert (
        round_trip(model, "snow \u2603 \U0001f600 \U0001d11e")
        == "snow \u2603 \U0001f600 \U0001d11e"
    )


@HYPOTHESIS
@given(value=TEXT)
def test_text_field_round_trips(db, value):
    model = table_with(db, TextField())
    assert round_trip(model, value) == value


@HYPOTHESIS
@given(value=st.text(alphabet="abcXYZ019-", max_size=10))
def test_fixed_char_field_round_trips_without_padding(db, value):
    model = table_with(db, FixedCharField(max_length=10))
    assert round_trip(model, value) == value


def test_string_fields_coerce_bytes_and_other_values():
    assert CharField().db_value(b"caf\xc3\xa9") == "caf\u00e9"
    assert CharField().db_value(12) == "12"
    assert TextField().python_value(None) is None
    assert FixedCharField().python_value("ab   ") == "ab"


def test_char_field_modifiers_follow_max_length():
    assert CharField().get_modifiers() == [255]
    assert CharField(max_length=10).get_modifiers() == [10]
    assert FixedCharField(max_length=3).get_modifiers() == [3]


# -- bytes -------------------------------------------------------------------------------------


@HYPOTHESIS
@given(value=st.binary(max_size=2000))
def test_blob_field_round_trips_bytes(db, value):
    model = table_with(db, BlobField())
    result = round_trip(model, value)
    assert type(result) is bytes and result == value


def test_blob_field_accepts_bytearray_memoryview_and_text(db):
    model = table_with(db, BlobField())
    assert round_trip(model, bytearray(b"\x00\xff")) == b"\x00\xff"
    assert round_trip(model, memoryview(b"abc")) == b"abc"
    assert round_trip(model, "abc") == b"abc"
    assert round_trip(model, "caf\u00e9 \U0001f600") == "caf\u00e9 \U0001f600".encode("utf-8")


@HYPOTHESIS
@given(value=st.uuids())
def test_uuid_field_round_trips(db, value):
    model = table_with(db, UUIDField())
    assert round_trip(model, value) == value


@HYPOTHESIS
@given(value=st.uuids())
def test_binary_uuid_field_round_trips(db, value):
    model = table_with(db, BinaryUUIDField())
    assert round_trip(model, value) == value


def test_uuid_fields_accept_strings_and_bytes(db):
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    model = table_with(db, UUIDField())
    assert round_trip(model, str(value)) == value
    assert round_trip(model, value.hex) == value
    assert model.get(model.value == str(value)).value == value
    binary = table_with(db, BinaryUUIDField(), name="BinHolder")
    assert round_trip(binary, value.bytes) == value
    assert round_trip(binary, str(value)) == value


def test_binary_uuid_field_rejects_other_values():
    with pytest.raises(ValueError):
        BinaryUUIDField().db_value(12)
    with pytest.raises(ValueError):
        BinaryUUIDField().db_value("not-a-uuid")
    with pytest.raises(ValueError):
        UUIDField().python_value("not-a-uuid")


# -- booleans, addresses -----------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, False])
def test_boolean_field_round_trips(db, value):
    model = table_with(db, BooleanField())
    result = round_trip(model, value)
    assert result is value


def test_boolean_field_coerces_truthiness(db):
    model = table_with(db, BooleanField())
    assert round_trip(model, 0) is False
    assert round_trip(model, "yes") is True
    assert model.select().where(model.value == True).count() == 1  # noqa: E712


@HYPOTHESIS
@given(value=st.ip_addresses(v=4).map(str))
def test_ip_field_round_trips(db, value):
    model = table_with(db, IPField())
    assert round_trip(model, value) == value


def test_ip_field_conversions_and_errors():
    assert IPField().db_value("10.0.0.1") == 167772161
    assert IPField().python_value(167772161) == "10.0.0.1"
    with pytest.raises(ValueError):
        IPField().db_value("300.1.2.3")


# -- dates and times ---------------------------------------------------------------------------


def _datetimes(backend):
    # MySQL's DATETIME and TIME columns (as peewee declares them) have whole seconds.
    dts = st.datetimes(datetime.datetime(1000, 1, 1), datetime.datetime(9999, 12, 31))
    if backend == "mysql":
        dts = dts.map(lambda d: d.replace(microsecond=0))
    return dts


@HYPOTHESIS
@given(data=st.data())
def test_datetime_field_round_trips_with_microseconds(db, backend, data):
    model = table_with(db, DateTimeField())
    value = data.draw(_datetimes(backend))
    assert round_trip(model, value) == value


@HYPOTHESIS
@given(value=st.dates(datetime.date(1000, 1, 1), datetime.date(9999, 12, 31)))
def test_date_field_round_trips(db, value):
    model = table_with(db, DateField())
    result = round_trip(model, value)
    assert type(result) is datetime.date and result == value


@HYPOTHESIS
@given(data=st.data())
def test_time_field_round_trips(db, backend, data):
    model = table_with(db, TimeField())
    times = st.times()
    if backend == "mysql":
        times = times.map(lambda t: t.replace(microsecond=0))
    value = data.draw(times)
    result = round_trip(model, value)
    assert type(result) is datetime.time and result == value


def test_datetime_parsing_of_strings():
    field = DateTimeField()
    assert field.python_value("2020-01-02 03:04:05.600000") == datetime.datetime(
        2020, 1, 2, 3, 4, 5, 600000
    )
    assert field.python_value("2020-01-02T03:04") == datetime.datetime(2020, 1, 2, 3, 4)
    assert field.python_value("2020-01-02") == datetime.datetime(2020, 1, 2)
    assert field.python_value("garbage") == "garbage"
    assert DateField().python_value("2020-01-02 03:04:05") == datetime.date(2020, 1, 2)
    assert DateField().python_value(datetime.datetime(2020, 1, 2, 3)) == datetime.date(2020, 1, 2)
    assert TimeField().python_value("03:04") == datetime.time(3, 4)
    assert TimeField().python_value("2020-01-02 03:04:05") == datetime.time(3, 4, 5)
    assert TimeField().python_value("2020-01-02T03:04:05") == datetime.time(3, 4, 5)
    assert TimeField().python_value(datetime.timedelta(hours=1, seconds=2)) == datetime.time(
        1, 0, 2
    )
    custom = DateTimeField(formats=["%d.%m.%Y %H:%M"])
    assert custom.python_value("24.12.2021 18:30") == datetime.datetime(2021, 12, 24, 18, 30)
    assert format_date_time("x", ["%Y"]) == "x"


def test_datetime_string_input_is_parsed_before_storage(db):
    model = table_with(db, DateTimeField())
    assert round_trip(model, "2021-06-01 12:00:00") == datetime.datetime(2021, 6, 1, 12)


def test_date_parts_in_queries(db):
    model = table_with(db, DateTimeField())
    model.create(value=datetime.datetime(2023, 7, 14, 9, 30, 15))
    row = (
        model.select(model.value.year, model.value.month, model.value.day, model.value.hour)
        .tuples()
        .get()
    )
    assert tuple(int(x) for x in row) == (2023, 7, 14, 9)
    assert model.select().where(model.value.year == 2023).count() == 1


@HYPOTHESIS
@given(
    value=st.datetimes(datetime.datetime(1970, 1, 2), datetime.datetime(2037, 12, 31)),
    resolution=st.sampled_from([1, 3, 6]),
)
def test_timestamp_field_round_trips_at_its_resolution(db, value, resolution):
    model = table_with(db, TimestampField(resolution=resolution, utc=True))
    digits = {1: 0, 3: 3, 6: 6}[resolution]
    step = 10 ** (6 - digits)
    value = value.replace(microsecond=value.microsecond - value.microsecond % step)
    assert round_trip(model, value) == value


def test_timestamp_field_local_time_and_defaults(db):
    model = table_with(db, TimestampField())
    now = datetime.datetime.now().replace(microsecond=0)
    assert round_trip(model, now) == now
    obj = model()
    assert isinstance(obj.value, datetime.datetime)
    assert model.value.db_value(datetime.date(2020, 1, 1)) == model.value.db_value(
        datetime.datetime(2020, 1, 1)
    )
    assert model.value.db_value("2020-01-01 00:00:00") == model.value.db_value(
        datetime.datetime(2020, 1, 1)
    )
    aware = datetime.datetime(2020, 1, 1, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert TimestampField(utc=True).db_value(aware) == 1577836800
    with pytest.raises(ValueError):
        model.value.db_value("not a date")
    assert TimestampField(resolution=2).resolution == 100


def test_timestamp_field_rejects_bad_resolution():
    with pytest.raises(ValueError, match="resolution must be one of"):
        TimestampField(resolution=7)


# -- flags and bitmaps -------------------------------------------------------------------------


def make_flags(flag_db):
    class Post(Model):
        flags = BitField()
        is_sticky = flags.flag(1)
        is_favorite = flags.flag(2)
        is_hidden = flags.flag()

        class Meta:
            database = flag_db

    flag_db.create_tables([Post])
    return Post


def test_bit_field_flags_on_instances_and_in_queries(db):
    Post = make_flags(db)
    assert Post.is_hidden._value == 4
    p = Post.create()
    assert p.flags == 0 and not p.is_sticky
    p.is_sticky = True
    p.is_hidden = True
    assert p.flags == 5
    p.save()
    other = Post.create(flags=2)
    assert [x.id for x in Post.select().where(Post.is_sticky)] == [p.id]
    assert [x.id for x in Post.select().where(Post.is_favorite)] == [other.id]
    Post.update(flags=Post.is_favorite.set()).execute()
    Post.update(flags=Post.is_sticky.clear()).execute()
    assert sorted(x.flags for x in Post.select()) == [2, 6]
    assert Post.select().where((Post.flags & 4) != 0).count() == 1
    p.is_hidden = False
    assert p.flags == 1
    with pytest.raises(ValueError):
        p.is_sticky = "yes"


@HYPOTHESIS
@given(value=st.integers(0, 2**63 - 1))
def test_bit_field_round_trips_64_bits(db, value):
    model = table_with(db, BitField())
    assert round_trip(model, value) == value


def test_big_bit_field_bit_operations_and_storage(db):
    model = table_with(db, BigBitField())
    obj = model()
    assert len(obj.value) == 0 and not obj.value.is_set(100)
    obj.value.set_bit(0)
    obj.value.set_bit(100)
    assert obj.value.toggle_bit(5) is True
    assert obj.value.toggle_bit(5) is False
    obj.value.clear_bit(0)
    assert [i for i, bit in enumerate(obj.value) if bit] == [100]
    obj.save()
    stored = model.get_by_id(obj.id)
    assert stored.value.is_set(100) and not stored.value.is_set(0)
    assert bytes(stored.value) == bytes(obj.value)
    stored.value.set_bit(1)
    assert "value" in stored._dirty
    stored.save()
    assert model.get_by_id(obj.id).value.is_set(1)
    assert bytes(stored.value | b"\x01")[0] & 1 == 1
    with pytest.raises(ValueError):
        stored.value = 12


# -- fields without types ----------------------------------------------------------------------


def test_bare_field_and_any_field_on_sqlite(sqlite_db):
    class Loose(Model):
        anything = BareField(null=True)
        number = BareField(adapt=int, null=True)
        other = AnyField(null=True)

        class Meta:
            database = sqlite_db

    sqlite_db.create_tables([Loose])
    obj = Loose.create(anything="x", number="12", other=3.5)
    row = Loose.get_by_id(obj.id)
    assert (row.anything, row.number, row.other) == ("x", 12, 3.5)


# -- NULL --------------------------------------------------------------------------------------

NULLABLE = [
    IntegerField,
    BigIntegerField,
    SmallIntegerField,
    FloatField,
    DoubleField,
    DecimalField,
    CharField,
    FixedCharField,
    TextField,
    BlobField,
    UUIDField,
    BinaryUUIDField,
    BooleanField,
    DateTimeField,
    DateField,
    TimeField,
    TimestampField,
    IPField,
    BitField,
    BigBitField,
]


@pytest.mark.parametrize("field_class", NULLABLE, ids=lambda c: c.__name__)
def test_nullable_fields_round_trip_none(db, field_class):
    model = table_with(db, field_class(null=True, default=None))
    obj = model.create(value=None)
    assert model.get_by_id(obj.id).__data__["value"] is None


@pytest.mark.parametrize("field_class", [IntegerField, CharField, DateTimeField])
def test_not_null_fields_refuse_none(db, field_class):
    from peewee import IntegrityError

    model = table_with(db, field_class())
    with pytest.raises(IntegrityError):
        model.create(value=None)


# -- descriptors, defaults, metadata of fields -------------------------------------------------


def test_descriptor_reads_data_and_marks_dirty():
    class Item(Model):
        name = CharField()
        qty = IntegerField(default=1)

    assert isinstance(Item.name, CharField)
    item = Item(name="a")
    assert item.__data__ == {"name": "a", "qty": 1}
    item._dirty.clear()
    item.qty = 5
    assert item.qty == 5 and item._dirty == {"qty"}


def test_callable_defaults_are_called_per_instance():
    counter = iter(range(100))

    class Item(Model):
        n = IntegerField(default=lambda: next(counter))
        tags = TextField(default="x")

    a, b = Item(), Item()
    assert (a.n, b.n) == (0, 1)
    assert a.tags == b.tags == "x"
    assert Item._meta.defaults[Item.tags] == "x"


def test_field_attributes_and_declaration_order():
    class Item(Model):
        zeta = CharField(help_text="h", verbose_name="Z", choices=[("a", "A")])
        alpha = IntegerField(column_name="alpha_col", index=True)

    assert Item._meta.sorted_field_names == ["id", "zeta", "alpha"]
    assert Item.alpha.column_name == "alpha_col"
    assert Item._meta.columns["alpha_col"] is Item.alpha
    assert Item._meta.combined["alpha_col"] is Item._meta.combined["alpha"]
    assert (Item.zeta.help_text, Item.zeta.verbose_name, Item.zeta.choices) == (
        "h",
        "Z",
        [("a", "A")],
    )
    assert repr(Item.zeta) == "<CharField: Item.zeta>"
    assert repr(IntegerField()) == "<IntegerField: (unbound)>"
    assert hash(Item.zeta) != hash(Item.alpha)
    assert {Item.zeta: 1}[Item.zeta] == 1


def test_db_column_is_an_old_spelling_of_column_name():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        field = CharField(db_column="legacy")
    assert field.column_name == "legacy"
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_field_expressions_render_qualified_columns():
    class Item(Model):
        name = CharField()

    sql, params = Item.select(Item.name).where(Item.name == "x").sql()
    assert sql == 'SELECT "t1"."name" FROM "item" AS "t1" WHERE ("t1"."name" = ?)'
    assert params == ["x"]


def test_custom_field_type_and_conversion(db):
    class ListField(TextField):
        field_type = "TEXT"

        def db_value(self, value):
            return None if value is None else ",".join(value)

        def python_value(self, value):
            return None if value is None else value.split(",")

    model = table_with(db, ListField())
    assert round_trip(model, ["a", "b"]) == ["a", "b"]
    assert model.select().where(model.value == model.value.to_value(["a", "b"])).count() == 1


def test_composite_key_reads_and_assigns_tuples(db):
    class Pair(Model):
        a = IntegerField()
        b = CharField()
        note = TextField(null=True)

        class Meta:
            database = db
            primary_key = CompositeKey("a", "b")

    db.create_tables([Pair])
    obj = Pair.create(a=1, b="x", note="n")
    assert Pair._meta.composite_key and obj._pk == (1, "x")
    key = Pair._meta.primary_key
    assert key.field_names == ("a", "b")
    other = Pair()
    key.__set__(other, (2, "y"))
    assert (other.a, other.b) == (2, "y")
    with pytest.raises(TypeError):
        key.__set__(other, 3)
    with pytest.raises(ValueError):
        key.__set__(other, (1,))
    assert Pair.get(key == (1, "x")).note == "n"


def test_field_base_class_defaults():
    field = Field()
    assert (field.null, field.index, field.unique, field.primary_key) == (False,) * 4
    assert field.db_value(3) == 3 and field.python_value("x") == "x"
    assert field.to_value(3).value == 3


@HYPOTHESIS
@given(
    ops=st.lists(
        st.tuples(st.sampled_from(["set", "clear", "toggle"]), st.integers(0, 200)), max_size=40
    )
)
def test_big_bit_field_matches_a_set_of_bits(sqlite_db, ops):
    model = table_with(sqlite_db, BigBitField())
    obj = model()
    expected: set = set()
    for op, bit in ops:
        if op == "set":
            obj.value.set_bit(bit)
            expected.add(bit)
        elif op == "clear":
            obj.value.clear_bit(bit)
            expected.discard(bit)
        else:
            assert obj.value.toggle_bit(bit) is (bit not in expected)
            expected ^= {bit}
    obj.save()
    stored = model.get_by_id(obj.id).value
    assert {i for i, bit in enumerate(stored) if bit} == expected
    assert all(stored.is_set(i) == (i in expected) for i in range(210))


# -- conversions checked against peewee's --------------------------------------------------------


def test_fixed_char_field_strips_and_cuts_on_write_and_read(db):
    model = table_with(db, FixedCharField(max_length=5))
    field = model.value
    assert field.db_value(" ab  ") == "ab"
    assert field.db_value("abcdefg") == "abcde"
    assert field.db_value("abcd efg") == "abcd"
    assert field.python_value("ab   ") == "ab"
    assert round_trip(model, " ab  ") == "ab"
    assert round_trip(model, "abcdefg") == "abcde"
    assert model.get(model.value == " ab ").value == "ab"


def test_formatted_fields_read_iso_text_before_their_formats():
    field = DateTimeField(formats=["%d/%m/%Y %H:%M"])
    assert field.python_value("06/05/2024 07:08") == datetime.datetime(2024, 5, 6, 7, 8)
    assert field.python_value("2024-05-06 07:08:09") == datetime.datetime(2024, 5, 6, 7, 8, 9)
    assert field.python_value("2024-05-06T07:08:09Z") == datetime.datetime(
        2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)
    assert field.python_value("not a date") == "not a date"
    assert DateField(formats=["%d/%m/%Y"]).python_value("2024-01-02") == datetime.date(2024, 1, 2)
    assert DateField(formats=["%d/%m/%Y"]).python_value("02/01/2024") == datetime.date(2024, 1, 2)
    assert TimeField(formats=["%Hh%M"]).python_value("01h02") == datetime.time(1, 2)
    assert TimeField(formats=["%Hh%M"]).python_value("01:02:03") == datetime.time(1, 2, 3)
    assert TimeField().python_value("2024-01-02 01:02:03") == datetime.time(1, 2, 3)
    assert format_date_time("2024-01-02", ["%d"]) == datetime.datetime(2024, 1, 2)


def test_timestamp_field_class_attributes_and_utc_default():
    import peewee

    assert TimestampField.valid_resolutions == [1, 10, 100, 1000, 10000, 100000, 1000000]
    assert TimestampField.formats == DateTimeField.formats
    assert TimestampField(utc=True).default is peewee.utcnow
    assert TimestampField().default == datetime.datetime.now
    class DayFirst(TimestampField):
        formats = ["%d/%m/%Y"]

    field = DayFirst(utc=True)
    assert field.db_value("02/01/1970") == 86400
    assert field.db_value("1970-01-02 00:00:01") == 86401


def test_timestamp_field_date_parts_convert_the_stored_number(db):
    model = table_with(db, TimestampField(resolution=3, utc=True))
    moment = datetime.datetime(2024, 5, 6, 7, 8, 9, 250000)
    obj = model.create(value=moment)
    query = model.select(model.value.year, model.value.month, model.value.day, model.value.hour,
                         model.value.minute).where(model.id == obj.id)
    assert [int(part) for part in query.tuples().get()] == [2024, 5, 6, 7, 8]
    assert model.select().where(model.value.year == 2024).count() == 1
    seconds = model.value.from_timestamp()
    sql = model.select(seconds).sql()[0]
    assert "/" in sql  # the stored milliseconds are divided by the resolution
    value = model.select(seconds).where(model.id == obj.id).scalar()
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    assert value.replace(tzinfo=None, microsecond=0) == moment.replace(microsecond=0)


def test_composite_key_reads_foreign_key_ids_without_queries(db):
    class Group(Model):
        name = CharField()

        class Meta:
            database = db

    class Member(Model):
        group = ForeignKeyField(Group)
        nick = CharField()

        class Meta:
            database = db
            primary_key = CompositeKey("group", "nick")

    db.create_tables([Group, Member])
    group = Group.create(name="g")
    Member.create(group=group, nick="ann")
    member = Member.get()
    key = Member._meta.primary_key
    assert key.safe_field_names == ["group_id", "nick"]
    assert key.sequence is None
    assert key.__get__(member) == (group.id, "ann")
    assert "group" not in member.__rel__
