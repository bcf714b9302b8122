"""Relationships: foreign keys (lazy loading, back-references, ids, constraints), deferred foreign
keys, many-to-many fields with automatic and explicit through models."""

from __future__ import annotations

import logging
import warnings

import pytest

from peewee import (
    CharField,
    DeferredForeignKey,
    DeferredThroughModel,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    ManyToManyField,
    Model,
    TextField,
)


class QueryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.queries: list = []

    def emit(self, record: logging.LogRecord) -> None:
        self.queries.append(record.getMessage())

    def __enter__(self) -> "QueryCounter":
        logger = logging.getLogger("peewee")
        self._level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("peewee")
        logger.removeHandler(self)
        logger.setLevel(self._level)

    @property
    def count(self) -> int:
        return len(self.queries)


def blog_models(database, on_delete=None):
    class Base(Model):
        class Meta:
            pass

    Base._meta.set_database(database)

    class User(Base):
        username = CharField(unique=True)

    class Tweet(Base):
        user = ForeignKeyField(User, backref="tweets", on_delete=on_delete)
        content = TextField()

    class Comment(Base):
        tweet = ForeignKeyField(Tweet, null=True, lazy_load=False)
        parent = ForeignKeyField("self", null=True, backref="children")
        body = TextField(default="")

    database.create_tables([User, Tweet, Comment])
    return User, Tweet, Comment


def test_foreign_key_column_naming_and_metadata():
    class User(Model):
        handle = CharField()

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        author_id = ForeignKeyField(User, backref="+")
        other = ForeignKeyField(User, column_name="other_user", object_id_name="other_key")

    assert Tweet.user.column_name == "user_id" and Tweet.user.object_id_name == "user_id"
    assert Tweet.author_id.column_name == "author_id"
    assert Tweet.author_id.object_id_name == "author_id_id"
    assert Tweet.other.column_name == "other_user" and Tweet.other_key is Tweet.other
    assert Tweet.user.rel_model is User and Tweet.user.rel_field is User.id
    assert Tweet.user.backref == "tweets" and Tweet.other.backref == "tweet_set"
    assert Tweet.user.index is True and Tweet.user.field_type == "INT"
    assert Tweet._meta.refs[Tweet.user] is User
    assert User._meta.backrefs[Tweet.user] is Tweet
    assert Tweet._meta.model_refs[User] == [Tweet.user, Tweet.author_id, Tweet.other]
    assert User._meta.model_backrefs[Tweet] == [Tweet.user, Tweet.author_id, Tweet.other]
    assert not hasattr(User, "+")
    fks, backrefs = User._meta.get_rel_for_model(Tweet)
    assert fks == [] and len(backrefs) == 3
    # Attribute access on the key reaches the related model's fields.
    assert Tweet.user.handle is User.handle
    with pytest.raises(AttributeError):
        Tweet.user.missing  # noqa: B018


def test_related_name_and_old_keyword_spellings_warn():
    class User(Model):
        name = CharField()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        class Tweet(Model):
            user = ForeignKeyField(rel_model=User, related_name="posts", to_field="name")

    assert Tweet.user.backref == "posts" and Tweet.user.rel_field is User.name
    assert Tweet.user.field_type == "VARCHAR" and Tweet.user.get_modifiers() == [255]
    assert sum(issubclass(w.category, DeprecationWarning) for w in caught) == 3


def test_object_id_name_equal_to_field_name_is_refused():
    class User(Model):
        pass

    with pytest.raises(ValueError):

        class Tweet(Model):
            user = ForeignKeyField(User, object_id_name="user")


def test_lazy_loading_runs_one_query_and_caches(db):
    User, Tweet, _ = blog_models(db)
    alice = User.create(username="alice")
    tweet = Tweet.create(user=alice, content="hi")
    fresh = Tweet.get_by_id(tweet.id)
    assert fresh.user_id == alice.id and fresh.__data__["user"] == alice.id
    with QueryCounter() as counter:
        assert fresh.user.username == "alice"
        assert fresh.user.username == "alice"
    assert counter.count == 1
    assert fresh.__rel__["user"].id == alice.id


def test_assigning_instances_and_ids(db):
    User, Tweet, _ = blog_models(db)
    alice = User.create(username="alice")
    bob = User.create(username="bob")
    tweet = Tweet(content="x")
    tweet.user = alice
    assert tweet.user is alice and tweet.user_id == alice.id
    tweet.user_id = bob.id
    assert "user" not in tweet.__rel__
    assert tweet.user.username == "bob"
    tweet.save()
    assert Tweet.get_by_id(tweet.id).user_id == bob.id


