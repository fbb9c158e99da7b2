"""Plugin manager and registry: built-ins, entry points, blocking, broken plugins."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tfm_ci.pluginmanager import BUILTIN_PLUGINS, make_plugin_manager
from tfm_ci.registry import Registry, UnknownNameError

from .conftest import AN386_MEMORY_AND_UART, write_board


def _module(tmp_path: Path, name: str, body: str) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body))


def _fake_distribution(tmp_path: Path, dist: str, eps: dict[str, str]) -> None:
    """A real (if minimal) installed distribution: importlib.metadata finds it on sys.path."""
    info = tmp_path / f"{dist}-1.0.dist-info"
    info.mkdir()
    info.joinpath("METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    lines = "\n".join(f"{k} = {v}" for k, v in eps.items())
    info.joinpath("entry_points.txt").write_text(f"[tfm_ci]\n{lines}\n")


VENDOR_PLUGIN = '''
    import tfm_ci
    from tfm_ci.boards import load_boards
    from tfm_ci.platform import KernelSet, Platform, Toolchain
    from pathlib import Path

    @tfm_ci.hookimpl
    def tfm_platforms():
        tc = Toolchain("vendor-gcc", "vendor-gcc", (), {"cortex-m4f": ()})
        boards = load_boards("vendor", [Path(__file__).parent / "vendor_boards"])
        return [Platform("vendor", tc, boards, (KernelSet("fast", "vendor kernels",
                                                          cores=("cortex-m4f",)),))]
'''

VENDOR_BOARD = '''
name = "vendor-board"
platform = "vendor"
core = "cortex-m4f"
ports = ["cortex-m", "cmsdk-uart"]
[budget]
flash = "512KiB"
ram = "96KiB"
''' + AN386_MEMORY_AND_UART + '''[simulators.qemu]
program = "qemu-system-arm"
machine = "mps2-an386"
'''


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("TFM_CI_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("TFM_CI_NO_AUTOLOAD", raising=False)
    return monkeypatch


def test_builtins_registered(clean_env: pytest.MonkeyPatch) -> None:
    pm = make_plugin_manager(load_entry_points=False)
    for name in ("tfm_host", "tfm_arm", "tfm_riscv"):
        assert pm.has_plugin(name), pm.errors
    registered = {n for n, p in pm.list_name_plugin() if p is not None}
    failed = {e.plugin for e in pm.errors}
    assert registered | failed == set(BUILTIN_PLUGINS)
    reg = Registry.load(pm)
    assert {"host", "arm", "riscv"} <= set(reg.platforms)
    assert reg.board("mps2-an386").platform == "arm"
    assert reg.kernel_set(reg.board("host")).name == "reference"


def test_entry_point_plugin_adds_a_vendor_board(tmp_path: Path,
                                                clean_env: pytest.MonkeyPatch) -> None:
    _module(tmp_path, "tfm_vendor_x", VENDOR_PLUGIN)
    write_board(tmp_path / "vendor_boards" / "vendor-board", VENDOR_BOARD)
    _fake_distribution(tmp_path, "tfm_vendor_x", {"vendor_x": "tfm_vendor_x"})
    clean_env.syspath_prepend(str(tmp_path))
    reg = Registry.load(make_plugin_manager())
    assert reg.pm.has_plugin("vendor_x")
    assert reg.pm.sources["vendor_x"] == "tfm_vendor_x 1.0"
    board = reg.board("vendor-board")
    assert board.ram_budget == 96 * 1024
    assert reg.kernel_set(board, "fast").name == "fast"
    # TFM_CI_NO_AUTOLOAD skips entry points
    clean_env.setenv("TFM_CI_NO_AUTOLOAD", "1")
    assert not make_plugin_manager().has_plugin("vendor_x")
    sys.modules.pop("tfm_vendor_x", None)


def test_blocked_plugin(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("TFM_CI_DISABLE_PLUGINS", "tfm_riscv, tfm_host")
    reg = Registry.load(make_plugin_manager(load_entry_points=False))
    assert not reg.pm.has_plugin("tfm_riscv") and reg.pm.is_blocked("tfm_riscv")
    assert "riscv" not in reg.platforms and "arm" in reg.platforms
    with pytest.raises(UnknownNameError, match=r"unknown board 'riscv32-virt' \(known: .*mps2"):
        reg.board("riscv32-virt")


def test_broken_plugins_are_isolated(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    _module(tmp_path, "tfm_broken_import", "raise RuntimeError('vendor SDK missing')\n")
    _module(tmp_path, "tfm_broken_hook", """
        import tfm_ci

        @tfm_ci.hookimpl
        def tfm_platforms():
            raise OSError("cannot read vendor boards")
    """)
    _module(tmp_path, "tfm_no_spec", """
        import tfm_ci

        @tfm_ci.hookimpl
        def tfm_not_a_hook():
            return 1
    """)
    _module(tmp_path, "tfm_dup", """
        import tfm_ci
        from tfm_ci.platform import Platform, Toolchain

        @tfm_ci.hookimpl
        def tfm_platforms():
            return [Platform("arm", Toolchain("x", "x", (), {}), ())]
    """)
    _fake_distribution(tmp_path, "broken", {"bad_import": "tfm_broken_import",
                                            "bad_hook": "tfm_broken_hook",
                                            "no_spec": "tfm_no_spec", "dup": "tfm_dup"})
    clean_env.syspath_prepend(str(tmp_path))
    reg = Registry.load(make_plugin_manager())
    errors = {e.plugin: e for e in reg.errors}
    assert "vendor SDK missing" in errors["bad_import"].error
    assert errors["bad_import"].stage == "import"
    assert errors["bad_hook"].stage == "hook tfm_platforms"
    assert "cannot read vendor boards" in errors["bad_hook"].error
    assert errors["no_spec"].stage == "check_pending"
    assert "tfm_not_a_hook" in errors["no_spec"].error
    assert "duplicate platform 'arm'" in errors["dup"].error
    assert "tfm_arm" in errors["dup"].error
    # the good plugins still work
    assert reg.board("mps2-an386").platform == "arm"
    assert reg.platform("arm").toolchain.cc == "arm-none-eabi-gcc"
    for mod in ("tfm_broken_import", "tfm_broken_hook", "tfm_no_spec", "tfm_dup"):
        sys.modules.pop(mod, None)


def test_unknown_names_list_what_exists(clean_env: pytest.MonkeyPatch) -> None:
    reg = Registry.load(make_plugin_manager(load_entry_points=False))
    board = reg.board("mps2-an386")
    with pytest.raises(UnknownNameError, match=r"unknown kernel set 'cmsis-nn'.*reference"):
        reg.kernel_set(board, "cmsis-nn")
    with pytest.raises(UnknownNameError, match="unknown simulator 'gem5'"):
        reg.simulator("gem5")
