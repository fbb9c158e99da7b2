"""FleetReport / FleetDiff -> the data of each plot (plain JSON-able dicts, no drawing).

Each figure's data is embedded in the HTML next to its SVG, and :mod:`plots`
draws the SVG from exactly that data, so a test (or a person) can check a plot
against the records and re-draw it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tfm_ci.report.diff import FleetDiff
from tfm_ci.report.metrics import ops_of_costliest
from tfm_ci.report.summary import FleetReport, JobRow

#: How many of the costliest jobs get a per-operator breakdown.
COSTLIEST = 5


@dataclass
class FigureData:
    id: str          # unique in a page, safe for an HTML id
    kind: str        # which renderer of tfm_ci.report.plots draws it
    title: str
    data: dict[str, Any]


def _counted(r: JobRow) -> bool:
    return r.unit == "instructions" and r.metrics["instructions"] is not None


def budgets(report: FleetReport) -> FigureData:
    rows = [{"job": r.label, "flash": r.metrics["flash"], "flash_budget": r.flash_budget,
             "ram": r.metrics["ram"], "ram_budget": r.ram_budget}
            for r in report.jobs if r.metrics["flash"] is not None or r.metrics["ram"] is not None]
    return FigureData("budgets", "budgets", "Flash and RAM against each board's budget",
                      {"rows": rows})


def memory(report: FleetReport) -> FigureData:
    rows = [{"job": r.label, "arena": r.metrics["arena"], "stack": r.metrics["stack"]}
            for r in report.jobs
            if r.metrics["arena"] is not None or r.metrics["stack"] is not None]
    return FigureData("memory", "memory", "Arena used and stack used", {"rows": rows})


def instructions(report: FleetReport) -> list[FigureData]:
    """One figure per model: costliest invocation per board, one bar per kernel set."""
    by_model: dict[str, list[JobRow]] = defaultdict(list)
    for r in report.jobs:
        if _counted(r) and r.key[3] is None:
            by_model[r.model].append(r)
    figures = []
    for k, (model, rows) in enumerate(sorted(by_model.items())):
        boards = sorted({r.board for r in rows})
        ksets = sorted({r.kernel_set for r in rows}, key=lambda s: (s != "reference", s))
        values = {s: {b: None for b in boards} for s in ksets}
        for r in rows:
            values[r.kernel_set][r.board] = r.metrics["instructions"]
        figures.append(FigureData(f"instructions-{k}", "instructions",
                                  f"Instructions per invocation: {model}",
                                  {"model": model, "boards": boards, "kernel_sets": ksets,
                                   "values": values}))
    return figures


def speedups(report: FleetReport) -> list[dict[str, Any]]:
    """Optimized kernel sets against reference on the same board and model (a table)."""
    ref = {(r.board, r.model): r.metrics["instructions"] for r in report.jobs
           if _counted(r) and r.kernel_set == "reference"}
    out = []
    for r in report.jobs:
        base = ref.get((r.board, r.model))
        if _counted(r) and r.kernel_set != "reference" and base:
            out.append({"board": r.board, "model": r.model, "kernel_set": r.kernel_set,
                        "reference": base, "optimized": r.metrics["instructions"],
                        "speedup": round(base / r.metrics["instructions"], 3)})
    return out


def costliest_ops(report: FleetReport, count: int = COSTLIEST) -> FigureData:
    """Instructions by operator type in the costliest invocation of the costliest jobs."""
    jobs = sorted((r for r in report.jobs if _counted(r)),
                  key=lambda r: -r.metrics["instructions"])[:count]
    rows = []
    for r in jobs:
        per_op: dict[str, int] = defaultdict(int)
        for op in ops_of_costliest(r.record):
            if isinstance(op.get("instructions"), int):
                per_op[str(op.get("op_name"))] += op["instructions"]
        ops = sorted(per_op.items(), key=lambda item: (-item[1], item[0]))
        rows.append({"job": r.label, "total": r.metrics["instructions"],
                     "ops": [{"op": name, "instructions": n} for name, n in ops]})
    return FigureData("ops", "ops", f"Per-operator instructions of the {len(rows)} costliest "
                      "jobs (costliest invocation)", {"rows": rows})


def confusions(report: FleetReport) -> list[FigureData]:
    """One confusion matrix per (model, board, kernel set) of the dataset jobs."""
    return [FigureData(f"confusion-{k}", "confusion",
                       f"{a['model']} on {a['board']} [{a['kernel_set']}]: top-1 "
                       f"{a['top1']:.1%} of {a['samples']} samples, "
                       f"{a['agreement']:.1%} equal to TensorFlow Lite",
                       {"model": a["model"], "board": a["board"], "kernel_set": a["kernel_set"],
                        "matrix": a["confusion"]})
            for k, a in enumerate(report.summary.get("accuracy") or [])]


def report_figures(report: FleetReport) -> list[FigureData]:
    return [budgets(report), memory(report), *instructions(report), costliest_ops(report),
            *confusions(report)]


def diff_figure(diff: FleetDiff) -> FigureData:
    rows = [{"label": f"{c.label} {c.metric}", "percent": round(c.percent, 3), "kind": kind}
            for kind, changes in (("regression", diff.regressions),
                                  ("improvement", diff.improvements))
            for c in changes
            if c.kind == "metric" and c.percent is not None and math.isfinite(c.percent)]
    return FigureData("changes", "changes", "Metric changes beyond their threshold (%)",
                      {"rows": rows})
