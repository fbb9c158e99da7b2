"""A small direct compile helper for port tests: ports + given sources -> ELF.

Uses the board platform's toolchain (flags per core, link flags, libs) and
the board's linker script, like the engine's build, but without caching or
model handling, so port tests do not depend on the interpreter.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tfm_ci.boards import derived_defines
from tfm_ci.build import linker_script
from tfm_ci.platform import Board, Toolchain

REPO = Path(__file__).resolve().parents[2]
FIRMWARE = REPO / "firmware"


def port_sources(board: Board) -> list[Path]:
    sources: list[Path] = []
    for port in board.ports:
        folder = FIRMWARE / "ports" / port
        sources += sorted(folder.glob("*.c")) + sorted(folder.glob("*.S"))
    return sources


def compile_elf(board: Board, toolchain: Toolchain, sources: list[Path], out: Path,
                defines: tuple[str, ...] = ()) -> Path:
    """Compile and link in one compiler call; raise with the compiler's output on error."""
    out.parent.mkdir(parents=True, exist_ok=True)
    script = linker_script(board, out.parent / "gen")   # the board's own, or rendered
    cmd = [toolchain.cc, *toolchain.flags_for(board.core), *derived_defines(board), *board.cflags,
           *[f"-D{d}" for d in defines],
           f"-I{FIRMWARE / 'include'}", f"-I{FIRMWARE / 'app'}", f"-I{FIRMWARE / 'kernels'}",
           *[str(s) for s in port_sources(board) + sources],
           *toolchain.link_flags, f"-T{script}", *toolchain.libs, "-o", str(out)]
    proc = subprocess.run(["nice", *cmd], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"compile failed for {board.name}:\n{' '.join(cmd)}\n{proc.stderr}")
    return out
