"""Arena bytes per model: ours vs TensorFlow Lite Micro vs the lower bound.

    .venv/bin/python benchmarks/arena.py [MODEL.tflite ...]

Without arguments it measures every model in the shared models folder
(TFM_SHARED_MODELS, else ../shared/models) except the audio preprocessors,
plus the built-in demo models. Columns:
- lower bound: largest sum of simultaneously live activation bytes;
- ours x86-64 / TFLM x86-64: the host runner vs the tflite-micro package
  (both 64-bit builds, so pointer-sized records compare like for like);
- ours M4: measured on mps2-an386 (Cortex-M4F, QEMU) through the engine;
- TFLM M4: TFLM's figure on the same board, from our yardstick table
  (shared DESIGN.md: arm-none-eabi-gcc 12, -O2, QEMU), where known.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.table import Table
from yardstick import TFLM_M4, benchmark_models

from tfm_ci.cli import console
from tfm_ci.inspect import read_model
from tfm_ci.job import JobSpec, run_job
from tfm_ci.lifetimes import arena_lower_bound
from tfm_ci.registry import Registry
from tfm_ci.tflm_reference import arena_total


def job_arena(registry: Registry, model: Path, board: str) -> tuple[int | None, str]:
    record = run_job(JobSpec(model=str(model), board=board, timeout=300), registry)
    return record.sizes.get("arena_used"), record.status.value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    args = parser.parse_args(argv)
    registry = Registry.load()
    table = Table(title="Arena bytes (smaller is better)")
    for column in ("model", "lower bound", "ours x86-64", "TFLM x86-64", "ours M4", "TFLM M4",
                   "ours <= TFLM"):
        table.add_column(column, justify="left" if column == "model" else "right")
    worse = 0
    with tempfile.TemporaryDirectory() as scratch:
        for model in args.models or benchmark_models(Path(scratch)):
            bound = arena_lower_bound(read_model(model))
            host, host_status = job_arena(registry, model, "host")
            m4, m4_status = job_arena(registry, model, "mps2-an386")
            tflm_host = arena_total(model)
            tflm_m4 = TFLM_M4[model.stem].arena if model.stem in TFLM_M4 else None
            ok = host is not None and host <= tflm_host and (
                tflm_m4 is None or (m4 is not None and m4 <= tflm_m4))
            worse += not ok
            table.add_row(model.stem, f"{bound:,}",
                          f"{host:,}" if host is not None else host_status,
                          f"{tflm_host:,}",
                          f"{m4:,}" if m4 is not None else m4_status,
                          f"{tflm_m4:,}" if tflm_m4 else "-", "yes" if ok else "NO")
    console().print(table)
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())
