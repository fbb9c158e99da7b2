"""Binary elementwise ops (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM) against TFLite's reference
kernels.

Random shapes (ranks 1-6, numpy broadcasting either way), quantization parameters and fused
activations from a fixed seed; int8/int16/int32 bit-exact, float32 within FLOAT_TOL. Every
case is one model run by our host runner and by ai-edge-litert (BUILTIN_REF).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.ops.harness import check_model
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 1e-6
ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
TYPES = {
    "ADD": ("int8", "int16", "int32", "float32"),
    "SUB": ("int8", "int16", "int32", "float32"),
    "MUL": ("int8", "int16", "int32", "float32"),
    "DIV": ("int32", "float32"),
    "MAXIMUM": ("int8", "int16", "int32", "float32"),
    "MINIMUM": ("int8", "int16", "int32", "float32"),
}
CASES_PER_TYPE = 6
HAS_ACTIVATION = ("ADD", "SUB", "MUL", "DIV")


@dataclass(frozen=True)
class Case:
    """One drawn configuration: shapes, quantization and activation, reproducible by seed."""

    op: str
    dtype: str
    seed: int
    shape1: tuple[int, ...]
    shape2: tuple[int, ...]
    act: str

    @property
    def id(self) -> str:
        s1 = "x".join(map(str, self.shape1)) or "scalar"
        s2 = "x".join(map(str, self.shape2)) or "scalar"
        return f"{self.op}-{self.dtype}-{s1}-{s2}-{self.act}"


def _broadcast_partner(rng: np.random.Generator, shape: list[int]) -> list[int]:
    """A shape that broadcasts with `shape`: some dims set to 1, maybe fewer leading dims."""
    other = [1 if rng.random() < 0.4 else d for d in shape]
    drop = int(rng.integers(0, len(shape) + 1)) if rng.random() < 0.3 else 0
    return other[drop:]


def _cases() -> list[Case]:
    rng = np.random.default_rng(20261124)
    cases = []
    seed = 1000
    for op, dtypes in TYPES.items():
        for dtype in dtypes:
            for i in range(CASES_PER_TYPE):
                rank = int(rng.integers(1, 7)) if i != 0 else 4
                shape = [int(rng.integers(1, 5)) for _ in range(rank)]
                # every third case keeps equal shapes: the flat path
                other = list(shape) if i % 3 == 0 else _broadcast_partner(rng, shape)
                s1, s2 = (shape, other) if i % 2 == 0 else (other, shape)
                act = ACTIVATIONS[i % 4] if op in HAS_ACTIVATION else "NONE"
                if dtype == "int32" and op != "DIV":
                    act = ("NONE", "RELU")[i % 2]
                cases.append(Case(op, dtype, seed, tuple(s1), tuple(s2), act))
                seed += 1
    return cases


CASES = _cases()


def _out_shape(s1: tuple[int, ...], s2: tuple[int, ...]) -> list[int]:
    return list(np.broadcast_shapes(s1, s2))


def _quant(rng: np.random.Generator, dtype: str) -> dict[str, object]:
    if dtype in ("int32", "float32"):
        return {}
    scale = float(np.exp(rng.uniform(np.log(0.004), np.log(0.2))))
    zp = int(rng.integers(-60, 61)) if dtype == "int8" else 0
    return {"scale": scale, "zero_point": zp}


def binary_model(c: Case) -> tuple[bytes, list[np.ndarray] | None]:
    """The model of case `c` and explicit inputs (None: the harness draws them)."""
    rng = np.random.default_rng(c.seed)
    b = ModelBuilder()
    q1, q2, qo = _quant(rng, c.dtype), _quant(rng, c.dtype), _quant(rng, c.dtype)
    if c.op in ("MAXIMUM", "MINIMUM") and q1:
        qo = q1  # TFLite compares raw values: the op only makes sense with shared params
        q2 = q1
    if c.op == "MUL" and q1:
        # keep products in range so the output is not all saturated
        qo = {**qo, "scale": float(q1["scale"] * q2["scale"] * rng.uniform(40, 160))}
    x1 = b.tensor("x1", list(c.shape1), c.dtype, **q1)
    x2 = b.tensor("x2", list(c.shape2), c.dtype, **q2)
    y = b.tensor("y", _out_shape(c.shape1, c.shape2), c.dtype, **qo)
    options: dict[str, object] = {}
    if c.op in HAS_ACTIVATION:
        options["fused_activation_function"] = c.act
    if c.op in ("ADD", "SUB") and c.dtype == "int16":
        options["pot_scale_int16"] = False
    b.op(c.op, [x1, x2], [y], **options)
    b.inputs([x1, x2])
    b.outputs([y])
    inputs = None
    if c.dtype == "int32":
        a1 = rng.integers(-1000, 1001, size=c.shape1)
        a2 = rng.integers(-1000, 1001, size=c.shape2)
        if c.op == "DIV":
            a2 = np.where(a2 == 0, 7, a2)
        inputs = [a1.astype(np.int32), a2.astype(np.int32)]
    elif c.dtype == "float32":
        a1 = rng.uniform(-4, 4, size=c.shape1)
        a2 = rng.uniform(-4, 4, size=c.shape2)
        if c.op == "DIV":  # keep denominators away from 0
            a2 = np.sign(a2 + 1e-9) * (np.abs(a2) + 0.25)
        inputs = [a1.astype(np.float32), a2.astype(np.float32)]
    return b.build(), inputs


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_binary_matches_tflite(case: Case) -> None:
    model, inputs = binary_model(case)
    check_model(model, inputs, seed=case.seed, float_tol=FLOAT_TOL)


# ---- targeted cases ----------------------------------------------------------------------

def test_add_int8_extreme_scales() -> None:
    """Very different input scales exercise the left_shift=20 rescaling at its limits."""
    b = ModelBuilder()
    x1 = b.tensor("x1", [2, 3, 17], "int8", scale=0.0007, zero_point=-128)
    x2 = b.tensor("x2", [2, 3, 17], "int8", scale=0.9, zero_point=127)
    y = b.tensor("y", [2, 3, 17], "int8", scale=0.3, zero_point=5)
    b.op("ADD", [x1, x2], [y], fused_activation_function="NONE")
    b.inputs([x1, x2])
    b.outputs([y])
    check_model(b.build(), seed=7)


@pytest.mark.parametrize("op", ["ADD", "SUB"])
@pytest.mark.parametrize("log2_scales", [(-12, -10, -10), (-10, -13, -10), (-11, -11, -11)])
def test_int16_power_of_two_scales(op: str, log2_scales: tuple[int, int, int]) -> None:
    """pot_scale_int16 (the default) with power-of-two scales takes TFLite's shift path."""
    s1, s2, so = (2.0 ** e for e in log2_scales)
    b = ModelBuilder()
    x1 = b.tensor("x1", [4, 33], "int16", scale=s1, zero_point=0)
    x2 = b.tensor("x2", [4, 33], "int16", scale=s2, zero_point=0)
    y = b.tensor("y", [4, 33], "int16", scale=so, zero_point=0)
    b.op(op, [x1, x2], [y], fused_activation_function="RELU", pot_scale_int16=True)
    b.inputs([x1, x2])
    b.outputs([y])
    check_model(b.build(), seed=8)


def test_mul_with_constant_broadcast_operand() -> None:
    """A constant per-channel multiplier (model buffer data) broadcast over NHWC."""
    rng = np.random.default_rng(9)
    b = ModelBuilder()
    x = b.tensor("x", [1, 5, 6, 8], "int8", scale=0.05, zero_point=-3)
    k = b.tensor("k", [8], "int8", data=rng.integers(-128, 128, size=8), scale=0.02,
                 zero_point=4)
    y = b.tensor("y", [1, 5, 6, 8], "int8", scale=0.03, zero_point=-10)
    b.op("MUL", [x, k], [y], fused_activation_function="RELU")
    b.inputs([x])
    b.outputs([y])
    check_model(b.build(), seed=9)
