"""The firmware's custom-op kernels by name (firmware/kernels/signal/signal_ops.h).

TFLM's Signal-library ops are resolved by custom name, as TFLM does; each row
names the op and its registration suffix (``tfm_register_signal_<suffix>()`` in
``kernels/signal/<suffix>.c``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from tfm_ci.opcodes import firmware_dir
from tfm_ci.platform import KernelOp

#: Every Signal kernel implements version 1 of its op (TFLM registers them all at 1).
SIGNAL_MAX_VERSION = 1

_ROW = re.compile(r"^\s*TFM_SIGNAL_OP\(\s*(\w+)\s*,\s*(\w+)\s*\)", re.MULTILINE)


@dataclass(frozen=True)
class CustomOpDef:
    """One custom-op kernel: model custom name, registration suffix."""

    name: str
    suffix: str

    @property
    def source(self) -> Path:
        return firmware_dir() / "kernels" / "signal" / f"{self.suffix}.c"

    @property
    def register(self) -> str:
        return f"tfm_register_signal_{self.suffix}"


def signal_dir() -> Path:
    return firmware_dir() / "kernels" / "signal"


@functools.cache
def _read(path: Path, mtime: float) -> dict[str, CustomOpDef]:
    return {name: CustomOpDef(name, suffix) for name, suffix in _ROW.findall(path.read_text())}


def read_custom_ops(path: Path | None = None) -> dict[str, CustomOpDef]:
    """Custom name -> CustomOpDef for every custom-op kernel the firmware has."""
    path = path or signal_dir() / "signal_ops.h"
    if not path.is_file():
        return {}
    return _read(path, path.stat().st_mtime)


def signal_sources() -> list[Path]:
    """The Signal kernels and their shared code (compiled into every image; the
    linker's --gc-sections drops what the model does not register)."""
    return sorted(signal_dir().glob("*.c"))


def core_custom_ops() -> dict[str, KernelOp]:
    """The firmware's custom-op kernels as KernelOps (custom name -> op), so coverage and
    the generated resolver treat them like a kernel set's added custom ops."""
    return {name: KernelOp(name, row.source, row.register, SIGNAL_MAX_VERSION, custom=True)
            for name, row in read_custom_ops().items()}
