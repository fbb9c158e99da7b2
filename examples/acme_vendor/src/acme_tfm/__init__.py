"""ACME's tfm-ci plugin: platform ``acme``, board ``acme-m4-256k``, kernel set ``acme-fast``.

Found by tfm-ci through the ``tfm_ci`` entry point declared in pyproject.toml.
"""

from __future__ import annotations

from tfm_ci.api import (
    KernelSet,
    Platform,
    builtin_toolchain,
    hookimpl,
    load_boards,
    plugin_dir,
)

HERE = plugin_dir(__file__)
PLATFORM = "acme"

# tfm-ci's Arm toolchain (flags for every Cortex-M core, newlib-nano, our reset
# handler) with ACME's part define on top: reused, not copied.
TOOLCHAIN = builtin_toolchain("arm-none-eabi-gcc").extended(
    "acme-gcc", common_flags=("-fno-common", "-DACME_PART=0x256"))

KERNEL_SETS = (   # "reference" comes from the engine on every platform
    KernelSet("acme-fast", "FULLY_CONNECTED int8 with Armv7E-M DSP (SMLAD), bit-exact",
              overrides={"fully_connected.c": HERE / "kernels" / "fully_connected.c"},
              cores=("cortex-m4f",)),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    return [Platform(PLATFORM, TOOLCHAIN, load_boards(PLATFORM, dirs=[HERE / "boards"]),
                     KERNEL_SETS, uart_kinds=("cmsdk",))]
