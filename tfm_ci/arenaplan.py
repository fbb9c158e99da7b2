"""The arena a model plans to, measured by the firmware itself: the host runner's allocate.

`tfm-runner --invocations 0 MODEL` runs init + allocate (the same runtime and
planner as every board) and prints its ``TFM ARENA`` line; no invoke runs. The
host has 64-bit pointers, so its tensor and node records are larger than a
32-bit board's: the figure is an upper bound for the boards.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tfm_ci.build import BuildError, build
from tfm_ci.registry import Registry, UnknownNameError
from tfm_ci.transcript import TranscriptError, parse

HOST_BOARD = "host"


@dataclass(frozen=True)
class ArenaPlan:
    total: int | None          # bytes, None when unknown
    head: int | None = None
    tail: int | None = None
    error: str = ""            # why unknown


def plan_arena(model: Path, registry: Registry, timeout: float = 60.0) -> ArenaPlan:
    try:
        board = registry.board(HOST_BOARD)
        platform = registry.platform_of(board)
        kset = registry.kernel_set(board, "reference")
        built = build(board, str(model), kset, toolchain=platform.toolchain)
    except (UnknownNameError, BuildError, OSError) as exc:
        return ArenaPlan(None, error=f"host runner unavailable: {str(exc).splitlines()[0]}")
    try:
        proc = subprocess.run([str(built.elf), "--invocations", "0", str(model)],
                              capture_output=True, text=True, errors="replace",
                              timeout=timeout, check=False)
        t = parse(proc.stdout[:1 << 20])
    except subprocess.TimeoutExpired:
        return ArenaPlan(None, error=f"allocate did not finish in {timeout:g} s")
    except (OSError, TranscriptError) as exc:
        return ArenaPlan(None, error=str(exc))
    if t.errors:
        status, message = t.errors[0]
        return ArenaPlan(None, error=f"allocate failed: {status} {message}")
    if "total" not in t.arena:
        return ArenaPlan(None, error=f"no ARENA line (exit code {proc.returncode})")
    return ArenaPlan(t.arena["total"], t.arena.get("head"), t.arena.get("tail"))
