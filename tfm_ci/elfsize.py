"""Section sizes of a firmware ELF (pyelftools), as the budgets count them.

- flash: every ALLOC section with contents (text, rodata, vectors, ARM.exidx,
  and .data's load image);
- static RAM: writable ALLOC sections (.data + .bss + ...) except the NOLOAD
  regions accounted separately: .tfm_arena (arena *used* comes from the
  transcript), .tfm_inputs (test fixture) and .stack (stack *used* comes from
  the transcript).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from pathlib import Path

from elftools.elf.constants import SH_FLAGS
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from tfm_ci.statcache import StatCache

SEPARATE = {".tfm_arena": "arena", ".tfm_inputs": "inputs", ".stack": "stack"}


@dataclass
class SectionSizes:
    flash: int = 0
    static_ram: int = 0
    arena: int = 0            # reserved arena (the section), not what the model uses
    inputs: int = 0
    stack: int = 0
    sections: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def section_sizes(elf: Path) -> SectionSizes:
    """Flash / static RAM / arena / inputs / stack sizes of the ELF (a fresh copy;
    read once per file state, :mod:`tfm_ci.statcache`)."""
    return copy.deepcopy(_SIZES.get(elf))


def _section_sizes(elf: Path) -> SectionSizes:
    out = SectionSizes()
    with open(elf, "rb") as f:
        for sec in ELFFile(f).iter_sections():
            flags = sec["sh_flags"]
            if not flags & SH_FLAGS.SHF_ALLOC or sec["sh_size"] == 0:
                continue
            size = int(sec["sh_size"])
            out.sections[sec.name] = size
            if sec.name in SEPARATE:
                setattr(out, SEPARATE[sec.name], size)
                continue
            if sec["sh_type"] != "SHT_NOBITS":
                out.flash += size
            if flags & SH_FLAGS.SHF_WRITE:
                out.static_ram += size
    return out


_SIZES: StatCache[SectionSizes] = StatCache(_section_sizes, maxsize=256)


def symbol_address(elf: Path, name: str) -> int | None:
    """Address of a symbol (Thumb bit cleared for functions), or None."""
    with open(elf, "rb") as f:
        ef = ELFFile(f)
        for sec in ef.iter_sections():
            if not isinstance(sec, SymbolTableSection):
                continue
            syms = sec.get_symbol_by_name(name)
            if syms:
                value = int(syms[0]["st_value"])
                if ef["e_machine"] == "EM_ARM" and syms[0]["st_info"]["type"] == "STT_FUNC":
                    value &= ~1
                return value
    return None
