"""FleetReport / FleetDiff -> one self-contained HTML page (jinja2 + inline SVG plots).

No script, stylesheet, font or image is loaded from anywhere: CSS is inline, plots
are inline SVG (text as paths), and each plot's data sits beside it in a
``<script type="application/json" class="plot-data">`` block (data, not code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from tfm_ci import __version__
from tfm_ci.report import figures, plots
from tfm_ci.report.diff import FleetDiff
from tfm_ci.report.metrics import METRICS
from tfm_ci.report.summary import FleetReport, status_matrix


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["n"] = lambda v: "-" if v is None else f"{v:,}"
    env.filters["pct"] = lambda v: "-" if v is None else (
        v if isinstance(v, str) else f"{v:+.2f}%")
    return env


def _rendered(figs: list[figures.FigureData]) -> list[dict[str, Any]]:
    return [{"id": f.id, "kind": f.kind, "title": f.title, "data": f.data,
             "svg": plots.render(f.kind, f.data)} for f in figs]


def render_report(report: FleetReport) -> str:
    figs = figures.report_figures(report)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for fig in _rendered(figs):
        by_kind.setdefault(fig["kind"], []).append(fig)
    return _env().get_template("report.html.j2").render(
        report=report, summary=report.summary, matrix=status_matrix(report),
        figs=by_kind, speedups=figures.speedups(report), metrics=METRICS,
        version=__version__, colors=plots.STATUS_COLORS)


def render_diff(diff: FleetDiff) -> str:
    fig = _rendered([figures.diff_figure(diff)])[0]
    return _env().get_template("diff.html.j2").render(
        diff=diff, fig=fig, version=__version__, colors=plots.STATUS_COLORS)
