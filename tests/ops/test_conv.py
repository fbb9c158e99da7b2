"""CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV against TFLite's reference kernels.

Random shapes and parameters from a fixed seed; int8 (per-tensor and per-channel filters)
and 16x8 must be bit-exact, float32 within FLOAT_TOL. Every case is one model run by our
host runner and by ai-edge-litert (BUILTIN_REF).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from tests.ops.cases import ACTIVATIONS, INPUT_STD, QMAX, Case, same_or_valid_out
from tests.ops.harness import check_model, compare_output, run_ours
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import random_inputs, run_reference

FLOAT_TOL = 1e-5
FILTER_STD = 73.0  # std of our int8 filters


# ---- tensors ---------------------------------------------------------------------------

def _activation_tensor(b: ModelBuilder, name: str, shape: list[int], dtype: str,
                       rng: np.random.Generator, scale: float | None = None) -> tuple[int, float]:
    """A non-constant tensor; returns (index, scale). int16 uses zero point 0."""
    if dtype == "float32":
        return b.tensor(name, shape, "float32"), 1.0
    scale = float(rng.uniform(0.005, 0.05)) if scale is None else scale
    zp = int(rng.integers(-20, 21)) if dtype == "int8" else 0
    return b.tensor(name, shape, dtype, scale=scale, zero_point=zp), scale


def _filter(b: ModelBuilder, shape: list[int], dtype: str, channel_axis: int,
            per_channel: bool, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """Constant filter; returns (index, per-output-channel scales; ones for float)."""
    channels = shape[channel_axis]
    if dtype == "float32":
        w = rng.uniform(-1.0, 1.0, size=shape).astype(np.float32)
        return b.tensor("w", shape, "float32", data=w), np.ones(channels)
    w = rng.integers(-127, 128, size=shape).astype(np.int8)
    scales = (rng.uniform(0.002, 0.02, size=channels) if per_channel
              else np.full(1, rng.uniform(0.002, 0.02)))
    idx = b.tensor("w", shape, "int8", data=w, scale=[float(s) for s in scales],
                   zero_point=[0] * len(scales), quantized_dimension=channel_axis)
    return idx, np.broadcast_to(scales, (channels,)) if len(scales) == 1 else scales


def _bias(b: ModelBuilder, channels: int, dtype: str, in_scale: float, f_scales: np.ndarray,
          rng: np.random.Generator) -> int:
    if dtype == "float32":
        return b.tensor("bias", [channels], "float32",
                        data=rng.uniform(-1.0, 1.0, size=channels).astype(np.float32))
    bias_type = "int32" if dtype == "int8" else "int64"
    limit = 20000 if dtype == "int8" else 2_000_000
    data = rng.integers(-limit, limit + 1, size=channels)
    scales = [float(in_scale * s) for s in f_scales]
    return b.tensor("bias", [channels], bias_type, data=data, scale=scales,
                    zero_point=[0] * channels, quantized_dimension=0)


def _out_scale(dtype: str, in_scale: float, f_scales: np.ndarray, taps: int,
               rng: np.random.Generator) -> float:
    """Output scale covering about 3 sigma of the accumulator, times a random factor so
    that some cases saturate."""
    acc_std = INPUT_STD[dtype] * FILTER_STD * np.sqrt(max(taps, 1))
    real_std = acc_std * in_scale * float(np.mean(f_scales))
    return float(3.0 * real_std / QMAX[dtype] * rng.uniform(0.4, 1.6))


# ---- CONV_2D ---------------------------------------------------------------------------

def _conv_cases() -> list[Case]:
    rng = np.random.default_rng(2024)
    cases = []
    for dtype, n in (("int8", 32), ("int16", 20), ("float32", 20)):
        for i in range(n):
            kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if i % 3 == 0 else (1, 1)
            padding = "SAME" if rng.random() < 0.5 else "VALID"
            h = int(rng.integers((kh - 1) * dil[0] + 1, 10))
            w = int(rng.integers((kw - 1) * dil[1] + 1, 10))
            groups = int(rng.choice([1, 2])) if dtype != "int16" and i % 5 == 4 else 1
            cin = int(rng.integers(1, 5)) * groups
            cout = int(rng.integers(1, 4)) * groups
            cases.append(Case("CONV_2D", dtype, 1000 + i, (
                ("in_shape", (int(rng.integers(1, 3)), h, w, cin)),
                ("k", (kh, kw)), ("cout", cout), ("groups", groups),
                ("s", (int(rng.integers(1, 4)), int(rng.integers(1, 4)))), ("d", dil),
                # TFLite's CONV_2D requires a bias (our kernel does not).
                ("pad", padding), ("act", ACTIVATIONS[i % 4]), ("bias", True),
                ("pc", i % 4 != 3),
            )))
    return cases


def conv_model(c: Case) -> bytes:
    rng = np.random.default_rng(c.seed)
    n, h, w, cin = c["in_shape"]
    kh, kw = c["k"]
    sh, sw = c["s"]
    dh, dw = c["d"]
    cout, groups = c["cout"], c["groups"]
    oh = same_or_valid_out(h, kh, sh, dh, c["pad"])
    ow = same_or_valid_out(w, kw, sw, dw, c["pad"])
    b = ModelBuilder()
    x, in_scale = _activation_tensor(b, "x", [n, h, w, cin], c.dtype, rng)
    f, f_scales = _filter(b, [cout, kh, kw, cin // groups], c.dtype, 0, c["pc"], rng)
    inputs = [x, f]
    if c["bias"]:  # TFLite wants a bias-less conv to have 2 inputs, not a -1 third
        inputs.append(_bias(b, cout, c.dtype, in_scale, f_scales, rng))
    out_scale = (_out_scale(c.dtype, in_scale, f_scales, kh * kw * cin // groups, rng)
                 if c.dtype != "float32" else None)
    y, _ = _activation_tensor(b, "y", [n, oh, ow, cout], c.dtype, rng, out_scale)
    b.op("CONV_2D", inputs, [y], version=3, padding=c["pad"], stride_w=sw, stride_h=sh,
         dilation_w_factor=dw, dilation_h_factor=dh, fused_activation_function=c["act"])
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- DEPTHWISE_CONV_2D -----------------------------------------------------------------

def _dw_cases() -> list[Case]:
    rng = np.random.default_rng(2025)
    cases = []
    for dtype, n in (("int8", 24), ("int16", 16), ("float32", 16)):
        for i in range(n):
            kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if i % 3 == 0 else (1, 1)
            h = int(rng.integers((kh - 1) * dil[0] + 1, 10))
            w = int(rng.integers((kw - 1) * dil[1] + 1, 10))
            cases.append(Case("DEPTHWISE_CONV_2D", dtype, 2000 + i, (
                ("in_shape", (int(rng.integers(1, 3)), h, w, int(rng.integers(1, 7)))),
                ("k", (kh, kw)), ("dm", int(rng.choice([1, 1, 2, 3]))),
                ("s", (int(rng.integers(1, 4)), int(rng.integers(1, 4)))), ("d", dil),
                ("pad", "SAME" if rng.random() < 0.5 else "VALID"),
                ("act", ACTIVATIONS[i % 4]), ("bias", i % 7 != 6), ("pc", i % 4 != 3),
            )))
    return cases


def dw_model(c: Case) -> bytes:
    rng = np.random.default_rng(c.seed)
    n, h, w, cin = c["in_shape"]
    kh, kw = c["k"]
    sh, sw = c["s"]
    dh, dw = c["d"]
    cout = cin * c["dm"]
    oh = same_or_valid_out(h, kh, sh, dh, c["pad"])
    ow = same_or_valid_out(w, kw, sw, dw, c["pad"])
    b = ModelBuilder()
    x, in_scale = _activation_tensor(b, "x", [n, h, w, cin], c.dtype, rng)
    f, f_scales = _filter(b, [1, kh, kw, cout], c.dtype, 3, c["pc"], rng)
    inputs = [x, f]
    if c["bias"]:
        inputs.append(_bias(b, cout, c.dtype, in_scale, f_scales, rng))
    out_scale = (_out_scale(c.dtype, in_scale, f_scales, kh * kw, rng)
                 if c.dtype != "float32" else None)
    y, _ = _activation_tensor(b, "y", [n, oh, ow, cout], c.dtype, rng, out_scale)
    b.op("DEPTHWISE_CONV_2D", inputs, [y], version=3, padding=c["pad"], stride_w=sw,
         stride_h=sh, depth_multiplier=c["dm"], dilation_w_factor=dw, dilation_h_factor=dh,
         fused_activation_function=c["act"])
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- TRANSPOSE_CONV --------------------------------------------------------------------

def _tconv_cases() -> list[Case]:
    rng = np.random.default_rng(2026)
    cases = []
    for dtype, n in (("int8", 16), ("int16", 12), ("float32", 12)):
        for i in range(n):
            cases.append(Case("TRANSPOSE_CONV", dtype, 3000 + i, (
                ("in_shape", (int(rng.integers(1, 3)), int(rng.integers(1, 6)),
                              int(rng.integers(1, 6)), int(rng.integers(1, 5)))),
                ("k", (int(rng.integers(1, 5)), int(rng.integers(1, 5)))),
                ("cout", int(rng.integers(1, 5))),
                ("s", (int(rng.integers(1, 4)), int(rng.integers(1, 4)))),
                ("pad", "SAME" if rng.random() < 0.5 else "VALID"),
                ("act", ACTIVATIONS[i % 4] if i % 2 else "NONE"),
                ("bias", i % 3 != 2), ("pc", i % 4 != 3),
            )))
    return cases


def tconv_model(c: Case) -> bytes:
    rng = np.random.default_rng(c.seed)
    n, h, w, cin = c["in_shape"]
    kh, kw = c["k"]
    sh, sw = c["s"]
    cout = c["cout"]
    if c["pad"] == "SAME":
        oh, ow = h * sh, w * sw
    else:
        oh, ow = (h - 1) * sh + kh, (w - 1) * sw + kw
    b = ModelBuilder()
    shape = b.tensor("output_shape", [4], "int32", data=np.array([n, oh, ow, cout]))
    x, in_scale = _activation_tensor(b, "x", [n, h, w, cin], c.dtype, rng)
    f, f_scales = _filter(b, [cout, kh, kw, cin], c.dtype, 0, c["pc"], rng)
    inputs = [shape, f, x]
    if c["bias"]:
        inputs.append(_bias(b, cout, c.dtype, in_scale, f_scales, rng))
    # Each output gathers about kh*kw*cin / (sh*sw) taps.
    taps = max(1, kh * kw * cin // (sh * sw))
    out_scale = (_out_scale(c.dtype, in_scale, f_scales, taps, rng)
                 if c.dtype != "float32" else None)
    y, _ = _activation_tensor(b, "y", [n, oh, ow, cout], c.dtype, rng, out_scale)
    b.op("TRANSPOSE_CONV", inputs, [y], version=3, padding=c["pad"], stride_w=sw, stride_h=sh,
         fused_activation_function=c["act"])
    b.inputs([x])
    b.outputs([y])
    return b.build()


# ---- tests -----------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Case], bytes]] = {
    "CONV_2D": conv_model, "DEPTHWISE_CONV_2D": dw_model, "TRANSPOSE_CONV": tconv_model,
}
CASES = _conv_cases() + _dw_cases() + _tconv_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_matches_tflite(case: Case) -> None:
    check_model(BUILDERS[case.op](case), seed=case.seed, float_tol=FLOAT_TOL)


def test_conv_1x1_stride_1_large_channels() -> None:
    """A pointwise conv deep enough to exercise long accumulations."""
    case = Case("CONV_2D", "int8", 7, (
        ("in_shape", (1, 5, 5, 64)), ("k", (1, 1)), ("cout", 32), ("groups", 1),
        ("s", (1, 1)), ("d", (1, 1)), ("pad", "VALID"), ("act", "RELU6"),
        ("bias", True), ("pc", True)))
    check_model(conv_model(case), seed=7)


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
def test_conv_without_bias_equals_zero_bias(dtype: str) -> None:
    """TFLite requires a CONV_2D bias (TFLM does not): our bias-less conv must equal
    TFLite's conv with an all-zero bias."""
    def model(with_zero_bias: bool) -> bytes:
        rng = np.random.default_rng(5)
        b = ModelBuilder()
        x, in_scale = _activation_tensor(b, "x", [1, 6, 5, 3], dtype, rng)
        f, f_scales = _filter(b, [4, 3, 3, 3], dtype, 0, True, rng)
        inputs = [x, f]
        if with_zero_bias:
            bias_type = {"int8": "int32", "int16": "int64", "float32": "float32"}[dtype]
            scale = None if dtype == "float32" else [float(in_scale * s) for s in f_scales]
            inputs.append(b.tensor("bias", [4], bias_type, data=np.zeros(4), scale=scale))
        out_scale = None if dtype == "float32" else _out_scale(dtype, in_scale, f_scales, 27,
                                                               rng)
        y, _ = _activation_tensor(b, "y", [1, 3, 3, 4], dtype, rng, out_scale)
        b.op("CONV_2D", inputs, [y], padding="SAME", stride_w=2, stride_h=2)
        b.inputs([x])
        b.outputs([y])
        return b.build()

    ours_model, theirs_model = model(False), model(True)
    inputs = random_inputs(ours_model, np.random.default_rng(9))
    expected = run_reference(theirs_model, inputs)[0][0]
    t = run_ours(ours_model, [inputs])
    assert t.passed, t.errors
    assert compare_output(t.outputs_of(0)[0], expected, FLOAT_TOL) is None


