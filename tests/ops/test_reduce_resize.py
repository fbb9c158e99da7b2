"""Reduction, resize and arg-max kernels vs TensorFlow Lite.

MEAN (BUILTIN_REF, bit-exact for int8/int16/int32), SUM, RESIZE_NEAREST_NEIGHBOR,
RESIZE_BILINEAR and ARG_MAX, with shapes and parameters from fixed seeds.

Known TFLite bug: the *reference* SUM kernel (BUILTIN_REF) returns garbage for int8 and
int16 (it misreads the input; tensorflow#102490). For those types SUM is compared with
TFLite's default resolver (BUILTIN), whose arithmetic we implement; see
test_sum_reference_kernel_is_broken for the evidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours_raw
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import OracleError, random_inputs, run_reference

FLOAT_TOL = 1e-5


def quant(dtype: str, scale: float, zero_point: int) -> dict[str, Any]:
    if dtype == "int8":
        return {"scale": scale, "zero_point": zero_point}
    if dtype == "int16":
        return {"scale": scale, "zero_point": 0}
    return {}


def reduce_model(op: str, dtype: str, shape: list[int], axes: list[int], keep: bool,
                 qin: tuple[float, int], qout: tuple[float, int]) -> bytes:
    rank = len(shape)
    norm = {a % rank for a in axes}
    out = ([1 if i in norm else d for i, d in enumerate(shape)] if keep
           else [d for i, d in enumerate(shape) if i not in norm])
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, **quant(dtype, *qin))
    a = b.tensor("a", [len(axes)], "int32", data=np.array(axes))
    y = b.tensor("y", out, dtype, **quant(dtype, *qout))
    b.op(op, [x, a], [y], keep_dims=keep)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def reduce_params(seed: int) -> tuple[list[int], list[int], bool, tuple[float, int],
                                      tuple[float, int]]:
    rng = np.random.default_rng(seed)
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 6, size=rank)]
    count = int(rng.integers(1, rank + 1))
    axes = [int(a) - (rank if rng.random() < 0.3 else 0)
            for a in rng.choice(rank, size=count, replace=False)]
    keep = bool(rng.random() < 0.5)
    qin = (float(rng.uniform(0.01, 0.1)), int(rng.integers(-20, 20)))
    if rng.random() < 0.3:
        qout = qin  # same quantization: TFLite's plain integer path
    else:
        qout = (float(rng.uniform(0.005, 0.1)), int(rng.integers(-20, 20)))
    return shape, axes, keep, qin, qout


@pytest.mark.parametrize(("dtype", "seed"),
                         [(t, s) for t in ("int8", "int16", "int32", "float32")
                          for s in range(20)])
def test_mean(dtype: str, seed: int) -> None:
    shape, axes, keep, qin, qout = reduce_params(seed)
    check_model(reduce_model("MEAN", dtype, shape, axes, keep, qin, qout), seed=seed,
                float_tol=FLOAT_TOL)


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
def test_mean_axes_from_input(dtype: str) -> None:
    """Axes fed at run time (not a constant): the rescale is computed in eval."""
    shape, axes = [3, 4, 5], [2, 0]
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, **quant(dtype, 0.05, 3))
    a = b.tensor("a", [2], "int32")
    y = b.tensor("y", [4], dtype, **quant(dtype, 0.02, -7))
    b.op("MEAN", [x, a], [y], keep_dims=False)
    b.inputs([x, a])
    b.outputs([y])
    model = b.build()
    x_data = random_inputs(model, np.random.default_rng(1))[0]
    check_model(model, [x_data, np.array(axes, np.int32)], float_tol=FLOAT_TOL)


@pytest.mark.parametrize(("dtype", "seed", "axes"),
                         [(t, s, a) for t in ("int8", "int16", "float32") for s in range(3)
                          for a in ([1, 2], [2, 1])])
def test_mean_spatial(dtype: str, seed: int, axes: list[int]) -> None:
    """4-D, keep_dims, axes {1, 2}: TFLite's dedicated integer Mean (fixed-point rescale)."""
    rng = np.random.default_rng(50 + seed)
    shape = [int(rng.integers(1, 3)), int(rng.integers(1, 9)), int(rng.integers(1, 9)),
             int(rng.integers(1, 6))]
    qin = (float(rng.uniform(0.01, 0.1)), int(rng.integers(-20, 20)))
    qout = qin if seed == 0 else (float(rng.uniform(0.005, 0.1)), int(rng.integers(-20, 20)))
    check_model(reduce_model("MEAN", dtype, shape, axes, True, qin, qout), seed=seed,
                float_tol=FLOAT_TOL)


@pytest.mark.parametrize(("dtype", "seed"),
                         [(t, s) for t in ("int8", "int16", "int32", "float32")
                          for s in range(8)])
