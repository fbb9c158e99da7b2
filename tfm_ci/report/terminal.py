"""FleetReport / FleetDiff -> rich renderables for the terminal, readable at 80 columns.

Sizes and counts are short (``62.7K``); long reasons go below the table, one line each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tfm_ci.report.diff import Change, FleetDiff
from tfm_ci.report.summary import FleetReport

STYLE = {"PASS": "green", "FAIL": "red", "ERROR": "magenta", "TIMEOUT": "yellow",
         "FAULT": "red", "SKIP": "dim"}


def short(n: int | None) -> str:
    if n is None:
        return "-"
    for div, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "K")):
        if n >= div:
            return f"{n / div:.3g}{suffix}"
    return str(n)


def _model(path: str) -> str:
    """The model's file stem: the folder and ``.tflite`` would not fit 80 columns."""
    return PurePosixPath(path).stem


def report_view(report: FleetReport) -> RenderableType:
    s = report.summary
    table = Table(title=f"fleet {report.folder}", title_justify="left", pad_edge=False,
                  box=None, header_style="bold", collapse_padding=True)
    for name, justify in (("board", "left"), ("model", "left"), ("kernels", "left"),
                          ("status", "left"), ("flash", "right"), ("RAM", "right"),
                          ("arena", "right"), ("instr.", "right")):
        table.add_column(name, justify=justify, overflow="fold")
    for r in report.jobs:
        table.add_row(r.board, _model(r.model), r.kernel_set,
                      Text(r.status, style=STYLE[r.status]),
                      short(r.metrics["flash"]), short(r.metrics["ram"]),
                      short(r.metrics["arena"]), short(r.metrics["instructions"]))
    counts = ", ".join(f"{n} {status}" for status, n in s["by_status"].items() if n)
    parts: list[RenderableType] = [table, Text(f"{s['jobs']} jobs: {counts or 'none'}")]
    for f in s["failures"]:
        parts.append(Text(f"  {f['status']} {f['board']} {_model(f['model'])}"
                          f"[{f['kernel_set']}]: {f['reason']}", style=STYLE[f["status"]]))
    for label in s["missing"]:
        parts.append(Text(f"  missing {label}: no record", style="red"))
    return Group(*parts)


def _pct(c: Change) -> str:
    p = c.to_dict()["percent"]
    return "-" if p is None else (p if isinstance(p, str) else f"{p:+.2f}%")


def _val(v: object) -> str:
    return short(v) if isinstance(v, int) else ("-" if v is None else str(v))


def _changes(title: str, changes: list[Change], style: str) -> Iterator[RenderableType]:
    if not changes:
        return
    table = Table(title=title, title_justify="left", box=None, pad_edge=False,
                  header_style="bold", title_style=style)
    for name in ("board", "model", "kernels", "metric", "old", "new", "change"):
        table.add_column(name, justify="right" if name in ("old", "new", "change") else "left",
                         overflow="fold")
    for c in changes:
        table.add_row(c.board, _model(c.model), c.kernel_set, c.metric, _val(c.old),
                      _val(c.new), _pct(c))
    yield table


def diff_view(diff: FleetDiff) -> RenderableType:
    parts: list[RenderableType] = []
    parts += _changes("regressions", diff.regressions, "bold red")
    parts += _changes("improvements", diff.improvements, "bold green")
    parts += _changes("new jobs", diff.added, "bold")
    parts += _changes("other status changes", diff.other, "bold")
    verdict = Text(diff.verdict, style="bold red" if diff.regressed else "bold green")
    limits = ", ".join(f"{m} {t:g}%" for m, t in diff.thresholds.items())
    parts.append(Text.assemble(verdict, f" ({diff.matched} jobs matched, {diff.unchanged} "
                               f"unchanged; thresholds {limits})"))
    return Group(*parts)
