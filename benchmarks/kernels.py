"""Instructions per invoke for every kernel set a board offers, counted exactly on QEMU,
against our reference kernels, TFLM (+ CMSIS-NN) on the same core and issue 9's targets.

    .venv/bin/python benchmarks/kernels.py [--board B ...] [--set K ...] [--model NAME ...]
                                           [--demo] [--by-op] [--json OUT] [MODEL.tflite ...]

Models: the shared TFLM models (when present) and the MLPerf Tiny architectures
(tfm_ci.demo.mlperf), plus the demo models with --demo; MODEL paths replace them; --model
keeps only the named ones (file stems). For every model and board, one job per kernel set
among reference / opt / arm-dsp / arm-mve that the board offers (same seeded random input,
one invocation); every job must PASS (bit-exact with TFLite) with the same outputs as the
reference set. Printed per (model, board, set):

- instructions per invoke and the ratio to our reference kernels on the same board;
- estimated cycles (docs/cycle-model.md: the core's TRM timings at zero wait states);
- TFLM's instructions on the same core (shared DESIGN.md: mps2-an386 Cortex-M4F, mps3-an547
  Cortex-M55 with MVE, mps2-an500 Cortex-M7), its reference kernels beside our reference
  set and CMSIS-NN beside the optimized sets, and our ratio to it;
- issue 9's target (instructions, or a ratio to our reference) and whether it is met;
- flash (the model included) and flash less the model's bytes;
- arena used against TFLM's (same kernel kind, same core; blank where not measured);
- the interpreter's share of the invoke: instructions outside every operator's span.

Then a summary: targets met, arenas above TFLM's, interpreter shares of 1 % or more.
With --by-op, a second table: each row's instructions per operator type (where the
optimized sets' time goes).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from rich.table import Table
from yardstick import (
    benchmark_models,
    interpreter_overhead,
    invoke_cycles,
    invoke_instructions,
    target,
    tflm,
)

from tfm_ci import cycles
from tfm_ci.cli import console
from tfm_ci.fleet import run_fleet
from tfm_ci.job import DEFAULT_FLOAT_TOLERANCE, JobRecord, JobSpec, Status
from tfm_ci.registry import Registry, UnknownNameError
from tfm_ci.units import fmt_count

BOARDS = ("riscv32-virt", "mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547")
SETS = ("reference", "opt", "arm-dsp", "arm-mve")
COLUMNS = ("model", "board", "set", "instructions", "vs ref", "cycles (est.)", "TFLM",
           "vs TFLM", "target", "met", "flash", "flash-model", "arena", "TFLM arena",
           "vs TFLM arena", "interp.", "status")


@dataclass
class Row:
    """One (model, board, set) measurement and its comparisons (None = not available)."""

    model: str
    board: str
    kernel_set: str
    status: str
    instructions: int | None
    reference: int | None
    cycles_est: int | None
    tflm_kind: str                   # "ref" or "CMSIS-NN": what `tflm` counts
    tflm: int | None
    target: str
    target_limit: int | None
    met: bool | None
    flash: int | None
    model_bytes: int
    arena: int | None
    tflm_arena: int | None
    overhead: int | None
    by_op: dict[str, int]            # instructions per operator type, costliest invocation

    @property
    def overhead_share(self) -> float | None:
        return self.overhead / self.instructions if self.overhead is not None \
            and self.instructions else None


def _ratio(a: int | None, b: int | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def _count(n: int | None) -> str:
    return fmt_count(n) if n else "-"


def same_outputs(rec: JobRecord, ref: JobRecord) -> bool:
    """The set's outputs equal the reference set's: integer outputs bit for bit, float32
    within twice the jobs' tolerance (each is within it of TFLite; a set may sum in
    another order, e.g. opt's block floating point on soft-float cores)."""
    if len(rec.outputs) != len(ref.outputs):
        return False
    for a, b in zip(rec.outputs, ref.outputs, strict=True):
        if a.get("dtype") == "float32" and b.get("dtype") == "float32":
            x, y = np.asarray(a["data"], np.float64), np.asarray(b["data"], np.float64)
            tol = 2 * DEFAULT_FLOAT_TOLERANCE
            if x.shape != y.shape or not np.allclose(x, y, rtol=tol, atol=tol, equal_nan=True):
                return False
        elif a["data"] != b["data"]:
            return False
    return True


