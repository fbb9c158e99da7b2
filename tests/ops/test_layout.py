"""Data-movement and index ops against TFLite's reference kernels, bit-exact: SELECT_V2,
BROADCAST_TO, BROADCAST_ARGS, FILL, REVERSE_V2, DEPTH_TO_SPACE, SPACE_TO_DEPTH,
MIRROR_PAD, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, GATHER_ND, EMBEDDING_LOOKUP,
DYNAMIC_UPDATE_SLICE, CUMSUM, ARG_MIN, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD.

Each case draws its shapes and parameters from its own seed; parameter tensors (axes,
paddings, indices, block shapes) are model constants as the TFLite converter writes them.
Float CUMSUM and REDUCE_PROD sum/multiply in TFLite's order, so floats compare exactly too.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tests.ops.edge_values import draw, random_shape
from tests.ops.harness import check_model
from tfm_ci.modelgen import ModelBuilder

Built = tuple[bytes, list[np.ndarray]]
QUANT = {"int8": {"scale": 0.05, "zero_point": -7}, "uint8": {"scale": 0.05, "zero_point": 130},
         "int16": {"scale": 0.001, "zero_point": 0}}


def _single(op: str, ins: list[tuple[str, list[int], str, np.ndarray | None]],
            out_shape: list[int], out_dtype: str, rng: np.random.Generator,
            quant: bool = True, version: int = 1, **options: object) -> Built:
    """One-op model; `ins` are (name, shape, dtype, constant data or None)."""
    b = ModelBuilder()
    ids, arrays, live = [], [], []
    for name, shape, dtype, data in ins:
        q = QUANT.get(dtype, {}) if quant else {}
        t = b.tensor(name, shape, dtype, data=data, **q)
        ids.append(t)
        if data is None:
            live.append(t)
            arrays.append(draw(rng, shape, dtype))
    qo = QUANT.get(out_dtype, {}) if quant else {}
    y = b.tensor("y", out_shape, out_dtype, **qo)
    b.op(op, ids, [y], version=version, **options)
    b.inputs(live)
    b.outputs([y])
    return b.build(), arrays


def select_v2(rng: np.random.Generator, dtype: str) -> Built:
    out = random_shape(rng, 4)
    shapes = [[1 if rng.random() < 0.4 else d for d in out][int(rng.integers(0, len(out) + 1)):]
              for _ in range(3)]
    shapes[int(rng.integers(0, 3))] = out  # one input carries the full shape
    return _single("SELECT_V2", [("c", shapes[0], "bool", None), ("x", shapes[1], dtype, None),
                                 ("y_in", shapes[2], dtype, None)], out, dtype, rng)


def broadcast_to(rng: np.random.Generator, dtype: str) -> Built:
    out = random_shape(rng, 5) or [3]
    shape = [1 if rng.random() < 0.5 else d for d in out][int(rng.integers(0, len(out))):]
    return _single("BROADCAST_TO", [("x", shape, dtype, None),
                                    ("shape", [len(out)], "int32", np.array(out))], out, dtype, rng,
                   version=2)  # TFLite registers BROADCAST_TO from version 2


def broadcast_args(rng: np.random.Generator, dtype: str) -> Built:
    out = random_shape(rng, 6) or [2]
    s0 = [1 if rng.random() < 0.5 else d for d in out][int(rng.integers(0, len(out))):]
    s1 = [1 if rng.random() < 0.5 else d for d in out]
    b = ModelBuilder()
    x0, x1 = b.tensor("s0", [len(s0)], dtype), b.tensor("s1", [len(s1)], dtype)
    y = b.tensor("y", [len(out)], dtype)
    b.op("BROADCAST_ARGS", [x0, x1], [y])
    b.inputs([x0, x1])
    b.outputs([y])
    return b.build(), [np.array(s0, dtype), np.array(s1, dtype)]


def fill(rng: np.random.Generator, dtype: str) -> Built:
    out = random_shape(rng, 4)
    return _single("FILL", [("dims", [len(out)], "int32", np.array(out, dtype=np.int64)),
                            ("v", [], dtype, None)], out, dtype, rng)


def reverse_v2(rng: np.random.Generator, dtype: str) -> Built:
    shape = random_shape(rng, 5) or [4]
    axis = int(rng.integers(-len(shape), len(shape)))
    return _single("REVERSE_V2", [("x", shape, dtype, None),
                                  ("axis", [1], "int32", np.array([axis]))], shape, dtype, rng)


def depth_to_space(rng: np.random.Generator, dtype: str) -> Built:
    bs = int(rng.integers(1, 4))
    n, h, w, c = (int(rng.integers(1, 4)) for _ in range(4))
    return _single("DEPTH_TO_SPACE", [("x", [n, h, w, c * bs * bs], dtype, None)],
                   [n, h * bs, w * bs, c], dtype, rng, block_size=bs)


def space_to_depth(rng: np.random.Generator, dtype: str) -> Built:
    bs = int(rng.integers(1, 4))
    n, h, w, c = (int(rng.integers(1, 4)) for _ in range(4))
    return _single("SPACE_TO_DEPTH", [("x", [n, h * bs, w * bs, c], dtype, None)],
                   [n, h, w, c * bs * bs], dtype, rng, block_size=bs)


def mirror_pad(rng: np.random.Generator, dtype: str) -> Built:
    shape = [int(rng.integers(2, 5)) for _ in range(int(rng.integers(1, 5)))]
    mode = ("REFLECT", "SYMMETRIC")[int(rng.integers(0, 2))]
    top = 0 if mode == "SYMMETRIC" else 1
    pads = np.array([[int(rng.integers(0, d + 1 - top)) for _ in range(2)] for d in shape])
    out = [d + int(p.sum()) for d, p in zip(shape, pads, strict=True)]
    return _single("MIRROR_PAD", [("x", shape, dtype, None),
                                  ("pads", [len(shape), 2], "int32", pads)], out, dtype, rng,
                   mode=mode)


def _block_geometry(rng: np.random.Generator) -> tuple[int, list[int], list[int], list[int]]:
    rank = int(rng.integers(3, 5))
    block = [int(rng.integers(1, 4)) for _ in range(rank - 2)]
    outer = [int(rng.integers(1, 4)) for _ in range(rank - 2)]
    return rank, block, outer, [int(rng.integers(1, 3)), int(rng.integers(1, 4))]


def space_to_batch_nd(rng: np.random.Generator, dtype: str) -> Built:
    _, block, outer, (n, c) = _block_geometry(rng)
    pads, space = [], []
    for bl, o in zip(block, outer, strict=True):
        total = bl * o
        lo = int(rng.integers(0, min(bl, total - 1) + 1)) if total > 1 else 0
        hi = int(rng.integers(0, max(0, min(bl, total - lo - 1)) + 1)) if total - lo > 1 else 0
        pads.append([lo, hi])
        space.append(total - lo - hi)
    return _single("SPACE_TO_BATCH_ND", [
        ("x", [n, *space, c], dtype, None),
        ("block", [len(block)], "int32", np.array(block)),
        ("pads", [len(block), 2], "int32", np.array(pads))],
        [n * int(np.prod(block)), *outer, c], dtype, rng)


def batch_to_space_nd(rng: np.random.Generator, dtype: str) -> Built:
    _, block, outer, (n, c) = _block_geometry(rng)
    crops, space = [], []
    for bl, o in zip(block, outer, strict=True):
        total = bl * o
        lo = int(rng.integers(0, total // 2 + 1)) if total > 1 else 0
        hi = int(rng.integers(0, (total - lo) // 2 + 1)) if total - lo > 1 else 0
        crops.append([lo, hi])
        space.append(total - lo - hi)
    return _single("BATCH_TO_SPACE_ND", [
        ("x", [n * int(np.prod(block)), *outer, c], dtype, None),
        ("block", [len(block)], "int32", np.array(block)),
        ("crops", [len(block), 2], "int32", np.array(crops))],
        [n, *space, c], dtype, rng)


def gather_nd(rng: np.random.Generator, dtype: str) -> Built:
    params = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 5)))]
    k = int(rng.integers(1, len(params) + 1))
    lead = random_shape(rng, 2)
    idx = np.stack([rng.integers(0, params[j], size=lead) for j in range(k)], axis=-1)
    out = [*lead, *params[k:]]
    itype = ("int16", "int32", "int64")[int(rng.integers(0, 3))]
    return _single("GATHER_ND", [("p", params, dtype, None), ("i", [*lead, k], itype, idx)],
                   out, dtype, rng)


def embedding_lookup(rng: np.random.Generator, dtype: str) -> Built:
    rows = int(rng.integers(1, 7))
    row = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 3)))]
    n = int(rng.integers(1, 6))
    ids = rng.integers(0, rows, size=n)
    return _single("EMBEDDING_LOOKUP", [("ids", [n], "int32", ids),
                                        ("v", [rows, *row], dtype, None)], [n, *row], dtype, rng)


def embedding_lookup_hybrid(rng: np.random.Generator, dtype: str) -> Built:
    """int8 table, float32 output: TFLite's hybrid lookup dequantizes with the scale."""
    rows, row, n = int(rng.integers(1, 7)), [int(rng.integers(1, 6))], int(rng.integers(1, 6))
    b = ModelBuilder()
    ids = b.tensor("ids", [n], "int32")
    v = b.tensor("v", [rows, *row], "int8", data=rng.integers(-128, 128, size=[rows, *row]),
                 scale=float(rng.uniform(0.01, 0.5)), zero_point=0)
    y = b.tensor("y", [n, *row], "float32")
    b.op("EMBEDDING_LOOKUP", [ids, v], [y])
    b.inputs([ids])
    b.outputs([y])
    return b.build(), [rng.integers(0, rows, size=n).astype(np.int32)]


