"""``prefetch()``: load a query and its related rows with one query per model, then link them in Python
(``user.tweets`` becomes a list, ``tweet.user`` the loaded object) instead of one query per row.

Works on model queries only through their public API; knows nothing of SQL text or drivers.
"""
from __future__ import annotations

import operator
from functools import reduce
from types import SimpleNamespace
from typing import Any

__all__ = ["PREFETCH_TYPE", "prefetch"]

PREFETCH_TYPE = SimpleNamespace(WHERE=1, JOIN=2)


def _model(source: Any) -> Any:
    return source if hasattr(source, "_meta") else source.model


class _Step:
    """One query of a prefetch and how its rows attach to the rows of an earlier step."""

    def __init__(self, query: Any, fields: Any = None, is_backref: bool = False, parent: Any = None) -> None:
        self.query = query
        self.source = query.model
        self.model = _model(query.model)
        # fields: the foreign keys linking this step to ``parent`` (an earlier step).
        self.fields = fields or []
        # is_backref: the earlier step's model holds the foreign key (a "many to one" lookup).
        self.is_backref = is_backref
        self.parent = parent
        self.children: list = []


def _as_query(item: Any) -> Any:
    if hasattr(item, "_meta") or (hasattr(item, "model") and not hasattr(item, "where")):
        return item.select()
    return item


def _plan(root_query: Any, subqueries: tuple, prefetch_type: int) -> list:
    steps = [_Step(root_query)]
    for index, item in enumerate(subqueries):
        target = None
        if isinstance(item, tuple):
            item, target = item
        query = _as_query(item)
        query_model = _model(query.model)
        for previous in reversed(steps[: index + 1]):
            if target is not None and previous.source is not target:
                continue
            last_model = previous.model
            fks = list(query_model._meta.model_refs.get(last_model, ()))
            backrefs = [] if fks else list(query_model._meta.model_backrefs.get(last_model, ()))
            if fks or backrefs:
                break
        else:
            raise AttributeError("Error: unable to find foreign key for query: %s" % (query,))

        last_query = previous.query
        last_source = previous.source
        if fks:
            pairs = [(getattr(query.model, fk.name), getattr(last_source, fk.rel_field.name)) for fk in fks]
            if prefetch_type == PREFETCH_TYPE.JOIN:
                for fk, pk in pairs:
                    subquery = last_query.select(pk).distinct().order_by()
                    column = getattr(subquery.c, pk.column_name)
                    query = query.join(subquery, on=(fk == column), attr="_prefetch_%s" % fk.name)
            else:
                query = query.where(reduce(operator.or_, [fk << last_query.select(pk) for fk, pk in pairs]))
            step = _Step(query, fks, False, previous)
        else:
            pairs = [(getattr(query.model, fk.rel_field.name), getattr(last_source, fk.name)) for fk in backrefs]
            if prefetch_type == PREFETCH_TYPE.JOIN:
                for rel, fk in pairs:
                    subquery = last_query.select(fk).distinct().order_by()
                    column = getattr(subquery.c, fk.column_name)
                    query = query.join(subquery, on=(rel == column), attr="_prefetch_%s" % fk.name)
            else:
                query = query.where(reduce(operator.or_, [rel << last_query.select(fk) for rel, fk in pairs]))
            step = _Step(query, backrefs, True, previous)
        previous.children.append(step)
        steps.append(step)
    return steps


def _backref_name(fk: Any) -> str:
    name = getattr(fk, "backref", None)
    if not name or name == "+" or name.startswith("+"):
        name = "%s_set" % fk.model._meta.name
    return name


def prefetch(sq: Any, *subqueries: Any, prefetch_type: int = PREFETCH_TYPE.WHERE) -> Any:
    """Run ``sq`` and each related query once; return the rows of ``sq`` (a list) with related
    objects attached."""
    if not subqueries:
        return sq
    steps = _plan(sq, subqueries, prefetch_type)
    rows: dict = {}
    for step in reversed(steps):
        rows[step] = list(step.query)

    for step in steps[1:]:
        parent_rows = rows[step.parent]
        child_rows = rows[step]
        if not step.is_backref:
            # Children hold the foreign key: group them by key value under each parent.
            for fk in step.fields:
                groups: dict = {}
                for child in child_rows:
                    groups.setdefault(child.__data__.get(fk.name), []).append(child)
                attr = _backref_name(fk)
                for parent in parent_rows:
                    related = groups.get(parent.__data__.get(fk.rel_field.name), [])
                    for child in related:
                        child.__rel__[fk.name] = parent
                    parent.__dict__[attr] = related
        else:
            # Parents hold the foreign key: look each related object up by its key.
            for fk in step.fields:
                by_key = {child.__data__.get(fk.rel_field.name): child for child in child_rows}
                for parent in parent_rows:
                    related = by_key.get(parent.__data__.get(fk.name))
                    if related is not None:
                        parent.__rel__[fk.name] = related
    return rows[steps[0]]
