"""benchmarks/audio_preprocessor.py runs and prints its table (a smoke test: the
figures themselves are asserted by tests/signal and robot_tests/micro_speech.robot)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_benchmark_prints_its_table() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "audio_preprocessor.py"),
                           "--board", "mps2-an386"], capture_output=True, text=True,
                          timeout=600, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "instr/frame" in proc.stdout and "SignalRfft" in proc.stdout
