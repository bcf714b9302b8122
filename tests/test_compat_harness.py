"""The differential harness in compat/: differences are reported, listed ones are accepted, a
listed one that no longer occurs fails the run, and the generated shapes are the same each time.

Both sides run on this interpreter here (the real comparison with peewee 4.5.3 is ``nox -s
compat``); the scenarios of compat/selftest.py tell the two sides apart by COMPAT_SIDE.
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, List

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compat.compare import KNOWN_FILE, load_known  # noqa: E402
from compat.recorder import Recorder, normalise_sql, plain  # noqa: E402


def run_harness(tmp_path: Path, known: List[Any]) -> subprocess.CompletedProcess:
    known_file = tmp_path / "known.json"
    known_file.write_text(json.dumps(known))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "compat.run",
            "--reference-python",
            sys.executable,
            "--backends",
            "sqlite",
            "--modules",
            "compat.selftest",
            "--examples",
            "0",
            "--known",
            str(known_file),
        ],
        cwd=str(ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_difference_is_reported_with_both_sides(tmp_path: Path) -> None:
    out = run_harness(tmp_path, [])
    assert out.returncode == 1, out.stdout + out.stderr
    assert "=== sqlite: selftest.differs" in out.stdout
    assert '-["value", "side", "ref"]' in out.stdout
    assert '+["value", "side", "ours"]' in out.stdout
    assert "selftest.agrees" not in out.stdout
    assert "skipped selftest.unavailable: ours: not here" in out.stdout
    assert "1 same, 1 different, 1 skipped" in out.stdout
    assert "1 unexpected difference(s)" in out.stdout


def test_a_listed_difference_passes(tmp_path: Path) -> None:
    out = run_harness(
        tmp_path, [{"scenario": "selftest.differs", "backend": "sqlite", "reason": "on purpose"}]
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "sqlite: selftest.differs: on purpose" in out.stdout
    assert "0 unexpected difference(s), 1 known" in out.stdout


def test_a_listed_difference_that_no_longer_occurs_fails(tmp_path: Path) -> None:
    out = run_harness(
        tmp_path,
        [
            {"scenario": "selftest.differs", "backend": "*", "reason": "on purpose"},
            {"scenario": "selftest.agr*", "backend": "sqlite", "reason": "stale"},
            {"scenario": "selftest.agrees", "backend": "postgres", "reason": "not run here"},
        ],
    )
    assert out.returncode == 1, out.stdout + out.stderr
    assert "listed difference no longer occurs: selftest.agr* on sqlite (stale)" in out.stdout
    assert "not run here" not in out.stdout


def test_observations_keep_types_and_hide_random_savepoint_names() -> None:
    assert plain([1, True, None, 1.5, "x"]) == [1, True, None, 1.5, "x"]
    assert plain(decimal.Decimal("1.50")) == {"decimal": "1.50"}
    assert plain(datetime.date(2024, 1, 2)) == {"date": "2024-01-02"}
    assert plain(b"\x00\xff") == {"bytes": "00ff"}
    assert plain({"a": (1, 2)}) == {"dict": [["a", [1, 2]]]}
    sql = 'SAVEPOINT "s%s"' % ("ab12" * 8)
    assert normalise_sql(sql) == 'SAVEPOINT "s…"'
    assert normalise_sql("RELEASE SAVEPOINT `s%s`" % ("0" * 32)) == "RELEASE SAVEPOINT `s…`"


def test_catalogue_statements_are_left_out_and_others_kept() -> None:
    obs = Recorder()
    obs.executed("SELECT name FROM sqlite_master WHERE type = ?", ["table"])
    obs.executed('PRAGMA "main".table_info("user")', [])
    obs.executed("SELECT column_name FROM information_schema.columns WHERE table_name = %s", ["u"])
    obs.executed("SHOW INDEX FROM `user`", [])
    obs.executed("PRAGMA foreign_keys = ON", [])
    obs.executed('SELECT "t1"."id" FROM "user" AS "t1"', None)
    assert obs.events == [
        ["exec", "PRAGMA foreign_keys = ON", []],
        ["exec", 'SELECT "t1"."id" FROM "user" AS "t1"', []],
    ]


def test_generated_shapes_are_the_same_on_every_run() -> None:
    from compat.generate import generate_shapes

    first, second = generate_shapes(2), generate_shapes(2)
    assert first == second
    assert {s["kind"] for s in first} >= {"select", "compound", "roundtrip"}
    assert len({s["id"] for s in first}) == len(first)


def test_every_known_difference_is_explained_in_the_spec() -> None:
    page = (ROOT / "spec" / "compatibility.rst").read_text()
    for entry in load_known(KNOWN_FILE):
        assert re.search(r"``%s``" % re.escape(entry.scenario), page), entry.scenario


def test_every_known_difference_names_scenarios_that_exist() -> None:
    import fnmatch
    import importlib

    from compat import child
    from compat.generate import generate_shapes
    from compat.registry import SCENARIOS

    for name in child.SCENARIO_MODULES:
        importlib.import_module(name)
    ids = set(SCENARIOS) | {shape["id"] for shape in generate_shapes(2)}
    for entry in load_known(KNOWN_FILE):
        assert entry.backend in ("*", "sqlite", "postgres", "mysql"), entry
        assert fnmatch.filter(ids, entry.scenario), f"{entry.scenario} names no scenario"