def _hybrid_conv() -> bytes:
    """float32 input with int8 filter: TFLite's hybrid path, which we do not implement."""
    b = ModelBuilder()
    x = b.tensor("x", [1, 4, 4, 2], "float32")
    w = b.tensor("w", [3, 3, 3, 2], "int8", data=np.ones((3, 3, 3, 2)), scale=0.1, zero_point=0)
    y = b.tensor("y", [1, 4, 4, 3], "float32")
    b.op("CONV_2D", [x, w], [y], padding="SAME", stride_w=1, stride_h=1)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_unsupported_types_are_refused_clearly() -> None:
    t = run_ours(_hybrid_conv(), [[np.zeros((1, 4, 4, 2), np.float32)]])
    assert not t.passed
    messages = " ".join(m for _, m in t.errors)
    assert "FLOAT32" in messages and "INT8" in messages and "not supported" in messages


def test_wrong_output_shape_is_refused() -> None:
    b = ModelBuilder()
    x = b.tensor("x", [1, 5, 5, 1], "float32")
    w = b.tensor("w", [1, 3, 3, 1], "float32", data=np.ones((1, 3, 3, 1)))
    y = b.tensor("y", [1, 5, 5, 1], "float32")  # VALID needs 3x3
    b.op("CONV_2D", [x, w], [y], padding="VALID", stride_w=1, stride_h=1)
    b.inputs([x])
    b.outputs([y])
    t = run_ours(b.build(), [[np.zeros((1, 5, 5, 1), np.float32)]])
    assert not t.passed
    assert any("output shape" in m for _, m in t.errors)
