"""Where the estimated cycles go, and what the estimate costs in QEMU run time.

    .venv/bin/python benchmarks/cycles.py [--board B] [--kernels SET] [--repeat N] [MODEL ...]

For each model (default: the shared person_detect) one job runs on the board;
its record's per-class totals (instructions and estimated cycles by timing
class, whole run) are printed, then the same firmware is run under QEMU
`--repeat` times in three ways: no plugin, the count plugin alone, the count
plugin with the cycle model. The best wall time of each is printed, with the
cycle model's overhead over the plain counter. Cycles are an estimate
(docs/cycle-model.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.table import Table

from tfm_ci import cycles
from tfm_ci.api import read_elf, run_process
from tfm_ci.cli import console
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.platform import Board
from tfm_ci.plugins.qemu import counting
from tfm_ci.plugins.qemu.simulator import QemuSimulator
from tfm_ci.registry import Registry
from tfm_ci.simrun import make_request


def class_table(rec: JobRecord) -> Table:
    classes = rec.simulation.get("cycle_classes") or {}
    insns = sum(n for n, _ in classes.values()) or 1
    total = sum(c for _, c in classes.values()) or 1
    table = Table(title=f"{Path(rec.model).stem} on {rec.board} ({rec.kernel_set}): "
                        "whole run by timing class")
    for column in ("class", "instructions", "share", "cycles (est.)", "share", "cyc/instr"):
        table.add_column(column, justify="left" if column == "class" else "right")
    for name, (n, c) in sorted(classes.items(), key=lambda kv: -kv[1][1]):
        table.add_row(name, f"{n:,}", f"{100 * n / insns:.1f}%", f"{c:,}",
                      f"{100 * c / total:.1f}%", f"{c / n:.2f}")
    table.caption = f"cycles (est.): {cycles.ASSUMPTIONS}"
    return table


def timings(rec: JobRecord, board: Board, repeat: int) -> dict[str, float]:
    """Best QEMU wall time (s) without a plugin, with the counter, with the cycle model."""
    elf, work = Path(rec.build["elf"]), Path(rec.simulation["work_dir"])
    request = make_request(elf, board, workdir=work, timeout=600,
                           inputs=(work / "inputs.bin").read_bytes(), count_instructions=False)
    base = QemuSimulator().command(request)
    library, markers = counting.plugin_library(), read_elf(elf).markers()
    log = work / "overhead.log"
    variants = {
        "no plugin": base,
        "count plugin": [*base, "-plugin", counting.plugin_argument(library, log, markers)],
        "count + cycles": [*base, "-plugin", counting.plugin_argument(
            library, log, markers, cycle_model=cycles.model_for_core(board.core))],
    }
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, cmd in variants.items():   # interleaved: machine load hits all alike
            proc = run_process(cmd, timeout=600, cwd=work)
            if proc.returncode != 0:
                raise RuntimeError(f"{name}: QEMU exited {proc.returncode}: {proc.stderr[-500:]}")
            best[name] = min(best.get(name, proc.seconds), proc.seconds)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", default="mps2-an386")
    parser.add_argument("--kernels", default="reference")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    registry = Registry.load()
    board = registry.board(args.board)
    models = args.models or sorted(shared_models_dir().glob("*/person_detect.tflite"))
    if not models:
        console().print("no model given and no shared person_detect.tflite found")
        return 1
    overhead = Table(title=f"QEMU run time on {board.name} ({args.kernels}), best of "
                           f"{args.repeat}")
    for column in ("model", "no plugin", "count plugin", "count + cycles", "cycles overhead"):
        overhead.add_column(column, justify="left" if column == "model" else "right")
    failed = 0
    for model in models:
        rec = run_job(JobSpec(model=str(model), board=board.name, kernel_set=args.kernels,
                              seed=1, timeout=600, keep=True), registry)
        if rec.status is not Status.PASS:
            console().print(f"{model}: {rec.status.value} {rec.reason}")
            failed += 1
            continue
        console().print(class_table(rec))
        best = timings(rec, board, args.repeat)
        extra = best["count + cycles"] / best["count plugin"] - 1
        overhead.add_row(model.stem, *(f"{best[k]:.2f} s" for k in
                                       ("no plugin", "count plugin", "count + cycles")),
                         f"{100 * extra:+.0f}%")
    console().print(overhead)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
