"""UNIDIRECTIONAL_SEQUENCE_LSTM (float32) against TFLite's reference kernel over several
invocations (output and cell states are variables carried between invokes): plain, CIFG,
peephole, projection (+ bias), layer normalization, cell clipping, time-major and batch-major,
activations TANH / RELU / RELU6.

With activation NONE TFLite's kernel is wrong: its ApplyActivationToVector(NONE) returns
without writing the result buffer, so h = o * (the cell gate left in that scratch buffer)
instead of o * c. Ours refuses NONE with a message (test_activation_none_refused).

TFLite evaluates the gate matrix products with its vectorised tensor_utils (4-wide partial
sums on x86) and glibc's expf/tanhf, ours in plain order with libm-free functions: results
agree within FLOAT_TOL = 1e-5 (relative above 1, absolute below).
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
            "clip", "time-major", "layernorm", "layernorm-cifg-peephole", "layernorm-projection")
CASES = [(v, 13000 + 10 * i + k) for i, v in enumerate(VARIANTS) for k in range(5)]


def lstm_model(variant: str, seed: int, act: str | None = None
               ) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    batch, steps = int(rng.integers(1, 3)), int(rng.integers(1, 5))
    n_in, n_cell = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    projection = "projection" in variant
    n_out = int(rng.integers(1, 6)) if projection else n_cell
    time_major = variant == "time-major"
    act = act or ("TANH", "TANH", "RELU", "RELU6")[seed % 4]
    b = ModelBuilder()

    def const(name: str, shape: list[int], scale: float = 0.6) -> int:
        return b.tensor(name, shape, "float32", data=rng.uniform(-scale, scale, shape))

    shape_x = [steps, batch, n_in] if time_major else [batch, steps, n_in]
    x = b.tensor("x", shape_x, "float32")
    weights, ln = lstm_operands(variant, n_in, n_cell, n_out, const, const)
    h = b.tensor("h", [batch, n_out], "float32", is_variable=True)
    c = b.tensor("c", [batch, n_cell], "float32", is_variable=True)
    y = b.tensor("y", [*shape_x[:2], n_out], "float32")
    clip = variant == "clip"
    b.op("UNIDIRECTIONAL_SEQUENCE_LSTM", [x, *weights, h, c, *ln], [y],
         fused_activation_function=act, cell_clip=0.5 if clip else 0.0,
         proj_clip=0.0, time_major=time_major)
    b.inputs([x])
    b.outputs([y])
    return b.build(), [rng.uniform(-2, 2, (INVOCATIONS, *shape_x)).astype(np.float32)]


@pytest.mark.parametrize(("variant", "seed"), CASES, ids=[f"{v}-{s}" for v, s in CASES])
def test_lstm_matches_tflite(variant: str, seed: int) -> None:
    model, inputs = lstm_model(variant, seed)
    check_model(model, inputs, invocations=INVOCATIONS, float_tol=FLOAT_TOL)


def test_activation_none_refused() -> None:
    from tests.ops.harness import run_ours_raw

    model, inputs = lstm_model("plain", 13100, act="NONE")
    run = run_ours_raw(model, [[a] for a in inputs[0]])
    assert not run.transcript.passed
    messages = [m for _, m in run.transcript.errors]
    assert any("UNIDIRECTIONAL_SEQUENCE_LSTM" in m and "NONE" in m for m in messages), messages
