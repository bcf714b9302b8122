"""Virtual environments for the peer libraries, created on first use under a cache directory.

Each peer is installed from PyPI into its own environment (with the same drivers as the
project), so its numbers come from its released package and nothing of it enters the project.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

DRIVERS = ["psycopg2-binary", "pymysql"]

# venv directory name -> list of requirement sets to try in order (the first that installs wins).
ENVIRONMENTS = {
    "peewee": [["peewee>=4,<5"], ["peewee>=3,<4"]],
    "sqlalchemy": [["sqlalchemy>=2,<3"]],
}

IMPL_ENV = {
    "peewee-pypi": "peewee",
    "sqlalchemy-orm": "sqlalchemy",
    "sqlalchemy-core": "sqlalchemy",
}


def _python(path: str) -> str:
    return os.path.join(path, "Scripts" if os.name == "nt" else "bin",
                        "python.exe" if os.name == "nt" else "python")


def ensure(env: str, cache_dir: str, log=print) -> tuple[str | None, str]:
    """Return (python executable, note) for ``env``, creating it if needed; (None, why) on failure."""
    path = os.path.join(cache_dir, env)
    marker = os.path.join(path, "bench-ready.json")
    if os.path.exists(marker):
        with open(marker) as fh:
            info = json.load(fh)
        return _python(path), info.get("note", "")
    os.makedirs(cache_dir, exist_ok=True)
    log(f"[bench] creating virtual environment {path} ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", path], check=True,
                       stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as exc:
        return None, f"venv creation failed: {exc}"
    python = _python(path)
    errors = []
    for attempt, requirements in enumerate(ENVIRONMENTS[env]):
        cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
               *requirements, *DRIVERS]
        log(f"[bench]   pip install {' '.join(requirements + DRIVERS)}")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            note = "" if attempt == 0 else (
                f"{ENVIRONMENTS[env][0][0]} not installable; using {requirements[0]}")
            with open(marker, "w") as fh:
                json.dump({"requirements": requirements, "note": note}, fh)
            return python, note
        errors.append(proc.stderr.strip().splitlines()[-1:] or ["pip failed"])
    return None, f"pip install failed: {errors}"


def interpreter_for(impl: str, cache_dir: str, log=print) -> tuple[str | None, str]:
    """The Python to run ``impl``'s worker with: ours and the raw drivers use this interpreter."""
    env = IMPL_ENV.get(impl)
    if env is None:
        return sys.executable, ""
    return ensure(env, cache_dir, log)
