"""Schema management: CREATE TABLE text per backend, indexes, constraints, sequences, truncation,
dependency ordering and model metadata."""

from __future__ import annotations

import datetime
import decimal
import sqlite3

import pytest

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    Check,
    CompositeKey,
    Context,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Index,
    IntegrityError,
    Model,
    ModelIndex,
    MySQLDatabase,
    PostgresqlDatabase,
    SchemaManager,
    SqliteDatabase,
    Table,
    TextField,
    ValueLiterals,
    fn,
)
from peewee.metadata import Metadata, make_snake_case
from peewee.schema import sort_models

DIALECTS = {
    "sqlite": SqliteDatabase(":memory:"),
    "postgres": PostgresqlDatabase("peewee_test"),
    "mysql": MySQLDatabase("peewee_test"),
}


def ddl(model, backend="sqlite", **options):
    return SchemaManager(model, DIALECTS[backend])._create_table(**options).query()[0]


def index_sql(model, backend="sqlite"):
    return [ctx.query() for ctx in SchemaManager(model, DIALECTS[backend])._create_indexes()]


def blog():
    class User(Model):
        username = CharField(unique=True)

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets", on_delete="CASCADE")
        content = TextField(null=True, constraints=[SQL("DEFAULT ''")])
        price = DecimalField(max_digits=8, decimal_places=2, constraints=[Check("price > 0")])
        parent = ForeignKeyField("self", null=True)

        class Meta:
            indexes = ((("user", "content"), True),)

    return User, Tweet


# -- DDL text ----------------------------------------------------------------------------------


def test_create_table_sql_per_backend():
    User, Tweet = blog()
    assert ddl(User) == (
        'CREATE TABLE IF NOT EXISTS "user" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"username" VARCHAR(255) NOT NULL)'
    )
    assert ddl(User, "postgres") == (
        'CREATE TABLE IF NOT EXISTS "user" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"username" VARCHAR(255) NOT NULL)'
    )
    assert ddl(User, "mysql") == (
        "CREATE TABLE IF NOT EXISTS `user` (`id` INTEGER AUTO_INCREMENT NOT NULL PRIMARY KEY, "
        "`username` VARCHAR(255) NOT NULL)"
    )
    assert ddl(Tweet, safe=False) == (
        'CREATE TABLE "tweet" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, '
        '"content" TEXT DEFAULT \'\', "price" DECIMAL(8, 2) NOT NULL CHECK (price > 0), '
        '"parent_id" INTEGER, FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("parent_id") REFERENCES "tweet" ("id"))'
    )
    assert ddl(Tweet, "postgres").startswith(
        'CREATE TABLE IF NOT EXISTS "tweet" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"user_id" INTEGER NOT NULL, "content" TEXT DEFAULT \'\', "price" NUMERIC(8, 2) NOT NULL'
    )


def test_column_types_per_backend():
    from peewee import (
        BigAutoField,
        BigIntegerField,
        BinaryUUIDField,
        BlobField,
        DateField,
        DoubleField,
        FixedCharField,
        FloatField,
        SmallIntegerField,
        TimeField,
        UUIDField,
    )

    class Every(Model):
        id = BigAutoField()
        a = SmallIntegerField()
        b = BigIntegerField()
        c = FloatField()
        d = DoubleField()
        e = BlobField()
        f = UUIDField()
        g = BinaryUUIDField()
        h = BooleanField()
        i = DateTimeField()
        j = DateField()
        k = TimeField()
        m = FixedCharField(max_length=3)

    cols = ", ".join(
        '"%s" %s NOT NULL' % pair
        for pair in zip(
            "abcdefghijkm",
            "INTEGER INTEGER REAL REAL BLOB TEXT BLOB INTEGER DATETIME DATE TIME CHAR(3)".split(),
        )
    )
    assert ddl(Every) == (
        'CREATE TABLE IF NOT EXISTS "every" ("id" INTEGER NOT NULL PRIMARY KEY, %s)' % cols
    )
    pg_types = [
        "SMALLINT",
        "BIGINT",
        "REAL",
        "DOUBLE PRECISION",
        "BYTEA",
        "UUID",
        "BYTEA",
        "BOOLEAN",
        "TIMESTAMP",
        "DATE",
        "TIME",
        "CHAR(3)",
    ]
    cols = ", ".join('"%s" %s NOT NULL' % pair for pair in zip("abcdefghijkm", pg_types))
    assert ddl(Every, "postgres") == (
        'CREATE TABLE IF NOT EXISTS "every" ("id" BIGSERIAL NOT NULL PRIMARY KEY, %s)' % cols
    )
    my_types = [
        "SMALLINT",
        "BIGINT",
        "FLOAT",
        "DOUBLE PRECISION",
        "BLOB",
        "VARCHAR(40)",
        "VARBINARY(16)",
        "BOOL",
        "DATETIME",
        "DATE",
        "TIME",
        "CHAR(3)",
    ]
    cols = ", ".join("`%s` %s NOT NULL" % pair for pair in zip("abcdefghijkm", my_types))
    assert ddl(Every, "mysql") == (
        "CREATE TABLE IF NOT EXISTS `every` (`id` BIGINT AUTO_INCREMENT NOT NULL PRIMARY KEY, %s)"
        % cols
    )


