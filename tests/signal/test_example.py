"""examples/micro_speech/micro_speech.py from the command line (host board: fast), and on
one simulated board through its importable run_clip."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "examples" / "micro_speech" / "micro_speech.py"


def test_cli_labels_clips(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--board", "host", "yes", "no",
                           "--json", str(out)], capture_output=True, text=True, timeout=600,
                          cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    results = json.loads(out.read_text())
    assert [r["label"] for r in results] == ["yes", "no"]
    assert all(r["stages"]["preprocessor"]["match"] for r in results)
    assert "bit-exact (49 frames)" in proc.stdout


def test_run_clip_on_a_board_reports_stage_instructions() -> None:
    spec = importlib.util.spec_from_file_location("micro_speech_example_t", SCRIPT)
    ms = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = ms          # dataclasses look their module up there
    spec.loader.exec_module(ms)
    r = ms.run_clip("mps2-an386", "silence")
    assert r.label == "silence"
    pre = r.stages["preprocessor"]
    assert pre["oracle"].startswith("tflite-micro") and pre["match"]
    assert pre["invocations"] == 49 and 0 < pre["per_invocation_mean"] < 110_000
    assert r.features.shape == (49, 40) and r.features.dtype.name == "int8"


def test_bad_clip_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "x.wav"
    import wave
    with wave.open(str(bad), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0" * 400)
    proc = subprocess.run([sys.executable, str(SCRIPT), "--board", "host", str(bad)],
                          capture_output=True, text=True, timeout=120, cwd=REPO, check=False)
    assert proc.returncode == 1
    assert "need 16 kHz mono int16 PCM" in proc.stderr and "Traceback" not in proc.stderr
