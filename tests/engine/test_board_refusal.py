"""Boards are checked when loaded: core flags, UART kind, each simulator's own settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.api import Platform, builtin_toolchain, hookimpl, load_boards
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.pluginmanager import make_plugin_manager
from tfm_ci.registry import BoardRefusedError, Registry

from .conftest import AN386_MEMORY_AND_UART, write_board

BOARD = '''
name = "{name}"
platform = "vendor"
core = "{core}"
ports = ["cortex-m", "cmsdk-uart"]
[budget]
flash = "512KiB"
ram = "96KiB"
''' + AN386_MEMORY_AND_UART + '''[simulators.qemu]
{qemu}
'''


class VendorPlugin:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @hookimpl
    def tfm_platforms(self):
        return [Platform("vendor", builtin_toolchain("arm-none-eabi-gcc"),
                         load_boards("vendor", [self.folder]), uart_kinds=("cmsdk",))]


def _registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **boards: tuple) -> Registry:
    monkeypatch.delenv("TFM_CI_DISABLE_PLUGINS", raising=False)
    for name, (core, qemu, uart) in boards.items():
        text = BOARD.format(name=name, core=core, qemu=qemu)
        write_board(tmp_path / name, text.replace('kind = "cmsdk"', f'kind = "{uart}"'))
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(VendorPlugin(tmp_path), name="vendor")
    return Registry.load(pm)


def test_bad_boards_are_refused_at_load_naming_board_and_key(tmp_path, monkeypatch) -> None:
    reg = _registry(tmp_path, monkeypatch,
                    good=("cortex-m4f", 'machine = "mps2-an386"', "cmsdk"),
                    m85=("cortex-m85", 'machine = "mps2-an386"', "cmsdk"),
                    pl011=("cortex-m4f", 'machine = "mps2-an386"', "pl011"),
                    nomachine=("cortex-m4f", 'program = "qemu-system-arm"', "cmsdk"),
                    badargs=("cortex-m4f", 'machine = "mps2-an386"\nargs = "-s"', "cmsdk"),
                    typo=("cortex-m4f", 'machine = "mps2-an386"\nmachnie = "x"', "cmsdk"))
    assert "good" in reg.boards
    assert reg.refused["m85"] == (
        "board m85: toolchain arm-none-eabi-gcc has no flags for core 'cortex-m85' (it knows: "
        "cortex-m0plus, cortex-m3, cortex-m33, cortex-m4, cortex-m4f, cortex-m55, cortex-m7)")
    assert reg.refused["pl011"].startswith(
        "board pl011: uart.kind 'pl011' is not driven by platform vendor's ports (known: cmsdk)")
    assert reg.refused["nomachine"].startswith("board nomachine: [simulators.qemu] machine: "
                                               "required")
    assert reg.refused["badargs"] == ("board badargs: [simulators.qemu] args: expected a list "
                                      "of strings, got '-s'")
    assert reg.refused["typo"].startswith("board typo: [simulators.qemu] machnie: unknown key")
    # the refusals are plugin errors (shown by `tfm-ci boards/plugins/doctor`)
    assert {e.plugin for e in reg.errors if e.stage == "board"} == {"vendor"}
    with pytest.raises(BoardRefusedError, match=r"board m85 was refused when loaded: .*cortex-m85"):
        reg.board("m85")


def test_job_on_a_refused_board_is_a_config_error_not_a_traceback(tmp_path, monkeypatch,
                                                                   sine_model) -> None:
    reg = _registry(tmp_path, monkeypatch, m85=("cortex-m85", 'machine = "mps2-an386"', "cmsdk"))
    rec = run_job(JobSpec(model=str(sine_model), board="m85"), reg)
    assert rec.status is Status.ERROR and rec.category == "config"
    assert "no flags for core 'cortex-m85'" in rec.reason and not rec.errors


def test_builtin_toolchain_lookup() -> None:
    assert builtin_toolchain("arm-none-eabi-gcc").cc == "arm-none-eabi-gcc"
    assert builtin_toolchain("riscv64-unknown-elf-gcc").name == "riscv64-unknown-elf-gcc"
    with pytest.raises(LookupError, match="no built-in toolchain 'iar' \\(known: arm-none"):
        builtin_toolchain("iar")
    base = builtin_toolchain("arm-none-eabi-gcc")
    acme = base.extended("acme", common_flags=("-DX=1",))
    assert acme.name == "acme" and acme.core_flags == base.core_flags
    assert acme.flags_for("cortex-m4f") == (*base.common_flags, "-DX=1",
                                            *base.core_flags["cortex-m4f"])
    assert builtin_toolchain("arm-none-eabi-gcc").name == "arm-none-eabi-gcc"   # unchanged


class OldStyleSimulator:
    name = "old"

    def unavailable_reason(self):
        return None

    def can_run(self, board):
        return True

    def validate(self, board):
        pass

    def run(self, elf, board, *, timeout, workdir, count_instructions=True):
        raise AssertionError("never called")


class NoValidate:
    name = "novalidate"

    def unavailable_reason(self):
        return None

    def can_run(self, board):
        return True

    def run(self, request):
        raise AssertionError("never called")


class SimPlugin:
    @hookimpl
    def tfm_simulators(self):
        return [OldStyleSimulator(), NoValidate()]


def test_backends_breaking_the_contract_are_reported(monkeypatch) -> None:
    monkeypatch.delenv("TFM_CI_DISABLE_PLUGINS", raising=False)
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(SimPlugin(), name="sims")
    reg = Registry.load(pm)
    assert "old" not in reg.simulators and "novalidate" not in reg.simulators
    texts = [e.error for e in reg.errors if e.plugin == "sims"]
    assert any("must take one SimRequest" in t and "OldStyleSimulator" in t for t in texts)
    assert any("missing method(s) validate" in t for t in texts)
    assert {"qemu", "native", "renode"} <= set(reg.simulators)
