"""Instructions per invoke and arena of the recurrent demo models on every board.

    .venv/bin/python benchmarks/recurrent.py [--board B ...] [--set K ...] [--model M ...]

The models of tfm_ci/demo/recurrent.py (kws_lstm: one 49-frame utterance per invoke, 2
invokes; svdf_stack: one frame per invoke, 10 invokes), one job per (model, board, kernel
set the board offers); every job must PASS (bit-exact with TFLite's reference kernels).
Printed: the costliest invocation's instructions (exact, QEMU TCG plugin; the host runner
counts none), the ratio to the reference set on that board, flash, arena used.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.table import Table
from yardstick import invoke_instructions

from tfm_ci.cli import console
from tfm_ci.demo import recurrent
from tfm_ci.fleet import run_fleet
from tfm_ci.job import JobSpec, Status
from tfm_ci.registry import Registry
from tfm_ci.units import fmt_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", dest="boards", action="append")
    parser.add_argument("--set", dest="sets", action="append", help="kernel sets (default all)")
    parser.add_argument("--model", dest="models", action="append",
                        choices=sorted(recurrent.MODELS))
    args = parser.parse_args(argv)
    registry = Registry.load()
    models = {n: recurrent.MODELS[n]() for n in args.models or sorted(recurrent.MODELS)}
    jobs: list[tuple[str, str, str]] = []
    for board in args.boards or sorted(registry.boards):
        offered = [k.name for k in registry.kernel_sets(registry.board(board))]
        jobs += [(m, board, k) for m in models for k in offered
                 if not args.sets or k in args.sets or k == "reference"]
    with tempfile.TemporaryDirectory() as scratch:
        paths = {}
        for name, m in models.items():
            paths[name] = Path(scratch) / f"{name}.tflite"
            paths[name].write_bytes(m.model)
        specs = [JobSpec(model=str(paths[m]), board=b, kernel_set=k, inputs=models[m].inputs,
                         timeout=900) for m, b, k in jobs]
        records = run_fleet(specs, registry)
    by_job = dict(zip(jobs, records, strict=True))
    table = Table(title="Recurrent demo models: instructions per invoke (costliest of the "
                        "invocations) and arena")
    for column in ("model", "board", "set", "invokes", "instructions", "vs reference",
                   "flash", "arena", "status"):
        table.add_column(column, justify="left" if column in ("model", "board", "set", "status")
                         else "right")
    failed = 0
    for model, board, kset in jobs:
        rec, ref = by_job[(model, board, kset)], by_job[(model, board, "reference")]
        ok = rec.status is Status.PASS
        failed += not ok
        n, r = invoke_instructions(rec), invoke_instructions(ref)
        table.add_row(model, board, kset, str(rec.invocations), fmt_count(n) if n else "-",
                      f"{n / r:.2f}x" if n and r else "-",
                      fmt_count(rec.sizes.get("flash") or 0),
                      fmt_count(rec.sizes.get("arena_used") or 0),
                      "PASS" if ok else f"{rec.status.value}: {rec.reason[:60]}")
    console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