def make_row(model: Path, rec: JobRecord, ref: JobRecord) -> Row:
    stem = Path(model).stem
    n, r = invoke_instructions(rec), invoke_instructions(ref)
    same = same_outputs(rec, ref)
    status = rec.status.value + ("" if same else " (outputs differ from reference)")
    core = tflm(rec.board, stem)
    kind = "ref" if rec.kernel_set == "reference" else "CMSIS-NN"
    aim = target(rec.board, rec.kernel_set, stem)
    limit = aim.limit(r) if aim else None
    ok = rec.status is Status.PASS and same
    return Row(
        model=stem, board=rec.board, kernel_set=rec.kernel_set,
        status="PASS" if ok else status, instructions=n, reference=r,
        cycles_est=invoke_cycles(rec), tflm_kind=kind,
        tflm=(core.reference if kind == "ref" else core.cmsis_nn) if core else None,
        target=aim.describe() if aim else "", target_limit=limit,
        met=(ok and n is not None and n <= limit) if limit is not None else None,
        flash=rec.sizes.get("flash"), model_bytes=Path(model).stat().st_size,
        arena=rec.sizes.get("arena_used"),
        tflm_arena=(core.arena_reference if kind == "ref" else core.arena_cmsis_nn)
        if core else None,
        overhead=interpreter_overhead(rec), by_op=_by_op(rec))


def _by_op(rec: JobRecord) -> dict[str, int]:
    counts = rec.instructions.get("invocations") or []
    if not counts:
        return {}
    worst = counts.index(max(counts))
    totals: dict[str, int] = {}
    for op in rec.instructions.get("ops") or []:
        if op.get("invocation") == worst and op.get("subgraph") == 0:
            totals[op["op_name"]] = totals.get(op["op_name"], 0) + op["instructions"]
    return totals


def render_by_op(rows: list[Row]) -> Table:
    names = sorted({n for r in rows for n in r.by_op},
                   key=lambda n: -sum(r.by_op.get(n, 0) for r in rows))
    table = Table(title="Instructions per operator type (costliest invocation; share of the "
                        "invoke)")
    for column in ("model", "board", "set", *names):
        table.add_column(column, justify="left" if column in ("model", "board", "set")
                         else "right")
    for row in rows:
        cells = [f"{_count(row.by_op[n])} ({row.by_op[n] / row.instructions:.0%})"
                 if n in row.by_op and row.instructions else "" for n in names]
        table.add_row(row.model, row.board, row.kernel_set, *cells)
    return table


def render(rows: list[Row]) -> Table:
    table = Table(title="Instructions per invoke by kernel set (exact, QEMU TCG plugin) vs our "
                        "reference, TFLM on the same core (ref kernels for reference, CMSIS-NN "
                        "for the others) and issue 9's targets")
    for column in COLUMNS:
        table.add_column(column, justify="left" if column in ("model", "board", "set")
                         else "right")
    table.caption = (f"cycles (est.): {cycles.ASSUMPTIONS}. TFLM: shared DESIGN.md "
                     "(mps2-an386 M4F, mps3-an547 M55, mps2-an500 M7). interp.: invoke "
                     "instructions outside every operator (issue 9: < 1 %).")
    for row in rows:
        share = row.overhead_share
        table.add_row(
            row.model, row.board, row.kernel_set, _count(row.instructions),
            _ratio(row.instructions, row.reference),
            f"~{row.cycles_est:,}" if row.cycles_est else "-",
            f"{_count(row.tflm)} {row.tflm_kind}" if row.tflm else "",
            _ratio(row.instructions, row.tflm) if row.tflm else "",
            row.target, {True: "yes", False: "NO", None: ""}[row.met],
            _count(row.flash), _count(row.flash - row.model_bytes) if row.flash else "-",
            f"{row.arena:,}" if row.arena else "-",
            f"{row.tflm_arena:,}" if row.tflm_arena else "",
            _ratio(row.arena, row.tflm_arena) if row.tflm_arena else "",
            f"{share:.2%}" if share is not None else "-", row.status)
    return table


