"""The workloads written against peewee's public API.

The same code measures this repository's ``peewee`` (run with the project's interpreter) and the
peewee release from PyPI (run with the interpreter of its own virtual environment).
"""
from __future__ import annotations

import os

import peewee as pw

from common import SINCE, age_threshold, family, user_dicts, user_rows


def make_database(backend: str, settings: dict):
    fam = family(backend)
    if fam == "sqlite":
        return pw.SqliteDatabase(settings["database"])
    if fam == "postgres":
        return pw.PostgresqlDatabase(
            settings["database"], host=settings["host"], port=settings["port"],
            user=settings["user"], password=settings["password"])
    return pw.MySQLDatabase(
        settings["database"], host=settings["host"], port=settings["port"],
        user=settings["user"], password=settings["password"])


def make_models(db):
    class BaseModel(pw.Model):
        class Meta:
            database = db

    class User(BaseModel):
        username = pw.CharField(unique=True)
        email = pw.CharField()
        age = pw.IntegerField()
        created = pw.DateTimeField()
        active = pw.BooleanField()

        class Meta:
            table_name = "bench_user"

    class Tweet(BaseModel):
        user = pw.ForeignKeyField(User, backref="tweets")
        message = pw.TextField()
        created = pw.DateTimeField()

        class Meta:
            table_name = "bench_tweet"

    return User, Tweet


class Bench:
    def __init__(self, backend: str, settings: dict) -> None:
        self.db = make_database(backend, settings)
        self.db.connect()
        self.User, self.Tweet = make_models(self.db)

    def version(self) -> str:
        return getattr(pw, "__version__", "?")

    def module_path(self) -> str:
        return os.path.dirname(os.path.abspath(pw.__file__))

    def dbapi(self):
        return self.db.connection()

    def release(self, conn) -> None:
        pass

    def close(self) -> None:
        self.db.close()

    # --- workloads ----------------------------------------------------------------------------

    def prep_insert_one(self, n):
        return user_rows(n)

    def wl_insert_one(self, n, rows):
        create = self.User.create
        count = 0
        with self.db.atomic():
            for username, email, age, created, active in rows:
                create(username=username, email=email, age=age, created=created, active=active)
                count += 1
        return count

    def prep_bulk_insert(self, n):
        return user_dicts(n)

    def wl_bulk_insert(self, n, rows):
        User = self.User
        with self.db.atomic():
            for i in range(0, len(rows), 1000):
                User.insert_many(rows[i:i + 1000]).execute()
        return len(rows)

    def wl_select_models(self, n, _):
        return len(list(self.User.select()))

    def wl_select_tuples(self, n, _):
        return len(list(self.User.select().tuples()))

    def wl_select_dicts(self, n, _):
        return len(list(self.User.select().dicts()))

    def wl_get_by_pk(self, n, _):
        get = self.User.get_by_id
        found = 0
        for pk in range(1, n + 1):
            get(pk)
            found += 1
        return found

    def wl_filter_order_limit(self, size, _):
        User = self.User
        total = 0
        for i in range(size[0]):
            query = (User.select().where(User.age > age_threshold(i))
                     .order_by(User.username).limit(20))
            total += len(list(query))
        return total

    def wl_join_fk(self, size, _):
        User, Tweet = self.User, self.Tweet
        count = 0
        for tweet in Tweet.select(Tweet, User).join(User):
            _ = tweet.user.username
            count += 1
        return count

    def prep_update_save(self, n):
        User = self.User
        return list(User.select().order_by(User.id).limit(n))

    def wl_update_save(self, n, users):
        count = 0
        with self.db.atomic():
            for user in users:
                user.age += 1
                count += user.save()
        return count

    def wl_update_bulk(self, n, _):
        User = self.User
        with self.db.atomic():
            return User.update(age=User.age + 1).where(User.age >= 0).execute()

    def wl_delete_bulk(self, n, _):
        User = self.User
        with self.db.atomic():
            return User.delete().where(User.age >= 0).execute()

    def wl_build_sql(self, n, _):
        User, Tweet = self.User, self.Tweet
        count = 0
        for i in range(n):
            query = (Tweet.select(Tweet, User).join(User)
                     .where((User.age > age_threshold(i)) & (User.active == True)  # noqa: E712
                            & (Tweet.created >= SINCE))
                     .order_by(Tweet.created.desc()).limit(20))
            sql, params = query.sql()
            if sql and params:
                count += 1
        return count

    def wl_select_models_iter_memory(self, k, _):
        User = self.User
        count = 0
        for user in User.select().where(User.id <= k).iterator():
            _ = user.username
            count += 1
        return count
