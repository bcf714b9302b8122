"""KeyValue: a dictionary stored in a table, on every backend."""

from __future__ import annotations

import pytest

from peewee import CharField, IntegerField, MySQLDatabase, SqliteDatabase, TextField
from playhouse.kv import KeyValue


@pytest.fixture
def kv(db):
    return KeyValue(database=db, table_name="kv_store")


def test_table_is_created_with_a_pickled_value_column(kv, db):
    assert "kv_store" in db.get_tables()
    assert kv.model.__name__ == "KeyValue"
    assert kv.key is kv.model.key and kv.value is kv.model.value
    # Building another store on the same table keeps the data.
    kv["a"] = 1
    again = KeyValue(database=db, table_name="kv_store")
    assert again["a"] == 1


def test_set_get_and_replace(kv):
    kv["k1"] = "v1"
    kv["k1"] = "v1-x"
    kv["k2"] = {"nested": [1, 2]}
    assert kv["k1"] == "v1-x"
    assert kv["k2"] == {"nested": [1, 2]}
    assert len(kv) == 2
    with pytest.raises(KeyError) as info:
        kv["missing"]
    assert info.value.args == ("missing",)
    assert kv.get("missing") is None and kv.get("missing", 5) == 5 and kv.get("k1") == "v1-x"


def test_update_inserts_and_replaces_in_one_go(kv):
    kv.update(k1=1, k2=2)
    kv.update({"k2": 22, "k3": 3}, k4=4)
    assert dict(kv) == {"k1": 1, "k2": 22, "k3": 3, "k4": 4}
    assert sorted(kv.keys()) == ["k1", "k2", "k3", "k4"]
    assert sorted(kv.values()) == [1, 3, 4, 22]
    assert sorted(kv.items()) == [("k1", 1), ("k2", 22), ("k3", 3), ("k4", 4)]


def test_expressions_read_write_and_delete_many_rows(kv):
    kv.update(a=1, b=2, c=3)
    assert sorted(kv[kv.key > "a"]) == [2, 3]
    assert kv[kv.key > "z"] == []
    assert (kv.key < "b") in kv and (kv.key > "c") not in kv
    assert "a" in kv and "x" not in kv
    kv[kv.key >= "b"] = 0
    assert dict(kv) == {"a": 1, "b": 0, "c": 0}
    assert kv.get(kv.key > "z") == []
    del kv[kv.key > "z"]  # nothing matches: no error
    del kv[kv.key > "a"]
    assert dict(kv) == {"a": 1}


def test_delete_pop_setdefault_clear(kv):
    kv.update(a=1, b=2, c=3)
    del kv["a"]
    with pytest.raises(KeyError):
        del kv["a"]
    assert kv.pop("b") == 2 and "b" not in kv
    assert kv.pop("b", "gone") == "gone"
    with pytest.raises(KeyError):
        kv.pop("b")
    assert kv.pop(kv.key >= "c") == [3]
    assert kv.setdefault("d", 4) == 4 and kv.setdefault("d", 5) == 4
    kv.clear()
    assert len(kv) == 0 and dict(kv) == {}


def test_ordered_store_with_other_fields(db):
    store = KeyValue(
        key_field=IntegerField(primary_key=True),
        value_field=TextField(),
        ordered=True,
        database=db,
        table_name="kv_ordered",
    )
    store.update({3: "c", 1: "a"})
    store[2] = "b"
    store[2] = "bb"
    assert list(store) == [(1, "a"), (2, "bb"), (3, "c")]
    assert list(store.keys()) == [1, 2, 3]
    assert store[store.key >= 2] == ["bb", "c"]
    sql = store.query().sql()[0]
    assert sql.endswith("ORDER BY %s.%s" % (db.dialect.quote_name("t1"), db.dialect.quote_name("key")))


def test_upsert_statement_per_backend(kv, db):
    if isinstance(db, MySQLDatabase):
        assert kv.upsert == kv._upsert and kv.update == kv._update
        sql = kv.model.insert(key="k", value=1).on_conflict("replace").sql()[0]
        assert sql.startswith("REPLACE INTO")
    else:
        assert kv.upsert == kv._postgres_upsert and kv.update == kv._postgres_update


def test_key_field_must_be_a_primary_key():
    with pytest.raises(ValueError, match=r"^key_field must have primary_key=True\.$"):
        KeyValue(key_field=CharField())


def test_default_database_is_sqlite_in_memory():
    store = KeyValue()
    assert isinstance(store._database, SqliteDatabase)
    assert store._database.database == ":memory:"
    store["x"] = [1]
    assert store["x"] == [1]
