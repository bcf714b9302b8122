"""One run of the scenarios under one implementation on one backend.

``python compat/child.py JOB.json OUT.json``: the job names the backend, the database, the
scenario ids and the generated query shapes; the output holds the observations of each scenario.
The interpreter decides which peewee is imported, so nothing here may depend on our own code.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from typing import Any, Dict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    sys.path[0] = ROOT  # import the harness as ``compat.*``, never its modules by bare name
elif ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from compat.recorder import Recorder  # noqa: E402
from compat.registry import SCENARIOS, Unavailable  # noqa: E402

SCENARIO_MODULES = [
    "compat.scenarios.queries",
    "compat.scenarios.writes",
    "compat.scenarios.transactions",
    "compat.scenarios.relations",
    "compat.scenarios.schema",
    "compat.scenarios.fields",
    "compat.scenarios.playhouse_ext",
    "compat.scenarios.playhouse_more",
    "compat.scenarios.database",
    "compat.scenarios.misuse",
    "compat.scenarios.results",
    "compat.scenarios.sqltext",
]


def raw_connect(job: Dict[str, Any], database: Any = None) -> Any:
    s = job["server"]
    if job["backend"] == "postgres":
        import psycopg2

        conn = psycopg2.connect(
            dbname=database or "postgres",
            user=s["user"],
            password=s["password"],
            host=s["host"],
            port=s["port"],
            connect_timeout=5,
        )
        conn.autocommit = True
        return conn
    import pymysql

    return pymysql.connect(
        database=database,
        user=s["user"],
        password=s["password"],
        host=s["host"],
        port=s["port"],
        charset="utf8mb4",
        autocommit=True,
        connect_timeout=5,
        ssl_disabled=True,
    )


class Backend:
    """Makes a fresh database for each scenario and empties it afterwards."""

    def __init__(self, job: Dict[str, Any]) -> None:
        self.job = job
        self.name = job["backend"]
        self.count = 0
        self.admin = None
        if self.name != "sqlite":
            self.admin = raw_connect(job)
            self.reset()

    def reset(self) -> None:
        """Empty the database.  Sessions a scenario left open (and that hold locks) are ended
        first if the drop has to wait for them."""
        try:
            self._drop()
        except Exception:
            self._end_other_sessions()
            self._drop()

    def _drop(self) -> None:
        cur = self.admin.cursor()
        db = self.job["database"]
        if self.name == "postgres":
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
            if cur.fetchone() is None:
                cur.execute('CREATE DATABASE "%s"' % db)
            conn = raw_connect(self.job, db)
            try:
                conn.cursor().execute(
                    "SET lock_timeout = '5s'; "
                    "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"
                )
            finally:
                conn.close()
        else:
            cur.execute("SET SESSION lock_wait_timeout = 5")
            cur.execute("DROP DATABASE IF EXISTS `%s`" % db)
            cur.execute("CREATE DATABASE `%s` DEFAULT CHARACTER SET utf8mb4" % db)

    def _end_other_sessions(self) -> None:
        cur = self.admin.cursor()
        db = self.job["database"]
        if self.name == "postgres":
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (db,),
            )
            return
        cur.execute(
            "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()",
            (db,),
        )
        for (pid,) in cur.fetchall():
            try:
                cur.execute("KILL %d" % int(pid))
            except Exception:
                pass

    def database(self) -> Any:
        import peewee

        self.count += 1
        s = self.job.get("server") or {}
        if self.name == "sqlite":
            path = os.path.join(self.job["sqlite_dir"], "s%04d.db" % self.count)
            if os.path.exists(path):
                os.remove(path)
            return peewee.SqliteDatabase(path)
        # a statement stuck on a lock fails after a while instead of hanging the run
        if self.name == "postgres":
            return peewee.PostgresqlDatabase(
                self.job["database"],
                user=s["user"],
                password=s["password"],
                host=s["host"],
                port=s["port"],
                options="-c lock_timeout=10s -c statement_timeout=60s",
            )
        return peewee.MySQLDatabase(
            self.job["database"],
            user=s["user"],
            password=s["password"],
            host=s["host"],
            port=s["port"],
            charset="utf8mb4",
            ssl_disabled=True,
            init_command="SET SESSION innodb_lock_wait_timeout = 10, lock_wait_timeout = 10",
        )

    def finish(self, db: Any) -> None:
        try:
            if not db.is_closed():
                db.close()
        except Exception:
            try:
                db.rollback()
                db.close()
            except Exception:
                pass
        if self.name != "sqlite":
            self.reset()


def run_one(func: Any, db: Any) -> Dict[str, Any]:
    start = time.perf_counter()
    with Recorder() as obs:
        try:
            func(db, obs)
        except Unavailable as exc:
            return {"unavailable": str(exc)}
        except Exception as exc:
            obs.raised("scenario", exc)
            obs.messages.append("".join(traceback.format_exc(limit=-3)))
    return {
        "events": obs.events,
        "messages": obs.messages,
        "seconds": round(time.perf_counter() - start, 4),
    }


def main(job_path: str, out_path: str) -> int:
    with open(job_path) as f:
        job = json.load(f)
    import peewee

    for name in job.get("modules") or SCENARIO_MODULES:
        importlib.import_module(name)
    backend = Backend(job)
    results: Dict[str, Any] = {}
    for sid in job["scenarios"]:
        db = backend.database()
        results[sid] = run_one(SCENARIOS[sid].func, db)
        backend.finish(db)
    if job.get("shapes"):
        from compat import shapes

        db = backend.database()
        results.update(shapes.run_all(db, job["shapes"], run_one))
        backend.finish(db)
    if backend.admin is not None:
        backend.admin.close()
    out = {
        "side": job["side"],
        "backend": job["backend"],
        "peewee": {"file": peewee.__file__, "version": getattr(peewee, "__version__", "?")},
        "results": results,
    }
    with open(out_path, "w") as f:
        json.dump(out, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