def test_id_accessor_follows_an_instance_saved_after_assignment(db):
    User, Tweet, _ = blog_models(db)
    carol = User(username="carol")
    tweet = Tweet(user=carol, content="early")
    assert tweet.user_id is None
    carol.save()
    assert tweet.user_id == carol.id and tweet.user is carol
    tweet.save()
    assert Tweet.get_by_id(tweet.id).user_id == carol.id
    # A stored key wins over the attached instance; clearing the key detaches it.
    dave = User.create(username="dave")
    other = Tweet(user=dave, content="x")
    dave.id = dave.id + 100
    assert other.user_id == dave.id - 100
    other.user_id = None
    assert other.user_id is None and "user" not in other.__rel__


def test_missing_related_row_and_null_keys(db):
    User, Tweet, Comment = blog_models(db)
    with pytest.raises(User.DoesNotExist):
        Tweet(content="no user").user  # noqa: B018
    comment = Comment(body="x")
    assert comment.tweet is None and comment.parent is None


def test_lazy_load_false_returns_the_id(db):
    User, Tweet, Comment = blog_models(db)
    alice = User.create(username="alice")
    tweet = Tweet.create(user=alice, content="hi")
    comment = Comment.create(tweet=tweet, body="nice")
    fresh = Comment.get_by_id(comment.id)
    with QueryCounter() as counter:
        assert fresh.tweet == tweet.id
    assert counter.count == 0
    assert comment.tweet is tweet  # an assigned instance stays available


def test_back_reference_is_a_query(db):
    User, Tweet, _ = blog_models(db)
    alice = User.create(username="alice")
    bob = User.create(username="bob")
    for i in range(3):
        Tweet.create(user=alice, content="a%d" % i)
    Tweet.create(user=bob, content="b")
    query = alice.tweets
    sql, params = query.sql()
    assert "WHERE" in sql and params == [alice.id]
    assert sorted(t.content for t in alice.tweets) == ["a0", "a1", "a2"]
    assert alice.tweets.where(Tweet.content == "a1").count() == 1
    assert bob.tweets.count() == 1
    assert User.tweets.field is Tweet.user


def test_self_referential_foreign_key(db):
    _, _, Comment = blog_models(db)
    root = Comment.create(body="root")
    child = Comment.create(body="child", parent=root)
    Comment.create(body="grandchild", parent=child)
    assert Comment.parent.rel_model is Comment
    assert Comment.get_by_id(child.id).parent.body == "root"
    assert [c.body for c in root.children] == ["child"]


def test_foreign_key_violation_raises_integrity_error(db):
    if db.__class__.__name__.startswith("Sqlite"):
        db.pragma("foreign_keys", 1, permanent=True)
    User, Tweet, _ = blog_models(db)
    with pytest.raises(IntegrityError):
        Tweet.create(user=12345, content="orphan")


def test_on_delete_cascade_is_enforced(db):
    if db.__class__.__name__.startswith("Sqlite"):
        db.pragma("foreign_keys", 1, permanent=True)
    User, Tweet, _ = blog_models(db, on_delete="CASCADE")
    alice = User.create(username="alice")
    Tweet.create(user=alice, content="a")
    User.delete().where(User.id == alice.id).execute()
    assert Tweet.select().count() == 0


def test_deferred_foreign_key_resolves_when_target_is_declared(db):
    class Order(Model):
        customer = DeferredForeignKey("Customer", null=True, backref="orders")
        total = IntegerField(default=0)

        class Meta:
            database = db

    assert isinstance(Order._meta.fields["customer"], DeferredForeignKey)

    class Customer(Model):
        name = CharField()

        class Meta:
            database = db

    field = Order._meta.fields["customer"]
    assert isinstance(field, ForeignKeyField) and field.rel_model is Customer
    assert field.deferred and Order.customer is field
    assert Order._meta.sorted_field_names == ["id", "total", "customer"]
    db.create_tables([Order, Customer])
    ann = Customer.create(name="ann")
    order = Order.create(customer=ann, total=3)
    assert Order.get_by_id(order.id).customer.name == "ann"
    assert [o.total for o in ann.orders] == [3]


@pytest.mark.backends("postgres", "mysql")  # SQLite cannot add a constraint to a table
def test_deferred_foreign_key_constraint_can_be_added_later(db):
    class Invoice(Model):
        client = DeferredForeignKey("Client")

        class Meta:
            database = db

    class Client(Model):
        class Meta:
            database = db

    db.create_tables([Client, Invoice])
    Invoice.create(client=999)  # no constraint yet
    Invoice.delete().execute()
    Invoice._schema.create_foreign_key(Invoice.client)
    names = {fk.column: fk.dest_table for fk in db.get_foreign_keys("invoice")}
    assert names == {"client_id": "client"}
    with pytest.raises(IntegrityError):
        Invoice.create(client=999)
    Invoice.create(client=Client.create())


