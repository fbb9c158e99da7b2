"""Hostile models and input files for the hardening tests (written with tfm_ci.modelgen)."""

from __future__ import annotations

import flatbuffers
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tfm_ci.modelgen import ModelBuilder


def repack(model: bytes, edit) -> bytes:
    """Unpack `model` into the object API, let `edit(ModelT)` change it, pack it again."""
    m = schema.ModelT.InitFromPackedBuf(model, 0)
    edit(m)
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def relu_model(dtype: str = "int8", shape: tuple[int, ...] = (1, 4)) -> bytes:
    """y = RELU(x)."""
    b = ModelBuilder()
    q = {"scale": 0.5, "zero_point": 0} if dtype in ("int8", "int16") else {}
    x = b.tensor("x", list(shape), dtype, **q)
    y = b.tensor("y", list(shape), dtype, **q)
    b.op("RELU", [x], [y])
    b.inputs([x])
    b.outputs([y])
    return b.build()


def endless_while(step: int = 0) -> bytes:
    """while i != 5: i += step -- with step 0 the loop never ends (int32 counter)."""
    b = ModelBuilder()
    i0 = b.tensor("i0", [1], "int32")
    i_out = b.tensor("i_out", [1], "int32")
    cond = b.add_subgraph("cond")
    ci = cond.tensor("i", [1], "int32")
    limit = cond.tensor("limit", [1], "int32", data=[5])
    diff = cond.tensor("diff", [1], "int32")
    flag = cond.tensor("flag", [1], "bool")
    cond.op("SUB", [limit, ci], [diff], fused_activation_function="NONE")
    cond.op("CAST", [diff], [flag])
    cond.inputs([ci])
    cond.outputs([flag])
    body = b.add_subgraph("body")
    bi = body.tensor("i", [1], "int32")
    inc = body.tensor("inc", [1], "int32", data=[step])
    bi2 = body.tensor("i2", [1], "int32")
    body.op("ADD", [bi, inc], [bi2], fused_activation_function="NONE")
    body.inputs([bi])
    body.outputs([bi2])
    b.op("WHILE", [i0], [i_out], cond_subgraph_index=cond.index, body_subgraph_index=body.index)
    b.inputs([i0])
    b.outputs([i_out])
    return b.build()


def no_subgraphs() -> bytes:
    def edit(m):
        m.subgraphs = []
    return repack(relu_model(), edit)


def io_type(which: str, type_code: int) -> bytes:
    """relu_model with its input or output tensor retyped (STRING, FLOAT16, ...)."""
    def edit(m):
        sg = m.subgraphs[0]
        index = sg.inputs[0] if which == "input" else sg.outputs[0]
        sg.tensors[index].type = type_code
        sg.tensors[index].quantization = None
    return repack(relu_model("float32"), edit)


def unwritten_output() -> bytes:
    """Two outputs, but no op writes the second one."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    y = b.tensor("y", [1, 4], "float32")
    orphan = b.tensor("orphan", [1, 4], "float32")
    b.op("RELU", [x], [y])
    b.inputs([x])
    b.outputs([y, orphan])
    return b.build()


def empty_concat() -> bytes:
    """CONCATENATION of a [1, 0] and a [1, 4] input (int8)."""
    b = ModelBuilder()
    q = {"scale": 0.5, "zero_point": 0}
    x = b.tensor("x", [1, 4], "int8", **q)
    e = b.tensor("e", [1, 0], "int8", **q)
    y = b.tensor("y", [1, 4], "int8", **q)
    b.op("CONCATENATION", [e, x], [y], axis=1, fused_activation_function="NONE")
    b.inputs([x, e])
    b.outputs([y])
    return b.build()


def add_zero_float() -> bytes:
    """y = x + 0 (float32 [1, 4]): NaN and inf pass through."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    zero = b.tensor("zero", [1, 4], "float32", data=[0, 0, 0, 0])
    y = b.tensor("y", [1, 4], "float32")
    b.op("ADD", [x, zero], [y], fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([y])
    return b.build()


def two_custom_ops() -> bytes:
    """Two CUSTOM ops no kernel set has (TfmNopeA twice, TfmNopeB once)."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    y = b.tensor("y", [1, 4], "float32")
    z = b.tensor("z", [1, 4], "float32")
    w = b.tensor("w", [1, 4], "float32")
    b.op("CUSTOM", [x], [y], custom_code="TfmNopeA")
    b.op("CUSTOM", [y], [z], custom_code="TfmNopeB")
    b.op("CUSTOM", [z], [w], custom_code="TfmNopeA")
    b.inputs([x])
    b.outputs([w])
    return b.build()


def variable_input(model: bytes, op_input: int, op: int = 0, subgraph: int = 0) -> bytes:
    """`model` with the constant tensor at input `op_input` of operator `op` turned into a
    tensor without data (buffer 0): one the arena must hold."""
    def edit(m) -> None:
        tensor = m.subgraphs[subgraph].operators[op].inputs[op_input]
        m.subgraphs[subgraph].tensors[tensor].buffer = 0

    return repack(model, edit)


def lstm_int8(seed: int = 3) -> bytes:
    """An integer LSTM (random weights, no optional parts)."""
    from tests.ops.lstm_int8_models import LstmFeatures, lstm_int8_model

    return lstm_int8_model(seed, LstmFeatures())[0]
