"""Run the host runner on model bytes and parse its transcript."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tfm_ci.transcript import Transcript, parse

SHARED = Path("/work/shared/models")
SHARED_MODELS = {
    "hello_world_int8": SHARED / "hello_world" / "hello_world_int8.tflite",
    "hello_world_float": SHARED / "hello_world" / "hello_world_float.tflite",
    "micro_speech_quantized": SHARED / "micro_speech" / "micro_speech_quantized.tflite",
    "person_detect": SHARED / "person_detection" / "person_detect.tflite",
}
AUDIO_PREPROCESSOR = SHARED / "micro_speech" / "audio_preprocessor_int8.tflite"


@dataclass
class Run:
    transcript: Transcript
    returncode: int
    stdout: str
    stderr: str


def run(runner: Path, model: bytes | Path, *, arena: int | None = None,
        inputs: bytes | None = None, invocations: int = 1, timeout: float = 60) -> Run:
    """Run `runner` on a model (bytes or a path); inputs default to zeros."""
    with tempfile.TemporaryDirectory(prefix="tfm-rt-") as tmp:
        if isinstance(model, bytes):
            path = Path(tmp, "model.tflite")
            path.write_bytes(model)
        else:
            path = model
        cmd = [str(runner), "--invocations", str(invocations)]
        if arena is not None:
            cmd += ["--arena", str(arena)]
        cmd.append(str(path))
        if inputs is not None:
            Path(tmp, "in.bin").write_bytes(inputs)
            cmd.append(str(Path(tmp, "in.bin")))
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              timeout=timeout, check=False)
    return Run(parse(proc.stdout), proc.returncode, proc.stdout, proc.stderr)
