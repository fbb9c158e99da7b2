"""The example vendor plugin (examples/acme_vendor) without installing it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (Ubuntu 22.04)
    import tomli as tomllib

import pytest

from tfm_ci.boards import repo_root
from tfm_ci.robot import TfmLibrary

EXAMPLE = repo_root() / "examples" / "acme_vendor"
PACKAGE = EXAMPLE / "src" / "acme_tfm"


def test_entry_point_is_declared_in_group_tfm_ci() -> None:
    meta = tomllib.loads((EXAMPLE / "pyproject.toml").read_text())
    assert meta["project"]["entry-points"]["tfm_ci"] == {"acme": "acme_tfm"}


def test_plugin_supplies_its_platform_board_and_kernel_set() -> None:
    lib = TfmLibrary()
    lib.load_plugin(str(PACKAGE), name="acme")      # no-op for the board if installed
    assert lib.board_platform("acme-m4-256k") == "acme"
    assert lib.board_budget("acme-m4-256k") == {"flash": 1024 * 1024, "ram": 256 * 1024}
    assert lib.kernel_sets_of_board("acme-m4-256k") == ["reference", "acme-fast"]
    reg = lib.state.registry
    platform = reg.platform("acme")
    assert platform.toolchain.name == "acme-gcc"
    kset = reg.kernel_set(reg.board("acme-m4-256k"), "acme-fast")
    assert kset.cores == ("cortex-m4f",)
    assert all(p.is_file() for p in kset.overrides.values())
    assert "acme-m4-256k" not in lib.built_in_boards()


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="no arm-none-eabi-gcc")
def test_kernel_override_builds_warning_free_and_needs_dsp(tmp_path: Path) -> None:
    fw = repo_root() / "firmware"
    src = PACKAGE / "kernels" / "fully_connected.c"
    base = ["arm-none-eabi-gcc", "-std=c99", "-O2", "-ffreestanding", "-Wall", "-Wextra",
            "-Werror", "-mthumb", f"-I{fw / 'include'}", f"-I{fw / 'kernels'}", "-c", str(src),
            "-o", str(tmp_path / "fc.o")]
    m4 = subprocess.run([*base, "-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"],
                        capture_output=True, text=True)
    assert m4.returncode == 0, m4.stderr
    m3 = subprocess.run([*base, "-mcpu=cortex-m3", "-mfloat-abi=soft"], capture_output=True,
                        text=True)
    assert m3.returncode != 0 and "needs the Armv7E-M DSP extension" in m3.stderr
