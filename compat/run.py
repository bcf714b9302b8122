"""Run every scenario under peewee 4.5.3 and under this project, on each backend, and compare.

``python -m compat.run --reference-python PATH`` (``nox -s compat`` builds both environments and
calls this).  Exits 1 when a difference is not in known_differences.json, or when a listed
difference no longer occurs.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from compat.compare import (  # noqa: E402
    KNOWN_FILE,
    compare_runs,
    load_known,
    render_diff,
)

BACKENDS = ("sqlite", "postgres", "mysql")
SIDES = ("ref", "ours")
SIDE_LABEL = {"ref": "peewee 4.5.3", "ours": "ours"}
_ENV = {"postgres": ("PEEWEE_PG", 5432), "mysql": ("PEEWEE_MYSQL", 3306)}
REFERENCE_VERSION = "4.5.3"
DEFAULT_EXAMPLES = 100
CHILD_TIMEOUT = 300  # seconds for one implementation on one backend


def server_settings(backend: str) -> Dict[str, Any]:
    if backend == "sqlite":
        return {}
    prefix, port = _ENV[backend]
    env = os.environ
    return {
        "host": env.get(prefix + "_HOST") or "127.0.0.1",
        "port": int(env.get(prefix + "_PORT") or port),
        "user": env.get(prefix + "_USER") or "peewee",
        "password": env.get(prefix + "_PASSWORD", "peewee"),
    }


def scenario_ids(python: str, modules: Optional[Sequence[str]]) -> Dict[str, List[str]]:
    """Ask an interpreter which scenarios exist and on which backends they run."""
    code = (
        "import json, sys; sys.path.insert(0, %r)\n"
        "import importlib\n"
        "from compat import child\n"
        "from compat.registry import SCENARIOS\n"
        "for m in %r or child.SCENARIO_MODULES: importlib.import_module(m)\n"
        "print(json.dumps({k: list(v.backends) for k, v in SCENARIOS.items()}))\n"
    ) % (str(ROOT), list(modules or []))
    out = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, env=child_env("ours")
    )
    if out.returncode:
        raise SystemExit(f"cannot list the scenarios with {python}:\n{out.stderr}")
    return json.loads(out.stdout)


def child_env(side: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["COMPAT_SIDE"] = side
    return env


def run_child(python: str, job: Dict[str, Any], workdir: str) -> Dict[str, Any]:
    tag = f"{job['backend']}-{job['side']}"
    job_path = os.path.join(workdir, tag + ".job.json")
    out_path = os.path.join(workdir, tag + ".out.json")
    with open(job_path, "w") as f:
        json.dump(job, f)
    start = time.perf_counter()
    proc = subprocess.run(
        [python, str(ROOT / "compat" / "child.py"), job_path, out_path],
        capture_output=True,
        text=True,
        env=child_env(job["side"]),
        timeout=CHILD_TIMEOUT,
    )
    if proc.returncode or not os.path.exists(out_path):
        raise RuntimeError(
            f"{SIDE_LABEL[job['side']]} on {job['backend']} failed ({python}):\n"
            f"{proc.stdout[-3000:]}{proc.stderr[-3000:]}"
        )
    with open(out_path) as f:
        result = json.load(f)
    result["seconds"] = time.perf_counter() - start
    return result


def cached_shapes(examples: int) -> List[Dict[str, Any]]:
    """The generated shapes, kept under build/ for the same generator, hypothesis and count."""
    import hashlib

    import hypothesis

    from compat.generate import generate_shapes

    source = (ROOT / "compat" / "generate.py").read_bytes()
    key = hashlib.sha1(source + f"{hypothesis.__version__}:{examples}".encode()).hexdigest()[:16]
    path = ROOT / "build" / f"compat-shapes-{key}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    shapes = generate_shapes(examples)
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(shapes))
    except OSError:
        pass
    return shapes


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m compat.run", description=__doc__)
    p.add_argument("--reference-python", required=True, help="interpreter with peewee 4.5.3")
    p.add_argument("--ours-python", default=sys.executable, help="interpreter with this project")
    p.add_argument("--backends", default=os.environ.get("PEEWEE_BACKENDS") or ",".join(BACKENDS))
    p.add_argument(
        "--scenario",
        action="append",
        default=[],
        help="run only scenario ids matching this fnmatch pattern (repeatable)",
    )
    p.add_argument(
        "--examples",
        type=int,
        default=DEFAULT_EXAMPLES,
        help="generated query shapes per kind (0: none)",
    )
    p.add_argument(
        "--database-prefix",
        default="peewee_compat",
        help="server databases are <prefix>_ref and <prefix>_ours",
    )
    p.add_argument("--known", type=Path, default=KNOWN_FILE, help="the known differences (JSON)")
    p.add_argument(
        "--modules",
        action="append",
        default=None,
        help="scenario modules to import instead of compat.scenarios.*",
    )
    p.add_argument("--report", type=Path, help="also write every difference as JSON here")
    p.add_argument("--jobs", type=int, default=4, help="child processes at a time")
    p.add_argument("--list", action="store_true", help="list the scenario ids and exit")
    p.add_argument(
        "--max-diff-lines", type=int, default=80, help="lines of diff shown per scenario (0: all)"
    )
    p.add_argument(
        "--keep",
        action="store_true",
        help="keep the jobs, the raw observations and the SQLite files",
    )
    return p.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    aliases = {"pg": "postgres", "postgresql": "postgres", "mariadb": "mysql"}
    backends = [aliases.get(b.strip(), b.strip()) for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        raise SystemExit(f"unknown backend(s): {', '.join(unknown)} (choose from {BACKENDS})")
    known = load_known(args.known)
    started = time.perf_counter()

    registered = scenario_ids(args.ours_python, args.modules)
    shapes: List[Dict[str, Any]] = []
    if args.examples > 0 and not args.modules:
        shapes = cached_shapes(args.examples)

    def selected(sid: str) -> bool:
        return not args.scenario or any(fnmatch.fnmatchcase(sid, p) for p in args.scenario)

    if args.list:
        for sid, bks in sorted(registered.items()):
            if selected(sid):
                print(f"{sid}  [{', '.join(bks)}]")
        for shape in shapes:
            if selected(shape["id"]):
                print(f"{shape['id']}  {json.dumps(shape, sort_keys=True)}")
        return 0

    jobs: List[Tuple[str, Dict[str, Any]]] = []
    workdir = tempfile.mkdtemp(prefix="peewee-compat-")
    for backend in backends:
        ids = [sid for sid, bks in registered.items() if backend in bks and selected(sid)]
        backend_shapes = [s for s in shapes if backend in s["backends"] and selected(s["id"])]
        for side in SIDES:
            sqlite_dir = os.path.join(workdir, f"sqlite-{side}")
            os.makedirs(sqlite_dir, exist_ok=True)
            job = {
                "backend": backend,
                "side": side,
                "database": f"{args.database_prefix}_{side}",
                "server": server_settings(backend),
                "sqlite_dir": sqlite_dir,
                "scenarios": ids,
                "shapes": backend_shapes,
                "modules": args.modules,
            }
            jobs.append((args.reference_python if side == "ref" else args.ours_python, job))

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_child, python, job, workdir) for python, job in jobs]
        failures, outputs = [], {}
        for (_python, job), fut in zip(jobs, futures):
            try:
                outputs[(job["backend"], job["side"])] = fut.result()
            except Exception as exc:  # a child that crashed: report it, fail the run
                failures.append(str(exc))

    if args.keep:
        print(f"jobs and observations kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    unexpected, expected, report = [], [], []
    used = set()
    ran: Dict[str, List[str]] = {}
    for backend in backends:
        if (backend, "ref") not in outputs or (backend, "ours") not in outputs:
            continue
        theirs, ours = outputs[(backend, "ref")], outputs[(backend, "ours")]
        if args.reference_python != args.ours_python:
            # comparing an implementation with itself would find nothing: make sure it is not so
            if theirs["peewee"]["version"] != REFERENCE_VERSION:
                failures.append(
                    f"the reference interpreter has peewee {theirs['peewee']}, "
                    f"not {REFERENCE_VERSION}"
                )
            if not os.path.abspath(ours["peewee"]["file"]).startswith(str(ROOT) + os.sep):
                failures.append(
                    f"the interpreter for ours imports peewee from "
                    f"{ours['peewee']['file']}, outside {ROOT}"
                )
        print(
            f"{backend}: peewee {theirs['peewee']['version']} from {theirs['peewee']['file']} "
            f"({theirs['seconds']:.1f}s) / ours {ours['peewee']['version']} from "
            f"{ours['peewee']['file']} ({ours['seconds']:.1f}s)"
        )
        result = compare_runs(backend, theirs["results"], ours["results"], known)
        ran[backend] = [sid for sid in theirs["results"] if sid not in result["skipped"]]
        for sid, why in sorted(result["skipped"].items()):
            print(f"  skipped {sid}: {why}")
        for diff in result["differences"]:
            report.append(
                {
                    "backend": backend,
                    "scenario": diff.scenario,
                    "known": diff.known.reason if diff.known else None,
                    "diff": render_diff(diff),
                }
            )
            if diff.known:
                used.add(diff.known)
                expected.append(diff)
            else:
                unexpected.append(diff)
        print(
            f"  {len(result['same'])} same, {len(result['differences'])} different, "
            f"{len(result['skipped'])} skipped"
        )

    stale = []
    for entry in known:
        if entry in used:
            continue
        if entry.scenario.startswith("shape.") and args.examples != DEFAULT_EXAMPLES:
            continue  # another sample of generated shapes may simply not contain the case
        relevant = [b for b in ran if entry.backend in ("*", b)]
        if any(fnmatch.fnmatchcase(sid, entry.scenario) for b in relevant for sid in ran[b]):
            stale.append(entry)

    descriptions = {shape["id"]: shape for shape in shapes}
    for diff in unexpected:
        print()
        print(render_diff(diff, max_lines=args.max_diff_lines))
        if diff.scenario in descriptions:  # a generated shape: how to build it again
            print("  shape: " + json.dumps(descriptions[diff.scenario], sort_keys=True))
    if unexpected:
        print("\nunexpected differences:")
        for diff in unexpected:
            print(f"  {diff.backend}: {diff.scenario}")
    if expected:
        print("\nknown differences (compat/known_differences.json):")
        for diff in expected:
            print(f"  {diff.backend}: {diff.scenario}: {diff.known.reason}")
    for entry in stale:
        print(
            f"\nlisted difference no longer occurs: {entry.scenario} on {entry.backend} "
            f"({entry.reason}); remove it from {args.known.name} and spec/compatibility.rst"
        )
    for message in failures:
        print("\n" + message)
    if args.report:
        args.report.write_text(json.dumps(report, indent=1))
    print(
        f"\n{len(unexpected)} unexpected difference(s), {len(expected)} known, "
        f"{len(stale)} stale known entr{'y' if len(stale) == 1 else 'ies'}, "
        f"{len(failures)} error(s); {time.perf_counter() - started:.0f}s"
    )
    return 1 if (unexpected or stale or failures) else 0


if __name__ == "__main__":
    sys.exit(main())
