"""JSONField: storage per backend, round trips, path lookups, key and containment tests, in-place
updates, and the SQL text rendered for each dialect."""

from __future__ import annotations

import json

import pytest

from peewee import (
    IntegerField,
    JSONField,
    Model,
    MySQLDatabase,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

DOCS = [
    {"name": "ann", "tags": ["a", "b"], "meta": {"age": 30, "city": "Oslo"}, "n": 10},
    {"name": "bob", "tags": ["b"], "meta": {"age": 9, "city": "Rome"}, "n": 9},
    {"name": "cy", "tags": [], "meta": {"age": 41}, "flag": True},
]


def make_model(database):
    class Doc(Model):
        label = TextField()
        data = JSONField(null=True)

        class Meta:
            table_name = "json_doc"

    Doc.bind(database)
    database.connect(reuse_if_open=True)
    database.create_tables([Doc])
    for index, data in enumerate(DOCS):
        Doc.create(label="d%d" % index, data=data)
    return Doc


def labels(query):
    return sorted(row.label for row in query)


def test_round_trip_values(db):
    Doc = make_model(db)
    values = [{"a": [1, 2.5, None, True], "b": {"c": "é"}}, [1, "two", {"three": 3}], "text", 42,
              None]
    for index, value in enumerate(values):
        Doc.create(label="v%d" % index, data=value)
    for index, value in enumerate(values):
        assert Doc.get(Doc.label == "v%d" % index).data == value
    rows = list(Doc.select(Doc.data).where(Doc.label.startswith("v")).order_by(Doc.label).tuples())
    assert [row[0] for row in rows] == values


def test_whole_document_equality(db):
    Doc = make_model(db)
    Doc.create(label="list", data=[1, 2])
    assert labels(Doc.select().where(Doc.data == [1, 2])) == ["list"]
    assert labels(Doc.select().where(Doc.data.is_null())) == []


def test_path_lookups(db):
    Doc = make_model(db)
    assert labels(Doc.select().where(Doc.data["name"] == "bob")) == ["d1"]
    assert labels(Doc.select().where(Doc.data["meta"]["age"] == 41)) == ["d2"]
    assert labels(Doc.select().where(Doc.data.path("meta", "city") == "Oslo")) == ["d0"]
    assert labels(Doc.select().where(Doc.data["tags"][0] == "b")) == ["d1"]
    assert labels(Doc.select().where(Doc.data["meta"] == {"age": 41})) == ["d2"]
    assert labels(Doc.select().where(Doc.data["tags"] == ["a", "b"])) == ["d0"]
    assert labels(Doc.select().where(Doc.data["name"].in_(["ann", "cy"]))) == ["d0", "d2"]
    assert labels(Doc.select().where(Doc.data["n"].is_null())) == ["d2"]
    assert labels(Doc.select().where(Doc.data["flag"] == True)) == ["d2"]  # noqa: E712


def test_path_as_text_int_float(db):
    Doc = make_model(db)
    assert labels(Doc.select().where(Doc.data["meta"]["city"].as_text() == "Rome")) == ["d1"]
    assert labels(Doc.select().where(Doc.data["n"].as_int() > 9)) == ["d0"]
    assert labels(Doc.select().where(Doc.data["meta"]["age"].as_float() < 30.5)) == ["d0", "d1"]
    query = Doc.select(Doc.data["meta"]["city"].as_text().alias("city")).order_by(Doc.label)
    assert [row.city for row in query] == ["Oslo", "Rome", None]


def test_selected_paths_are_decoded(db):
    Doc = make_model(db)
    query = (Doc
             .select(Doc.data["meta"].alias("meta"), Doc.data["tags"].alias("tags"),
                     Doc.data["name"].alias("name"))
             .order_by(Doc.label))
    rows = list(query.tuples())
    assert rows[0] == ({"age": 30, "city": "Oslo"}, ["a", "b"], "ann")
    assert rows[2] == ({"age": 41}, [], "cy")


def test_keys(db):
    Doc = make_model(db)
    assert labels(Doc.select().where(Doc.data.has_key("flag"))) == ["d2"]
    assert labels(Doc.select().where(Doc.data["meta"].has_key("city"))) == ["d0", "d1"]
    assert labels(Doc.select().where(Doc.data.has_keys(["n", "tags"]))) == ["d0", "d1"]
    assert labels(Doc.select().where(Doc.data.has_any_keys(["flag", "missing"]))) == ["d2"]
    assert labels(Doc.select().where(Doc.data["meta"].has_keys(["age", "city"]))) == ["d0", "d1"]
    assert labels(Doc.select().where(Doc.data["meta"].has_any_keys(["x", "y"]))) == []


def test_containment(db):
    Doc = make_model(db)
    assert labels(Doc.select().where(Doc.data.contains({"name": "ann"}))) == ["d0"]
    assert labels(Doc.select().where(Doc.data.contains({"meta": {"age": 9}}))) == ["d1"]
    assert labels(Doc.select().where(Doc.data["tags"].contains(["b"]))) == ["d0", "d1"]
    assert labels(Doc.select().where(Doc.data["meta"].contained_by(
        {"age": 41, "city": "Paris"}))) == ["d2"]
    Doc.create(label="small", data={"name": "ann"})
    assert labels(Doc.select().where(Doc.data.contained_by(
        {"name": "ann", "extra": 1}))) == ["small"]


def test_length(db):
    Doc = make_model(db)
    assert labels(Doc.select().where(Doc.data["tags"].length() == 1)) == ["d1"]
    Doc.delete().execute()  # PostgreSQL refuses the length of a non-array document
    Doc.create(label="arr", data=[1, 2, 3])
    Doc.create(label="arr2", data=[[1], 2])
    assert labels(Doc.select().where(Doc.data.length() == 3)) == ["arr"]
    assert Doc.select(Doc.data.length()).where(Doc.label == "arr2").scalar() == 2


def test_in_place_updates(db):
    Doc = make_model(db)
    d0 = Doc.data
    Doc.update(data=d0["tags"].append("z")).where(Doc.label == "d0").execute()
    Doc.update(data=d0["meta"]["city"].set("Bergen")).where(Doc.label == "d0").execute()
    Doc.update(data=d0["extra"].set({"k": [1]})).where(Doc.label == "d0").execute()
    Doc.update(data=d0["name"].insert("ignored")).where(Doc.label == "d0").execute()
    Doc.update(data=d0["new"].insert(5)).where(Doc.label == "d0").execute()
    Doc.update(data=d0["n"].replace(11)).where(Doc.label == "d0").execute()
    Doc.update(data=d0["missing"].replace(1)).where(Doc.label == "d0").execute()
    Doc.update(data=d0["meta"]["age"].remove()).where(Doc.label == "d0").execute()
    assert Doc.get(Doc.label == "d0").data == {
        "name": "ann", "tags": ["a", "b", "z"], "meta": {"city": "Bergen"}, "n": 11,
        "extra": {"k": [1]}, "new": 5,
    }
    Doc.update(data=d0.update({"n": 1, "more": [2]})).where(Doc.label == "d1").execute()
    data = Doc.get(Doc.label == "d1").data
    assert data["n"] == 1 and data["more"] == [2] and data["name"] == "bob"
    Doc.create(label="arr", data=[1])
    Doc.update(data=Doc.data.append([2, 3])).where(Doc.label == "arr").execute()
    assert Doc.get(Doc.label == "arr").data == [1, [2, 3]]


def test_custom_dumps_and_loads(db):
    calls = []

    def loads(text):
        calls.append(text)
        return json.loads(text)

    class Sorted(Model):
        data = JSONField(dumps=lambda v: json.dumps(v, sort_keys=True), loads=loads)

        class Meta:
            table_name = "json_sorted"

    Sorted.bind(db)
    db.create_tables([Sorted])
    Sorted.create(data={"b": 1, "a": 2})
    assert Sorted.get().data == {"a": 2, "b": 1}
    raw = Sorted.select(Sorted.data.cast("TEXT" if not isinstance(db, MySQLDatabase)
                                         else "CHAR").alias("raw")).scalar()
    if isinstance(db, PostgresqlDatabase):
        assert raw == '{"a": 2, "b": 1}'
        assert calls == []  # the driver decodes jsonb itself
    elif isinstance(db, SqliteDatabase):
        assert raw == '{"a":2,"b":1}'
        assert calls
    else:
        assert raw.replace(" ", "") == '{"a":2,"b":1}'
        assert calls
    assert Sorted.select().where(Sorted.data == {"a": 2, "b": 1}).count() == 1


def test_column_type_per_backend():
    created = {}
    for database in (SqliteDatabase(None), PostgresqlDatabase(None), MySQLDatabase(None)):
        class T(Model):
            data = JSONField()
            other = IntegerField()

            class Meta:
                table_name = "t"

        T.bind(database)
        created[type(database).__name__] = T._schema._create_table().query()[0]
    assert '"data" TEXT NOT NULL' in created["SqliteDatabase"]
    assert '"data" JSONB NOT NULL' in created["PostgresqlDatabase"]
    assert "`data` JSON NOT NULL" in created["MySQLDatabase"]


def sql_for(database, build):
    class T(Model):
        data = JSONField()

        class Meta:
            table_name = "t"

    T.bind(database)
    return build(T)


def test_sql_text_sqlite():
    db = SqliteDatabase(None)
    assert sql_for(db, lambda T: T.select(T.id).where(T.data["k"]["j"] == 3).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE (("t1"."data" -> ?) = json(?))',
        ['$."k"."j"', "3"])
    assert sql_for(db, lambda T: T.select(T.id).where(T.data.contains({"a": 1})).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE (_pw_json_contains("t1"."data", ?) = ?)',
        ['{"a": 1}', 1])
    assert sql_for(db, lambda T: T.update(data=T.data.append(5)).sql()) == (
        'UPDATE "t" SET "data" = json_set("t"."data", ?, ?)', ["$[#]", 5])
    assert sql_for(db, lambda T: T.select(T.id).where(T.data.has_keys(["a", "b"])).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE ((json_type("t1"."data", ?) IS NOT NULL) AND '
        '(json_type("t1"."data", ?) IS NOT NULL))', ['$."a"', '$."b"'])


def test_sql_text_postgresql():
    db = PostgresqlDatabase(None)
    assert sql_for(db, lambda T: T.select(T.id).where(T.data["a"][0].as_int() > 1).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE '
        '(CAST(("t1"."data" #>> \'{"a","0"}\'::text[]) AS INTEGER) > %s)', [1])
    assert sql_for(db, lambda T: T.select(T.id).where(T.data.has_any_keys(["a", "b"])).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE ("t1"."data" ?| %s)', [["a", "b"]])
    assert sql_for(db, lambda T: T.update(data=T.data["a"].remove()).sql()) == (
        'UPDATE "t" SET "data" = ("t"."data" #- \'{"a"}\'::text[])', [])
    assert sql_for(db, lambda T: T.select(T.id).where(T.data["a"].length() > 2).sql()) == (
        'SELECT "t1"."id" FROM "t" AS "t1" WHERE '
        '(jsonb_array_length("t1"."data" #> \'{"a"}\'::text[]) > %s)', [2])


def test_sql_text_mysql():
    db = MySQLDatabase(None)
    assert sql_for(db, lambda T: T.select(T.id).where(T.data["a"] == "x").sql()) == (
        "SELECT `t1`.`id` FROM `t` AS `t1` WHERE "
        "(CAST(json_extract(`t1`.`data`, %s) AS JSON) = CAST(%s AS JSON))", ['$."a"', '"x"'])
    assert sql_for(db, lambda T: T.select(T.id).where(T.data.has_key("a")).sql()) == (
        "SELECT `t1`.`id` FROM `t` AS `t1` WHERE (JSON_CONTAINS_PATH(`t1`.`data`, %s, %s) = %s)",
        ["one", '$."a"', 1])
    assert sql_for(db, lambda T: T.update(data=T.data.update({"a": 1})).sql()) == (
        "UPDATE `t` SET `data` = JSON_MERGE_PATCH(`t`.`data`, CAST(%s AS JSON))", ['{"a": 1}'])


@pytest.mark.parametrize("target,item,expected", [
    ({"a": 1, "b": [1, 2]}, {"b": [2]}, 1),
    ({"a": 1}, {"a": True}, 0),
    ([1, [2, 3]], [[3]], 1),
    ([1, 2], 1, 1),
    ("x", "x", 1),
    ({"a": {"b": 1}}, {"a": {"c": 1}}, 0),
])
def test_sqlite_contains_function(sqlite_db, target, item, expected):
    cursor = sqlite_db.execute_sql(
        "SELECT _pw_json_contains(?, ?)", (json.dumps(target), json.dumps(item)))
    assert cursor.fetchone()[0] == expected


def test_deep_as_text_paths_use_text_pattern_matching(db):
    Doc = make_model(db)
    Doc.create(label="deep", data={"a": {"b": {"c": "Hello World"}}})
    text = Doc.data["a"]["b"]["c"].as_text()
    # (Case-sensitive on MySQL/MariaDB, whose unquoted JSON text has a binary collation.)
    assert labels(Doc.select().where(text.contains("lo Wo"))) == ["deep"]
    assert labels(Doc.select().where(text.ilike("%World"))) == ["deep"]
    assert labels(Doc.select().where(text.startswith("Hell"))) == ["deep"]
    assert labels(Doc.select().where(text.endswith("rld"))) == ["deep"]
    # A path followed further keeps its text mode.
    assert labels(Doc.select().where(Doc.data["a"].as_text()["b"]["c"] == "Hello World")) == ["deep"]
    # Pattern methods on a JSON path work on its text.
    assert labels(Doc.select().where(Doc.data["meta"]["city"].startswith("Os"))) == ["d0"]
    both = Doc.data["meta"]["city"].as_text().contains("om") & Doc.data["name"].as_text().startswith("b")
    assert labels(Doc.select().where(both)) == ["d1"]


def test_set_stores_booleans_none_and_floats_as_json(db):
    Doc = make_model(db)
    d0 = Doc.label == "d0"
    for value in (True, False, None, 1.5, "text", 7, {"x": [1, None]}, [True]):
        Doc.update(data=Doc.data["v"].set(value)).where(d0).execute()
        assert Doc.get(d0).data["v"] == value
        assert type(Doc.get(d0).data["v"]) is type(value)
    Doc.update(data=Doc.data["tags"].append(True)).where(d0).execute()
    Doc.update(data=Doc.data["meta"]["city"].replace(None)).where(d0).execute()
    data = Doc.get(d0).data
    assert data["tags"] == ["a", "b", True] and data["tags"][-1] is True
    assert data["meta"] == {"age": 30, "city": None}


def test_negative_array_indexes_count_from_the_end(db):
    Doc = make_model(db)
    if not getattr(db.dialect, "mariadb", False):
        # MariaDB 10.11 resolves a negative index against the first row's array only.
        assert labels(Doc.select().where(Doc.data["tags"][-1] == "b")) == ["d0", "d1"]
    assert labels(Doc.select().where(Doc.data["tags"][-2] == "a")) == ["d0"]
    d0 = Doc.label == "d0"
    assert Doc.select(Doc.data["tags"][-1].alias("t")).where(d0).scalar() == "b"
    Doc.update(data=Doc.data["tags"][-1].set("z")).where(d0).execute()
    assert Doc.get(d0).data["tags"] == ["a", "z"]
    Doc.update(data=Doc.data["tags"][-1].remove()).where(d0).execute()
    assert Doc.get(d0).data["tags"] == ["a"]


@pytest.mark.parametrize(
    "path, sqlite, mysql",
    [((-1,), '$[#-1]', '$[last]'), (("a", -3), '$."a"[#-3]', '$."a"[last-2]'),
     (("a", 2), '$."a"[2]', '$."a"[2]')],
)
def test_negative_index_path_text(path, sqlite, mysql):
    class Doc(Model):
        data = JSONField()

    for database, expected in ((SqliteDatabase(":memory:"), sqlite),
                               (MySQLDatabase("x"), mysql)):
        Doc.bind(database)
        assert Doc.update(data=Doc.data.path(*path).remove()).sql()[1] == [expected]


def _json_sql(database, build):
    class Doc(Model):
        data = JSONField()

    Doc.bind(database)
    return build(Doc).sql()


def test_values_are_marked_as_json_per_dialect():
    mariadb = MySQLDatabase("x")
    mariadb.dialect.mariadb = True
    cases = [
        (lambda D: D.update(data=D.data["a"].set(True)),
         ['UPDATE "doc" SET "data" = json_set("doc"."data", ?, json(?))', ['$."a"', "true"]],
         ["UPDATE `doc` SET `data` = JSON_SET(`doc`.`data`, %s, CAST(%s AS JSON))",
          ['$."a"', "true"]],
         ["UPDATE `doc` SET `data` = JSON_SET(`doc`.`data`, %s, JSON_COMPACT(%s))",
          ['$."a"', "true"]]),
        (lambda D: D.update(data=D.data["a"].set(None)),
         ['UPDATE "doc" SET "data" = json_set("doc"."data", ?, json(?))', ['$."a"', "null"]],
         ["UPDATE `doc` SET `data` = JSON_SET(`doc`.`data`, %s, CAST(%s AS JSON))",
          ['$."a"', "null"]],
         ["UPDATE `doc` SET `data` = JSON_SET(`doc`.`data`, %s, JSON_COMPACT(%s))",
          ['$."a"', "null"]]),
        (lambda D: D.select(D.id).where(D.data["a"].between(1, 5)),
         ['SELECT "t1"."id" FROM "doc" AS "t1" WHERE (("t1"."data" -> ?) BETWEEN json(?) AND '
          'json(?))', ['$."a"', "1", "5"]],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (CAST(json_extract(`t1`.`data`, %s) AS JSON)"
          " BETWEEN CAST(%s AS JSON) AND CAST(%s AS JSON))", ['$."a"', "1", "5"]],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (JSON_COMPACT(json_extract(`t1`.`data`, %s))"
          " BETWEEN JSON_COMPACT(%s) AND JSON_COMPACT(%s))", ['$."a"', "1", "5"]]),
        (lambda D: D.select(D.id).where(D.data["a"]["b"].as_text().contains("x")),
         ['SELECT "t1"."id" FROM "doc" AS "t1" WHERE (("t1"."data" ->> ?) LIKE ?)',
          ['$."a"."b"', "%x%"]],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (json_unquote(json_extract(`t1`.`data`, %s))"
          " LIKE %s)", ['$."a"."b"', "%x%"]],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (json_unquote(json_extract(`t1`.`data`, %s))"
          " LIKE %s)", ['$."a"."b"', "%x%"]]),
        (lambda D: D.select(D.id).where(D.data == {"a": 1}),
         ['SELECT "t1"."id" FROM "doc" AS "t1" WHERE ("t1"."data" = json(?))', ['{"a": 1}']],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (`t1`.`data` = CAST(%s AS JSON))",
          ['{"a": 1}']],
         ["SELECT `t1`.`id` FROM `doc` AS `t1` WHERE (`t1`.`data` = %s)", ['{"a": 1}']]),
        (lambda D: D.select(D.data["a"]),
         ['SELECT ("t1"."data" -> ?) FROM "doc" AS "t1"', ['$."a"']],
         ["SELECT CAST(json_extract(`t1`.`data`, %s) AS JSON) FROM `doc` AS `t1`", ['$."a"']],
         ["SELECT JSON_COMPACT(json_extract(`t1`.`data`, %s)) FROM `doc` AS `t1`", ['$."a"']]),
    ]
    for build, sqlite, mysql, maria in cases:
        assert list(_json_sql(SqliteDatabase(":memory:"), build)) == sqlite
        assert list(_json_sql(MySQLDatabase("x"), build)) == mysql
        assert list(_json_sql(mariadb, build)) == maria


def test_postgresql_pattern_and_negative_index_sql():
    pg = PostgresqlDatabase("x")
    sql, params = _json_sql(pg, lambda D: D.select(D.id).where(D.data["a"][-1].ilike("%x")))
    assert sql == ('SELECT "t1"."id" FROM "doc" AS "t1" WHERE '
                   '(("t1"."data" #>> \'{"a","-1"}\'::text[]) ILIKE %s)')
    assert params == ["%x"]


def test_sql_is_chosen_by_the_database_behind_a_proxy(db):
    from peewee import DatabaseProxy

    proxy = DatabaseProxy()

    class Doc(Model):
        data = JSONField()

        class Meta:
            database = proxy
            table_name = "json_proxy_doc"

    query = Doc.select().where(Doc.data["a"][-1] == 2)
    proxy.initialize(db)
    db.create_tables([Doc])
    Doc.create(data={"a": [1, 2]})
    Doc.create(data={"a": [2, 1]})
    assert [d.data for d in query] == [{"a": [1, 2]}]
    sql = query.sql()[0]
    marker = {"sqlite": "->", "postgresql": "#>", "mysql": "json_extract"}[db.dialect.name]
    assert marker in sql


def test_json_field_subclasses_and_inherited_fields(db):
    class TaggedJSON(JSONField):
        def python_value(self, value):
            value = super().python_value(value)
            return {"tagged": value} if value is not None else value

    class Base(Model):
        data = JSONField(null=True)

        class Meta:
            database = db

    class Child(Base):
        extra = TaggedJSON(null=True)

        class Meta:
            table_name = "json_child"

    db.create_tables([Child])
    Child.create(data={"k": [1, 2]}, extra=[3])
    row = Child.get(Child.data["k"][-1] == 2)
    assert row.data == {"k": [1, 2]}
    assert row.extra == {"tagged": [3]}
    assert Child.data is not Base.data and Child.data.model is Child
    Child.update(data=Child.data["k"].append(True)).execute()
    assert Child.get().data == {"k": [1, 2, True]}
    assert Child.select().where(Child.extra.contains([3])).count() == 1


def test_unparseable_text_reads_back_unchanged(sqlite_db):
    class Doc(Model):
        data = JSONField()

        class Meta:
            database = sqlite_db

    sqlite_db.create_tables([Doc])
    sqlite_db.execute_sql('INSERT INTO "doc" ("data") VALUES (?)', ("not json",))
    assert Doc.get().data == "not json"


@pytest.mark.backends("sqlite", "postgres")
def test_containment_follows_postgresql_rules(db):
    Doc = make_model(db)
    Doc.create(label="nested", data={"tags": ["a", "b"], "n": [[1, 2], 3]})
    Doc.create(label="array", data=["a", ["b"]])

    def matching(value):
        return labels(Doc.select().where(Doc.data.contains(value) & Doc.label.in_(["nested", "array"])))

    # A scalar is contained in an array that holds it at the top level only.
    assert matching("a") == ["array"]
    assert matching({"tags": "a"}) == []
    assert matching({"tags": ["a"]}) == ["nested"]
    assert matching(["b"]) == []
    assert matching([["b"]]) == ["array"]
    assert matching({"n": [[1]]}) == ["nested"]
    assert matching({"n": [1]}) == []
    assert labels(Doc.select().where(Doc.data["tags"].contains("a"))) == ["d0", "nested"]


@pytest.mark.backends("postgres")
def test_driver_json_adapters_are_passed_through(db):
    from psycopg2.extras import Json

    Doc = make_model(db)
    Doc.create(label="adapted", data=Json({"k": [1, 2]}))
    assert Doc.get(Doc.label == "adapted").data == {"k": [1, 2]}


def test_saved_documents_are_written_through_json_markers(db):
    import logging

    Doc = make_model(db)
    statements = []

    class Capture(logging.Handler):
        def emit(self, record):
            if isinstance(record.msg, tuple):
                statements.append(record.msg[0])

    handler = Capture()
    logger = logging.getLogger("peewee")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        doc = Doc.create(label="saved", data={"k": [1, True]})
        doc.data = {"k": None}
        doc.save()
        Doc.insert_many([{"label": "m1", "data": [1]}, {"label": "m2", "data": {"z": 2}}]).execute()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    marker = {"sqlite": "json(?)", "postgresql": "%s", "mysql": "%s"}[db.dialect.name]
    if db.dialect.name == "mysql" and not getattr(db.dialect, "mariadb", False):
        marker = "CAST(%s AS JSON)"
    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 3 and all(marker in s for s in writes)
    assert Doc.get(Doc.label == "saved").data == {"k": None}
    assert [d.data for d in Doc.select().where(Doc.label.in_(["m1", "m2"])).order_by(Doc.label)] \
        == [[1], {"z": 2}]
    if db.dialect.name == "sqlite":
        raw = db.execute_sql("SELECT data FROM json_doc WHERE label = 'm2'").fetchone()[0]
        assert raw == '{"z":2}'  # stored the way json() writes it


def test_bulk_update_and_case_branches_with_documents(db):
    from peewee import Case

    Doc = make_model(db)
    first, second = Doc.get(Doc.label == "d0"), Doc.get(Doc.label == "d1")
    first.data = {"v": [1, 2]}
    second.data = "plain"
    assert Doc.bulk_update([first, second], fields=[Doc.data]) == 2
    assert Doc.get(Doc.label == "d0").data == {"v": [1, 2]}
    assert Doc.get(Doc.label == "d1").data == "plain"
    case = Case(Doc.label, [("d2", Doc.data.case_value({"case": True}))], Doc.data)
    Doc.update(data=case).where(Doc.label.in_(["d1", "d2"])).execute()
    assert Doc.get(Doc.label == "d2").data == {"case": True}
    assert Doc.get(Doc.label == "d1").data == "plain"
    if db.dialect.name == "postgresql":
        assert "CAST(%s AS JSONB)" in Doc.update(data=case).sql()[0]
