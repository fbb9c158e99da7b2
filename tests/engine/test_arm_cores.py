"""Every core the Arm toolchain has flags for builds the firmware (compile + link), and the
ELF says the architecture and float ABI the flags asked for."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from tfm_ci.build import build
from tfm_ci.plugins.arm import TOOLCHAIN
from tfm_ci.registry import Registry

pytestmark = pytest.mark.slow

# core -> (Tag_CPU_arch as readelf prints it, hard-float ABI)
EXPECTED = {
    "cortex-m0plus": ("v6S-M", False),
    "cortex-m3": ("v7", False),
    "cortex-m4": ("v7E-M", False),
    "cortex-m4f": ("v7E-M", True),
    "cortex-m7": ("v7E-M", True),
    "cortex-m33": ("v8-M.mainline", True),
    "cortex-m55": ("v8.1-M.mainline", True),
}


def test_every_documented_core_has_flags() -> None:
    assert set(TOOLCHAIN.core_flags) == set(EXPECTED)


@pytest.mark.parametrize("core", sorted(EXPECTED))
def test_core_builds(core: str, registry: Registry, sine_model: Path,
                     shared_cache: Path) -> None:
    base = registry.board("mps2-an386")
    board = dataclasses.replace(base, name=f"core-{core}", core=core, isa_features=())
    built = build(board, sine_model, registry.kernel_set(base), toolchain=TOOLCHAIN,
                  cache_dir=shared_cache)
    attrs = subprocess.run(["arm-none-eabi-readelf", "-A", str(built.elf)], capture_output=True,
                           text=True, check=True).stdout
    arch, hard = EXPECTED[core]
    assert f"Tag_CPU_arch: {arch}\n" in attrs, attrs
    assert ("Tag_ABI_VFP_args: VFP registers" in attrs) is hard, attrs
