"""Development tasks: ``nox -s tests`` runs everything that checks the project (see CONTRIBUTING.md).

Sessions use the interpreter that runs nox, except ``tests_pythons``, which runs the suite on every
other CPython 3.9-3.13 that pyenv provides.  Database servers are never started here: run
``bash scripts/servers.sh start`` first (SQLite needs nothing).
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import nox

ROOT = Path(__file__).resolve().parent
DOC_PATHS = ["docs", "spec", "README.md", "CONTRIBUTING.md"]
TEST_PATHS = ["tests", *DOC_PATHS]
TEST_REQUIREMENTS = ["pytest", "hypothesis", "sybil>=9", "psycopg2-binary", "pymysql"]
DOCS_REQUIREMENTS = ["sphinx", "myst-parser", "furo"]
SUPPORTED_PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True


def _toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    with path.open("rb") as f:
        return tomllib.load(f)


def package_dirs() -> List[Path]:
    """Every distribution under packages/ (a directory with a pyproject.toml), core first."""
    found = sorted(p.parent for p in ROOT.glob("packages/*/pyproject.toml"))
    return sorted(found, key=lambda p: p.name != "core")


def editable_args(with_test_extras: bool = True) -> List[str]:
    """``-e packages/x[test]`` for every package (the ``test`` extra when it declares one)."""
    args = []
    for path in package_dirs():
        extras = _toml(path / "pyproject.toml").get("project", {}).get("optional-dependencies", {})
        spec = str(path)
        if with_test_extras and "test" in extras:
            spec += "[test]"
        args += ["-e", spec]
    return args


def install_everything(session: nox.Session) -> None:
    session.install(*TEST_REQUIREMENTS, *editable_args())


def run_pytest(session: nox.Session, default_paths: List[str]) -> None:
    session.run("python", "-m", "pytest", *(session.posargs or default_paths))


@nox.session
def tests(session: nox.Session) -> None:
    """Every test: tests/, the docs and spec pages, README.md and CONTRIBUTING.md."""
    install_everything(session)
    run_pytest(session, TEST_PATHS)


@nox.session(name="docs-tests")
def docs_tests(session: nox.Session) -> None:
    """Only the documentation examples (Sybil)."""
    install_everything(session)
    run_pytest(session, DOC_PATHS)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site (guides from docs/, reference from spec/) into build/docs, warnings fail."""
    session.install(*DOCS_REQUIREMENTS, *editable_args(with_test_extras=False))
    out = session.posargs[0] if session.posargs else str(ROOT / "build" / "docs")
    session.run(
        "sphinx-build",
        "-E",  # read every page each time: a cached page would hide its warnings
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-c",
        "docs",
        "-d",
        str(ROOT / "build" / "doctrees"),
        str(ROOT),
        out,
    )
    index = Path(out) / "index.html"
    index.write_text(
        '<!DOCTYPE html><meta charset="utf-8"><title>peewee</title>'
        '<meta http-equiv="refresh" content="0; url=docs/index.html">'
        '<a href="docs/index.html">peewee documentation</a>\n'
    )
    session.log(f"site written to {index}")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff over the whole repository."""
    session.install("ruff")
    session.run("ruff", "check", *(session.posargs or ["."]))


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on the core package."""
    session.install("mypy", *editable_args(with_test_extras=False))
    session.run("mypy", *(session.posargs or ["packages/core/src/peewee"]))


@nox.session
def demo(session: nox.Session) -> None:
    """Run the walk-through in examples/demo.py."""
    session.install(*editable_args(with_test_extras=False))
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: ``nox -s bench -- [options of bench/run.py]``."""
    session.install("-e", str(ROOT / "packages" / "core"), "psycopg2-binary", "pymysql")
    session.run("python", "bench/run.py", *session.posargs)


COMPAT_REFERENCE = ["peewee==4.5.3", "psycopg2-binary", "pymysql"]


@nox.session
def compat(session: nox.Session) -> None:
    """Opt-in (not part of ``tests``): the scenarios of compat/ under peewee 4.5.3 and under ours,
    compared on every backend (``nox -s compat -- <options of python -m compat.run>``)."""
    install_everything(session)
    reference = ROOT / ".nox" / "compat-peewee-4.5.3"
    python = reference / "bin" / "python"
    marker = reference / "compat-ready.txt"
    if not marker.exists() or marker.read_text() != " ".join(COMPAT_REFERENCE):
        session.run(sys.executable, "-m", "venv", "--clear", str(reference), external=True)
        session.run(
            str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
            *COMPAT_REFERENCE, external=True,
        )
        marker.write_text(" ".join(COMPAT_REFERENCE))
    session.run("python", "-m", "compat.run", "--reference-python", str(python), *session.posargs)


@nox.session(python=False)
def servers(session: nox.Session) -> None:
    """Throwaway PostgreSQL and MariaDB: ``nox -s servers -- start|stop|status``."""
    args = session.posargs or ["status"]
    codes = [0, 1] if args[0] == "status" else [0]  # status answers 1 when they are down
    session.run(
        "bash", str(ROOT / "scripts" / "servers.sh"), *args, external=True, success_codes=codes
    )


@nox.session(python=False)
def dev(session: nox.Session) -> None:
    """Create (or update) .venv with every package editable and the test and docs tools."""
    venv = ROOT / ".venv"
    if not (venv / "bin" / "python").exists():
        session.run(sys.executable, "-m", "venv", str(venv), external=True)
    python = str(venv / "bin" / "python")
    session.run(python, "-m", "pip", "install", "-q", "--upgrade", "pip", external=True)
    session.run(
        python,
        "-m",
        "pip",
        "install",
        *TEST_REQUIREMENTS,
        *DOCS_REQUIREMENTS,
        "ruff",
        "mypy",
        "nox",
        *editable_args(),
        external=True,
    )
    session.log(f"ready: source {venv}/bin/activate")


def pyenv_python(version: str) -> str:
    """The newest ``pythonX.Y`` under ``pyenv root``/versions, or '' when there is none."""
    try:
        root = subprocess.run(
            ["pyenv", "root"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    pattern = os.path.join(root, "versions", f"{version}.*", "bin", f"python{version}")

    def release(path: str) -> List[int]:
        name = Path(path).parents[1].name  # e.g. 3.9.18
        return [int(x) for x in name.split(".") if x.isdigit()]

    candidates = sorted(glob.glob(pattern), key=release)
    return candidates[-1] if candidates else ""


@nox.session(python=False)
@nox.parametrize("version", SUPPORTED_PYTHONS)
def tests_pythons(session: nox.Session, version: str) -> None:
    """Opt-in (not part of ``tests``): the whole suite on each CPython 3.9-3.13 from pyenv."""
    interpreter = pyenv_python(version)
    if not interpreter:
        session.skip(f"no Python {version} under `pyenv root`/versions")
    venv = ROOT / ".nox" / f"tests-python{version}"
    python = str(venv / "bin" / "python")
    if not Path(python).exists():
        session.run(interpreter, "-m", "venv", str(venv), external=True)
    session.run(
        python, "-m", "pip", "install", "-q", *TEST_REQUIREMENTS, *editable_args(), external=True
    )
    session.run(python, "-m", "pytest", *(session.posargs or TEST_PATHS), external=True)
