"""Both shared audio preprocessors on the host runner, bit-exact with TFLM (tflite-micro's
interpreter) over sequences of invocations: the noise estimate of spectral subtraction
carries across frames, so every frame's output depends on all frames before it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.signal.audio import CLIPS, clip, frames, preprocessor, random_frames, run_frames
from tfm_ci.tflm_oracle import needs_tflm, run_tflm, tflm_only_ops

KINDS = ("int8", "float")
#: The float preprocessor's last op is one float MUL of an exact int16 value: we require
#: it bit-exact too, this tolerance is what a merely-correct result would need.
FLOAT_TOLERANCE = 0.0


def _check(runner: Path, kind: str, sequence: list[np.ndarray]) -> np.ndarray:
    model = preprocessor(kind)
    ref = run_tflm(model.read_bytes(), [[f] for f in sequence])
    t = run_frames(runner, model, sequence)
    ours = np.stack([t.outputs_of(k)[0] for k in range(len(sequence))])
    want = np.stack([r[0] for r in ref])
    assert ours.dtype == want.dtype and ours.shape == want.shape
    if kind == "float":
        bad = np.abs(ours.astype(np.float64) - want) > FLOAT_TOLERANCE
    else:
        bad = ours != want
    assert not bad.any(), (f"{int(bad.any(axis=1).sum())} of {len(sequence)} frames differ; "
                           f"first {np.argwhere(bad)[0].tolist()}")
    return ours


@pytest.mark.parametrize("kind", KINDS)
def test_real_audio_bit_exact(host_runner: Path, kind: str) -> None:
    # All four clips back to back: 196 invocations with the state carried through.
    sequence = [f for name in CLIPS for f in frames(clip(name))]
    ours = _check(host_runner, kind, sequence)
    # Not a constant answer: speech frames differ from silence frames.
    assert len({row.tobytes() for row in ours}) > 100


@pytest.mark.parametrize("kind", KINDS)
def test_random_audio_bit_exact(host_runner: Path, kind: str, rng: np.random.Generator) -> None:
    # Full-scale noise (saturating window, -32768 in the auto-scale), quiet noise (large
    # FFT shifts), silence (zero spectrum, log of 0) and a full-scale square wave.
    square = np.tile(np.repeat(np.array([32767, -32768], np.int16), 8), 30).reshape(1, 480)
    sequence = (random_frames(rng, 20, 32767) + random_frames(rng, 20, 40)
                + [np.zeros((1, 480), np.int16)] * 3 + [square] * 3 + random_frames(rng, 8, 3000))
    _check(host_runner, kind, sequence)


def test_signal_models_use_the_tflm_oracle() -> None:
    for kind in KINDS:
        data = preprocessor(kind).read_bytes()
        assert needs_tflm(data)
        assert {"SignalRfft", "SignalPCAN", "SignalFilterBankSpectralSubtraction"} <= set(
            tflm_only_ops(data))
    other = preprocessor("int8").parent / "micro_speech_quantized.tflite"
    assert not needs_tflm(other.read_bytes())


@pytest.mark.parametrize("kind", KINDS)
def test_sanitized_runner_bit_exact(asan_runner: Path, kind: str,
                                    rng: np.random.Generator) -> None:
    # The same kernels under ASan/UBSan: real speech, then full-scale noise.
    sequence = frames(clip("yes"))[:30] + random_frames(rng, 10, 32767)
    _check(asan_runner, kind, sequence)
