"""Shape and data-movement kernels vs TensorFlow Lite (BUILTIN_REF), bit-exact.

RESHAPE, SQUEEZE, EXPAND_DIMS, SHAPE, CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK,
PAD, PADV2, STRIDED_SLICE, SLICE, TRANSPOSE, GATHER over int8/int16/int32/float32 with
shapes and parameters drawn from fixed seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours_raw
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import OracleError, run_reference

TYPES = ("int8", "int16", "int32", "float32")
QUANT: dict[str, dict[str, Any]] = {
    "int8": {"scale": 0.05, "zero_point": -3},
    "int16": {"scale": 0.01, "zero_point": 0},
    "int32": {},
    "float32": {},
}


def rand_shape(rng: np.random.Generator, rank: int, hi: int = 5) -> list[int]:
    return [int(d) for d in rng.integers(1, hi, size=rank)]


def single_op(op: str, in_shape: list[int], out_shape: list[int], dtype: str,
              consts: list[tuple[str, list[int], str, Any]], **options: Any) -> bytes:
    """One op: a variable input, constant parameter inputs after it, one output."""
    b = ModelBuilder()
    x = b.tensor("x", in_shape, dtype, **QUANT[dtype])
    ins = [x]
    for name, shape, ctype, data in consts:
        ins.append(b.tensor(name, shape, ctype, data=np.asarray(data)))
    y = b.tensor("y", out_shape, dtype, **QUANT[dtype])
    b.op(op, ins, [y], **options)
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- RESHAPE / SQUEEZE / EXPAND_DIMS / SHAPE --------------------------------------------

def reshape_cases() -> list[tuple[str, str, int]]:
    return [(op, t, s) for op in ("RESHAPE", "SQUEEZE", "EXPAND_DIMS") for t in TYPES
            for s in range(2)]


@pytest.mark.parametrize(("op", "dtype", "seed"), reshape_cases())
def test_reshape_family(op: str, dtype: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = rand_shape(rng, 4)
    if op == "RESHAPE":
        out = [int(np.prod(shape[:2])), int(np.prod(shape[2:]))]
        model = single_op(op, shape, out, dtype, [("s", [2], "int32", out)])
    elif op == "SQUEEZE":
        shape[1] = 1
        shape[3] = 1
        out = [shape[0], shape[2]]
        model = single_op(op, shape, out, dtype, [], squeeze_dims=[1, -1])
    else:
        axis = int(rng.integers(-5, 5))
        out = list(shape)
        out.insert(axis if axis >= 0 else len(shape) + 1 + axis, 1)
        model = single_op(op, shape, out, dtype, [("a", [1], "int32", [axis])])
    check_model(model, seed=seed)


@pytest.mark.parametrize("dtype", TYPES)
def test_reshape_of_constant(dtype: str) -> None:
    """A constant reshaped: the output still needs the data (no in-place aliasing)."""
    b = ModelBuilder()
    data = (np.arange(12) - 6).astype(dtype)
    c = b.tensor("c", [3, 4], dtype, data=data, **QUANT[dtype])
    s = b.tensor("s", [2], "int32", data=np.array([4, 3]))
    r = b.tensor("r", [4, 3], dtype, **QUANT[dtype])
    x = b.tensor("x", [4, 3], dtype, **QUANT[dtype])
    y = b.tensor("y", [8, 3], dtype, **QUANT[dtype])
    b.op("RESHAPE", [c, s], [r])
    b.op("CONCATENATION", [x, r], [y], axis=0)
    b.inputs([x])
    b.outputs([y])
    check_model(b.build())


@pytest.mark.parametrize(("dtype", "out_type"), [(t, o) for t in TYPES for o in ("int32", "int64")])
def test_shape(dtype: str, out_type: str) -> None:
    shape = rand_shape(np.random.default_rng(len(dtype)), 3, 7)
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, **QUANT[dtype])
    y = b.tensor("y", [3], out_type)
    b.op("SHAPE", [x], [y], out_type=out_type.upper())
    b.inputs([x])
    b.outputs([y])
    check_model(b.build())


# ---- CONCATENATION / PACK ----------------------------------------------------------------

@pytest.mark.parametrize(("dtype", "seed"), [(t, s) for t in TYPES for s in range(4)])
def test_concatenation(dtype: str, seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    rank = int(rng.integers(1, 5))
    base = rand_shape(rng, rank)
    axis = int(rng.integers(-rank, rank))
    n = int(rng.integers(1, 4))
    b = ModelBuilder()
    xs = []
    for i in range(n):
        s = list(base)
        s[axis] = int(rng.integers(1, 4))
        xs.append((b.tensor(f"x{i}", s, dtype, **QUANT[dtype]), s[axis]))
    out = list(base)
    out[axis] = sum(d for _, d in xs)
    y = b.tensor("y", out, dtype, **QUANT[dtype])
    b.op("CONCATENATION", [t for t, _ in xs], [y], axis=axis)
    b.inputs([t for t, _ in xs])
    b.outputs([y])
    check_model(b.build(), seed=seed)


@pytest.mark.parametrize(("dtype", "seed"), [(t, s) for t in TYPES for s in range(3)])
def test_pack(dtype: str, seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    rank = int(rng.integers(1, 4))
    shape = rand_shape(rng, rank)
    n = int(rng.integers(1, 4))
    axis = int(rng.integers(-(rank + 1), rank + 1))
    out = list(shape)
    out.insert(axis if axis >= 0 else rank + 1 + axis, n)
    b = ModelBuilder()
    xs = [b.tensor(f"x{i}", shape, dtype, **QUANT[dtype]) for i in range(n)]
    y = b.tensor("y", out, dtype, **QUANT[dtype])
    b.op("PACK", xs, [y], values_count=n, axis=axis)
    b.inputs(xs)
    b.outputs([y])
    check_model(b.build(), seed=seed)


@pytest.mark.parametrize("seed", range(4))
def test_concatenation_int8_requantizes(seed: int) -> None:
    """Inputs quantized unlike the output. TFLite refuses this model for int8, so the
    oracle is TFLite running QUANTIZE (int8 -> int8 at the output's scale) on each input
    and then an equal-scale CONCATENATION: the same real-valued result, computed with
    integer rather than float rescaling, hence within 1 LSB."""
    rng = np.random.default_rng(900 + seed)
    shapes = [[2, int(rng.integers(1, 4)), 3] for _ in range(3)]
    quants = [(float(rng.uniform(0.01, 0.2)), int(rng.integers(-30, 30))) for _ in shapes]
    qout = (0.07, -5)
    out = [2, sum(s[1] for s in shapes), 3]

    def model(requantize_first: bool) -> bytes:
        b = ModelBuilder()
        xs = [b.tensor(f"x{i}", s, "int8", scale=q[0], zero_point=q[1])
              for i, (s, q) in enumerate(zip(shapes, quants, strict=True))]
        ins = xs
        if requantize_first:
            ins = [b.tensor(f"r{i}", s, "int8", scale=qout[0], zero_point=qout[1])
                   for i, s in enumerate(shapes)]
            for x, r in zip(xs, ins, strict=True):
                b.op("QUANTIZE", [x], [r])
        y = b.tensor("y", out, "int8", scale=qout[0], zero_point=qout[1])
        b.op("CONCATENATION", ins, [y], axis=1)
        b.inputs(xs)
        b.outputs([y])
        return b.build()

    xs = [rng.integers(-128, 128, size=s).astype(np.int8) for s in shapes]
    expected = run_reference(model(True), xs)[0][0].astype(np.int32)
    run = run_ours_raw(model(False), [xs])
    assert run.transcript.passed, run.stdout
    ours = run.transcript.outputs_of(0)[0].astype(np.int32)
    assert ours.shape == expected.shape
    assert np.abs(ours - expected).max() <= 1


# ---- SPLIT / SPLIT_V / UNPACK --------------------------------------------------------------

def multi_out(op: str, ins: list[tuple[str, list[int], str, Any]], x_shape: list[int],
              outs: list[list[int]], dtype: str, x_first: bool, **options: Any) -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", x_shape, dtype, **QUANT[dtype])
    consts = [b.tensor(n, s, t, data=np.asarray(d)) for n, s, t, d in ins]
    ys = [b.tensor(f"y{i}", s, dtype, **QUANT[dtype]) for i, s in enumerate(outs)]
    b.op(op, [x, *consts] if x_first else [*consts, x], ys, **options)
    b.inputs([x])
    b.outputs(ys)
    return b.build()


@pytest.mark.parametrize(("op", "dtype", "seed"),
                         [(o, t, s) for o in ("SPLIT", "SPLIT_V", "UNPACK") for t in TYPES
                          for s in range(3)])
def test_split_family(op: str, dtype: str, seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    rank = int(rng.integers(1, 5))
    shape = rand_shape(rng, rank)
    axis = int(rng.integers(-rank, rank))
    if op == "SPLIT":
        n = int(rng.integers(1, 4))
        shape[axis] = n * int(rng.integers(1, 3))
        out = list(shape)
        out[axis] //= n
        model = multi_out(op, [("a", [], "int32", axis)], shape, [out] * n, dtype, False,
                          num_splits=n)
    elif op == "SPLIT_V":
        sizes = [int(v) for v in rng.integers(0, 4, size=int(rng.integers(1, 4)))]
        sizes[0] = max(sizes[0], 1)
        shape[axis] = sum(sizes)
        outs = []
        for s in sizes:
            o = list(shape)
            o[axis] = s
            outs.append(o)
        model = multi_out(op, [("s", [len(sizes)], "int32", sizes), ("a", [], "int32", axis)],
                          shape, outs, dtype, True, num_splits=len(sizes))
    else:
        n = shape[axis]
        out = [d for i, d in enumerate(shape) if i != axis % rank]
        model = multi_out(op, [], shape, [out] * n, dtype, True, num=n, axis=axis)
    check_model(model, seed=seed)


# ---- PAD / PADV2 ---------------------------------------------------------------------------

@pytest.mark.parametrize(("op", "dtype", "ptype", "seed"),
                         [(o, t, p, s) for o in ("PAD", "PADV2") for t in TYPES
                          for p in ("int32", "int64") for s in range(2)])
def test_pad(op: str, dtype: str, ptype: str, seed: int) -> None:
    rng = np.random.default_rng(400 + seed)
    rank = int(rng.integers(1, 5))
    shape = rand_shape(rng, rank)
    pads = rng.integers(0, 3, size=(rank, 2))
    out = [d + int(p.sum()) for d, p in zip(shape, pads, strict=True)]
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, **QUANT[dtype])
    ins = [x, b.tensor("p", [rank, 2], ptype, data=pads)]
    if op == "PADV2":
        value = {"int8": 17, "int16": -300, "int32": 12345, "float32": 0.625}[dtype]
        ins.append(b.tensor("v", [], dtype, data=np.asarray(value), **QUANT[dtype]))
    y = b.tensor("y", out, dtype, **QUANT[dtype])
    b.op(op, ins, [y])
    b.inputs([x])
    b.outputs([y])
    check_model(b.build(), seed=seed)


# ---- SLICE / STRIDED_SLICE / TRANSPOSE -----------------------------------------------------

@pytest.mark.parametrize(("dtype", "itype", "seed"),
                         [(t, i, s) for t in TYPES for i in ("int32", "int64") for s in range(2)])
def test_slice(dtype: str, itype: str, seed: int) -> None:
    rng = np.random.default_rng(500 + seed)
    rank = int(rng.integers(1, 5))
    shape = rand_shape(rng, rank, 6)
    begin = [int(rng.integers(0, d)) for d in shape]
    size = [int(rng.integers(1, d - bg + 1)) if rng.random() < 0.7 else -1
            for d, bg in zip(shape, begin, strict=True)]
    out = [d - bg if s == -1 else s for d, bg, s in zip(shape, begin, size, strict=True)]
    model = single_op("SLICE", shape, out, dtype,
                      [("b", [rank], itype, begin), ("s", [rank], itype, size)])
    check_model(model, seed=seed)


def strided_spec(rng: np.random.Generator, shape: list[int]) -> dict[str, Any]:
    """Random begin/end/strides and masks; output shape by numpy's (= TF's) rules."""
    rank = len(shape)
    n = rank + int(rng.integers(0, 2))
    ellipsis = int(rng.integers(0, n)) if rng.random() < 0.3 else -1
    begin, end, strides = [], [], []
    masks = {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
             "shrink_axis_mask": 0}
    index: list[Any] = []
    named = sum(1 for i in range(n) if i != ellipsis)
    if ellipsis < 0 and n > rank:
        n = rank
        named = rank
    dims = iter(shape[:ellipsis] + shape[ellipsis + rank - named + 1:] if ellipsis >= 0
                else shape)
    for i in range(n):
        bit = 1 << i
        if i == ellipsis:
            masks["ellipsis_mask"] |= bit
            begin.append(0); end.append(0); strides.append(1)  # noqa: E702
            index.append(Ellipsis)
            continue
        d = next(dims, None)
        if d is None or rng.random() < 0.1:
            masks["new_axis_mask"] |= bit
            begin.append(0); end.append(0); strides.append(1)  # noqa: E702
            index.append(np.newaxis)
            continue
        if rng.random() < 0.2:
            masks["shrink_axis_mask"] |= bit
            b0 = int(rng.integers(-d, d))
            begin.append(b0); end.append(b0 + 1); strides.append(1)  # noqa: E702
            index.append(b0)
            continue
        st = int(rng.choice([1, 1, 2, 3, -1, -2]))
        b0, e0 = int(rng.integers(-d - 1, d + 2)), int(rng.integers(-d - 1, d + 2))
        sl_b: int | None = b0
        sl_e: int | None = e0
        if rng.random() < 0.25:
            masks["begin_mask"] |= bit
            sl_b = None
        if rng.random() < 0.25:
            masks["end_mask"] |= bit
            sl_e = None
        begin.append(b0); end.append(e0); strides.append(st)  # noqa: E702
        index.append(slice(sl_b, sl_e, st))
    out_shape = list(np.empty(shape)[tuple(index)].shape)
    return {"begin": begin, "end": end, "strides": strides, "masks": masks, "out": out_shape}


@pytest.mark.parametrize(("dtype", "seed"), [(t, s) for t in TYPES for s in range(12)])
def test_strided_slice(dtype: str, seed: int) -> None:
    rng = np.random.default_rng(600 + seed)
    shape = rand_shape(rng, int(rng.integers(1, 6)), 6)
    spec = strided_spec(rng, shape)
    n = len(spec["begin"])
    model = single_op("STRIDED_SLICE", shape, spec["out"], dtype,
                      [("b", [n], "int32", spec["begin"]), ("e", [n], "int32", spec["end"]),
                       ("s", [n], "int32", spec["strides"])], **spec["masks"])
    check_model(model, seed=seed)


STRIDED_EDGES = [
    # shape, begin, end, strides, masks, output shape
    ([4, 5], [2, 1], [3, 4], [1, 1], {"begin_mask": 1, "shrink_axis_mask": 1}, [3]),
    ([4, 5], [-1, 0], [0, 5], [1, 1], {"shrink_axis_mask": 1}, [5]),
    ([4, 5], [7, 0], [9, 5], [1, 1], {}, [0, 5]),
    ([4, 5], [3, 4], [0, 0], [-1, -2], {"end_mask": 2}, [3, 3]),
    ([2, 3, 4], [0, 1], [0, 3], [1, 1], {"ellipsis_mask": 1}, [2, 3, 2]),
    ([2, 3, 4], [0, 0, 1], [0, 0, 3], [1, 1, 1], {"new_axis_mask": 1, "ellipsis_mask": 2},
     [1, 2, 3, 2]),
]


@pytest.mark.parametrize("case", range(len(STRIDED_EDGES)))
def test_strided_slice_edges(case: int) -> None:
    """Mask interplay and clamping: begin_mask with shrink, out-of-range begin, reverse."""
    shape, begin, end, strides, masks, out = STRIDED_EDGES[case]
    n = len(begin)
    model = single_op("STRIDED_SLICE", shape, out, "int8",
                      [("b", [n], "int32", begin), ("e", [n], "int32", end),
                       ("s", [n], "int32", strides)], **masks)
    check_model(model, seed=case)


@pytest.mark.parametrize("dtype", ["int8", "float32"])
def test_strided_slice_offset(dtype: str) -> None:
    """offset=True: end is relative to begin."""
    shape = [4, 6, 3]
    begin, size, strides = [1, 0, 2], [2, 5, 1], [1, 2, 1]
    out = [2, 3, 1]
    model = single_op("STRIDED_SLICE", shape, out, dtype,
                      [("b", [3], "int32", begin), ("e", [3], "int32", size),
                       ("s", [3], "int32", strides)], offset=True)
    check_model(model)


@pytest.mark.parametrize(("dtype", "rank"), [(t, r) for t in TYPES for r in range(1, 7)])
def test_transpose(dtype: str, rank: int) -> None:
    rng = np.random.default_rng(700 + rank)
    shape = rand_shape(rng, rank, 4 if rank < 5 else 3)
    perm = [int(p) for p in rng.permutation(rank)]
    out = [shape[p] for p in perm]
    model = single_op("TRANSPOSE", shape, out, dtype, [("p", [rank], "int32", perm)])
    check_model(model, seed=rank)


# ---- GATHER ----------------------------------------------------------------------------------

def gather_model(dtype: str, itype: str, pshape: list[int], ishape: list[int],
                 indices: np.ndarray, axis: int, batch_dims: int) -> bytes:
    rank = len(pshape)
    a = axis % rank
    bd = batch_dims % len(ishape) if batch_dims < 0 else batch_dims
    out = pshape[:a] + ishape[bd:] + pshape[a + 1:]
    return single_op("GATHER", pshape, out, dtype, [("i", ishape, itype, indices)],
                     axis=axis, batch_dims=batch_dims)


@pytest.mark.parametrize(("dtype", "itype", "seed"),
                         [(t, i, s) for t in TYPES for i in ("int32", "int64") for s in range(3)])
def test_gather(dtype: str, itype: str, seed: int) -> None:
    rng = np.random.default_rng(800 + seed)
    rank = int(rng.integers(1, 5))
    pshape = rand_shape(rng, rank, 5)
    axis = int(rng.integers(0, rank))
    batch_dims = int(rng.integers(0, axis + 1)) if seed else 0
    ishape = pshape[:batch_dims] + rand_shape(rng, int(rng.integers(0, 3)), 4)
    indices = rng.integers(0, pshape[axis], size=ishape)
    if rng.random() < 0.5:
        axis -= rank
    check_model(gather_model(dtype, itype, pshape, ishape, indices, axis, batch_dims),
                seed=seed)


def test_gather_index_out_of_range_fails() -> None:
    """TFLite refuses an out-of-range index at invoke; so must we."""
    model = gather_model("int8", "int32", [4, 3], [2], np.array([1, 4]), 0, 0)
    x = np.zeros((4, 3), np.int8)
    with pytest.raises(OracleError):
        run_reference(model, [x])
    run = run_ours_raw(model, [[x]])
    assert not run.transcript.passed
    assert run.transcript.errors, run.stdout
