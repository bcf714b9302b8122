"""Smoke test of the benchmark harness: a quick run on SQLite in memory writes a result file.

Only implementations that run with this interpreter take part (no virtual environment is built).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "bench", "run.py")


def test_quick_run_writes_results_and_prints_ratios(tmp_path):
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [
            sys.executable,
            RUN,
            "--quick",
            "--backends",
            "sqlite-memory",
            "--impls",
            "raw,peewee",
            "--workloads",
            "get_by_pk,build_sql",
            "--runs",
            "2",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    got = {(r["impl"], r["workload"]): r for r in data["results"]}
    assert set(got) == {(i, w) for i in ("raw", "peewee") for w in ("get_by_pk", "build_sql")}
    for workload in ("get_by_pk", "build_sql"):
        raw = got[("raw", workload)]
        assert "error" not in raw, raw.get("traceback")
        assert len(raw["times"]) == 2 and raw["median"] > 0 and raw["peak"] >= 0
        # The ORM under development either measured or reported its error; the run went on.
        ours = got[("peewee", workload)]
        assert ours.get("median", 0) > 0 or ours.get("error")
    assert "== SQLite, :memory: ==" in proc.stdout
    assert "get_by_pk" in proc.stdout and "build_sql" in proc.stdout


def test_compare_report_of_two_result_files(tmp_path):
    def result(median):
        return {
            "meta": {"timestamp": "t", "runs": 5, "warmup": 1, "mode": "full"},
            "results": [
                {
                    "impl": "raw",
                    "backend": "sqlite-file",
                    "workload": "get_by_pk",
                    "size": 10,
                    "median": 0.01,
                    "peak": 1000,
                },
                {
                    "impl": "peewee",
                    "backend": "sqlite-file",
                    "workload": "get_by_pk",
                    "size": 10,
                    "median": median,
                    "peak": 4000,
                },
            ],
        }

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(result(0.2)))
    new.write_text(json.dumps(result(0.05)))
    proc = subprocess.run(
        [sys.executable, RUN, "--report", str(new), "--compare", str(old)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    row = next(line for line in lines if line.startswith("get_by_pk"))
    assert (
        "10.0ms" in row and "5.0x" in row and "4.0x" in row
    )  # raw absolute; ours 5x time, 4x memory
    cmp_row = next(line for line in lines if line.startswith("sqlite-file") and "peewee" in line)
    assert "0.25x" in cmp_row and "20.00x" in cmp_row and "5.00x" in cmp_row
