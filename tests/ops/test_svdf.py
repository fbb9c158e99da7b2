"""SVDF against TFLite's reference kernel over several invocations (the activation state
is a variable tensor that carries the memory from one invoke to the next): float32 and
int8 (int16 state and time weights) bit-exact. LiteRT's float feature products are four
partial sums (its x86 tensor_utils); ours sums the same way, in the same order.

TFLite's int8 SVDF insists on fused activation RELU and then does not apply it: outputs
below the zero point (negative reals) come out. Ours refuses other activations with a
message and matches the outputs, negative ones included (test_int8_relu_is_not_applied).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model
from tfm_ci.modelgen import ModelBuilder

CASES = [(dtype, act, 12000 + 100 * i + 10 * j + k)
         for i, dtype in enumerate(("float32", "int8"))
         for j, act in enumerate(("RELU",) if dtype == "int8" else
                                 ("NONE", "RELU", "RELU6", "RELU_N1_TO_1"))
         for k in range(8)]
INVOCATIONS = 4


def svdf_model(dtype: str, act: str, seed: int) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    batch, input_size = int(rng.integers(1, 3)), int(rng.integers(1, 12))
    rank, units, memory = int(rng.integers(1, 3)), int(rng.integers(1, 5)), int(rng.integers(1, 9))
    filters = rank * units
    with_bias = seed % 4 != 0
    b = ModelBuilder()
    if dtype == "float32":
        x = b.tensor("x", [batch, input_size], "float32")
        wf = b.tensor("wf", [filters, input_size], "float32",
                      data=rng.uniform(-1, 1, (filters, input_size)))
        wt = b.tensor("wt", [filters, memory], "float32",
                      data=rng.uniform(-1, 1, (filters, memory)))
        bias = (b.tensor("b", [units], "float32", data=rng.uniform(-1, 1, units))
                if with_bias else -1)
        state = b.tensor("state", [batch, memory * filters], "float32", is_variable=True)
        y = b.tensor("y", [batch, units], "float32")
        inputs = rng.uniform(-2, 2, (INVOCATIONS, batch, input_size)).astype(np.float32)
    else:
        s_in, s_wf = float(rng.uniform(0.01, 0.05)), float(rng.uniform(0.005, 0.02))
        s_state = s_in * s_wf * input_size ** 0.5 * float(rng.uniform(0.02, 0.2))
        s_wt = float(rng.uniform(2e-5, 1e-4))
        s_out = s_state * s_wt * 32767 * memory ** 0.5 * float(rng.uniform(0.002, 0.02))
        x = b.tensor("x", [batch, input_size], "int8", scale=s_in,
                     zero_point=int(rng.integers(-20, 21)))
        wf = b.tensor("wf", [filters, input_size], "int8", scale=s_wf,
                      data=rng.integers(-127, 128, (filters, input_size)))
        wt = b.tensor("wt", [filters, memory], "int16", scale=s_wt,
                      data=rng.integers(-32767, 32768, (filters, memory)))
        bias = b.tensor("b", [units], "int32", scale=s_state * s_wt,
                        data=rng.integers(-2000, 2001, units)) if with_bias else -1
        state = b.tensor("state", [batch, memory * filters], "int16", scale=s_state, zero_point=0,
                         is_variable=True)
        y = b.tensor("y", [batch, units], "int8", scale=s_out,
                     zero_point=int(rng.integers(-10, 11)))
        inputs = rng.integers(-128, 128, (INVOCATIONS, batch, input_size)).astype(np.int8)
    b.op("SVDF", [x, wf, wt, bias, state], [y], rank=rank, fused_activation_function=act)
    b.inputs([x])
    b.outputs([y])
    return b.build(), [inputs]


@pytest.mark.parametrize(("dtype", "act", "seed"), CASES,
                         ids=[f"{d}-{a}-{s}" for d, a, s in CASES])
def test_svdf_matches_tflite(dtype: str, act: str, seed: int) -> None:
    model, inputs = svdf_model(dtype, act, seed)
    check_model(model, inputs, invocations=INVOCATIONS, float_tol=0.0)


def test_int8_relu_is_not_applied() -> None:
    """The TFLite quirk named in the module doc: RELU required, negative outputs kept."""
    import tflite

    model, inputs = svdf_model("int8", "RELU", 12110)
    t = check_model(model, inputs, invocations=INVOCATIONS)
    g = tflite.Model.GetRootAs(model, 0).Subgraphs(0)
    zp = g.Tensors(g.Outputs(0)).Quantization().ZeroPoint(0)
    assert any((t.outputs_of(k)[0] < zp).any() for k in range(INVOCATIONS))


def test_int8_other_activation_refused() -> None:
    from tests.ops.harness import run_ours_raw

    model, inputs = svdf_model("int8", "NONE", 12111)
    run = run_ours_raw(model, [[a] for a in inputs[0]])
    assert not run.transcript.passed
    assert any("SVDF" in m and "RELU" in m for _, m in run.transcript.errors)
