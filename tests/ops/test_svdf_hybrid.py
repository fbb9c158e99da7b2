"""Hybrid SVDF (float32 input, bias, state and output; int8 weights_feature and
weights_time) against TFLite's reference kernel over several invocations, with symmetric
and asymmetric input quantization (asymmetric_quantize_inputs) and every float activation
the float SVDF supports.

TFLite quantizes each input row to int8 (the scale from the row's range), sums the int8
products exactly in int32 and scales them in float; the time weights are dequantized once
and the remainder is float in TFLite's order (the rank's time products summed, then added
to the bias). Ours does the same steps in the same order, so the outputs are compared bit
for bit (FLOAT_TOL = 0). Invocation 2 feeds an all-zero input, the case where TFLite skips
the quantization.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours_raw
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 0.0  # bit-exact
INVOCATIONS = 4
ACTS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
CASES = [(asym, act, 24000 + 100 * i + 10 * j + k)
         for i, asym in enumerate((False, True)) for j, act in enumerate(ACTS)
         for k in range(8)]


def hybrid_svdf_model(asym: bool, act: str, seed: int, per_channel: bool = False
                      ) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    batch, input_size = int(rng.integers(1, 4)), int(rng.integers(1, 16))
    rank, units, memory = int(rng.integers(1, 3)), int(rng.integers(1, 6)), int(rng.integers(1, 9))
    filters = rank * units
    b = ModelBuilder()
    x = b.tensor("x", [batch, input_size], "float32")
    s_f = [0.01] * filters if per_channel else float(rng.uniform(0.002, 0.02))
    wf = b.tensor("wf", [filters, input_size], "int8", scale=s_f,
                  data=rng.integers(-127, 128, (filters, input_size)))
    wt = b.tensor("wt", [filters, memory], "int8", scale=float(rng.uniform(0.002, 0.02)),
                  data=rng.integers(-127, 128, (filters, memory)))
    bias = (b.tensor("b", [units], "float32", data=rng.uniform(-1, 1, units))
            if seed % 4 else -1)
    state = b.tensor("state", [batch, memory * filters], "float32", is_variable=True)
    y = b.tensor("y", [batch, units], "float32")
    b.op("SVDF", [x, wf, wt, bias, state], [y], rank=rank, fused_activation_function=act,
         asymmetric_quantize_inputs=asym)
    b.inputs([x])
    b.outputs([y])
    data = rng.uniform(-3, 3, (INVOCATIONS, batch, input_size))
    if seed % 2:  # one-signed rows move the asymmetric zero point to an end
        data[1] = np.abs(data[1])
    data[2] = 0.0
    return b.build(), [data.astype(np.float32)]


@pytest.mark.parametrize(("asym", "act", "seed"), CASES,
                         ids=[f"{'asym' if a else 'sym'}-{act}-{s}" for a, act, s in CASES])
def test_hybrid_svdf_matches_tflite(asym: bool, act: str, seed: int) -> None:
    model, inputs = hybrid_svdf_model(asym, act, seed)
    check_model(model, inputs, invocations=INVOCATIONS, float_tol=FLOAT_TOL)


def test_hybrid_per_channel_refused() -> None:
    model, inputs = hybrid_svdf_model(False, "NONE", 24999, per_channel=True)
    run = run_ours_raw(model, [[a] for a in inputs[0]])
    assert not run.transcript.passed
    messages = " ".join(m for _, m in run.transcript.errors)
    assert "SVDF" in messages and "per-tensor" in messages, messages
