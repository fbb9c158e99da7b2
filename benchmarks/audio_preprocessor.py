"""The shared audio preprocessors (TFLM Signal ops) on boards: instructions per 30 ms
frame over a real clip, arena and flash from the job record, next to TFLM's figures.

    .venv/bin/python benchmarks/audio_preprocessor.py                       # every simulated board
    .venv/bin/python benchmarks/audio_preprocessor.py --board mps2-an386 --clip no

TFLM (brief / yardstick, mps2-an386 Cortex-M4F): about 110K instructions per frame; arena
8,448 B (int8) / 7,968 B (float). TFLM's x86-64 arena is measured here with the
tflite-micro package. Every job also checks the 49 frames bit-exact against TFLM.
"""

from __future__ import annotations

import argparse
import sys
import wave

import numpy as np
from rich.console import Console
from rich.table import Table

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.registry import Registry
from tfm_ci.tflm_reference import arena_total

TFLM_M4_ARENA = {"int8": 8_448, "float": 7_968}
TFLM_M4_INSTRUCTIONS_PER_FRAME = 110_000
BOARDS = ("host", "m4-256k", "mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547",
          "netduinoplus2", "riscv32-virt")


def frames(clip: str) -> np.ndarray:
    path = shared_models_dir() / "micro_speech" / "testdata" / f"{clip}_1000ms.wav"
    with wave.open(str(path)) as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    return np.stack([audio[i * 320:i * 320 + 480] for i in range(49)]).reshape(49, 1, 480)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--board", action="append", help="default: every built-in board")
    ap.add_argument("--clip", default="yes")
    args = ap.parse_args(argv)
    registry = Registry.load()
    audio = frames(args.clip)
    table = Table(title=f"audio preprocessors, clip '{args.clip}' (49 frames)")
    for col in ("board", "model", "match TFLM", "instr/frame mean", "max", "vs TFLM 110K",
                "top op", "arena B", "TFLM arena B", "flash B"):
        table.add_column(col)
    ok = True
    for board in args.board or BOARDS:
        for kind in ("int8", "float"):
            model = shared_models_dir() / "micro_speech" / f"audio_preprocessor_{kind}.tflite"
            rec = run_job(JobSpec(model=str(model), board=board, inputs=[audio], timeout=300),
                          registry)
            ok &= rec.status is Status.PASS
            per = rec.instructions.get("invocations") or []
            counted = rec.instructions.get("unit") == "instructions" and per
            # the costliest op, averaged over the frames
            totals: dict[str, int] = {}
            for o in rec.instructions.get("ops") or []:
                key = f"{o['op_index']} {o['op_name']}"
                totals[key] = totals.get(key, 0) + o["instructions"]
            top = max(totals.items(), key=lambda kv: kv[1], default=None) if counted else None
            tflm_arena = TFLM_M4_ARENA[kind] if board != "host" else arena_total(model)
            table.add_row(
                board, kind, "yes" if rec.comparison.get("match") else rec.status.value,
                f"{np.mean(per):,.0f}" if counted else "n/a",
                f"{max(per):,}" if counted else "n/a",
                f"{np.mean(per) / TFLM_M4_INSTRUCTIONS_PER_FRAME:.2f}x"
                if counted and board == "mps2-an386" else "",
                f"{top[0].split()[1]} {top[1] // len(per):,}" if top else "",
                f"{rec.sizes.get('arena_used', 0):,}",
                f"{tflm_arena:,}" + (" (x86-64)" if board == "host" else " (M4)"),
                f"{rec.sizes.get('flash', 0):,}")
    Console(width=200).print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
