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
