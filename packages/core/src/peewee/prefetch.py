"""``prefetch()``: load a query and its related rows with one query per model, then link them in Python
(``user.tweets`` becomes a list, ``tweet.user`` the loaded object) instead of one query per row.

Also the helpers that restrict a related query to the rows of a parent query (``IN`` subquery or
join on the parent keys), shared with ``peewee.eager``.  Works on model queries only through their
public API; knows nothing of SQL text or drivers.
"""
from __future__ import annotations

import operator
from functools import reduce
from typing import Any, Sequence

from .sql.cursor import _AttrDict
from .sql.query import CompoundSelectQuery, Select

__all__ = ["PREFETCH_TYPE", "prefetch"]

#: How a related query is restricted to the parent rows: ``WHERE`` (``IN (subquery)``),
#: ``JOIN`` (a join on the parent keys) or ``MATERIALIZE`` (the keys already loaded, as an
#: ``IN`` list; ``Load`` only).  Attribute and item access, like a dict.
PREFETCH_TYPE = _AttrDict(WHERE=1, JOIN=2, MATERIALIZE=3)


def parent_keys(parent_query: Any, columns: Sequence[Any]) -> Any:
    """A select of the key ``columns`` of ``parent_query``'s rows: the query itself with only
    those columns, or, for a compound query or one with LIMIT / OFFSET (which MySQL refuses
    inside ``IN``), a select from it as a derived table."""
    if isinstance(parent_query, CompoundSelectQuery):
        derived = parent_query.alias("_compound")
    elif parent_query._limit is not None or parent_query._offset is not None:
        derived = parent_query.select(*columns).alias("_limited")
    else:
        return parent_query.select(*columns)
    return Select((derived,), [getattr(derived.c, column.column_name) for column in columns])


def relate(query: Any, parent_query: Any, pairs: Sequence[tuple], strategy: int) -> Any:
    """Restrict ``query`` to the rows related to ``parent_query``.  ``pairs`` are
    ``(column of query, the column of parent_query it matches)``; several pairs are ORed."""
    if strategy == PREFETCH_TYPE.JOIN:
        # Distinct keys, so a parent repeated by its own joins cannot repeat related rows.
        keys = list(dict.fromkeys(key for _, key in pairs))
        derived = parent_keys(parent_query, keys).order_by().distinct()
        on = reduce(operator.or_, [col == getattr(derived.c, key.column_name) for col, key in pairs])
        query = query.join(derived, on=on)
        if len(pairs) > 1:
            # One row may match the keys through more than one of the ORed columns.
            query = query.distinct()
        return query
    return query.where(reduce(operator.or_, [
        col << parent_keys(parent_query, (key,)) for col, key in pairs]))


def _backref_name(fk: Any) -> str:
    name = getattr(fk, "backref", None)
    if not name or name.startswith("+"):
        name = "%s_set" % fk.model._meta.name
    return name


class _Step:
    """One query of a prefetch: its rows, the foreign keys tying it to an earlier query, and
    the models whose rows it attaches to."""

    def __init__(self, query: Any, fields: Any = None, is_backref: bool = False,
                 rel_models: Any = None) -> None:
        self.query = query
        self.model = query.model
        self.fields = fields or []
        # is_backref: the earlier query's rows hold the foreign keys (``fields``).
        self.is_backref = is_backref
        if rel_models is None:
            rel_models = [f.model if is_backref else f.rel_model for f in self.fields]
        self.rel_models = rel_models
        self.names = [f.rel_field.name if is_backref else f.name for f in self.fields]

    def store(self, instance: Any, id_map: dict) -> None:
        """File ``instance`` under each of its keys."""
        data = instance.__data__
        for field, name in zip(self.fields, self.names):
            key = (field, field.rel_field.python_value(data[name]))
            if self.is_backref:
                id_map[key] = instance
            else:
                id_map.setdefault(key, []).append(instance)

    def populate(self, instance: Any, id_map: dict) -> None:
        """Attach to ``instance`` (a row of a related query) the rows of this query filed in
        ``id_map``."""
        data = instance.__data__
        if self.is_backref:
            for field in self.fields:
                related = id_map.get((field, data[field.name]))
                if related is not None:
                    data[field.name] = related.__data__.get(field.rel_field.name)
                    instance.__rel__[field.name] = related
            return
        for field, name in zip(self.fields, self.names):
            related = id_map.get((field, data[field.rel_field.name]), [])
            value = data.get(field.rel_field.name)
            for child in related:
                child.__data__[name] = value
                child.__rel__[name] = instance
            instance.__dict__[_backref_name(field)] = related


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
        model = query.model
        fks = backrefs = None
        for previous in reversed(steps[: index + 1]):
            parent = previous.model
            refs = model._meta.model_refs.get(_unaliased(parent), [])
            fks = backrefs = None
            if refs:
                fks = [getattr(model, fk.name) for fk in refs]
                pks = [getattr(parent, fk.rel_field.name) for fk in refs]
            else:
                backrefs = model._meta.model_backrefs.get(_unaliased(parent))
            if (fks or backrefs) and (target is None or target is parent):
                break
        else:
            using = " using %s" % (target,) if target else ""
            raise AttributeError(
                "Error: unable to find foreign key for query: %s%s" % (query, using))
        dest = (target,) if target else None
        if fks:
            query = relate(query, previous.query, list(zip(fks, pks)), prefetch_type)
            steps.append(_Step(query, fks, False, dest))
        else:
            pairs = [(getattr(model, fk.rel_field.name), getattr(parent, fk.name))
                     for fk in backrefs]
            query = relate(query, previous.query, pairs, prefetch_type)
            steps.append(_Step(query, backrefs, True, dest))
    return steps


def _unaliased(source: Any) -> Any:
    """The model of a model or model alias."""
    from .model_query import ModelAlias

    return source.model if isinstance(source, ModelAlias) else source


def prefetch(sq: Any, *subqueries: Any, **kwargs: Any) -> Any:
    """Run ``sq`` and one query per entry of ``subqueries``; return the rows of ``sq`` (a list)
    with the related rows attached.  With no subqueries, ``sq`` itself is returned."""
    if not subqueries:
        return sq
    prefetch_type = kwargs.pop("prefetch_type", PREFETCH_TYPE.WHERE)
    if kwargs:
        raise ValueError("Unrecognized arguments: %s" % kwargs)
    if prefetch_type == PREFETCH_TYPE.MATERIALIZE:
        raise ValueError("PREFETCH_TYPE.MATERIALIZE is not supported by prefetch(). Use "
                         "Model.select().with_related() with a Load() node instead.")
    if prefetch_type not in PREFETCH_TYPE.values():
        raise ValueError("prefetch_type must be a PREFETCH_TYPE value.")

    steps = _plan(sq, subqueries, prefetch_type)
    id_maps: dict = {}
    related_to: dict = {}
    # The last query runs first, so each query's rows find the rows of the later ones filed.
    for step in reversed(steps):
        if step.fields:
            for rel_model in step.rel_models:
                related_to.setdefault(rel_model, []).append(step)
        id_map = id_maps.setdefault(step.model, {})
        relations = related_to.get(step.model)
        for instance in step.query:
            if step.fields:
                step.store(instance, id_map)
            if relations:
                for rel in relations:
                    rel.populate(instance, id_maps[rel.model])
    return list(steps[0].query)
