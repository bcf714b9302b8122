"""Benchmark runner: peewee (this repository) and peer ORMs against the raw DB-API drivers.

Every (implementation, backend, workload) is measured in its own process; results are printed as
ratios to the raw driver and saved as JSON.  Timing never makes this program fail.

    python bench/run.py --quick
    python bench/run.py --backends sqlite-file,postgres --workloads select_models,get_by_pk
    python bench/run.py --report bench/results/NEW.json --compare bench/results/OLD.json
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from common import BACKENDS, FULL_SIZES, IMPLS, QUICK_SIZES, WORKLOADS, backend_settings  # noqa: E402
from report import compare_results, format_tables, merge_results  # noqa: E402
from venvs import interpreter_for  # noqa: E402
from worker import RESULT_MARKER  # noqa: E402

REPO = os.path.dirname(HERE)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _csv(value: str | None, allowed: tuple[str, ...], what: str) -> list[str] | None:
    if value is None:
        return None
    items = [v.strip() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad:
        raise SystemExit(f"unknown {what}: {', '.join(bad)} (choose from {', '.join(allowed)})")
    return items


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, 3 runs, SQLite in memory only (unless --backends)")
    parser.add_argument("--backends", help=f"comma list of {', '.join(BACKENDS)}")
    parser.add_argument("--workloads", help=f"comma list of {', '.join(WORKLOADS)}")
    parser.add_argument("--impls", help=f"comma list of {', '.join(IMPLS)} (raw is always added)")
    parser.add_argument("--runs", type=int, help="measured runs per process (default 5; quick 3)")
    parser.add_argument("--warmup", type=int, help="unmeasured runs first (default 1)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every workload size by this factor")
    parser.add_argument("--no-memory", dest="memory", action="store_false",
                        help="skip the extra tracemalloc run that measures peak memory")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds before one measurement process is abandoned")
    parser.add_argument("--json", dest="json_path", help="where to write the results "
                        "(default bench/results/runs/<timestamp>.json, git-ignored)")
    parser.add_argument("--compare", metavar="OLD.json", help="compare with an earlier result file")
    parser.add_argument("--report", metavar="RESULT.json", nargs="+",
                        help="print the tables of result files instead of running (several "
                        "files are merged; a later file wins for the same measurement)")
    parser.add_argument("--metric", choices=("wall", "cpu"), default="wall",
                        help="time shown in the tables: elapsed (default) or this process's CPU "
                        "time (steadier on a busy machine; leaves out the database server's work)")
    parser.add_argument("--venv-dir", default=os.environ.get(
        "PEEWEE_BENCH_VENVS", os.path.join(REPO, ".bench-venvs")),
        help="cache directory of the peer libraries' virtual environments")
    args = parser.parse_args(argv)
    args.backend_list = _csv(args.backends, BACKENDS, "backend")
    args.workload_list = _csv(args.workloads, WORKLOADS, "workload") or list(WORKLOADS)
    impls = _csv(args.impls, IMPLS, "implementation") or list(IMPLS)
    if "raw" not in impls:
        impls.insert(0, "raw")
    args.impl_list = [i for i in IMPLS if i in impls]
    return args


# --- servers ------------------------------------------------------------------------------------

def check_backend(backend: str) -> str | None:
    """None when ``backend`` can be used (creating the benchmark database if missing), else why not."""
    if backend.startswith("sqlite"):
        return None
    s = backend_settings(backend)
    try:
        if backend == "postgres":
            import psycopg2
            try:
                psycopg2.connect(host=s["host"], port=s["port"], user=s["user"],
                                 password=s["password"], dbname=s["database"],
                                 connect_timeout=3).close()
                return None
            except psycopg2.OperationalError as exc:
                if "does not exist" not in str(exc):
                    return f"server not reachable ({str(exc).strip().splitlines()[0]})"
            for maintenance in ("postgres", os.environ.get("PEEWEE_TEST_DATABASE", "peewee_test"),
                                "template1"):
                try:
                    conn = psycopg2.connect(host=s["host"], port=s["port"], user=s["user"],
                                            password=s["password"], dbname=maintenance,
                                            connect_timeout=3)
                except psycopg2.OperationalError:
                    continue
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute(f'CREATE DATABASE "{s["database"]}"')
                conn.close()
                log(f"[bench] created PostgreSQL database {s['database']}")
                return None
            return "cannot create the benchmark database"
        import pymysql
        conn = pymysql.connect(host=s["host"], port=s["port"], user=s["user"],
                               password=s["password"], connect_timeout=3)
        with conn.cursor() as cur:
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{s['database']}`")
        conn.close()
        return None
    except ImportError as exc:
        return f"driver missing ({exc})"
    except Exception as exc:  # noqa: BLE001
        return f"server not reachable ({type(exc).__name__}: {str(exc).strip()[:80]})"


# --- running ------------------------------------------------------------------------------------

def scaled(size, factor: float):
    if factor == 1.0:
        return size
    if isinstance(size, tuple):
        return tuple(max(1, int(v * factor)) for v in size)
    return max(1, int(size * factor))


def run_job(python: str, job: dict, timeout: float) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONHASHSEED"] = "0"
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [python, os.path.join(HERE, "worker.py"), json.dumps(job)],
            capture_output=True, text=True, timeout=timeout, env=env, cwd=HERE)
    except subprocess.TimeoutExpired:
        return {**job, "error": f"timed out after {timeout:.0f} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARKER):
            result = json.loads(line[len(RESULT_MARKER):])
            result["wall"] = time.perf_counter() - started
            return result
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return {**job, "error": f"worker exited {proc.returncode}: {' | '.join(tail)}"}


def describe(result: dict) -> str:
    if result.get("error"):
        return "ERR " + result["error"].splitlines()[0][:100]
    if result.get("na"):
        return "n/a"
    text = f"{result['median'] * 1000:.1f} ms"
    if result.get("peak") is not None:
        text += f", peak {result['peak'] / 1024:.0f} KiB"
    if result.get("peak_small") is not None:
        text += f" (small size: {result['peak_small'] / 1024:.0f} KiB)"
    return text


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        documents = []
        for name in args.report:
            with open(name) as fh:
                documents.append(json.load(fh))
        data = documents[0] if len(documents) == 1 else merge_results(documents)
        print(format_tables(data, args.metric))
        if args.compare:
            with open(args.compare) as fh:
                print(compare_results(json.load(fh), data))
        return 0

    quick = args.quick
    sizes = QUICK_SIZES if quick else FULL_SIZES
    runs = args.runs or (3 if quick else 5)
    warmup = 1 if args.warmup is None else args.warmup
    timeout = args.timeout or (120.0 if quick else 1800.0)

    wanted = args.backend_list or (["sqlite-memory"] if quick else list(BACKENDS))
    backends, skipped = [], {}
    for backend in wanted:
        why = check_backend(backend)
        if why is None:
            backends.append(backend)
        else:
            skipped[backend] = why
            log(f"[bench] skipping {backend}: {why}")

    pythons, notes = {}, {}
    for impl in args.impl_list:
        python, note = interpreter_for(impl, args.venv_dir, log)
        pythons[impl] = python
        notes[impl] = note
        if python is None:
            log(f"[bench] {impl} unavailable: {note}")

    path = args.json_path
    if not path:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        # Auto-named runs go to a git-ignored folder; bench/results/ keeps named baselines.
        path = os.path.join(HERE, "results", "runs", f"{stamp}.json")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)

    jobs = [(b, w, i) for b in backends for w in args.workload_list for i in args.impl_list]
    results: list[dict] = []
    t_start = time.time()
    data = {
        "meta": {
            "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "mode": "quick" if quick else "full",
            "runs": runs, "warmup": warmup, "scale": args.scale, "memory": args.memory,
            "python": sys.version.split()[0], "platform": platform.platform(),
            "cpus": os.cpu_count(), "backends": backends, "skipped_backends": skipped,
            "impls": args.impl_list, "notes": notes, "workloads": args.workload_list,
            "complete": False,
        },
        "results": results,
    }

    def save() -> None:
        # Rewritten after every measurement, so an interrupted run keeps what it measured.
        data["meta"]["elapsed_s"] = round(time.time() - t_start, 1)
        with open(path + ".tmp", "w") as fh:
            json.dump(data, fh, indent=1, default=str)
        os.replace(path + ".tmp", path)

    for number, (backend, workload, impl) in enumerate(jobs, start=1):
        size = scaled(sizes[workload], args.scale)
        job = {"impl": impl, "backend": backend, "workload": workload, "size": size,
               "runs": runs, "warmup": warmup, "memory": args.memory}
        if pythons[impl] is None:
            result = {**job, "error": f"environment unavailable: {notes[impl]}"}
        else:
            result = run_job(pythons[impl], job, timeout)
        result["size"] = size
        results.append(result)
        save()
        log(f"[{number}/{len(jobs)}] {backend} {workload} {impl}: {describe(result)}")
    data["meta"]["complete"] = True
    save()

    print(format_tables(data, args.metric))
    shown = os.path.relpath(path)
    print(f"\nresults written to {os.path.abspath(path) if shown.startswith('..') else shown}")
    if args.compare:
        with open(args.compare) as fh:
            print(compare_results(json.load(fh), data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
