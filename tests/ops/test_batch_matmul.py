"""BATCH_MATMUL against TFLite's reference kernel: float32 (float sums in k order, compared
within 1e-6: the sums are the same, only glibc-independent), int8 and int16 bit-exact;
adj_x / adj_y, ranks 2-5 with broadcast batch dims, constant or live RHS."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.edge_values import draw
from tests.ops.harness import check_model
from tfm_ci.modelgen import ModelBuilder

TYPES = ("float32", "int8", "int16")
CASES = [(dtype, 11000 + 100 * i + k) for i, dtype in enumerate(TYPES) for k in range(24)]


def _quant(rng: np.random.Generator, dtype: str, role: str, depth: int) -> dict[str, object]:
    if dtype == "float32":
        return {}
    scale = float(np.exp(rng.uniform(np.log(0.005), np.log(0.1))))
    if role == "out":  # keep the products in range so outputs are not all saturated
        scale *= float(np.sqrt(depth)) * (40.0 if dtype == "int8" else 2000.0) * rng.uniform(0.5, 2)
    zp = int(rng.integers(-30, 31)) if dtype == "int8" else 0
    return {"scale": scale, "zero_point": zp}


def matmul_model(dtype: str, seed: int) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    rows, depth, cols = (int(rng.integers(1, 7)) for _ in range(3))
    nb = int(rng.integers(0, 4))
    batch = [int(rng.integers(1, 4)) for _ in range(nb)]
    lb = [1 if rng.random() < 0.3 else d for d in batch]
    rb = [1 if rng.random() < 0.3 else d for d in batch][int(rng.integers(0, nb + 1)):]
    out_batch = list(np.broadcast_shapes(tuple(lb), tuple(rb)))
    adj_x, adj_y = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
    lshape = [*lb, *((depth, rows) if adj_x else (rows, depth))]
    rshape = [*rb, *((cols, depth) if adj_y else (depth, cols))]
    const_rhs = seed % 3 == 0
    b = ModelBuilder()
    rdata = draw(rng, rshape, dtype, edge_share=0.0) if const_rhs else None
    lhs = b.tensor("lhs", lshape, dtype, **_quant(rng, dtype, "lhs", depth))
    rhs = b.tensor("rhs", rshape, dtype, data=rdata, **_quant(rng, dtype, "rhs", depth))
    y = b.tensor("y", [*out_batch, rows, cols], dtype, **_quant(rng, dtype, "out", depth))
    b.op("BATCH_MATMUL", [lhs, rhs], [y], adj_x=adj_x, adj_y=adj_y)
    live = [lhs] if const_rhs else [lhs, rhs]
    b.inputs(live)
    b.outputs([y])
    arrays = [draw(rng, lshape, dtype, low=-3, high=3, edge_share=0.0)]
    if not const_rhs:
        arrays.append(draw(rng, rshape, dtype, low=-3, high=3, edge_share=0.0))
    return b.build(), arrays


@pytest.mark.parametrize(("dtype", "seed"), CASES, ids=[f"{d}-{s}" for d, s in CASES])
def test_batch_matmul_matches_tflite(dtype: str, seed: int) -> None:
    model, inputs = matmul_model(dtype, seed)
    check_model(model, inputs, float_tol=1e-6)


def test_batch_matmul_float_edge_values() -> None:
    """inf * 0 and NaN propagate as in TFLite's sums."""
    b = ModelBuilder()
    lhs, rhs = b.tensor("l", [2, 3], "float32"), b.tensor("r", [3, 2], "float32")
    y = b.tensor("y", [2, 2], "float32")
    b.op("BATCH_MATMUL", [lhs, rhs], [y])
    b.inputs([lhs, rhs])
    b.outputs([y])
    x = np.array([[np.inf, 1, 2], [np.nan, 0, -1]], np.float32)
    w = np.array([[0, 1], [3e38, 3e38], [1, -np.inf]], np.float32)
    check_model(b.build(), [x, w], float_tol=0.0)
