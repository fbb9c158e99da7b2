"""Measuring an image the board's memory map cannot hold.

When the linker reports that a region overflowed (a 2 MiB model in 1 MiB of flash,
a 5 MiB arena in 4 MiB of RAM), the same objects are linked again with a relaxed
memory map: every MEMORY region of the board's own linker script gets an equal,
large share of the 32-bit address space, sections and their order unchanged. The
ELF of that link is only measured (its addresses are not the board's), so the
budgets can say how far over they are, with the same accounting as a normal build
(:mod:`tfm_ci.elfsize`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tfm_ci import budgets
from tfm_ci.elfsize import SectionSizes, section_sizes
from tfm_ci.platform import Board, Toolchain

_DETECT = re.compile(r"overflowed by \d+ bytes|will not fit in region")
_REGION_OVERFLOW = re.compile(r"region `([^']+)' overflowed by (\d+) bytes")
_REGION = re.compile(r"^(\s*\w+\s*(?:\([^)]*\))?\s*:\s*ORIGIN\s*=\s*)[^,]+(,\s*LENGTH\s*=\s*)\S+",
                     re.MULTILINE)


@dataclass
class Fit:
    sizes: SectionSizes
    checks: list[budgets.BudgetCheck]


def overflowed(log: str) -> bool:
    """Whether a failed link's output says a memory region overflowed."""
    return bool(_DETECT.search(log))


def linker_lines(log: str) -> str:
    """The linker's overflow facts, e.g. "region `FLASH' overflowed by 1,080,100 B"."""
    facts = dict.fromkeys(f"region {name} overflowed by {int(n):,} B"
                          for name, n in _REGION_OVERFLOW.findall(log))
    return "; ".join(facts) or "a memory region overflowed"


def relaxed_script(text: str) -> str:
    """The linker script with each MEMORY region given its own equal share of the 32-bit
    address space (for measuring only)."""
    block = re.search(r"MEMORY\s*\{(.*?)\}", text, re.DOTALL)
    if block is None:
        raise ValueError("linker script has no MEMORY block")
    count = len(_REGION.findall(block.group(1)))
    if count == 0:
        raise ValueError("linker script MEMORY block lists no regions")
    slot = 1 << (32 - max(1, math.ceil(math.log2(count))))
    index = iter(range(count))

    def widen(m: re.Match[str]) -> str:
        return f"{m.group(1)}{next(index) * slot:#x}{m.group(2)}{slot - 4096:#x}"

    body = _REGION.sub(widen, block.group(1))
    return text[:block.start(1)] + body + text[block.end(1):]


def measure(board: Board, toolchain: Toolchain, objs: list[Path], script: Path, folder: Path,
            run: Callable[[list[str]], None]) -> Fit:
    """Link `objs` with the relaxed form of `script` in `folder` (`run` runs the command,
    raising on failure) and check the board budgets on the sizes: RAM counts the reserved
    arena and stack, as the image asks for them."""
    relaxed = folder / "relaxed.ld"
    relaxed.write_text(relaxed_script(script.read_text()))
    elf = folder / "relaxed.elf"
    run([toolchain.cc, *toolchain.flags_for(board.core), *toolchain.link_flags, f"-T{relaxed}",
         *map(str, objs), *toolchain.libs, "-o", str(elf)])
    sizes = section_sizes(elf)
    checks = budgets.check(board.name, board.flash_budget, board.ram_budget, budgets.Measures(
        flash=sizes.flash, static_ram=sizes.static_ram, arena_used=sizes.arena,
        stack_used=sizes.stack or board.stack_size))
    return Fit(sizes, checks)
