"""Elementwise unary ops (ABS, NEG, FLOOR, CEIL, ROUND, SQUARE, SQRT, RSQRT, ZEROS_LIKE) and
integer/float binary ops (FLOOR_DIV, FLOOR_MOD, SQUARED_DIFFERENCE, ADD_N) against TFLite.

Every float op here is exact in TFLite (correctly rounded libm functions, one float
operation) and in ours (internal/fmath.c, integer-only floor/ceil/sqrt/fmod), so floats are
compared with tolerance 0 (NaN matches NaN). Inputs mix edge values: +-0, +-Inf, NaN,
subnormals, halves, +-3.4e38, type limits.

TFLite's reference resolver (BUILTIN_REF) registers no CEIL and no ROUND kernel: those two
are checked against its default resolver (BUILTIN). The default kernels flush subnormal
inputs to zero (CEIL(1e-40) = 0, FLOOR(-1e-40) = -0) where the reference kernels and C
give 1 and -1; ours follow the reference (IEEE-754, as a Cortex-M FPU without flush-to-zero):
subnormals are left out of the BUILTIN comparisons and checked against numpy instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from tests.ops.edge_values import binary_shapes, draw, random_shape
from tests.ops.harness import check_model, run_ours_raw
from tfm_ci.modelgen import ModelBuilder

FLOAT_TOL = 0.0
UNARY_TYPES = {
    "ABS": ("float32", "int8", "int16", "int16-raw", "int32"),
    "NEG": ("float32", "int8", "int16", "int32", "int64"),
    "FLOOR": ("float32",),
    "CEIL": ("float32",),
    "ROUND": ("float32",),
    "SQUARE": ("float32",),
    "SQRT": ("float32",),
    "RSQRT": ("float32",),
    "ZEROS_LIKE": ("float32", "int32", "int64"),
}
BINARY_TYPES = {
    "FLOOR_DIV": ("float32", "int8", "int16", "int32"),
    "FLOOR_MOD": ("float32", "int8", "int16", "int32", "int64"),
    "SQUARED_DIFFERENCE": ("float32", "int32", "int8"),
}
NOT_IN_REF_RESOLVER = ("CEIL", "ROUND")
CASES_PER_TYPE = 6


@dataclass(frozen=True)
class Case:
    op: str
    dtype: str              # "int16-raw": int16 without quantization parameters
    seed: int
    shapes: tuple[tuple[int, ...], ...]

    @property
    def id(self) -> str:
        return f"{self.op}-{self.dtype}-" + "-".join("x".join(map(str, s)) or "scalar"
                                                     for s in self.shapes)


def _cases() -> list[Case]:
    rng = np.random.default_rng(20261203)
    cases, seed = [], 5000
    for op, dtypes in UNARY_TYPES.items():
        for dtype in dtypes:
            for _ in range(CASES_PER_TYPE):
                cases.append(Case(op, dtype, seed, (tuple(random_shape(rng, 5)),)))
                seed += 1
    for op, dtypes in BINARY_TYPES.items():
        for dtype in dtypes:
            for i in range(CASES_PER_TYPE):
                s1, s2 = binary_shapes(rng, i)
                cases.append(Case(op, dtype, seed, (tuple(s1), tuple(s2))))
                seed += 1
    for dtype in ("float32", "int32"):
        for n in (2, 3, 5, 8):
            shape = tuple(random_shape(rng, 4))
            cases.append(Case("ADD_N", dtype, seed, (shape,) * n))
            seed += 1
    return cases


CASES = _cases()


def _quant(rng: np.random.Generator, dtype: str) -> dict[str, object]:
    if dtype == "int8":
        return {"scale": float(rng.uniform(0.01, 0.2)), "zero_point": int(rng.integers(-50, 51))}
    if dtype == "int16":
        return {"scale": float(rng.uniform(0.0005, 0.01)), "zero_point": 0}
    return {}


def op_model(c: Case) -> tuple[bytes, list[np.ndarray]]:
    rng = np.random.default_rng(c.seed)
    dtype = "int16" if c.dtype == "int16-raw" else c.dtype
    q_in = _quant(rng, c.dtype)
    # ABS rescales when the scales differ; every third case keeps them equal
    q_out = q_in if c.seed % 3 == 0 else _quant(rng, c.dtype)
    q_ins = [q_in] * len(c.shapes)
    if c.op == "SQUARED_DIFFERENCE" and dtype == "int8":
        q_ins = [q_in, _quant(rng, dtype)]  # different input scales: both get rescaled
        # the squares span up to (2 * 128 * scale)^2: an output scale that keeps them in range
        big = max(q["scale"] for q in q_ins)
        q_out = {"scale": float(big ** 2 * rng.uniform(40, 300)),
                 "zero_point": int(rng.integers(-128, -60))}
    elif c.op != "ABS":
        q_ins, q_out = [{}] * len(c.shapes), {}
    b = ModelBuilder()
    xs = [b.tensor(f"x{i}", list(s), dtype, **q) for i, (s, q) in enumerate(zip(c.shapes, q_ins,
                                                                              strict=True))]
    out_shape = list(np.broadcast_shapes(*c.shapes))
    y = b.tensor("y", out_shape, dtype, **q_out)
    b.op(c.op, xs, [y])
    b.inputs(xs)
    b.outputs([y])
    arrays = [draw(rng, s, dtype) for s in c.shapes]
    if c.op in NOT_IN_REF_RESOLVER:  # see the module doc: BUILTIN flushes subnormals
        arrays = [np.where(np.abs(a) < np.finfo(np.float32).tiny, np.float32(0), a)
                  for a in arrays]
    if c.op == "FLOOR_DIV" or (c.op == "FLOOR_MOD" and dtype != "float32"):
        # division by zero is an error in TFLite (and ours; float FLOOR_MOD gives NaN)
        arrays[1] = np.where(arrays[1] == 0, 3, arrays[1]).astype(dtype)
    if dtype in ("int32", "int64") and c.op in ("FLOOR_DIV", "FLOOR_MOD"):
        # TFLite overflows on INT_MIN / -1 (undefined double -> int32 conversion) and dies
        # of SIGFPE on INT_MIN % -1: test_int_min_by_minus_one checks ours alone
        arrays[1] = np.where(arrays[1] == -1, -2, arrays[1]).astype(dtype)
    return b.build(), arrays


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_op_matches_tflite(case: Case) -> None:
    model, inputs = op_model(case)
    resolver = "builtin" if case.op in NOT_IN_REF_RESOLVER else "ref"
    check_model(model, inputs, float_tol=FLOAT_TOL, resolver=resolver)


def _unary(op: str, values: np.ndarray, dtype: str = "float32") -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", list(values.shape), dtype)
    y = b.tensor("y", list(values.shape), dtype)
    b.op(op, [x], [y])
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_round_half_to_even() -> None:
    """TFLite's ROUND rounds halves to even (C's roundf would give 3 for 2.5)."""
    v = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 8388607.5, -8388607.5], np.float32)
    t = check_model(_unary("ROUND", v), [v], float_tol=0.0, resolver="builtin")
    np.testing.assert_array_equal(t.outputs_of(0)[0], np.rint(v))


def test_subnormals_follow_the_reference_not_the_default_kernels() -> None:
    """TFLite's default FLOOR (and CEIL, ROUND) flush subnormals to zero; its reference
    FLOOR does not. Ours match the reference FLOOR and C's ceil on subnormals."""
    from tests.ops.harness import run_ours
    from tfm_ci.oracle import run_reference

    v = np.array([1e-40, -1e-40, 1e-45, -1e-45], np.float32)
    floor = _unary("FLOOR", v)
    default = run_reference(floor, [v], resolver="builtin")[0][0]
    assert list(default) == [0, 0, 0, 0]  # flushed: the disagreement this test names
    check_model(floor, [v], float_tol=0.0, resolver="ref")  # [0, -1, 0, -1]
    t = run_ours(_unary("CEIL", v), [[v]])
    np.testing.assert_array_equal(t.outputs_of(0)[0], np.ceil(v))  # [1, -0, 1, -0]


