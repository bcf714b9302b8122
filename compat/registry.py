"""The scenario registry: hand-written scenarios register themselves here by id.

Imported by the child processes under either implementation; it must not import peewee.
"""

from __future__ import annotations

from typing import Callable, Dict, NamedTuple, Optional, Sequence

__all__ = ["BACKENDS", "Scenario", "SCENARIOS", "Unavailable", "scenario"]

BACKENDS = ("sqlite", "postgres", "mysql")


class Unavailable(Exception):
    """Raised by a scenario that cannot run under this implementation (a module is missing):
    the scenario is reported as skipped, not compared."""


class Scenario(NamedTuple):
    id: str
    func: Callable
    backends: Sequence[str]


SCENARIOS: Dict[str, Scenario] = {}


def scenario(name: Optional[str] = None, backends: Sequence[str] = BACKENDS) -> Callable:
    """Register ``func(db, obs)`` as the scenario ``<module>.<name>`` for ``backends``."""

    def register(func: Callable) -> Callable:
        module = func.__module__.rsplit(".", 1)[-1]
        sid = f"{module}.{name or func.__name__}"
        if sid in SCENARIOS:
            raise ValueError(f"scenario {sid!r} is registered twice")
        SCENARIOS[sid] = Scenario(sid, func, tuple(backends))
        return func

    return register
