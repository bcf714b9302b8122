"""Generated query shapes: build and run the query a JSON description (from generate.py) asks for.

Runs inside the child processes under either implementation: only the peewee API is used.  The
read-only shapes share one seeded schema; the writing ones put the data back afterwards.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any, Callable, Dict, List

import peewee as pw
from peewee import JOIN, SQL, Case, Model, Window, fn

from compat.recorder import Recorder

__all__ = ["run_all"]


def make_models(db: Any) -> Dict[str, Any]:
    class Base(Model):
        class Meta:
            database = db

    class Person(Base):
        name = pw.CharField(unique=True)
        age = pw.IntegerField(null=True)
        score = pw.FloatField(null=True)
        active = pw.BooleanField(default=True)
        joined = pw.DateField(null=True)

    class Note(Base):
        author = pw.ForeignKeyField(Person, backref="notes")
        title = pw.CharField()
        likes = pw.IntegerField(default=0)
        rating = pw.DecimalField(max_digits=6, decimal_places=2, null=True)

    class Counter(Base):
        key = pw.CharField(unique=True)
        hits = pw.IntegerField(default=0)
        label = pw.CharField(null=True)

    return {"Person": Person, "Note": Note, "Counter": Counter}


PEOPLE = [
    ("ann", 31, 2.25, True, datetime.date(2020, 1, 1)),
    ("bob", 17, None, True, datetime.date(2021, 6, 15)),
    ("cy", None, 10.0, False, None),
    ("dee", 45, 0.5, True, datetime.date(2023, 12, 31)),
    ("o'neil", 31, -3.5, False, datetime.date(2022, 2, 2)),
    ("Ana", 5, 1.0, True, None),
]
NOTES = [
    (1, "hello", 3, "1.50"),
    (1, "world", 0, None),
    (2, "hello world", 7, "9.99"),
    (4, "x", 1, "0.10"),
    (4, "notes", 3, "3.25"),
    (5, "50%", 12, None),
    (1, "a_b", 2, "1.50"),
    (6, "hello", 0, "0.10"),
]
COUNTERS = [("a", 1, "x"), ("b", 2, None)]


def seed(models: Dict[str, Any]) -> None:
    Person, Note, Counter = models["Person"], models["Note"], models["Counter"]
    Counter.delete().execute()
    Note.delete().execute()
    Person.delete().execute()
    Person.insert_many(
        [
            dict(id=i, name=n, age=a, score=s, active=ac, joined=j)
            for i, (n, a, s, ac, j) in enumerate(PEOPLE, 1)
        ]
    ).execute()
    Note.insert_many(
        [
            dict(id=i, author=a, title=t, likes=lk, rating=decimal.Decimal(r) if r else None)
            for i, (a, t, lk, r) in enumerate(NOTES, 1)
        ]
    ).execute()
    Counter.insert_many([dict(key=k, hits=h, label=lb) for k, h, lb in COUNTERS]).execute()
    db = Person._meta.database
    if type(db).__name__.startswith("MySQL"):  # ids of new rows must not depend on the past
        for model in (Person, Note, Counter):
            db.execute_sql(f"ALTER TABLE `{model._meta.table_name}` AUTO_INCREMENT = 1")
    if type(db).__name__.startswith("Postgres"):  # explicit ids leave the sequences behind
        for model in (Person, Note, Counter):
            table = model._meta.table_name
            db.execute_sql(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)',
                (table,),
            )


def const(value: Any) -> Any:
    """Decode the tagged constants of generate.py."""
    if isinstance(value, dict):
        ((tag, v),) = value.items()
        if tag == "decimal":
            return decimal.Decimal(v)
        if tag == "date":
            return datetime.date.fromisoformat(v)
        if tag == "datetime":
            return datetime.datetime.fromisoformat(v)
        if tag == "time":
            return datetime.time.fromisoformat(v)
        if tag == "timestamp":
            return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=v)
        if tag == "uuid":
            return uuid.UUID(v)
        if tag == "bytes":
            return bytes.fromhex(v)
        if tag == "json":
            return v
        raise ValueError(tag)
    return value


class Builder:
    def __init__(self, models: Dict[str, Any]) -> None:
        self.models = models

    def field(self, ref: str) -> Any:
        model, name = ref.split(".")
        return getattr(self.models[model], name)

    def predicate(self, e: Dict[str, Any], outer: Any) -> Any:
        if "and" in e:
            a, b = e["and"]
            return self.predicate(a, outer) & self.predicate(b, outer)
        if "or" in e:
            a, b = e["or"]
            return self.predicate(a, outer) | self.predicate(b, outer)
        if "not" in e:
            return ~self.predicate(e["not"], outer)
        if "cmp" in e:
            f, v = self.field(e["f"]), const(e["v"])
            return {"=": f == v, "!=": f != v, "<": f < v, "<=": f <= v, ">": f > v, ">=": f >= v}[
                e["cmp"]
            ]
        if "in" in e:
            f, vs = self.field(e["in"]), [const(v) for v in e["vs"]]
            return f.not_in(vs) if e["neg"] else f.in_(vs)
        if "between" in e:
            return self.field(e["between"]).between(const(e["lo"]), const(e["hi"]))
        if "null" in e:
            return self.field(e["null"]).is_null(not e["neg"])
        if "like" in e:
            f, v = self.field(e["f"]), e["v"]
            return f**v if e["like"] == "ilike" else getattr(f, e["like"])(v)
        if "in_sub" in e:
            sub = self.subselect(e["sub"], outer, column="key")
            key = outer.id if e["sub"]["model"] == "Note" else outer.author
            return key.not_in(sub) if e["neg"] else key.in_(sub)
        if "exists" in e:
            return fn.EXISTS(self.subselect(e["exists"], outer, column="id"))
        if "cmp_sub" in e:
            sub = self.subselect(e["sub"], outer, column=e["agg"])
            f = outer.id
            return {
                "=": f == sub,
                "!=": f != sub,
                "<": f < sub,
                "<=": f <= sub,
                ">": f > sub,
                ">=": f >= sub,
            }[e["cmp_sub"]]
        raise ValueError(e)

    def subselect(self, s: Dict[str, Any], outer: Any, column: str) -> Any:
        inner = self.models[s["model"]]
        if column == "key":
            col = inner.author if s["model"] == "Note" else inner.id
        elif column == "id":
            col = inner.id
        else:
            col = getattr(fn, column)(inner.id)
        q = inner.select(col)
        if s["where"]:
            q = q.where(self.predicate(s["where"], inner))
        if s["correlated"]:
            q = q.where(
                inner.author == outer.id if s["model"] == "Note" else inner.id == outer.author
            )
        if s["limit"] and column in ("id",):
            q = q.order_by(inner.id).limit(s["limit"])
        return q

    def column(self, c: Dict[str, Any], model: Any) -> Any:
        if "agg" in c:
            return getattr(fn, c["agg"])(self.field(c["f"])).alias(f"{c['agg'].lower()}_x")
        if "f" in c and len(c) == 1:
            return self.field(c["f"])
        if "arith" in c:
            return (self.field(c["arith"]) * c["v"]).alias("arith")
        if "fn" in c:
            f = self.field(c["f"])
            return (fn.LOWER(f) if c["fn"] == "LOWER" else fn.COALESCE(f, 0)).alias("fx")
        if "scalar_sub" in c:
            return self.subselect(c["scalar_sub"], model, column="COUNT").alias("sub")
        if "case" in c:
            f = self.field(c["case"])
            return Case(None, [(f > 10, "big"), (f.is_null(), "none")], "small").alias("size")
        raise ValueError(c)

    def select(self, d: Dict[str, Any]) -> Any:
        model = self.models[d["model"]]
        other = self.models["Note" if d["model"] == "Person" else "Person"]
        cols = [self.column(c, model) for c in d["columns"]]
        q = model.select(*cols)
        if d["join"]:
            on = None
            if d["join"]["on"]:
                Note, Person = self.models["Note"], self.models["Person"]
                on = Note.author == Person.id
            q = q.join(other, getattr(JOIN, d["join"]["type"]), on=on)
        if d.get("join_sub"):
            Note = self.models["Note"]
            sq = (
                Note.select(Note.author, fn.COUNT(Note.id).alias("cnt"))
                .group_by(Note.author)
                .alias("nq")
            )
            q = q.select_extend(sq.c.cnt).join(sq, JOIN.LEFT_OUTER, on=(model.id == sq.c.author_id))
        if d["where"]:
            q = q.where(self.predicate(d["where"], model))
        if d["group"]:
            q = q.group_by(*[self.field(c["f"]) for c in d["columns"] if len(c) == 1])
            if d["having"]:
                h = d["having"]
                agg = fn.COUNT(model.id)
                v = h["v"]
                if h.get("sub"):  # a subquery in HAVING
                    Note = self.models["Note"]
                    v = Note.select(getattr(fn, h["sub"])(Note.likes)).where(Note.likes > h["v"])
                q = q.having({">": agg > v, ">=": agg >= v, "<": agg < v}[h["op"]])
        order = [self.field(o["f"]).desc() if o["desc"] else self.field(o["f"]) for o in d["order"]]
        if d.get("order_sub"):
            order.insert(0, pw.Desc(self.subselect(d["order_sub"], model, column="COUNT")))
        q = q.order_by(*order)
        if d["distinct"]:
            q = q.distinct()
        if d["limit"] is not None:
            q = q.limit(d["limit"])
        if d["offset"] is not None:
            q = q.offset(d["offset"])
        return q


def run_select(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    q = b.select(d)
    obs.sql("sql", q)
    terminal = d["terminal"]
    if terminal == "count":
        obs.call("count", q.count)
    elif terminal == "exists":
        obs.call("exists", q.exists)
    elif terminal == "scalar":
        obs.call("scalar", q.scalar)
    elif terminal == "first":
        obs.call("first", q.first)
    elif terminal == "get":
        obs.call("get", q.get)
    elif terminal == "from_subquery":
        sq = q.alias("sq")
        outer = pw.Select([sq], [fn.COUNT(SQL("*"))]).bind(b.models["Person"]._meta.database)
        obs.call("from_subquery", outer.scalar)
    elif d["rows"] == "models" and d["join"]:
        # the joined model's instance hangs off each row: record it too (a lazy load shows up
        # as the statements it runs)
        attr = "author" if d["model"] == "Note" else "note"
        rows = obs.rows("rows", q)
        obs.value("related", [getattr(r, attr, None) for r in rows])
    else:
        obs.rows("rows", getattr(q, d["rows"])() if d["rows"] != "models" else q)


def run_compound(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    queries = []
    for part in d["parts"]:
        model = b.models[part["model"]]
        text, num = (
            (model.name, model.age) if part["model"] == "Person" else (model.title, model.likes)
        )
        q = model.select(text.alias("label"), *([num.alias("num")] if d["width"] == 2 else []))
        if part["where"]:
            q = q.where(b.predicate(part["where"], model))
        queries.append(q)
    query = queries[0]
    for op, q in zip(d["ops"], queries[1:]):
        query = {"|": query.union, "+": query.union_all, "&": query.intersect, "-": query.except_}[
            op
        ](q)
    if d["order"]:
        keys = [SQL("label")] + ([SQL("num")] if d["width"] == 2 else [])
        query = query.order_by(*[k.desc() if d["order"] == "desc" else k for k in keys])
    if d["limit"] is not None:
        query = query.limit(d["limit"])
    if d["offset"] is not None:
        query = query.offset(d["offset"])
    if d["wrap"]:
        sq = query.alias("cq")
        query = pw.Select([sq], [sq.c.label]).bind(b.models["Person"]._meta.database)
    obs.sql("sql", query)
    obs.rows("rows", query.tuples(), ordered=bool(d["order"]) and not d["wrap"])


def run_cte(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Note, Person = b.models["Note"], b.models["Person"]
    db = Person._meta.database
    if d["recursive"]:
        base = pw.Select(columns=[pw.Value(1).alias("n")]).cte(
            "nums", recursive=True, columns=("n",)
        )
        step = pw.Select(columns=[base.c.n + 1]).from_(base).where(base.c.n < d["recursive"])
        nums = base.union_all(step)
        q = pw.Select(columns=[nums.c.n]).from_(nums).with_cte(nums).order_by(nums.c.n).bind(db)
        obs.sql("recursive_sql", q)
        obs.rows("recursive", q.tuples())
    inner = Note.select(Note.author, getattr(fn, d["agg"])(Note.likes).alias("total"))
    if d["where"]:
        inner = inner.where(b.predicate(d["where"], Note))
    kwargs = {} if d["materialized"] is None else {"materialized": d["materialized"]}
    cte = inner.group_by(Note.author).cte("totals", **kwargs)
    if d["join"]:
        q = (
            Person.select(Person.name, cte.c.total)
            .join(cte, on=(Person.id == cte.c.author_id))
            .with_cte(cte)
            .order_by(Person.name)
        )
    else:
        q = (
            pw.Select([cte], [cte.c.author_id, cte.c.total])
            .with_cte(cte)
            .order_by(cte.c.author_id)
            .bind(db)
        )
    obs.sql("sql", q)
    obs.rows("rows", q.tuples())


def run_window(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Note = b.models["Note"]
    func = d["fn"]
    args = {
        "SUM": [Note.likes],
        "COUNT": [Note.id],
        "AVG": [Note.likes],
        "LAG": [Note.likes],
        "LEAD": [Note.likes, 1],
        "FIRST_VALUE": [Note.title],
        "NTILE": [2],
    }.get(func, [])
    call = getattr(fn, func)(*args)
    order = (
        []
        if d["order_desc"] is None
        else [Note.likes.desc() if d["order_desc"] else Note.likes, Note.id]
    )
    if not order and (d["frame"] or func not in ("SUM", "COUNT", "AVG")):
        order = [Note.id]  # without an order these results depend on the plan
    kwargs: Dict[str, Any] = {
        "partition_by": [Note.author] if d["partition"] else None,
        "order_by": order or None,
    }
    frame = d["frame"]
    if frame:
        start = {"unbounded": Window.preceding(), "current": Window.CURRENT_ROW}.get(
            frame["start"], frame["start"]
        )
        if isinstance(start, int):
            start = Window.preceding(start)
        kwargs["start"] = start
        end = frame["end"]
        if end is not None:
            kwargs["end"] = {
                "current": Window.CURRENT_ROW,
                "unbounded_following": Window.following(),
            }.get(end, Window.following(end) if isinstance(end, int) else end)
        if frame["type"]:
            kwargs["frame_type"] = getattr(Window, frame["type"])
    if d["named"]:
        w = Window(**kwargs)
        q = Note.select(Note.id, call.over(w).alias("w")).window(w)
    else:
        q = Note.select(Note.id, call.over(**kwargs).alias("w"))
    if d["where"]:
        q = q.where(b.predicate(d["where"], Note))
    q = q.order_by(Note.id)
    obs.sql("sql", q)
    obs.rows("rows", q.tuples())


def run_upsert(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Counter = b.models["Counter"]
    rows = d["rows"]
    if d["many"]:
        q = Counter.insert_many(rows)
    else:
        q = Counter.insert(**rows[0])
    target = {"conflict_target": [Counter.key]} if d["target"] else {}
    mode = d["mode"]
    try:
        if mode == "ignore":
            q = q.on_conflict_ignore()
        elif mode == "replace":
            q = q.on_conflict_replace()
        elif mode == "preserve":
            q = q.on_conflict(preserve=[Counter.hits, Counter.label], **target)
        elif mode == "update":
            q = q.on_conflict(update={Counter.hits: Counter.hits + 1}, **target)
        elif mode == "excluded":
            q = q.on_conflict(update={Counter.hits: pw.EXCLUDED.hits + Counter.hits}, **target)
        else:
            q = q.on_conflict(update={Counter.label: "w"}, where=(Counter.hits > 1), **target)
    except Exception as exc:
        obs.raised("build", exc)
        return
    obs.sql("sql", q)
    obs.call("execute", q.execute)
    obs.rows(
        "rows",
        Counter.select(Counter.key, Counter.hits, Counter.label).order_by(Counter.key).tuples(),
    )


def run_write(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Note, Person = b.models["Note"], b.models["Person"]
    where = b.predicate(d["where"], Note) if d["where"] else None
    if d["op"] == "delete":
        q = Note.delete()
    elif d["op"] == "insert_from":
        src = Note.select(Note.author, Note.title.concat("!"), Note.likes + 100)
        if where is not None:
            src = src.where(where)
            where = None
        q = Note.insert_from(src, fields=[Note.author, Note.title, Note.likes])
    else:
        value = {
            "likes_inc": {Note.likes: Note.likes + 1},
            "title_const": {Note.title: "changed"},
            "likes_sub": {
                Note.likes: Person.select(fn.COALESCE(fn.MAX(Person.age), 0)).where(
                    Person.id == Note.author
                )
            },
            "rating_null": {Note.rating: None},
        }[d["set"]]
        q = Note.update(value)
    if where is not None:
        q = q.where(where)
    db = Note._meta.database
    if d["returning"] and not db.__class__.__name__.startswith("MySQL"):
        q = q.returning(Note.id, Note.likes)
        obs.sql("sql", q)
        obs.call("returned", lambda: sorted((list(r) for r in q.tuples().execute()), key=repr))
    else:
        obs.sql("sql", q)
        obs.call("execute", q.execute)
    obs.rows(
        "notes",
        Note.select(Note.author, Note.title, Note.likes, Note.rating).order_by(Note.id).tuples(),
    )


class Undo(Exception):
    """Raised inside a generated transaction block to leave it by an exception."""


def run_txn(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Counter = b.models["Counter"]
    db = Counter._meta.database
    count = [0]

    def block(blk: Dict[str, Any]) -> None:
        ctx = getattr(db, blk["type"])()
        try:
            with ctx as txn:
                for op in blk["body"]:
                    if "insert" in op:
                        count[0] += 1
                        Counter.create(key=f"k{count[0]}")
                    else:
                        block(op)
                obs.value("depth", (db.in_transaction(), db.transaction_depth()))
                end = blk["end"]
                if end == "commit":
                    txn.commit()
                elif end == "rollback":
                    txn.rollback()
                elif end == "raise":
                    raise Undo()
                elif end == "fail":  # a failing statement inside the block
                    Counter.create(key="a")
        except Undo:
            obs.value("undone", blk["type"])
        except pw.IntegrityError as exc:
            obs.raised("failed", exc)

    outer = d["outer"]
    if outer == "block":
        block(d["block"])
    elif outer == "manual":
        with db.manual_commit():  # blocks are refused here: run only the block's own inserts
            db.begin()
            for op in d["block"]["body"]:
                if "insert" in op:
                    count[0] += 1
                    Counter.create(key=f"k{count[0]}")
            obs.value("depth", (db.in_transaction(), db.transaction_depth()))
            getattr(db, d["finish"])()
    else:
        db.session_start()
        block(d["block"])
        getattr(db, "session_" + d["finish"])()
    obs.value("after", (db.in_transaction(), db.transaction_depth()))
    obs.rows("keys", Counter.select(Counter.key).order_by(Counter.id).tuples())


def run_prefetch(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Person, Note = b.models["Person"], b.models["Note"]
    strategy = getattr(pw.PREFETCH_TYPE, d["strategy"])
    if d["direction"] == "backref":
        outer_model, inner_model, relation = Person, Note, Person.notes
    else:
        outer_model, inner_model, relation = Note, Person, Note.author
    outer = outer_model.select()
    inner = inner_model.select()
    if d["outer_where"] and outer_model is Person:
        outer = outer.where(b.predicate(d["outer_where"], Person))
    if d["inner_where"] and inner_model is Note:
        inner = inner.where(b.predicate(d["inner_where"], Note))
    outer = outer.order_by(outer_model.id.desc() if d["outer_desc"] else outer_model.id)
    inner = inner.order_by(inner_model.id.desc() if d["inner_desc"] else inner_model.id)
    if d["outer_limit"]:
        outer = outer.limit(d["outer_limit"])
    if d["api"] == "prefetch":
        rows = pw.prefetch(outer, inner, prefetch_type=strategy)
    elif d["api"] == "method":
        rows = outer.prefetch(inner, prefetch_type=strategy)
    else:
        rows = outer.with_related(pw.Load(relation, inner, strategy=strategy))
    rows = obs.rows("rows", rows)
    if d["direction"] == "backref":
        obs.value("related", [[n.title for n in p.notes] for p in rows])
    else:
        obs.value("related", [n.author.name if n.author_id else None for n in rows])


def run_insert(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Note = b.models["Note"]
    db = Note._meta.database
    rows = [{k: const(v) for k, v in r.items()} for r in d["rows"]]
    api = d["api"]
    if api in ("bulk_create", "bulk_update"):
        notes = [Note(**{"title": "t", **r}) for r in rows]
        obs.call("bulk_create", Note.bulk_create, notes, batch_size=d["batch"])
        obs.value("ids", [n.id for n in notes])
        if api == "bulk_update":
            saved = list(Note.select().where(Note.id > len(NOTES)).order_by(Note.id))
            for n in saved:
                n.likes = (n.likes or 0) + 10
                n.title = n.title + "?"
            obs.call(
                "bulk_update",
                Note.bulk_update,
                saved,
                fields=[Note.likes, Note.title],
                batch_size=d["batch"],
            )
    else:
        if api == "insert":
            q = Note.insert(**rows[0])
        elif api == "tuples":
            fields = [Note.author, Note.title, Note.likes]
            q = Note.insert_many(
                [(r["author"], r.get("title", "t"), r.get("likes", 0)) for r in rows],
                fields=fields,
            )
        else:
            q = Note.insert_many(rows)
        if d["rowcount"]:
            q = q.as_rowcount()
        if d["returning"] and not type(db).__name__.startswith("MySQL"):
            q = q.returning(Note.id, Note.title)
            obs.sql("sql", q)
            obs.call("execute", lambda: list(q.tuples().execute()))
        else:
            obs.sql("sql", q)
            obs.call("execute", q.execute)
    obs.rows(
        "notes",
        Note.select(Note.author, Note.title, Note.likes, Note.rating)
        .where(Note.id > len(NOTES))
        .order_by(Note.id)
        .tuples(),
    )


def run_ddl(b: Builder, d: Dict[str, Any], obs: Recorder) -> None:
    Person = b.models["Person"]
    db = Person._meta.database
    attrs: Dict[str, Any] = {}
    for i, f in enumerate(d["fields"]):
        kwargs = {k: v for k, v in f.items() if k != "type" and v not in (None, False)}
        attrs[f"f{i}"] = getattr(pw, f["type"])(**kwargs)
    meta: Dict[str, Any] = {"database": db}
    if d["table_name"]:
        meta["table_name"] = d["table_name"]
    pk = d["pk"]
    if pk == "bigauto":
        attrs["id"] = pw.BigAutoField()
    elif pk == "char":
        attrs["code"] = pw.CharField(primary_key=True, max_length=20)
    elif pk == "composite":
        attrs["k1"] = pw.IntegerField()
        attrs["k2"] = pw.IntegerField()
        meta["primary_key"] = pw.CompositeKey("k1", "k2")
    elif pk == "none":
        meta["primary_key"] = False
    if d["fk"] != "none":
        on_delete = None if d["fk"] == "plain" else d["fk"]
        attrs["owner"] = pw.ForeignKeyField(
            Person, null=True, on_delete=on_delete, backref=f"generated_{d['id']}"
        )
    # indexes over fields that have none of their own, each once (MySQL has no CREATE INDEX
    # IF NOT EXISTS, so a repeated index name would fail there)
    plain_fields = {f"f{i}" for i, f in enumerate(d["fields"]) if not (f["index"] or f["unique"])}
    indexes = {tuple(names): unique for names, unique in d["indexes"] if set(names) <= plain_fields}
    if indexes:
        meta["indexes"] = tuple(indexes.items())
    attrs["Meta"] = type("Meta", (), meta)
    try:
        model = type("Generated", (Model,), attrs)
    except Exception as exc:
        obs.raised("define", exc)
        return
    obs.value("create", model._schema._create_table().query())
    obs.value("indexes", [ctx.query() for ctx in model._schema._create_indexes()])
    try:
        obs.call("create_table", db.create_tables, [model])
        with obs.quiet():
            table = model._meta.table_name
            obs.call(
                "columns",
                lambda: sorted((c.name, c.null, c.primary_key) for c in db.get_columns(table)),
            )
            obs.call(
                "index_names", lambda: sorted((i.name, i.unique) for i in db.get_indexes(table))
            )
        values: Dict[str, Any] = {}
        if pk == "char":
            values["code"] = "c1"
        elif pk == "composite":
            values.update(k1=1, k2=2)
        for i, f in enumerate(d["fields"]):
            # a TimestampField defaults to the current time: always give it a value
            if (not f["null"] and "default" not in f) or f["type"] == "TimestampField":
                values[f"f{i}"] = SAMPLE_VALUES[f["type"]]
        obs.call("insert", lambda: model.insert(**values).execute())
        obs.rows("read", model.select().tuples())
    finally:
        with obs.quiet():
            db.drop_tables([model])


SAMPLE_VALUES: Dict[str, Any] = {
    "CharField": "v",
    "TextField": "text",
    "FixedCharField": "f",
    "IntegerField": 3,
    "BigIntegerField": 2**40,
    "SmallIntegerField": 4,
    "FloatField": 0.25,
    "DoubleField": 0.5,
    "DecimalField": decimal.Decimal("1.5"),
    "BooleanField": False,
    "DateField": datetime.date(2024, 2, 29),
    "DateTimeField": datetime.datetime(2024, 2, 29, 12, 30),
    "TimeField": datetime.time(12, 30),
    "TimestampField": datetime.datetime(2024, 2, 29, 12, 30),
    "UUIDField": uuid.UUID(int=1),
    "BinaryUUIDField": uuid.UUID(int=2),
    "BlobField": b"\x00\x01",
    "IPField": "10.0.0.1",
    "JSONField": {"a": [1]},
}


ROUNDTRIP_FIELDS = {
    "DecimalField": {"max_digits": 10, "decimal_places": 2},
    "FixedCharField": {"max_length": 5},
}


def run_roundtrip(db: Any, d: Dict[str, Any], obs: Recorder) -> None:
    cls = getattr(pw, d["field"], None)
    if cls is None:
        obs.value("missing_field", d["field"])
        return

    class Holder(Model):
        value = cls(null=True, **ROUNDTRIP_FIELDS.get(d["field"], {}))

        class Meta:
            database = db
            table_name = "holder"

    values = [const(v) for v in d["values"]] + ([None] if d["with_null"] else [])
    with obs.quiet():
        db.drop_tables([Holder])
    db.create_tables([Holder])
    try:
        for v in values:
            obs.call("insert", lambda v=v: Holder.create(value=v).id)
        obs.rows("read", Holder.select(Holder.value).order_by(Holder.id).tuples())
        for v in values[:2]:
            obs.rows(
                "filter",
                Holder.select(Holder.id).where(Holder.value == v).order_by(Holder.id).tuples(),
            )
        obs.call("get", lambda: Holder.get_by_id(1).value)
    finally:
        with obs.quiet():
            db.drop_tables([Holder])


def _reset(db: Any) -> None:
    """Forget every open transaction and close the connection (under either implementation)."""
    while db.transaction_depth():
        db.pop_transaction()
    try:
        db.rollback()
    except Exception:
        pass
    try:
        db.close()
    except Exception:
        pass


def run_all(db: Any, shapes: List[Dict[str, Any]], run_one: Callable) -> Dict[str, Any]:
    models = make_models(db)
    db.create_tables(list(models.values()))
    seed(models)
    b = Builder(models)
    results = {}
    for d in shapes:
        kind = d["kind"]

        def scenario(db: Any, obs: Recorder, d: Dict[str, Any] = d, kind: str = kind) -> None:
            if kind == "select":
                run_select(b, d, obs)
            elif kind == "compound":
                run_compound(b, d, obs)
            elif kind == "cte":
                run_cte(b, d, obs)
            elif kind == "window":
                run_window(b, d, obs)
            elif kind in ("upsert", "write", "txn", "ddl", "insert"):
                try:
                    run = {
                        "upsert": run_upsert,
                        "write": run_write,
                        "txn": run_txn,
                        "ddl": run_ddl,
                        "insert": run_insert,
                    }[kind]
                    run(b, d, obs)
                finally:
                    with obs.quiet():
                        if kind == "txn":  # a fresh connection: none of its state carries over
                            if db.in_transaction():
                                obs.events.append(["left_open", db.transaction_depth()])
                            _reset(db)
                        seed(models)
            elif kind == "prefetch":
                run_prefetch(b, d, obs)
            else:
                run_roundtrip(db, d, obs)

        results[d["id"]] = run_one(scenario, db)
        if not db.is_closed() and db.in_transaction():
            # a shape that left a transaction open: start the next one on a new connection
            results[d["id"]]["events"].append(["left_open", db.transaction_depth()])
            _reset(db)
    return results