def summary(rows: list[Row]) -> list[str]:
    """Targets met, arenas above TFLM's, interpreter shares of 1 % or more."""
    aimed = [r for r in rows if r.met is not None]
    missed = [r for r in aimed if not r.met]
    lines = [f"targets met: {len(aimed) - len(missed)} of {len(aimed)}"
             + (f"; not met: {', '.join(_name(r) for r in missed)}" if missed else "")]
    over = [r for r in rows if r.arena and r.tflm_arena and r.arena > r.tflm_arena]
    lines.append(f"arena above TFLM's on the same core: {len(over)} of "
                 f"{sum(1 for r in rows if r.arena and r.tflm_arena)}"
                 + (f" ({', '.join(_name(r) for r in over)})" if over else ""))
    heavy = [r for r in rows if (r.overhead_share or 0.0) >= 0.01]
    lines.append(f"interpreter overhead >= 1 % of invoke: {len(heavy)} of {len(rows)}"
                 + (f" ({', '.join(sorted({r.model for r in heavy}))})" if heavy else ""))
    return lines


def _name(row: Row) -> str:
    return f"{row.model}@{row.board}/{row.kernel_set}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path, help=".tflite files (default: the "
                        "shared models and the MLPerf Tiny architectures)")
    parser.add_argument("--board", dest="boards", action="append", help=f"default {BOARDS}")
    parser.add_argument("--set", dest="sets", action="append", help="kernel sets (default "
                        "all; reference is always run: the ratios need it)")
    parser.add_argument("--model", dest="names", action="append",
                        help="keep only this model (file stem), repeatable")
    parser.add_argument("--demo", action="store_true", help="the demo models too")
    parser.add_argument("--by-op", action="store_true",
                        help="also a table of instructions per operator type")
    parser.add_argument("--json", type=Path, help="write the rows as JSON")
    parser.add_argument("--workers", type=int, help="simulations at a time")
    args = parser.parse_args(argv)
    registry = Registry.load()
    sets = tuple(args.sets or SETS)
    if set(sets) - set(SETS):
        parser.error(f"--set: unknown kernel set(s) {', '.join(sorted(set(sets) - set(SETS)))}"
                     f" (known: {', '.join(SETS)})")
    if "reference" not in sets:
        sets = ("reference", *sets)
    with tempfile.TemporaryDirectory() as scratch:
        paths = args.models or benchmark_models(Path(scratch), mlperf=True, demo=args.demo)
        if args.names:
            unknown = set(args.names) - {p.stem for p in paths}
            if unknown:
                parser.error(f"--model: unknown model(s) {', '.join(sorted(unknown))} "
                             f"(known: {', '.join(p.stem for p in paths)})")
            paths = [p for p in paths if p.stem in args.names]
        jobs: list[tuple[Path, str, str]] = []
        for board in args.boards or BOARDS:
            try:
                offered = {k.name for k in registry.kernel_sets(registry.board(board))}
            except UnknownNameError as exc:
                parser.error(f"--board: {exc}")
            jobs += [(m, board, k) for m in paths for k in sets if k in offered]
        specs = [JobSpec(model=str(m), board=b, kernel_set=k, seed=1, timeout=900)
                 for m, b, k in jobs]
        records = run_fleet(specs, registry, workers=args.workers)
        by_job = {(str(m), b, k): r for (m, b, k), r in zip(jobs, records, strict=True)}
        rows = [make_row(m, by_job[(str(m), b, k)], by_job[(str(m), b, "reference")])
                for m, b, k in jobs]
    console().print(render(rows))
    for line in summary(rows):
        console().print(line, highlight=False, soft_wrap=True)
    if args.by_op:
        console().print(render_by_op(rows))
    if args.json:
        args.json.write_text(json.dumps([{**asdict(r), "overhead_share": r.overhead_share}
                                         for r in rows], indent=1))
    return 1 if any(r.status != "PASS" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