def test_sqrt_every_binade() -> None:
    """Correct rounding of SQRT over subnormals, every exponent and odd/even exponents."""
    rng = np.random.default_rng(3)
    exps = np.repeat(np.arange(-149, 128), 2)
    v = np.ldexp(rng.uniform(1, 2, exps.size), exps)
    v = np.concatenate([v, [1.4e-45, 2.8e-45, 1.17e-38, 3.4028235e38]]).astype(np.float32)
    for op in ("SQRT", "RSQRT"):
        check_model(_unary(op, v), [v], float_tol=0.0)


def test_floor_mod_float_exact_remainders() -> None:
    """fmod is exact even with huge quotients (1e38 mod 3) and subnormal divisors."""
    x = np.array([1e38, -1e38, 7.5, -7.5, 1e-40, 5.0, -0.0, 3.0e-39], np.float32)
    d = np.array([3.0, 3.0, -2.0, 2.0, 3e-41, np.inf, 2.0, -1e-45], np.float32)
    b = ModelBuilder()
    xi = b.tensor("x", [8], "float32")
    di = b.tensor("d", [8], "float32")
    y = b.tensor("y", [8], "float32")
    b.op("FLOOR_MOD", [xi, di], [y])
    b.inputs([xi, di])
    b.outputs([y])
    check_model(b.build(), [x, d], float_tol=0.0)


