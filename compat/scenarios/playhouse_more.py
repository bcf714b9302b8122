"""More playhouse modules: schema migrations, reflection, database URLs, the backend extension
modules. Each scenario is skipped while an implementation cannot import its module."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField, Model, TextField

from compat.registry import scenario
from compat.scenarios.common import optional_import


def _tables(db):
    class Base(Model):
        class Meta:
            database = db

    class Author(Base):
        name = CharField()
        age = IntegerField(null=True)

    class Post(Base):
        author = ForeignKeyField(Author, backref="posts")
        title = CharField(index=True)
        body = TextField(null=True)

    db.create_tables([Author, Post])
    a = Author.create(name="ann", age=30)
    Post.create(author=a, title="first", body="x")
    return Author, Post


@scenario()
def migrate_columns(db, obs):
    mig = optional_import("playhouse.migrate")
    Author, Post = _tables(db)
    migrator = mig.SchemaMigrator.from_database(db)
    obs.value("migrator", type(migrator).__name__)
    steps = [
        ("add_column", lambda: migrator.add_column("author", "email", CharField(null=True))),
        (
            "add_column_default",
            lambda: migrator.add_column("author", "rank", IntegerField(default=3)),
        ),
        ("rename_column", lambda: migrator.rename_column("author", "age", "years")),
        ("add_not_null", lambda: migrator.add_not_null("author", "rank")),
        ("drop_not_null", lambda: migrator.drop_not_null("author", "rank")),
        ("add_index", lambda: migrator.add_index("author", ("name", "email"), True)),
        ("drop_index", lambda: migrator.drop_index("author", "author_name_email")),
        ("drop_column", lambda: migrator.drop_column("post", "body")),
        ("rename_table", lambda: migrator.rename_table("post", "article")),
    ]
    for label, make in steps:
        obs.call(label, lambda make=make: mig.migrate(make()))
    with obs.quiet():
        obs.value("author_columns", sorted((c.name, c.null) for c in db.get_columns("author")))
        obs.value("tables", sorted(db.get_tables()))
    obs.rows("rows", db.execute_sql("SELECT * FROM author ORDER BY id").fetchall())


@scenario()
def migrate_types_and_defaults(db, obs):
    mig = optional_import("playhouse.migrate")
    _tables(db)
    migrator = mig.SchemaMigrator.from_database(db)
    obs.call(
        "alter_type", lambda: mig.migrate(migrator.alter_column_type("post", "title", TextField()))
    )
    obs.call("add_default", lambda: mig.migrate(migrator.add_column_default("author", "age", 18)))
    obs.call("drop_default", lambda: mig.migrate(migrator.drop_column_default("author", "age")))
    obs.call("add_unique", lambda: mig.migrate(migrator.add_unique("author", "name")))
    obs.call("missing_table", lambda: mig.migrate(migrator.drop_column("nowhere", "x")))


@scenario()
def reflection(db, obs):
    refl = optional_import("playhouse.reflection")
    _tables(db)
    introspector = refl.Introspector.from_database(db)
    with obs.quiet():
        models = introspector.generate_models()
    obs.value("models", sorted(models))
    for name in sorted(models):
        model = models[name]
        obs.value(
            name,
            [(f.name, type(f).__name__, f.column_name, f.null) for f in model._meta.sorted_fields],
        )
    post = models["post"]
    obs.value("fk_target", post.author.rel_model._meta.table_name)
    obs.rows("query", post.select(post.title).tuples())


@scenario(backends=("sqlite",))
def db_url(db, obs):
    url = optional_import("playhouse.db_url")
    obs.value("parse_sqlite", url.parse("sqlite:///path/to/app.db"))
    obs.value("parse_pg", url.parse("postgres://user:secret@localhost:5433/app?sslmode=disable"))
    obs.value("parse_mysql", url.parse("mysql://root@host/app?charset=utf8mb4"))
    for text in ("sqlite:///:memory:", "postgresql://u:p@h/d", "mysql://u:p@h:3307/d"):
        obj = url.connect(text)
        obs.value(text, (type(obj).__name__, obj.database, sorted(obj.connect_params.items())))
    obs.call("unknown_scheme", lambda: url.connect("nosuch://x/y"))


@scenario(backends=("postgres",))
def postgres_ext(db, obs):
    ext = optional_import("playhouse.postgres_ext")
    pdb = ext.PostgresqlExtDatabase(db.database, **db.connect_params)

    class Doc(Model):
        tags = ext.ArrayField(CharField, null=True)
        data = ext.BinaryJSONField(null=True)
        search = ext.TSVectorField(null=True)

        class Meta:
            database = pdb

    pdb.create_tables([Doc])
    Doc.create(tags=["a", "b"], data={"k": [1, 2]}, search=ext.fn.to_tsvector("quick brown fox"))
    Doc.create(tags=[], data={"k": []})
    obs.rows("read", Doc.select(Doc.tags, Doc.data).order_by(Doc.id).tuples())
    obs.rows("contains", Doc.select(Doc.id).where(Doc.tags.contains("a")).tuples())
    obs.rows("index", Doc.select(Doc.tags[0]).order_by(Doc.id).tuples())
    obs.rows("json_contains", Doc.select(Doc.id).where(Doc.data.contains({"k": [1]})).tuples())
    obs.rows("match", Doc.select(Doc.id).where(Doc.search.match("fox")).tuples())
    pdb.close()


@scenario(backends=("sqlite",))
def sqlite_ext(db, obs):
    ext = optional_import("playhouse.sqlite_ext")

    class Note(Model):
        rowid = ext.RowIDField()
        body = TextField()
        stamp = ext.ISODateTimeField(null=True)

        class Meta:
            database = db

    class Counter(Model):
        id = ext.AutoIncrementField()

        class Meta:
            database = db

    class NoteIndex(ext.FTS5Model):
        body = ext.SearchField()

        class Meta:
            database = db

    obs.value("ddl", [m._schema._create_table().query() for m in (Note, Counter, NoteIndex)])
    db.create_tables([Note, Counter, NoteIndex])
    for text in ("the quick fox", "lazy dog", "quick dog"):
        n = Note.create(body=text)
        NoteIndex.insert(rowid=n.rowid, body=text).execute()
    obs.rows("search", NoteIndex.search("quick").tuples())
    obs.rows("match", NoteIndex.select(NoteIndex.rowid).where(NoteIndex.match("dog")).tuples())
    obs.rows("bm25", NoteIndex.search_bm25("dog").tuples())
    obs.call("counter", lambda: Counter.create().id)
