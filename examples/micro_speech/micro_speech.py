"""micro_speech from audio, end to end, on a (simulated) board, through the tfm-ci engine.

    .venv/bin/python examples/micro_speech/micro_speech.py --board mps2-an386 yes no
    .venv/bin/python examples/micro_speech/micro_speech.py --board riscv32-virt \
        ../shared/models/micro_speech/testdata/noise_1000ms.wav --json out.json

As TFLM's micro_speech example: the audio preprocessor (TFLM Signal ops) turns each 30 ms
window (480 samples at 16 kHz, every 20 ms) into 40 features, one invocation per window
on one interpreter (its noise estimate carries across windows); the 49 x 40 features of
a 1 s clip feed the classifier (micro_speech_quantized.tflite), whose top score is the
label. Both stages are engine jobs: each is built for the board, simulated, and its
outputs checked against the oracle (TFLM for the preprocessor, TFLite for the
classifier), so "bit-exact with TFLM" is part of every result. Instruction counts come
from the simulator. Also importable (the Robot suite robot_tests/micro_speech.robot uses
``run_clip``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.registry import Registry

LABELS = ("silence", "unknown", "yes", "no")
WINDOW, STRIDE, FRAMES, FEATURES = 480, 320, 49, 40
REPO = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    env = os.environ.get("TFM_SHARED_MODELS")
    return (Path(env) if env else REPO.parent / "shared" / "models") / "micro_speech"


class PipelineError(RuntimeError):
    """A stage did not pass (build, simulation, or mismatch with its oracle)."""


@dataclass
class ClipResult:
    clip: str
    board: str
    label: str
    scores: list[int]
    features: np.ndarray                      # [49, 40] int8
    preprocessor: JobRecord
    classifier: JobRecord
    stages: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"clip": self.clip, "board": self.board, "label": self.label,
                "scores": self.scores, "stages": self.stages,
                "features_sha": _sha(self.features)}


def _sha(a: np.ndarray) -> str:
    import hashlib
    return hashlib.sha256(a.tobytes()).hexdigest()[:16]


def clip_path(clip: str) -> Path:
    """A clip name (yes, no, silence, noise) or a .wav path."""
    path = Path(clip)
    return path if path.suffix == ".wav" else shared_dir() / "testdata" / f"{clip}_1000ms.wav"


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        if w.getframerate() != 16000 or w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise PipelineError(f"{path}: need 16 kHz mono int16 PCM")
        return np.frombuffer(w.readframes(w.getnframes()), np.int16)


def windows(audio: np.ndarray) -> np.ndarray:
    """[49, 1, 480]: 30 ms windows every 20 ms (zero-padded when the clip is short)."""
    need = (FRAMES - 1) * STRIDE + WINDOW
    audio = np.concatenate([audio, np.zeros(max(0, need - len(audio)), np.int16)])
    return np.stack([audio[i * STRIDE:i * STRIDE + WINDOW] for i in range(FRAMES)]
                    ).reshape(FRAMES, 1, WINDOW)


def _stage(rec: JobRecord) -> dict[str, Any]:
    ins = rec.instructions or {}
    per = ins.get("invocations") or []
    return {"status": rec.status.value, "oracle": rec.comparison.get("oracle"),
            "match": rec.comparison.get("match"), "invocations": rec.invocations,
            "unit": ins.get("unit"),
            "per_invocation_mean": round(float(np.mean(per))) if per else None,
            "per_invocation_max": max(per) if per else None,
            "flash": rec.sizes.get("flash"), "arena_used": rec.sizes.get("arena_used")}


def _check(rec: JobRecord, what: str) -> None:
    if rec.status is not Status.PASS:
        raise PipelineError(f"{what} on {rec.board}: {rec.status.value} {rec.category}: "
                            f"{rec.reason}")


def _outputs(rec: JobRecord, n: int) -> list[np.ndarray]:
    by_inv: dict[int, np.ndarray] = {}
    for o in rec.outputs:
        if o["index"] == 0:
            by_inv[o["invocation"]] = np.asarray(o["data"], dtype=o["dtype"]).reshape(o["shape"])
    return [by_inv[k] for k in range(n)]


def run_clip(board: str, clip: str, *, kernel_set: str = "reference",
             registry: Registry | None = None, work_dir: str | None = None) -> ClipResult:
    """Preprocess the clip and classify it on `board`; PipelineError if a stage fails."""
    registry = registry or Registry.load()
    models = shared_dir()
    frames = windows(read_wav(clip_path(clip)))
    pre = run_job(JobSpec(model=str(models / "audio_preprocessor_int8.tflite"), board=board,
                          kernel_set=kernel_set, inputs=[frames], timeout=300,
                          work_dir=work_dir), registry)
    _check(pre, "audio preprocessor")
    feats = np.stack([f.reshape(FEATURES) for f in _outputs(pre, FRAMES)]).astype(np.int8)
    cls = run_job(JobSpec(model=str(models / "micro_speech_quantized.tflite"), board=board,
                          kernel_set=kernel_set, inputs=[feats.reshape(1, FRAMES * FEATURES)],
                          timeout=300, work_dir=work_dir), registry)
    _check(cls, "classifier")
    scores = [int(v) for v in _outputs(cls, 1)[0].ravel()]
    label = LABELS[int(np.argmax(scores))]
    return ClipResult(Path(clip).stem.removesuffix("_1000ms"), board, label, scores, feats,
                      pre, cls, {"preprocessor": _stage(pre), "classifier": _stage(cls)})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clips", nargs="*", default=["yes", "no", "silence", "noise"],
                    help="clip names (yes, no, silence, noise) or .wav paths")
    ap.add_argument("--board", default="mps2-an386")
    ap.add_argument("--kernels", default="reference")
    ap.add_argument("--json", type=Path, help="write the results as JSON")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    registry = Registry.load()
    table = Table(title=f"micro_speech from audio on {args.board}")
    for col in ("clip", "label", "scores", "features vs TFLM", "preprocessor instr/frame",
                "classifier instr", "arena pre/cls"):
        table.add_column(col)
    results = []
    try:
        for clip in args.clips:
            r = run_clip(args.board, clip, kernel_set=args.kernels, registry=registry)
            p, c = r.stages["preprocessor"], r.stages["classifier"]
            table.add_row(r.clip, r.label, str(r.scores),
                          f"bit-exact ({p['invocations']} frames)" if p["match"] else "DIFFER",
                          f"{p['per_invocation_mean']:,} (max {p['per_invocation_max']:,})"
                          if p["per_invocation_mean"] else "n/a",
                          f"{c['per_invocation_max']:,}" if c["per_invocation_max"] else "n/a",
                          f"{p['arena_used']:,} / {c['arena_used']:,}")
            results.append(r.to_dict())
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    Console(width=160).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
