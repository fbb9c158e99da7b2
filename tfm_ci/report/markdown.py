"""FleetReport / FleetDiff -> Markdown short enough for a PR comment or a CI step summary.

Tables are capped (:data:`MAX_ROWS`) so the text stays far below GitHub's 65,536
character comment limit whatever the fleet's size.
"""

from __future__ import annotations

from tfm_ci.report.diff import Change, FleetDiff
from tfm_ci.report.summary import FleetReport, status_matrix

MAX_ROWS = 30
_ICON = {"PASS": "✅", "FAIL": "❌", "ERROR": "💥", "TIMEOUT": "⏱", "FAULT": "⚠", "SKIP": "⏭"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n… and {len(rows) - MAX_ROWS} more")
    return lines


def _n(v: object) -> str:
    return "-" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))


def render_markdown(report: FleetReport) -> str:
    s = report.summary
    counts = ", ".join(f"{n} {status}" for status, n in s["by_status"].items() if n)
    verdict = "passed" if report.passed else "failed"
    lines = [f"### tfm-ci fleet: {verdict}", "",
             f"{s['jobs']} jobs on {len(s['boards'])} boards, {len(s['models'])} models, "
             f"kernel sets {', '.join(s['kernel_sets']) or '-'}: {counts or 'no jobs'}.", ""]
    matrix = status_matrix(report)
    if len(matrix["columns"]) <= 8:
        lines += _table(["board", *matrix["columns"]],
                        [[b, *(_ICON.get(matrix["cells"][b].get(c, ""), "") + " "
                               + matrix["cells"][b].get(c, "") for c in matrix["columns"])]
                         for b in matrix["boards"]])
        lines.append("")
    if s["failures"]:
        lines += ["**Failures**", ""]
        lines += _table(["board", "model", "kernel set", "status", "reason"],
                        [[f["board"], f["model"], f["kernel_set"], f["status"], f["reason"]]
                         for f in s["failures"]])
        lines.append("")
    if s.get("accuracy"):
        lines += ["**Dataset accuracy** (top-1 on the boards; agreement = samples whose "
                  "outputs equal TensorFlow Lite's)", ""]
        lines += _table(["model", "board", "kernel set", "samples", "top-1", "agreement"],
                        [[a["model"], a["board"], a["kernel_set"], a["samples"],
                          f"{a['top1']:.1%}", f"{a['agreement']:.1%}"] for a in s["accuracy"]])
        lines.append("")
    if s["missing"]:
        lines += [f"**{len(s['missing'])} jobs without a record:** "
                  + ", ".join(s["missing"][:MAX_ROWS]), ""]
    ran = [r for r in report.jobs if r.metrics["instructions"] is not None]
    if ran:
        lines += ["<details><summary>Sizes and instructions</summary>", ""]
        lines += _table(["board", "model", "kernel set", "flash", "RAM", "arena",
                         "instructions"],
                        [[r.board, r.model, r.kernel_set, _n(r.metrics["flash"]),
                          _n(r.metrics["ram"]), _n(r.metrics["arena"]),
                          _n(r.metrics["instructions"])] for r in ran])
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def _change_rows(changes: list[Change]) -> list[list[object]]:
    rows = []
    for c in changes:
        pct = c.to_dict()["percent"]
        rows.append([c.board, c.model, c.kernel_set, c.metric, _n(c.old), _n(c.new),
                     "-" if pct is None else (pct if isinstance(pct, str) else f"{pct:+.2f}%")])
    return rows


def render_diff_markdown(diff: FleetDiff) -> str:
    head = ["board", "model", "kernel set", "metric", "old", "new", "percent"]
    verdict = ("❌ " if diff.regressed else "✅ ") + diff.verdict
    limits = ", ".join(f"{m} {t:g}%" for m, t in diff.thresholds.items())
    lines = [f"### tfm-ci fleet diff: {verdict}", "",
             f"{diff.matched} jobs matched, {diff.unchanged} unchanged within thresholds "
             f"({limits}).", ""]
    for title, changes in (("Regressions", diff.regressions),
                           ("Improvements", diff.improvements), ("New jobs", diff.added),
                           ("Other status changes", diff.other)):
        if changes:
            lines += [f"**{title}**", "", *_table(head, _change_rows(changes)), ""]
    return "\n".join(lines)
