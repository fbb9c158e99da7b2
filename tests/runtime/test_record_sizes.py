"""The per-tensor and per-node records stay compact: they are most of the arena tail of
small models (hello_world_int8 must stay below TFLM's 676 B on Cortex-M4)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# sizeof on a 32-bit target (Cortex-M4) and on the x86-64 host.
SIZES = {"arm": {"tfm_tensor": 20, "tfm_node": 40}, "host": {"tfm_tensor": 32, "tfm_node": 64}}

SOURCE = """#include "tfm/interpreter.h"
#define CHECK(T, N) typedef char check_##T[sizeof(T) == (N) ? 1 : -1];
CHECK(tfm_tensor, {tfm_tensor})
CHECK(tfm_node, {tfm_node})
"""


@pytest.mark.parametrize("target", ["arm", "host"])
def test_record_sizes(tmp_path: Path, target: str) -> None:
    cc = ["arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb"] if target == "arm" else ["gcc"]
    if shutil.which(cc[0]) is None:
        pytest.skip(f"{cc[0]} not installed")
    src = tmp_path / "sizes.c"
    src.write_text(SOURCE.format(**SIZES[target]))
    proc = subprocess.run([*cc, "-std=c99", "-Wall", "-Werror", "-Wno-unused-local-typedefs",
                           f"-I{REPO / 'firmware/include'}", "-c", str(src), "-o",
                           str(tmp_path / "sizes.o")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"record sizes changed ({SIZES[target]}):\n{proc.stderr[-1500:]}"
