"""Hybrid UNIDIRECTIONAL_SEQUENCE_LSTM (float32 input, states, biases, layer-norm
coefficients and output; int8 weights, per tensor) against TFLite's reference kernel over
several invocations: symmetric and asymmetric (asymmetric_quantize_inputs) quantization of
the input and output state per batch row, plain, CIFG, peephole, projection (+ bias),
layer norm, clipping, time-major.

TFLite quantizes x and h to int8 each step (skipping an all-zero vector), sums the int8
products exactly in int32 and adds them times (row scale x weight scale) to the float
gates; peephole weights are dequantized (q * scale) and the rest is the float LSTM. The
float steps agree within FLOAT_TOL = 1e-5 (relative above 1, absolute below), as the float
LSTM's (TFLite's vectorised float helpers and libm differ from ours in the last bits).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model
from tests.ops.lstm_operands import lstm_operands
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 1e-5
INVOCATIONS = 3
VARIANTS = ("plain", "cifg", "peephole", "projection", "projection-nobias", "cifg-peephole",
            "clip", "time-major", "layernorm", "layernorm-cifg-peephole",
            "layernorm-projection")
CASES = [(v, asym, 32000 + 100 * i + 10 * a + k) for i, v in enumerate(VARIANTS)
         for a, asym in enumerate((False, True)) for k in range(4)]


def hybrid_lstm_model(variant: str, asym: bool, seed: int) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    batch, steps = int(rng.integers(1, 3)), int(rng.integers(1, 5))
    n_in, n_cell = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    projection = "projection" in variant
    n_out = int(rng.integers(1, 7)) if projection else n_cell
    time_major = variant == "time-major"
    b = ModelBuilder()

    def weight(name: str, shape: list[int], bound: float = 0.6) -> int:
        scale = bound / 127.0 * float(rng.uniform(0.8, 1.2))
        return b.tensor(name, shape, "int8", scale=scale, zero_point=0,
                        data=rng.integers(-127, 128, shape))

    def const(name: str, shape: list[int], bound: float = 0.6) -> int:
        return b.tensor(name, shape, "float32", data=rng.uniform(-bound, bound, shape))

    shape_x = [steps, batch, n_in] if time_major else [batch, steps, n_in]
    x = b.tensor("x", shape_x, "float32")
    weights, ln = lstm_operands(variant, n_in, n_cell, n_out, weight, const)
    h = b.tensor("h", [batch, n_out], "float32", is_variable=True)
    c = b.tensor("c", [batch, n_cell], "float32", is_variable=True)
    y = b.tensor("y", [*shape_x[:2], n_out], "float32")
    clip = variant == "clip"
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", [x, *weights, h, c, *ln], [y],
         fused_activation_function=("TANH", "TANH", "RELU", "RELU6")[seed % 4],
         cell_clip=0.5 if clip else 0.0, proj_clip=0.3 if clip and projection else 0.0,
         time_major=time_major, asymmetric_quantize_inputs=asym)
    b.inputs([x])
    b.outputs([y])
    data = rng.uniform(-2, 2, (INVOCATIONS, *shape_x))
    data[1] = np.abs(data[1])  # one-signed rows move the asymmetric zero point to an end
    if seed % 2:
        data[2] = 0.0  # TFLite skips the quantization of an all-zero input
    return b.build(), [data.astype(np.float32)]


@pytest.mark.parametrize(("variant", "asym", "seed"), CASES,
                         ids=[f"{v}-{'asym' if a else 'sym'}-{s}" for v, a, s in CASES])
def test_hybrid_lstm_matches_tflite(variant: str, asym: bool, seed: int) -> None:
    model, inputs = hybrid_lstm_model(variant, asym, seed)
    check_model(model, inputs, invocations=INVOCATIONS, float_tol=FLOAT_TOL)
