"""Small models for runtime tests, written with tfm_ci.modelgen."""

from __future__ import annotations

import numpy as np

from tfm_ci.modelgen import ModelBuilder


def add_model(n: int = 4, dtype: str = "int8") -> bytes:
    """z = x + y (int8, per-tensor quantized)."""
    b = ModelBuilder()
    q = {"scale": 0.1, "zero_point": 0} if dtype == "int8" else {}
    x = b.tensor("x", [1, n], dtype, **q)
    y = b.tensor("y", [1, n], dtype, **q)
    z = b.tensor("z", [1, n], dtype, **q)
    b.op("ADD", [x, y], [z], fused_activation_function="NONE")
    b.inputs([x, y])
    b.outputs([z])
    return b.build()


def chain_model(n: int = 64, length: int = 4) -> bytes:
    """x -> ADD(x, x) repeated `length` times (float32): activations to plan."""
    b = ModelBuilder()
    prev = b.tensor("x", [1, n], "float32")
    first = prev
    for i in range(length):
        out = b.tensor(f"t{i}", [1, n], "float32")
        b.op("ADD", [prev, prev], [out], fused_activation_function="NONE")
        prev = out
    b.inputs([first])
    b.outputs([prev])
    return b.build()


def if_model() -> bytes:
    """out = cond ? a + b : a * b (float32)."""
    b = ModelBuilder()
    cond = b.tensor("cond", [1], "bool")
    a = b.tensor("a", [1, 4], "float32")
    c = b.tensor("b", [1, 4], "float32")
    out = b.tensor("out", [1, 4], "float32")
    then_sg = b.add_subgraph("then")
    else_sg = b.add_subgraph("else")
    for sg, op in ((then_sg, "ADD"), (else_sg, "MUL")):
        x = sg.tensor("x", [1, 4], "float32")
        y = sg.tensor("y", [1, 4], "float32")
        z = sg.tensor("z", [1, 4], "float32")
        sg.op(op, [x, y], [z], fused_activation_function="NONE")
        sg.inputs([x, y])
        sg.outputs([z])
    b.op("IF", [cond, a, c], [out], then_subgraph_index=then_sg.index,
         else_subgraph_index=else_sg.index)
    b.inputs([cond, a, c])
    b.outputs([out])
    return b.build()


def while_model() -> bytes:
    """while i != 5: i += 1; acc = acc * 2 (int32 counter, float32 accumulator)."""
    b = ModelBuilder()
    i0 = b.tensor("i0", [1], "int32")
    acc0 = b.tensor("acc0", [1, 3], "float32")
    i_out = b.tensor("i_out", [1], "int32")
    acc_out = b.tensor("acc_out", [1, 3], "float32")
    cond = b.add_subgraph("cond")
    ci = cond.tensor("i", [1], "int32")
    cacc = cond.tensor("acc", [1, 3], "float32")
    limit = cond.tensor("limit", [1], "int32", data=[5])
    diff = cond.tensor("diff", [1], "int32")
    flag = cond.tensor("flag", [1], "bool")
    cond.op("SUB", [limit, ci], [diff], fused_activation_function="NONE")
    cond.op("CAST", [diff], [flag])  # true while i != limit
    cond.inputs([ci, cacc])
    cond.outputs([flag])
    body = b.add_subgraph("body")
    bi = body.tensor("i", [1], "int32")
    bacc = body.tensor("acc", [1, 3], "float32")
    one = body.tensor("one", [1], "int32", data=[1])
    two = body.tensor("two", [1, 3], "float32", data=[2, 2, 2])
    bi2 = body.tensor("i2", [1], "int32")
    bacc2 = body.tensor("acc2", [1, 3], "float32")
    body.op("ADD", [bi, one], [bi2], fused_activation_function="NONE")
    body.op("MUL", [bacc, two], [bacc2], fused_activation_function="NONE")
    body.inputs([bi, bacc])
    body.outputs([bi2, bacc2])
    b.op("WHILE", [i0, acc0], [i_out, acc_out], cond_subgraph_index=cond.index,
         body_subgraph_index=body.index)
    b.inputs([i0, acc0])
    b.outputs([i_out, acc_out])
    return b.build()


def counter_model() -> bytes:
    """A stateful counter: CALL_ONCE sets var = 10; every invoke var += x; out = var."""
    b = ModelBuilder()
    x = b.tensor("x", [1], "int32")
    h = b.tensor("h", [], "resource")
    cur = b.tensor("cur", [1], "int32")
    out = b.tensor("out", [1], "int32")
    init = b.add_subgraph("init")
    ih = init.tensor("h", [], "resource")
    ten = init.tensor("ten", [1], "int32", data=np.array([10], dtype=np.int32))
    init.op("VAR_HANDLE", [], [ih], container="", shared_name="counter")
    init.op("ASSIGN_VARIABLE", [ih, ten], [])
    init.inputs([])
    init.outputs([])
    b.op("CALL_ONCE", [], [], init_subgraph_index=init.index)
    b.op("VAR_HANDLE", [], [h], container="", shared_name="counter")
    b.op("READ_VARIABLE", [h], [cur])
    b.op("ADD", [cur, x], [out], fused_activation_function="NONE")
    b.op("ASSIGN_VARIABLE", [h, out], [])
    b.inputs([x])
    b.outputs([out])
    return b.build()


def custom_model(name: str = "TfmTestDouble") -> bytes:
    """y = CUSTOM(name)(x), int32 [1, 4]."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "int32")
    y = b.tensor("y", [1, 4], "int32")
    b.op("CUSTOM", [x], [y], custom_code=name, custom_options=b"\x03")
    b.inputs([x])
    b.outputs([y])
    return b.build()


def versioned_add(version: int) -> bytes:
    """ADD with a given op version (float32)."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    z = b.tensor("z", [1, 4], "float32")
    b.op("ADD", [x, x], [z], version=version, fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([z])
    return b.build()


def unsupported_builtin() -> bytes:
    """A model using an op we have no kernel for (LSH_PROJECTION)."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4], "float32")
    z = b.tensor("z", [1, 4], "float32")
    b.op("LSH_PROJECTION", [x], [z])
    b.inputs([x])
    b.outputs([z])
    return b.build()
