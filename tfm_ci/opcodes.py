"""Builtin op names and the firmware's op table (firmware/kernels/ops.def)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import tflite

from tfm_ci import paths

CUSTOM_CODE = 32
# One row of the table: TFM_OP(NAME, builtin_code, suffix, max_version).
_OP_LINE = re.compile(r"^\s*TFM_OP\(\s*(\w+)\s*,\s*(\d+)\s*,\s*(\w+)\s*,\s*(\d+)\s*\)",
                      re.MULTILINE)


@dataclass(frozen=True)
class OpDef:
    """One row of ops.def: builtin op name, schema code, registration suffix, max version."""

    name: str
    code: int
    suffix: str        # tfm_register_<suffix>(), kernels/reference/<suffix>.c
    max_version: int   # highest op version every kernel of the op implements

    @property
    def source_name(self) -> str:
        return f"{self.suffix}.c"


def firmware_dir() -> Path:
    return paths.firmware_dir()


@functools.cache
def builtin_names() -> dict[int, str]:
    """Schema builtin code -> name (e.g. 3 -> "CONV_2D")."""
    table = tflite.BuiltinOperator
    return {v: k for k, v in vars(table).items() if k.isupper() and isinstance(v, int)}


def builtin_codes() -> dict[str, int]:
    """Schema builtin name -> code (e.g. "CONV_2D" -> 3)."""
    return {name: code for code, name in builtin_names().items()}


def builtin_name(code: int) -> str:
    return builtin_names().get(code, f"BUILTIN_{code}")


def ops_def_path() -> Path:
    return firmware_dir() / "kernels" / "ops.def"


def read_ops_def(path: Path | None = None) -> dict[int, OpDef]:
    """Builtin code -> OpDef from ops.def."""
    path = path or ops_def_path()
    return {int(code): OpDef(name, int(code), suffix, int(version))
            for name, code, suffix, version in _OP_LINE.findall(path.read_text())}
