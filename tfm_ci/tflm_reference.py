"""TensorFlow Lite Micro as a yardstick: its arena use for a model.

Uses the ``tflite-micro`` package's Python interpreter (an x86-64 build).
TFLM has no arena-used getter; ``print_allocations()`` writes "Arena
allocation total N bytes" to the C-level stderr, so fd 2 is captured.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

DEFAULT_ARENA = 4 << 20


def allocation_report(model: Path, arena_size: int = DEFAULT_ARENA) -> str:
    """TFLM's print_allocations() text for the model."""
    from tflite_micro import runtime

    interpreter = runtime.Interpreter.from_file(str(model), arena_size=arena_size)
    with tempfile.TemporaryFile() as capture:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            interpreter.print_allocations()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        return capture.read().decode(errors="replace")


def arena_total(model: Path) -> int:
    """TFLM's "Arena allocation total" in bytes for the model (x86-64 build)."""
    text = allocation_report(model)
    match = re.search(r"Arena allocation total (\d+) bytes", text)
    if not match:
        raise RuntimeError(f"no total in TFLM's print_allocations output: {text[:300]!r}")
    return int(match.group(1))
