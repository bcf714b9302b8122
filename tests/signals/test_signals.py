"""Model signals: which are sent, when, with what, and how receivers are managed."""

from __future__ import annotations

import pytest

from peewee import CharField, IntegerField, IntegrityError
from playhouse import signals
from playhouse.signals import Model, Signal, post_delete, post_save, pre_delete, pre_init, pre_save


@pytest.fixture(autouse=True)
def no_receivers():
    yield
    for signal in (pre_save, post_save, pre_delete, post_delete, pre_init):
        signal._flush()


@pytest.fixture
def models(db):
    class Note(Model):
        text = CharField(unique=True)

        class Meta:
            database = db

    class Draft(Note):
        pass

    class Loose(Model):
        value = IntegerField()

        class Meta:
            database = db
            primary_key = False

    db.create_tables([Note, Draft, Loose])
    return Note, Draft, Loose


def test_save_and_delete_send_pre_and_post_signals(models, db):
    Note, Draft, _ = models
    events = []

    @pre_save()
    def before(sender, instance, created):
        # The row is not written yet when pre_save runs.
        events.append(("pre_save", sender, instance.text, created, Note.select().count()))

    @post_save()
    def after(sender, instance, created):
        events.append(("post_save", sender, instance.id, created, Note.select().count()))

    pre_delete.connect(lambda s, i: events.append(("pre_delete", s, Note.select().count())), name="pd")
    post_delete.connect(lambda s, i: events.append(("post_delete", s, Note.select().count())), name="po")

    note = Note(text="a")
    assert note.save() == 1
    note.text = "b"
    note.save()
    assert note.delete_instance() == 1
    assert events == [
        ("pre_save", Note, "a", True, 0),
        ("post_save", Note, note.id, True, 1),
        ("pre_save", Note, "b", False, 1),
        ("post_save", Note, note.id, False, 1),
        ("pre_delete", Note, 1),
        ("post_delete", Note, 0),
    ]
    events.clear()
    existing = Note.create(text="c")
    Note(id=existing.id + 1, text="d").save(force_insert=True)
    assert [e[3] for e in events if e[0] == "pre_save"] == [True, True]


def test_sender_filters_by_class_and_subclass(models):
    Note, Draft, _ = models
    heard = []
    post_save.connect(lambda s, i, created: heard.append(("draft", s)), name="d", sender=Draft)
    post_save.connect(lambda s, i, created: heard.append(("note", s)), name="n", sender=Note)
    Note.create(text="n1")
    Draft.create(text="d1")
    assert heard == [("note", Note), ("draft", Draft), ("note", Draft)]


def test_pre_init_runs_for_new_and_loaded_instances(models):
    Note, _, _ = models
    seen = []
    pre_init.connect(lambda s, i: seen.append(s), name="init")
    Note.create(text="x")
    assert seen == [Note]
    assert [n.text for n in Note.select()] == ["x"]
    assert seen == [Note, Note]


def test_failed_save_sends_no_post_signal(models):
    Note, _, _ = models
    Note.create(text="dup")
    events = []
    pre_save.connect(lambda s, i, created: events.append("pre"), name="pre")
    post_save.connect(lambda s, i, created: events.append("post"), name="post")
    with pytest.raises(IntegrityError):
        Note.create(text="dup")
    assert events == ["pre"]


def test_model_without_primary_key(models):
    _, _, Loose = models
    flags = []
    pre_save.connect(lambda s, i, created: flags.append(created), name="flag")
    Loose.create(value=1)
    Loose(value=2).save()
    assert flags == [True, False]
    assert sorted(x.value for x in Loose.select()) == [1, 2]


def test_bulk_queries_send_nothing(models):
    Note, _, _ = models
    events = []
    for signal, name in ((pre_save, "a"), (post_save, "b"), (pre_delete, "c"), (post_delete, "d")):
        signal.connect(lambda *args, **kwargs: events.append(args), name=name)
    Note.insert(text="q").execute()
    Note.update(text="r").execute()
    Note.delete().execute()
    assert events == []


def test_connect_disconnect_and_errors():
    signal = Signal()

    def receiver(sender, instance):
        return "r"

    signal.connect(receiver)
    signal.connect(receiver, name="again")
    signal.connect(receiver, sender=str)
    with pytest.raises(ValueError, match=r"^receiver named receiver \(for sender=any\) already connected$"):
        signal.connect(receiver)
    with pytest.raises(ValueError, match=r"receiver named receiver \(for sender=<class 'str'>\) already"):
        signal.connect(receiver, sender=str)
    assert [r for r, _ in signal.send(1)] == [receiver, receiver]
    assert signal.send("text") == [(receiver, "r")] * 3
    signal.disconnect(receiver)
    signal.disconnect(name="again")
    assert signal.send(1) == []
    with pytest.raises(ValueError, match="^receiver named receiver for sender=any not found.$"):
        signal.disconnect(receiver)
    with pytest.raises(ValueError, match="^a receiver or a name must be provided$"):
        signal.disconnect()
    signal.disconnect(receiver, sender=str)
    assert signal.send("text") == []
    signal.connect(receiver)  # a disconnected name can be connected again
    assert len(signal.send(0)) == 1


def test_decorator_and_send_arguments():
    signal = Signal()
    calls = []

    @signal(name="named", sender=int)
    def first(sender, instance, *args, **kwargs):
        calls.append((sender, instance, args, kwargs))
        return 1

    @signal()
    def second(sender, instance, *args, **kwargs):
        return 2

    assert first.__name__ == "first"  # returned unchanged
    assert signal.send(5, "x", flag=True) == [(first, 1), (second, 2)]
    assert calls == [(int, 5, ("x",), {"flag": True})]
    assert signal.send("s") == [(second, 2)]
    assert set(signals.__all__) >= {"Model", "Signal", "pre_save", "post_save", "pre_delete",
                                    "post_delete", "pre_init"}
