"""The test harness itself: each backend answers real queries, the clean-up empties a database, a
required backend that is down is an error, and the documentation runner fails on a failing example.

Everything here goes through the raw drivers, except the peewee check at the end.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, List

import pytest

import backends

TESTS_DIR = Path(__file__).resolve().parent
CONFTEST = TESTS_DIR / "conftest.py"


def _raw(backend: str, tmp_path: Path) -> Any:
    if backend == "sqlite":
        return sqlite3.connect(str(tmp_path / "raw.db"), isolation_level=None)
    return backends.raw_connect(backend, backends.test_database_name())


def _rows(conn: Any, sql: str) -> List[tuple]:
    cur = conn.cursor()
    cur.execute(sql)
    return [tuple(r) for r in cur.fetchall()]


def test_backend_answers_a_query(backend: str, tmp_path: Path) -> None:
    conn = _raw(backend, tmp_path)
    try:
        assert _rows(conn, "SELECT 6 * 7, 'peewee'") == [(42, "peewee")]
    finally:
        conn.close()


@pytest.mark.backends("postgres", "mysql")
def test_server_settings_match_the_documented_ones(backend: str, tmp_path: Path) -> None:
    s = backends.settings(backend)
    assert (s.user, s.password) == ("peewee", "peewee")
    conn = _raw(backend, tmp_path)
    try:
        if backend == "postgres":
            assert _rows(conn, "SELECT current_user, current_database()") == [
                ("peewee", backends.test_database_name())
            ]
            assert _rows(conn, "SELECT rolsuper FROM pg_roles WHERE rolname = 'peewee'") == [
                (True,)
            ]
        else:
            assert _rows(conn, "SELECT DATABASE()") == [(backends.test_database_name(),)]
            assert _rows(conn, "SELECT @@character_set_database") == [("utf8mb4",)]
    finally:
        conn.close()


_SCHEMA: Dict[str, List[str]] = {
    "postgres": [
        "CREATE TYPE harness_mood AS ENUM ('happy', 'sad')",
        "CREATE SEQUENCE harness_seq",
        "CREATE TABLE harness_parent (id SERIAL PRIMARY KEY, mood harness_mood)",
        "CREATE TABLE harness_child (id SERIAL PRIMARY KEY,"
        " parent_id INTEGER NOT NULL REFERENCES harness_parent (id))",
        "CREATE VIEW harness_view AS SELECT id FROM harness_child",
        "CREATE FUNCTION harness_double(x integer) RETURNS integer AS 'SELECT x * 2' LANGUAGE sql",
        "CREATE SCHEMA harness_other",
        "CREATE TABLE harness_other.thing (id INTEGER)",
    ],
    "mysql": [
        "CREATE TABLE harness_parent (id INTEGER AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB",
        "CREATE TABLE harness_child (id INTEGER AUTO_INCREMENT PRIMARY KEY,"
        " parent_id INTEGER NOT NULL, FOREIGN KEY (parent_id) REFERENCES harness_parent (id))"
        " ENGINE=InnoDB",
        "CREATE VIEW harness_view AS SELECT id FROM harness_child",
    ],
}

_LEFTOVERS = {
    "postgres": (
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND relname LIKE 'harness%' "
        "UNION ALL SELECT typname FROM pg_type WHERE typname = 'harness_mood' "
        "UNION ALL SELECT nspname FROM pg_namespace WHERE nspname = 'harness_other' "
        "UNION ALL SELECT proname FROM pg_proc WHERE proname = 'harness_double'"
    ),
    "mysql": (
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = DATABASE() AND table_name LIKE 'harness%'"
    ),
}


@pytest.mark.backends("postgres", "mysql")
def test_drop_all_empties_the_database(backend: str, tmp_path: Path) -> None:
    conn = _raw(backend, tmp_path)
    try:
        for sql in _SCHEMA[backend]:
            _rows_or_none(conn, sql)
        assert len(_rows(conn, _LEFTOVERS[backend])) >= 3
        statements = backends.drop_all(backend)
        assert any(s.startswith("DROP TABLE") for s in statements)
        assert _rows(conn, _LEFTOVERS[backend]) == []
        assert backends.drop_all(backend) == []  # nothing left: nothing to do
    finally:
        conn.close()


def _rows_or_none(conn: Any, sql: str) -> None:
    cur = conn.cursor()
    cur.execute(sql)


@pytest.mark.backends("postgres")
def test_drop_all_ends_a_session_left_inside_a_transaction(backend: str, tmp_path: Path) -> None:
    conn = _raw(backend, tmp_path)
    leaked = _raw(backend, tmp_path)
    try:
        _rows_or_none(conn, "CREATE TABLE harness_locked (id INTEGER)")
        leaked.autocommit = False
        _rows(leaked, "SELECT * FROM harness_locked")  # holds a lock until the session ends
        backends.drop_all(backend)
        assert _rows(conn, _LEFTOVERS[backend]) == []
    finally:
        conn.close()
        try:
            leaked.close()
        except Exception:
            pass


def test_drop_all_sqlite_removes_tables_and_views(tmp_path: Path) -> None:
    path = str(tmp_path / "x.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE a (id INTEGER PRIMARY KEY)")
    conn.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id))")
    conn.execute("CREATE VIEW v AS SELECT * FROM b")
    conn.close()
    assert len(backends.drop_all_sqlite(path)) == 3
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    conn.close()


def test_required_backends_are_parsed_with_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEEWEE_REQUIRE_BACKENDS", "sqlite, postgresql ,mariadb")
    assert backends.required_backends() == ("sqlite", "postgres", "mysql")
    monkeypatch.setenv("PEEWEE_REQUIRE_BACKENDS", "oracle")
    with pytest.raises(ValueError, match="oracle"):
        backends.required_backends()


def test_backends_can_be_limited_but_not_below_the_required_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PEEWEE_REQUIRE_BACKENDS", raising=False)
    monkeypatch.setenv("PEEWEE_BACKENDS", "sqlite")
    assert backends.selected_backends() == ("sqlite",)
    assert backends.availability("postgres") == (
        False,
        "PostgreSQL not selected by PEEWEE_BACKENDS",
    )
    monkeypatch.setenv("PEEWEE_REQUIRE_BACKENDS", "sqlite,mysql")
    with pytest.raises(ValueError, match="mysql"):
        backends.selected_backends()
    monkeypatch.delenv("PEEWEE_BACKENDS")
    assert backends.selected_backends() == backends.BACKENDS


def test_unreachable_server_is_reported_with_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PEEWEE_BACKENDS", raising=False)
    monkeypatch.setenv("PEEWEE_PG_PORT", "1")
    up, reason = backends.availability("postgres", "harness_nowhere")
    assert not up
    assert "127.0.0.1:1" in reason


# --- running pytest on a scratch project -------------------------------------------------------


def _run_pytest(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    (project / "pytest.ini").write_text("[pytest]\n")
    (project / "conftest.py").write_text(
        "pytest_plugins = ('docs_harness',)\n"
        f"exec(compile(open({str(CONFTEST)!r}).read(), {str(CONFTEST)!r}, 'exec'))\n"
    )
    environ = dict(os.environ)
    environ.pop("PEEWEE_REQUIRE_BACKENDS", None)
    environ.pop("PEEWEE_BACKENDS", None)
    environ.update(env)
    environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only what the scratch conftest asks for
    environ["PYTHONPATH"] = os.pathsep.join(
        [str(TESTS_DIR)] + ([environ["PYTHONPATH"]] if environ.get("PYTHONPATH") else [])
    )
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:doctest",
            "-rs",
            *args,
        ],
        cwd=str(project),
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_documentation_examples_run_and_a_failing_one_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.rst").write_text(
        textwrap.dedent("""\
        Good
        ====

        .. code-block:: python

            import os
            answer = 6 * 7
            open('made-here.txt', 'w').close()

        >>> answer
        42

        .. code-block:: pycon

            >>> os.path.exists('made-here.txt')
            True

        .. code-block:: python

            >>> counter = []
            >>> counter.append(1)
            >>> counter
            [1]

        .. skip: next "not on this page"

        .. code-block:: python

            raise RuntimeError('skipped blocks do not run')
        """)
    )
    (tmp_path / "docs" / "other.rst").write_text(
        textwrap.dedent("""\
        .. code-block:: python

            import os
            assert not os.path.exists('made-here.txt'), 'each document has its own directory'
            assert 'answer' not in globals(), 'each document has its own namespace'
        """)
    )
    (tmp_path / "docs" / "bad.rst").write_text(
        textwrap.dedent("""\
        .. code-block:: python

            value = 1

        >>> value + 1
        3
        """)
    )
    result = _run_pytest(tmp_path, "docs")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 9 passed, 1 skipped" in output
    assert "documentation examples: 9 ran (8 passed, 1 failed), 1 skipped" in output
    assert "SKIPPED [1] docs/good.rst:27: not on this page" in output
    assert str(tmp_path) not in os.getcwd()


def test_markdown_code_and_sessions_run(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(
        textwrap.dedent("""\
        # Demo

        ```python
        total = sum([1, 2, 3])
        ```

        ```pycon
        >>> total
        6
        ```

        ```python
        >>> total * 2
        12
        ```

        ```bash
        echo this is not python
        ```
        """)
    )
    result = _run_pytest(tmp_path, "README.md")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "documentation examples: 3 ran (3 passed, 0 failed), 0 skipped" in output


def test_backend_conditional_skip_and_required_backend(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "server.rst").write_text(
        textwrap.dedent("""\
        .. skip: start if(not POSTGRES_AVAILABLE, reason="PostgreSQL server not running")

        .. code-block:: python

            import psycopg2

        .. skip: end
        """)
    )
    (tmp_path / "test_fixture.py").write_text(
        textwrap.dedent("""\
        import pytest

        @pytest.mark.backends('postgres')
        def test_uses_backend(backend):
            assert backend == 'postgres'
        """)
    )
    down = {"PEEWEE_PG_PORT": "1"}
    result = _run_pytest(tmp_path, "docs", "test_fixture.py", **down)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "SKIPPED [1] docs/server.rst:3: PostgreSQL server not running" in output
    assert "PostgreSQL server not reachable at 127.0.0.1:1" in output
    assert "2 skipped" in output

    result = _run_pytest(
        tmp_path, "docs", "test_fixture.py", PEEWEE_REQUIRE_BACKENDS="sqlite,postgres", **down
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "required by PEEWEE_REQUIRE_BACKENDS" in output
    assert "4 errors" in output  # three document items and the test


@pytest.mark.backends("postgres", "mysql")
def test_each_document_starts_with_an_empty_server_database(backend: str, tmp_path: Path) -> None:
    s = backends.settings(backend)
    driver, name_arg = ("psycopg2", "dbname") if backend == "postgres" else ("pymysql", "database")
    connect = (
        f"import {driver}\n"
        f"conn = {driver}.connect({name_arg}='peewee_test', user={s.user!r}, "
        f"password={s.password!r}, host={s.host!r}, port={s.port})\n"
        "cur = conn.cursor()\n"
    )
    create = "cur.execute('CREATE TABLE harness_leftover (id INTEGER)')\nconn.commit()\n"
    check = (
        'cur.execute("SELECT COUNT(*) FROM information_schema.tables '
        "WHERE table_name = 'harness_leftover'\")\n"
        "assert cur.fetchone()[0] == 0, 'a table left by the previous document'\n"
    )
    (tmp_path / "docs").mkdir()
    for name, body in (("a_first.rst", create), ("b_second.rst", check)):
        code = textwrap.indent(connect + body + "conn.close()\n", "    ")
        (tmp_path / "docs" / name).write_text(".. code-block:: python\n\n" + code)
    result = _run_pytest(tmp_path, "docs")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "documentation examples: 2 ran (2 passed, 0 failed)" in output


# --- through peewee ----------------------------------------------------------------------------


def test_peewee_database_answers_a_query(db: Any, backend: str) -> None:
    cursor = db.execute_sql("SELECT 6 * 7")
    assert cursor.fetchone()[0] == 42
    db.close()
