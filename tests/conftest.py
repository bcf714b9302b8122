"""Fixtures shared by every test package: the backends and a clean peewee database on each.

``backend`` / ``db`` run a test once per backend ('sqlite', 'postgres', 'mysql'); a server that is
down is skipped, unless PEEWEE_REQUIRE_BACKENDS names it, in which case the test errors.  Restrict a
test to some backends with ``@pytest.mark.backends('postgres', 'mysql')``; PEEWEE_BACKENDS limits the
whole run (e.g. ``PEEWEE_BACKENDS=sqlite``).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

import backends

_MARK = "backends"


def pytest_configure(config: pytest.Config) -> None:
    backends.selected_backends()  # a misspelt backend list fails the run at once
    try:
        from hypothesis import settings
    except ImportError:
        return
    # Database round trips vary with the machine's load: no per-example deadline.
    settings.register_profile("peewee", deadline=None)
    settings.load_profile("peewee")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    names = list(backends.selected_backends())
    marker = metafunc.definition.get_closest_marker(_MARK)
    if marker is not None:
        unknown = set(marker.args) - set(backends.BACKENDS)
        if unknown:
            raise ValueError(f"unknown backends in @pytest.mark.backends: {sorted(unknown)}")
        names = [n for n in names if n in marker.args]
    metafunc.parametrize("backend", names, indirect=True)


def _require(backend: str) -> None:
    """Skip (or, for a required backend, fail) when ``backend``'s server is not reachable."""
    up, reason = backends.availability(backend)
    if up:
        return
    if backends.is_required(backend):
        pytest.fail(f"{reason} (required by PEEWEE_REQUIRE_BACKENDS)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name of this run of the test: 'sqlite', 'postgres' or 'mysql'."""
    name = getattr(request, "param", "sqlite")
    _require(name)
    return name


def _close(database: Any) -> None:
    try:
        if not database.is_closed():
            database.close()
    except Exception:
        pass


def _make_db(backend: str, tmp_path: Any) -> Iterator[Any]:
    sqlite_path = str(tmp_path / "test.db") if backend == "sqlite" else None
    database = backends.peewee_database(backend, sqlite_path)
    try:
        yield database
    finally:
        _close(database)
        if backend != "sqlite":  # the SQLite file goes away with tmp_path
            backends.drop_all(backend)


@pytest.fixture
def db(backend: str, tmp_path: Any) -> Iterator[Any]:
    """An unconnected peewee Database on ``backend``; every table is dropped afterwards."""
    yield from _make_db(backend, tmp_path)


@pytest.fixture
def sqlite_db(tmp_path: Any) -> Iterator[Any]:
    """A peewee SqliteDatabase on a file in tmp_path."""
    yield from _make_db("sqlite", tmp_path)


@pytest.fixture
def pg_db(tmp_path: Any) -> Iterator[Any]:
    """A peewee PostgresqlDatabase on the test database (skipped when the server is down)."""
    _require("postgres")
    yield from _make_db("postgres", tmp_path)


@pytest.fixture
def mysql_db(tmp_path: Any) -> Iterator[Any]:
    """A peewee MySQLDatabase on the test database (skipped when the server is down)."""
    _require("mysql")
    yield from _make_db("mysql", tmp_path)
