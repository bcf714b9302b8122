"""Eager loading for ``ModelSelect.with_related()``: ``Load`` names a foreign key or back-reference
to fetch with one extra query once the main query has run, and how to link the rows.

Builds related queries through the public model-query API; knows nothing of SQL text or drivers.
"""
from __future__ import annotations

import operator
from functools import reduce
from typing import Any, Optional, Sequence

from .prefetch import PREFETCH_TYPE, _backref_name, relate
from .relations import BackrefAccessor, ForeignKeyField
from .sql import SQL, fn
from .sql.cursor import ROW
from .sql.nodes import Asc, Node, Ordering

__all__ = ["Load"]


def _returns_models(query: Any) -> bool:
    """Whether ``query`` builds model instances (rows can only be linked if it does)."""
    row_type = getattr(query, "_row_type", None)
    if row_type in (None, ROW.MODEL):
        return True
    constructor = getattr(query, "_constructor", None)
    return (row_type == ROW.CONSTRUCTOR and isinstance(constructor, type)
            and hasattr(constructor, "_meta"))


class Load(Node):
    """One relation to load eagerly.

    ``rel`` is a foreign key (``Tweet.user``: each row gets its related object) or a
    back-reference (``User.tweets``: each row gets a list). ``query`` is the query of the
    related model to fetch them with (its conditions, ordering, limit and joins apply);
    ``strategy`` is ``PREFETCH_TYPE.WHERE`` (an ``IN`` subquery of the parent query),
    ``PREFETCH_TYPE.JOIN`` (a join on the parent keys) or ``PREFETCH_TYPE.MATERIALIZE`` (the
    parent keys already loaded, as an ``IN`` list); ``per_parent`` keeps at most that many
    related rows per parent row, in the order of ``query`` (back-references only).
    ``then(*rels)`` loads relations of the related rows in turn.
    """

    def __init__(
        self,
        rel: Any,
        query: Any = None,
        strategy: int = PREFETCH_TYPE.WHERE,
        per_parent: Optional[int] = None,
    ) -> None:
        self._field, self._is_backref = self._resolve(rel)
        rel_model = self._field.model if self._is_backref else self._field.rel_model
        if query is not None and query.model is not rel_model:
            raise ValueError("Load() query must select from %s, got %s." % (rel_model, query.model))
        if query is not None and not _returns_models(query):
            raise ValueError(
                "Load() query must return model instances, not dicts/tuples/namedtuples.")
        if strategy not in PREFETCH_TYPE.values():
            raise ValueError("Load() strategy must be a PREFETCH_TYPE value.")
        self._query = query
        self._strategy = strategy
        self._per_parent = per_parent
        self._children: tuple = ()

    @staticmethod
    def _resolve(rel: Any) -> tuple:
        field = getattr(rel, "field", None)
        if type(rel).__name__ == "FieldAlias" and field is not None:
            rel = field  # ``Tweet.alias().user`` names ``Tweet.user``
        if isinstance(rel, BackrefAccessor):
            return rel.field, True
        if isinstance(rel, ForeignKeyField):
            return rel, False
        raise ValueError(
            "Load() expects a foreign-key or backref reference, got %r." % (rel,)
        )

    def __sql__(self, ctx: Any) -> Any:
        raise TypeError("Load() describes a relation to load; it is not SQL.")

    def then(self, *rels: Any) -> "Load":
        """A copy of this load that also loads ``rels`` on the related rows."""
        new = self.clone()
        new._children = self._children + tuple(r if isinstance(r, Load) else Load(r) for r in rels)
        return new

    # -- running ----------------------------------------------------------------------------------

    def _base(self, model: Any) -> Any:
        return self._query if self._query is not None else model.select()

    @staticmethod
    def _keys(parents: Sequence[Any], get: Any) -> list:
        keys: list = []
        seen: set = set()
        for parent in parents:
            key = get(parent)
            if key is not None and key not in seen:
                seen.add(key)
                keys.append(key)
        return keys

    def _link_children(self, query: Any, parent_query: Any, parents: Sequence[Any]) -> Any:
        """Restrict ``query`` (rows holding the foreign key) to the parents' rows."""
        field = self._field
        ref = field.rel_field.name
        if self._strategy == PREFETCH_TYPE.MATERIALIZE:
            return query.where(field << self._keys(parents, lambda p: getattr(p, ref)))
        # The key is read from the parent query's own source, so an aliased parent works.
        return relate(query, parent_query, [(field, getattr(parent_query.model, ref))],
                      self._strategy)

    def _link_parent(self, query: Any, parent_query: Any, parents: Sequence[Any]) -> Any:
        """Restrict ``query`` (the rows the parents' foreign key points at) to those keys."""
        field = self._field
        name = field.name
        if self._strategy == PREFETCH_TYPE.MATERIALIZE:
            return query.where(field.rel_field << self._keys(
                parents, lambda p: p.__data__.get(name)))
        return relate(query, parent_query, [(field.rel_field, getattr(parent_query.model, name))],
                      self._strategy)

    def _run(self, parents: Sequence[Any], parent_query: Any, depth: int, database: Any) -> tuple:
        field = self._field
        if self._is_backref:
            if self._per_parent is not None:
                query = self._windowed(parent_query, parents, depth)
            else:
                query = self._link_children(self._base(field.model), parent_query, parents)
        else:
            query = self._link_parent(self._base(field.rel_model), parent_query, parents)
        # Every relation runs on the database the main query ran on.
        rows = list(query.execute(database))
        _attach(field, self._is_backref, rows, parents)
        return rows, query

    @staticmethod
    def _rank_term(term: Any, pks: Sequence[Any], field: Any) -> Any:
        """An ORDER BY term usable after grouping by key: other terms are aggregated (MIN for
        ascending, MAX for descending), so a to-many join cannot rank one row twice."""
        ordering = term if isinstance(term, Ordering) else Asc(term)
        node = ordering.node.unwrap() if isinstance(ordering.node, Node) else ordering.node
        if isinstance(node, SQL):
            raise ValueError("per_parent cannot rank by a SQL() literal, order by a field or "
                             "expression instead.")
        if node is field or any(node is pk for pk in pks):
            return term
        wrap = fn.MAX if "DESC" in ordering.direction.upper() else fn.MIN
        return Ordering(wrap(node), ordering.direction, ordering.collation, ordering.nulls)

    def _windowed(self, parent_query: Any, parents: Sequence[Any], depth: int) -> Any:
        """The first ``per_parent`` related rows of each parent: rank them with ROW_NUMBER() in
        a CTE, then join the full rows to it in rank order."""
        field = self._field
        model = field.model
        base = self._base(model)
        if base._group_by:
            raise ValueError("per_parent is not supported with a grouped or aggregate "
                             "relation query.")
        pks = model._meta.get_primary_keys()
        order = [self._rank_term(term, pks, field) for term in (base._order_by or pks)]
        rank = fn.ROW_NUMBER().over(partition_by=[field], order_by=order).alias("_rn")
        ranked = (base.select(*pks, rank).order_by().limit(None).offset(None)
                  .group_by(*pks, field))
        cte = self._link_children(ranked, parent_query, parents).cte("_load_ranked_%d" % depth)
        on = reduce(operator.and_, [pk == getattr(cte.c, pk.column_name) for pk in pks])
        # A query of its own keeps its joins, so the objects it selects are built too.
        outer = model.select() if base._is_default else (
            base.limit(None).offset(None).switch(model))
        return (outer.join(cte, on=on)
                .where(cte.c._rn <= self._per_parent)
                .with_cte(cte)
                .order_by(cte.c._rn))


