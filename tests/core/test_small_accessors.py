"""Small accessors: ``Select.selected_columns``, ``Model.dirty_field_names``, ``Database.dispose()``,
``Field.case_value()`` and ``Metadata.get_database_instance()``."""

from __future__ import annotations

import datetime

from peewee import (
    Case,
    CharField,
    DatabaseProxy,
    DateField,
    IntegerField,
    Model,
    Select,
    SqliteDatabase,
    Table,
)


def make_model(database):
    class Item(Model):
        name = CharField()
        qty = IntegerField(default=0)
        seen = DateField(null=True)

        class Meta:
            table_name = "accessor_item"

    Item.bind(database)
    database.create_tables([Item])
    return Item


def same(columns, expected):
    """Column lists compared by identity (``==`` on columns builds SQL expressions)."""
    return len(columns) == len(expected) and all(a is b for a, b in zip(columns, expected))


def test_selected_columns(db):
    Item = make_model(db)
    Item.create(name="a", qty=2)
    query = Item.select(Item.name, Item.qty.alias("n"))
    assert query.selected_columns[0] is Item.name
    assert query.selected_columns[1].unwrap() is Item.qty
    assert same(Item.select().selected_columns, [Item.id, Item.name, Item.qty, Item.seen])
    assert not same(Item.select().selected_columns, [Item.id, Item.name, Item.seen, Item.qty])
    assert Select().selected_columns is None
    query.selected_columns = [Item.qty]
    assert [row.qty for row in query] == [2]
    assert query.sql()[0].startswith('SELECT "t1"."qty" FROM') or "`t1`.`qty`" in query.sql()[0]
    table = Table("accessor_item", ("id", "name"))
    assert same(table.select(table.id, table.name).selected_columns, [table.id, table.name])


def test_dirty_field_names(db):
    Item = make_model(db)
    assert Item().dirty_field_names == ["qty"]  # a default counts as a change
    assert Item(name="x").dirty_field_names == ["name", "qty"]
    item = Item.create(name="a")
    assert item.dirty_field_names == []
    item.seen = datetime.date(2024, 1, 2)
    item.name = "b"
    item.unrelated = 1
    assert item.dirty_field_names == ["name", "seen"]
    item.save(only=item.dirty_fields)
    assert item.dirty_field_names == []
    assert Item.get_by_id(item.id).name == "b"


def test_dispose_closes_even_inside_a_transaction(db):
    Item = make_model(db)
    assert db.dispose() is None
    db.connect(reuse_if_open=True)
    txn = db.atomic()
    txn.__enter__()
    Item.create(name="lost")
    assert db.in_transaction()
    db.dispose()
    assert db.is_closed() and not db.in_transaction() and db.transaction_depth() == 0
    assert Item.select().where(Item.name == "lost").count() == 0  # rolled back by the server
    assert db.dispose() is None
    assert SqliteDatabase(None).dispose() is None


def test_case_value(db):
    Item = make_model(db)
    for name, qty in (("a", 1), ("b", 2)):
        Item.create(name=name, qty=qty)
    value = Item.qty.case_value("7")
    assert value.converter == Item.qty.db_value
    Item.update(qty=Case(Item.name, [("a", Item.qty.case_value("10"))], Item.qty.case_value("20"))
                ).execute()
    assert sorted(Item.select(Item.name, Item.qty).tuples()) == [("a", 10), ("b", 20)]
    Item.update(seen=Item.seen.case_value(datetime.date(2024, 5, 6))).execute()
    assert {i.seen for i in Item.select()} == {datetime.date(2024, 5, 6)}


def test_get_database_instance(tmp_path):
    database = SqliteDatabase(str(tmp_path / "x.db"))
    proxy = DatabaseProxy()

    class Direct(Model):
        class Meta:
            pass

    Direct._meta.database = database

    class ViaProxy(Model):
        class Meta:
            database = proxy

    class Unbound(Model):
        pass

    assert Direct._meta.get_database_instance() is database
    assert ViaProxy._meta.get_database_instance() is None
    assert Unbound._meta.get_database_instance() is None
    proxy.initialize(database)
    assert ViaProxy._meta.get_database_instance() is database
    assert ViaProxy._meta.database is proxy
