"""Query shapes drawn by hypothesis, as JSON descriptions that compat/shapes.py turns into queries.

Runs in the parent only: the draws are derandomised (the same list on every run), and both child
processes build their queries from the same descriptions.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

__all__ = ["generate_shapes"]

ALL = ["sqlite", "postgres", "mysql"]

# field -> kind of constant it compares with
FIELDS = {
    "Person": {
        "id": "pk",
        "name": "name",
        "age": "int",
        "score": "float",
        "active": "bool",
        "joined": "date",
    },
    "Note": {"id": "pk", "author": "pk", "title": "title", "likes": "int", "rating": "decimal"},
}
NAMES = ["ann", "bob", "cy", "dee", "eve", "zed", "Ann", "o'neil", ""]
TITLES = ["hello", "world", "hello world", "x", "notes", "50%", "a_b"]

CONSTANTS = {
    "pk": st.integers(0, 9),
    "int": st.integers(-1, 60),
    "float": st.sampled_from([0.5, 1.0, 2.25, 10.0, -3.5]),
    "decimal": st.sampled_from(["0.10", "1.50", "3.25", "9.99"]).map(lambda v: {"decimal": v}),
    "bool": st.booleans(),
    "date": st.sampled_from(["2020-01-01", "2021-06-15", "2023-12-31"]).map(lambda v: {"date": v}),
    "name": st.sampled_from(NAMES),
    "title": st.sampled_from(TITLES),
}
OPS = ["=", "!=", "<", "<=", ">", ">="]


def field_ref(model: str, kinds: Any = None) -> st.SearchStrategy:
    names = [f for f, k in FIELDS[model].items() if kinds is None or k in kinds]
    return st.sampled_from(names).map(lambda f: f"{model}.{f}")


def kind_of(ref: str) -> str:
    model, name = ref.split(".")
    return FIELDS[model][name]


@st.composite
def comparison(draw: Any, models: List[str]) -> Dict[str, Any]:
    model = draw(st.sampled_from(models))
    ref = draw(field_ref(model))
    kind = kind_of(ref)
    const = CONSTANTS[kind]
    form = draw(st.sampled_from(["cmp", "cmp", "in", "between", "null", "like"]))
    if form == "like" and kind in ("name", "title"):
        return {
            "like": draw(st.sampled_from(["contains", "startswith", "endswith", "ilike"])),
            "f": ref,
            "v": draw(st.sampled_from(["a", "o", "An", "%", "_", "hello"])),
        }
    if form == "in":
        return {"in": ref, "vs": draw(st.lists(const, max_size=3)), "neg": draw(st.booleans())}
    if form == "between" and kind not in ("bool",):
        return {"between": ref, "lo": draw(const), "hi": draw(const)}
    if form == "null":
        return {"null": ref, "neg": draw(st.booleans())}
    return {"cmp": draw(st.sampled_from(OPS)), "f": ref, "v": draw(const)}


@st.composite
def subselect(draw: Any, outer: str) -> Dict[str, Any]:
    inner = "Note" if outer == "Person" else "Person"
    return {
        "model": inner,
        "where": draw(st.none() | comparison([inner])),
        "correlated": draw(st.booleans()),
        "limit": draw(st.none() | st.integers(1, 3)),
    }


def predicate(models: List[str], depth: int = 2) -> st.SearchStrategy:
    base = comparison(models)
    outer = models[0]
    sub = st.one_of(
        st.builds(
            lambda s, neg: {"in_sub": True, "sub": s, "neg": neg}, subselect(outer), st.booleans()
        ),
        st.builds(lambda s: {"exists": s}, subselect(outer)),
        st.builds(
            lambda s, op, agg: {"cmp_sub": op, "agg": agg, "sub": s},
            subselect(outer),
            st.sampled_from(OPS),
            st.sampled_from(["MAX", "MIN", "COUNT"]),
        ),
    )
    if depth <= 0:
        return base
    inner = predicate(models, depth - 1)
    return st.one_of(
        base,
        base,
        sub,
        st.builds(lambda a, b, op: {op: [a, b]}, inner, inner, st.sampled_from(["and", "or"])),
        st.builds(lambda a: {"not": a}, inner),
    )


@st.composite
def select_shape(draw: Any) -> Dict[str, Any]:
    model = draw(st.sampled_from(["Person", "Note"]))
    other = "Note" if model == "Person" else "Person"
    join = draw(
        st.none()
        | st.fixed_dictionaries(
            {"type": st.sampled_from(["INNER", "LEFT_OUTER"]), "on": st.booleans()}
        )
    )
    models = [model, other] if join else [model]
    group = draw(st.booleans())
    if group:
        keys = draw(
            st.lists(field_ref(draw(st.sampled_from(models))), min_size=1, max_size=2, unique=True)
        )
        aggs = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "agg": st.sampled_from(["COUNT", "SUM", "MAX", "MIN"]),
                        "f": field_ref(model, ("int", "pk")),
                    }
                ),
                min_size=1,
                max_size=2,
            )
        )
        columns = [{"f": k} for k in keys] + aggs
        having = draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "op": st.sampled_from([">", ">=", "<"]),
                    "v": st.integers(0, 3),
                    "sub": st.none() | st.sampled_from(["MIN", "COUNT"]),
                }
            )
        )
        order = [{"f": k, "desc": draw(st.booleans())} for k in keys]
    else:
        picks = draw(st.lists(field_ref(draw(st.sampled_from(models))), max_size=3, unique=True))
        columns = [{"f": p} for p in picks]
        if draw(st.booleans()):
            columns.append(
                draw(
                    st.sampled_from(
                        [
                            {"arith": f"{model}.id", "op": "*", "v": 2},
                            {
                                "fn": "LOWER",
                                "f": "Person.name" if "Person" in models else "Note.title",
                            },
                            {
                                "fn": "COALESCE",
                                "f": "Person.age" if "Person" in models else "Note.likes",
                            },
                            {"scalar_sub": draw(subselect(model))},
                            {"case": "Person.age" if "Person" in models else "Note.likes"},
                        ]
                    )
                )
            )
        having = None
        order = [
            {"f": p, "desc": draw(st.booleans())}
            for p in draw(st.lists(field_ref(model), max_size=2, unique=True))
        ]
        order.append({"f": f"{model}.id", "desc": draw(st.booleans())})
        if join:
            order.append({"f": f"{other}.id", "desc": False})
    join_sub = model == "Person" and not group and draw(st.integers(0, 4)) == 0
    order_sub = None if group else draw(st.none() | st.none() | subselect(model))
    return {
        "kind": "select",
        "model": model,
        "join": join,
        "join_sub": join_sub,
        "order_sub": order_sub,
        "columns": columns,
        "where": draw(st.none() | predicate(models)),
        "group": group,
        "having": having,
        "order": order,
        "limit": draw(st.none() | st.integers(0, 4)),
        "offset": draw(st.none() | st.integers(1, 3)),
        "distinct": draw(st.booleans()),
        "rows": draw(st.sampled_from(["tuples", "dicts", "namedtuples", "models"])),
        "terminal": draw(
            st.sampled_from(
                [None, None, None, "count", "exists", "scalar", "first", "get", "from_subquery"]
            )
        ),
        "backends": ALL,
    }


@st.composite
def compound_shape(draw: Any) -> Dict[str, Any]:
    width = draw(st.integers(1, 2))

    def part(model: str) -> Dict[str, Any]:
        return {"model": model, "where": draw(st.none() | comparison([model]))}

    parts = [
        part(draw(st.sampled_from(["Person", "Note"]))) for _ in range(draw(st.integers(2, 3)))
    ]
    return {
        "kind": "compound",
        "width": width,
        "parts": parts,
        "ops": draw(
            st.lists(
                st.sampled_from(["|", "+", "&", "-"]),
                min_size=len(parts) - 1,
                max_size=len(parts) - 1,
            )
        ),
        "order": draw(st.sampled_from([None, "asc", "desc"])),
        "limit": draw(st.none() | st.integers(0, 3)),
        "offset": draw(st.none() | st.integers(1, 2)),
        "wrap": draw(st.booleans()),
        "backends": ALL,
    }


@st.composite
def cte_shape(draw: Any) -> Dict[str, Any]:
    return {
        "kind": "cte",
        "where": draw(st.none() | comparison(["Note"])),
        "agg": draw(st.sampled_from(["SUM", "COUNT", "MAX"])),
        "join": draw(st.booleans()),
        "materialized": draw(st.sampled_from([None, True, False])),
        "recursive": draw(st.none() | st.integers(1, 6)),
        "backends": ALL,
    }


@st.composite
def window_shape(draw: Any) -> Dict[str, Any]:
    func = draw(
        st.sampled_from(
            [
                "RANK",
                "ROW_NUMBER",
                "DENSE_RANK",
                "SUM",
                "COUNT",
                "AVG",
                "LAG",
                "LEAD",
                "FIRST_VALUE",
                "NTILE",
            ]
        )
    )
    frame = None
    if func in ("SUM", "COUNT", "AVG", "FIRST_VALUE") and draw(st.booleans()):
        frame = {
            "start": draw(st.sampled_from(["unbounded", "current", 1, 2])),
            "end": draw(st.sampled_from([None, "current", "unbounded_following", 1])),
            "type": draw(st.sampled_from([None, "ROWS", "RANGE"])),
        }
    return {
        "kind": "window",
        "fn": func,
        "partition": draw(st.booleans()),
        "order_desc": draw(st.none() | st.booleans()),
        "frame": frame,
        "named": draw(st.booleans()),
        "where": draw(st.none() | comparison(["Note"])),
        "backends": ALL,
    }


@st.composite
def upsert_shape(draw: Any) -> Dict[str, Any]:
    rows = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "key": st.sampled_from(["a", "b", "c", "new"]),
                    "hits": st.integers(0, 9),
                    "label": st.none() | st.sampled_from(["x", "y"]),
                }
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda r: r["key"],
        )
    )
    return {
        "kind": "upsert",
        "rows": rows,
        "many": draw(st.booleans()),
        "mode": draw(
            st.sampled_from(["ignore", "replace", "preserve", "update", "excluded", "where"])
        ),
        "target": draw(st.booleans()),
        "backends": ALL,
    }


def _value(kind: str) -> st.SearchStrategy:
    text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
    return {
        "CharField": text,
        "TextField": text,
        "FixedCharField": st.text("abcxyz", min_size=1, max_size=5),
        "IntegerField": st.integers(-(2**31), 2**31 - 1),
        "BigIntegerField": st.integers(-(2**63), 2**63 - 1),
        "SmallIntegerField": st.integers(-(2**15), 2**15 - 1),
        "FloatField": st.sampled_from([0.0, 1.5, -2.25, 1e10, 3.0]),
        "DoubleField": st.floats(-1e12, 1e12, allow_nan=False).map(lambda f: round(f, 6)),
        "DecimalField": st.decimals(
            -9999, 9999, places=2, allow_nan=False, allow_infinity=False
        ).map(lambda d: {"decimal": str(d)}),
        "BooleanField": st.booleans(),
        "DateField": st.dates().map(lambda d: {"date": d.isoformat()}),
        "DateTimeField": st.datetimes().map(lambda d: {"datetime": d.isoformat()}),
        "TimeField": st.times().map(lambda t: {"time": t.isoformat()}),
        "TimestampField": st.integers(0, 2**31 - 1).map(lambda s: {"timestamp": s}),
        "UUIDField": st.uuids().map(lambda u: {"uuid": str(u)}),
        "BinaryUUIDField": st.uuids().map(lambda u: {"uuid": str(u)}),
        "BlobField": st.binary(max_size=16).map(lambda b: {"bytes": b.hex()}),
        "IPField": st.ip_addresses(v=4).map(str),
        "JSONField": st.recursive(
            st.none() | st.booleans() | st.integers(-1000, 1000) | st.text("abc", max_size=3),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text("xyz", min_size=1, max_size=2), inner, max_size=3)
            ),
            max_leaves=5,
        ).map(lambda v: {"json": v}),
    }[kind]


@st.composite
def write_shape(draw: Any) -> Dict[str, Any]:
    op = draw(st.sampled_from(["update", "update", "delete", "insert_from"]))
    return {
        "kind": "write",
        "op": op,
        "where": draw(st.none() | predicate(["Note"], depth=1)),
        "set": draw(st.sampled_from(["likes_inc", "title_const", "likes_sub", "rating_null"])),
        "returning": draw(st.booleans()),
        "backends": ALL,
    }


def txn_block(depth: int) -> st.SearchStrategy:
    ops = st.builds(lambda: {"insert": True})
    if depth > 0:
        ops = st.one_of(ops, ops, txn_block(depth - 1))
    return st.fixed_dictionaries(
        {
            "type": st.sampled_from(["atomic", "atomic", "transaction", "savepoint"]),
            "body": st.lists(ops, min_size=1, max_size=3),
            "end": st.sampled_from(["none", "none", "none", "commit", "rollback", "raise", "fail"]),
        }
    )


@st.composite
def txn_shape(draw: Any) -> Dict[str, Any]:
    return {
        "kind": "txn",
        "outer": draw(st.sampled_from(["block", "block", "manual", "session"])),
        "block": draw(txn_block(2)),
        "finish": draw(st.sampled_from(["commit", "rollback"])),
        "backends": ALL,
    }


ROUNDTRIP_FIELDS = [
    "CharField",
    "TextField",
    "FixedCharField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "FloatField",
    "DoubleField",
    "DecimalField",
    "BooleanField",
    "DateField",
    "DateTimeField",
    "TimeField",
    "TimestampField",
    "UUIDField",
    "BinaryUUIDField",
    "BlobField",
    "IPField",
    "JSONField",
]


def roundtrip_shape(field: str) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {
            "kind": st.just("roundtrip"),
            "field": st.just(field),
            "values": st.lists(_value(field), min_size=1, max_size=3),
            "with_null": st.booleans(),
            "backends": st.just(ALL),
        }
    )


@st.composite
def prefetch_shape(draw: Any) -> Dict[str, Any]:
    return {
        "kind": "prefetch",
        "direction": draw(st.sampled_from(["backref", "backref", "foreign_key"])),
        "outer_where": draw(st.none() | comparison(["Person"])),
        "outer_limit": draw(st.none() | st.integers(1, 4)),
        "outer_desc": draw(st.booleans()),
        "inner_where": draw(st.none() | comparison(["Note"])),
        "inner_desc": draw(st.booleans()),
        "strategy": draw(st.sampled_from(["WHERE", "JOIN"])),
        "api": draw(st.sampled_from(["prefetch", "method", "with_related"])),
        "backends": ALL,
    }


@st.composite
def insert_shape(draw: Any) -> Dict[str, Any]:
    # the title is required (NOT NULL, no default); the other columns come and go between rows
    row = st.fixed_dictionaries(
        {"author": st.integers(1, 6), "title": st.sampled_from(TITLES)},
        optional={
            "likes": st.integers(0, 9),
            "rating": st.none() | CONSTANTS["decimal"],
        },
    )
    return {
        "kind": "insert",
        "api": draw(
            st.sampled_from(
                ["insert", "insert_many", "insert_many", "tuples", "bulk_create", "bulk_update"]
            )
        ),
        "rows": draw(st.lists(row, min_size=1, max_size=4)),
        "rowcount": draw(st.booleans()),
        "batch": draw(st.none() | st.integers(1, 3)),
        "returning": draw(st.booleans()),
        "backends": ALL,
    }


DEFAULTS = {
    "CharField": "x",
    "TextField": "t",
    "IntegerField": 7,
    "BooleanField": True,
    "FloatField": 1.5,
    "SmallIntegerField": 2,
    "BigIntegerField": 2**40,
}


@st.composite
def ddl_field(draw: Any, position: int) -> Dict[str, Any]:
    kind = draw(st.sampled_from(ROUNDTRIP_FIELDS))
    names = [f"col_{position}", f"Mixed Case {position}"] + (["select"] if position == 0 else [])
    field: Dict[str, Any] = {
        "type": kind,
        "null": draw(st.booleans()),
        "unique": draw(st.booleans())
        if kind not in ("TextField", "BlobField", "JSONField")
        else False,
        "index": draw(st.booleans())
        if kind not in ("TextField", "BlobField", "JSONField")
        else False,
        "column_name": draw(st.none() | st.sampled_from(names)),
    }
    if kind in DEFAULTS and draw(st.booleans()):
        field["default"] = DEFAULTS[kind]
    if kind == "CharField" and draw(st.booleans()):
        field["max_length"] = draw(st.sampled_from([1, 40, 255]))
    if kind == "DecimalField":
        field["max_digits"], field["decimal_places"] = draw(
            st.sampled_from([(5, 2), (12, 0), (10, 4)])
        )
    return field


@st.composite
def ddl_shape(draw: Any) -> Dict[str, Any]:
    fields = [draw(ddl_field(i)) for i in range(draw(st.integers(1, 4)))]
    names = [f"f{i}" for i in range(len(fields))]
    return {
        "kind": "ddl",
        "fields": fields,
        "pk": draw(st.sampled_from(["auto", "auto", "bigauto", "char", "composite", "none"])),
        "fk": draw(st.sampled_from(["none", "none", "plain", "CASCADE", "SET NULL", "RESTRICT"])),
        "table_name": draw(st.none() | st.sampled_from(["custom_table", "Quoted Name"])),
        # peewee 4.5.3 cannot write a JSONField on MariaDB (see known_differences.json): JSON
        # columns are covered there by the round trips
        "backends": ALL if all(f["type"] != "JSONField" for f in fields) else ALL[:2],
        "indexes": draw(
            st.lists(
                st.tuples(
                    st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True),
                    st.booleans(),
                ),
                max_size=2,
            )
        ),
    }


KINDS = {
    "select": (select_shape(), 5),
    "compound": (compound_shape(), 1),
    "cte": (cte_shape(), 0.3),
    "window": (window_shape(), 0.5),
    "upsert": (upsert_shape(), 0.5),
    "write": (write_shape(), 0.6),
    "txn": (txn_shape(), 0.8),
    "ddl": (ddl_shape(), 0.8),
    "prefetch": (prefetch_shape(), 0.8),
    "insert": (insert_shape(), 0.8),
}
# every field type gets its own round trips
KINDS.update({f"roundtrip.{f}": (roundtrip_shape(f), 0.06) for f in ROUNDTRIP_FIELDS})


def _draw_many(strategy: st.SearchStrategy, count: int) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(shape: Dict[str, Any]) -> None:
        found.append(shape)

    collect()
    return found


def generate_shapes(examples: int) -> List[Dict[str, Any]]:
    """About ``examples`` shapes per unit of weight for each kind, each with a stable id."""
    shapes = []
    for kind, (strategy, weight) in KINDS.items():
        seen = set()
        number = 0
        for shape in _draw_many(strategy, max(1, int(examples * weight))):
            key = json.dumps(shape, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            shape["id"] = f"shape.{kind}.{number:03d}"
            number += 1
            shapes.append(shape)
    return shapes
