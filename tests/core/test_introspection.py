"""Introspection: tables, views, columns, indexes, primary and foreign keys on every backend."""

from __future__ import annotations

import pytest

import peewee
from peewee import ColumnMetadata, ForeignKeyMetadata, IndexMetadata, ViewMetadata


def create_schema(db):
    db.execute_sql(
        "CREATE TABLE author (id INTEGER NOT NULL PRIMARY KEY, "
        "name VARCHAR(40) NOT NULL DEFAULT 'anon', bio TEXT)"
    )
    db.execute_sql(
        "CREATE TABLE book (id INTEGER NOT NULL PRIMARY KEY, "
        "author_id INTEGER NOT NULL REFERENCES author (id) ON DELETE CASCADE, "
        "title VARCHAR(80) NOT NULL)"
    )
    db.execute_sql("CREATE UNIQUE INDEX book_title ON book (title)")
    db.execute_sql("CREATE INDEX book_author_title ON book (author_id, title)")
    db.execute_sql("CREATE TABLE pair (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b))")
    db.execute_sql("CREATE VIEW author_names AS SELECT name FROM author")


def test_get_tables_and_views(db):
    create_schema(db)
    assert db.get_tables() == ["author", "book", "pair"]
    views = db.get_views()
    assert [v.name for v in views] == ["author_names"]
    assert isinstance(views[0], ViewMetadata)
    assert "name" in views[0].sql.lower() and "author" in views[0].sql.lower()


def test_table_exists_accepts_names_and_models(db):
    create_schema(db)
    assert db.table_exists("author")
    assert not db.table_exists("nothing")

    class Author(peewee.Model):
        name = peewee.CharField()

        class Meta:
            database = db

    class Missing(peewee.Model):
        class Meta:
            database = db

    assert db.table_exists(Author)
    assert not db.table_exists(Missing)


def test_get_columns(db):
    create_schema(db)
    columns = {c.name: c for c in db.get_columns("author")}
    assert list(columns) == ["id", "name", "bio"]
    assert all(isinstance(c, ColumnMetadata) for c in columns.values())
    assert columns["id"].primary_key and not columns["name"].primary_key
    assert columns["name"].null is False
    assert columns["bio"].null is True
    assert "anon" in columns["name"].default
    assert columns["bio"].default is None
    assert columns["name"].table == "author"
    assert columns["name"].data_type.lower().startswith(("varchar", "character varying"))


def test_get_primary_keys(db):
    create_schema(db)
    assert db.get_primary_keys("author") == ["id"]
    assert db.get_primary_keys("pair") == ["a", "b"]


def test_get_indexes(db):
    create_schema(db)
    indexes = {i.name: i for i in db.get_indexes("book")}
    assert all(isinstance(i, IndexMetadata) for i in indexes.values())
    assert indexes["book_title"].columns == ["title"]
    assert indexes["book_title"].unique is True
    assert indexes["book_author_title"].columns == ["author_id", "title"]
    assert indexes["book_author_title"].unique is False
    assert indexes["book_title"].table == "book"
    if not isinstance(db, peewee.MySQLDatabase):
        assert "book_title" in indexes["book_title"].sql


def test_get_foreign_keys(db):
    create_schema(db)
    fks = db.get_foreign_keys("book")
    assert len(fks) == 1
    fk = fks[0]
    assert isinstance(fk, ForeignKeyMetadata)
    assert (fk.column, fk.dest_table, fk.dest_column, fk.table) == (
        "author_id",
        "author",
        "id",
        "book",
    )
    assert fk.on_delete == "CASCADE"
    assert db.get_foreign_keys("author") == []


def test_metadata_tuples_accept_the_short_form():
    col = ColumnMetadata("id", "INTEGER", False, True, "t", None)
    assert col.full_type is None and col.identity is False
    fk = ForeignKeyMetadata("a_id", "a", "id", "b")
    assert fk.name is None and fk.on_delete is None


@pytest.mark.backends("postgres")
def test_postgres_schemas(pg_db):
    pg_db.execute_sql("CREATE SCHEMA other")
    pg_db.execute_sql(
        "CREATE TABLE other.thing (id SERIAL PRIMARY KEY, "
        "parent_id INTEGER REFERENCES other.thing (id), label TEXT)"
    )
    pg_db.execute_sql("CREATE INDEX thing_label ON other.thing (label)")
    pg_db.execute_sql("CREATE VIEW other.labels AS SELECT label FROM other.thing")
    pg_db.execute_sql("CREATE TABLE thing (x INTEGER)")
    assert pg_db.get_tables(schema="other") == ["thing"]
    assert pg_db.table_exists("thing", schema="other")
    assert not pg_db.table_exists("nothing", schema="other")
    assert [c.name for c in pg_db.get_columns("thing", schema="other")] == [
        "id",
        "parent_id",
        "label",
    ]
    assert [c.name for c in pg_db.get_columns("thing")] == ["x"]
    assert pg_db.get_primary_keys("thing", schema="other") == ["id"]
    assert [i.name for i in pg_db.get_indexes("thing", schema="other")] == [
        "thing_label",
        "thing_pkey",
    ]
    fk = pg_db.get_foreign_keys("thing", schema="other")[0]
    assert (fk.column, fk.dest_table, fk.dest_column) == ("parent_id", "thing", "id")
    assert [v.name for v in pg_db.get_views(schema="other")] == ["labels"]
    assert pg_db.sequence_exists("thing_id_seq", schema="other")
    identity = {c.name: c.identity for c in pg_db.get_columns("thing", schema="other")}
    assert identity == {"id": True, "parent_id": False, "label": False}

    class Labelled(peewee.Model):
        label = peewee.TextField()

        class Meta:
            database = pg_db
            schema = "other"
            table_name = "labelled"

    assert not pg_db.table_exists(Labelled)
    pg_db.create_tables([Labelled])
    assert pg_db.table_exists(Labelled)  # looked up in the model's schema
    assert not pg_db.table_exists("labelled")
    assert "labelled" in pg_db.get_tables(schema="other")


@pytest.mark.backends("sqlite", "mysql")
def test_no_sequences(db):
    assert db.sequence_exists("anything") is False
