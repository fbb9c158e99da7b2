"""Audio for the Signal tests: the micro_speech clips cut into frames, random frames."""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path

import numpy as np

from tests.models.shared import shared_models_dir
from tfm_ci import inputs_blob
from tfm_ci.transcript import Transcript, parse

WINDOW = 480          # 30 ms at 16 kHz
STRIDE = 320          # 20 ms
CLIPS = ("yes", "no", "silence", "noise")


def speech_dir() -> Path:
    return shared_models_dir() / "micro_speech"


def preprocessor(kind: str) -> Path:
    return speech_dir() / f"audio_preprocessor_{kind}.tflite"


def clip(name: str) -> np.ndarray:
    with wave.open(str(speech_dir() / "testdata" / f"{name}_1000ms.wav")) as w:
        return np.frombuffer(w.readframes(w.getnframes()), np.int16).copy()


def frames(audio: np.ndarray) -> list[np.ndarray]:
    """[1, 480] windows every 20 ms (49 for a 1 s clip), as TFLM's micro_speech example."""
    count = (len(audio) - WINDOW) // STRIDE + 1
    return [audio[i * STRIDE:i * STRIDE + WINDOW].reshape(1, WINDOW) for i in range(count)]


def random_frames(rng: np.random.Generator, count: int, amplitude: int) -> list[np.ndarray]:
    return [rng.integers(-amplitude, amplitude, (1, WINDOW), endpoint=True).astype(np.int16)
            for _ in range(count)]


def run_frames(runner: Path, model: Path, frames_: list[np.ndarray],
               timeout: float = 120) -> Transcript:
    """Our runner over the frames in order (one invocation each, state carried)."""
    with tempfile.TemporaryDirectory(prefix="tfm-signal-") as tmp:
        data = Path(tmp, "in.bin")
        data.write_bytes(inputs_blob.pack([[f] for f in frames_])[inputs_blob.HEADER.size:])
        proc = subprocess.run([str(runner), "--invocations", str(len(frames_)), str(model),
                               str(data)], capture_output=True, text=True, timeout=timeout,
                              check=False)
    t = parse(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return t
