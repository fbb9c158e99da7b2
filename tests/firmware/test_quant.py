"""tfm_quantize_multiplier equals TFLite's QuantizeMultiplier (frexp, then
round(q * 2^31) half away from zero) on many scales, including edge cases."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def tflite_quantize_multiplier(real: float) -> tuple[int, int]:
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    scaled = q * (1 << 31)
    q_fixed = math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift, q_fixed = 0, 0
    if shift > 30:
        shift, q_fixed = 30, (1 << 31) - 1
    return q_fixed, shift


def test_matches_tflite(tmp_path: Path) -> None:
    exe = tmp_path / "quant"
    subprocess.run(["gcc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror",
                    f"-I{REPO / 'firmware/include'}", f"-I{REPO / 'firmware/kernels/internal'}",
                    str(REPO / "tests/firmware/quant_main.c"),
                    str(REPO / "firmware/kernels/internal/quant.c"), "-o", str(exe)], check=True)
    rng = np.random.default_rng(0)
    # Effective scales as conv kernels form them: float32 products/quotients in double.
    a, b, c = (rng.uniform(1e-6, 1.0, 20000).astype(np.float32) for _ in range(3))
    values = list((a.astype(np.float64) * b.astype(np.float64)) / c.astype(np.float64))
    values += list(rng.uniform(-4, 4, 2000))
    values += [1.0, 0.5, 0.75, 2.0 ** -31, 2.0 ** -32, 1 - 2.0 ** -40, 2.0 ** 30, 2.0 ** 31,
               1e-300, 5e-324, -1.0, -0.9999999999, 123.456]
    # Values exactly halfway at the 31st fractional bit exercise the rounding direction.
    values += [(2 ** 30 + k + 0.5) / 2 ** 31 for k in range(0, 1000, 7)]
    out = subprocess.run([str(exe)], input="".join(f"{v.hex()}\n" for v in map(float, values)),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    for value, line in zip(values, out, strict=False):
        got = tuple(int(x) for x in line.split())
        assert got == tflite_quantize_multiplier(float(value)), f"{float(value)!r}: {got}"
