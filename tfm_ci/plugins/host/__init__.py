"""Built-in platform plugin: the build machine (gcc, tfm-runner reading files)."""

from __future__ import annotations

from tfm_ci.api import Platform, Toolchain, hookimpl, load_boards, opt_kernel_set

TOOLCHAIN = Toolchain(
    name="host-gcc",
    cc="gcc",
    common_flags=("-std=c99", "-O2", "-Wall", "-Wextra", "-Werror",
                  "-ffunction-sections", "-fdata-sections"),
    core_flags={"host": ()},
    link_flags=("-Wl,--gc-sections",),
    libs=("-lm",),
    size_tool="size",
    debian_packages=("gcc",),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    return [Platform("host", TOOLCHAIN, load_boards("host"), (opt_kernel_set(),),
                     uart_kinds=("stdout",))]
