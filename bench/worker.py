"""One benchmark measurement: one implementation, one backend, one workload, in this process.

Run by ``run.py`` (possibly with another library's interpreter); prints one JSON line that starts
with ``RESULT_MARKER`` and never raises: failures are reported in the JSON.
"""
from __future__ import annotations

import gc
import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import traceback
import tracemalloc

from common import NotApplicable, Setup, backend_settings

RESULT_MARKER = "@@BENCH-RESULT@@ "

MODULES = {
    "raw": "impl_raw",
    "peewee": "impl_peewee",
    "peewee-pypi": "impl_peewee",
    "sqlalchemy-orm": "impl_sqlalchemy_orm",
    "sqlalchemy-core": "impl_sqlalchemy_core",
}

# Workloads whose tables must be brought back to the starting state before every run.
RESET_EACH_RUN = {"insert_one", "bulk_insert", "delete_bulk"}


def expected(workload: str, size) -> int | None:
    """The count every implementation's workload must return (a guard against silent no-ops)."""
    if workload == "filter_order_limit":
        return size[0] * 20
    if workload == "join_fk":
        return size[0]
    if workload == "select_models_iter_memory":
        return None
    return size


def measure(job: dict) -> dict:
    impl_name, backend, workload = job["impl"], job["backend"], job["workload"]
    size = job["size"]
    if isinstance(size, list):
        size = tuple(size)
    out: dict = {"impl": impl_name, "backend": backend, "workload": workload, "size": size}
    settings = backend_settings(backend)
    tmpdir = None
    bench = None
    try:
        if backend == "sqlite-file":
            tmpdir = tempfile.mkdtemp(prefix="peewee-bench-")
            settings["database"] = os.path.join(tmpdir, "bench.db")
        module = importlib.import_module(MODULES[impl_name])
        bench = module.Bench(backend, settings)
        out["version"] = bench.version()
        out["module_path"] = bench.module_path()
        run = getattr(bench, "wl_" + workload, None)
        if run is None:
            raise NotApplicable(f"{impl_name} has no {workload} workload")
        prep = getattr(bench, "prep_" + workload, None)
        setup = Setup(backend)

        def setup_tables():
            conn = bench.dbapi()
            try:
                setup.prepare(conn, workload, size)
            finally:
                bench.release(conn)

        want = expected(workload, size)
        cpu_times: list[float] = []
        run_size = size[1] if workload == "select_models_iter_memory" else size

        def one_run(arg_size, fresh: bool, traced: bool = False):
            if fresh:
                setup_tables()
            arg = prep(arg_size) if prep else None
            gc.collect()
            if traced:
                tracemalloc.start()
                base = tracemalloc.get_traced_memory()[0]
                t0 = time.perf_counter()
                got = run(arg_size, arg)
                elapsed = time.perf_counter() - t0
                peak = tracemalloc.get_traced_memory()[1] - base
                tracemalloc.stop()
            else:
                c0 = time.process_time()
                t0 = time.perf_counter()
                got = run(arg_size, arg)
                elapsed = time.perf_counter() - t0
                cpu_times.append(time.process_time() - c0)
                peak = None
            del arg
            if want is not None and got != want and arg_size == run_size:
                raise AssertionError(f"{workload} returned {got!r}, expected {want!r}")
            if workload == "select_models_iter_memory" and got != arg_size:
                raise AssertionError(f"{workload} returned {got!r}, expected {arg_size!r}")
            return elapsed, peak

        # The first preparation creates the schema and data for every workload.
        prepare_each = workload in RESET_EACH_RUN
        if not prepare_each:
            setup_tables()
        for _ in range(job["warmup"]):
            one_run(run_size, prepare_each)
        cpu_times.clear()
        times = [one_run(run_size, prepare_each)[0] for _ in range(job["runs"])]
        out["times"] = times
        out["median"] = statistics.median(times)
        out["cpu_times"] = list(cpu_times)
        out["cpu_median"] = statistics.median(cpu_times)
        if not job.get("memory", True):
            out["peak"] = None
        else:
            out["peak"] = one_run(run_size, prepare_each, traced=True)[1]
        if workload == "select_models_iter_memory" and job.get("memory", True):
            out["peak_small"] = one_run(size[0], prepare_each, traced=True)[1]
    except NotApplicable as exc:
        out["na"] = str(exc) or "not applicable"
    except BaseException as exc:  # noqa: BLE001 - every failure becomes a table cell
        out["error"] = f"{type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc(limit=12)
    finally:
        if tracemalloc.is_tracing():
            tracemalloc.stop()
        if bench is not None:
            try:
                bench.close()
            except Exception:  # noqa: BLE001
                pass
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    return out


def main() -> None:
    job = json.loads(sys.argv[1])
    result = measure(job)
    sys.stdout.write(RESULT_MARKER + json.dumps(result, default=str) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
