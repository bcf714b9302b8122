"""The floor: every workload written with plain DB-API calls (sqlite3, psycopg2, pymysql).

Values are converted the way an ORM converts them (datetimes to text and back on SQLite, integers
to booleans where the driver returns integers) and rows become small objects, so the comparison
with the ORMs is about the ORM's overhead, not about skipped work.
"""
from __future__ import annotations

import datetime

from common import SINCE, age_threshold, family, user_dicts, user_rows

_fromiso = datetime.datetime.fromisoformat

COLS = "id, username, email, age, created, active"


class UserObj:
    __slots__ = ("id", "username", "email", "age", "created", "active")

    def __init__(self, id, username, email, age, created, active):
        self.id = id
        self.username = username
        self.email = email
        self.age = age
        self.created = created
        self.active = active


class TweetObj:
    __slots__ = ("id", "user", "message", "created")

    def __init__(self, id, user, message, created):
        self.id = id
        self.user = user
        self.message = message
        self.created = created


class Bench:
    def __init__(self, backend: str, settings: dict) -> None:
        self.family = fam = family(backend)
        if fam == "sqlite":
            import sqlite3 as driver
            self.conn = driver.connect(settings["database"], isolation_level=None)
            self.p = "?"
        elif fam == "postgres":
            import psycopg2 as driver
            self.conn = driver.connect(
                host=settings["host"], port=settings["port"], user=settings["user"],
                password=settings["password"], dbname=settings["database"])
            self.p = "%s"
        else:
            import pymysql as driver
            self.conn = driver.connect(
                host=settings["host"], port=settings["port"], user=settings["user"],
                password=settings["password"], database=settings["database"], autocommit=False)
            self.p = "%s"
        self.driver = driver
        self.quote = "`" if fam == "mysql" else '"'
        # Conversions an ORM performs on the way in and out for this driver.
        self.to_db_time = (lambda v: v.isoformat(" ")) if fam == "sqlite" else (lambda v: v)

    def version(self) -> str:
        name = self.driver.__name__
        if name == "sqlite3":
            return f"sqlite3 (SQLite {self.driver.sqlite_version})"
        version = getattr(self.driver, "VERSION_STRING", None) or getattr(
            self.driver, "__version__", "?")
        return f"{name} {version.split(' ')[0]}"

    def module_path(self) -> str:
        return getattr(self.driver, "__file__", "") or ""

    def dbapi(self):
        return self.conn

    def release(self, conn) -> None:
        pass

    def close(self) -> None:
        self.conn.close()

    # --- helpers ------------------------------------------------------------------------------

    def begin(self, cur) -> None:
        if self.family == "sqlite":
            cur.execute("BEGIN")

    def commit(self, cur) -> None:
        if self.family == "sqlite":
            cur.execute("COMMIT")
        else:
            self.conn.commit()

    def user(self, row) -> UserObj:
        a, b, c, d, e, f = row
        if self.family == "sqlite":
            return UserObj(a, b, c, d, _fromiso(e), bool(f))
        if self.family == "mysql":
            return UserObj(a, b, c, d, e, bool(f))
        return UserObj(a, b, c, d, e, f)

    def users(self, rows) -> list:
        """Rows to objects, converting as an ORM does for this driver (one comprehension)."""
        if self.family == "sqlite":
            fromiso = _fromiso
            return [UserObj(a, b, c, d, fromiso(e), bool(f)) for a, b, c, d, e, f in rows]
        if self.family == "mysql":
            return [UserObj(a, b, c, d, e, bool(f)) for a, b, c, d, e, f in rows]
        return [UserObj(*row) for row in rows]

    def tuples(self, rows) -> list:
        if self.family == "sqlite":
            fromiso = _fromiso
            return [(a, b, c, d, fromiso(e), bool(f)) for a, b, c, d, e, f in rows]
        if self.family == "mysql":
            return [(a, b, c, d, e, bool(f)) for a, b, c, d, e, f in rows]
        return list(rows)

    # --- workloads ----------------------------------------------------------------------------

    def prep_insert_one(self, n):
        return user_rows(n)

    def wl_insert_one(self, n, rows):
        p = self.p
        sql = (f"INSERT INTO bench_user (username, email, age, created, active)"
               f" VALUES ({p}, {p}, {p}, {p}, {p})")
        to_db = self.to_db_time
        cur = self.conn.cursor()
        self.begin(cur)
        count = 0
        if self.family == "postgres":
            sql += " RETURNING id"
            for username, email, age, created, active in rows:
                cur.execute(sql, (username, email, age, to_db(created), active))
                UserObj(cur.fetchone()[0], username, email, age, created, active)
                count += 1
        else:
            for username, email, age, created, active in rows:
                cur.execute(sql, (username, email, age, to_db(created), active))
                UserObj(cur.lastrowid, username, email, age, created, active)
                count += 1
        self.commit(cur)
        return count

    def prep_bulk_insert(self, n):
        return user_dicts(n)

    def wl_bulk_insert(self, n, rows):
        p = self.p
        to_db = self.to_db_time
        values = [(r["username"], r["email"], r["age"], to_db(r["created"]), r["active"])
                  for r in rows]
        cur = self.conn.cursor()
        self.begin(cur)
        head = "INSERT INTO bench_user (username, email, age, created, active) VALUES "
        if self.family == "postgres":
            # One statement per 1,000 rows: psycopg2's executemany is a round trip per row.
            one = f"({p}, {p}, {p}, {p}, {p})"
            for i in range(0, len(values), 1000):
                batch = values[i:i + 1000]
                cur.execute(head + ", ".join([one] * len(batch)),
                            [v for row in batch for v in row])
        else:
            cur.executemany(head + f"({p}, {p}, {p}, {p}, {p})", values)
        self.commit(cur)
        return len(values)

    def wl_select_models(self, n, _):
        cur = self.conn.cursor()
        cur.execute(f"SELECT {COLS} FROM bench_user")
        return len(self.users(cur.fetchall()))

    def wl_select_tuples(self, n, _):
        cur = self.conn.cursor()
        cur.execute(f"SELECT {COLS} FROM bench_user")
        return len(self.tuples(cur.fetchall()))

    def wl_select_dicts(self, n, _):
        cur = self.conn.cursor()
        cur.execute(f"SELECT {COLS} FROM bench_user")
        names = [d[0] for d in cur.description]
        return len([dict(zip(names, row)) for row in self.tuples(cur.fetchall())])

    def wl_get_by_pk(self, n, _):
        cur = self.conn.cursor()
        sql = f"SELECT {COLS} FROM bench_user WHERE id = {self.p} LIMIT 1"
        user = self.user
        found = 0
        for pk in range(1, n + 1):
            cur.execute(sql, (pk,))
            row = cur.fetchone()
            if row is not None:
                user(row)
                found += 1
        return found

    def wl_filter_order_limit(self, size, _):
        cur = self.conn.cursor()
        sql = (f"SELECT {COLS} FROM bench_user WHERE age > {self.p}"
               f" ORDER BY username LIMIT {self.p}")
        users = self.users
        total = 0
        for i in range(size[0]):
            cur.execute(sql, (age_threshold(i), 20))
            total += len(users(cur.fetchall()))
        return total

    def wl_join_fk(self, size, _):
        cur = self.conn.cursor()
        cur.execute(
            "SELECT t.id, t.message, t.created, u.id, u.username, u.email, u.age, u.created,"
            " u.active FROM bench_tweet AS t INNER JOIN bench_user AS u ON t.user_id = u.id")
        rows = cur.fetchall()
        if self.family == "sqlite":
            fromiso = _fromiso
            tweets = [TweetObj(a, UserObj(ui, un, ue, ua, fromiso(uc), bool(ux)), b, fromiso(c))
                      for a, b, c, ui, un, ue, ua, uc, ux in rows]
        elif self.family == "mysql":
            tweets = [TweetObj(a, UserObj(ui, un, ue, ua, uc, bool(ux)), b, c)
                      for a, b, c, ui, un, ue, ua, uc, ux in rows]
        else:
            tweets = [TweetObj(a, UserObj(ui, un, ue, ua, uc, ux), b, c)
                      for a, b, c, ui, un, ue, ua, uc, ux in rows]
        count = 0
        for tweet in tweets:
            _ = tweet.user.username
            count += 1
        return count

    def prep_update_save(self, n):
        cur = self.conn.cursor()
        cur.execute(f"SELECT {COLS} FROM bench_user ORDER BY id LIMIT {self.p}", (n,))
        return self.users(cur.fetchall())

    def wl_update_save(self, n, objs):
        p = self.p
        sql = (f"UPDATE bench_user SET username = {p}, email = {p}, age = {p}, created = {p},"
               f" active = {p} WHERE id = {p}")
        to_db = self.to_db_time
        cur = self.conn.cursor()
        self.begin(cur)
        count = 0
        for obj in objs:
            obj.age += 1
            cur.execute(sql, (obj.username, obj.email, obj.age, to_db(obj.created), obj.active,
                              obj.id))
            count += cur.rowcount
        self.commit(cur)
        return count

    def wl_update_bulk(self, n, _):
        cur = self.conn.cursor()
        self.begin(cur)
        cur.execute(f"UPDATE bench_user SET age = (age + 1) WHERE age >= {self.p}", (0,))
        count = cur.rowcount
        self.commit(cur)
        return count

    def wl_delete_bulk(self, n, _):
        cur = self.conn.cursor()
        self.begin(cur)
        cur.execute(f"DELETE FROM bench_user WHERE age >= {self.p}", (0,))
        count = cur.rowcount
        self.commit(cur)
        return count

    def wl_build_sql(self, n, _):
        q, p = self.quote, self.p
        t1, t2 = f"{q}t1{q}", f"{q}t2{q}"
        since = self.to_db_time(SINCE)
        count = 0
        for i in range(n):
            sql = (
                f"SELECT {t1}.{q}id{q}, {t1}.{q}user_id{q}, {t1}.{q}message{q}, "
                f"{t1}.{q}created{q}, {t2}.{q}id{q}, {t2}.{q}username{q}, {t2}.{q}email{q}, "
                f"{t2}.{q}age{q}, {t2}.{q}created{q}, {t2}.{q}active{q} "
                f"FROM {q}bench_tweet{q} AS {t1} INNER JOIN {q}bench_user{q} AS {t2} "
                f"ON ({t1}.{q}user_id{q} = {t2}.{q}id{q}) "
                f"WHERE ((({t2}.{q}age{q} > {p}) AND ({t2}.{q}active{q} = {p})) "
                f"AND ({t1}.{q}created{q} >= {p})) "
                f"ORDER BY {t1}.{q}created{q} DESC LIMIT {p}"
            )
            params = [age_threshold(i), True, since, 20]
            if sql and params:
                count += 1
        return count

    def wl_select_models_iter_memory(self, k, _):
        cur = self.conn.cursor()
        cur.execute(f"SELECT {COLS} FROM bench_user WHERE id <= {self.p}", (k,))
        user = self.user
        count = 0
        for row in cur:
            _ = user(row).username
            count += 1
        return count