def test_composite_primary_key_schema_and_collation():
    class Pair(Model):
        a = IntegerField()
        b = CharField(collation="NOCASE", null=True, constraints=[SQL("CHECK (1)")])

        class Meta:
            primary_key = CompositeKey("a", "b")
            schema = "main"

    assert ddl(Pair) == (
        'CREATE TABLE IF NOT EXISTS "main"."pair" ("a" INTEGER NOT NULL, '
        '"b" VARCHAR(255) CHECK (1) COLLATE NOCASE, PRIMARY KEY ("a", "b"))'
    )


def test_foreign_key_options_and_names():
    class Big(Model):
        code = CharField(unique=True)

    class Ref(Model):
        big = ForeignKeyField(
            Big,
            field="code",
            on_update="CASCADE",
            deferrable="INITIALLY DEFERRED",
            constraint_name="fk_ref_big",
        )

    assert ddl(Ref, "postgres") == (
        'CREATE TABLE IF NOT EXISTS "ref" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"big_id" VARCHAR(255) NOT NULL, CONSTRAINT "fk_ref_big" FOREIGN KEY ("big_id") '
        'REFERENCES "big" ("code") ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED)'
    )
    sql, _ = SchemaManager(Ref, DIALECTS["postgres"])._create_foreign_key(Ref.big).query()
    assert sql.startswith('ALTER TABLE "ref" ADD CONSTRAINT "fk_ref_big" FOREIGN KEY ("big_id")')

    class Other(Model):
        big = ForeignKeyField(Big)

    sql, _ = SchemaManager(Other, DIALECTS["mysql"])._create_foreign_key(Other.big).query()
    assert sql == (
        "ALTER TABLE `other` ADD CONSTRAINT `fk_other_big_id_refs_big` FOREIGN KEY (`big_id`) "
        "REFERENCES `big` (`id`)"
    )


def test_table_options_settings_and_sqlite_flags():
    class Log(Model):
        msg = TextField()

        class Meta:
            table_settings = ["ENGINE=InnoDB", "DEFAULT CHARSET=utf8mb4"]
            legacy_table_names = False

    assert ddl(Log, "mysql").endswith(
        "(`id` INTEGER AUTO_INCREMENT NOT NULL PRIMARY KEY, "
        "`msg` TEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
    )

    class KeyValue(Model):
        key = TextField(primary_key=True)
        value = IntegerField()

        class Meta:
            without_rowid = True
            strict_tables = True

    assert ddl(KeyValue).endswith('"value" INTEGER NOT NULL) STRICT, WITHOUT ROWID')
    assert ddl(KeyValue, temporary=True).startswith(
        'CREATE TEMPORARY TABLE IF NOT EXISTS "keyvalue"'
    )


