"""Each Signal op on its own (shapes and options the preprocessors do not use), on the
host runner, bit-exact with TFLM over several invocations."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from tests.signal import models
from tfm_ci import inputs_blob
from tfm_ci.oracle import input_specs
from tfm_ci.tflm_oracle import run_tflm
from tfm_ci.transcript import parse


def run_ours(runner: Path, model: bytes, invocations: list[list[np.ndarray]]):
    with tempfile.TemporaryDirectory(prefix="tfm-signal-") as tmp:
        path, data = Path(tmp, "m.tflite"), Path(tmp, "in.bin")
        path.write_bytes(model)
        data.write_bytes(inputs_blob.pack(invocations)[inputs_blob.HEADER.size:])
        proc = subprocess.run([str(runner), "--invocations", str(len(invocations)), str(path),
                               str(data)], capture_output=True, text=True, timeout=60,
                              check=False)
    assert proc.returncode == 0, proc.stdout[-1500:]
    return parse(proc.stdout)


def run_ours_fail(runner: Path, model: bytes) -> str:
    """The error messages of a model our runner must refuse."""
    with tempfile.TemporaryDirectory(prefix="tfm-signal-") as tmp:
        path = Path(tmp, "m.tflite")
        path.write_bytes(model)
        proc = subprocess.run([str(runner), str(path)], capture_output=True, text=True,
                              timeout=60, check=False)
    assert proc.returncode != 0
    return " ".join(m for _, m in parse(proc.stdout).errors)


def check(runner: Path, model: bytes, invocations: list[list[np.ndarray]]) -> None:
    ref = run_tflm(model, invocations)
    t = run_ours(runner, model, invocations)
    for k, want in enumerate(ref):
        ours = t.outputs_of(k)
        assert len(ours) == len(want)
        for j, (a, b) in enumerate(zip(ours, want, strict=True)):
            b = b.reshape(a.shape) if b.size == a.size else b
            assert a.dtype == b.dtype and np.array_equal(a, b), (
                f"invocation {k} output {j}: {np.argwhere(a != b)[:4].tolist()}")


def random_invocations(model: bytes, rng: np.random.Generator, n: int,
                       hi: int | None = None) -> list[list[np.ndarray]]:
    out = []
    for _ in range(n):
        arrays = []
        for spec in input_specs(model):
            info = np.iinfo(spec.dtype)
            top = info.max if hi is None else min(hi, info.max)
            low = max(info.min, -top) if info.min < 0 else 0
            arrays.append(rng.integers(low, top, spec.shape, endpoint=True).astype(spec.dtype))
        out.append(arrays)
    return out


@pytest.mark.parametrize("shift", [0, 7, 15])
def test_window(host_runner: Path, rng: np.random.Generator, shift: int) -> None:
    model = models.window_model(shift=shift)
    check(host_runner, model, random_invocations(model, rng, 3))


# Radix-4 only (64, 256, 1024 points: ncfft 32/128/512 = 4^k * 2 or 4^k), radix 4 + 2,
# input shorter than the FFT (zero padding, odd length), and several frames.
@pytest.mark.parametrize(("fft_length", "input_length", "frames"),
                         [(4, 4, 1), (8, 8, 1), (64, 64, 2), (128, 100, 1), (256, 255, 1),
                          (512, 480, 3), (1024, 1000, 1), (2048, 2048, 1)])
def test_rfft(host_runner: Path, rng: np.random.Generator, fft_length: int, input_length: int,
              frames: int) -> None:
    model = models.rfft_model(fft_length, input_length, frames)
    check(host_runner, model, random_invocations(model, rng, 2)
          + random_invocations(model, rng, 2, hi=64))


def test_auto_scale_and_energy(host_runner: Path, rng: np.random.Generator) -> None:
    model = models.auto_scale_energy_model()
    invs = random_invocations(model, rng, 3) + random_invocations(model, rng, 3, hi=5)
    invs.append([np.zeros(66, np.int16)])
    invs.append([np.full(66, -32768, np.int16)])      # MaxAbs16's int16 wrap
    check(host_runner, model, invs)


def test_filter_bank_log(host_runner: Path, rng: np.random.Generator) -> None:
    model = models.log_model()
    invs = random_invocations(model, rng, 3) + random_invocations(model, rng, 3, hi=1000)
    invs.append([np.arange(40, dtype=np.uint32)])
    check(host_runner, model, invs)


def test_spectral_subtraction_state_and_pcan(host_runner: Path,
                                             rng: np.random.Generator) -> None:
    model = models.spectral_pcan_model()
    # Loud then quiet: the noise estimate (state) decays over the quiet frames.
    invs = (random_invocations(model, rng, 4, hi=1 << 20)
            + random_invocations(model, rng, 6, hi=300)
            + random_invocations(model, rng, 2))
    check(host_runner, model, invs)


@pytest.mark.parametrize("tail", ["window", "rfft", "energy", "framer"])
def test_fuzz_chain_seeds(host_runner: Path, rng: np.random.Generator, tail: str) -> None:
    model = models.fuzz_chain_model(tail)
    check(host_runner, model, random_invocations(model, rng, 3, hi=1 << 24))


def check_valid(runner: Path, model: bytes, invocations: list[list[np.ndarray]]) -> int:
    """Framer/Stacker: output_valid must match; the frames only where valid (TFLM leaves
    the output unwritten otherwise, so its bytes there are whatever the arena held)."""
    ref = run_tflm(model, invocations)
    t = run_ours(runner, model, invocations)
    valid_count = 0
    for k, (frames, valid) in enumerate(ref):
        ours_frames, ours_valid = t.outputs_of(k)
        assert bool(ours_valid) == bool(valid), f"invocation {k}: valid {ours_valid} vs {valid}"
        if bool(valid):
            valid_count += 1
            assert np.array_equal(ours_frames, frames.reshape(ours_frames.shape)), f"inv {k}"
    return valid_count


@pytest.mark.parametrize(("size", "step", "prefill"), [(80, 32, False), (80, 32, True),
                                                       (64, 64, False), (48, 16, True)])
def test_framer(host_runner: Path, rng: np.random.Generator, size: int, step: int,
                prefill: bool) -> None:
    model = models.framer_model(size=size, step=step, prefill=prefill)
    assert check_valid(host_runner, model, random_invocations(model, rng, 6)) >= 3


@pytest.mark.parametrize(("left", "right", "step"), [(2, 1, 2), (0, 0, 1), (3, 4, 8)])
def test_stacker(host_runner: Path, rng: np.random.Generator, left: int, right: int,
                 step: int) -> None:
    model = models.stacker_model(left=left, right=right, step=step)
    assert check_valid(host_runner, model, random_invocations(model, rng, 24)) >= 2


@pytest.mark.parametrize("delay", [0, 7, 45])
def test_delay(host_runner: Path, rng: np.random.Generator, delay: int) -> None:
    model = models.delay_model(delay=delay)
    check(host_runner, model, random_invocations(model, rng, 5))


@pytest.mark.parametrize("step", [16, 32, 5])
def test_overlap_add_int16(host_runner: Path, rng: np.random.Generator, step: int) -> None:
    model = models.overlap_add_model(step=step)
    check(host_runner, model, random_invocations(model, rng, 4))   # saturates often


def test_overlap_add_float(host_runner: Path, rng: np.random.Generator) -> None:
    model = models.overlap_add_model("float32")
    invs = [[rng.uniform(-1, 1, (2, 3, 32)).astype(np.float32)] for _ in range(4)]
    check(host_runner, model, invs)        # one float add per element: exact


@pytest.mark.parametrize(("fft_length", "extra"), [(4, 0), (8, 1), (64, 0), (128, 3),
                                                   (512, 0), (2048, 0)])
def test_irfft(host_runner: Path, rng: np.random.Generator, fft_length: int,
               extra: int) -> None:
    model = models.irfft_model(fft_length, extra=extra)
    check(host_runner, model, random_invocations(model, rng, 2)
          + random_invocations(model, rng, 2, hi=200))


#: Float FFTs: KISS's operation order in float, compiled without contraction (-std=c99
#: implies -ffp-contract=off), twiddles rounded from double: we require agreement to
#: 1e-6 of the spectrum's scale (largest |value|); in practice they are bit-exact.
FFT_FLOAT_TOLERANCE = 1e-6


def check_float(runner: Path, model: bytes, invocations: list[list[np.ndarray]]) -> int:
    ref = run_tflm(model, invocations)
    t = run_ours(runner, model, invocations)
    exact = 0
    for k, (want,) in enumerate(ref):
        (ours,) = t.outputs_of(k)
        want = want.reshape(ours.shape)
        scale = max(1.0, float(np.abs(want).max()))
        err = float(np.abs(ours.astype(np.float64) - want).max())
        assert err <= FFT_FLOAT_TOLERANCE * scale, f"invocation {k}: error {err}, scale {scale}"
        exact += int(np.array_equal(ours, want))
    return exact


@pytest.mark.parametrize(("fft_length", "input_length"), [(4, 4), (8, 6), (64, 64),
                                                         (512, 480), (2048, 2000)])
def test_rfft_float(host_runner: Path, rng: np.random.Generator, fft_length: int,
                    input_length: int) -> None:
    model = models.rfft_model(fft_length, input_length, 2, dtype="float32")
    invs = [[rng.uniform(-1, 1, (2, input_length)).astype(np.float32)] for _ in range(3)]
    check_float(host_runner, model, invs)


@pytest.mark.parametrize("fft_length", [4, 8, 128, 512, 1024])
def test_irfft_float(host_runner: Path, rng: np.random.Generator, fft_length: int) -> None:
    model = models.irfft_model(fft_length, dtype="float32")
    invs = [[rng.uniform(-100, 100, (2, fft_length + 2)).astype(np.float32)] for _ in range(3)]
    check_float(host_runner, model, invs)


def test_int32_fft_refused(host_runner: Path) -> None:
    t = run_ours_fail(host_runner, models.rfft_model(64, 64, dtype="int32"))
    assert "op 0 (SignalRfft): type INT32 not supported (int16, float32)" in t
