"""Field and schema behaviour that differs per backend: precision kept by each column type, values
of the wrong type, collations, truncation, creation order and self-referencing many-to-many."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peewee import (
    BinaryUUIDField,
    CharField,
    DatabaseError,
    DataError,
    DateTimeField,
    DecimalField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    ManyToManyField,
    ProgrammingError,
    Model,
    MySQLDatabase,
    TextField,
    TimeField,
    TimestampField,
    UUIDField,
)

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def holder(database, table_name, **fields):
    class Meta:
        pass

    Meta.database = database
    Meta.table_name = table_name
    attrs = dict(fields, Meta=Meta, __module__=__name__)
    model = type("Holder", (Model,), attrs)
    database.create_tables([model])
    return model


# -- precision ---------------------------------------------------------------------------------


@pytest.mark.backends("postgres", "mysql")
@HYPOTHESIS
@given(value=st.decimals(min_value=-(10**20) + 1, max_value=10**20 - 1, places=10))
def test_decimal_field_keeps_thirty_digits_on_servers(db, value):
    # Far beyond a float's 15-17 significant digits: the NUMERIC column keeps every one.
    model = holder(db, "dec30", value=DecimalField(max_digits=30, decimal_places=10))
    obj = model.create(value=value)
    result = model.get_by_id(obj.id).value
    assert isinstance(result, decimal.Decimal)
    assert result == value
    assert result.as_tuple().exponent == -10  # the declared scale comes back


def test_decimal_field_rounds_to_the_column_scale(db):
    model = holder(db, "dec2", value=DecimalField(max_digits=8, decimal_places=2, auto_round=True))
    obj = model.create(value=decimal.Decimal("2.675"))
    assert model.get_by_id(obj.id).value == decimal.Decimal("2.68")  # ROUND_HALF_EVEN on 2.675


@pytest.mark.backends("mysql")
def test_mysql_datetime_and_time_columns_have_whole_seconds(db):
    model = holder(db, "moments", at=DateTimeField(), clock=TimeField())
    value = datetime.datetime(2024, 5, 6, 7, 8, 9, 654321)
    obj = model.create(at=value, clock=value.time())
    row = model.get_by_id(obj.id)
    # DATETIME and TIME without a precision drop the fraction (MariaDB truncates, MySQL rounds).
    assert row.at.microsecond == 0 and abs(row.at - value) < datetime.timedelta(seconds=1)
    assert row.clock.microsecond == 0 and row.clock.replace(second=0) == value.time().replace(
        second=0, microsecond=0
    )


@pytest.mark.backends("mysql")
def test_mysql_field_types_override_keeps_microseconds(db):
    params = dict(db.connect_params)
    precise = MySQLDatabase(
        db.database, field_types={"DATETIME": "DATETIME(6)", "TIME": "TIME(6)"}, **params
    )
    try:
        model = holder(precise, "moments6", at=DateTimeField(), clock=TimeField())
        value = datetime.datetime(2024, 5, 6, 7, 8, 9, 654321)
        obj = model.create(at=value, clock=value.time())
        row = model.get_by_id(obj.id)
        assert (row.at, row.clock) == (value, value.time())
    finally:
        precise.close()


# -- values of the wrong type ------------------------------------------------------------------


def test_wrong_type_for_integer_field(db, backend):
    # As in peewee, IntegerField tries int() and sends what it cannot convert to the database,
    # which refuses it with DataError naming the value (SQLite's type affinity keeps the text).
    model = holder(db, "numbers", value=IntegerField(null=True))
    if backend == "sqlite":
        obj = model.create(value="abc")
        assert model.get_by_id(obj.id).value == "abc"
        return
    with pytest.raises(DataError) as caught:
        with db.atomic():
            model.create(value="abc")
    assert "abc" in str(caught.value) and "integer" in str(caught.value).lower()
    assert model.select().count() == 0


def test_malformed_uuid_string_is_refused_before_it_reaches_the_table(db):
    model = holder(db, "tokens", value=UUIDField(null=True))
    # Refused when converted, on every backend: a text column would otherwise keep the value and
    # every later read of the row would fail.  The error is a DataError (what PostgreSQL reports
    # for it) and a ValueError.
    for bad in ("not-a-uuid", "z" * 32, 12345):
        with pytest.raises(DataError, match="is not a UUID for Holder.value"):
            model.create(value=bad)
        with pytest.raises(ValueError):
            model.insert_many([{"value": bad}, {"value": None}]).execute()
    assert model.select().count() == 0
    good = uuid.uuid4()
    obj = model.create(value=str(good))
    assert model.get_by_id(obj.id).value == good
    assert model.get(model.value == good.hex).id == obj.id
    # Lookups convert the same way: the same error on every backend (PostgreSQL's DataError).
    with pytest.raises(DataError):
        model.get(model.value == "not-a-uuid")


@pytest.mark.backends("sqlite", "postgres")  # pymysql sends str() of any object
def test_value_the_driver_cannot_adapt(db):
    model = holder(db, "numbers", value=IntegerField(null=True))
    with pytest.raises(ProgrammingError):
        with db.atomic():
            model.create(value=object())


def test_choices_are_metadata_and_not_enforced(db):
    model = holder(db, "kinds", kind=IntegerField(choices=((1, "food"), (2, "tool"))))
    obj = model.create(kind=5)
    assert model.get_by_id(obj.id).kind == 5
    assert dict(model.kind.choices) == {1: "food", 2: "tool"}


def test_malformed_decimal_is_refused_before_it_reaches_the_table(db):
    model = holder(db, "prices", value=DecimalField(null=True))
    for bad in ("ten", "1.2.3", b"abc"):
        with pytest.raises(DataError, match="is not a decimal number for Holder.value") as caught:
            model.create(value=bad)
        assert isinstance(caught.value, ValueError)
    obj = model.create(value="12.50")
    model.update(value="abc").where(model.id == obj.id)  # building the query is fine
    with pytest.raises(DataError):
        model.update(value="abc").where(model.id == obj.id).execute()
    assert model.get_by_id(obj.id).value == decimal.Decimal("12.50")
    with pytest.raises(DataError):
        DecimalField(auto_round=True).db_value("ten")


def test_strict_sqlite_table_refuses_wrong_types(sqlite_db):
    class Meta:
        database = sqlite_db
        strict_tables = True

    model = type("Strict", (Model,), {"value": IntegerField(), "Meta": Meta})
    sqlite_db.create_tables([model])
    with pytest.raises(IntegrityError, match="cannot store TEXT value in INTEGER column"):
        model.create(value="abc")
    obj = model.create(value="12")  # numeric strings are converted before they are sent
    assert model.get_by_id(obj.id).value == 12


# -- collation ---------------------------------------------------------------------------------

COLLATIONS = {"sqlite": "NOCASE", "postgres": '"C"', "mysql": "utf8mb4_bin"}


def test_collation_is_applied_to_the_column(db, backend):
    model = holder(db, "words", word=CharField(collation=COLLATIONS[backend]))
    for word in ("b", "B", "a"):
        model.create(word=word)
    if backend == "sqlite":
        # NOCASE: comparisons ignore case.
        assert model.select().where(model.word == "A").count() == 1
        return
    if backend == "postgres":
        sql = (
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_name = 'words' AND column_name = 'word'"
        )
    else:
        sql = (
            "SELECT collation_name FROM information_schema.columns "
            "WHERE table_schema = DATABASE() AND table_name = 'words' AND column_name = 'word'"
        )
    assert db.execute_sql(sql).fetchone()[0] == COLLATIONS[backend].strip('"')
    # Binary and "C" collations order capitals first and compare case-sensitively.
    assert [m.word for m in model.select().order_by(model.word)] == ["B", "a", "b"]
    assert model.select().where(model.word == "A").count() == 0


# -- truncation and creation order -------------------------------------------------------------


def test_truncate_table_restart_identity(db):
    model = holder(db, "counted", label=TextField())
    model.create(label="x")
    model.create(label="y")
    model.truncate_table(restart_identity=True)
    assert model.select().count() == 0
    assert model.create(label="z").id == 1


def test_truncate_restart_identity_sql_per_backend(db, backend):
    model = holder(db, "counted", label=TextField())
    sql = model._schema._truncate_table(restart_identity=True).query()[0]
    expected = {
        "sqlite": 'DELETE FROM "counted"',
        "postgres": 'TRUNCATE TABLE "counted" RESTART IDENTITY',
        "mysql": "TRUNCATE TABLE `counted`",  # MySQL's TRUNCATE always resets AUTO_INCREMENT
    }
    assert sql == expected[backend]


def test_create_and_drop_tables_follow_dependencies(db):
    class Base(Model):
        class Meta:
            database = db

    class Country(Base):
        name = CharField()

    class City(Base):
        country = ForeignKeyField(Country, on_delete="CASCADE")

    class Street(Base):
        city = ForeignKeyField(City)

    statements = []
    execute_sql = db.execute_sql

    def record(sql, params=None, *args, **kwargs):
        if sql.startswith(("CREATE TABLE", "DROP TABLE")):
            statements.append(sql.split("(")[0].replace("`", '"').strip())
        return execute_sql(sql, params, *args, **kwargs)

    db.execute_sql = record
    try:
        db.create_tables([Street, City, Country])  # listed backwards
        db.create_tables([Street, City, Country], safe=True)  # already there: no error
        Street.create(city=City.create(country=Country.create(name="x")))
        db.drop_tables([Country, Street, City], safe=True)
        db.drop_tables([Country, Street, City], safe=True)  # already gone: no error
    finally:
        del db.execute_sql
    create = 'CREATE TABLE IF NOT EXISTS "%s"'
    drop = 'DROP TABLE IF EXISTS "%s"'
    expected_create = [create % name for name in ("country", "city", "street")]
    expected_drop = [drop % name for name in ("street", "city", "country")]
    # The second, safe round may skip tables that exist (MySQL checks first) or emit IF NOT EXISTS.
    assert statements[:3] == expected_create
    drops = [sql for sql in statements if sql.startswith("DROP")]
    assert drops[:3] == expected_drop and len(drops) in (3, 6)
    assert not any(db.table_exists(name) for name in ("country", "city", "street"))


def test_create_tables_without_safe_refuses_existing_tables(db):
    model = holder(db, "once", label=TextField())
    with pytest.raises(DatabaseError):
        with db.atomic():
            db.create_tables([model], safe=False)


# -- many-to-many --------------------------------------------------------------------------------


def test_deferred_foreign_key_to_a_model_declared_earlier_is_resolved_on_request(db):
    class Early(Model):
        class Meta:
            database = db

    class Late(Model):
        early = DeferredForeignKey("Early", null=True)

        class Meta:
            database = db

    assert isinstance(Late._meta.fields["early"], DeferredForeignKey)
    DeferredForeignKey.resolve(Early)
    assert isinstance(Late.early, ForeignKeyField) and Late.early.rel_model is Early
    db.create_tables([Early, Late])
    late = Late.create(early=Early.create())
    assert Late.get_by_id(late.id).early.id == late.early_id


def test_many_to_many_to_self_is_refused():
    with pytest.raises(ValueError, match="cannot refer to 'self'"):

        class Person(Model):
            friends = ManyToManyField("self")


# -- referential actions -------------------------------------------------------------------------


def enforce_foreign_keys(database):
    if database.__class__.__name__.startswith("Sqlite"):
        database.pragma("foreign_keys", 1, permanent=True)


def test_foreign_key_to_a_unique_column_follows_updates_and_deletes(db):
    enforce_foreign_keys(db)

    class Base(Model):
        class Meta:
            database = db

    class Account(Base):
        login = CharField(unique=True, max_length=40)

    class Login(Base):
        account = ForeignKeyField(Account, field="login", on_update="CASCADE", on_delete="CASCADE")

    class Note(Base):
        account = ForeignKeyField(Account, null=True, on_delete="SET NULL")

    db.create_tables([Account, Login, Note])
    ada = Account.create(login="ada")
    Login.create(account=ada)
    note = Note.create(account=ada)
    assert Login.get().account_id == "ada"
    Account.update(login="ada2").where(Account.id == ada.id).execute()
    assert Login.get().account_id == "ada2"
    assert Login.get().account.id == ada.id
    with pytest.raises(IntegrityError):
        with db.atomic():
            Login.create(account="nobody")
    Account.delete().execute()
    assert Login.select().count() == 0
    assert Note.get_by_id(note.id).account_id is None


@pytest.mark.backends("sqlite", "postgres")  # MySQL and MariaDB have no deferred constraints
def test_deferrable_foreign_key_is_checked_at_commit(db):
    enforce_foreign_keys(db)

    class Node(Model):
        parent = ForeignKeyField("self", null=True, deferrable="INITIALLY DEFERRED")

        class Meta:
            database = db

    db.create_tables([Node])
    with db.atomic():
        Node.create(parent=50)  # refers to a row that does not exist yet
        Node.create(id=50)
    assert Node.select().count() == 2
    with pytest.raises(IntegrityError):
        with db.atomic():
            Node.create(parent=999)
    assert Node.select().count() == 2


# -- binding in filters and indexes ----------------------------------------------------------------


def test_decimal_and_time_values_bind_in_writes_and_filters(db):
    model = holder(
        db,
        "stock",
        price=DecimalField(max_digits=10, decimal_places=2),
        opens=TimeField(),
    )
    model.create(price=decimal.Decimal("9.99"), opens=datetime.time(8, 30))
    model.create(price=decimal.Decimal("20.00"), opens=datetime.time(12, 0))
    cheap = model.select().where(model.price < decimal.Decimal("10.50"))
    assert [row.opens for row in cheap] == [datetime.time(8, 30)]
    early = model.select().where(model.opens == datetime.time(8, 30))
    assert [row.price for row in early] == [decimal.Decimal("9.99")]
    raw = db.execute_sql(
        "SELECT COUNT(*) FROM stock WHERE price > %s" % db.dialect.param, (decimal.Decimal("5"),)
    )
    assert raw.fetchone()[0] == 2
    model.update(price=model.price + decimal.Decimal("0.01")).where(
        model.opens == datetime.time(12, 0)
    ).execute()
    assert model.get(model.opens == datetime.time(12, 0)).price == decimal.Decimal("20.01")


def test_meta_indexes_and_add_index_are_enforced(db):
    class Slot(Model):
        room = CharField(max_length=20)
        day = IntegerField()
        hour = IntegerField()
        owner = CharField(max_length=20)

        class Meta:
            database = db
            indexes = ((("room", "day", "hour"), True),)

    Slot.add_index(Slot.owner, Slot.day, unique=True)
    db.create_tables([Slot])
    names = {ix.name for ix in db.get_indexes("slot")}
    assert {"slot_room_day_hour", "slot_owner_day"} <= names
    Slot.create(room="a", day=1, hour=9, owner="x")
    for duplicate in (
        dict(room="a", day=1, hour=9, owner="y"),  # same room, day and hour
        dict(room="b", day=1, hour=10, owner="x"),  # same owner and day
    ):
        with pytest.raises(IntegrityError):
            with db.atomic():
                Slot.create(**duplicate)
    Slot.create(room="a", day=2, hour=9, owner="x")
    assert Slot.select().count() == 2


@pytest.mark.backends("mysql")
def test_mysql_four_byte_characters_need_a_utf8mb4_table(db):
    narrow_meta = type("Meta", (), {"database": db, "table_settings": ["DEFAULT CHARSET=latin1"]})
    wide_meta = type("Meta", (), {"database": db, "table_settings": ["DEFAULT CHARSET=utf8mb4"]})
    narrow = type("Narrow", (Model,), {"text": CharField(), "Meta": narrow_meta})
    wide = type("Wide", (Model,), {"text": CharField(), "Meta": wide_meta})
    db.create_tables([narrow, wide])
    value = "caf\u00e9 \U0001f600 \U00020000"
    with pytest.raises(DatabaseError, match="Incorrect string value"):
        with db.atomic():
            narrow.create(text=value)
    obj = wide.create(text=value)
    assert wide.get_by_id(obj.id).text == value


def test_many_to_many_needs_a_model_class():
    with pytest.raises(TypeError, match="needs the related model class, not the name 'Other'"):

        class Person(Model):
            friends = ManyToManyField("Other")


@pytest.mark.backends("postgres")
def test_sequence_in_a_schema(db):
    db.execute_sql("CREATE SCHEMA IF NOT EXISTS seq_schema")
    try:

        class Ticket(Model):
            number = IntegerField(sequence="ticket_number_seq")

            class Meta:
                database = db
                schema = "seq_schema"

        sql = Ticket._schema._create_table().query()[0]
        assert "DEFAULT NEXTVAL('seq_schema.ticket_number_seq')" in sql
        db.create_tables([Ticket])
        Ticket.insert({}).execute()
        Ticket.insert({}).execute()
        assert [t.number for t in Ticket.select().order_by(Ticket.id)] == [1, 2]
        Ticket.drop_table()
    finally:
        db.execute_sql("DROP SCHEMA seq_schema CASCADE")


@pytest.fixture
def new_york_time():
    import os
    import time

    previous = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = previous
        time.tzset()


def test_timestamp_field_local_time_and_utc(db, new_york_time):
    model = holder(
        db,
        "stamps",
        local=TimestampField(),
        utc=TimestampField(utc=True, resolution=3),
    )
    value = datetime.datetime(2021, 7, 1, 12, 0, 0, 250000)  # EDT: UTC-4
    obj = model.create(local=value.replace(microsecond=0), utc=value)
    row = db.execute_sql("SELECT local, utc FROM stamps").fetchone()
    assert tuple(row) == (1625155200, 1625140800250)  # 16:00 UTC, then 12:00 UTC in milliseconds
    stored = model.get_by_id(obj.id)
    assert (stored.local, stored.utc) == (value.replace(microsecond=0), value)


def test_malformed_binary_uuid_is_refused_before_it_reaches_the_table(db):
    model = holder(db, "raw_tokens", value=BinaryUUIDField(null=True))
    for bad in ("not-a-uuid", "z" * 32, b"short", 42):
        with pytest.raises(ValueError, match="is not a UUID for Holder.value"):
            model.create(value=bad)
    assert model.select().count() == 0
    good = uuid.uuid4()
    assert model.get_by_id(model.create(value=good.hex).id).value == good
