"""Terminal tables for `tfm-ci run --ops` and `tfm-ci inspect`, readable at 80 columns.

Numbers never wrap (``no_wrap`` on numeric columns); text columns fold instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from rich.table import Table

from tfm_ci import cycles
from tfm_ci.inspect import Coverage, ModelInfo, SubgraphInfo
from tfm_ci.modelstats import ModelStats
from tfm_ci.units import fmt_count


def number_column(table: Table, name: str) -> None:
    table.add_column(name, justify="right", no_wrap=True)


def text_column(table: Table, name: str, **kw: Any) -> None:
    table.add_column(name, overflow="fold", **kw)


# -- run --ops ---------------------------------------------------------------------------------
def ops_unavailable(instructions: dict[str, Any], board: str, simulator: str | None) -> str | None:
    """Why there are no per-operator counts to show, or None when there are."""
    if instructions.get("ops"):
        return None
    unit = instructions.get("unit")
    if unit in (None, "none"):
        who = f"the {simulator} simulator" if simulator else "its simulator"
        return f"per-operator instructions: not counted on {board} ({who} measures no " \
               "instructions; run on a QEMU board for exact counts)"
    return f"per-operator instructions: none recorded ({unit})"


def ops_table(instructions: dict[str, Any], invocation: int | None = None) -> Table:
    """Every op of every invocation (or of one), with its share of that invocation."""
    unit = instructions.get("unit", "")
    totals = instructions.get("invocations") or []
    which = "all invocations" if invocation is None else f"invocation {invocation}"
    table = Table(title=f"operators, {which} ({unit})")
    for name in ("inv", "sg", "#"):
        number_column(table, name)
    text_column(table, "op")
    number_column(table, unit or "cost")
    number_column(table, "share")
    timed = any(op.get("cycles_est") is not None for op in instructions["ops"])
    if timed:
        number_column(table, cycles.LABEL)
        table.caption = f"{cycles.LABEL}: {cycles.ASSUMPTIONS}"
    for op in instructions["ops"]:
        k = op["invocation"]
        if invocation is not None and k != invocation:
            continue
        total = totals[k] if 0 <= k < len(totals) and totals[k] else 0
        share = f"{100 * op['instructions'] / total:.1f}%" if total else "-"
        row = [str(k), str(op["subgraph"]), str(op["op_index"]), op["op_name"],
               fmt_count(op["instructions"]), share]
        if timed:
            est = op.get("cycles_est")
            row.append("-" if est is None else f"~{est:,}")
        table.add_row(*row)
    return table


def op_totals_table(instructions: dict[str, Any], invocation: int | None = None) -> Table:
    """Per op type: how many runs and how much they cost together, with their share."""
    unit = instructions.get("unit", "")
    runs: dict[str, int] = defaultdict(int)
    cost: dict[str, int] = defaultdict(int)
    for op in instructions["ops"]:
        if invocation is None or op["invocation"] == invocation:
            runs[op["op_name"]] += 1
            cost[op["op_name"]] += op["instructions"]
    totals = instructions.get("invocations") or []
    whole = totals[invocation] if invocation is not None and invocation < len(totals) \
        else sum(totals)
    table = Table(title=f"per op type ({unit})")
    text_column(table, "op")
    number_column(table, "runs")
    number_column(table, unit or "cost")
    number_column(table, "share")
    for name in sorted(cost, key=lambda n: -cost[n]):
        share = f"{100 * cost[name] / whole:.1f}%" if whole else "-"
        table.add_row(name, str(runs[name]), fmt_count(cost[name]), share)
    table.add_row("[bold]all ops[/]", str(sum(runs.values())), fmt_count(sum(cost.values())),
                  f"{100 * sum(cost.values()) / whole:.1f}%" if whole else "-")
    return table


# -- inspect -----------------------------------------------------------------------------------
def subgraph_table(sg: SubgraphInfo, stats: ModelStats) -> Table:
    per_op = {(o.subgraph, o.index): o for o in stats.ops}
    table = Table(title=f"subgraph {sg.index} {escape(repr(sg.name))}: operators")
    number_column(table, "#")
    text_column(table, "op")
    number_column(table, "v")
    text_column(table, "inputs")
    text_column(table, "outputs")
    number_column(table, "MACs")
    number_column(table, "params")
    for op in sg.ops:
        s = per_op[(sg.index, op.index)]
        table.add_row(str(op.index), escape(op.name) + (" (custom)" if op.custom else ""),
                      str(op.version), " ".join(map(str, op.inputs)),
                      " ".join(map(str, op.outputs)), fmt_count(s.macs), fmt_count(s.params))
    return table


def missing_by_reason(cov: Coverage) -> list[str]:
    """Every missing op once, with where it is used: "no kernel for X ... (subgraph 0 ops 3, 7)"."""
    places: dict[str, dict[str, list[str]]] = {}
    for text in cov.missing:
        where, _, why = text.partition(": ")     # "subgraph S op I (NAME vV)", reason
        m = re.match(r"subgraph (\d+) op (\d+)", where)
        sg, op = (m.group(1), m.group(2)) if m else ("?", where)
        places.setdefault(why or where, {}).setdefault(sg, []).append(op)
    lines = []
    for why, by_sg in places.items():
        at = "; ".join(f"subgraph {sg} op{'s' if len(ops) > 1 else ''} {', '.join(ops)}"
                       for sg, ops in by_sg.items())
        lines.append(f"{why} ({at})")
    return lines


def coverage_table(rows: Sequence[tuple[str, Coverage]]) -> Table:
    """One row per distinct (kernel set, coverage), naming every board it holds for."""
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    covs: dict[tuple[str, tuple[str, ...]], Coverage] = {}
    for board, cov in rows:
        key = (cov.kernel_set, tuple(cov.missing))
        groups.setdefault(key, []).append(board)
        covs[key] = cov
    table = Table(title="kernel coverage")
    text_column(table, "boards", ratio=2)
    table.add_column("kernel set", no_wrap=True)
    table.add_column("coverage", no_wrap=True)
    text_column(table, "missing", ratio=5)
    for key, boards in groups.items():
        cov = covs[key]
        table.add_row(", ".join(boards), escape(cov.kernel_set),
                      "[green]complete[/]" if cov.complete else
                      f"[red]{len(missing_by_reason(cov))} op(s) missing[/]",
                      escape("\n".join(missing_by_reason(cov))))
    return table


def model_totals(info: ModelInfo, stats: ModelStats) -> str:
    ops = sum(len(sg.ops) for sg in info.subgraphs)
    return (f"total: {ops} op(s), {fmt_count(stats.macs)} MACs, {fmt_count(stats.params)} "
            "parameters")


def tensors_table(sg: SubgraphInfo) -> Table:
    table = Table(title=f"subgraph {sg.index}: tensors")
    number_column(table, "#")
    text_column(table, "name")
    table.add_column("type", no_wrap=True)
    text_column(table, "shape")
    table.add_column("scale", no_wrap=True)
    text_column(table, "zero point")
    table.add_column("kind", no_wrap=True)
    io = {i: "input" for i in sg.inputs} | {i: "output" for i in sg.outputs}
    for t in sg.tensors:
        scale = (f"{t.scale[0]:.6g}" + (f" (+{len(t.scale) - 1})" if len(t.scale) > 1
                                        else "")) if t.scale else ""
        kind = io.get(t.index, "const" if t.constant else "variable" if t.is_variable else "")
        table.add_row(str(t.index), escape(t.name), t.dtype, "x".join(map(str, t.shape)),
                      scale, ",".join(map(str, t.zero_point[:4])), kind)
    return table


def accuracy_table(rows: Sequence[dict[str, Any]]) -> Table:
    """Dataset accuracy per (model, board, kernel set) (tfm_ci.datasets.summarize)."""
    table = Table(title="dataset accuracy (top-1 on the board; agreement with TFLite)")
    for name in ("model", "board", "kernel set"):
        text_column(table, name)
    for name in ("samples", "top-1", "agreement"):
        number_column(table, name)
    for a in rows:
        table.add_row(escape(a["model"]), escape(a["board"]), escape(a["kernel_set"]),
                      f"{a['samples']:,}", f"{a['top1']:.1%}", f"{a['agreement']:.1%}")
    return table
