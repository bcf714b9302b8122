"""Relations: back-references, prefetch(), with_related()/Load, many-to-many, self-references."""

from __future__ import annotations

from peewee import (
    CharField,
    DeferredForeignKey,
    ForeignKeyField,
    ManyToManyField,
    Model,
    prefetch,
)

from compat.registry import scenario
from compat.scenarios.common import seed_twitter


@scenario()
def backrefs(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    for u in User.select().order_by(User.id):
        obs.value(u.username, [t.content for t in u.tweets.order_by(Tweet.id)])
    t = Tweet.get(Tweet.content == "b1")
    obs.value("fk_access", t.user.username)
    obs.value("fk_id", t.user_id)
    obs.value("backref_count", User.get(User.username == "alice").tweets.count())


@scenario()
def prefetch_queries(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    users = User.select().order_by(User.id)
    tweets = Tweet.select().order_by(Tweet.id)
    favs = Favorite.select().order_by(Favorite.id)
    for u in prefetch(users, tweets, favs):
        obs.value(u.username, [(t.content, [f.user_id for f in t.favorites]) for t in u.tweets])
    for t in prefetch(Tweet.select().where(Tweet.likes > 0).order_by(Tweet.id), User):
        obs.value("fk_" + t.content, t.user.username)
    obs.value("method", [len(u.tweets) for u in users.prefetch(tweets)])


@scenario()
def with_related(db, obs):
    User, Tweet, Favorite = seed_twitter(db)
    try:
        from peewee import Load
    except ImportError as exc:
        obs.raised("import", exc)
        return
    rels = Load(User.tweets, Tweet.select().order_by(Tweet.likes.desc(), Tweet.id)).then(
        Load(Tweet.favorites)
    )
    for u in User.select().order_by(User.id).with_related(rels):
        obs.value(u.username, [(t.content, len(t.favorites)) for t in u.tweets])
    q = Tweet.select().order_by(Tweet.id).with_related(Tweet.user)
    obs.value("fk", [(t.content, t.user.username) for t in q])
    obs.call(
        "get",
        lambda: [
            t.content
            for t in User.select()
            .where(User.username == "bob")
            .with_related(User.tweets)
            .get()
            .tweets
        ],
    )


@scenario()
def many_to_many(db, obs):
    class Base(Model):
        class Meta:
            database = db

    class Student(Base):
        name = CharField()

    class Course(Base):
        title = CharField()
        students = ManyToManyField(Student, backref="courses")

    Through = Course.students.get_through_model()
    db.create_tables([Student, Course, Through])
    ann, bob = Student.create(name="ann"), Student.create(name="bob")
    math, art = Course.create(title="math"), Course.create(title="art")
    math.students.add([ann, bob])
    art.students.add(ann)
    obs.value("ann", sorted(c.title for c in ann.courses))
    obs.value("math", sorted(s.name for s in math.students))
    math.students.remove(bob)
    obs.value("math_after", sorted(s.name for s in math.students))
    ann.courses.clear()
    obs.value("art_after", [s.name for s in art.students])
    obs.value("through", Through._meta.table_name)


@scenario()
def self_and_deferred(db, obs):
    class Base(Model):
        class Meta:
            database = db

    class Node(Base):
        name = CharField()
        parent = ForeignKeyField("self", null=True, backref="children")

    class A(Base):
        name = CharField()
        b = DeferredForeignKey("B", null=True)

    class B(Base):
        a = ForeignKeyField(A, null=True)

    db.create_tables([Node, A, B])
    root = Node.create(name="root")
    kid = Node.create(name="kid", parent=root)
    Node.create(name="grandkid", parent=kid)
    Parent = Node.alias()
    q = (
        Node.select(Node.name, Parent.name.alias("pname"))
        .join(Parent, on=(Node.parent == Parent.id))
        .order_by(Node.id)
        .tuples()
    )
    obs.rows("self_join", q)
    obs.value("children", [c.name for c in root.children])
    b = B.create()
    a = A.create(name="a", b=b)
    obs.value("deferred", A.get_by_id(a.id).b.id)


@scenario()
def prefetch_strategies(db, obs):
    from peewee import PREFETCH_TYPE

    User, Tweet, Favorite = seed_twitter(db)
    users = User.select().where(User.age.is_null(False)).order_by(User.id)
    tweets = Tweet.select().where(Tweet.likes > 0).order_by(Tweet.id)
    for u in prefetch(users, tweets, prefetch_type=PREFETCH_TYPE.JOIN):
        obs.value("join_" + u.username, [t.content for t in u.tweets])
    limited = User.select().order_by(User.id).limit(2)
    for u in prefetch(limited, Tweet.select().order_by(Tweet.id)):
        obs.value("limited_" + u.username, [t.content for t in u.tweets])
    favs = Favorite.select().order_by(Favorite.id)
    for f in prefetch(favs, Tweet.select(), User.select()):
        obs.value("fav_%d" % f.id, (f.tweet.content, f.user.username))


@scenario()
def load_options(db, obs):
    try:
        from peewee import PREFETCH_TYPE, Load
    except ImportError as exc:
        obs.raised("import", exc)
        return
    User, Tweet, Favorite = seed_twitter(db)
    top = Load(User.tweets, Tweet.select().order_by(Tweet.likes.desc(), Tweet.id), per_parent=1)
    obs.call(
        "per_parent",
        lambda: [
            (u.username, [t.content for t in u.tweets])
            for u in User.select().order_by(User.id).with_related(top)
        ],
    )
    joined = Load(Tweet.user, strategy=PREFETCH_TYPE.JOIN)
    obs.call(
        "join_strategy",
        lambda: [
            (t.content, t.user.username)
            for t in Tweet.select().order_by(Tweet.id).with_related(joined)
        ],
    )
    obs.call("bad_query", lambda: Load(User.tweets, User.select()))
    obs.call("bad_rows", lambda: Load(User.tweets, Tweet.select().dicts()))
    obs.call("bad_strategy", lambda: Load(User.tweets, strategy="nope"))
    nested = Load(Favorite.tweet).then(Load(Tweet.user))
    obs.call(
        "nested_fk",
        lambda: [
            (f.tweet.content, f.tweet.user.username)
            for f in Favorite.select().order_by(Favorite.id).with_related(nested)
        ],
    )
    obs.call(
        "fields",
        lambda: [
            (u.username, len(u.tweets), len(u.favorites))
            for u in User.select().order_by(User.id).with_related(User.tweets, User.favorites)
        ],
    )
    obs.call(
        "empty",
        lambda: [u.tweets for u in User.select().where(User.id < 0).with_related(User.tweets)],
    )


@scenario()
def lazy_loading_and_n_plus_one(db, obs):
    class Base(Model):
        class Meta:
            database = db

    class Owner(Base):
        name = CharField()

    class Pet(Base):
        owner = ForeignKeyField(Owner, backref="pets", lazy_load=False)
        name = CharField()

    class Vet(Base):
        pet = ForeignKeyField(Pet, null=True, on_delete="SET NULL", object_id_name="pet_ref")

    db.create_tables([Owner, Pet, Vet])
    o = Owner.create(name="o")
    p = Pet.create(owner=o, name="p")
    Vet.create(pet=p)
    pet = Pet.get_by_id(p.id)
    obs.value("lazy_off", pet.owner)
    obs.value("object_id_name", Vet.get_by_id(1).pet_ref)
    obs.call("dependencies", lambda: sorted(f.name for _, f in o.dependencies()))
    obs.call("delete_nullable", lambda: o.delete_instance(recursive=True, delete_nullable=False))
    obs.rows("vets", Vet.select(Vet.pet).tuples())
