"""What the simulators need from a firmware ELF: its architecture and a few
symbol addresses (inputs region, marker functions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from tfm_ci.statcache import StatCache

#: The six profiler marker functions (firmware/include/tfm/profiler.h).
MARKERS: tuple[str, ...] = (
    "init_begin", "init_end", "invoke_begin", "invoke_end", "op_begin", "op_end",
)
INPUTS_SYMBOL = "tfm_inputs_region"


@dataclass(frozen=True)
class Symbol:
    address: int   # code addresses without the Thumb bit
    size: int


@dataclass(frozen=True)
class ElfInfo:
    machine: str                  # pyelftools e_machine, e.g. "EM_ARM", "EM_RISCV"
    symbols: Mapping[str, Symbol]           # read-only: one ElfInfo serves every caller

    @property
    def is_arm(self) -> bool:
        return self.machine == "EM_ARM"

    def markers(self) -> dict[str, int]:
        """Marker name ("op_begin") -> address of its first instruction."""
        return {name: self.symbols[f"tfm_marker_{name}"].address for name in MARKERS
                if f"tfm_marker_{name}" in self.symbols}

    def inputs_region(self) -> Symbol | None:
        return self.symbols.get(INPUTS_SYMBOL)


def read_elf(path: Path) -> ElfInfo:
    """The architecture and the global/local symbols with an address.

    Read once per file state: each job of a fleet asks for its image's symbols
    (twice: the request and the QEMU command), and parsing a symbol table with
    pyelftools costs milliseconds; a rewritten ELF is read afresh
    (:mod:`tfm_ci.statcache`)."""
    return _ELF_INFO.get(path)


def _read_elf(path: Path) -> ElfInfo:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        machine = elf.header["e_machine"]
        symbols: dict[str, Symbol] = {}
        for section in elf.iter_sections():
            if not isinstance(section, SymbolTableSection):
                continue
            for sym in section.iter_symbols():
                if not sym.name or sym["st_shndx"] == "SHN_UNDEF":
                    continue
                value = sym["st_value"]
                if machine == "EM_ARM" and sym["st_info"]["type"] == "STT_FUNC":
                    value &= ~1   # Thumb bit: the instruction address is even
                symbols.setdefault(sym.name, Symbol(value, sym["st_size"]))
    return ElfInfo(machine, MappingProxyType(symbols))


_ELF_INFO: StatCache[ElfInfo] = StatCache(_read_elf, maxsize=256)
