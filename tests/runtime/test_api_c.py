"""The C API from a program of its own: custom kernel by name, reset, call order."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.runtime import models
from tests.runtime.conftest import BUILD, REPO, SANITIZE, compile_c, firmware_sources


def test_custom_op_and_reset(tmp_path: Path) -> None:
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/runtime/custom_op_test.c")]
    exe = compile_c(BUILD / "custom_op_test", srcs, *SANITIZE)
    custom = tmp_path / "custom.tflite"
    custom.write_bytes(models.custom_model("TfmTestScale"))
    counter = tmp_path / "counter.tflite"
    counter.write_bytes(models.counter_model())
    proc = subprocess.run([str(exe), str(custom), str(counter)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS 0 failures" in proc.stdout
