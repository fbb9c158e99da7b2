"""Hybrid BATCH_MATMUL (float32 LHS and output, int8 RHS) against TFLite's reference
kernel: symmetric and asymmetric LHS quantization (asymmetric_quantize_inputs), ranks 2-4
with broadcast batch dims, adj_x / adj_y, constant RHS and (symmetric only) an RHS fed as
a model input.

TFLite quantizes each LHS row to int8, sums the int8 products exactly in int32 and
scales them in float; ours does the same operations in the same order (LiteRT takes the
asymmetric range difference in float: a double one misses by an ulp in some rows), so the
outputs are compared bit for bit (FLOAT_TOL = 0). With two LHS batch dims > 1 TFLite
reads the row scales at a quirky index (see batch_matmul_common.c); the "two-batch-dims"
cases pin that ours does the same.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours_raw
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 0.0  # bit-exact
SHAPES = {  # (lhs batch dims, rhs batch dims)
    "2d": ((), ()),
    "batch": ((3,), ()),
    "both-batch": ((2,), (2,)),
    "broadcast-rhs": ((2, 3), (1, 3)),
    "broadcast-lhs": ((1, 2), (3, 2)),
    "two-batch-dims": ((2, 3), ()),
}
CASES = [(shape, asym, const, 25000 + 1000 * i + 100 * j + 10 * c + k)
         for i, shape in enumerate(SHAPES) for j, asym in enumerate((False, True))
         for c, const in enumerate((True, False)) if const or not asym
         for k in range(6)]


def hybrid_matmul_model(shape: str, asym: bool, const: bool, seed: int,
                        per_channel: bool = False) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    lb, rb = SHAPES[shape]
    rows, depth, cols = (int(v) for v in rng.integers(1, 7, 3))
    adj_x, adj_y = bool(seed % 2), bool((seed // 2) % 2)
    lhs_shape = [*lb, depth, rows] if adj_x else [*lb, rows, depth]
    rhs_shape = [*rb, cols, depth] if adj_y else [*rb, depth, cols]
    n = max(len(lb), len(rb))
    lb_full, rb_full = (1,) * (n - len(lb)) + lb, (1,) * (n - len(rb)) + rb
    out_shape = [*(max(a, b) for a, b in zip(lb_full, rb_full, strict=True)), rows, cols]
    b = ModelBuilder()
    x = b.tensor("x", lhs_shape, "float32")
    scale = [0.01] * cols if per_channel else float(rng.uniform(0.002, 0.05))
    w_data = rng.integers(-127, 128, rhs_shape)
    w = b.tensor("w", rhs_shape, "int8", scale=scale, quantized_dimension=len(rhs_shape) - 1,
                 data=w_data if const else None)
    y = b.tensor("y", out_shape, "float32")
    b.op("BATCH_MATMUL", [x, w], [y], adj_x=adj_x, adj_y=adj_y,
         asymmetric_quantize_inputs=asym)
    b.inputs([x] if const else [x, w])
    b.outputs([y])
    lhs = rng.uniform(-4, 4, lhs_shape)
    if seed % 3 == 0:  # one-signed values push the asymmetric zero point to an end
        lhs = np.abs(lhs)
    inputs = [lhs.astype(np.float32)]
    if not const:
        inputs.append(w_data.astype(np.int8))
    return b.build(), inputs


@pytest.mark.parametrize(("shape", "asym", "const", "seed"), CASES,
                         ids=[f"{s}-{'asym' if a else 'sym'}-{'const' if c else 'input'}-{n}"
                              for s, a, c, n in CASES])
def test_hybrid_batch_matmul_matches_tflite(shape: str, asym: bool, const: bool,
                                            seed: int) -> None:
    model, inputs = hybrid_matmul_model(shape, asym, const, seed)
    check_model(model, inputs, float_tol=FLOAT_TOL)


def _messages(model: bytes, inputs: list[np.ndarray]) -> str:
    run = run_ours_raw(model, [inputs])
    assert not run.transcript.passed
    return " ".join(m for _, m in run.transcript.errors)


def test_per_channel_rhs_refused() -> None:
    messages = _messages(*hybrid_matmul_model("2d", False, True, 25999, per_channel=True))
    assert "BATCH_MATMUL" in messages and "per-tensor" in messages, messages


def test_asymmetric_with_variable_rhs_refused() -> None:
    messages = _messages(*hybrid_matmul_model("2d", True, False, 25998))
    assert "BATCH_MATMUL" in messages and "constant" in messages, messages
