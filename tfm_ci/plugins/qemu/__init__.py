"""Built-in simulator plugin: QEMU (qemu-system-arm / qemu-system-riscv32)."""

from __future__ import annotations

import tfm_ci
from tfm_ci.plugins.qemu.simulator import QemuSimulator


@tfm_ci.hookimpl
def tfm_simulators() -> list[QemuSimulator]:
    return [QemuSimulator()]