def embedding_lookup_per_row(rng: np.random.Generator, dtype: str) -> Built:
    """int8 table quantized per row (one scale per embedding): each row's own scale."""
    rows, row, n = int(rng.integers(2, 7)), [int(rng.integers(1, 6))], int(rng.integers(1, 6))
    b = ModelBuilder()
    ids = b.tensor("ids", [n], "int32")
    v = b.tensor("v", [rows, *row], "int8", data=rng.integers(-128, 128, size=[rows, *row]),
                 scale=list(rng.uniform(0.01, 0.5, rows)), zero_point=[0] * rows,
                 quantized_dimension=0)
    y = b.tensor("y", [n, *row], "float32")
    b.op("EMBEDDING_LOOKUP", [ids, v], [y])
    b.inputs([ids])
    b.outputs([y])
    return b.build(), [rng.integers(0, rows, size=n).astype(np.int32)]


def dynamic_update_slice(rng: np.random.Generator, dtype: str) -> Built:
    shape = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 5)))]
    upd = [int(rng.integers(1, d + 1)) for d in shape]
    start = rng.integers(-2, 7, size=len(shape))  # out-of-range starts are clamped
    return _single("DYNAMIC_UPDATE_SLICE", [("x", shape, dtype, None), ("u", upd, dtype, None),
                                            ("s", [len(shape)], "int32", start)], shape, dtype, rng)