def test_index_sql_and_names():
    User, Tweet = blog()
    assert index_sql(User) == [
        ('CREATE UNIQUE INDEX IF NOT EXISTS "user_username" ON "user" ("username")', [])
    ]
    assert [sql for sql, _ in index_sql(Tweet)] == [
        'CREATE INDEX IF NOT EXISTS "tweet_user_id" ON "tweet" ("user_id")',
        'CREATE INDEX IF NOT EXISTS "tweet_parent_id" ON "tweet" ("parent_id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS "tweet_user_id_content" ON "tweet" ("user_id", "content")',
    ]
    assert [sql for sql, _ in index_sql(User, "mysql")] == [
        "CREATE UNIQUE INDEX `user_username` ON `user` (`username`)"
    ]
    manager = SchemaManager(Tweet, DIALECTS["sqlite"])
    partial = Tweet.index(Tweet.content, Tweet.price, unique=True, where=(Tweet.price > 3))
    assert manager._create_index(partial).query() == (
        'CREATE UNIQUE INDEX IF NOT EXISTS "tweet_content_price" ON "tweet" ("content", "price") '
        'WHERE ("price" > 3)',
        [],
    )
    pg_manager = SchemaManager(Tweet, DIALECTS["postgres"])
    assert pg_manager._create_index(partial).query()[1] == [3]
    lower = Tweet.index(fn.lower(Tweet.content), name="tweet_lower_content")
    assert manager._create_index(lower).query()[0] == (
        'CREATE INDEX IF NOT EXISTS "tweet_lower_content" ON "tweet" (lower("content"))'
    )
    with pytest.raises(ValueError):
        Tweet.index(fn.lower(Tweet.content))
    assert manager._drop_index(partial).query()[0] == 'DROP INDEX IF EXISTS "tweet_content_price"'


def test_long_index_names_are_truncated_with_a_hash():
    class VeryLongModelNameForIndexes(Model):
        a_really_long_column_name_number_one = IntegerField()
        a_really_long_column_name_number_two = IntegerField()

    model = VeryLongModelNameForIndexes
    index = ModelIndex(
        model,
        (model.a_really_long_column_name_number_one, model.a_really_long_column_name_number_two),
    )
    assert len(index._name) == 64
    assert index._name.startswith("verylongmodelnameforindexes_a_really_long_column")


def test_drop_and_truncate_sql():
    User, _ = blog()
    sqlite = SchemaManager(User, DIALECTS["sqlite"])
    assert sqlite._drop_table().query()[0] == 'DROP TABLE IF EXISTS "user"'
    assert sqlite._drop_table(safe=False, cascade=True).query()[0] == 'DROP TABLE "user" CASCADE'
    assert sqlite._truncate_table().query()[0] == 'DELETE FROM "user"'
    pg = SchemaManager(User, DIALECTS["postgres"])
    assert pg._truncate_table(restart_identity=True, cascade=True).query()[0] == (
        'TRUNCATE TABLE "user" RESTART IDENTITY CASCADE'
    )


# -- against real databases --------------------------------------------------------------------


def make_blog(database):
    User, Tweet = blog()
    for model in (User, Tweet):
        model._meta.set_database(database)
    return User, Tweet


def test_create_and_drop_tables(db):
    User, Tweet = make_blog(db)
    assert not User.table_exists()
    User.create_table()
    Tweet.create_table()
    assert User.table_exists() and Tweet.table_exists()
    User.create_table()  # safe: no error when it exists
    index_names = {ix.name for ix in db.get_indexes("tweet")}
    assert {"tweet_user_id", "tweet_user_id_content", "tweet_parent_id"} <= index_names
    Tweet.drop_table()
    User.drop_table()
    assert not User.table_exists() and not Tweet.table_exists()


def test_unique_and_check_constraints_are_enforced(db):
    User, Tweet = make_blog(db)
    db.create_tables([User, Tweet])
    alice = User.create(username="alice")
    with pytest.raises(IntegrityError):
        User.create(username="alice")
    with pytest.raises(IntegrityError):  # a failed CHECK is an integrity error on every backend
        Tweet.create(user=alice, price=-1)
    Tweet.create(user=alice, price=5, content="x")
    with pytest.raises(IntegrityError):
        Tweet.create(user=alice, price=6, content="x")  # unique (user, content)


def test_not_null_is_enforced(db):
    User, _ = make_blog(db)
    db.create_tables([User])
    with pytest.raises(IntegrityError):
        User.insert(username=None).execute()


@pytest.mark.backends("sqlite", "postgres")  # MySQL and MariaDB have no partial indexes
def test_add_index_and_partial_index(db):
    class Item(Model):
        name = CharField()
        active = BooleanField(default=True)

        class Meta:
            database = db

    Item.add_index(Item.name, unique=True, name="item_active_name", where=(Item.active == True))  # noqa: E712
    db.create_tables([Item])
    Item.create(name="a", active=True)
    Item.create(name="a", active=False)
    with pytest.raises(IntegrityError):
        Item.create(name="a", active=True)


