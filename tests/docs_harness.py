"""pytest plugin that runs the documentation as tests (Sybil): every ``.rst`` under ``docs/`` and
``spec/``, and the top-level README.md and CONTRIBUTING.md.

The rules it enforces are written down in CONTRIBUTING.md ("Documentation is the specification").
It knows the backends only through ``backends`` and nothing of peewee's internals.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
from sybil import Document, Region, Sybil
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.evaluators.python import PythonEvaluator
from sybil.evaluators.skip import Skipper
from sybil.integration.pytest import SybilFile, SybilItem
from sybil.parsers import myst, rest
from sybil.parsers.abstract import DocTestStringParser

import backends

__all__ = ["MARKDOWN_FILES", "doc_sybil", "is_document"]

MARKDOWN_FILES = ("README.md", "CONTRIBUTING.md")
DOC_DIRECTORIES = ("docs", "spec")
AVAILABILITY_NAMES = {"postgres": "POSTGRES_AVAILABLE", "mysql": "MYSQL_AVAILABLE"}


def _has_prompt(source: str) -> bool:
    return any(line.lstrip().startswith(">>>") for line in source.splitlines())


class RestPythonBlocks(rest.PythonCodeBlockParser):
    """``.. code-block:: python`` blocks, except those holding ``>>>`` examples.

    In reStructuredText every ``>>>`` example is found by the document-wide doctest parser, so a
    ``python`` block that contains prompts is left to it and never runs twice.
    """

    def __call__(self, document: Document) -> Iterable[Region]:
        for region in super().__call__(document):
            if not _has_prompt(str(region.parsed)):
                yield region


class MarkdownBlocks:
    """Fenced ``python`` and ``pycon`` blocks in Markdown: code runs, ``>>>`` sessions are checked."""

    def __init__(self, doctest_optionflags: int = 0) -> None:
        self.doctests = DocTestStringParser(DocTestEvaluator(doctest_optionflags))
        self.python = myst.CodeBlockParser("python", PythonEvaluator())
        self.pycon = myst.CodeBlockParser("pycon")

    def __call__(self, document: Document) -> Iterable[Region]:
        regions = list(self.python(document)) + list(self.pycon(document))
        for region in sorted(regions, key=lambda r: r.start):
            source = region.parsed
            if _has_prompt(str(source)):
                for doctest_region in self.doctests(source, document.path):
                    doctest_region.adjust(region, source)
                    yield doctest_region
            elif region.lexemes.get("arguments") == "python":
                yield region


# --- per-document set-up --------------------------------------------------------------------

_saved: Dict[int, Dict[str, Any]] = {}


def _setup_document(namespace: Dict[str, Any]) -> None:
    for backend, name in AVAILABILITY_NAMES.items():
        up, reason = backends.availability(backend, backends.DOCS_DATABASE)
        if not up and backends.is_required(backend):
            pytest.fail(f"{reason} (required by PEEWEE_REQUIRE_BACKENDS)", pytrace=False)
        if up:
            backends.drop_all(backend, backends.DOCS_DATABASE)
        namespace[name] = up
    namespace["__name__"] = "__main__"
    logger = logging.getLogger("peewee")
    workdir = tempfile.mkdtemp(prefix="peewee-doc-")
    _saved[id(namespace)] = {
        "cwd": os.getcwd(),
        "workdir": workdir,
        "handlers": list(logger.handlers),
        "level": logger.level,
    }
    os.chdir(workdir)


def _looks_like_database(value: Any) -> bool:
    if isinstance(value, type):
        return False
    try:  # a proxy that is not yet initialised may raise anything
        return all(hasattr(value, a) for a in ("connect", "close", "is_closed", "execute_sql"))
    except Exception:
        return False


def _teardown_document(namespace: Dict[str, Any]) -> None:
    saved = _saved.pop(id(namespace), None)
    for value in list(namespace.values()):
        if _looks_like_database(value):
            try:
                if not value.is_closed():
                    value.close()
            except Exception:
                pass
    if saved is None:
        return
    logger = logging.getLogger("peewee")
    logger.handlers[:] = saved["handlers"]
    logger.setLevel(saved["level"])
    os.chdir(saved["cwd"])
    shutil.rmtree(saved["workdir"], ignore_errors=True)


def doc_sybil(markdown: bool = False) -> Sybil:
    """The Sybil that parses one kind of document (reStructuredText or Markdown)."""
    if markdown:
        parsers: list = [MarkdownBlocks(), myst.SkipParser()]
    else:
        parsers = [rest.DocTestParser(), RestPythonBlocks(), rest.SkipParser()]
    return Sybil(
        parsers=parsers,
        setup=_setup_document,
        teardown=_teardown_document,
        name="",
    )


_REST = doc_sybil()
_MARKDOWN = doc_sybil(markdown=True)


def is_document(path: Path, root: Path) -> Optional[Sybil]:
    """The Sybil for ``path`` when it is part of the documentation under ``root``, else None."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return None
    parts = rel.parts
    if len(parts) == 1 and rel.name in MARKDOWN_FILES:
        return _MARKDOWN
    if (
        rel.suffix == ".rst"
        and len(parts) > 1
        and parts[0] in DOC_DIRECTORIES
        and not any(p.startswith(("_", ".")) for p in parts[1:-1])
    ):
        return _REST
    return None


# --- pytest hooks ---------------------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Optional[pytest.Collector]:
    sybil = is_document(file_path, parent.config.rootpath)
    if sybil is None:
        return None
    return SybilFile.from_parent(parent, path=file_path, sybils=[sybil])


class _Tally:
    """Outcomes of the documentation examples (skip directives themselves are not counted)."""

    def __init__(self) -> None:
        self.ids: set = set()
        self.outcomes: Dict[str, str] = {}

    def record(self, report: pytest.TestReport) -> None:
        if report.nodeid not in self.ids:
            return
        if report.skipped:
            self.outcomes[report.nodeid] = "skipped"
        elif report.failed:
            self.outcomes[report.nodeid] = "failed" if report.when == "call" else "error"
        elif report.when == "call":
            self.outcomes[report.nodeid] = "passed"

    def line(self) -> str:
        counts = {k: 0 for k in ("passed", "failed", "error", "skipped")}
        for outcome in self.outcomes.values():
            counts[outcome] += 1
        ran = counts["passed"] + counts["failed"]
        text = (
            f"documentation examples: {ran} ran ({counts['passed']} passed, "
            f"{counts['failed']} failed), {counts['skipped']} skipped"
        )
        if counts["error"]:
            text += f", {counts['error']} could not be set up"
        return text


_TALLY = _Tally()


def pytest_collection_modifyitems(items: list) -> None:
    _TALLY.ids.update(
        item.nodeid
        for item in items
        if isinstance(item, SybilItem) and not isinstance(item.example.region.evaluator, Skipper)
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Any:
    outcome = yield
    report = outcome.get_result()
    # A skipped example is reported at its line in the document, not inside unittest.
    if isinstance(item, SybilItem) and report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
        report.longrepr = (str(item.path), item.example.line, reason)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _TALLY.record(report)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _TALLY.ids:
        terminalreporter.write_sep("-", "documentation")
        terminalreporter.write_line(_TALLY.line())
