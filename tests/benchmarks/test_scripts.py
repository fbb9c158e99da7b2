"""The benchmark scripts run and print their tables (a smoke test: the figures
themselves are asserted elsewhere, e.g. tests/firmware/test_arena_vs_tflm.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfm_ci import demo_models

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("models") / "sine.tflite"
    path.write_bytes(demo_models.build("sine"))
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("script", "args", "header"), [
    ("arena.py", [], "lower bound"),
    ("instructions.py", ["--board", "mps2-an386"], "TFLM CMSIS-NN"),
    ("kernels.py", ["--board", "mps2-an386"], "arm-dsp"),
    ("cycles.py", ["--repeat", "1"], "cycles overhead"),
    ("fleet.py", ["--board", "mps2-an386", "--copies", "2", "--workers", "1", "--no-dask"],
     "vs raw by CPU"),
])
def test_script_prints_its_table(sine: Path, script: str, args: list[str], header: str) -> None:
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *args, str(sine)],
                          capture_output=True, text=True, timeout=600, cwd=REPO,
                          env={**os.environ, "COLUMNS": "250"})   # whole tables, any terminal
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert header in proc.stdout and "sine" in proc.stdout
    if script not in ("arena.py", "fleet.py"):
        assert "cycles (est.)" in proc.stdout and "zero wait states" in proc.stdout