def _attach(field: Any, is_backref: bool, rows: Sequence[Any], parents: Sequence[Any]) -> None:
    """Link the loaded ``rows`` to ``parents`` through ``field``."""
    name = field.name
    ref = field.rel_field.name
    if is_backref:
        groups: dict = {}
        for child in rows:
            groups.setdefault(child.__data__[name], []).append(child)
        attr = _backref_name(field)
        for parent in parents:
            related = groups.get(parent.__data__[ref], [])
            for child in related:
                child.__rel__[name] = parent
            parent.__dict__[attr] = related
    else:
        by_key = {row.__data__[ref]: row for row in rows}
        for parent in parents:
            key = parent.__data__[name]
            if key in by_key:
                parent.__rel__[name] = by_key[key]


def as_loads(rels: Sequence[Any]) -> tuple:
    return tuple(r if isinstance(r, Load) else Load(r) for r in rels)


def _load(parents: Sequence[Any], parent_query: Any, loads: Sequence[Load], depth: int,
          database: Any) -> None:
    if not parents:
        return
    for load in loads:
        rows, query = load._run(parents, parent_query, depth, database)
        if load._children:
            _load(rows, query, load._children, depth + 1, database)


def load_related(query: Any, rows: Sequence[Any], database: Any) -> None:
    """Run every load of ``query._load_tree`` for the model rows ``rows``."""
    if not _returns_models(query):
        return
    _load([row for row in rows if hasattr(row, "__data__")], query, query._load_tree, 0, database)
