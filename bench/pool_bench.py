"""Connection pool benchmark: requests per second, where one request is a checkout, one query and
the return of the connection, with ``playhouse.pool`` against a plain ``connect()``/``close()``.

    python bench/pool_bench.py                       # PostgreSQL and MariaDB/MySQL, 3 s each
    python bench/pool_bench.py --backends postgres --seconds 5 --threads 4
    python bench/pool_bench.py --json /tmp/pool.json

Uses the benchmark database and server settings of ``bench/run.py`` (see bench/README.md). Like
every benchmark here it never fails on timing: it prints the rates and their ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import backend_settings  # noqa: E402
from run import check_backend  # noqa: E402

BACKENDS = ("postgres", "mysql")


def make_database(backend: str, pooled: bool, threads: int):
    from peewee import MySQLDatabase, PostgresqlDatabase
    from playhouse.pool import PooledMySQLDatabase, PooledPostgresqlDatabase

    s = dict(backend_settings(backend))
    name = s.pop("database")
    if backend == "mysql":
        s["ssl_disabled"] = True  # the local server has no TLS: measure the connection itself
    if not pooled:
        cls = PostgresqlDatabase if backend == "postgres" else MySQLDatabase
        return cls(name, **s)
    cls = PooledPostgresqlDatabase if backend == "postgres" else PooledMySQLDatabase
    return cls(name, max_connections=threads, timeout=10, **s)


def request(db) -> None:
    db.connect()
    try:
        row = db.execute_sql("SELECT 1").fetchone()
        assert row[0] == 1
    finally:
        db.close()


def measure(db, seconds: float, threads: int) -> dict:
    """Requests per second over ``seconds`` (after a short warm-up), summed over ``threads``."""
    for _ in range(20):
        request(db)
    counts = [0] * threads
    stop = time.perf_counter() + seconds
    barrier = threading.Barrier(threads)

    def worker(n: int) -> None:
        barrier.wait()
        done = 0
        while time.perf_counter() < stop:
            request(db)
            done += 1
        counts[n] = done

    began = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    return {"requests": sum(counts), "seconds": elapsed, "per_second": sum(counts) / elapsed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--seconds", type=float, default=3.0, help="per measurement")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5,
                        help="plain and pooled alternate; the best round of each is reported")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    results = {}
    print(f"{'backend':<10}{'plain/s':>12}{'pooled/s':>12}{'ratio':>9}")
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend not in BACKENDS:
            parser.error(f"unknown backend {backend!r}")
        problem = check_backend(backend)
        if problem:
            print(f"{backend:<10}skipped: {problem}")
            continue
        # Plain and pooled take turns, and each keeps its best round: on a busy machine the
        # best round is the one least disturbed by other work.
        dbs = {"plain": make_database(backend, False, args.threads),
               "pooled": make_database(backend, True, args.threads)}
        row = {}
        try:
            for _ in range(args.rounds):
                for label, db in dbs.items():
                    result = measure(db, args.seconds / args.rounds, args.threads)
                    if label not in row or result["per_second"] > row[label]["per_second"]:
                        row[label] = result
        finally:
            dbs["pooled"].close_all()
        ratio = row["pooled"]["per_second"] / row["plain"]["per_second"]
        row["ratio"] = ratio
        results[backend] = row
        print(f"{backend:<10}{row['plain']['per_second']:>12.0f}"
              f"{row['pooled']['per_second']:>12.0f}{ratio:>8.1f}x")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"threads": args.threads, "seconds": args.seconds, "rounds": args.rounds,
                       "results": results},
                      fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