@pytest.mark.parametrize(("op", "dtype"), [("FLOOR_DIV", "int32"), ("FLOOR_MOD", "int32"),
                                           ("FLOOR_DIV", "float32"), ("FLOOR_DIV", "int8")])
def test_division_by_zero_fails_cleanly(op: str, dtype: str) -> None:
    """As TFLite ("Division by 0"); float FLOOR_MOD by 0 is NaN in both (random cases)."""
    b = ModelBuilder()
    x = b.tensor("x", [3], dtype)
    d = b.tensor("d", [3], dtype)
    y = b.tensor("y", [3], dtype)
    b.op(op, [x, d], [y])
    b.inputs([x, d])
    b.outputs([y])
    run = run_ours_raw(b.build(), [[np.array([1, 2, 3], dtype), np.array([1, 0, 2], dtype)]])
    assert not run.transcript.passed
    assert any(op in m and "division by zero" in m for _, m in run.transcript.errors)


@pytest.mark.parametrize("dtype", ["int32", "int64"])
def test_int_min_by_minus_one(dtype: str) -> None:
    """FLOOR_MOD(INT_MIN, -1) crashes TFLite's reference kernel (SIGFPE: C's % overflows);
    ours gives the mathematical 0, as numpy. (FLOOR_DIV has no INT64 kernel in TFLite.)"""
    from tests.ops.harness import run_ours

    info = np.iinfo(dtype)
    x = np.array([info.min, info.min, 7, -7], dtype)
    d = np.array([-1, 1, -1, -1], dtype)
    b = ModelBuilder()
    xi, di, y = (b.tensor(n, [4], dtype) for n in ("x", "d", "y"))
    b.op("FLOOR_MOD", [xi, di], [y])
    b.inputs([xi, di])
    b.outputs([y])
    t = run_ours(b.build(), [[x, d]])
    np.testing.assert_array_equal(t.outputs_of(0)[0], np.mod(x, d))


def test_math_chain() -> None:
    """Multi-op: floor(sqrt(|x|)) - ceil-free path: NEG(FLOOR(SQRT(ABS(x)))) squared,
    plus FLOOR_MOD of it by a constant, all float32."""
    b = ModelBuilder()
    shape = [2, 3, 7]
    x = b.tensor("x", shape, "float32")
    t = [b.tensor(f"t{i}", shape, "float32") for i in range(5)]
    k = b.tensor("k", [7], "float32", data=np.array([1.5, -2, 3, 0.25, -0.75, 5, 7]))
    b.op("ABS", [x], [t[0]])
    b.op("SQRT", [t[0]], [t[1]])
    b.op("FLOOR", [t[1]], [t[2]])
    b.op("NEG", [t[2]], [t[3]])
    b.op("SQUARED_DIFFERENCE", [t[3], x], [t[4]])
    y = b.tensor("y", shape, "float32")
    b.op("FLOOR_MOD", [t[4], k], [y])
    b.inputs([x])
    b.outputs([y, t[3]])
    rng = np.random.default_rng(12)
    check_model(b.build(), [draw(rng, shape, "float32", low=-50, high=50)], float_tol=0.0)
