"""Kernel set "opt" against "reference", with and without offline prep (exact QEMU counts).

    .venv/bin/python benchmarks/offline_prep.py [--board B ...] [MODEL ...]

For every model and board (default riscv32-virt and mps2-an385): the reference set, opt
with the build-time offline prep table (tfm_ci.offline_prep, the default) and opt without
it (TFM_CI_OFFLINE_PREP=0). Every job must PASS (bit-exact with TFLite, float within the
default tolerance) with the reference set's outputs. Printed: instructions per invoke and
the ratio to reference, init instructions (tfm_interpreter_init + allocate: the offline
table's model-hash check is in it), arena used, the flash the table adds over opt without
it, and the table's own bytes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from rich.table import Table
from yardstick import benchmark_models, invoke_instructions

from tfm_ci.cli import console
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.registry import Registry
from tfm_ci.units import fmt_count

BOARDS = ("riscv32-virt", "mps2-an385")
VARIANTS = (("reference", "reference", "1"), ("opt", "opt", "1"), ("opt-noprep", "opt", "0"))


def _run(registry: Registry, model: Path, board: str, kset: str, prep: str) -> JobRecord:
    old = os.environ.get("TFM_CI_OFFLINE_PREP")
    os.environ["TFM_CI_OFFLINE_PREP"] = prep
    try:
        return run_job(JobSpec(model=str(model), board=board, kernel_set=kset, seed=1,
                               timeout=900), registry)
    finally:
        if old is None:
            os.environ.pop("TFM_CI_OFFLINE_PREP", None)
        else:
            os.environ["TFM_CI_OFFLINE_PREP"] = old


def _ratio(a: int | None, b: int | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", dest="boards", action="append")
    args = parser.parse_args(argv)
    registry = Registry.load()
    table = Table(title="opt vs reference, with / without offline prep (exact instructions)")
    for column in ("model", "board", "reference", "opt", "vs ref", "opt no prep", "vs ref",
                   "init ref", "init opt", "init no prep", "arena ref", "arena opt",
                   "arena no prep", "flash +prep", "table B", "status"):
        table.add_column(column, justify="left" if column in ("model", "board", "status")
                         else "right")
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for model in args.models or benchmark_models(Path(scratch)):
            for board in args.boards or BOARDS:
                recs = {name: _run(registry, model, board, kset, prep)
                        for name, kset, prep in VARIANTS}
                ref_out = [o["data"] for o in recs["reference"].outputs]
                bad = [n for n, r in recs.items() if r.status is not Status.PASS
                       or (n != "reference" and not _close(r, recs["reference"], ref_out))]
                failed += bool(bad)
                n = {k: invoke_instructions(r) for k, r in recs.items()}
                init = {k: r.instructions.get("init") for k, r in recs.items()}
                arena = {k: r.sizes.get("arena_used") for k, r in recs.items()}
                flash = {k: r.sizes.get("flash") or 0 for k, r in recs.items()}
                prep = recs["opt"].build.get("offline_prep") or {}
                table.add_row(
                    model.stem, board, fmt_count(n["reference"] or 0), fmt_count(n["opt"] or 0),
                    _ratio(n["opt"], n["reference"]), fmt_count(n["opt-noprep"] or 0),
                    _ratio(n["opt-noprep"], n["reference"]),
                    *(fmt_count(init[k] or 0) for k in ("reference", "opt", "opt-noprep")),
                    *(fmt_count(arena[k] or 0) for k in ("reference", "opt", "opt-noprep")),
                    f"{flash['opt'] - flash['opt-noprep']:+,}",
                    fmt_count(prep.get("flash_bytes", 0)),
                    "PASS" if not bad else "FAIL: " + ", ".join(bad))
    console().print(table)
    return 1 if failed else 0


def _close(rec: JobRecord, ref: JobRecord, ref_out: list) -> bool:
    """Quantized outputs identical to the reference set's; float outputs both matched
    TFLite within the tolerance (the job's own comparison)."""
    if rec.comparison.get("match") is not True:
        return False
    floats = any(o.get("dtype", "").startswith("float") for o in rec.outputs)
    return floats or [o["data"] for o in rec.outputs] == ref_out


if __name__ == "__main__":
    sys.exit(main())
