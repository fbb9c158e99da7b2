"""elfinfo's symbol tables, unpacked with struct, against pyelftools' own symbol parsing
(the oracle) on real firmware ELFs of both ISAs and on a 64-bit host executable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection

from tests.sim.test_ports import build_probe
from tfm_ci.elfinfo import _read_elf


def pyelftools_symbols(path: Path) -> tuple[str, dict[str, tuple[int, int]]]:
    with open(path, "rb") as f:
        elf = ELFFile(f)
        machine, symbols = elf.header["e_machine"], {}
        for section in elf.iter_sections():
            if not isinstance(section, SymbolTableSection):
                continue
            for sym in section.iter_symbols():
                if not sym.name or sym["st_shndx"] == "SHN_UNDEF":
                    continue
                value = sym["st_value"]
                if machine == "EM_ARM" and sym["st_info"]["type"] == "STT_FUNC":
                    value &= ~1
                symbols.setdefault(sym.name, (value, sym["st_size"]))
    return machine, symbols


def read(path: Path) -> tuple[str, dict[str, tuple[int, int]]]:
    info = _read_elf(path)
    return info.machine, {n: (s.address, s.size) for n, s in info.symbols.items()}


@pytest.mark.parametrize("board_name", ["mps2-an386", "riscv32-virt"])
def test_firmware_symbols_match_pyelftools(registry, sim_build_dir: Path, board_name: str) -> None:
    _, elf = build_probe(registry, board_name, sim_build_dir)
    machine, symbols = read(elf)
    assert (machine, symbols) == pyelftools_symbols(elf)
    assert len(symbols) > 20 and "tfm_inputs_region" in symbols
    if machine == "EM_ARM":     # Thumb functions: even addresses
        assert symbols["tfm_marker_invoke_begin"][0] % 2 == 0


def test_host_executable_symbols_match_pyelftools() -> None:
    found = shutil.which("ls")
    if found is None or Path(found).read_bytes()[:4] != b"\x7fELF":
        pytest.skip("needs an ELF `ls` as a sample 64-bit executable")
    assert read(Path(found)) == pyelftools_symbols(Path(found))


def test_a_name_table_cut_short_reads_as_pyelftools_does(registry, sim_build_dir: Path,
                                                          tmp_path: Path) -> None:
    """The last name without its terminating NUL (a damaged ELF): the rest of the table
    is that name, as pyelftools reads it, not an error."""
    _, elf = build_probe(registry, "mps2-an386", sim_build_dir)
    data = bytearray(elf.read_bytes())
    with open(elf, "rb") as f:
        parsed = ELFFile(f)
        symtab = parsed.get_section_by_name(".symtab")
        names = parsed.get_section(symtab["sh_link"])
        end = names["sh_offset"] + names["sh_size"] - 1
    assert data[end] == 0
    data[end] = ord("X")
    damaged = tmp_path / "damaged.elf"
    damaged.write_bytes(bytes(data))
    machine, symbols = read(damaged)
    assert (machine, symbols) == pyelftools_symbols(damaged)
    assert any(name.endswith("X") for name in symbols)