def make_school(database):
    class Base(Model):
        class Meta:
            pass

    Base._meta.set_database(database)

    class Student(Base):
        name = CharField()

    class Course(Base):
        title = CharField()
        students = ManyToManyField(Student, backref="courses")

    Through = Course.students.get_through_model()
    database.create_tables([Student, Course, Through])
    return Student, Course, Through


def test_many_to_many_automatic_through_model(db):
    Student, Course, Through = make_school(db)
    assert Through.__name__ == "CourseStudentThrough"
    assert Through._meta.table_name == "course_student_through"
    assert Through._meta.sorted_field_names == ["id", "course", "student"]
    assert Student.courses.get_through_model() is Through
    assert Course._meta.manytomany == {"students": Course.students}
    assert Student._meta.manytomany == {"courses": Student.courses}
    assert "students" not in Course._meta.fields


def test_many_to_many_add_remove_clear_and_assignment(db):
    Student, Course, Through = make_school(db)
    ann, bob, cat = (Student.create(name=n) for n in ("ann", "bob", "cat"))
    math, art = Course.create(title="math"), Course.create(title="art")

    math.students.add([ann, bob])
    math.students.add(cat.id)
    assert sorted(s.name for s in math.students) == ["ann", "bob", "cat"]
    assert [c.title for c in ann.courses] == ["math"]

    math.students.remove(bob)
    assert sorted(s.name for s in math.students) == ["ann", "cat"]
    math.students.remove([ann.id])
    assert [s.name for s in math.students] == ["cat"]

    ann.courses.add(Course.select().where(Course.title.in_(["math", "art"])))
    assert sorted(c.title for c in ann.courses) == ["art", "math"]
    ann.courses.remove(Course.select().where(Course.title == "art"))
    assert [c.title for c in ann.courses] == ["math"]

    art.students = [bob, cat]
    assert sorted(s.name for s in art.students) == ["bob", "cat"]
    art.students = [ann]
    assert [s.name for s in art.students] == ["ann"]
    assert art.students.clear() == 1
    assert art.students.count() == 0
    assert Through.select().count() == 2  # math-cat, math-ann


def test_many_to_many_unique_pair(db):
    Student, Course, _ = make_school(db)
    ann = Student.create(name="ann")
    math = Course.create(title="math")
    math.students.add(ann)
    with pytest.raises(IntegrityError):
        math.students.add(ann)


def test_many_to_many_needs_a_saved_instance():
    class Tag(Model):
        pass

    class Page(Model):
        tags = ManyToManyField(Tag)

    with pytest.raises(ValueError):
        Page().tags  # noqa: B018


def test_many_to_many_explicit_and_deferred_through_models(db):
    DeferredEnrollment = DeferredThroughModel()

    class Base(Model):
        class Meta:
            database = db

    class Student(Base):
        name = CharField()

    class Course(Base):
        title = CharField()
        students = ManyToManyField(Student, backref="courses", through_model=DeferredEnrollment)

    assert "students" not in Course._meta.manytomany

    class Enrollment(Base):
        student = ForeignKeyField(Student)
        course = ForeignKeyField(Course)
        grade = IntegerField(null=True)

    DeferredEnrollment.set_model(Enrollment)
    assert Course.students.get_through_model() is Enrollment
    assert Student.courses.get_through_model() is Enrollment
    db.create_tables([Student, Course, Enrollment])
    ann = Student.create(name="ann")
    math = Course.create(title="math")
    math.students.add(ann)
    assert Enrollment.select().count() == 1
    assert [c.title for c in ann.courses] == ["math"]

    with pytest.raises(ValueError):
        ManyToManyField(Student, through_model=Enrollment, on_delete="CASCADE")
    with pytest.raises(TypeError):
        ManyToManyField(Student, through_model="Enrollment")


def test_many_to_many_on_delete_reaches_through_model():
    class A(Model):
        pass

    class B(Model):
        items = ManyToManyField(A, on_delete="CASCADE")

    through = B.items.get_through_model()
    assert through.a.on_delete == "CASCADE" and through.b.on_delete == "CASCADE"
    assert A.bs.get_through_model() is through