def test_sum(dtype: str, seed: int) -> None:
    shape, axes, keep, qin, qout = reduce_params(100 + seed)
    if dtype == "int16":
        qout = qin  # TFLite's int16 SUM needs equal input/output quantization
    # int8/int16: TFLite's reference SUM is wrong (tensorflow#102490), use BUILTIN.
    resolver = "builtin" if dtype in ("int8", "int16") else "ref"
    check_model(reduce_model("SUM", dtype, shape, axes, keep, qin, qout), seed=seed,
                float_tol=FLOAT_TOL, resolver=resolver)


def test_sum_reference_kernel_is_broken() -> None:
    """Documents why int8 SUM is compared with BUILTIN: REF and BUILTIN disagree, and
    BUILTIN agrees with the exact rescaled sum while REF does not."""
    model = reduce_model("SUM", "int8", [2, 3, 4], [1], False, (0.1, 3), (0.5, -2))
    x = random_inputs(model, np.random.default_rng(0))
    ref = run_reference(model, x, resolver="ref")[0][0]
    opt = run_reference(model, x, resolver="builtin")[0][0]
    exact = (x[0].astype(np.int64) - 3).sum(axis=1) * 0.1 / 0.5 - 2
    assert np.abs(opt - exact).max() <= 1
    assert np.abs(ref.astype(np.int64) - exact).max() > 1


# ---- RESIZE -----------------------------------------------------------------------------

def resize_model(op: str, dtype: str, in_shape: list[int], size: tuple[int, int],
                 align: bool, half: bool) -> bytes:
    out = [in_shape[0], size[0], size[1], in_shape[3]]
    b = ModelBuilder()
    x = b.tensor("x", in_shape, dtype, **quant(dtype, 0.05, -4))
    s = b.tensor("s", [2], "int32", data=np.array(size))
    y = b.tensor("y", out, dtype, **quant(dtype, 0.05, -4))
    b.op(op, [x, s], [y], align_corners=align, half_pixel_centers=half)
    b.inputs([x])
    b.outputs([y])
    return b.build()


RESIZE_MODES = [(False, False), (True, False), (False, True)]


@pytest.mark.parametrize(("op", "dtype", "mode", "seed"),
                         [(o, t, m, s)
                          for o in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR")
                          for t in ("int8", "int16", "float32")
                          for m in range(len(RESIZE_MODES)) for s in range(3)])
def test_resize(op: str, dtype: str, mode: int, seed: int) -> None:
    rng = np.random.default_rng(200 + seed)
    in_shape = [int(rng.integers(1, 3)), int(rng.integers(1, 7)), int(rng.integers(1, 7)),
                int(rng.integers(1, 4))]
    size = (int(rng.integers(1, 13)), int(rng.integers(1, 13)))
    align, half = RESIZE_MODES[mode]
    check_model(resize_model(op, dtype, in_shape, size, align, half), seed=seed,
                float_tol=FLOAT_TOL)


# ---- ARG_MAX ----------------------------------------------------------------------------

@pytest.mark.parametrize(("dtype", "otype", "atype", "seed"),
                         [(t, o, a, s) for t in ("int8", "int32", "float32")
                          for o in ("int32", "int64") for a in ("int32", "int64")
                          for s in range(2)])
def test_arg_max(dtype: str, otype: str, atype: str, seed: int) -> None:
    rng = np.random.default_rng(300 + seed)
    rank = int(rng.integers(1, 5))
    shape = [int(d) for d in rng.integers(1, 7, size=rank)]
    axis = int(rng.integers(-rank, rank))
    out = [d for i, d in enumerate(shape) if i != axis % rank]
    b = ModelBuilder()
    x = b.tensor("x", shape, dtype, **quant(dtype, 0.1, 1))
    a = b.tensor("a", [1], atype, data=np.array([axis]))
    y = b.tensor("y", out, otype)
    b.op("ARG_MAX", [x, a], [y], output_type=otype.upper())
    b.inputs([x])
    b.outputs([y])
    model = b.build()
    # Few distinct values, so ties (first index wins) are common.
    values = rng.integers(-3, 4, size=shape)
    data = values.astype(dtype) if dtype != "float32" else (values / 4).astype(np.float32)
    check_model(model, [data] if seed == 0 else None, seed=seed)


def test_arg_max_int16_refused_like_tflite() -> None:
    """TFLite has no int16 ARG_MAX; we refuse it in prepare with a clear message too."""
    b = ModelBuilder()
    x = b.tensor("x", [2, 3], "int16", scale=0.1, zero_point=0)
    a = b.tensor("a", [1], "int32", data=np.array([1]))
    y = b.tensor("y", [2], "int32")
    b.op("ARG_MAX", [x, a], [y], output_type="INT32")
    b.inputs([x])
    b.outputs([y])
    model = b.build()
    x_data = np.zeros((2, 3), np.int16)
    with pytest.raises(OracleError):
        run_reference(model, [x_data])
    run = run_ours_raw(model, [[x_data]])
    assert not run.transcript.passed
    assert any("INT16" in message for _, message in run.transcript.errors), run.stdout