def test_expression_index_and_add_index_with_sql(db):
    class Word(Model):
        text = CharField()

        class Meta:
            database = db

    if db.__class__.__name__.startswith("MySQL"):
        Word.add_index(SQL("CREATE UNIQUE INDEX word_text ON word (text)"))
    else:
        Word.add_index(Word.index(fn.lower(Word.text), unique=True, name="word_lower_text"))
    db.create_tables([Word])
    Word.create(text="Hello")
    with pytest.raises(IntegrityError):
        Word.create(text="hello" if not db.__class__.__name__.startswith("MySQL") else "Hello")


def test_composite_primary_key_is_enforced(db):
    class Pair(Model):
        a = IntegerField()
        b = IntegerField()

        class Meta:
            database = db
            primary_key = CompositeKey("a", "b")

    db.create_tables([Pair])
    Pair.create(a=1, b=2)
    Pair.create(a=1, b=3)
    with pytest.raises(IntegrityError):
        Pair.create(a=1, b=2)


def test_truncate_table(db):
    User, _ = make_blog(db)
    db.create_tables([User])
    User.create(username="a")
    User.truncate_table()
    assert User.select().count() == 0


@pytest.mark.backends("postgres")
def test_sequences_on_postgres(db):
    class Seq(Model):
        number = IntegerField(sequence="seq_number_seq")

        class Meta:
            database = db

    db.create_tables([Seq])
    assert db.sequence_exists("seq_number_seq")
    assert ddl(Seq, "postgres").endswith(
        "\"number\" INTEGER NOT NULL DEFAULT NEXTVAL('seq_number_seq'))"
    )
    first = Seq.insert({}).execute()
    Seq.insert({}).execute()
    assert [s.number for s in Seq.select().order_by(Seq.id)] == [1, 2]
    assert first == 1
    Seq.drop_table()
    assert not db.sequence_exists("seq_number_seq")


def test_sequences_are_refused_where_unsupported(sqlite_db):
    class Seq(Model):
        number = IntegerField(sequence="seq_number_seq")

        class Meta:
            database = sqlite_db

    with pytest.raises(ValueError):
        Seq._schema.create_sequence(Seq.number)


def test_temporary_table(db):
    class Scratch(Model):
        value = IntegerField()

        class Meta:
            database = db
            temporary = True

    with db.connection_context():
        Scratch.create_table()
        Scratch.create(value=1)
        assert Scratch.select().count() == 1
        Scratch.drop_table()


@pytest.mark.skipif(sqlite3.sqlite_version_info < (3, 37), reason="STRICT needs SQLite 3.37")
def test_strict_and_without_rowid_tables_on_sqlite(sqlite_db):
    class KeyValue(Model):
        key = TextField(primary_key=True)
        value = IntegerField()

        class Meta:
            database = sqlite_db
            strict_tables = True
            without_rowid = True

    sqlite_db.create_tables([KeyValue])
    KeyValue.create(key="a", value=1)
    with pytest.raises(IntegrityError):
        KeyValue.insert(key="b", value="not a number").execute()


@pytest.mark.backends("mysql")
def test_table_settings_on_mysql(db):
    class Log(Model):
        msg = TextField()

        class Meta:
            database = db
            table_settings = ["ENGINE=MyISAM"]

    db.create_tables([Log])
    cursor = db.execute_sql(
        "SELECT engine FROM information_schema.tables WHERE table_schema = DATABASE() "
        "AND table_name = 'log'"
    )
    assert cursor.fetchone()[0] == "MyISAM"


# -- ordering and metadata ---------------------------------------------------------------------


def test_sort_models_orders_by_dependencies():
    class A(Model):
        pass

    class C(Model):
        a = ForeignKeyField(A)

    class B(Model):
        c = ForeignKeyField(C)
        parent = ForeignKeyField("self", null=True)

    class D(Model):
        class Meta:
            depends_on = [B]

    assert sort_models([D, B, C, A]) == [A, C, B, D]
    assert sort_models([B, A]) == [A, B]


