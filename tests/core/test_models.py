"""Model classes: Meta options and inheritance, fields, instance state, identity, binding, errors."""

from __future__ import annotations

import pytest

from peewee import (
    AutoField,
    CharField,
    CompositeKey,
    DoesNotExist,
    ForeignKeyField,
    IntegerField,
    InterfaceError,
    Model,
    SqliteDatabase,
    TextField,
)


def make_models(database=None):
    class Base(Model):
        class Meta:
            pass

    if database is not None:
        Base._meta.set_database(database)

    class User(Base):
        username = CharField(unique=True)

    class Tweet(Base):
        user = ForeignKeyField(User, backref="tweets")
        content = TextField()

    return User, Tweet


def test_default_primary_key_is_an_id_autofield():
    class Person(Model):
        name = CharField()

    pk = Person._meta.primary_key
    assert isinstance(pk, AutoField)
    assert pk.name == "id"
    assert Person._meta.sorted_field_names == ["id", "name"]
    assert Person._meta.table_name == "person"


def test_meta_options_are_read_and_inherited():
    memory_db = SqliteDatabase(":memory:")

    class Base(Model):
        class Meta:
            database = memory_db
            schema = "main"
            only_save_dirty = True

    class Entry(Base):
        title = CharField()

        class Meta:
            table_name = "entries"

    class Child(Entry):
        extra = IntegerField(null=True)

    assert Entry._meta.database is memory_db
    assert Entry._meta.schema == "main"
    assert Entry._meta.only_save_dirty is True
    assert Entry._meta.table_name == "entries"
    # table_name is not inherited; fields are (as copies bound to the subclass).
    assert Child._meta.table_name == "child"
    assert Child._meta.sorted_field_names == ["id", "title", "extra"]
    assert Child._meta.fields["title"] is not Entry._meta.fields["title"]
    assert Child._meta.fields["title"].model is Child
    assert Child._meta.database is memory_db


def test_legacy_and_snake_case_table_names():
    class UserProfile(Model):
        pass

    class OtherProfile(Model):
        class Meta:
            legacy_table_names = False

    assert UserProfile._meta.table_name == "userprofile"
    assert OtherProfile._meta.table_name == "other_profile"


def test_explicit_and_composite_primary_keys():
    class Code(Model):
        code = CharField(primary_key=True)

    class Pair(Model):
        a = IntegerField()
        b = IntegerField()

        class Meta:
            primary_key = CompositeKey("a", "b")

    class NoKey(Model):
        value = IntegerField()

        class Meta:
            primary_key = False

    assert Code._meta.primary_key is Code._meta.fields["code"]
    assert "id" not in Code._meta.fields
    assert Pair._meta.composite_key is True
    assert Pair(a=1, b=2)._pk == (1, 2)
    assert NoKey._meta.primary_key is False
    assert NoKey._meta.sorted_field_names == ["value"]
    assert (str(NoKey(value=1)), repr(NoKey(value=1))) == ("n/a", "<NoKey: n/a>")


def test_no_primary_key_is_inherited_down_the_tree(db):
    class Base(Model):
        class Meta:
            primary_key = False

    class Entry(Base):
        a = IntegerField()

    class Note(Entry):
        b = IntegerField()

    assert Entry._meta.primary_key is False and Note._meta.primary_key is False
    assert Entry._meta.sorted_field_names == ["a"]
    assert Note._meta.sorted_field_names == ["a", "b"]
    db.bind([Note])
    db.create_tables([Note])
    Note.create(a=1, b=2)
    Note(a=1, b=2).save()
    assert list(Note.select(Note.a, Note.b).tuples()) == [(1, 2), (1, 2)]


def test_without_rowid_is_not_inherited(sqlite_db):
    class Base(Model):
        class Meta:
            without_rowid = True
            strict_tables = True

    class Entry(Base):
        name = TextField()

    assert Base._meta.without_rowid is True
    assert Entry._meta.without_rowid is False and Entry._meta.strict_tables is True
    sqlite_db.bind([Entry])
    sqlite_db.create_tables([Entry])
    (sql,) = sqlite_db.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'entry'").fetchone()
    assert sql.endswith("STRICT") and "WITHOUT ROWID" not in sql


