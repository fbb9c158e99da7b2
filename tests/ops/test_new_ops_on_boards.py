"""Every op added for issue 11 on simulated boards: a Cortex-M4F (mps2-an386) and
riscv32-virt under QEMU, through the engine (tfm_ci.job.run_job: selective-registration
build, simulation, comparison with TFLite). One or two cases per op and type family, drawn
by the same generators as the host-runner tests.

CEIL, ROUND and ELU have no kernel in TFLite's reference resolver, which the job's verdict
uses: for them the job ends in a reference ERROR and the firmware's outputs (from the
transcript) are compared here with TFLite's default resolver instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.ops import (
    test_batch_matmul,
    test_compare_logical,
    test_layout,
    test_lstm,
    test_math,
    test_svdf,
)
from tests.ops import test_unary_math as um
from tests.ops.harness import compare_output
from tfm_ci.boards import repo_root
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.oracle import run_reference
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry
from tfm_ci.transcript import parse

pytestmark = pytest.mark.slow
BOARDS = ("mps2-an386", "riscv32-virt")
Built = tuple[bytes, list[np.ndarray]]


def _unary_case(op: str, dtype: str, seed: int) -> Callable[[], Built]:
    return lambda: um.op_model(um.Case(op, dtype, seed, ((2, 3, 5),)))


def _binary_case(op: str, dtype: str, seed: int) -> Callable[[], Built]:
    return lambda: um.op_model(um.Case(op, dtype, seed, ((2, 1, 4), (3, 1))))


def _compare_case(op: str, dtype: str, seed: int) -> Callable[[], Built]:
    return lambda: test_compare_logical.compare_model(
        test_compare_logical.Case(op, dtype, seed, (2, 3, 4), (3, 1)))


def _layout_case(op: str, dtype: str, seed: int) -> Callable[[], Built]:
    return lambda: test_layout.BUILDERS[op][0](np.random.default_rng(seed), dtype)


def _math_case(op: str, lo: float, hi: float, seed: int) -> Callable[[], Built]:
    def build() -> Built:
        x = np.random.default_rng(seed).uniform(lo, hi, (3, 7)).astype(np.float32)
        return test_math._unary(op, [3, 7]), [x]
    return build


CASES: dict[str, Callable[[], Built]] = {
    **{f"{op}-{t}": _compare_case(op, t, 31) for op in test_compare_logical.TYPES
       for t in ("float32", "int8")},
    "EQUAL-bool": _compare_case("EQUAL", "bool", 32),
    "LESS-int64": _compare_case("LESS", "int64", 33),
    "LOGICAL_AND": _compare_case("LOGICAL_AND", "bool", 34),
    "LOGICAL_OR": _compare_case("LOGICAL_OR", "bool", 35),
    "LOGICAL_NOT": lambda: (test_layout._model(
        [("LOGICAL_NOT", [0], [1], {})], [("x", [9], "bool", None), ("y", [9], "bool", None)],
        [0], [1]), [np.arange(9) % 3 == 0]),
    **{f"{op}-{t}": _unary_case(op, t, 36) for op, types in um.UNARY_TYPES.items()
       for t in types[:2]},
    "ABS-int16": _unary_case("ABS", "int16", 37),
    **{f"{op}-{t}": _binary_case(op, t, 38) for op, types in um.BINARY_TYPES.items()
       for t in types[:2]},
    "ADD_N-float32": lambda: um.op_model(um.Case("ADD_N", "float32", 39, ((2, 5),) * 3)),
    **{f"{op}-{t}": _layout_case(op, t, 40) for op, (_, types) in test_layout.BUILDERS.items()
       for t in types[:2]},
    **{op: _math_case(op, *test_math.RANGES[op][0], 41) for op in test_math.RANGES},
    "SIN-huge": _math_case("SIN", -3e38, 3e38, 42),
    "GELU-float32": _math_case("GELU", -5, 5, 43),
    **{f"{op}-int8": (lambda op=op: test_math.int8_table_model(op, 44))
       for op in ("EXP", "LOG", "GELU", "GELU-approx", "ELU")},
    "SQUARED_DIFFERENCE-int8": _binary_case("SQUARED_DIFFERENCE", "int8", 45),
    **{f"{op}-q{t}": (lambda op=op, t=t: test_math.quantized_root_model(op, t, 46))
       for op, t in (("SQRT", "int8"), ("SQRT", "int16"), ("RSQRT", "int8"), ("RSQRT", "int16"))},
    **{f"{op}-int16": (lambda op=op: test_math.int16_table_model(op, 49))
       for op in ("EXP", "LOG", "GELU")},
    "L2_NORMALIZATION-int8": lambda: _l2_int8(47),
    "LOG_SOFTMAX-int8": lambda: _log_softmax_int8(48),
    **{f"REDUCE_PROD-q{t}": (lambda t=t: test_layout.reduce_prod_quantized_model(t, 7901))
       for t in ("int8", "int16")},
    **{f"BATCH_MATMUL-{t}": (lambda t=t: test_batch_matmul.matmul_model(t, 11001))
       for t in test_batch_matmul.TYPES},
    "SVDF-float32": lambda: test_svdf.svdf_model("float32", "RELU", 12001),
    "SVDF-int8": lambda: test_svdf.svdf_model("int8", "RELU", 12101),
    **{f"UNIDIRECTIONAL_SEQUENCE_LSTM-{v}": (lambda v=v: test_lstm.lstm_model(v, 13201))
       for v in ("plain", "cifg-peephole", "projection", "time-major", "layernorm-projection")},
}
NOT_IN_REF_RESOLVER = {*um.NOT_IN_REF_RESOLVER, *test_math.NOT_IN_REF_RESOLVER}


def _l2_int8(seed: int) -> Built:
    from tfm_ci.modelgen import ModelBuilder

    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    x = b.tensor("x", [3, 17], "int8", scale=0.05, zero_point=4)
    y = b.tensor("y", [3, 17], "int8", scale=1.0 / 128.0, zero_point=0)
    b.op("L2_NORMALIZATION", [x], [y])
    b.inputs([x])
    b.outputs([y])
    return b.build(), [rng.integers(-128, 128, (3, 17)).astype(np.int8)]


def _log_softmax_int8(seed: int) -> Built:
    from tfm_ci.modelgen import ModelBuilder

    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    x = b.tensor("x", [2, 40], "int8", scale=0.08, zero_point=-3)
    y = b.tensor("y", [2, 40], "int8", scale=16.0 / 256.0, zero_point=127)
    b.op("LOG_SOFTMAX", [x], [y])
    b.inputs([x])
    b.outputs([y])
    return b.build(), [rng.integers(-128, 128, (2, 40)).astype(np.int8)]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_new_op_on_board(name: str, board: str, registry: Registry, tmp_path: Path) -> None:
    model, inputs = CASES[name]()
    path = tmp_path / "model.tflite"
    path.write_bytes(model)
    cache = repo_root() / "build" / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    stateful = name.startswith(("SVDF", "UNIDIRECTIONAL"))  # inputs hold several invokes
    spec = JobSpec(model=str(path), board=board, inputs=inputs or None, cache_dir=str(cache),
                   timeout=120, float_tolerance=1e-5 if stateful else 2.5e-7)
    rec = run_job(spec, registry)
    op = name.split("-")[0]
    if op not in NOT_IN_REF_RESOLVER:
        assert rec.status is Status.PASS, (rec.reason, rec.errors[-1:])
        return
    # the verdict's oracle (BUILTIN_REF) lacks the op: compare with BUILTIN here
    assert rec.status is Status.ERROR and rec.category == "reference", rec.reason
    t = parse(rec.transcript)
    assert t.passed, t.errors
    expected = run_reference(model, inputs, resolver="builtin")[0]
    for ours, theirs in zip(t.outputs_of(0), expected, strict=True):
        assert compare_output(ours, theirs, 2.5e-7) is None
