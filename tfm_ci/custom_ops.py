"""The firmware's custom-op kernels by name.

Two tables, both resolved by custom name as TFLM does:

- TFLM's Signal-library ops (``firmware/kernels/signal/signal_ops.h``): each row
  names the op and its registration suffix (``tfm_register_signal_<suffix>()`` in
  ``kernels/signal/<suffix>.c``), all at version 1;
- the other custom ops (``firmware/kernels/custom_ops.def``, e.g.
  ``TFLite_Detection_PostProcess``): ``TFM_CUSTOM_OP(name, suffix, max_version)``,
  registered by ``tfm_register_<suffix>()`` in ``kernels/reference/<suffix>.c``
  (the kernel layout of the builtin ops: ``common/<suffix>.h`` + ``_common.c``).
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
_CUSTOM_ROW = re.compile(r"^\s*TFM_CUSTOM_OP\(\s*(\w+)\s*,\s*(\w+)\s*,\s*(\d+)\s*\)",
                         re.MULTILINE)


@dataclass(frozen=True)
class CustomOpDef:
    """One custom-op kernel: model custom name, registration suffix, table it is from."""

    name: str
    suffix: str
    signal: bool = True
    max_version: int = SIGNAL_MAX_VERSION

    @property
    def source(self) -> Path:
        if self.signal:
            return firmware_dir() / "kernels" / "signal" / f"{self.suffix}.c"
        return firmware_dir() / "kernels" / "reference" / f"{self.suffix}.c"

    @property
    def register(self) -> str:
        return f"tfm_register_signal_{self.suffix}" if self.signal \
            else f"tfm_register_{self.suffix}"


def signal_dir() -> Path:
    return firmware_dir() / "kernels" / "signal"


def custom_ops_def() -> Path:
    return firmware_dir() / "kernels" / "custom_ops.def"


@functools.cache
def _read(path: Path, mtime: float) -> dict[str, CustomOpDef]:
    return {name: CustomOpDef(name, suffix) for name, suffix in _ROW.findall(path.read_text())}


@functools.cache
def _read_custom(path: Path, mtime: float) -> dict[str, CustomOpDef]:
    return {name: CustomOpDef(name, suffix, signal=False, max_version=int(version))
            for name, suffix, version in _CUSTOM_ROW.findall(path.read_text())}


def read_custom_ops(path: Path | None = None) -> dict[str, CustomOpDef]:
    """Custom name -> CustomOpDef for every Signal custom-op kernel the firmware has."""
    path = path or signal_dir() / "signal_ops.h"
    if not path.is_file():
        return {}
    return _read(path, path.stat().st_mtime)


def read_other_custom_ops(path: Path | None = None) -> dict[str, CustomOpDef]:
    """Custom name -> CustomOpDef for the rows of kernels/custom_ops.def."""
    path = path or custom_ops_def()
    if not path.is_file():
        return {}
    return _read_custom(path, path.stat().st_mtime)


def signal_sources() -> list[Path]:
    """The Signal kernels and their shared code (compiled into every image; the
    linker's --gc-sections drops what the model does not register)."""
    return sorted(signal_dir().glob("*.c"))


def core_custom_ops() -> dict[str, KernelOp]:
    """The firmware's custom-op kernels (both tables) as KernelOps (custom name -> op), so
    coverage and the generated resolver treat them like a kernel set's added custom ops."""
    rows = {**read_custom_ops(), **read_other_custom_ops()}
    return {name: KernelOp(name, row.source, row.register, row.max_version, custom=True)
            for name, row in rows.items()}
