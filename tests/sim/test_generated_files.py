"""Checked-in generated files (linker scripts, Renode platforms) match their
generators, and carry each board's addresses and sizes."""

from __future__ import annotations

import importlib.util
import re

import pytest

from tests.sim.fwbuild import REPO


def _linker_module():
    path = REPO / "firmware" / "ports" / "linker_script.py"
    spec = importlib.util.spec_from_file_location("tfm_linker_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def embedded_boards(registry):
    return [b for b in registry.boards.values() if b.app == "embedded"]


def test_builtin_linker_scripts_are_derived_from_board_data(registry, tmp_path):
    """The memory map is said once (board.toml): the build renders the script from it."""
    from tfm_ci.build import linker_script
    from tfm_ci.pluginmanager import BUILTIN_PLUGINS

    linker = _linker_module()
    boards = [b for b in embedded_boards(registry)
              if registry.owners[f"board:{b.name}"] in BUILTIN_PLUGINS]
    assert len(boards) >= 6
    for board in boards:
        assert board.linker_script is None, board.name
        assert not (board.directory / "linker.ld").exists(), f"{board.name}: stale linker.ld"
        assert linker_script(board, tmp_path).read_text() == linker.render(board)


def test_linker_script_places_regions_and_stack(registry):
    linker = _linker_module()
    for board in embedded_boards(registry):
        text = linker.render(board)
        for region in board.memory:
            name = linker.region_symbol(region.name)
            assert re.search(rf"{name} \(rwx\) : ORIGIN = 0x{region.origin:08X}, "
                             rf"LENGTH = {region.length}\b", text), (board.name, region)
        assert f"__stack_size = {board.stack_size};" in text
        inputs = re.search(r"\.tfm_inputs \(NOLOAD\).*?> (\w+)", text, re.S)
        assert inputs and inputs.group(1) == linker.region_symbol(board.inputs_region)
        for symbol in ("__data_load", "__data_start", "__data_end", "__bss_start",
                       "__bss_end", "__stack_bottom", "__stack_top"):
            assert symbol in text


def test_missing_ram_region_is_a_clear_error(registry):
    import dataclasses

    linker = _linker_module()
    board = registry.board("mps2-an386")
    broken = dataclasses.replace(board, memory=tuple(r for r in board.memory if r.name != "ram"))
    with pytest.raises(linker.LinkerScriptError, match="memory region 'ram'"):
        linker.render(broken)


def test_renode_platforms_match_and_describe_the_board(registry):
    from tfm_ci.plugins.renode import platform_files

    boards = [b for b in registry.boards.values() if "renode" in b.simulators]
    assert len(boards) >= 6
    for board in boards:
        text = platform_files.render_repl(board)
        path = platform_files.repl_path(board)
        assert path.is_file() and path.read_text() == text, f"{path} missing or stale"
        assert f'cpuType: "{board.simulators["renode"]["cpu_type"]}"' in text
        for region in board.memory:
            name = platform_files.peripheral_name(region.name)
            assert (f"{name}: Memory.MappedMemory @ sysbus 0x{region.origin:08X}\n"
                    f"    size: 0x{region.length:08X}") in text
        model = platform_files.UART_MODELS[str(board.uart["kind"])]
        assert f"uart0: {model} @ sysbus 0x{int(board.uart['base']):08X}" in text
        if platform_files.family(board) == "cortex-m":
            assert "IRQControllers.NVIC @ sysbus 0xE000E000" in text
        else:
            assert "CPU.RiscV32" in text and "CoreLevelInterruptor" in text


def test_renode_script_loads_inputs_and_quits_on_exit(registry, tmp_path):
    from tfm_ci.plugins.renode import platform_files

    board = registry.board("mps2-an386")
    text = platform_files.render_resc(
        board, repl=tmp_path / "r.repl", elf=tmp_path / "fw.elf", inputs=tmp_path / "in.bin",
        inputs_address=0x20001000, vector_table=0, standalone=True,
        uart_log=tmp_path / "uart.log", marker_log=tmp_path / "m.log",
        markers={"op_begin": 0x1234}, exit_address=0x2000, exit_file=tmp_path / "exit")
    assert f"sysbus LoadBinary @{tmp_path / 'in.bin'} 0x20001000" in text
    assert "cpu AddHook 0x00001234" in text and "self.ExecutedInstructions" in text
    assert "GetRegisterUnsafe(0)" in text and "monitor.Parse('quit')" in text
    assert text.rstrip().endswith("start")
    setup = platform_files.render_resc(
        board, repl=tmp_path / "r.repl", elf=tmp_path / "fw.elf", inputs=None,
        inputs_address=None, vector_table=None, standalone=False)
    commands = [line for line in setup.splitlines() if not line.startswith("#")]
    assert "start" not in commands and not any("AddHook" in c for c in commands)


def test_renode_unavailable_reason_when_not_installed(monkeypatch):
    from tfm_ci.plugins.renode.simulator import NOT_INSTALLED, RenodeSimulator

    monkeypatch.setenv("PATH", "/nonexistent")
    assert RenodeSimulator().unavailable_reason() == NOT_INSTALLED


def test_renode_prepare_and_robot_suite_from_a_real_elf(registry, sim_build_dir, tmp_path):
    from tests.sim.test_ports import build_probe, write_inputs
    from tfm_ci.elfinfo import read_elf
    from tfm_ci.plugins.renode.simulator import RenodeSimulator
    from tfm_ci.simrun import make_request

    board, elf = build_probe(registry, "netduinoplus2", sim_build_dir)
    write_inputs(tmp_path, 1, b"\x07")
    sim = RenodeSimulator()
    request = make_request(elf, board, workdir=tmp_path, timeout=30,
                           inputs=(tmp_path / "inputs.bin").read_bytes())
    resc = sim.prepare(request).read_text()
    info = read_elf(elf)
    region = info.inputs_region()
    assert region is not None
    assert f"0x{region.address:08X}" in resc
    assert f"cpu VectorTableOffset 0x{info.symbols['tfm_vector_table'].address:08X}" in resc
    assert f"cpu AddHook 0x{info.symbols['tfm_port_exit'].address:08X}" in resc
    assert resc.count("ExecutedInstructions") == 6
    suite = sim.write_robot_suite(elf, board, workdir=tmp_path, timeout=30).read_text()
    assert "Wait For Line On Uart" not in suite   # lives in the resource
    assert "Run TFM Firmware" in suite and "setup.resc" in suite
    resource = (REPO / "tfm_ci" / "plugins" / "renode" / "tfm_renode.resource").read_text()
    assert "Wait For Line On Uart    TFM END PASS" in resource
