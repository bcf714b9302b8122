"""Sphinx configuration for the project site.

The source directory is the repository root (``nox -s docs`` runs ``sphinx-build -c docs . OUT``):
the guides come from ``docs/`` and the reference from ``spec/``; nothing else is read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict

ROOT = Path(__file__).resolve().parent.parent


def _version() -> str:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    with (ROOT / "packages" / "core" / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])


project = "peewee"
author = "the peewee contributors"
copyright = "the peewee contributors"
release = _version()
version = ".".join(release.split(".")[:2])

root_doc = "docs/index"
include_patterns = ["docs/**", "spec/**"]
exclude_patterns = ["**/_build/**", "**/.*", "docs/conf.py"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}

extensions = ["myst_parser"]
myst_heading_anchors = 3

# Examples are checked by the test suite, not by the highlighter: a block Pygments cannot lex
# (a traceback, a shell session marked as python) must not fail the build.  A glob toctree that
# matches nothing yet (a section without pages) is not an error either.
suppress_warnings = ["misc.highlighting_failure"]
highlight_language = "python3"
pygments_style = "sphinx"

html_theme = "furo"
html_title = f"peewee {release}"
html_show_sourcelink = False


class _QuietEmptyGlob(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "didn't match any documents" not in str(record.msg)


def setup(app: Any) -> Dict[str, Any]:
    logging.getLogger("sphinx.sphinx.directives.other").addFilter(_QuietEmptyGlob())
    return {"parallel_read_safe": True}
