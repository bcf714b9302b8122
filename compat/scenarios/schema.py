"""Schema: DDL for tables, indexes and constraints, and database introspection."""

from __future__ import annotations

from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    Check,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from compat.registry import scenario


def _models(db):
    class Base(Model):
        class Meta:
            database = db

    class Author(Base):
        name = CharField(max_length=50, unique=True)
        rank = IntegerField(default=1, index=True)
        note = TextField(null=True, column_name="remark")

        class Meta:
            table_name = "authors"

    class Book(Base):
        author = ForeignKeyField(Author, backref="books", on_delete="CASCADE")
        title = CharField(constraints=[SQL("DEFAULT ''")])
        price = DecimalField(max_digits=8, decimal_places=2, constraints=[Check("price >= 0")])
        pages = BigIntegerField(null=True)
        out = BooleanField(default=False)

        class Meta:
            indexes = ((("author", "title"), True), (("pages",), False))

    return Author, Book


@scenario()
def create_and_drop(db, obs):
    Author, Book = _models(db)
    db.create_tables([Author, Book])
    obs.value("exists", (Author.table_exists(), Book.table_exists()))
    with obs.quiet():
        obs.value("tables", db.get_tables())
    obs.call("create_again_unsafe", lambda: Author.create_table(safe=False))
    db.drop_tables([Author, Book])
    with obs.quiet():
        obs.value("after_drop", db.get_tables())


@scenario()
def check_violation(db, obs):
    Author, Book = _models(db)
    db.create_tables([Author, Book])
    obs.call(
        "check_violation", lambda: Book.create(author=Author.create(name="x"), title="t", price=-1)
    )


@scenario()
def introspection(db, obs):
    Author, Book = _models(db)
    db.create_tables([Author, Book])
    with obs.quiet():
        _introspect(db, obs)


def _introspect(db, obs):
    obs.value(
        "columns",
        sorted(
            (c.name, c.data_type.lower(), c.null, c.primary_key) for c in db.get_columns("book")
        ),
    )
    obs.value("primary_keys", db.get_primary_keys("authors"))
    obs.value(
        "foreign_keys",
        [(f.column, f.dest_table, f.dest_column, f.table) for f in db.get_foreign_keys("book")],
    )
    obs.value(
        "indexes",
        sorted((i.name, list(i.columns), i.unique, i.table) for i in db.get_indexes("book")),
    )
    obs.value("views", db.get_views())
    obs.value(
        "sequences",
        sorted(db.get_sequences())
        if hasattr(db, "get_sequences") and db.__class__.__name__.startswith("Postgres")
        else None,
    )


@scenario()
def indexes_and_helpers(db, obs):
    Author, Book = _models(db)
    db.create_tables([Author])
    idx = Author.index(Author.rank, Author.name, unique=True, name="author_rank_name")
    Author.add_index(idx)
    db.create_tables([Book])
    with obs.quiet():
        obs.value("indexes", sorted(i.name for i in db.get_indexes("authors")))
    Author.create(name="a")
    obs.call(
        "truncate",
        lambda: (
            Author.truncate_table()
            if db.__class__.__name__.startswith("Sqlite")
            else Book.truncate_table()
        ),
    )
    obs.call("count", lambda: Book.select().count())
    db.drop_tables([Book, Author])


@scenario()
def schema_sql_text(db, obs):
    Author, Book = _models(db)
    for model in (Author, Book):
        ctx = model._schema._create_table()
        obs.value(model.__name__ + "_create", ctx.query())
        obs.value(model.__name__ + "_indexes", [c.query() for c in model._schema._create_indexes()])
        obs.value(model.__name__ + "_drop", model._schema._drop_table().query())


@scenario()
def schema_options(db, obs):
    from peewee import CompositeKey, DeferredForeignKey, Index

    is_mysql = db.__class__.__name__.startswith("MySQL")

    class Base(Model):
        class Meta:
            database = db

    class Parent(Base):
        name = CharField(index=True, collation="utf8mb4_bin" if is_mysql else None)
        child = DeferredForeignKey(
            "Child", null=True, deferrable=None if is_mysql else "INITIALLY DEFERRED"
        )

        class Meta:
            constraints = [Check("length(name) > 0")] if not is_mysql else []

    class Child(Base):
        parent = ForeignKeyField(Parent, null=True, on_update="CASCADE")
        a = IntegerField()
        b = IntegerField()

        class Meta:
            indexes = ((("a", "b"), False),)

    class Link(Base):
        x = IntegerField()
        y = IntegerField()

        class Meta:
            primary_key = CompositeKey("x", "y")
            table_name = "link_table"

    for model in (Parent, Child, Link):
        obs.value(model.__name__, model._schema._create_table(safe=False).query())
    db.create_tables([Parent, Child, Link])
    obs.call("add_deferred_fk", lambda: Parent._schema.create_foreign_key(Parent.child))
    idx = Index("child_a_expr", Child, [Child.a], unique=True)
    obs.value("index_sql", db.get_sql_context().sql(idx).query())
    if not is_mysql:
        partial = Child.index(Child.b, where=(Child.a > 0), name="child_b_partial")
        obs.value("partial_sql", db.get_sql_context().sql(partial).query())
    with obs.quiet():
        obs.value("tables", sorted(db.get_tables()))
    obs.call("drop", lambda: db.drop_tables([Child, Parent, Link]))


@scenario(backends=("postgres",))
def postgres_schema(db, obs):
    from peewee import IdentityField

    class Seq(Model):
        id = IdentityField()
        n = IntegerField(sequence="seq_n_seq")

        class Meta:
            database = db

    obs.value("ddl", Seq._schema._create_table().query())
    obs.call("create", lambda: db.create_tables([Seq]))
    obs.call("insert", lambda: Seq.create().id)
    obs.call("sequence_exists", lambda: db.sequence_exists("seq_n_seq"))
    with obs.quiet():
        obs.value("sequences", sorted(db.get_sequences()) if hasattr(db, "get_sequences") else None)
    obs.call("drop_cascade", lambda: Seq.drop_table(cascade=True))