def cumsum(rng: np.random.Generator, dtype: str) -> Built:
    shape = random_shape(rng, 4) or [5]
    axis = int(rng.integers(-len(shape), len(shape)))
    return _single("CUMSUM", [("x", shape, dtype, None), ("axis", [], "int32", np.array(axis))],
                   shape, dtype, rng, exclusive=bool(rng.integers(0, 2)),
                   reverse=bool(rng.integers(0, 2)))


def arg_min(rng: np.random.Generator, dtype: str) -> Built:
    shape = random_shape(rng, 4) or [6]
    axis = int(rng.integers(-len(shape), len(shape)))
    out = [d for i, d in enumerate(shape) if i != axis % len(shape)]
    otype = ("int32", "int64")[int(rng.integers(0, 2))]
    return _single("ARG_MIN", [("x", shape, dtype, None),
                               ("axis", [1], "int32", np.array([axis]))], out, otype, rng,
                   output_type=otype.upper())


def _reduce(op: str) -> Callable[[np.random.Generator, str], Built]:
    def build(rng: np.random.Generator, dtype: str) -> Built:
        shape = [int(rng.integers(1, 5)) for _ in range(int(rng.integers(1, 5)))]
        axes = sorted({int(a) for a in rng.integers(-len(shape), len(shape),
                                                     size=int(rng.integers(1, len(shape) + 1)))})
        keep = bool(rng.integers(0, 2))
        red = {a % len(shape) for a in axes}
        out = [1 if i in red else d for i, d in enumerate(shape)] if keep else \
            [d for i, d in enumerate(shape) if i not in red]
        return _single(op, [("x", shape, dtype, None),
                            ("axes", [len(axes)], "int32", np.array(axes))], out, dtype, rng,
                       keep_dims=keep)
    return build


