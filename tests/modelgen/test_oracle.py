"""tfm_ci.oracle: input description, random inputs, TFLite runs."""

from __future__ import annotations

import numpy as np
import pytest

from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import OracleError, input_specs, op_names, random_inputs, run_reference


def _two_input_model() -> bytes:
    b = ModelBuilder()
    a = b.tensor("a", [64, 64], "int8", scale=0.5, zero_point=-1)
    c = b.tensor("c", [3], "float32")
    d = b.tensor("d", [8], "int16", scale=0.25, zero_point=0)
    a2 = b.tensor("a2", [64, 64], "int8", scale=0.5, zero_point=-1)
    c2 = b.tensor("c2", [3], "float32")
    b.op("RELU", [a], [a2])
    b.op("TANH", [c], [c2])
    b.inputs([a, c, d])
    b.outputs([a2, c2])
    return b.build()


def test_input_specs_describe_inputs_in_order() -> None:
    specs = input_specs(_two_input_model())
    assert [(s.name, s.dtype, s.shape) for s in specs] == [
        ("a", np.dtype("int8"), (64, 64)), ("c", np.dtype("float32"), (3,)),
        ("d", np.dtype("int16"), (8,))]
    assert (specs[0].scale, specs[0].zero_point) == (0.5, -1)
    assert specs[1].scale is None and specs[1].zero_point is None
    assert specs[0].nbytes == 4096 and specs[2].nbytes == 16


def test_random_inputs_cover_the_type_range_and_are_seeded() -> None:
    model = _two_input_model()
    a, c, d = random_inputs(model, np.random.default_rng(3))
    assert a.dtype == np.int8 and a.min() == -128 and a.max() == 127
    assert c.dtype == np.float32 and np.all(np.abs(c) <= 1.0)
    assert d.dtype == np.int16
    again = random_inputs(model, np.random.default_rng(3))
    assert all(np.array_equal(x, y) for x, y in zip((a, c, d), again, strict=True))


def test_run_reference_returns_outputs_per_invocation() -> None:
    model = _two_input_model()
    rng = np.random.default_rng(0)
    seq = [np.stack(arrays) for arrays in zip(*(random_inputs(model, rng) for _ in range(2)),
                                              strict=True)]
    outs = run_reference(model, seq, invocations=2)
    assert len(outs) == 2 and all(len(o) == 2 for o in outs)
    for k in range(2):
        # RELU on int8 (zero point -1) clamps below at the zero point.
        np.testing.assert_array_equal(outs[k][0], np.maximum(seq[0][k], -1))
        np.testing.assert_allclose(outs[k][1], np.tanh(seq[1][k]), rtol=1e-5, atol=1e-6)
    assert op_names(model) == ["RELU", "TANH"]


def test_run_reference_refuses_bad_models_and_inputs() -> None:
    with pytest.raises(OracleError, match="cannot load"):
        run_reference(b"not a model at all", [])
    with pytest.raises(OracleError, match="3 inputs"):
        run_reference(_two_input_model(), [np.zeros((64, 64), np.int8)])
    with pytest.raises(ValueError, match="resolver"):
        run_reference(_two_input_model(), [], resolver="fast")


def test_rank1_quantized_dimension_is_normalised_for_tflite() -> None:
    """Old converters wrote bias quantized_dimension=3 (person_detect); TFLite refuses it."""
    from ai_edge_litert.interpreter import Interpreter

    from tfm_ci.oracle import tflite_compatible

    b = ModelBuilder()
    x = b.tensor("x", [1, 3, 3, 1], "int8", scale=0.1, zero_point=0)
    w = b.tensor("w", [1, 2, 2, 2], "int8", data=np.arange(8) - 4, scale=[0.1, 0.2],
                 quantized_dimension=3)
    bias = b.tensor("b", [2], "int32", data=[5, -5], scale=[0.01, 0.02], quantized_dimension=3)
    y = b.tensor("y", [1, 2, 2, 2], "int8", scale=0.05, zero_point=1)
    b.op("DEPTHWISE_CONV_2D", [x, w, bias], [y], padding="VALID", stride_w=1, stride_h=1,
         depth_multiplier=2)
    b.inputs([x])
    b.outputs([y])
    model = b.build()
    with pytest.raises(ValueError, match="quantized_dimension"):
        Interpreter(model_content=model)
    fixed = tflite_compatible(model)
    assert len(fixed) == len(model)
    assert sum(p != q for p, q in zip(model, fixed, strict=True)) == 1  # one byte: 3 -> 0
    (out,), = run_reference(model, [np.ones((1, 3, 3, 1), np.int8) * 7])
    assert out.shape == (1, 2, 2, 2)
