"""Built-in simulator plugin: QEMU (qemu-system-arm / qemu-system-riscv32)."""

from __future__ import annotations

from tfm_ci.api import hookimpl

from .simulator import QemuSimulator


@hookimpl
def tfm_simulators() -> list[QemuSimulator]:
    return [QemuSimulator()]
