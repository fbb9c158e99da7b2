"""Activation, softmax and conversion ops against TFLite's reference kernels.

LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH, PRELU, SOFTMAX, QUANTIZE, DEQUANTIZE and
CAST: random shapes and quantization parameters from a fixed seed; integer outputs bit-exact,
float32 within FLOAT_TOL. Integer inputs are uniform over the whole type range (the harness
default), so every table entry and saturation path is reached.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.ops.harness import check_model, run_ours
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import random_inputs, run_reference

# Our float kernels evaluate exp/tanh in double and round once; TFLite uses libm's float
# versions, which are within an ulp or two.
FLOAT_TOL = 2e-6


@dataclass(frozen=True)
class Case:
    """One drawn configuration; `seed` makes its parameters and tensors reproducible."""

    op: str
    in_type: str
    out_type: str
    seed: int
    shape: tuple[int, ...]

    @property
    def id(self) -> str:
        types = self.in_type if self.in_type == self.out_type else f"{self.in_type}-{self.out_type}"
        return f"{self.op}-{types}-{'x'.join(map(str, self.shape))}"


# (op, input type, output type, number of cases)
PLAN = (
    ("LOGISTIC", "int8", "int8", 6), ("LOGISTIC", "int16", "int16", 6),
    ("LOGISTIC", "float32", "float32", 3),
    ("TANH", "int8", "int8", 6), ("TANH", "int16", "int16", 6), ("TANH", "float32", "float32", 3),
    ("RELU", "int8", "int8", 5), ("RELU", "int16", "int16", 4), ("RELU", "float32", "float32", 2),
    ("RELU6", "int8", "int8", 5), ("RELU6", "int16", "int16", 4),
    ("RELU6", "float32", "float32", 2),
    ("LEAKY_RELU", "int8", "int8", 5), ("LEAKY_RELU", "int16", "int16", 4),
    ("LEAKY_RELU", "float32", "float32", 2),
    ("HARD_SWISH", "int8", "int8", 8), ("HARD_SWISH", "float32", "float32", 2),
    ("PRELU", "int8", "int8", 6), ("PRELU", "float32", "float32", 3),
    ("SOFTMAX", "int8", "int8", 6), ("SOFTMAX", "int8", "int16", 3),
    ("SOFTMAX", "int16", "int16", 6), ("SOFTMAX", "float32", "float32", 4),
    ("QUANTIZE", "float32", "int8", 4), ("QUANTIZE", "float32", "int16", 3),
    ("QUANTIZE", "int8", "int8", 3), ("QUANTIZE", "int16", "int8", 3),
    ("QUANTIZE", "int8", "int16", 2), ("QUANTIZE", "int16", "int16", 2),
    ("DEQUANTIZE", "int8", "float32", 3), ("DEQUANTIZE", "int16", "float32", 2),
    ("CAST", "float32", "int32", 2), ("CAST", "int32", "float32", 2),
    ("CAST", "int8", "int32", 1), ("CAST", "int32", "int8", 1), ("CAST", "int16", "int32", 1),
    ("CAST", "bool", "float32", 1), ("CAST", "float32", "bool", 1), ("CAST", "int32", "bool", 1),
    ("CAST", "uint8", "int32", 1), ("CAST", "int32", "int16", 1), ("CAST", "float32", "int8", 1),
)


def _cases() -> list[Case]:
    rng = np.random.default_rng(7_070_707)
    cases = []
    seed = 3000
    for op, in_type, out_type, n in PLAN:
        for _ in range(n):
            rank = int(rng.integers(1, 5))
            shape = [int(rng.integers(1, 6)) for _ in range(rank)]
            shape[-1] = int(rng.integers(1, 40))
            cases.append(Case(op, in_type, out_type, seed, tuple(shape)))
            seed += 1
    return cases


CASES = _cases()


def _scale(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def _in_quant(rng: np.random.Generator, dtype: str, pot_chance: float = 0.0) -> dict:
    if dtype == "int8":
        return {"scale": _scale(rng, 0.01, 0.2), "zero_point": int(rng.integers(-100, 101))}
    if dtype == "int16":
        if rng.random() < pot_chance:
            return {"scale": float(2.0 ** -int(rng.integers(11, 14))), "zero_point": 0}
        return {"scale": _scale(rng, 1e-4, 6e-4), "zero_point": 0}
    if dtype == "uint8":
        return {}
    return {}


def _out_quant(rng: np.random.Generator, c: Case, q_in: dict) -> dict:
    """Output quantization the op requires (fixed for LOGISTIC/TANH/SOFTMAX)."""
    fixed = {
        ("LOGISTIC", "int8"): (1 / 256, -128), ("LOGISTIC", "int16"): (1 / 32768, 0),
        ("TANH", "int8"): (1 / 128, 0), ("TANH", "int16"): (1 / 32768, 0),
        ("SOFTMAX", "int8"): (1 / 256, -128), ("SOFTMAX", "int16"): (1 / 32768, 0),
    }
    if c.op == "SOFTMAX" and c.in_type == "int8" and c.out_type == "int16":
        return {"scale": 1 / 65536, "zero_point": -32768}
    if (c.op, c.out_type) in fixed:
        scale, zp = fixed[(c.op, c.out_type)]
        return {"scale": scale, "zero_point": zp}
    if c.out_type not in ("int8", "int16"):
        return {}
    if c.out_type == "int16":
        base = q_in.get("scale", 1e-3) if c.in_type == "int16" else 3e-4
        return {"scale": base * rng.uniform(0.5, 2.0), "zero_point": 0}
    base = q_in.get("scale", 0.05) if c.in_type == "int8" else 0.03
    return {"scale": float(base * rng.uniform(0.5, 2.0)), "zero_point": int(rng.integers(-50, 51))}


def activation_model(c: Case) -> tuple[bytes, list[np.ndarray] | None]:
    """The model of case `c` and explicit inputs (None: the harness draws them)."""
    rng = np.random.default_rng(c.seed)
    b = ModelBuilder()
    pot = 0.5 if c.op in ("LOGISTIC", "TANH") else 0.0
    q_in = _in_quant(rng, c.in_type, pot)
    q_out = _out_quant(rng, c, q_in)
    shape = list(c.shape)
    x = b.tensor("x", shape, c.in_type, **q_in)
    y = b.tensor("y", shape, c.out_type, **q_out)
    inputs: list[np.ndarray] | None = None
    op_inputs = [x]
    options: dict[str, object] = {}
    if c.op == "LEAKY_RELU":
        options["alpha"] = float(rng.choice([rng.uniform(0.01, 0.5), rng.uniform(-1.0, 2.0)]))
    elif c.op == "SOFTMAX":
        options["beta"] = float(rng.choice([1.0, rng.uniform(0.1, 3.0)]))
    elif c.op == "CAST":
        options = {"in_data_type": c.in_type.upper(), "out_data_type": c.out_type.upper()}
    elif c.op == "PRELU":
        # alpha broadcast along the trailing axes, as the converter writes it
        a_shape = [1 if rng.random() < 0.5 else d for d in shape[-int(rng.integers(1, 4)):]]
        if c.in_type == "int8":
            alpha = b.tensor("alpha", a_shape, "int8", data=rng.integers(-128, 128, size=a_shape),
                             scale=_scale(rng, 0.002, 0.02), zero_point=int(rng.integers(-20, 21)))
        else:
            alpha = b.tensor("alpha", a_shape, "float32",
                             data=rng.uniform(-0.5, 1.0, size=a_shape).astype(np.float32))
        op_inputs.append(alpha)
    if c.in_type == "float32":
        spread = {"QUANTIZE": 3.0, "SOFTMAX": 6.0, "HARD_SWISH": 5.0, "RELU6": 8.0,
                  "LOGISTIC": 12.0, "TANH": 5.0, "CAST": 100.0}.get(c.op, 4.0)
        a = rng.uniform(-spread, spread, size=shape)
        if c.op == "CAST" and c.out_type == "int8":
            a = a.clip(-127, 127)
        if c.op == "CAST" and c.out_type == "bool":
            a = np.where(rng.random(size=shape) < 0.3, 0.0, a)
        inputs = [a.astype(np.float32)]
    elif c.in_type == "int32" and c.op == "CAST":
        a = rng.integers(-100000, 100001, size=shape)
        if c.out_type == "bool":
            a = np.where(rng.random(size=shape) < 0.3, 0, a)
        inputs = [a.astype(np.int32)]
    b.op(c.op, op_inputs, [y], **options)
    b.inputs([x])
    b.outputs([y])
    return b.build(), inputs


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_activation_matches_tflite(case: Case) -> None:
    model, inputs = activation_model(case)
    check_model(model, inputs, seed=case.seed, float_tol=FLOAT_TOL)


# ---- targeted cases ----------------------------------------------------------------------

def _unary(op: str, shape: list[int], in_q: tuple[str, float, int],
           out_q: tuple[str, float, int], **options: object) -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", shape, in_q[0], scale=in_q[1], zero_point=in_q[2])
    y = b.tensor("y", shape, out_q[0], scale=out_q[1], zero_point=out_q[2])
    b.op(op, [x], [y], **options)
    b.inputs([x])
    b.outputs([y])
    return b.build()


@pytest.mark.parametrize("op,in_scale,out_q", [
    ("LOGISTIC", 0.06, ("int8", 1 / 256, -128)), ("TANH", 0.06, ("int8", 1 / 128, 0)),
    ("HARD_SWISH", 0.06, ("int8", 0.02, -90)), ("RELU6", 0.06, ("int8", 6 / 255, -128)),
    # a small input scale gives HARD_SWISH a negative "reluish" exponent (right shift)
    ("HARD_SWISH", 0.004, ("int8", 0.003, -20)),
    ("HARD_SWISH", 0.5, ("int8", 0.25, -100)),
])
def test_int8_every_input_value(op: str, in_scale: float, out_q: tuple[str, float, int]) -> None:
    """All 256 int8 values in one tensor: the whole lookup table / fixed-point path."""
    model = _unary(op, [2, 128], ("int8", in_scale, 3), out_q)
    check_model(model, [np.arange(-128, 128, dtype=np.int8).reshape(2, 128)])


def test_softmax_int8_large_beta_saturates_rows() -> None:
    """A large beta * scale pushes most differences below diff_min (output -128)."""
    model = _unary("SOFTMAX", [3, 50], ("int8", 0.5, 0), ("int8", 1 / 256, -128), beta=4.0)
    check_model(model, seed=11)


def test_quantize_per_channel_float_to_int8() -> None:
    rng = np.random.default_rng(12)
    b = ModelBuilder()
    x = b.tensor("x", [2, 3, 5], "float32")
    scales = [float(s) for s in rng.uniform(0.01, 0.05, size=3)]
    y = b.tensor("y", [2, 3, 5], "int8", scale=scales, zero_point=[-5, 0, 7],
                 quantized_dimension=1)
    b.op("QUANTIZE", [x], [y])
    b.inputs([x])
    b.outputs([y])
    check_model(b.build(), [rng.uniform(-4, 4, size=(2, 3, 5)).astype(np.float32)])


@pytest.mark.parametrize("op,in_q,out_q,expected", [
    ("LOGISTIC", ("int8", 0.05, 0), ("int8", 0.01, -128), "output scale must be 1/256"),
    ("SOFTMAX", ("int16", 1e-3, 0), ("int16", 1 / 32768, 5), "zero point 5 not supported"),
    ("TANH", ("int16", 1e-3, 3), ("int16", 1 / 32768, 0), "zero point 3 not supported"),
    ("HARD_SWISH", ("int16", 1e-3, 0), ("int16", 1e-3, 0), "INT16"),
])
def test_refuses_what_tflite_refuses(op: str, in_q: tuple[str, float, int],
                                     out_q: tuple[str, float, int], expected: str) -> None:
    """Configurations TFLite rejects in Prepare fail in ours too, with a message naming why."""
    model = _unary(op, [1, 8], in_q, out_q)
    with pytest.raises(Exception):  # noqa: B017 - any TFLite error will do
        run_reference(model, random_inputs(model, np.random.default_rng(0)))
    t = run_ours(model, [random_inputs(model, np.random.default_rng(0))])
    assert not t.passed
    messages = " ".join(message for _, message in t.errors)
    assert op in messages and expected in messages, messages
