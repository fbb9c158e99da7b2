"""Board descriptions: the built-in boards load; schema errors name file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.boards import BoardError, load_board, load_boards, platforms_dirs
from tfm_ci.units import parse_count, parse_size

from .conftest import AN386_MEMORY_AND_UART, write_board

GOOD = """
name = "{name}"
platform = "arm"
core = "cortex-m4f"
ports = ["cortex-m", "cmsdk-uart"]
stack_size = "4KiB"
[budget]
flash = "1MiB"
ram = "256KiB"
""" + AN386_MEMORY_AND_UART + """[simulators.qemu]
machine = "mps2-an386"
"""


def _write(tmp_path: Path, text: str, name: str = "b1") -> Path:
    return write_board(tmp_path / name, text.replace("{name}", name))


def test_builtin_boards_load() -> None:
    arm = {b.name: b for b in load_boards("arm")}
    assert {"mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547", "netduinoplus2",
            "m4-256k"} <= set(arm)
    nd = arm["netduinoplus2"]
    assert nd.region("flash").origin == 0x08000000 and nd.ram_budget == 128 * 1024
    assert nd.inputs_region == "sram-top" and nd.region("sram-top").origin == 0x20020000
    assert nd.uart == {"kind": "stm32-usart", "base": 0x40011000}
    assert arm["mps3-an547"].region("flash").origin == 0x10000000
    assert arm["m4-256k"].simulators["qemu"]["machine"] == "mps2-an386"
    assert arm["m4-256k"].ram_budget == 256 * 1024
    (rv,) = load_boards("riscv")
    assert rv.region("flash").origin == 0x80000000 and rv.uart["kind"] == "ns16550"
    (host,) = load_boards("host")
    assert host.app == "runner" and "native" in host.simulators


def test_defaults(tmp_path: Path) -> None:
    board = load_board(_write(tmp_path, GOOD))
    assert board.app == "embedded" and board.inputs_capacity == 256 * 1024
    assert board.description == "" and board.isa_features == () and board.cflags == ()
    assert board.stack_size == 4096 and board.linker_script is None


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t.replace('core = "cortex-m4f"\n', ""), r"field 'core': required"),
    (lambda t: t.replace('kind = "cmsdk"', 'kind = 7'), r"field 'uart.kind': expected a string"),
    (lambda t: 'isa_features = ["armv7e-m", "neon"]\n' + t,
     r"field 'isa_features': unknown \['neon'\] \(known: armv6-m, "),
    (lambda t: 'cflags = ["-DTFM_UART_BASE=0x40004000"]\n' + t,
     r"field 'cflags': '-DTFM_UART_BASE=0x40004000': TFM_UART_BASE is derived from "
     r"\[uart\] base; state it there only"),
    (lambda t: t.replace('ram = "256KiB"', 'ram = "lots"'), r"field 'budget.ram': not a size"),
    (lambda t: t.replace('stack_size = "4KiB"', 'stack_size = "4Kb!"'),
     r"field 'stack_size': not a size"),
    (lambda t: 'app = "linux"\n' + t, r"field 'app': 'linux' is not one of embedded, runner"),
    (lambda t: "colour = 'red'\n" + t, r"unknown fields \['colour'\]"),
    (lambda t: t.replace('name = "ram"', 'name = "sram"'),
     r"field 'memory': an embedded board needs a region named 'ram'"),
    (lambda t: t.replace("base = 0x40004000\n", ""),
     r"field 'uart.base': required for an embedded board \(uart kind 'cmsdk'\)"),
    (lambda t: t.replace('ports = ["cortex-m", "cmsdk-uart"]', 'ports = "cortex-m"'),
     r"field 'ports': expected a list of strings"),
    (lambda t: t.replace('[simulators.qemu]\nmachine = "mps2-an386"\n', ""),
     r"field 'simulators': required"),
    (lambda t: t.replace("[[memory]]\nname = \"ram\"", "[[memory]]\nname = \"flash\""),
     r"field 'memory\[1\].name': duplicate region 'flash'"),
])
def test_schema_errors_name_file_and_field(tmp_path: Path, edit, message: str) -> None:
    path = _write(tmp_path, edit(GOOD))
    with pytest.raises(BoardError, match=message) as info:
        load_board(path)
    assert str(path) in str(info.value)


def test_name_must_match_folder(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('name = "{name}"', 'name = "other"'))
    with pytest.raises(BoardError, match="'other' must equal the folder name 'b1'"):
        load_board(path)


def test_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(BoardError, match="not valid TOML"):
        load_board(_write(tmp_path, "name = \n"))


def test_extra_platform_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, GOOD, "extra-board")
    monkeypatch.setenv("TFM_CI_PLATFORMS_PATH", str(tmp_path))
    assert tmp_path in platforms_dirs()
    assert "extra-board" in {b.name for b in load_boards("arm")}


def test_sizes_and_counts() -> None:
    assert parse_size("64KiB") == 65536 and parse_size("1MiB") == 1 << 20
    assert parse_size("512B") == 512 and parse_size(100) == 100 and parse_size("2MB") == 2_000_000
    assert parse_size("0x1000") == 4096 and parse_size("1.5KiB") == 1536
    assert parse_count("2M") == 2_000_000 and parse_count("500K") == 500_000
    for bad in ("", "12 parsecs", "-1", "1.3B"):
        with pytest.raises(ValueError):
            parse_size(bad)