ALL_INT = ("int8", "uint8", "int16", "int32", "int64")
BUILDERS: dict[str, tuple[Callable[[np.random.Generator, str], Built], tuple[str, ...]]] = {
    "SELECT_V2": (select_v2, ("float32", "int8", "int16", "int32", "int64", "bool")),
    "BROADCAST_TO": (broadcast_to, ("float32", "int8", "int16", "int32", "int64", "bool")),
    "BROADCAST_ARGS": (broadcast_args, ("int32", "int64")),
    "FILL": (fill, ("float32", "int8", "int16", "int32", "int64", "bool")),
    "REVERSE_V2": (reverse_v2, ("float32", *ALL_INT, "bool")),
    "DEPTH_TO_SPACE": (depth_to_space, ("float32", "int8", "uint8", "int32", "int64")),
    "SPACE_TO_DEPTH": (space_to_depth, ("float32", "int8", "uint8", "int32", "int64")),
    "MIRROR_PAD": (mirror_pad, ("float32", *ALL_INT)),
    "SPACE_TO_BATCH_ND": (space_to_batch_nd, ("float32", *ALL_INT)),
    "BATCH_TO_SPACE_ND": (batch_to_space_nd, ("float32", *ALL_INT)),
    "GATHER_ND": (gather_nd, ("float32", *ALL_INT, "bool")),
    "EMBEDDING_LOOKUP": (embedding_lookup, ("float32", "int8", "uint8", "int32")),
    "EMBEDDING_LOOKUP-hybrid": (embedding_lookup_hybrid, ("int8",)),
    "EMBEDDING_LOOKUP-per-row": (embedding_lookup_per_row, ("int8",)),
    "DYNAMIC_UPDATE_SLICE": (dynamic_update_slice,
                             ("float32", "int8", "int16", "int32", "int64", "bool")),
    "CUMSUM": (cumsum, ("float32", "int32", "int64")),
    "ARG_MIN": (arg_min, ("float32", "int8", "uint8", "int32")),
    "REDUCE_MAX": (_reduce("REDUCE_MAX"), ("float32", *ALL_INT)),
    "REDUCE_MIN": (_reduce("REDUCE_MIN"), ("float32", *ALL_INT)),
    "REDUCE_PROD": (_reduce("REDUCE_PROD"), ("float32", "int32", "int64")),
}
CASES_PER_TYPE = 5
CASES = [(op, dtype, 7000 + 100 * i + 10 * j + k)
         for i, (op, (_, dtypes)) in enumerate(BUILDERS.items())
         for j, dtype in enumerate(dtypes) for k in range(CASES_PER_TYPE)]


@pytest.mark.parametrize(("op", "dtype", "seed"), CASES,
                         ids=[f"{o}-{d}-{s}" for o, d, s in CASES])
def test_layout_op_matches_tflite(op: str, dtype: str, seed: int) -> None:
    model, inputs = BUILDERS[op][0](np.random.default_rng(seed), dtype)
    check_model(model, inputs, float_tol=0.0)


