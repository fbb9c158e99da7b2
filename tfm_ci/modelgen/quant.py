"""Quantization helpers for writing test and demo models (TFLite conventions).

TFLite rounds half away from zero (numpy's np.round rounds half to even), so
`quantize` uses `round_half_away`.
"""

from __future__ import annotations

import numpy as np

_RANGES = {"int8": (-128, 127), "int16": (-32768, 32767), "uint8": (0, 255),
           "int32": (-(2**31), 2**31 - 1)}


def int_range(dtype: str) -> tuple[int, int]:
    """(min, max) of an integer dtype name."""
    return _RANGES[dtype] if dtype in _RANGES else (
        int(np.iinfo(dtype).min), int(np.iinfo(dtype).max))


def round_half_away(x: np.ndarray | float) -> np.ndarray:
    """Round to nearest, ties away from zero (TFLite's std::round)."""
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def asymmetric_params(lo: float, hi: float, dtype: str = "int8") -> tuple[float, int]:
    """(scale, zero_point) covering [lo, hi] (widened to include 0), as TFLite calibrates."""
    qmin, qmax = int_range(dtype)
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    if hi == lo:
        return 1.0, 0
    scale = (hi - lo) / (qmax - qmin)
    zero_point = int(np.clip(round_half_away(qmin - lo / scale), qmin, qmax))
    return float(scale), zero_point


def symmetric_scale(max_abs: float | np.ndarray, dtype: str = "int8") -> np.ndarray:
    """Scale(s) mapping [-max_abs, max_abs] onto [-qmax, qmax] (zero point 0)."""
    qmax = int_range(dtype)[1]
    m = np.maximum(np.asarray(max_abs, dtype=np.float64), 1e-12)
    return m / qmax


def quantize(x: np.ndarray | float, scale: float | np.ndarray, zero_point: int | np.ndarray = 0,
             dtype: str = "int8", axis: int | None = None) -> np.ndarray:
    """Quantize floats; per-channel when `axis` is given (scale/zero_point along it)."""
    x = np.asarray(x, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    zero_point = np.asarray(zero_point, dtype=np.float64)
    if axis is not None:
        shape = [1] * x.ndim
        shape[axis] = -1
        scale = scale.reshape(shape)
        zero_point = zero_point.reshape(shape) if zero_point.ndim else zero_point
    qmin, qmax = int_range(dtype)
    q = round_half_away(x / scale) + zero_point
    return np.clip(q, qmin, qmax).astype(dtype)


def dequantize(q: np.ndarray, scale: float, zero_point: int = 0) -> np.ndarray:
    """Back to float32."""
    return ((np.asarray(q, dtype=np.float64) - zero_point) * scale).astype(np.float32)
