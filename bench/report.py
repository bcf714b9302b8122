"""Text tables of benchmark results: ratios to the raw driver, and comparisons of two runs.

Works on the JSON document ``run.py`` writes; knows nothing of how results were measured.
"""
from __future__ import annotations

from common import BACKENDS, IMPLS, WORKLOADS

BACKEND_TITLES = {
    "sqlite-file": "SQLite, file on disk",
    "sqlite-memory": "SQLite, :memory:",
    "postgres": "PostgreSQL",
    "mysql": "MariaDB / MySQL",
}

ITER = "select_models_iter_memory"


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f}s"
    if seconds >= 0.001:
        return f"{seconds * 1000:.1f}ms"
    return f"{seconds * 1e6:.0f}us"


def _fmt_bytes(n: float | None) -> str:
    if n is None:
        return "?"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}M"
    return f"{n / 1024:.0f}K"


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "?"
    r = value / base
    return f"{r:.1f}x" if r < 100 else f"{r:.0f}x"


def impl_label(impl: str, results: list[dict], notes: dict, more: list[dict] = ()) -> str:
    """Column title for ``impl``: ``results`` are one backend's (the raw driver differs), ``more``
    the rest, searched when that backend has no result with a version."""
    version = next((r["version"] for r in [*results, *more]
                    if r["impl"] == impl and r.get("version")), "")
    if impl == "raw":
        return f"raw {version}".strip()
    if impl == "peewee":
        return "peewee (this repo)"
    if impl == "peewee-pypi":
        label = f"peewee {version} (PyPI)".replace("  ", " ")
        if version.startswith("3.") or notes.get(impl):
            label += " [4.x not on PyPI]"
        return label
    kind = "ORM" if impl == "sqlalchemy-orm" else "Core"
    return f"SQLAlchemy {version} {kind}".replace("  ", " ")


def _size(size) -> str:
    if isinstance(size, (list, tuple)):
        return "/".join(str(s) for s in size)
    return str(size)


def _cell(result: dict | None, raw: dict | None, is_raw: bool, key: str = "median") -> str:
    if result is None:
        return "-"
    if result.get("error"):
        return "ERR"
    if result.get("na"):
        return "n/a"
    if is_raw:
        t = _fmt_time(result[key]) if result.get(key) is not None else "?"
    else:
        raw = result.get("raw_floor") or raw
        t = _ratio(result.get(key), raw.get(key) if raw else None)
    if result.get("peak_small") is not None:
        m = f"{_fmt_bytes(result['peak_small'])}->{_fmt_bytes(result['peak'])}"
    elif is_raw:
        m = _fmt_bytes(result.get("peak"))
    else:
        m = _ratio(result.get("peak"), raw.get("peak") if raw else None)
    return f"{t:>7} {m:>11}" if result.get("peak_small") is not None else f"{t:>7} {m:>6}"


def format_tables(data: dict, metric: str = "wall") -> str:
    """The tables of one result document; ``metric`` is "wall" (elapsed) or "cpu" (process) time."""
    key = "cpu_median" if metric == "cpu" else "median"
    results = data["results"]
    meta = data.get("meta", {})
    notes = meta.get("notes", {})
    impls = [i for i in IMPLS if any(r["impl"] == i for r in results)]
    index = {(r["backend"], r["workload"], r["impl"]): r for r in results}
    lines = [
        f"peewee benchmark ({meta.get('mode', '?')} mode, {metric} time, median of"
        f" {meta.get('runs', '?')} runs"
        f" after {meta.get('warmup', '?')} warm-up, Python {meta.get('python', '?')},"
        f" {meta.get('timestamp', '')})",
        "Cells: time | peak traced memory. The raw column is absolute; the others are ratios to",
        "raw measured in the same run (lower is better). select_models_iter_memory shows peak",
        "memory at small->large size.",
    ]
    for backend in BACKENDS:
        rows = [w for w in WORKLOADS if any((backend, w, i) in index for i in impls)]
        if not rows:
            continue
        mine = [r for r in results if r["backend"] == backend]
        labels = {i: impl_label(i, mine, notes, [] if i == "raw" else results) for i in impls}
        width = {i: max(len(labels[i]), 20) for i in impls}
        lines.append("")
        lines.append(f"== {BACKEND_TITLES[backend]} ==")
        header = f"{'workload':<26}{'size':>12}  " + "  ".join(
            f"{labels[i]:>{width[i]}}" for i in impls)
        lines.append(header)
        lines.append("-" * len(header))
        for w in rows:
            raw = index.get((backend, w, "raw"))
            ok_raw = raw if raw and raw.get("median") else None
            size = next((index[(backend, w, i)].get("size") for i in impls
                         if (backend, w, i) in index), "")
            cells = [f"{_cell(index.get((backend, w, i)), ok_raw, i == 'raw', key):>{width[i]}}"
                     for i in impls]
            lines.append(f"{w:<26}{_size(size):>12}  " + "  ".join(cells))
    for backend, why in meta.get("skipped_backends", {}).items():
        lines.append(f"\n{BACKEND_TITLES.get(backend, backend)}: skipped ({why})")
    errors = {}
    for r in results:
        if r.get("error"):
            key = (r["impl"], r["error"].splitlines()[0][:160])
            errors.setdefault(key, []).append(f"{r['backend']}/{r['workload']}")
    if errors:
        lines.append("\nErrors (full tracebacks in the JSON file):")
        for (impl, err), where in errors.items():
            shown = ", ".join(where[:4]) + (f" (+{len(where) - 4} more)" if len(where) > 4 else "")
            lines.append(f"  {impl}: {err}\n      in {shown}")
    return "\n".join(lines)


