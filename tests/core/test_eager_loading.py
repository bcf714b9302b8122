"""``ModelSelect.with_related()`` and ``Load``: one extra query per relation, rows linked in both
directions, nested loads, filtered and per-parent limited loads, both strategies, every backend."""

from __future__ import annotations

import pytest

from peewee import (
    PREFETCH_TYPE,
    CharField,
    ForeignKeyField,
    IntegerField,
    Load,
    Model,
    MySQLDatabase,
)


def make_models(database):
    class Author(Model):
        name = CharField()

        class Meta:
            table_name = "eager_author"

    class Book(Model):
        author = ForeignKeyField(Author, backref="books", null=True)
        title = CharField()
        year = IntegerField()

        class Meta:
            table_name = "eager_book"

    class Review(Model):
        book = ForeignKeyField(Book, backref="reviews")
        by = ForeignKeyField(Author, backref="reviews_written")
        stars = IntegerField()

        class Meta:
            table_name = "eager_review"

    models = [Author, Book, Review]
    for model in models:
        model.bind(database)
    database.create_tables(models)
    ann, bob, cy = [Author.create(name=n) for n in ("ann", "bob", "cy")]
    books = {}
    for author, title, year in [(ann, "a1", 2001), (ann, "a2", 2005), (ann, "a3", 2003),
                                (bob, "b1", 1999), (bob, "b2", 2010), (None, "anon", 1900)]:
        books[title] = Book.create(author=author, title=title, year=year)
    Review.create(book=books["a1"], by=bob, stars=4)
    Review.create(book=books["a1"], by=cy, stars=5)
    Review.create(book=books["b2"], by=ann, stars=2)
    return Author, Book, Review


def counting(database):
    events = []
    database.query_hooks.append(events.append)
    return events


def test_backref_load(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    authors = list(Author.select().order_by(Author.id).with_related(Author.books))
    assert len(events) == 2
    assert [(a.name, sorted(b.title for b in a.books)) for a in authors] == [
        ("ann", ["a1", "a2", "a3"]), ("bob", ["b1", "b2"]), ("cy", [])]
    book = authors[0].books[0]
    assert book.author is authors[0]
    assert isinstance(authors[2].books, list)
    assert len(events) == 2  # nothing loaded lazily afterwards


def test_foreign_key_load_shares_instances(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    books = list(Book.select().order_by(Book.id).with_related(Book.author))
    assert len(events) == 2
    assert [b.author.name if b.author else None for b in books] == [
        "ann", "ann", "ann", "bob", "bob", None]
    assert books[0].author is books[1].author
    assert len(events) == 2


def test_filtered_and_nested_loads(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    recent = Book.select().where(Book.year > 2002).order_by(Book.year)
    query = (Author.select().order_by(Author.id)
             .with_related(Load(Author.books, recent).then(Book.reviews), Author.reviews_written))
    authors = list(query)
    assert len(events) == 4
    ann, bob, cy = authors
    assert [b.title for b in ann.books] == ["a3", "a2"]
    assert [(b.title, [r.stars for r in b.reviews]) for b in bob.books] == [("b2", [2])]
    assert [r.stars for r in cy.reviews_written] == [5]
    assert [r.stars for r in ann.reviews_written] == [2]


def test_per_parent_limit(db):
    Author, Book, Review = make_models(db)
    newest = Book.select().order_by(Book.year.desc())
    authors = list(Author.select().order_by(Author.id)
                   .with_related(Load(Author.books, newest, per_parent=2)))
    assert [[b.title for b in a.books] for a in authors] == [["a2", "a3"], ["b2", "b1"], []]
    oldest = Book.select().order_by(Book.year)
    authors = list(Author.select().order_by(Author.id)
                   .with_related(Load(Author.books, oldest, per_parent=1)))
    assert [[b.title for b in a.books] for a in authors] == [["a1"], ["b1"], []]


def test_join_strategy(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    query = (Author.select().where(Author.name != "cy").order_by(Author.id)
             .with_related(Load(Author.books, strategy=PREFETCH_TYPE.JOIN)))
    authors = list(query)
    assert "JOIN (SELECT DISTINCT" in events[1].sql
    assert [sorted(b.title for b in a.books) for a in authors] == [["a1", "a2", "a3"], ["b1", "b2"]]


def test_execution_forms(db):
    Author, Book, Review = make_models(db)
    query = Author.select().order_by(Author.id).with_related(Author.books)
    events = counting(db)
    if not isinstance(db, MySQLDatabase):  # MySQL refuses LIMIT inside an IN subquery
        first = query.get()
        assert first.name == "ann" and len(first.books) == 3 and len(events) == 2
        del events[:]
    first = list(query)[0]
    list(query)
    assert len(events) == 2  # the result is cached: iterating again runs nothing
    del events[:]
    rows = list(query.dicts())
    assert len(events) == 1 and rows[0] == {"id": first.id, "name": "ann"}
    with pytest.raises(ValueError, match="incompatible with iterator"):
        query.iterator()
    replaced = query.with_related(Author.reviews_written)
    authors = list(replaced)
    assert "books" not in authors[0].__dict__ and len(authors[1].reviews_written) == 1
    assert Author.select().with_related().sql() == Author.select().sql()


def test_load_arguments():
    class A(Model):
        pass

    class B(Model):
        a = ForeignKeyField(A, backref="bs")

    with pytest.raises(ValueError, match="foreign-key or backref"):
        Load(B)
    base = Load(A.bs)
    nested = base.then(B.a)
    assert nested is not base and base._children == [] and len(nested._children) == 1
