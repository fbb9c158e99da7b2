"""Figure data (from :mod:`figures`) -> inline SVG with matplotlib; no JavaScript, no fonts.

Each renderer reads only its data dict, so the SVG in a report is exactly the
drawing of the JSON embedded beside it. Text is drawn as paths (``svg.fonttype``
"path") and ids are salted with a constant, so the same data gives the same SVG
byte for byte and the page needs no font.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

STATUS_COLORS = {"PASS": "#2e7d32", "FAIL": "#c62828", "ERROR": "#6a1b9a",
                 "TIMEOUT": "#ef6c00", "FAULT": "#ad1457", "SKIP": "#9e9e9e"}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
_RC = {"svg.fonttype": "path", "svg.hashsalt": "tfm-ci", "font.size": 8,
       "axes.spines.top": False, "axes.spines.right": False}


def _height(rows: int, per_row: float = 0.28, minimum: float = 1.8) -> float:
    return max(minimum, 0.9 + per_row * rows)


def _svg(fig: Figure) -> str:
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buf.getvalue()
    return text[text.index("<svg"):].strip()      # drop the XML declaration and DOCTYPE


def _empty(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _fmt(n: float) -> str:
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if abs(n) >= div:
            return f"{n / div:.3g}{suffix}"
    return f"{n:.0f}"


def render_budgets(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    fig = Figure(figsize=(9, _height(len(rows))), layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    if not rows:
        _empty(axes[0], "no sizes measured")
        axes[1].set_axis_off()
        return fig
    labels = [r["job"] for r in rows]
    ys = list(range(len(rows)))
    for ax, kind in zip(axes, ("flash", "ram"), strict=True):
        shares = [100.0 * r[kind] / r[f"{kind}_budget"]
                  if r[kind] is not None and r[f"{kind}_budget"] else 0.0 for r in rows]
        colors = ["#c62828" if s > 100 else "#1f77b4" for s in shares]
        ax.barh(ys, shares, color=colors)
        ax.axvline(100, color="#c62828", linestyle="--", linewidth=1)
        for y, r, s in zip(ys, rows, shares, strict=True):
            text = "-" if r[kind] is None else f"{r[kind]:,} B"
            if r[kind] is not None and r[f"{kind}_budget"]:
                text += f" / {r[f'{kind}_budget']:,}"
            ax.text(s, y, " " + text, va="center", fontsize=6)
        ax.set_xlabel(f"{kind} used, % of the board's budget")
        ax.set_xlim(0, max(110.0, max(shares) * 1.6))
        ax.set_title(kind)
    axes[0].set_yticks(ys, labels)
    axes[0].invert_yaxis()
    return fig


def render_memory(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    fig = Figure(figsize=(9, _height(len(rows))), layout="constrained")
    ax = fig.subplots()
    if not rows:
        _empty(ax, "no arena or stack measured")
        return fig
    ys = list(range(len(rows)))
    h = 0.4
    for offset, kind, color in ((-h / 2, "arena", PALETTE[0]), (h / 2, "stack", PALETTE[1])):
        values = [r[kind] for r in rows]
        ax.barh([y + offset for y in ys], [v or 0 for v in values], height=h,
                label=f"{kind} used", color=color)
        for y, v in zip(ys, values, strict=True):
            ax.text(v or 0, y + offset, " not measured" if v is None else f" {v:,}",
                    va="center", fontsize=6)
    ax.set_yticks(ys, [r["job"] for r in rows])
    ax.invert_yaxis()
    ax.set_xscale("symlog", linthresh=1024)
    ax.set_xlabel("bytes (log scale above 1 KiB)")
    ax.legend(loc="lower right")
    return fig


def render_instructions(data: dict[str, Any]) -> Figure:
    boards, ksets, values = data["boards"], data["kernel_sets"], data["values"]
    width = min(14.0, max(4.0, 1.2 + 0.55 * len(boards) * max(1, len(ksets))))
    fig = Figure(figsize=(width, 3.2), layout="constrained")
    ax = fig.subplots()
    width = 0.8 / max(1, len(ksets))
    crowded = len(boards) * max(1, len(ksets)) > 12     # no room for value labels
    for k, kset in enumerate(ksets):
        xs = [b + (k - (len(ksets) - 1) / 2) * width for b in range(len(boards))]
        heights = [values[kset][board] or 0 for board in boards]
        ax.bar(xs, heights, width=width, label=kset, color=PALETTE[k % len(PALETTE)])
        for x, board in zip(xs, boards if not crowded else [], strict=False):
            v = values[kset][board]
            ax.text(x, v or 0, _fmt(v) if v is not None else "n/a", ha="center",
                    va="bottom", fontsize=6)
    ax.set_xticks(range(len(boards)), boards, rotation=45 if crowded else 0,
                  ha="right" if crowded else "center")
    ax.set_ylabel("instructions, costliest invocation")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _p: _fmt(v)))
    ax.set_title(data["model"])
    ax.legend(title="kernel set", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def render_ops(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    fig = Figure(figsize=(9, _height(len(rows), 0.45, 2.0)), layout="constrained")
    ax = fig.subplots()
    if not rows:
        _empty(ax, "no per-operator counts")
        return fig
    names = sorted({op["op"] for r in rows for op in r["ops"]})
    colors = {name: PALETTE[k % len(PALETTE)] for k, name in enumerate(names)}
    labelled = set()
    for y, r in enumerate(rows):
        left = 0.0
        for op in r["ops"]:
            share = 100.0 * op["instructions"] / r["total"] if r["total"] else 0.0
            ax.barh(y, share, left=left, color=colors[op["op"]],
                    label=None if op["op"] in labelled else op["op"])
            labelled.add(op["op"])
            left += share
        ax.text(left, y, f" {_fmt(r['total'])} total", va="center", fontsize=6)
    ax.set_yticks(range(len(rows)), [r["job"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("% of the invocation's instructions (the rest: interpreter overhead)")
    if names:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=min(5, len(names)),
                  fontsize=6)
    return fig


def render_changes(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    fig = Figure(figsize=(9, _height(len(rows))), layout="constrained")
    ax = fig.subplots()
    if not rows:
        _empty(ax, "no metric changed beyond its threshold")
        return fig
    ys = list(range(len(rows)))
    pcts = [r["percent"] for r in rows]
    ax.barh(ys, pcts, color=["#c62828" if r["kind"] == "regression" else "#2e7d32"
                             for r in rows])
    for y, p in zip(ys, pcts, strict=True):
        ax.text(p, y, f" {p:+.2f}%", va="center", ha="left" if p >= 0 else "right",
                fontsize=6)
    ax.axvline(0, color="black", linewidth=0.8)
    span = max(1.0, *(abs(p) for p in pcts if math.isfinite(p)))
    ax.set_xlim(-1.4 * span, 1.4 * span)
    ax.set_yticks(ys, [r["label"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("change, % of the base value")
    return fig


def render_confusion(data: dict[str, Any]) -> Figure:
    """Rows: true label, columns: the board's top-1 prediction; counts in the cells."""
    matrix = data["matrix"]
    size = len(matrix)
    fig = Figure(figsize=(3.6, 3.2), layout="constrained")
    ax = fig.subplots()
    if not size:
        _empty(ax, "no predictions")
        return fig
    # pcolormesh stays vector in SVG (imshow would embed a PNG: a data: URL request)
    ax.pcolormesh(range(size + 1), range(size + 1), matrix, cmap="Blues",
                  edgecolors="white", linewidth=0.5)
    ax.set_aspect("equal")
    ax.invert_yaxis()
    peak = max(max(row) for row in matrix) or 1
    for i, row in enumerate(matrix):
        for j, n in enumerate(row):
            if n:
                ax.text(j + 0.5, i + 0.5, str(n), ha="center", va="center", fontsize=6,
                        color="white" if n > peak / 2 else "black")
    ax.set_xticks([k + 0.5 for k in range(size)], [str(k) for k in range(size)])
    ax.set_yticks([k + 0.5 for k in range(size)], [str(k) for k in range(size)])
    ax.set_xlabel("predicted")
    ax.set_ylabel("label")
    return fig


RENDERERS: dict[str, Callable[[dict[str, Any]], Figure]] = {
    "budgets": render_budgets, "memory": render_memory, "instructions": render_instructions,
    "ops": render_ops, "changes": render_changes, "confusion": render_confusion,
}


def render(kind: str, data: dict[str, Any]) -> str:
    """The inline SVG (``<svg ...>...</svg>``) of figure `kind` drawn from `data`."""
    with matplotlib.rc_context(_RC):
        return _svg(RENDERERS[kind](data))
