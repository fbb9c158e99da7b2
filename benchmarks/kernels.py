"""Instructions per invoke, reference vs arm-dsp kernels, counted exactly on QEMU,
with the estimated cycles beside them.

    .venv/bin/python benchmarks/kernels.py [--board B ...] [MODEL ...]

For every model and DSP board, one job per kernel set (same seeded random input, one
invocation); both must PASS (bit-exact with TFLite) and give identical outputs. TFLM's
figures on Cortex-M4 (mps2-an386, from the shared DESIGN.md yardstick) are shown beside
ours for that board. Cycles are an estimate (docs/cycle-model.md): the core's TRM
timings at zero wait states, no caches, no interrupts; "cyc/instr" is estimated
cycles over exact instructions (reference / arm-dsp).
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

BOARDS = ("mps2-an386", "mps2-an500", "mps3-an547")
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", dest="boards", action="append")
    args = parser.parse_args(argv)
    registry = Registry.load()
    with tempfile.TemporaryDirectory() as scratch:
        paths = args.models or benchmark_models(Path(scratch))
        pairs = [(m, b) for m in paths for b in (args.boards or BOARDS)]
        specs = [JobSpec(model=str(m), board=b, kernel_set=k, seed=1, timeout=600)
                 for m, b in pairs for k in ("reference", "arm-dsp")]
        records = run_fleet(specs, registry)
    table = Table(title="Instructions per invoke: reference vs arm-dsp (exact, QEMU TCG plugin)")
    for column in ("model", "board", "reference", "arm-dsp", "speed-up", "ref cycles (est.)",
                   "arm-dsp cycles (est.)", "cyc/instr", "TFLM ref", "TFLM CMSIS-NN",
                   "vs CMSIS-NN", "status"):
        table.add_column(column, justify="left" if column in ("model", "board") else "right")
    table.caption = f"cycles (est.): {cycles.ASSUMPTIONS}"
    failed = 0
    for (model, board), ref, dsp in zip(pairs, records[0::2], records[1::2], strict=True):
        stem = model.stem
        same = [o["data"] for o in ref.outputs] == [o["data"] for o in dsp.outputs]
        ok = ref.status is Status.PASS and dsp.status is Status.PASS and same
        failed += not ok
        r, d = invoke_instructions(ref), invoke_instructions(dsp)
        tflm = TFLM_M4.get(stem) if board == "mps2-an386" else None
        status = "PASS" if ok else f"{ref.status.value}/{dsp.status.value}" + (
            "" if same else " (outputs differ)")
        table.add_row(stem, board, fmt_count(r) if r else "-", fmt_count(d) if d else "-",
                      f"{r / d:.2f}x" if r and d else "-",
                      *(f"~{c:,}" if c else "-" for c in (invoke_cycles(ref), invoke_cycles(dsp))),
                      f"{cycles_per_instruction(ref)} / {cycles_per_instruction(dsp)}",
                      *((fmt_count(tflm.reference), fmt_count(tflm.cmsis_nn)) if tflm
                        else ("", "")),
                      f"{tflm.cmsis_nn / d:.2f}x" if tflm and d else "", status)
    console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
