"""Test-only platform plugin: kernel sets that crash or hang, for the negative suites.

Loaded by the Robot suites with ``Load Plugin`` (never installed). It brings
its own platform ``tfm-faults`` (the built-in Arm toolchain) with two boards
on QEMU mps2-an386, ``faults-an386`` and ``tiny-an386`` (16 KiB flash / 2 KiB
RAM budgets: nothing fits), two kernel sets overriding fully_connected.c:
``fault`` jumps to an invalid address, ``hang`` never returns, and ``extra-ops``,
which adds kernels for ops the core lacks (builtin FLOOR, CUSTOM "TfmFaultsNegate").
No core file is touched.
"""

from __future__ import annotations

from pathlib import Path

import tfm_ci
from tfm_ci.boards import load_boards
from tfm_ci.platform import KernelOp, KernelSet, Platform

HERE = Path(__file__).resolve().parent

KERNEL_SETS = (
    KernelSet("fault", "FULLY_CONNECTED eval branches to an invalid address",
              overrides={"fully_connected.c": HERE / "kernels" / "fault" / "fully_connected.c"}),
    KernelSet("hang", "FULLY_CONNECTED eval never returns",
              overrides={"fully_connected.c": HERE / "kernels" / "hang" / "fully_connected.c"}),
    KernelSet("extra-ops", "adds FLOOR (float32) and CUSTOM TfmFaultsNegate (int32)",
              added_ops=(KernelOp("FLOOR", HERE / "kernels" / "extra" / "floor.c",
                                  "tfm_faults_register_floor", max_version=1),
                         KernelOp("TfmFaultsNegate", HERE / "kernels" / "extra" / "negate.c",
                                  "tfm_faults_register_negate", max_version=1, custom=True))),
)


@tfm_ci.hookimpl
def tfm_platforms() -> list[Platform]:
    import tfm_arm  # lazily: the built-in plugin is importable once the manager exists

    boards = load_boards("tfm-faults", dirs=[HERE / "boards"])
    return [Platform("tfm-faults", tfm_arm.TOOLCHAIN, boards, KERNEL_SETS)]