def test_metadata_table_names_and_table():
    class UserProfile(Model):
        name = CharField()

    class HTTPRequestLog(Model):
        class Meta:
            legacy_table_names = False

    class Custom(Model):
        class Meta:
            table_function = lambda model: "tbl_" + model.__name__.lower()  # noqa: E731

    assert UserProfile._meta.table_name == "userprofile"
    assert HTTPRequestLog._meta.table_name == "http_request_log"
    assert Custom._meta.table_name == "tbl_custom"
    assert make_snake_case("UserProfile") == "user_profile"
    table = UserProfile._meta.table
    assert table is UserProfile._meta.table
    UserProfile._meta.set_table_name("profiles")
    assert UserProfile._meta.table is not table
    assert UserProfile.select().sql()[0] == 'SELECT "t1"."id", "t1"."name" FROM "profiles" AS "t1"'
    with pytest.raises(AttributeError):
        UserProfile._meta.table = table


def test_metadata_add_and_remove_fields():
    class Item(Model):
        name = CharField()

    meta = Item._meta
    meta.add_field("qty", IntegerField(default=2))
    assert meta.sorted_field_names == ["id", "name", "qty"]
    assert Item.qty.model is Item and Item().qty == 2
    assert meta.get_default_dict() == {"qty": 2}
    assert Item.select().sql()[0] == 'SELECT "t1"."id", "t1"."name", "t1"."qty" FROM "item" AS "t1"'
    meta.remove_field("qty")
    assert meta.sorted_field_names == ["id", "name"] and meta.get_default_dict() == {}
    assert meta.get_primary_keys() == (Item.id,)
    assert meta.get_fields() == [Item.id, Item.name] and meta.get_field_names() == ["id", "name"]
    assert meta.db_table == "item"
    assert isinstance(meta.primary_key, AutoField) and meta.auto_increment


def test_metadata_extra_options_and_primary_key_false():
    class NoKey(Model):
        value = IntegerField()

        class Meta:
            primary_key = False
            custom_option = "x"

    assert NoKey._meta.primary_key is False
    assert NoKey._meta.get_primary_keys() == ()
    assert NoKey._meta.custom_option == "x"
    assert "custom_option" in NoKey._meta._additional_keys
    assert isinstance(NoKey._meta, Metadata)


def test_model_graph():
    class A(Model):
        pass

    class B(Model):
        a = ForeignKeyField(A)

    class C(Model):
        b = ForeignKeyField(B)

    graph = C._meta.model_graph(backrefs=False)
    assert [m for _, m, _ in graph] == [C, B, A]
    graph = A._meta.model_graph(refs=False)
    assert [(fk, m, back) for fk, m, back in graph] == [
        (None, A, None),
        (B.a, B, True),
        (C.b, C, True),
    ]


def test_create_table_as_copies_a_query(db):
    User, _ = make_blog(db)
    db.create_tables([User])
    User.create(username="a")
    User.create(username="b")
    User._schema.create_table_as("user_copy", User.select().where(User.username == "b"))
    try:
        cursor = db.execute_sql("SELECT id, username FROM user_copy")
        assert [row[1] for row in cursor.fetchall()] == ["b"]
    finally:
        db.execute_sql("DROP TABLE user_copy")


def test_partial_index_values_are_inlined_on_sqlite(sqlite_db):
    class Tag(Model):
        name = CharField()
        kind = CharField()

        class Meta:
            database = sqlite_db

    index = Tag.index(Tag.name, unique=True, where=(Tag.kind == "o'k") & Tag.kind.in_(["a", "o'k"]))
    sql, params = Tag._schema._create_index(index).query()
    assert params == []
    assert sql.endswith("WHERE ((\"kind\" = 'o''k') AND (\"kind\" IN ('a', 'o''k')))")
    Tag.add_index(index)
    sqlite_db.create_tables([Tag])
    Tag.create(name="x", kind="o'k")
    Tag.create(name="x", kind="b")
    with pytest.raises(IntegrityError):
        Tag.create(name="x", kind="o'k")


# -- indexes: NULLS [NOT] DISTINCT, literal values, dropping ------------------------------------