# ---- targeted cases ----------------------------------------------------------------------

def _model(ops: list[tuple[str, list[int], list[int], dict[str, object]]],
           tensors: list[tuple[str, list[int], str, np.ndarray | None]],
           inputs: list[int], outputs: list[int]) -> bytes:
    b = ModelBuilder()
    for name, shape, dtype, data in tensors:
        b.tensor(name, shape, dtype, data=data)
    for op, ins, outs, options in ops:
        b.op(op, ins, outs, **options)
    b.inputs(inputs)
    b.outputs(outputs)
    return b.build()


def test_reduce_max_min_start_at_the_float_limits() -> None:
    """TFLite starts REDUCE_MAX at lowest() and skips NaN: max(-inf, -inf) is -FLT_MAX and
    max(NaN, 1) is 1; REDUCE_MIN mirrors it. Ours must agree."""
    x = np.array([[-np.inf, -np.inf], [np.nan, 1.0], [np.inf, np.nan], [np.nan, np.nan]],
                 np.float32)
    for op in ("REDUCE_MAX", "REDUCE_MIN"):
        m = _model([(op, [0, 1], [2], {"keep_dims": False})],
                   [("x", [4, 2], "float32", None), ("a", [1], "int32", np.array([1])),
                    ("y", [4], "float32", None)], [0], [2])
        t = check_model(m, [x], float_tol=0.0)
        got = t.outputs_of(0)[0]
        assert got[0] == (-3.4028235e38 if op == "REDUCE_MAX" else -np.inf), (op, got)


def test_live_index_inputs() -> None:
    """GATHER_ND indices and DYNAMIC_UPDATE_SLICE starts as model inputs (read per invoke)."""
    m = _model([("GATHER_ND", [0, 1], [2], {})],
               [("p", [3, 4, 2], "float32", None), ("i", [5, 2], "int32", None),
                ("y", [5, 2], "float32", None)], [0, 1], [2])
    rng = np.random.default_rng(1)
    idx = np.stack([rng.integers(0, 3, 5), rng.integers(0, 4, 5)], axis=1).astype(np.int32)
    check_model(m, [rng.uniform(-1, 1, (3, 4, 2)).astype(np.float32), idx], float_tol=0.0)
    m = _model([("DYNAMIC_UPDATE_SLICE", [0, 1, 2], [3], {})],
               [("x", [4, 5], "int8", None), ("u", [2, 3], "int8", None), ("s", [2], "int64", None),
                ("y", [4, 5], "int8", None)], [0, 1, 2], [3])
    for start in ([1, 1], [3, 4], [-5, 2]):
        check_model(m, [np.arange(20, dtype=np.int8).reshape(4, 5),
                        -np.ones((2, 3), np.int8), np.array(start, np.int64)])


@pytest.mark.parametrize(("op", "bad"), [("GATHER_ND", 3), ("EMBEDDING_LOOKUP", 6)])
def test_out_of_range_index_fails_cleanly(op: str, bad: int) -> None:
    from tests.ops.harness import run_ours_raw

    if op == "GATHER_ND":
        m = _model([(op, [0, 1], [2], {})], [("p", [3, 2], "float32", None),
                                             ("i", [2, 1], "int32", None),
                                             ("y", [2, 2], "float32", None)], [0, 1], [2])
        inputs = [np.zeros((3, 2), np.float32), np.array([[0], [bad]], np.int32)]
    else:
        m = _model([(op, [0, 1], [2], {})], [("ids", [2], "int32", None),
                                             ("v", [6, 3], "float32", None),
                                             ("y", [2, 3], "float32", None)], [0, 1], [2])
        inputs = [np.array([0, bad], np.int32), np.zeros((6, 3), np.float32)]
    run = run_ours_raw(m, [inputs])
    assert not run.transcript.passed
    message = " ".join(msg for _, msg in run.transcript.errors)
    assert op in message and "out of" in message, message


