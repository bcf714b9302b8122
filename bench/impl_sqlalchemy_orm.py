"""The workloads written against SQLAlchemy 2.x's ORM (declarative models and ``Session``).

Each workload uses the idiom SQLAlchemy's documentation recommends for that task; a fresh
``Session`` per run, so no identity-map hits carry over between runs.
"""
from __future__ import annotations

import datetime
import os

import sqlalchemy as sa
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, contains_eager, mapped_column,
                            relationship)

from common import SINCE, age_threshold, family, user_dicts, user_rows


def make_engine(backend: str, settings: dict):
    fam = family(backend)
    if fam == "sqlite":
        if settings["database"] == ":memory:":
            return sa.create_engine("sqlite://")
        return sa.create_engine(sa.engine.URL.create("sqlite", database=settings["database"]))
    drivername = "postgresql+psycopg2" if fam == "postgres" else "mysql+pymysql"
    url = sa.engine.URL.create(
        drivername, username=settings["user"], password=settings["password"],
        host=settings["host"], port=settings["port"], database=settings["database"])
    return sa.create_engine(url)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "bench_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(255), unique=True)
    email: Mapped[str] = mapped_column(sa.String(255))
    age: Mapped[int]
    created: Mapped[datetime.datetime]
    active: Mapped[bool]


class Tweet(Base):
    __tablename__ = "bench_tweet"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("bench_user.id"))
    message: Mapped[str] = mapped_column(sa.Text)
    created: Mapped[datetime.datetime]
    user: Mapped[User] = relationship()


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
        return user_rows(n)

    def wl_insert_one(self, n, rows):
        # Like create(): each object is INSERTed (flushed) at once and has its id afterwards.
        count = 0
        with Session(self.engine) as session:
            for username, email, age, created, active in rows:
                user = User(username=username, email=email, age=age, created=created,
                            active=active)
                session.add(user)
                session.flush()
                count += user.id is not None
            session.commit()
        return count

    def prep_bulk_insert(self, n):
        return user_dicts(n)

    def wl_bulk_insert(self, n, rows):
        with Session(self.engine) as session:
            session.execute(sa.insert(User), rows)
            session.commit()
        return len(rows)

    def wl_select_models(self, n, _):
        with Session(self.engine) as session:
            return len(session.scalars(sa.select(User)).all())

    def _columns(self):
        return (User.id, User.username, User.email, User.age, User.created, User.active)

    def wl_select_tuples(self, n, _):
        with Session(self.engine) as session:
            return len(session.execute(sa.select(*self._columns())).all())

    def wl_select_dicts(self, n, _):
        with Session(self.engine) as session:
            return len(session.execute(sa.select(*self._columns())).mappings().all())

    def wl_get_by_pk(self, n, _):
        found = 0
        with Session(self.engine) as session:
            get = session.get
            for pk in range(1, n + 1):
                found += get(User, pk) is not None
        return found

    def wl_filter_order_limit(self, size, _):
        total = 0
        with Session(self.engine) as session:
            for i in range(size[0]):
                stmt = (sa.select(User).where(User.age > age_threshold(i))
                        .order_by(User.username).limit(20))
                total += len(session.scalars(stmt).all())
        return total

    def wl_join_fk(self, size, _):
        count = 0
        with Session(self.engine) as session:
            stmt = sa.select(Tweet).join(Tweet.user).options(contains_eager(Tweet.user))
            for tweet in session.scalars(stmt):
                _ = tweet.user.username
                count += 1
        return count

    def prep_update_save(self, n):
        self._session = session = Session(self.engine)
        return session.scalars(sa.select(User).order_by(User.id).limit(n)).all()

    def wl_update_save(self, n, users):
        # The unit of work: change every object, then one commit (flushes all of them).
        session = self._session
        for user in users:
            user.age += 1
        session.commit()
        session.close()
        return len(users)

    def wl_update_bulk(self, n, _):
        with Session(self.engine) as session:
            result = session.execute(
                sa.update(User).where(User.age >= 0).values(age=User.age + 1))
            session.commit()
            return result.rowcount

    def wl_delete_bulk(self, n, _):
        with Session(self.engine) as session:
            result = session.execute(sa.delete(User).where(User.age >= 0))
            session.commit()
            return result.rowcount

    def wl_build_sql(self, n, _):
        dialect = self.engine.dialect
        count = 0
        for i in range(n):
            stmt = (sa.select(Tweet, User).join(Tweet.user)
                    .where(User.age > age_threshold(i), User.active == True,  # noqa: E712
                           Tweet.created >= SINCE)
                    .order_by(Tweet.created.desc()).limit(20))
            compiled = stmt.compile(dialect=dialect)
            if str(compiled) and compiled.params:
                count += 1
        return count

    def wl_select_models_iter_memory(self, k, _):
        count = 0
        with Session(self.engine) as session:
            stmt = sa.select(User).where(User.id <= k).execution_options(yield_per=1000)
            for user in session.scalars(stmt):
                _ = user.username
                count += 1
        return count