def test_nulls_distinct_index_text():
    User, _ = blog()
    index = ModelIndex(User, (User.username,), unique=True, nulls_distinct=False)
    assert index_sql_of(User, index, "postgres") == (
        'CREATE UNIQUE INDEX IF NOT EXISTS "user_username" ON "user" ("username") '
        "NULLS NOT DISTINCT",
        [],
    )
    index = User.index(User.username, unique=True, nulls_distinct=True).where(User.id > 2)
    assert index_sql_of(User, index, "postgres") == (
        'CREATE UNIQUE INDEX IF NOT EXISTS "user_username" ON "user" ("username") NULLS DISTINCT '
        'WHERE ("id" > %s)',
        [2],
    )
    assert index_sql_of(User, index.nulls_distinct(None), "postgres")[0].endswith(
        '("username") WHERE ("id" > %s)'
    )
    table = Table("t", ("a", "b"))
    raw = Index("t_a", table, [table.a], unique=True, using="btree").nulls_distinct(False)
    assert Context(dialect=DIALECTS["postgres"].dialect).sql(raw).query()[0] == (
        'CREATE UNIQUE INDEX "t_a" ON "t" USING btree ("a") NULLS NOT DISTINCT'
    )
    with pytest.raises(ValueError, match="NULLS DISTINCT is only available with UNIQUE"):
        ModelIndex(User, (User.username,), nulls_distinct=False)
    with pytest.raises(ValueError, match="NULLS DISTINCT is only available with UNIQUE"):
        Index("t_a", table, [table.a]).nulls_distinct(True)


def index_sql_of(model, index, backend):
    return SchemaManager(model, DIALECTS[backend])._create_index(index).query()


@pytest.mark.backends("postgres")
def test_nulls_not_distinct_index_refuses_a_second_null(db):
    class Slot(Model):
        code = CharField(null=True)

        class Meta:
            database = db

    Slot.add_index(Slot.code, unique=True, nulls_distinct=False)
    db.create_tables([Slot])
    Slot.create(code=None)
    with pytest.raises(IntegrityError):
        Slot.create(code=None)


def test_partial_index_literals_for_every_value_type():
    class Item(Model):
        name = CharField()
        price = DecimalField(null=True)
        at = DateTimeField(null=True)
        flag = BooleanField(default=False)
        data = BlobField(null=True)

    when = datetime.datetime(2024, 5, 6, 7, 8, 9)
    where = (
        (Item.price < decimal.Decimal("1.50"))
        & (Item.at > when)
        & (Item.flag == True)  # noqa: E712
        & (Item.name.in_(["a", "o'k"]))
        & (Item.name != None)  # noqa: E711
        & (fn.length(Item.name).between(1, 2.5))
    )
    sql, params = index_sql_of(Item, Item.index(Item.name, where=where), "sqlite")
    assert params == []
    assert sql.endswith(
        "WHERE ((((((\"price\" < 1.50) AND (\"at\" > '2024-05-06 07:08:09')) AND (\"flag\" = 1)) "
        "AND (\"name\" IN ('a', 'o''k'))) AND (\"name\" IS NOT NULL)) AND "
        "(length(\"name\") BETWEEN 1 AND 2.5))"
    )
    # The servers' drivers accept parameters in DDL: they stay bound, as peewee sends them.
    sql, params = index_sql_of(Item, Item.index(Item.name, where=(Item.price > 1)), "postgres")
    assert sql.endswith('WHERE ("price" > %s)') and params == [decimal.Decimal(1)]
    literal = ValueLiterals((Item.data == b"\x00'x") | (Item.name == None))  # noqa: E711
    assert Context().sql(literal).query() == (
        "((\"t1\".\"data\" = '\x00''x') OR (\"t1\".\"name\" IS NULL))",
        [],
    )


@pytest.mark.backends("sqlite", "postgres")
def test_drop_index_by_field_or_index(db):
    class Entry(Model):
        title = CharField(index=True)
        body = TextField(null=True)

        class Meta:
            database = db

    body = Entry.index(Entry.body, name="entry_body_idx")
    Entry.add_index(body)
    db.create_tables([Entry])

    def names():
        return sorted(ix.name for ix in db.get_indexes("entry") if ix.name != "entry_pkey")

    assert names() == ["entry_body_idx", "entry_title"]
    Entry._schema.drop_index(Entry.title)
    Entry._schema.drop_index(index=body)
    assert names() == []
    Entry._schema.drop_index(Entry.title)  # IF EXISTS: nothing to drop
    with pytest.raises(ValueError, match="field or index must be specified"):
        Entry._schema.drop_index()


