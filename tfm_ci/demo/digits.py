"""`digits`: an int8 classifier of scikit-learn's 8x8 handwritten digits (real labelled data
that ships inside the scikit-learn package, no download).

MLP 64 -> 32 (ReLU) -> 10 -> softmax, trained with full-batch Adam in float64 numpy from a
fixed seed on 1,297 of the 1,797 images; the other 500 are held back for the dataset demo
(``held_out()``). Pixels are scaled to [0, 1]; the int8 input quantizes that range.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import numpy as np

from tfm_ci.demo.network import Layer, build_int8, calibrate

SEED = 7
HIDDEN = 32
STEPS = 600
LR = 0.01
HELD_OUT = 500
INPUT_RANGE = (0.0, 1.0)


class DigitsUnavailableError(RuntimeError):
    """scikit-learn (which ships the digits data) is not installed."""


@functools.cache
def _split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): float32 pixels in [0, 1], int labels."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise DigitsUnavailableError(
            "the digits demo needs scikit-learn (pip install scikit-learn): "
            "it ships the 8x8 digits data set") from None
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(SEED).permutation(len(x))
    test, train = order[:HELD_OUT], order[HELD_OUT:]
    return x[train], y[train], x[test], y[test]


@functools.cache
def train() -> tuple[np.ndarray, ...]:
    """(w1, b1, w2, b2) in [out, in] layout, float32."""
    x, y, _, _ = _split()
    rng = np.random.default_rng(SEED)
    sizes = [(HIDDEN, x.shape[1]), (10, HIDDEN)]
    params: list[np.ndarray] = []
    for out, inp in sizes:
        params += [rng.normal(0.0, math.sqrt(2.0 / inp), (out, inp)), np.zeros(out)]
    onehot = np.eye(10)[y]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    xd = x.astype(np.float64)
    for step in range(1, STEPS + 1):
        w1, b1, w2, b2 = params
        h = np.maximum(xd @ w1.T + b1, 0.0)
        logits = h @ w2.T + b2
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        g_logits = (p - onehot) / len(x)
        g_h = (g_logits @ w2) * (h > 0)
        grads = [g_h.T @ xd, g_h.sum(0), g_logits.T @ h, g_logits.sum(0)]
        for i, g in enumerate(grads):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            params[i] = params[i] - LR * (m[i] / (1 - beta1**step)) / (
                np.sqrt(v[i] / (1 - beta2**step)) + eps)
    return tuple(p.astype(np.float32) for p in params)


def layers() -> list[Layer]:
    w1, b1, w2, b2 = train()
    return [Layer("fc", w1, b1, activation="RELU"), Layer("fc", w2, b2), Layer("softmax")]


@functools.cache
def build_digits_int8() -> bytes:
    x_train = _split()[0]
    samples = [x_train[i:i + 1] for i in range(0, len(x_train), 4)]
    ranges = calibrate(layers(), (1, 64), samples)
    return build_int8(layers(), (1, 64), description="tfm-ci demo: 8x8 digits (int8)",
                      input_range=INPUT_RANGE, ranges=ranges)


def held_out() -> tuple[np.ndarray, np.ndarray]:
    """The 500 held-back samples: x float32 [500, 1, 64] (the model input's shape per
    sample, not yet quantized), y int64 [500]."""
    _, _, x, y = _split()
    return x.reshape(len(x), 1, 64), y


def write_dataset(path: str | Path) -> Path:
    """The held-back samples as an .npz with keys x (float32) and y (labels)."""
    x, y = held_out()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, x=x, y=y)
    return out
