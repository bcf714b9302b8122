"""The workloads written against SQLAlchemy 2.x Core (``Table`` objects and ``Connection``).

Core has no model objects: workloads that materialise models are reported as not applicable.
"""
from __future__ import annotations

import os

import sqlalchemy as sa

from common import SINCE, NotApplicable, age_threshold, user_dicts
from impl_sqlalchemy_orm import make_engine

metadata = sa.MetaData()

user = sa.Table(
    "bench_user", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(255), nullable=False, unique=True),
    sa.Column("email", sa.String(255), nullable=False),
    sa.Column("age", sa.Integer, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
)

tweet = sa.Table(
    "bench_tweet", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("bench_user.id"), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)


class Bench:
    def __init__(self, backend: str, settings: dict) -> None:
        self.engine = make_engine(backend, settings)

    def version(self) -> str:
        return sa.__version__

    def module_path(self) -> str:
        return os.path.dirname(os.path.abspath(sa.__file__))

    def dbapi(self):
        return self.engine.raw_connection()

    def release(self, conn) -> None:
        conn.close()

    def close(self) -> None:
        self.engine.dispose()

    # --- workloads ----------------------------------------------------------------------------

    def prep_insert_one(self, n):
        return user_dicts(n)

    def wl_insert_one(self, n, rows):
        count = 0
        stmt = user.insert()
        with self.engine.begin() as conn:
            for row in rows:
                result = conn.execute(stmt, row)
                count += result.inserted_primary_key[0] is not None
        return count

    def prep_bulk_insert(self, n):
        return user_dicts(n)

    def wl_bulk_insert(self, n, rows):
        with self.engine.begin() as conn:
            conn.execute(user.insert(), rows)
        return len(rows)

    def wl_select_models(self, n, _):
        raise NotApplicable("Core has no model objects")

    def wl_select_tuples(self, n, _):
        with self.engine.connect() as conn:
            return len(conn.execute(sa.select(user)).all())

    def wl_select_dicts(self, n, _):
        with self.engine.connect() as conn:
            return len(conn.execute(sa.select(user)).mappings().all())

    def wl_get_by_pk(self, n, _):
        found = 0
        with self.engine.connect() as conn:
            for pk in range(1, n + 1):
                found += conn.execute(sa.select(user).where(user.c.id == pk)).first() is not None
        return found

    def wl_filter_order_limit(self, size, _):
        total = 0
        with self.engine.connect() as conn:
            for i in range(size[0]):
                stmt = (sa.select(user).where(user.c.age > age_threshold(i))
                        .order_by(user.c.username).limit(20))
                total += len(conn.execute(stmt).all())
        return total

    def wl_join_fk(self, size, _):
        count = 0
        stmt = sa.select(tweet, user.c.username).join_from(tweet, user)
        with self.engine.connect() as conn:
            for row in conn.execute(stmt):
                _ = row.username
                count += 1
        return count

    def prep_update_save(self, n):
        with self.engine.connect() as conn:
            return conn.execute(sa.select(user).order_by(user.c.id).limit(n)).all()

    def wl_update_save(self, n, rows):
        # One UPDATE of every column per row, as save() does.
        count = 0
        with self.engine.begin() as conn:
            for row in rows:
                stmt = (sa.update(user).where(user.c.id == row.id)
                        .values(username=row.username, email=row.email, age=row.age + 1,
                                created=row.created, active=row.active))
                count += conn.execute(stmt).rowcount
        return count

    def wl_update_bulk(self, n, _):
        with self.engine.begin() as conn:
            return conn.execute(
                sa.update(user).where(user.c.age >= 0).values(age=user.c.age + 1)).rowcount

    def wl_delete_bulk(self, n, _):
        with self.engine.begin() as conn:
            return conn.execute(sa.delete(user).where(user.c.age >= 0)).rowcount

    def wl_build_sql(self, n, _):
        dialect = self.engine.dialect
        count = 0
        for i in range(n):
            stmt = (sa.select(tweet, user).join_from(tweet, user)
                    .where(user.c.age > age_threshold(i), user.c.active == True,  # noqa: E712
                           tweet.c.created >= SINCE)
                    .order_by(tweet.c.created.desc()).limit(20))
            compiled = stmt.compile(dialect=dialect)
            if str(compiled) and compiled.params:
                count += 1
        return count

    def wl_select_models_iter_memory(self, k, _):
        raise NotApplicable("Core has no model objects")
