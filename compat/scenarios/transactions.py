"""Transactions: atomic blocks, savepoints, explicit commits and rollbacks, sessions."""

from __future__ import annotations

from peewee import CharField, IntegrityError, Model

from compat.registry import scenario


def _items(db):
    class Item(Model):
        name = CharField(unique=True)

        class Meta:
            database = db

    db.create_tables([Item])
    return Item


def _names(Item):
    return [i.name for i in Item.select().order_by(Item.id)]


@scenario()
def atomic_blocks(db, obs):
    Item = _items(db)
    with db.atomic() as txn:
        Item.create(name="a")
        obs.value(
            "inside", (db.in_transaction(), db.transaction_depth(), db.top_transaction() is txn)
        )
    obs.value("after", (db.in_transaction(), db.transaction_depth()))
    try:
        with db.atomic():
            Item.create(name="b")
            Item.create(name="a")
    except IntegrityError as exc:
        obs.raised("unique", exc)
    obs.value("names1", _names(Item))
    with db.atomic():
        Item.create(name="c")
        try:
            with db.atomic():
                Item.create(name="d")
                raise ValueError("undo")
        except ValueError:
            pass
        with db.atomic() as sp:
            Item.create(name="e")
            obs.value("depth", db.transaction_depth())
            sp.rollback()
            Item.create(name="f")
    obs.value("names2", _names(Item))
    with db.atomic() as txn:
        Item.create(name="g")
        txn.commit()
        Item.create(name="h")
        txn.rollback()
        Item.create(name="i")
    obs.value("names3", _names(Item))


@scenario()
def decorators_and_savepoints(db, obs):
    Item = _items(db)

    @db.atomic()
    def add_two(a, b):
        Item.create(name=a)
        Item.create(name=b)

    add_two("a", "b")
    obs.call("failing", add_two, "c", "a")
    with db.transaction() as txn:
        Item.create(name="t")
        with db.savepoint() as sp:
            Item.create(name="s")
            sp.rollback()
        with db.savepoint():
            Item.create(name="s2")
        obs.value("depth", db.transaction_depth())
        txn.commit()
    obs.value("names", _names(Item))

    @db.transaction()
    def in_txn():
        Item.create(name="x")
        raise ValueError("no")

    obs.call("transaction_decorator", in_txn)
    obs.value("names2", _names(Item))


@scenario()
def manual_commit(db, obs):
    Item = _items(db)
    with db.manual_commit():
        db.begin()
        Item.create(name="m1")
        db.rollback()
        db.begin()
        Item.create(name="m2")
        db.commit()
    obs.value("names", _names(Item))
    obs.call("commit_outside", db.commit)
    obs.call("rollback_outside", db.rollback)


@scenario()
def sessions(db, obs):
    Item = _items(db)
    obs.call("start", lambda: type(db.session_start()).__name__)
    Item.create(name="a")
    obs.value("in_tx", db.in_transaction())
    obs.call("commit", db.session_commit)
    obs.value("after_commit", db.in_transaction())
    db.session_start()
    Item.create(name="b")
    obs.call("rollback", db.session_rollback)
    obs.value("names", _names(Item))
    obs.call("commit_without_session", db.session_commit)
    obs.call("rollback_without_session", db.session_rollback)
    db.session_start()
    with db.atomic():
        Item.create(name="c")
    obs.value("nested_depth", db.transaction_depth())
    db.session_rollback()
    obs.value("names2", _names(Item))


@scenario()
def connection_state(db, obs):
    obs.value("closed_initially", db.is_closed())
    obs.call("connect", db.connect)
    obs.call("connect_again", db.connect)
    obs.value("reuse", db.connect(reuse_if_open=True))
    obs.call("close", db.close)
    obs.call("close_again", db.close)
    with db.connection_context():
        obs.value("inside_ctx", db.is_closed())
    obs.value("after_ctx", db.is_closed())
    with db:
        obs.value("with_db", (db.is_closed(), db.in_transaction()))
    obs.value("after_with", db.is_closed())
    db.connect()
    with db.connection_context():
        obs.value("context_when_open", db.is_closed())
    obs.value("after_context_when_open", db.is_closed())
    if not db.is_closed():
        db.close()
