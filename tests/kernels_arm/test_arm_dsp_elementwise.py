"""arm-dsp int8 ADD and MUL (equal shapes; broadcasting falls back to the reference) and
int8 SOFTMAX on QEMU, bit-exact with TFLite: generated models of many independent ops with
random shapes, zero points, scale ratios (input rescales with shifts 0, -1 and below,
output shifts inside and outside dsp_rqf.h's fast range), fused activations, softmax
betas, input scales and class counts (above 64: the reference path)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.registry import Registry

from .conftest import DSP_BOARDS

pytestmark = pytest.mark.slow

ACTS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")


def elementwise_model(seed: int, count: int) -> bytes:
    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    inputs: list[int] = []
    outputs: list[int] = []
    for i in range(count):
        op = "ADD" if i % 3 != 2 else "MUL"
        rank = int(rng.integers(1, 5))
        shape = [int(rng.integers(1, 9)) for _ in range(rank)]
        # every 7th op with a broadcast operand: the reference path
        shape2 = [1] * (rank - 1) + [shape[-1]] if i % 7 == 6 else shape
        s1 = float(rng.uniform(0.005, 0.1))
        # the second scale from far below to far above the first
        s2 = s1 * float(rng.choice([1.0, 0.5, 0.3, 2.0, 3.7, 0.01, 40.0]))
        so = max(s1, s2) * float(rng.choice([1.0, 2.0, 0.6, 0.05, 30.0, 1e-4]))
        if op == "MUL":
            so = s1 * s2 * float(rng.choice([100.0, 30.0, 300.0, 3.0, 1e4]))
        z = [int(v) for v in rng.integers(-128, 128, size=3)]
        x1 = b.tensor(f"e{i}_a", shape, "int8", scale=s1, zero_point=z[0])
        x2 = b.tensor(f"e{i}_b", shape2, "int8", scale=s2, zero_point=z[1])
        y = b.tensor(f"e{i}_y", shape, "int8", scale=so, zero_point=z[2])
        b.op(op, [x1, x2], [y], version=2, fused_activation_function=ACTS[i % 4])
        inputs += [x1, x2]
        outputs.append(y)
    b.inputs(inputs)
    b.outputs(outputs)
    return b.build()


def softmax_model(seed: int, count: int) -> bytes:
    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    inputs: list[int] = []
    outputs: list[int] = []
    for i in range(count):
        depth = int(rng.choice([1, 2, 3, 4, 5, 7, 8, 12, 13, 31, 64, 65, 100]))
        shape = [int(rng.integers(1, 4)), depth]
        scale = float(rng.choice([0.01, 0.05, 0.1, 0.3, 1.0, 4.0]))
        x = b.tensor(f"s{i}_x", shape, "int8", scale=scale,
                     zero_point=int(rng.integers(-128, 128)))
        y = b.tensor(f"s{i}_y", shape, "int8", scale=1.0 / 256, zero_point=-128)
        b.op("SOFTMAX", [x], [y], beta=float(rng.choice([1.0, 0.5, 2.0, 0.1])))
        inputs.append(x)
        outputs.append(y)
    b.inputs(inputs)
    b.outputs(outputs)
    return b.build()


@pytest.mark.parametrize("board", DSP_BOARDS)
def test_softmax_bit_exact(board: str, registry: Registry, cache_dir: Path,
                           tmp_path: Path) -> None:
    for seed in (71, 72):
        model = tmp_path / f"softmax_{seed}.tflite"
        model.write_bytes(softmax_model(seed, 24))
        rec = run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp",
                              invocations=3, seed=seed, cache_dir=str(cache_dir), timeout=120),
                      registry)
        detail = (rec.reason, rec.comparison.get("mismatching"), (rec.transcript or "")[-600:])
        assert rec.status is Status.PASS, detail
        assert rec.comparison["match"] is True and len(rec.outputs) == 3 * 24, detail


@pytest.mark.parametrize("board", DSP_BOARDS)
def test_add_mul_bit_exact(board: str, registry: Registry, cache_dir: Path,
                           tmp_path: Path) -> None:
    for seed in (61, 62, 63, 64):
        model = tmp_path / f"elementwise_{seed}.tflite"
        model.write_bytes(elementwise_model(seed, 30))
        rec = run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp",
                              invocations=2, seed=seed, cache_dir=str(cache_dir), timeout=120),
                      registry)
        detail = (rec.reason, rec.comparison.get("mismatching"), (rec.transcript or "")[-600:])
        assert rec.status is Status.PASS, detail
        assert rec.comparison["match"] is True and len(rec.outputs) == 2 * 30, detail


def test_add_faster_than_reference(registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    """One big ADD: arm-dsp needs well under half the reference's instructions."""
    b = ModelBuilder()
    x1 = b.tensor("a", [1, 32, 32, 16], "int8", scale=0.04, zero_point=-3)
    x2 = b.tensor("b", [1, 32, 32, 16], "int8", scale=0.03, zero_point=5)
    y = b.tensor("y", [1, 32, 32, 16], "int8", scale=0.05, zero_point=-128)
    b.op("ADD", [x1, x2], [y], version=2, fused_activation_function="RELU")
    b.inputs([x1, x2])
    b.outputs([y])
    model = tmp_path / "add.tflite"
    model.write_bytes(b.build())
    recs = {k: run_job(JobSpec(model=str(model), board="mps2-an386", kernel_set=k,
                               invocations=1, seed=1, cache_dir=str(cache_dir), timeout=120),
                       registry) for k in ("reference", "arm-dsp")}
    assert all(r.status is Status.PASS for r in recs.values())
    assert recs["arm-dsp"].outputs[0]["data"] == recs["reference"].outputs[0]["data"]
    ref, dsp = (recs[k].instructions["invocations"][0] for k in ("reference", "arm-dsp"))
    assert dsp * 2 < ref, (dsp, ref)