def merge_results(documents: list[dict]) -> dict:
    """One document from several result files; a later file wins for the same measurement.

    Each result keeps the raw floor of its own file (``raw_floor``), so its ratio stays the one
    measured in the same run.
    """
    merged: dict = {}
    meta: dict = {}
    for data in documents:
        floors = {(r["backend"], r["workload"]): r for r in data["results"]
                  if r["impl"] == "raw" and r.get("median")}
        for r in data["results"]:
            r = dict(r)
            floor = floors.get((r["backend"], r["workload"]))
            if r["impl"] != "raw" and floor and not r.get("raw_floor"):
                r["raw_floor"] = {"median": floor["median"], "peak": floor.get("peak"),
                                  "cpu_median": floor.get("cpu_median")}
            merged[(r["backend"], r["workload"], r["impl"])] = r
        new_meta = dict(data.get("meta", {}))
        new_meta["notes"] = {**meta.get("notes", {}), **new_meta.get("notes", {})}
        new_meta["skipped_backends"] = {
            k: v for k, v in {**meta.get("skipped_backends", {}),
                              **new_meta.get("skipped_backends", {})}.items()
            if not any(key[0] == k for key in merged)}
        if meta:
            new_meta["timestamp"] = f"{meta.get('timestamp')} .. {new_meta.get('timestamp')}"
        meta = new_meta
    return {"meta": meta, "results": list(merged.values())}


def compare_results(old: dict, new: dict) -> str:
    """Per (backend, workload, implementation): old and new median and ratio to raw."""
    def index(data):
        return {(r["backend"], r["workload"], r["impl"]): r for r in data["results"]}

    def to_raw(idx, key):
        r, raw = idx.get(key), idx.get((key[0], key[1], "raw"))
        if not r or not raw or not r.get("median") or not raw.get("median"):
            return None
        return r["median"] / raw["median"]

    o, n = index(old), index(new)
    lines = ["", f"Comparison: {old.get('meta', {}).get('timestamp', 'old')} -> "
             f"{new.get('meta', {}).get('timestamp', 'new')} (time; 'vs raw' = ratio to raw)",
             f"{'backend':<14}{'workload':<27}{'impl':<16}{'old':>9}{'new':>9}{'new/old':>9}"
             f"{'old vs raw':>12}{'new vs raw':>12}"]
    for key in sorted(set(o) & set(n), key=lambda k: (BACKENDS.index(k[0]) if k[0] in BACKENDS
                                                     else 9, WORKLOADS.index(k[1])
                                                     if k[1] in WORKLOADS else 99,
                                                     IMPLS.index(k[2]) if k[2] in IMPLS else 9)):
        a, b = o[key], n[key]
        if not a.get("median") or not b.get("median"):
            status = "ERR" if a.get("error") or b.get("error") else "n/a"
            lines.append(f"{key[0]:<14}{key[1]:<27}{key[2]:<16}{status:>9}")
            continue
        ro, rn = to_raw(o, key), to_raw(n, key)
        lines.append(
            f"{key[0]:<14}{key[1]:<27}{key[2]:<16}{_fmt_time(a['median']):>9}"
            f"{_fmt_time(b['median']):>9}{b['median'] / a['median']:>8.2f}x"
            f"{(f'{ro:.2f}x' if ro else '-'):>12}{(f'{rn:.2f}x' if rn else '-'):>12}")
    return "\n".join(lines)
