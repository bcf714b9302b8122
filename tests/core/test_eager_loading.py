"""``ModelSelect.with_related()`` and ``Load``: one extra query per relation, rows linked in both
directions, nested loads, filtered and per-parent limited loads, both strategies, every backend."""

from __future__ import annotations

import pytest

from peewee import (
    PREFETCH_TYPE,
    SQL,
    CharField,
    ForeignKeyField,
    IntegerField,
    Load,
    Model,
    TextField,
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
    # get() limits the main query; the relation reads its keys through a derived table.
    first = query.get()
    assert first.name == "ann" and len(first.books) == 3 and len(events) == 2
    assert '(SELECT "_limited"."id" FROM (SELECT' in events[1].sql.replace("`", '"')
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
    assert nested is not base and base._children == () and len(nested._children) == 1


def make_graph_models(database):
    class Person(Model):
        name = CharField()

        class Meta:
            table_name = "eager_person"

    class Letter(Model):
        sender = ForeignKeyField(Person, backref="sent")
        receiver = ForeignKeyField(Person, backref="received")
        body = TextField()

        class Meta:
            table_name = "eager_letter"

    class Node(Model):
        name = CharField()
        parent = ForeignKeyField("self", null=True, backref="children")

        class Meta:
            table_name = "eager_node"

    models = [Person, Letter, Node]
    for model in models:
        model.bind(database)
    database.create_tables(models)
    ann, bob, cat = [Person.create(name=n) for n in ("ann", "bob", "cat")]
    for sender, receiver, body in [(ann, bob, "hi bob"), (bob, ann, "hi ann"), (ann, cat, "hi cat")]:
        Letter.create(sender=sender, receiver=receiver, body=body)
    root = Node.create(name="root")
    c1 = Node.create(name="c1", parent=root)
    Node.create(name="c2", parent=root)
    Node.create(name="c11", parent=c1)
    return Person, Letter, Node


def test_two_foreign_keys_to_the_same_model(db):
    Person, Letter, Node = make_graph_models(db)
    events = counting(db)
    letters = list(Letter.select().order_by(Letter.id)
                   .with_related(Load(Letter.sender), Load(Letter.receiver)))
    assert [(x.sender.name, x.receiver.name) for x in letters] == [
        ("ann", "bob"), ("bob", "ann"), ("ann", "cat")]
    assert letters[0].sender is letters[2].sender and len(events) == 3
    people = list(Person.select().order_by(Person.id)
                  .with_related(Load(Person.sent, Letter.select().order_by(Letter.id)),
                                Person.received))
    assert [(p.name, [x.body for x in p.sent], [x.body for x in p.received]) for p in people] == [
        ("ann", ["hi bob", "hi cat"], ["hi ann"]), ("bob", ["hi ann"], ["hi bob"]),
        ("cat", [], ["hi cat"])]
    assert people[0].sent[0].sender is people[0] and people[0].received[0].receiver is people[0]


def test_self_referencing_loads(db):
    Person, Letter, Node = make_graph_models(db)
    children = Node.select().order_by(Node.id)
    events = counting(db)
    roots = list(Node.select().where(Node.parent.is_null())
                 .with_related(Load(Node.children, children).then(Load(Node.children, children))))
    assert len(events) == 3
    [root] = roots
    assert [(c.name, [g.name for g in c.children]) for c in root.children] == [
        ("c1", ["c11"]), ("c2", [])]
    assert root.children[0].children[0].parent is root.children[0]
    leaf = Node.select().where(Node.name == "c11").with_related(
        Load(Node.parent).then(Node.parent)).get()
    assert (leaf.parent.name, leaf.parent.parent.name) == ("c1", "root")


def test_strategies_and_a_limited_parent(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    newest = Book.select().order_by(Book.year.desc())
    for strategy in (PREFETCH_TYPE.WHERE, PREFETCH_TYPE.JOIN, PREFETCH_TYPE.MATERIALIZE):
        del events[:]
        authors = list(Author.select().where(Author.name != "cy").order_by(Author.id.desc())
                       .limit(1).with_related(Load(Author.books, newest, strategy=strategy)))
        assert [(a.name, [b.title for b in a.books]) for a in authors] == [("bob", ["b2", "b1"])]
        sql = events[1].sql.replace("`", '"')
        if strategy == PREFETCH_TYPE.MATERIALIZE:
            # The keys already loaded are sent as a list; the parent query is not repeated.
            assert '"t1"."author_id" IN (' in sql and '"eager_author"' not in sql
            assert events[1].params == [2]
        else:
            assert '"_limited"."id" FROM (SELECT "t2"."id" FROM "eager_author"' in sql
    books = list(Book.select().where(Book.title.in_(["a1", "b1"])).order_by(Book.id)
                 .with_related(Load(Book.author, strategy=PREFETCH_TYPE.MATERIALIZE)))
    assert [b.author.name for b in books] == ["ann", "bob"]


def test_no_parents_no_queries(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    query = Author.select().where(Author.name == "nobody").with_related(
        Load(Author.books).then(Book.reviews))
    assert list(query) == [] and len(events) == 1


def test_load_checks_its_arguments(db):
    Author, Book, Review = make_models(db)
    with pytest.raises(ValueError, match="Load\\(\\) query must select from"):
        Load(Author.books, Author.select())
    with pytest.raises(ValueError, match="must return model instances"):
        Load(Author.books, Book.select().dicts())
    with pytest.raises(ValueError, match="strategy must be a PREFETCH_TYPE value"):
        Load(Author.books, strategy=99)
    with pytest.raises(ValueError, match="foreign-key or backref"):
        Load(Author.name)
    grouped = Book.select().group_by(Book.id, Book.author)
    with pytest.raises(ValueError, match="grouped or aggregate"):
        list(Author.select().with_related(Load(Author.books, grouped, per_parent=1)))
    by_literal = Book.select().order_by(SQL("year"))
    with pytest.raises(ValueError, match="SQL\\(\\) literal"):
        list(Author.select().with_related(Load(Author.books, by_literal, per_parent=1)))
    # A foreign key read through a model alias names the same relation.
    alias = Book.alias()
    assert Load(alias.author)._field is Book.author


def test_compound_queries_load_relations(db):
    Author, Book, Review = make_models(db)
    events = counting(db)
    query = (Author.select().where(Author.name == "ann")
             | Author.select().where(Author.name == "cy")).with_related(Author.books)
    assert sorted((a.name, len(a.books)) for a in query) == [("ann", 3), ("cy", 0)]
    assert len(events) == 2 and '"_compound"' in events[1].sql.replace("`", '"')
    with pytest.raises(ValueError, match="incompatible with iterator"):
        query.iterator()
