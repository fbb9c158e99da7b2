"""Every firmware source compiles warning-free (-Werror) for a Cortex-M4F target.

Board builds only compile the kernels a model uses; this catches a warning in
any other kernel before a user's model trips over it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None,
                    reason="arm-none-eabi-gcc not installed (make setup installs it)")
def test_every_source_compiles_for_cortex_m4(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["make", "-C", str(REPO / "firmware"), "-j2", "check-arm", f"BUILD={tmp_path}"],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "sources compile for cortex-m4" in proc.stdout
