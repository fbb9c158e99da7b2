"""What the simulators need from a firmware ELF: its architecture and a few
symbol addresses (inputs region, marker functions)."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from elftools.elf.elffile import ELFFile

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
    (twice: the request and the QEMU command); a rewritten ELF is read afresh
    (:mod:`tfm_ci.statcache`)."""
    return _ELF_INFO.get(path)


# Elf32_Sym / Elf64_Sym field orders (the ELF spec); st_info's low nibble is the type.
_SYM32, _SYM64 = "IIIBBH", "IBBHQQ"
_STT_FUNC, _SHN_UNDEF = 2, 0
_SYMBOL_TABLES = ("SHT_SYMTAB", "SHT_DYNSYM")


def _read_elf(path: Path) -> ElfInfo:
    """pyelftools reads the headers; the symbol tables are unpacked with `struct`, since
    pyelftools parses each symbol field by field (~40 us a symbol: 10-20 ms per image,
    once per distinct image in every process that runs it, e.g. each Dask worker)."""
    with open(path, "rb") as f:
        elf = ELFFile(f)
        machine = elf.header["e_machine"]
        wide = elf.elfclass == 64
        layout = struct.Struct(("<" if elf.little_endian else ">") + (_SYM64 if wide else _SYM32))
        symbols: dict[str, Symbol] = {}
        for section in elf.iter_sections():
            if section["sh_type"] not in _SYMBOL_TABLES:
                continue
            names = elf.get_section(section["sh_link"]).data()
            data, step = section.data(), section["sh_entsize"] or layout.size
            for offset in range(0, len(data) - layout.size + 1, step):
                fields = layout.unpack_from(data, offset)
                if wide:
                    name_at, info, _, shndx, value, size = fields
                else:
                    name_at, value, size, info, _, shndx = fields
                if not name_at or shndx == _SHN_UNDEF:
                    continue
                end = names.find(b"\0", name_at)   # -1: cut short, the rest is the name
                name = names[name_at:end if end >= 0 else None].decode("latin-1")
                if not name:
                    continue
                if machine == "EM_ARM" and info & 0xF == _STT_FUNC:
                    value &= ~1   # Thumb bit: the instruction address is even
                symbols.setdefault(name, Symbol(value, size))
    return ElfInfo(machine, MappingProxyType(symbols))


_ELF_INFO: StatCache[ElfInfo] = StatCache(_read_elf, maxsize=256)
