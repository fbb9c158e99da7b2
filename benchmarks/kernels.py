"""Instructions per invoke for every kernel set a board offers, counted exactly on QEMU,
with the estimated cycles beside them.


    .venv/bin/python benchmarks/kernels.py [--board B ...] [--set K ...] [MODEL ...]

For every model and board, one job per kernel set among reference / opt / arm-dsp / arm-mve
that the board offers (same seeded random input, one invocation); every job must PASS (bit-exact
with TFLite) with the same outputs as the reference set. Printed per (model, board, set):
instructions, the ratio to our reference kernels, estimated cycles (docs/cycle-model.md: the
core's TRM timings at zero wait states, no caches, no interrupts), flash and arena used, and
on mps2-an386 (Cortex-M4F, where the shared DESIGN.md yardstick was measured) TFLM + CMSIS-NN's
instructions and arena and our ratio to them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.table import Table
from yardstick import (
    TFLM_M4,
    benchmark_models,
    invoke_cycles,
    invoke_instructions,
)

from tfm_ci import cycles
from tfm_ci.cli import console
from tfm_ci.fleet import run_fleet
from tfm_ci.job import JobRecord, JobSpec, Status
from tfm_ci.registry import Registry
from tfm_ci.units import fmt_count

BOARDS = ("riscv32-virt", "mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547")
SETS = ("reference", "opt", "arm-dsp", "arm-mve")


def _ratio(a: int | None, b: int | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", dest="boards", action="append")
    parser.add_argument("--set", dest="sets", action="append", help="kernel sets (default all)")
    args = parser.parse_args(argv)
    registry = Registry.load()
    sets = tuple(args.sets or SETS)
    if "reference" not in sets:
        sets = ("reference", *sets)
    with tempfile.TemporaryDirectory() as scratch:
        paths = args.models or benchmark_models(Path(scratch))
        jobs: list[tuple[Path, str, str]] = []
        for board in args.boards or BOARDS:
            offered = {k.name for k in registry.kernel_sets(registry.board(board))}
            jobs += [(m, board, k) for m in paths for k in sets if k in offered]
        specs = [JobSpec(model=str(m), board=b, kernel_set=k, seed=1, timeout=900)
                 for m, b, k in jobs]
        records = run_fleet(specs, registry)
    by_job: dict[tuple[str, str, str], JobRecord] = {
        (str(m), b, k): r for (m, b, k), r in zip(jobs, records, strict=True)}
    table = Table(title="Instructions per invoke by kernel set (exact, QEMU TCG plugin); "
                        "TFLM figures: Cortex-M4 (mps2-an386)")
    for column in ("model", "board", "set", "instructions", "vs reference", "cycles (est.)",
                   "flash", "arena", "TFLM CMSIS-NN", "vs CMSIS-NN", "TFLM arena", "status"):
        table.add_column(column, justify="left" if column in ("model", "board", "set")
                         else "right")
    table.caption = f"cycles (est.): {cycles.ASSUMPTIONS}"
    failed = 0
    for model, board, kset in jobs:
        rec = by_job[(str(model), board, kset)]
        ref = by_job[(str(model), board, "reference")]
        same = [o["data"] for o in rec.outputs] == [o["data"] for o in ref.outputs]
        ok = rec.status is Status.PASS and same
        failed += not ok
        n, r = invoke_instructions(rec), invoke_instructions(ref)
        tflm = TFLM_M4.get(model.stem) if board == "mps2-an386" else None
        status = "PASS" if ok else rec.status.value + ("" if same else " (outputs differ)")
        c = invoke_cycles(rec)
        table.add_row(model.stem, board, kset, fmt_count(n) if n else "-", _ratio(n, r),
                      f"~{c:,}" if c else "-",
                      fmt_count(rec.sizes.get("flash") or 0),
                      fmt_count(rec.sizes.get("arena_used") or 0),
                      fmt_count(tflm.cmsis_nn) if tflm else "", _ratio(n, tflm.cmsis_nn)
                      if tflm else "", fmt_count(tflm.arena) if tflm else "", status)
    console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
