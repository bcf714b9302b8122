"""Eager loading for ``ModelSelect.with_related()``: ``Load`` names a foreign key or back-reference
to fetch with one extra query once the main query has run, and how to link the rows.

Builds related queries through the public model-query API; knows nothing of SQL text or drivers.
"""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

from .prefetch import PREFETCH_TYPE
from .relations import BackrefAccessor, ForeignKeyField
from .sql import fn
from .sql.nodes import Ordering

__all__ = ["Load"]


def _backref_name(fk: ForeignKeyField) -> str:
    name = getattr(fk, "backref", None)
    if not name or name.startswith("+"):
        name = "%s_set" % fk.model._meta.name
    return name


class Load:
    """One relation to load eagerly.

    ``rel`` is a foreign key (``Tweet.user``: each row gets its related object) or a
    back-reference (``User.tweets``: each row gets a list). ``query`` restricts or orders the
    related rows; ``strategy`` is ``PREFETCH_TYPE.WHERE`` (an ``IN`` subquery) or
    ``PREFETCH_TYPE.JOIN`` (a join on the parent keys); ``per_parent`` keeps at most that many
    related rows per parent row, in the order of ``query`` (back-references only; ignored for
    foreign keys). ``then(*rels)`` loads relations of the
    related rows in turn.
    """

    def __init__(
        self,
        rel: Any,
        query: Any = None,
        strategy: int = PREFETCH_TYPE.WHERE,
        per_parent: Optional[int] = None,
    ) -> None:
        self._rel = rel
        self._field, self._is_backref = self._resolve(rel)
        self._query = query
        self._strategy = strategy
        self._per_parent = per_parent
        self._children: List["Load"] = []

    @staticmethod
    def _resolve(rel: Any) -> tuple:
        if isinstance(rel, BackrefAccessor):
            return rel.field, True
        if isinstance(rel, ForeignKeyField):
            return rel, False
        raise ValueError(
            "Load() expects a foreign-key or backref reference, got %r." % (rel,)
        )

    def clone(self) -> "Load":
        new = Load.__new__(Load)
        new.__dict__.update(self.__dict__)
        new._children = list(self._children)
        return new

    def then(self, *rels: Any) -> "Load":
        """A copy of this load that also loads ``rels`` on the related rows."""
        new = self.clone()
        new._children.extend(r if isinstance(r, Load) else Load(r) for r in rels)
        return new

    # -- running ----------------------------------------------------------------------------------

    @property
    def _target_model(self) -> Any:
        fk = self._field
        return fk.model if self._is_backref else fk.rel_model

    def _base(self) -> Any:
        if self._query is not None:
            return self._query
        return self._target_model.select()

    def _related_query(self, parent_query: Any) -> Any:
        fk = self._field
        query = self._base()
        if self._is_backref:
            mine, theirs = fk, fk.rel_field  # children hold the key
        else:
            mine, theirs = fk.rel_field, fk  # the parents hold the key
        if self._strategy == PREFETCH_TYPE.JOIN:
            keys = parent_query.select(theirs).distinct().order_by()
            column = getattr(keys.c, theirs.column_name)
            query = query.join(keys, on=(mine == column), attr="_load_%s" % fk.name)
        else:
            query = query.where(mine << parent_query.select(theirs))
        if self._per_parent is not None and self._is_backref:
            query = self._windowed(query)
        return query

    def _windowed(self, query: Any) -> Any:
        """Keep the first ``per_parent`` rows of each parent, in the query's order."""
        model = self._target_model
        pk = model._meta.primary_key
        order = []
        grouped = (pk, self._field)
        for term in query._order_by or [pk]:
            # One row per key after the GROUP BY: rank by the aggregated value of other terms.
            if any(term is column for column in grouped):
                order.append(term)
            elif isinstance(term, Ordering):
                wrap = fn.MAX if term.direction == "DESC" else fn.MIN
                order.append(Ordering(wrap(term.node), term.direction, term.collation, term.nulls))
            else:
                order.append(Ordering(fn.MIN(term), "ASC"))
        rank = fn.ROW_NUMBER().over(partition_by=[self._field], order_by=order)
        ranked = (
            query.select(pk, rank.alias("_rn"))
            .group_by(pk, self._field)
            .order_by()
            .cte("_load_ranked_0")
        )
        outer = (
            model.select()
            .join(ranked, on=(pk == ranked.c[pk.column_name]))
            .where(ranked.c._rn <= self._per_parent)
            .order_by(ranked.c._rn)
            .with_cte(ranked)
        )
        return outer.select(*query.selected_columns) if not query._is_default else outer

    def _run(self, parent_query: Any, parents: Sequence[Any], database: Any) -> None:
        fk = self._field
        query = self._related_query(parent_query)
        rows = list(query.execute(database)) if parents else []
        if self._is_backref:
            groups: dict = {}
            key = fk.name
            for child in rows:
                groups.setdefault(child.__data__.get(key), []).append(child)
            attr = _backref_name(fk)
            ref = fk.rel_field.name
            for parent in parents:
                related = groups.get(parent.__data__.get(ref), [])
                for child in related:
                    child.__rel__[key] = parent
                parent.__dict__[attr] = related
        else:
            ref = fk.rel_field.name
            by_key = {row.__data__.get(ref): row for row in rows}
            for parent in parents:
                related = by_key.get(parent.__data__.get(fk.name))
                if related is not None:
                    parent.__rel__[fk.name] = related
        for child in self._children:
            child._run(query, rows, database)


def as_loads(rels: Sequence[Any]) -> tuple:
    return tuple(r if isinstance(r, Load) else Load(r) for r in rels)


def load_related(query: Any, rows: Sequence[Any], database: Any) -> None:
    """Run every load of ``query._load_tree`` for the model rows ``rows``."""
    rows = [row for row in rows if hasattr(row, "__data__")]
    for load in query._load_tree:
        load._run(query, rows, database)
