"""FULLY_CONNECTED, AVERAGE_POOL_2D and MAX_POOL_2D against TFLite's reference kernels.

Random shapes and parameters from a fixed seed; int8 and int16 bit-exact, float32 within
FLOAT_TOL. Every case is one model run by our host runner and by ai-edge-litert
(BUILTIN_REF).
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.cases import ACTIVATIONS, INPUT_STD, QMAX, Case, same_or_valid_out
from tests.ops.harness import check_model, run_ours
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 1e-5


def _tensor(b: ModelBuilder, name: str, shape: list[int], dtype: str, scale: float | None,
            zp: int) -> int:
    if dtype == "float32":
        return b.tensor(name, shape, "float32")
    return b.tensor(name, shape, dtype, scale=scale, zero_point=zp)


# ---- FULLY_CONNECTED -------------------------------------------------------------------

def _fc_cases() -> list[Case]:
    rng = np.random.default_rng(4242)
    cases = []
    for dtype, n in (("int8", 30), ("int16", 18), ("float32", 16)):
        for i in range(n):
            depth = int(rng.integers(1, 40))
            lead = [int(rng.integers(1, 4)) for _ in range(int(rng.integers(1, 3)))]
            cases.append(Case("FULLY_CONNECTED", dtype, 5000 + i, (
                ("in_shape", (*lead, depth)), ("units", int(rng.integers(1, 12))),
                ("keep", bool(i % 3 == 1)), ("act", ACTIVATIONS[i % 4]),
                ("bias", i % 5 != 4), ("pc", dtype != "float32" and i % 2 == 1),
                # per-tensor int8 weights may carry a zero point (TFLite subtracts it)
                ("wzp", int(rng.integers(-5, 6)) if dtype == "int8" and i % 4 == 2 else 0),
            )))
    return cases


def fc_model(c: Case) -> bytes:
    rng = np.random.default_rng(c.seed)
    in_shape = list(c["in_shape"])
    depth, units = in_shape[-1], c["units"]
    batches = int(np.prod(in_shape[:-1]))
    out_shape = [*in_shape[:-1], units] if c["keep"] else [batches, units]
    b = ModelBuilder()
    if c.dtype == "float32":
        x = b.tensor("x", in_shape, "float32")
        w = b.tensor("w", [units, depth], "float32",
                     data=rng.uniform(-1, 1, size=(units, depth)).astype(np.float32))
        bias = (b.tensor("bias", [units], "float32",
                         data=rng.uniform(-1, 1, size=units).astype(np.float32))
                if c["bias"] else -1)
        y = b.tensor("y", out_shape, "float32")
    else:
        in_scale = float(rng.uniform(0.005, 0.05))
        in_zp = int(rng.integers(-20, 21)) if c.dtype == "int8" else 0
        x = b.tensor("x", in_shape, c.dtype, scale=in_scale, zero_point=in_zp)
        wq = rng.integers(-127, 128, size=(units, depth))
        pc = bool(c["pc"])
        w_scales = rng.uniform(0.002, 0.02, size=units if pc else 1)
        wzp = 0 if pc else int(c["wzp"])
        w = b.tensor("w", [units, depth], "int8", data=np.clip(wq, -128, 127),
                     scale=[float(s) for s in w_scales], zero_point=[wzp] * len(w_scales),
                     quantized_dimension=0)
        bias = -1
        if c["bias"]:
            limit = 20000 if c.dtype == "int8" else 2_000_000
            bias_scales = [float(in_scale * s) for s in w_scales]
            bias = b.tensor("bias", [units], "int32" if c.dtype == "int8" else "int64",
                            data=rng.integers(-limit, limit + 1, size=units),
                            scale=bias_scales, zero_point=[0] * len(bias_scales))
        acc_std = INPUT_STD[c.dtype] * 73.0 * np.sqrt(depth)
        out_scale = float(3 * acc_std * in_scale * np.mean(w_scales) / QMAX[c.dtype]
                          * rng.uniform(0.4, 1.6))
        out_zp = int(rng.integers(-10, 11)) if c.dtype == "int8" else 0
        y = b.tensor("y", out_shape, c.dtype, scale=out_scale, zero_point=out_zp)
    b.op("FULLY_CONNECTED", [x, w, bias], [y], version=4, keep_num_dims=bool(c["keep"]),
         fused_activation_function=c["act"])
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- pooling ---------------------------------------------------------------------------

def _pool_cases() -> list[Case]:
    rng = np.random.default_rng(4343)
    cases = []
    for op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        for dtype, n in (("int8", 20), ("int16", 14), ("float32", 14)):
            for i in range(n):
                fh, fw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
                padding = "SAME" if rng.random() < 0.5 else "VALID"
                cases.append(Case(op, dtype, 6000 + i, (
                    ("in_shape", (int(rng.integers(1, 3)), int(rng.integers(fh, 11)),
                                  int(rng.integers(fw, 11)), int(rng.integers(1, 6)))),
                    ("f", (fh, fw)), ("s", (int(rng.integers(1, 4)), int(rng.integers(1, 4)))),
                    ("pad", padding), ("act", ACTIVATIONS[i % 4]),
                )))
    return cases


def pool_model(c: Case) -> bytes:
    rng = np.random.default_rng(c.seed)
    n, h, w, ch = c["in_shape"]
    fh, fw = c["f"]
    sh, sw = c["s"]
    oh = same_or_valid_out(h, fh, sh, 1, c["pad"])
    ow = same_or_valid_out(w, fw, sw, 1, c["pad"])
    # Pooling does not rescale: input and output share scale and zero point.
    scale = float(rng.uniform(0.005, 0.05)) if c.dtype == "int8" else float(
        rng.uniform(1e-5, 1e-3))
    zp = int(rng.integers(-20, 21)) if c.dtype == "int8" else 0
    b = ModelBuilder()
    x = _tensor(b, "x", [n, h, w, ch], c.dtype, scale, zp)
    y = _tensor(b, "y", [n, oh, ow, ch], c.dtype, scale, zp)
    b.op(c.op, [x], [y], version=2, padding=c["pad"], stride_w=sw, stride_h=sh,
         filter_width=fw, filter_height=fh, fused_activation_function=c["act"])
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- tests -----------------------------------------------------------------------------

BUILDERS = {"FULLY_CONNECTED": fc_model, "AVERAGE_POOL_2D": pool_model,
            "MAX_POOL_2D": pool_model}
CASES = _fc_cases() + _pool_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_tflite(case: Case) -> None:
    check_model(BUILDERS[case.op](case), seed=case.seed, float_tol=FLOAT_TOL)


def test_fc_deep_accumulation() -> None:
    """A long dot product (depth 1000) as in keyword-spotting heads."""
    case = Case("FULLY_CONNECTED", "int8", 11, (
        ("in_shape", (1, 1000)), ("units", 12), ("keep", False), ("act", "NONE"),
        ("bias", True), ("pc", False), ("wzp", 0)))
    check_model(fc_model(case), seed=11)


def test_pool_requantization_is_refused() -> None:
    """Our pooling does not rescale: different input/output quantization is refused."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4, 4, 1], "int8", scale=0.1, zero_point=0)
    y = b.tensor("y", [1, 2, 2, 1], "int8", scale=0.2, zero_point=3)
    b.op("MAX_POOL_2D", [x], [y], padding="VALID", stride_w=2, stride_h=2, filter_width=2,
         filter_height=2)
    b.inputs([x])
    b.outputs([y])
    t = run_ours(b.build(), [[np.zeros((1, 4, 4, 1), np.int8)]])
    assert not t.passed
    assert any("quantization differ" in m for _, m in t.errors)
