"""Records -> a :class:`FleetReport`: one row per job plus a summary (pure, no I/O).

Writers (JSON, JUnit, Markdown, HTML, a plugin's) only ever see a FleetReport.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tfm_ci.datasets import summarize as summarize_accuracy
from tfm_ci.report import metrics as m
from tfm_ci.report.results import STATUSES, JobKey, Results, job_key, key_label

#: Statuses that make a fleet fail (a SKIP carries a reason but is not a failure).
FAILING = ("FAIL", "ERROR", "TIMEOUT", "FAULT")
_SEVERITY = ("PASS", "SKIP", "FAIL", "TIMEOUT", "FAULT", "ERROR")


@dataclass
class JobRow:
    """What a report shows of one job; `record` is the record exactly as read."""

    key: JobKey
    id: str
    status: str
    category: str
    reason: str
    metrics: dict[str, int | None]
    flash_budget: int | None
    ram_budget: int | None
    unit: str
    seconds: float | None
    record: dict[str, Any] = field(repr=False)
    file: str = ""

    @property
    def board(self) -> str:
        return self.key[0]

    @property
    def model(self) -> str:
        return self.key[1]

    @property
    def kernel_set(self) -> str:
        return self.key[2]

    @property
    def label(self) -> str:
        return key_label(self.key)

    @property
    def name(self) -> str:
        """``model[kernel set]`` (the JUnit test name)."""
        share = self.key[3]
        suffix = f"{{{share[0]}:{share[1]}-{share[2]}}}" if share else ""
        return f"{self.model}[{self.kernel_set}]{suffix}"

    @property
    def failing(self) -> bool:
        return self.status in FAILING


@dataclass
class FleetReport:
    """A results folder as plain data: manifest, rows (sorted by model, board, kernel set),
    summary (counts, boards, models, kernel sets, failures, jobs without a record)."""

    folder: str
    manifest: dict[str, Any]
    jobs: list[JobRow]
    summary: dict[str, Any]

    @property
    def passed(self) -> bool:
        return bool(self.summary["passed"])


def row(record: dict[str, Any], file: str = "") -> JobRow:
    seconds = record.get("seconds")
    return JobRow(
        key=job_key(record), id=str(record["job"].get("id", "")), status=record["status"],
        category=str(record.get("category") or ""),
        reason=(str(record.get("reason") or "").splitlines() or [""])[0],
        metrics=m.metrics(record), flash_budget=m.budget(record, "flash"),
        ram_budget=m.budget(record, "ram"), unit=m.unit(record),
        seconds=seconds if isinstance(seconds, (int, float)) else None,
        record=record, file=file)


def summarize(rows: list[JobRow], manifest: dict[str, Any]) -> dict[str, Any]:
    counts = Counter(r.status for r in rows)
    ids = {r.id for r in rows}
    jobs = manifest.get("jobs")
    listed = [j for j in jobs if isinstance(j, dict)] if isinstance(jobs, list) else []
    missing = [f"{j.get('board')} {j.get('model')}[{j.get('kernel_set')}]"
               for j in listed if str(j.get("id")) not in ids]
    failing = [r for r in rows if r.failing]
    return {
        "jobs": len(rows),
        "by_status": {s: counts.get(s, 0) for s in STATUSES},
        "passed": bool(rows) and not failing and not missing,
        "boards": sorted({r.board for r in rows}),
        "models": sorted({r.model for r in rows}),
        "kernel_sets": sorted({r.kernel_set for r in rows}),
        "failures": [{"board": r.board, "model": r.model, "kernel_set": r.kernel_set,
                      "status": r.status, "category": r.category, "reason": r.reason}
                     for r in failing],
        "skipped": [{"board": r.board, "model": r.model, "kernel_set": r.kernel_set,
                     "category": r.category, "reason": r.reason}
                    for r in rows if r.status == "SKIP"],
        "missing": missing,
        "accuracy": summarize_accuracy(r.record for r in rows),
        "spec": manifest.get("spec"),
        "tool_version": manifest.get("tool_version"),
        "shard": manifest.get("shard"),
        "started": manifest.get("started"),
        "finished": manifest.get("finished"),
    }


def build_report(results: Results) -> FleetReport:
    """The report of one results folder (records already checked by load_results)."""
    rows = [row(r, str(p)) for r, p in zip(results.records, results.files, strict=True)]
    return FleetReport(str(results.folder), results.manifest, rows,
                       summarize(rows, results.manifest))


def status_matrix(report: FleetReport) -> dict[str, Any]:
    """Boards (rows) x model[kernel set] (columns) -> status, for the matrix views."""
    columns = sorted({(r.model, r.kernel_set) for r in report.jobs},
                     key=lambda mk: (mk[0], mk[1] != "reference", mk[1]))   # reference first
    cells: dict[str, dict[str, str]] = {}
    for r in report.jobs:   # dataset shares of one job share a cell: the worst status shows
        row = cells.setdefault(r.board, {})
        name = f"{r.model}[{r.kernel_set}]"
        if name not in row or _SEVERITY.index(r.status) > _SEVERITY.index(row[name]):
            row[name] = r.status
    models: dict[str, list[str]] = {}
    for model, kset in columns:
        models.setdefault(model, []).append(kset)
    return {"boards": report.summary["boards"],
            "columns": [f"{model}[{kset}]" for model, kset in columns],
            "models": list(models.items()), "cells": cells}
