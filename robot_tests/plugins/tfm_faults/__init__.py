"""Test-only platform plugin: kernel sets that crash or hang, for the negative suites.

Loaded by the Robot suites with ``Load Plugin`` (never installed). It brings
its own platform ``tfm-faults`` (the built-in Arm toolchain, reused
through ``tfm_ci.api.builtin_toolchain``) with two boards
on QEMU mps2-an386, ``faults-an386`` and ``tiny-an386`` (16 KiB flash / 2 KiB
RAM budgets: nothing fits), two kernel sets overriding fully_connected.c:
``fault`` jumps to an invalid address, ``hang`` never returns, and ``extra-ops``,
which adds kernels for ops the core lacks (builtin RELU_N1_TO_1, CUSTOM "TfmFaultsNegate").
No core file is touched.
"""

from __future__ import annotations

from tfm_ci.api import (
    KernelOp,
    KernelSet,
    Platform,
    builtin_toolchain,
    hookimpl,
    load_boards,
    plugin_dir,
)

HERE = plugin_dir(__file__)

KERNEL_SETS = (
    KernelSet("fault", "FULLY_CONNECTED eval branches to an invalid address",
              overrides={"fully_connected.c": HERE / "kernels" / "fault" / "fully_connected.c"}),
    KernelSet("hang", "FULLY_CONNECTED eval never returns",
              overrides={"fully_connected.c": HERE / "kernels" / "hang" / "fully_connected.c"}),
    KernelSet("extra-ops", "adds RELU_N1_TO_1 (float32) and CUSTOM TfmFaultsNegate (int32)",
              added_ops=(KernelOp("RELU_N1_TO_1", HERE / "kernels" / "extra" / "relu_n1_to_1.c",
                                  "tfm_faults_register_relu_n1_to_1", max_version=1),
                         KernelOp("TfmFaultsNegate", HERE / "kernels" / "extra" / "negate.c",
                                  "tfm_faults_register_negate", max_version=1, custom=True))),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    boards = load_boards("tfm-faults", dirs=[HERE / "boards"])
    return [Platform("tfm-faults", builtin_toolchain("arm-none-eabi-gcc"), boards, KERNEL_SETS,
                     uart_kinds=("cmsdk",))]