def test_inherited_foreign_keys_get_the_subclass_default_backref():
    class User(Model):
        name = CharField()

    class Tweet(Model):
        user = ForeignKeyField(User, backref="tweets")
        editor = ForeignKeyField(User, backref=lambda fk: fk.model._meta.name + "_edits")

    class Draft(Tweet):
        pass

    assert Draft.user.backref == "draft_set" and Tweet.user.backref == "tweets"
    assert User.tweets.field is Tweet.user and User.draft_set.field is Draft.user
    assert User.draft_edits.field is Draft.editor and User.tweet_edits.field is Tweet.editor
    assert Draft.user.rel_field is User.id and Draft.user.model is Draft
    assert User._meta.backrefs[Draft.user] is Draft


def test_many_to_many_uses_prefetched_rows(db):
    from peewee import prefetch

    Student, Course, Through = make_school(db)
    ann, bob = Student.create(name="ann"), Student.create(name="bob")
    math = Course.create(title="math")
    math.students.add([ann, bob])
    Course.create(title="art")
    courses = prefetch(Course.select().order_by(Course.title), Through, Student)
    with QueryCounter() as counter:
        result = {c.title: sorted(s.name for s in c.students) for c in courses}
    assert result == {"art": [], "math": ["ann", "bob"]}
    assert counter.count == 0


def test_many_to_many_field_is_not_a_column(db):
    Student, Course, Through = make_school(db)
    for field in (Course.students, Student.courses):
        for option in ("null", "unique", "index", "constraints", "sequence", "collation",
                       "choices", "help_text", "verbose_name", "index_type"):
            assert not hasattr(field, option), option
        assert getattr(field, "null", True) is True
        assert field.primary_key is False and field.default is None
    assert Course.students.column_name == "students"
    assert [f.name for f in Course._meta.sorted_fields] == ["id", "title"]
    assert "students" not in Course._meta.columns
    # DDL and queries are untouched by the relationship.
    assert "students" not in Course._schema._create_table().query()[0]
    assert Course.select().sql()[0].count(",") == 1


def test_many_to_many_prevent_unsaved_false_queries_for_no_rows(db):
    Student, Course, _ = make_school(db)

    class Club(Model):
        name = CharField()
        members = ManyToManyField(Student, backref="clubs", prevent_unsaved=False)

        class Meta:
            database = db

    db.create_tables([Club, Club.members.get_through_model()])
    Student.create(name="ann")
    assert list(Club(name="new").members) == []
    with pytest.raises(ValueError, match="save it"):
        Course(title="new").students  # noqa: B018


def test_many_to_many_backref_plus_adds_no_reverse_field(db):
    Student, _, _ = make_school(db)

    class Hidden(Model):
        students = ManyToManyField(Student, backref="+")

        class Meta:
            database = db

    assert Hidden.students.backref == "+"
    assert "+" not in Student._meta.manytomany and not hasattr(Student, "+")
    through = Hidden.students.get_through_model()
    db.create_tables([Hidden, through])
    ann = Student.create(name="ann")
    hidden = Hidden.create()
    hidden.students.add(ann)
    assert [s.name for s in hidden.students] == ["ann"]


def test_foreign_key_constraint_name_and_many_to_many_get_query(db):
    Student, Course, _ = make_school(db)

    class Seat(Model):
        student = ForeignKeyField(Student)
        course = ForeignKeyField(Course, constraint_name="seat_course")

        class Meta:
            database = db

    assert Seat.student.get_constraint_name() == "fk_seat_student_id_refs_student"
    assert Seat.course.get_constraint_name() == "seat_course"
    ann = Student.create(name="ann")
    math = Course.create(title="math")
    math.students.add(ann)
    accessor = Course.__dict__["students"]
    query = accessor.get_query(math)
    assert [s.name for s in query] == ["ann"]
    query.clear()
    assert math.students.count() == 0


@pytest.mark.parametrize("through_first", [True, False])
def test_inherited_many_to_many_gets_its_own_junction_and_keeps_the_parent_backref(
    sqlite_db, through_first
):
    class Base(Model):
        class Meta:
            database = sqlite_db

    class Tag(Base):
        name = CharField()

    class Post(Base):
        tags = ManyToManyField(Tag, backref="posts")

    if through_first:
        Post.tags.get_through_model()

    class Article(Post):
        pass

    assert Tag.posts.rel_model is Post
    assert Article.tags.get_through_model().__name__ == "ArticleTagThrough"
    assert Post.tags.get_through_model().__name__ == "PostTagThrough"
    sqlite_db.create_tables([Tag, Post, Article, Post.tags.get_through_model(),
                             Article.tags.get_through_model()])
    tag = Tag.create(name="t")
    post, article = Post.create(), Article.create()
    post.tags.add(tag)
    article.tags.add(tag)
    assert [p.id for p in tag.posts] == [post.id]
    assert [t.name for t in article.tags] == ["t"]