def test_standard_meta_options_come_from_the_first_model_base():
    memory_db = SqliteDatabase(":memory:")

    class Stamped(Model):
        created = IntegerField(null=True)

        class Meta:
            audit = "stamped"

    class Stored(Model):
        name = CharField()

        class Meta:
            database = memory_db
            table_settings = ["STRICT"]
            only_save_dirty = True
            owner = "stored"

    class Entry(Stamped, Stored):
        pass

    class Other(Stored, Stamped):
        pass

    assert Entry._meta.sorted_field_names == ["id", "created", "name"]
    assert Entry._meta.database is None and Entry._meta.table_settings is None
    assert Entry._meta.only_save_dirty is False
    assert (Entry._meta.audit, Entry._meta.owner) == ("stamped", "stored")
    assert Other._meta.database is memory_db and Other._meta.table_settings == ["STRICT"]
    assert Other._meta.only_save_dirty is True
    assert (Other._meta.audit, Other._meta.owner) == ("stamped", "stored")


def test_two_primary_keys_is_an_error():
    with pytest.raises(ValueError, match="over-determined primary key"):

        class Broken(Model):
            a = IntegerField(primary_key=True)
            b = IntegerField(primary_key=True)


def test_each_model_has_its_own_does_not_exist():
    User, Tweet = make_models()
    assert issubclass(User.DoesNotExist, DoesNotExist)
    assert User.DoesNotExist is not Tweet.DoesNotExist
    assert User.DoesNotExist.__name__ == "UserDoesNotExist"


def test_repr_str_and_pk():
    User, _ = make_models()
    user = User(id=3, username="ann")
    assert repr(user) == "<User: 3>"
    assert str(user) == "3"
    assert user._pk == 3 and user.get_id() == 3
    user._pk = 4
    assert user.id == 4
    assert repr(User) == "<Model: User>"


def test_dirty_tracking_on_new_instances():
    class Thing(Model):
        name = CharField()
        count = IntegerField(default=0)

    thing = Thing()
    # Defaults count as changes so they get saved.
    assert thing.is_dirty()
    assert [f.name for f in thing.dirty_fields] == ["count"]
    thing.name = "x"
    assert [f.name for f in thing.dirty_fields] == ["name", "count"]
    assert thing.__data__ == {"count": 0, "name": "x"}


def test_equality_and_hash_use_class_and_primary_key():
    User, Tweet = make_models()
    assert User(id=1) == User(id=1)
    assert User(id=1) != User(id=2)
    assert User(id=1) != Tweet(id=1)
    assert User() != User()  # unsaved rows are never equal
    assert len({User(id=1), User(id=1), User(id=2)}) == 2


def test_model_class_renders_as_its_table():
    User, Tweet = make_models()
    assert User.select().sql() == ('SELECT "t1"."id", "t1"."username" FROM "user" AS "t1"', [])


def test_query_without_database_raises_interface_error():
    User, _ = make_models()
    with pytest.raises(
        InterfaceError, match='Query must be bound to a database in order to call "execute"'
    ):
        User.select().execute()
    with pytest.raises(InterfaceError):
        User(username="x").save()


def test_bind_and_bind_ctx(db):
    User, Tweet = make_models()
    assert User._meta.database is None
    with User.bind_ctx(db):
        # Related models are bound too (refs and backrefs).
        assert User._meta.database is db and Tweet._meta.database is db
        db.create_tables([User, Tweet])
        User.create(username="u1")
        assert User.select().count() == 1
    assert User._meta.database is None and Tweet._meta.database is None
    User.bind(db, bind_refs=False, bind_backrefs=False)
    assert User._meta.database is db and Tweet._meta.database is None


def test_create_drop_and_table_exists(db):
    User, Tweet = make_models()
    db.bind([User, Tweet])
    assert not User.table_exists()
    User.create_table()
    Tweet.create_table()
    assert User.table_exists() and Tweet.table_exists()
    User.create_table()  # safe by default
    Tweet.drop_table()
    assert not Tweet.table_exists()


def test_loaded_instances_are_clean(db):
    User, Tweet = make_models()
    db.bind([User, Tweet])
    db.create_tables([User, Tweet])
    User.create(username="ann")
    user = User.get()
    assert user.is_dirty() is False
    assert user.dirty_fields == []
    user.username = "bea"
    assert [f.name for f in user.dirty_fields] == ["username"]


def test_model_class_container_protocol(db):
    User, Tweet = make_models()
    db.bind([User, Tweet])
    db.create_tables([User, Tweet])
    a = User.create(username="a")
    assert User[a.id].username == "a"
    assert a.id in User and 999 not in User
    assert len(User) == 1
    assert [u.username for u in User] == ["a"]
    User[a.id] = {"username": "b"}
    assert User.get_by_id(a.id).username == "b"
    del User[a.id]
    assert len(User) == 0


def test_custom_init_still_runs_for_loaded_rows(db):
    class Counter(Model):
        name = CharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initialised = True

    db.bind([Counter])
    db.create_tables([Counter])
    Counter.create(name="c")
    loaded = Counter.get()
    assert loaded.initialised is True and loaded.name == "c"
    assert not loaded.is_dirty()
