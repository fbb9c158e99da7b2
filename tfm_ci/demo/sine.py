"""`sine`: TFLM hello_world's MLP (1 -> 16 -> 16 -> 1, ReLU) trained on sin(x), x in [0, 2pi].

Trained with full-batch Adam in float64 numpy from a fixed seed (about a second), so
the weights, and the model bytes, are the same on every run.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from tfm_ci.demo.network import Layer, build_float, build_int8, calibrate

X_RANGE = (0.0, 2.0 * math.pi)
HIDDEN = 16
STEPS = 3000
SEED = 1
LR = 0.01
LR_DECAY = 0.1  # learning rate falls to LR * LR_DECAY by the last step


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


@functools.cache
def train() -> tuple[np.ndarray, ...]:
    """(w1, b1, w2, b2, w3, b3) with weights in [out, in] layout."""
    rng = np.random.default_rng(SEED)
    x = np.linspace(*X_RANGE, 512).reshape(-1, 1)
    y = np.sin(x)
    sizes = [(HIDDEN, 1), (HIDDEN, HIDDEN), (1, HIDDEN)]
    params = []
    for out, inp in sizes:
        w = rng.normal(0.0, math.sqrt(2.0 / inp), (out, inp))
        # First-layer kinks spread over the x range: with zero biases every ReLU of a
        # positive-only input would be linear in x or dead.
        b = -w[:, 0] * rng.uniform(*X_RANGE, out) if inp == 1 else np.full(out, 0.1)
        params += [w, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, STEPS + 1):
        lr = LR * LR_DECAY ** (step / STEPS)
        w1, b1, w2, b2, w3, b3 = params
        h1 = _relu(x @ w1.T + b1)
        h2 = _relu(h1 @ w2.T + b2)
        pred = h2 @ w3.T + b3
        g_pred = 2.0 * (pred - y) / len(x)
        g_h2 = (g_pred @ w3) * (h2 > 0)
        g_h1 = (g_h2 @ w2) * (h1 > 0)
        grads = [g_h1.T @ x, g_h1.sum(0), g_h2.T @ h1, g_h2.sum(0), g_pred.T @ h2, g_pred.sum(0)]
        for i, g in enumerate(grads):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**step)
            v_hat = v[i] / (1 - beta2**step)
            params[i] = params[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return tuple(p.astype(np.float32) for p in params)


def layers() -> list[Layer]:
    w1, b1, w2, b2, w3, b3 = train()
    return [Layer("fc", w1, b1, activation="RELU"), Layer("fc", w2, b2, activation="RELU"),
            Layer("fc", w3, b3)]


def build_sine_float() -> bytes:
    return build_float(layers(), (1, 1), description="tfm-ci demo: sine (float32)")


def build_sine_int8() -> bytes:
    grid = np.linspace(*X_RANGE, 256, dtype=np.float32)
    ranges = calibrate(layers(), (1, 1), [np.array([[v]], np.float32) for v in grid])
    return build_int8(layers(), (1, 1), description="tfm-ci demo: sine (int8)",
                      input_range=X_RANGE, ranges=ranges)
