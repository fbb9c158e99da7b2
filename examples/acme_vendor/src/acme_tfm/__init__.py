"""ACME's tfm-ci plugin: platform ``acme``, board ``acme-m4-256k``, kernel set ``acme-fast``.

Found by tfm-ci through the ``tfm_ci`` entry point declared in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from tfm_ci import hookimpl
from tfm_ci.boards import load_boards
from tfm_ci.platform import KernelSet, Platform, Toolchain

HERE = Path(__file__).resolve().parent
PLATFORM = "acme"

TOOLCHAIN = Toolchain(
    name="acme-gcc",
    cc="arm-none-eabi-gcc",
    common_flags=("-std=c99", "-O2", "-ffreestanding", "-Wall", "-Wextra", "-Werror",
                  "-ffunction-sections", "-fdata-sections", "-fno-common",
                  "-DACME_PART=0x256"),
    core_flags={"cortex-m4f": ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16",
                               "-mfloat-abi=hard")},
    # Our own reset handler (tfm-ci's cortex-m port); newlib-nano for memcpy/libm.
    link_flags=("-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections"),
    libs=("-lm", "-lc", "-lgcc"),
    size_tool="arm-none-eabi-size",
    debian_packages=("gcc-arm-none-eabi", "libnewlib-arm-none-eabi"),
)

KERNEL_SETS = (
    KernelSet("acme-fast", "FULLY_CONNECTED int8 with Armv7E-M DSP (SMLAD), bit-exact",
              overrides={"fully_connected.c": HERE / "kernels" / "fully_connected.c"},
              cores=("cortex-m4f",)),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    return [Platform(PLATFORM, TOOLCHAIN, load_boards(PLATFORM, dirs=[HERE / "boards"]),
                     KERNEL_SETS)]
