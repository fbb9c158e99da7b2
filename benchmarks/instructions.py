"""Instructions per invoke and at init, per model and board, counted exactly on QEMU,
with the estimated cycles beside them.

    .venv/bin/python benchmarks/instructions.py [--kernels SET] [--board B ...] [MODEL ...]

Counts come from our TCG plugin between the firmware's marker symbols, so
they are identical on every run and machine. TFLM's figures on Cortex-M4
(mps2-an386, from our yardstick table in the shared DESIGN.md) are shown
beside ours for that board. The cycle column is an estimate (docs/cycle-model.md):
the core's TRM timings at zero wait states, no caches, no interrupts.
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
    cycles_per_instruction,
    invoke_cycles,
    invoke_instructions,
)

from tfm_ci import cycles
from tfm_ci.cli import console
from tfm_ci.fleet import run_fleet
from tfm_ci.job import JobSpec, Status
from tfm_ci.registry import Registry
from tfm_ci.units import fmt_count

BOARDS = ("mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547", "netduinoplus2",
          "riscv32-virt")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", dest="boards", action="append")
    parser.add_argument("--kernels", default="reference")
    args = parser.parse_args(argv)
    registry = Registry.load()
    with tempfile.TemporaryDirectory() as scratch:
        paths = args.models or benchmark_models(Path(scratch))
        specs = [JobSpec(model=str(m), board=b, kernel_set=args.kernels, timeout=600)
                 for m in paths for b in (args.boards or BOARDS)]
        records = run_fleet(specs, registry)
    table = Table(title=f"Instructions ({args.kernels} kernels; exact, QEMU TCG plugin)")
    for column in ("model", "board", "invoke", cycles.LABEL, "cyc/instr", "init", "flash",
                   "arena", "TFLM ref", "TFLM CMSIS-NN", "TFLM init", "status"):
        table.add_column(column, justify="left" if column in ("model", "board") else "right")
    table.caption = f"{cycles.LABEL}: {cycles.ASSUMPTIONS}"
    failed = 0
    for r in records:
        stem = Path(r.model).stem
        tflm = TFLM_M4.get(stem) if r.board == "mps2-an386" else None
        count = invoke_instructions(r)
        failed += r.status is not Status.PASS
        est = invoke_cycles(r)
        table.add_row(stem, r.board, fmt_count(count) if count else "-",
                      f"~{est:,}" if est else "-", cycles_per_instruction(r),
                      fmt_count(r.instructions.get("init")) if r.instructions.get("init") else "-",
                      f"{r.sizes.get('flash', 0):,}", f"{r.sizes.get('arena_used', 0):,}",
                      *((fmt_count(tflm.reference), fmt_count(tflm.cmsis_nn), fmt_count(tflm.init))
                        if tflm else ("", "", "")),
                      r.status.value)
    console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