def test_add_index_takes_a_plain_index():
    User, _ = blog()
    table = User._meta.table
    User.add_index(Index("user_lower", table, [fn.lower(User.username)]))
    assert index_sql_of(User, User._meta.fields_to_index()[-1], "sqlite")[0] == (
        'CREATE INDEX IF NOT EXISTS "user_lower" ON "user" (lower("username"))'
    )


# -- CREATE TABLE AS, TRUNCATE, sequences -------------------------------------------------------


def test_create_table_as_text():
    class Doc(Model):
        title = CharField()

        class Meta:
            schema = "app"

    query = Doc.select(Doc.title).where(Doc.title != "")
    for backend, expected in (
        ("sqlite", 'CREATE TABLE IF NOT EXISTS "copy" AS SELECT "t1"."title" FROM "app"."doc" '
         'AS "t1" WHERE ("t1"."title" != ?)'),
        ("mysql", "CREATE TABLE IF NOT EXISTS `copy` AS SELECT `t1`.`title` FROM `app`.`doc` "
         "AS `t1` WHERE (`t1`.`title` != %s)"),
    ):
        manager = SchemaManager(Doc, DIALECTS[backend])
        assert manager._create_table_as("copy", query).query() == (expected, [""])
    manager = SchemaManager(Doc, DIALECTS["postgres"])
    assert manager._create_table_as(("arch", "copy"), query, safe=False, temporary=True).query()[
        0
    ].startswith('CREATE TEMPORARY TABLE "arch"."copy" AS SELECT')


def test_create_table_as_temporary(db):
    User, _ = make_blog(db)
    db.create_tables([User])
    User.create(username="x")
    with db.connection_context():
        User._schema.create_table_as("user_tmp", User.select(User.username), temporary=True)
        cursor = db.execute_sql("SELECT username FROM user_tmp")
        assert list(cursor.fetchall()) == [("x",)]
        db.execute_sql("DROP TABLE user_tmp")


def test_truncate_options_per_backend():
    User, _ = blog()
    texts = {
        backend: SchemaManager(User, database)
        ._truncate_table(restart_identity=True, cascade=True)
        .query()[0]
        for backend, database in DIALECTS.items()
    }
    assert texts == {
        "sqlite": 'DELETE FROM "user"',
        "postgres": 'TRUNCATE TABLE "user" RESTART IDENTITY CASCADE',
        "mysql": "TRUNCATE TABLE `user`",
    }
    pg = SchemaManager(User, DIALECTS["postgres"])
    assert pg._truncate_table(cascade=True).query()[0] == 'TRUNCATE TABLE "user" CASCADE'
    assert pg._truncate_table().query()[0] == 'TRUNCATE TABLE "user"'


def test_truncate_with_options_runs_on_every_backend(db):
    User, Tweet = make_blog(db)
    db.create_tables([User, Tweet])
    User.create(username="a")
    User.create(username="b")
    if db.dialect.name == "mysql":
        Tweet.drop_table()  # MySQL cannot truncate a table that a foreign key refers to
    User.truncate_table(restart_identity=True, cascade=True)
    assert User.select().count() == 0
    assert User.create(username="c").id == 1  # the key counts from 1 again


def test_sequence_names_with_a_schema():
    class Counter(Model):
        n = IntegerField(sequence="counter_n_seq")
        m = IntegerField(sequence="other.m_seq")

        class Meta:
            schema = "app"

    manager = SchemaManager(Counter, DIALECTS["postgres"])
    ctx = Context(dialect=DIALECTS["postgres"].dialect)
    assert ctx.sql(manager._sequence_for_field(Counter.n)).query()[0] == '"app"."counter_n_seq"'
    ctx = Context(dialect=DIALECTS["postgres"].dialect)
    assert ctx.sql(manager._sequence_for_field(Counter.m)).query()[0] == '"other"."m_seq"'
    with pytest.raises(ValueError, match='Sequences are either not supported, or are not defined'):
        SchemaManager(Counter, DIALECTS["sqlite"])._check_sequences(Counter.n)
