"""The names peewee applications import are all present, and ``import *`` exports them."""
import subprocess
import sys

import peewee


def test_every_star_name_exists_and_is_not_a_module():
    import types

    for name in peewee.STAR_NAMES:
        value = getattr(peewee, name)
        assert not isinstance(value, types.ModuleType), name


def test_star_import_gives_the_peewee_names():
    namespace: dict = {}
    exec("from peewee import *", namespace)
    exported = {k for k in namespace if k != "__builtins__"}
    assert exported == set(peewee.STAR_NAMES)


def test_names_imported_explicitly_by_peewee_applications():
    for name in ("Node", "Expression", "Entity", "NodeList", "ModelSelect", "ModelAlias", "fn",
                 "DoesNotExist", "ColumnBase", "Function", "CompoundSelectQuery", "CursorWrapper",
                 "Metadata", "ModelRaw", "sort_models", "query_to_string", "__version__"):
        assert hasattr(peewee, name), name


def test_import_is_cheap_and_has_no_side_effects(tmp_path):
    out = subprocess.run([sys.executable, "-c", "import peewee, os; print(sorted(os.listdir('.')))"],
                         cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


PEEWEE_ALL = (
    "AnyField AsIs AutoField BareField BigAutoField BigBitField BigIntegerField BinaryUUIDField "
    "BitField BlobField BooleanField Case Cast CharField Check Column CompositeKey Context "
    "DJANGO_MAP DQ DataError Database DatabaseError DatabaseProxy DateField DateTimeField "
    "DecimalField Default DeferredForeignKey DeferredThroughModel DoesNotExist DoubleField EXCLUDED "
    "Entity Field FixedCharField FloatField ForeignKeyField IPField IdentityField "
    "ImproperlyConfigured Index IntegerField IntegrityError InterfaceError InternalError JOIN "
    "JSONField Load ManyToManyField Model ModelIndex MySQLDatabase NotSupportedError OP "
    "OperationalError PREFETCH_TYPE PostgresqlDatabase PrimaryKeyField ProgrammingError Proxy "
    "QualifiedNames QueryEvent SQL SchemaManager Select SmallIntegerField SqliteDatabase Table "
    "TextField TimeField TimestampField Tuple UUIDField Value ValuesList Window chunked fn prefetch"
).split()


def test_star_import_exports_exactly_peewees_names():
    assert sorted(peewee.__all__) == sorted(PEEWEE_ALL)
    assert "Using" not in peewee.__all__ and hasattr(peewee, "Using")


def test_module_level_names_extensions_import():
    import datetime
    import decimal
    import sqlite3
    import threading

    for name in ("sqlite3", "__sqlite_version__", "attrdict", "VirtualField",
                 "SubclassAwareMetadata", "safe_python_value", "is_model", "merge_dict",
                 "callable_", "_truncate_constraint_name", "_query_val_transform", "_StringField",
                 "ColumnBase", "Node", "NodeList", "EnclosedNodeList", "CommaNodeList", "Entity",
                 "Context", "State", "Database", "ModelAlias", "ModelSelect", "ModelRaw",
                 "BaseQuery", "Metadata", "SchemaManager", "FieldAccessor", "ForeignKeyAccessor",
                 "BackrefAccessor", "ObjectIdAccessor", "ROW", "SCOPE_NORMAL", "SCOPE_SOURCE",
                 "SCOPE_VALUES", "SCOPE_CTE", "SCOPE_COLUMN", "OP", "DJANGO_MAP", "FIELD",
                 "ManyToManyQuery", "BigBitFieldData", "BigBitFieldAccessor", "ModelCursorWrapper",
                 "BaseModelCursorWrapper", "BaseModelSelect", "StringExpression", "ColumnFactory",
                 "ModelDescriptor", "make_identifier", "ensure_entity", "qualify_names", "psycopg2",
                 "mysql", "pg_extensions", "Json_pg2", "psycopg", "logger", "__version__",
                 "classmethod_only", "multi_types", "qesc", "unqesc", "utcnow", "__date_parts__"):
        assert hasattr(peewee, name), name
    assert peewee.sqlite3 is sqlite3
    assert peewee.__sqlite_version__ == sqlite3.sqlite_version_info
    assert peewee.datetime is datetime and peewee.decimal is decimal
    assert peewee.threading is threading
    assert "psycopg" in dir(peewee)


def test_small_helpers_behave_like_peewees():
    d = peewee.attrdict(a=1)
    d.b = 2
    assert d.a == 1 and d["b"] == 2
    assert d + {"c": 3} == {"a": 1, "b": 2, "c": 3} and isinstance(d + {}, peewee.attrdict)
    d += {"e": 5}
    assert d.e == 5
    try:
        d.missing
    except AttributeError:
        pass
    else:
        raise AssertionError("attrdict must raise AttributeError for a missing key")
    assert peewee.merge_dict({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}
    assert peewee.merge_dict({"a": 1}, None) == {"a": 1}
    assert peewee.callable_(len) and not peewee.callable_(3)
    assert peewee.is_model(peewee.Model) and not peewee.is_model(peewee.Model.__new__(peewee.Model))
    assert not peewee.is_model(object)
    safe_int = peewee.safe_python_value(int)
    assert safe_int("12") == 12 and safe_int("x") == "x" and safe_int(None) is None
    assert peewee._truncate_constraint_name("short") == "short"
    long_name = "x" * 80
    truncated = peewee._truncate_constraint_name(long_name)
    assert len(truncated) == 64 and truncated.startswith("x" * 56 + "_")
    transform = peewee._query_val_transform
    assert [transform(v) for v in ("it's", b"ab", 3, True, None, 1.5)] == [
        "'it''s'", "'ab'", "3", "1", "NULL", "1.5"]
    assert peewee.qesc('a"b') == 'a""b' and peewee.unqesc(' "a""b" ') == 'a"b'
    assert peewee.unqesc("plain") == "plain"
    assert peewee.make_identifier("t1.user-name") == "user"
    assert isinstance(peewee.ensure_entity("x"), peewee.Entity) and peewee.ensure_entity(None) is None
    assert issubclass(peewee._StringField, peewee.Field)
    assert isinstance(peewee.CharField(), peewee._StringField)
    assert not isinstance(peewee.IntegerField(), peewee._StringField)


def test_virtual_field_converts_like_its_field_class_and_is_not_a_column():
    class Row(peewee.Model):
        n = peewee.IntegerField()
        total = peewee.VirtualField(peewee.DecimalField)

    assert "total" not in Row._meta.fields
    assert Row.total.python_value("1.5") == peewee.decimal.Decimal("1.5")
    assert Row.total.db_value(None) is None
    row = Row(n=1)
    row.total = 3
    assert row.total == 3
    assert peewee.VirtualField().python_value("x") == "x"


def test_subclass_aware_metadata_tracks_models():
    class Meta(peewee.SubclassAwareMetadata):
        models: list = []

    class Base(peewee.Model):
        class Meta:
            model_metadata_class = Meta

    class Child(Base):
        pass

    seen = []
    Base._meta.map_models(seen.append)
    assert Base in seen and Child in seen
    assert isinstance(Child._meta, peewee.SubclassAwareMetadata)


def test_many_to_many_queries_are_many_to_many_query_instances(tmp_path):
    db = peewee.SqliteDatabase(str(tmp_path / "m2m.db"))

    class Tag(peewee.Model):
        class Meta:
            database = db

    class Post(peewee.Model):
        tags = peewee.ManyToManyField(Tag)

        class Meta:
            database = db

    db.create_tables([Tag, Post, Post.tags.get_through_model()])
    post = Post.create()
    assert isinstance(post.tags, peewee.ManyToManyQuery)
    assert isinstance(post.tags, peewee.ModelSelect)


def test_constant_maps_are_attrdicts():
    for name in ("OP", "JOIN", "ROW", "PREFETCH_TYPE", "FIELD", "DJANGO_MAP"):
        value = getattr(peewee, name)
        assert isinstance(value, peewee.attrdict), name
        assert "__class__" not in value
    assert peewee.FIELD.INT == peewee.FIELD["INT"]
    assert peewee.DJANGO_MAP.eq is peewee.DJANGO_MAP["eq"]
    assert peewee.OP.EQ == "=" and (peewee.OP + {"X": "x"}).X == "x" and "X" not in peewee.OP
    # The public objects are the ones the library uses.
    assert peewee.FIELD is peewee.dialects.base.FIELD
    assert peewee.DJANGO_MAP is peewee.model_query.DJANGO_MAP
    assert peewee.OP is peewee.sql.nodes.OP
