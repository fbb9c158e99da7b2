"""Merge shard results folders into one.

A job found in two folders must have the same record: same fingerprint, same
outcome and measurements. Timings, paths and cache state may differ (they
depend on the machine), so they are left out of the comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfm_ci.fleet.results import ResultsDir, now

#: What decides whether two records of one job agree.
COMPARED = ("status", "category", "reason", "board", "kernel_set", "simulator", "invocations",
            "outputs", "comparison", "sizes", "instructions", "budgets")


class MergeError(ValueError):
    """Folders that cannot be merged (conflicting records, not a results folder)."""


@dataclass
class MergeResult:
    records: int
    duplicates: int
    missing: list[str] = field(default_factory=list)     # manifest jobs without a record
    unfinished: list[str] = field(default_factory=list)  # folders whose run did not finish


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {"fingerprint": record["job"].get("fingerprint"),
            **{k: record.get(k) for k in COMPARED}}


def _differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    ca, cb = comparable(a), comparable(b)
    return [k for k in ca if ca[k] != cb[k]]


def merge(sources: list[str | Path], out: str | Path) -> MergeResult:
    """Write every record of `sources` into `out`, with one merged manifest."""
    dest = ResultsDir(out)
    found: dict[str, tuple[dict[str, Any], Path]] = {}
    manifests: list[tuple[Path, dict[str, Any]]] = []
    duplicates = 0
    for src in map(Path, sources):
        folder = ResultsDir(src)
        m = folder.manifest()
        if m is None and not folder.records_dir.is_dir():
            raise MergeError(f"{src}: not a fleet results folder (no {folder.manifest_path.name}"
                             f" and no {folder.records_dir.name}/)")
        if m is not None:
            manifests.append((src, m))
        for record in folder.records():
            jid = record["job"]["id"]
            if jid in found:
                other, where = found[jid]
                diff = _differences(other, record)
                if diff:
                    raise MergeError(f"job {jid} differs between {where} and {src}: "
                                     f"{', '.join(diff)}")
                duplicates += 1
                continue
            found[jid] = (record, src)
    for m_src, m in manifests[1:]:
        first_src, first = manifests[0]
        for key in ("settings", "tool_version"):
            if m.get(key) != first.get(key):
                raise MergeError(f"{m_src} and {first_src} ran with different {key}: "
                                 f"{m.get(key)!r} vs {first.get(key)!r}")
    dest.prepare()
    for record, _src in found.values():
        dest.write_record(record)
    jobs: dict[str, dict[str, Any]] = {}
    for _src, m in manifests:
        for job in m.get("jobs", []):
            jobs.setdefault(job["id"], job)
    unfinished = [str(s) for s, m in manifests if not m.get("finished")]
    if manifests:
        first = manifests[0][1]
        dest.write_manifest({
            "spec": first.get("spec"), "settings": first.get("settings"),
            "tool_version": first.get("tool_version"), "shard": None,
            "jobs": sorted(jobs.values(), key=lambda j: j["id"]),
            "started": min(m.get("started") or now() for _s, m in manifests),
            "finished": None if unfinished else max(m["finished"] for _s, m in manifests),
            "merged_from": [str(s) for s, _m in manifests]})
    return MergeResult(records=len(found), duplicates=duplicates,
                       missing=sorted(j for j in jobs if j not in found), unfinished=unfinished)
