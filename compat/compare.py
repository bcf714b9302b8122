"""Comparing the observations of the two implementations, and the list of known differences.

Runs in the parent process only (never imports peewee).
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional

__all__ = ["Difference", "KnownDifference", "compare_runs", "load_known", "render_diff"]

KNOWN_FILE = Path(__file__).resolve().parent / "known_differences.json"


class KnownDifference(NamedTuple):
    scenario: str  # a scenario id, or an fnmatch pattern of ids
    backend: str  # a backend name, or "*"
    reason: str

    def matches(self, scenario: str, backend: str) -> bool:
        return self.backend in ("*", backend) and fnmatch.fnmatchcase(scenario, self.scenario)


class Difference(NamedTuple):
    backend: str
    scenario: str
    theirs: Dict[str, Any]
    ours: Dict[str, Any]
    known: Optional[KnownDifference]


def load_known(path: Optional[Path] = None) -> List[KnownDifference]:
    with open(path or KNOWN_FILE) as f:
        entries = json.load(f)
    known = []
    for entry in entries:
        missing = {"scenario", "backend", "reason"} - set(entry)
        if missing or not str(entry["reason"]).strip():
            raise ValueError(f"known difference {entry!r} needs a scenario, a backend and a reason")
        known.append(KnownDifference(entry["scenario"], entry["backend"], entry["reason"]))
    return known


def _lines(result: Dict[str, Any]) -> List[str]:
    return [json.dumps(e, ensure_ascii=False, sort_keys=True) for e in result.get("events", [])]


def render_diff(diff: Difference, context: int = 2, max_lines: int = 0) -> str:
    """A unified diff of the two event lists (peewee 4.5.3 first), then any exception messages;
    ``max_lines`` (when not 0) cuts the diff short."""
    lines = list(
        difflib.unified_diff(
            _lines(diff.theirs), _lines(diff.ours), "peewee 4.5.3", "ours", n=context, lineterm=""
        )
    )
    out = [f"=== {diff.backend}: {diff.scenario}"]
    if max_lines and len(lines) > max_lines:
        hidden = len(lines) - max_lines
        lines = lines[:max_lines] + [f"... {hidden} more line(s) (--report FILE has them all)"]
    out += lines
    for side, result in (("peewee 4.5.3", diff.theirs), ("ours", diff.ours)):
        for message in result.get("messages", [])[:4]:
            text = message.strip().splitlines()
            out.append(f"  [{side}] " + (text[-1] if text else "")[:300])
    return "\n".join(out)


def compare_runs(
    backend: str,
    theirs: Dict[str, Dict[str, Any]],
    ours: Dict[str, Dict[str, Any]],
    known: List[KnownDifference],
) -> Dict[str, Any]:
    """Compare one backend's results: ``same``, ``differences`` and ``skipped`` scenario ids."""
    same: List[str] = []
    skipped: Dict[str, str] = {}
    differences: List[Difference] = []
    for sid in theirs:
        a, b = theirs[sid], ours.get(sid, {"events": [["missing", sid]]})
        if "unavailable" in a or "unavailable" in b:
            skipped[sid] = (
                "peewee 4.5.3: " + a["unavailable"]
                if "unavailable" in a
                else "ours: " + b["unavailable"]
            )
            continue
        if a.get("events") == b.get("events"):
            same.append(sid)
            continue
        match = next((k for k in known if k.matches(sid, backend)), None)
        differences.append(Difference(backend, sid, a, b, match))
    return {"same": same, "skipped": skipped, "differences": differences}
