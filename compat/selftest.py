"""Scenarios that check the harness itself (tests/test_compat_harness.py runs them with both sides
on the same interpreter): one that agrees, one that differs on purpose, one that cannot run."""

from __future__ import annotations

import os

from peewee import CharField, Model

from compat.registry import Unavailable, scenario


@scenario()
def agrees(db, obs):
    class Thing(Model):
        name = CharField()

        class Meta:
            database = db

    db.create_tables([Thing])
    Thing.create(name="x")
    obs.rows("things", Thing.select(Thing.name).tuples())


@scenario()
def differs(db, obs):
    obs.value("side", os.environ.get("COMPAT_SIDE"))


@scenario()
def unavailable(db, obs):
    if os.environ.get("COMPAT_SIDE") == "ours":
        raise Unavailable("not here")
    obs.value("ran", True)
