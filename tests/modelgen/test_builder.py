"""ModelBuilder: models round-trip through the `tflite` reader and run in ai-edge-litert."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import tflite

from tfm_ci.modelgen import ModelBuilder, ModelGenError, builtin_code, options_name
from tfm_ci.modelgen.options import OPTIONS_BY_OP
from tfm_ci.oracle import run_reference

OPS_DEF = Path(__file__).resolve().parents[2] / "firmware" / "kernels" / "ops.def"


def _conv_model() -> bytes:
    b = ModelBuilder(description="conv test")
    x = b.tensor("x", [1, 5, 5, 2], "int8", scale=0.05, zero_point=-3)
    w = b.tensor("w", [3, 3, 3, 2], "int8", data=np.arange(54).reshape(3, 3, 3, 2) - 27,
                 scale=[0.01, 0.02, 0.03], zero_point=0)
    bias = b.tensor("b", [3], "int32", data=[10, -20, 30], scale=[5e-4, 1e-3, 1.5e-3])
    y = b.tensor("y", [1, 1, 3, 3], "int8", scale=0.1, zero_point=2)
    b.op("CONV_2D", [x, w, bias], [y], padding="VALID", stride_w=1, stride_h=2,
         dilation_h_factor=2, fused_activation_function="RELU6")
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_conv_round_trips_through_tflite_reader() -> None:
    data = _conv_model()
    assert data[4:8] == b"TFL3"
    m = tflite.Model.GetRootAs(data, 0)
    assert m.Version() == 3
    assert m.Description() == b"conv test"
    assert m.Buffers(0).DataLength() == 0
    sg = m.Subgraphs(0)
    assert sg.TensorsLength() == 4 and sg.OperatorsLength() == 1
    w = sg.Tensors(1)
    assert w.Name() == b"w" and w.Type() == tflite.TensorType.INT8
    assert list(w.ShapeAsNumpy()) == [3, 3, 3, 2]
    assert list(w.Quantization().ScaleAsNumpy()) == pytest.approx([0.01, 0.02, 0.03])
    assert list(w.Quantization().ZeroPointAsNumpy()) == [0, 0, 0]
    weights = m.Buffers(w.Buffer()).DataAsNumpy().view(np.int8)
    assert weights.tolist() == (np.arange(54) - 27).tolist()
    bias = m.Buffers(sg.Tensors(2).Buffer()).DataAsNumpy().view("<i4")
    assert bias.tolist() == [10, -20, 30]
    assert sg.Tensors(0).Buffer() == 0  # activations have no data
    op = sg.Operators(0)
    assert m.OperatorCodes(op.OpcodeIndex()).BuiltinCode() == tflite.BuiltinOperator.CONV_2D
    assert op.BuiltinOptionsType() == tflite.BuiltinOptions.Conv2DOptions
    opts = tflite.Conv2DOptions()
    opts.Init(op.BuiltinOptions().Bytes, op.BuiltinOptions().Pos)
    assert (opts.Padding(), opts.StrideW(), opts.StrideH()) == (tflite.Padding.VALID, 1, 2)
    assert (opts.DilationWFactor(), opts.DilationHFactor()) == (1, 2)
    assert opts.FusedActivationFunction() == tflite.ActivationFunctionType.RELU6
    assert list(op.InputsAsNumpy()) == [0, 1, 2] and list(op.OutputsAsNumpy()) == [3]


def test_constant_buffers_are_16_byte_aligned() -> None:
    data = _conv_model()
    m = tflite.Model.GetRootAs(data, 0)
    base = np.frombuffer(data, np.uint8).ctypes.data
    for i in range(1, m.BuffersLength()):
        offset = m.Buffers(i).DataAsNumpy().ctypes.data - base
        assert offset % 16 == 0, f"buffer {i} at offset {offset}"


def test_conv_runs_in_tflite_and_respects_relu6() -> None:
    x = np.random.default_rng(1).integers(-128, 128, (1, 5, 5, 2)).astype(np.int8)
    (y,), = run_reference(_conv_model(), [x])
    assert y.shape == (1, 1, 3, 3) and y.dtype == np.int8
    # RELU6 on scale 0.1, zero point 2 clamps to [2, 62].
    assert y.min() >= 2 and y.max() <= 62
    assert len(np.unique(y)) >= 3


def test_float_fully_connected_matches_numpy() -> None:
    rng = np.random.default_rng(2)
    w = rng.normal(size=(4, 6)).astype(np.float32)
    bias = rng.normal(size=4).astype(np.float32)
    b = ModelBuilder()
    x = b.tensor("x", [2, 6], "float32")
    wt = b.tensor("w", [4, 6], "float32", data=w)
    bt = b.tensor("b", [4], "float32", data=bias)
    y = b.tensor("y", [2, 4], "float32")
    b.op("FULLY_CONNECTED", [x, wt, bt], [y], fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([y])
    xs = rng.normal(size=(2, 6)).astype(np.float32)
    (out,), = run_reference(b.build(), [xs])
    np.testing.assert_allclose(out, xs @ w.T + bias, rtol=1e-5, atol=1e-5)


def test_absent_optional_input_and_enum_ints() -> None:
    b = ModelBuilder()
    x = b.tensor("x", [1, 3], "float32")
    w = b.tensor("w", [2, 3], "float32", data=np.ones((2, 3)))
    y = b.tensor("y", [1, 2], "float32")
    b.op("FULLY_CONNECTED", [x, w, -1], [y], fused_activation_function=1)  # 1 = RELU
    b.inputs([x])
    b.outputs([y])
    (out,), = run_reference(b.build(), [np.array([[1.0, -5.0, 1.0]], np.float32)])
    assert out.tolist() == [[0.0, 0.0]]


def _if_model() -> bytes:
    b = ModelBuilder()
    cond = b.tensor("cond", [1], "bool")
    x = b.tensor("x", [2], "float32")
    y = b.tensor("y", [2], "float32")
    then_sg = b.add_subgraph("then")
    else_sg = b.add_subgraph("else")
    for sg, op in ((then_sg, "RELU"), (else_sg, "TANH")):
        i = sg.tensor("in", [2], "float32")
        o = sg.tensor("out", [2], "float32")
        sg.op(op, [i], [o])
        sg.inputs([i])
        sg.outputs([o])
    b.op("IF", [cond, x], [y], then_subgraph_index=then_sg.index,
         else_subgraph_index=else_sg.index)
    b.inputs([cond, x])
    b.outputs([y])
    return b.build()


def test_if_with_subgraphs_runs_in_tflite() -> None:
    data = _if_model()
    m = tflite.Model.GetRootAs(data, 0)
    assert m.SubgraphsLength() == 3
    assert m.Subgraphs(1).Name() == b"then"
    x = np.array([-1.0, 0.5], np.float32)
    (on,), = run_reference(data, [np.array([True]), x])
    (off,), = run_reference(data, [np.array([False]), x])
    np.testing.assert_allclose(on, [0.0, 0.5])
    np.testing.assert_allclose(off, np.tanh(x), rtol=1e-6)


def _accumulator_model() -> bytes:
    """CALL_ONCE initialises a resource variable to 0; each invoke adds x to it."""
    b = ModelBuilder()
    init = b.add_subgraph("init")
    h0 = init.tensor("h", [], "resource")
    zero = init.tensor("zero", [2], "float32", data=[0.0, 0.0])
    init.op("VAR_HANDLE", [], [h0], shared_name="acc")
    init.op("ASSIGN_VARIABLE", [h0, zero], [])
    x = b.tensor("x", [2], "float32")
    h = b.tensor("h", [], "resource")
    old = b.tensor("old", [2], "float32")
    new = b.tensor("new", [2], "float32")
    b.op("CALL_ONCE", [], [], init_subgraph_index=init.index)
    b.op("VAR_HANDLE", [], [h], shared_name="acc")
    b.op("READ_VARIABLE", [h], [old])
    b.op("ADD", [old, x], [new])
    b.op("ASSIGN_VARIABLE", [h, new], [])
    b.inputs([x])
    b.outputs([new])
    return b.build()


def test_variables_keep_state_between_invocations() -> None:
    data = _accumulator_model()
    m = tflite.Model.GetRootAs(data, 0)
    codes = {m.OperatorCodes(i).BuiltinCode(): m.OperatorCodes(i).DeprecatedBuiltinCode()
             for i in range(m.OperatorCodesLength())}
    assert codes[tflite.BuiltinOperator.VAR_HANDLE] == 127  # > 127: placeholder code
    xs = np.array([[1.0, 2.0], [10.0, 20.0], [100.0, 200.0]], np.float32)
    outs = run_reference(data, [xs], invocations=3)
    assert [o[0].tolist() for o in outs] == [[1.0, 2.0], [11.0, 22.0], [111.0, 222.0]]


def test_custom_op_and_metadata_round_trip() -> None:
    b = ModelBuilder()
    x = b.tensor("x", [4], "uint8")
    y = b.tensor("y", [4], "int16", scale=0.5, zero_point=0)
    b.op("CUSTOM", [x], [y], custom_code="MY_OP", custom_options=b"\x01\x02\x03", version=2)
    b.inputs([x])
    b.outputs([y])
    b.metadata("min_runtime_version", b"1.5.0\0")
    m = tflite.Model.GetRootAs(b.build(), 0)
    oc = m.OperatorCodes(0)
    assert (oc.BuiltinCode(), oc.CustomCode(), oc.Version()) == (32, b"MY_OP", 2)
    op = m.Subgraphs(0).Operators(0)
    assert bytes(op.CustomOptionsAsNumpy()) == b"\x01\x02\x03"
    md = m.Metadata(0)
    assert md.Name() == b"min_runtime_version"
    assert bytes(m.Buffers(md.Buffer()).DataAsNumpy()) == b"1.5.0\0"
    assert m.Subgraphs(0).Tensors(1).Type() == tflite.TensorType.INT16


def test_opcodes_are_shared_and_versioned() -> None:
    b = ModelBuilder()
    t = [b.tensor(f"t{i}", [2], "float32") for i in range(4)]
    b.op("RELU", [t[0]], [t[1]])
    b.op("RELU", [t[1]], [t[2]])
    b.op("RELU", [t[2]], [t[3]], version=2)
    m = tflite.Model.GetRootAs(b.build(), 0)
    assert m.OperatorCodesLength() == 2
    sg = m.Subgraphs(0)
    assert [sg.Operators(i).OpcodeIndex() for i in range(3)] == [0, 0, 1]


def test_every_ops_def_op_has_a_known_code_and_options_entry() -> None:
    entries = re.findall(r"^TFM_OP\((\w+), (\d+), \w+, \d+\)", OPS_DEF.read_text(), re.M)
    assert len(entries) > 40
    for name, code in entries:
        assert builtin_code(name) == int(code), name
        assert name in OPTIONS_BY_OP, name
    assert options_name("CUSTOM") is None
    assert options_name("MEAN") == "ReducerOptions"
    assert options_name("SQUARED_DIFFERENCE") == "SquaredDifferenceOptions"  # by convention


def test_builtin_options2_union() -> None:
    b = ModelBuilder()
    x = b.tensor("x", [4], "float32")
    y = b.tensor("y", [4], "float32")
    b.op("REDUCE_WINDOW", [x], [y], reduce_function="MUL")
    op = tflite.Model.GetRootAs(b.build(), 0).Subgraphs(0).Operators(0)
    assert op.BuiltinOptionsType() == 0
    assert op.BuiltinOptions2Type() == tflite.BuiltinOptions2.ReduceWindowOptions
    opts = tflite.ReduceWindowOptions()
    opts.Init(op.BuiltinOptions2().Bytes, op.BuiltinOptions2().Pos)
    assert opts.ReduceFunction() == tflite.ReduceWindowFunction.MUL


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda b, x: b.op("NOT_AN_OP", [x], [x]), "unknown builtin operator"),
        (lambda b, x: b.op("CONV_2D", [x], [x], strides=2), "has no field 'strides'"),
        (lambda b, x: b.op("CONV_2D", [x], [x], padding="WEIRD"), "not one of"),
        (lambda b, x: b.op("RELU", [x], [x], alpha=1.0), "takes no options"),
        (lambda b, x: b.op("RELU", [x], [7]), "out of range"),
        (lambda b, x: b.op("CUSTOM", [x], [x]), "custom_code"),
        (lambda b, x: b.tensor("t", [2], "complex128"), "unsupported tensor dtype"),
        (lambda b, x: b.tensor("t", [2], "int8", data=[1, 2, 3]), "needs 2"),
        (lambda b, x: b.tensor("t", [2], "int8", scale=[1.0, 2.0], zero_point=[0, 0, 0]),
         "zero points"),
    ],
)
def test_bad_descriptions_are_refused(call, message: str) -> None:
    b = ModelBuilder()
    x = b.tensor("x", [2], "float32")
    with pytest.raises(ModelGenError, match=message):
        call(b, x)