def test_layout_chain() -> None:
    """Multi-op: SPACE_TO_BATCH_ND -> REVERSE_V2 -> BATCH_TO_SPACE_ND -> DEPTH_TO_SPACE
    ... -> SPACE_TO_DEPTH, then CUMSUM, REDUCE_MAX and ARG_MIN over the result."""
    i32 = "int32"
    m = _model([
        ("SPACE_TO_BATCH_ND", [0, 1, 2], [3], {}),
        ("REVERSE_V2", [3, 4], [5], {}),
        ("BATCH_TO_SPACE_ND", [5, 1, 2], [6], {}),
        ("SPACE_TO_DEPTH", [6], [7], {"block_size": 2}),
        ("DEPTH_TO_SPACE", [7], [8], {"block_size": 2}),
        ("CUMSUM", [8, 9], [10], {"exclusive": True}),
        ("REDUCE_MAX", [10, 11], [12], {"keep_dims": False}),
        ("ARG_MIN", [8, 9], [13], {"output_type": "INT32"}),
    ], [("x", [1, 4, 6, 3], "float32", None), ("block", [2], i32, np.array([2, 2])),
        ("pads", [2, 2], i32, np.array([[0, 0], [1, 1]])), ("sb", [4, 2, 4, 3], "float32", None),
        ("ax", [1], i32, np.array([3])), ("rv", [4, 2, 4, 3], "float32", None),
        ("bs", [1, 4, 6, 3], "float32", None), ("sd", [1, 2, 3, 12], "float32", None),
        ("ds", [1, 4, 6, 3], "float32", None), ("ax2", [], i32, np.array(2)),
        ("cs", [1, 4, 6, 3], "float32", None), ("axes", [2], i32, np.array([1, -1])),
        ("mx", [1, 6], "float32", None), ("am", [1, 4, 3], i32, None)],
        [0], [12, 13])
    check_model(m, [draw(np.random.default_rng(4), [1, 4, 6, 3], "float32", edge_share=0.0)],
                float_tol=0.0)


PROD_Q_CASES = [(dtype, 7900 + 50 * i + k) for i, dtype in enumerate(("int8", "int16"))
                for k in range(16)]


@pytest.mark.parametrize(("dtype", "seed"), PROD_Q_CASES, ids=[f"{d}-{s}" for d, s in PROD_Q_CASES])
def test_reduce_prod_quantized_matches_tflite(dtype: str, seed: int) -> None:
    """Quantized REDUCE_PROD: every step rescaled by input_scale / output_scale^(1/n)."""
    check_model(*reduce_prod_quantized_model(dtype, seed))


def reduce_prod_quantized_model(dtype: str, seed: int) -> Built:
    rng = np.random.default_rng(seed)
    shape = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 4)))]
    axes = sorted({int(a) % len(shape) for a in rng.integers(0, len(shape),
                                                              size=int(rng.integers(1, 3)))})
    keep = bool(rng.integers(0, 2))
    out = [1 if i in axes else d for i, d in enumerate(shape)] if keep else \
        [d for i, d in enumerate(shape) if i not in axes]
    n = int(np.prod([shape[a] for a in axes]))
    qmax = 127 if dtype == "int8" else 32767
    top = float(rng.uniform(0.8, 2.0))  # largest |real| input
    s_in = top / qmax
    s_out = top ** n / qmax * float(rng.uniform(0.3, 1.5))
    zp_in = int(rng.integers(-20, 21)) if dtype == "int8" else 0
    zp_out = int(rng.integers(-20, 21)) if dtype == "int8" else 0
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, scale=s_in, zero_point=zp_in)
    ax = b.tensor("axes", [len(axes)], "int32", data=np.array(axes))
    y = b.tensor("y", out, dtype, scale=s_out, zero_point=zp_out)
    b.op("REDUCE_PROD", [x, ax], [y], keep_dims=keep)
    b.inputs([x])
    b.outputs([y])
    info = np.iinfo(dtype)
    return b.build(), [rng.integers(info.min, info.max + 1, size=shape).astype(dtype)]
