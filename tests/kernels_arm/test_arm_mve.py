"""Kernel set arm-mve on QEMU mps3-an547 (Cortex-M55 with Helium): bit-exact with TFLite.

QEMU 7.2 executes the M-profile Vector Extension (VLDRB, VMLADAVA, VADDVA, VCTP8 tail
predication, VQRDMULH, VRSHL, ...); every job compares every output with ai-edge-litert
(BUILTIN_REF), so a PASS needs identical int8 / int16 outputs. The generated models are
the arm-dsp suite's (tests/kernels_arm/cases.py): pointwise and im2col convolutions with
every depth tail mod 16, fully connected layers, depthwise convolutions with multiplier 1
and > 1 (gathered inputs), channel tails mod 4, borders and dilations, and the pooling /
fallback cases the set takes from arm-dsp and the reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci import demo_models
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.registry import Registry, UnknownNameError

from .cases import BATCHES

pytestmark = pytest.mark.slow

BOARD = "mps3-an547"
GENERATED = (("conv", 24, (211, 212, 213, 214)), ("fc", 24, (231, 232, 233)),
             ("dw", 28, (221, 222, 223, 224)), ("pool", 24, (241,)))
SHARED = ("hello_world/hello_world_int8.tflite", "micro_speech/micro_speech_quantized.tflite",
          "person_detection/person_detect.tflite")


def _run(registry: Registry, cache: Path, model: Path, seed: int, invocations: int = 2,
         kernel_set: str = "arm-mve") -> JobRecord:
    spec = JobSpec(model=str(model), board=BOARD, kernel_set=kernel_set, invocations=invocations,
                   seed=seed, cache_dir=str(cache), timeout=300)
    return run_job(spec, registry)


def _assert_bit_exact(rec: JobRecord) -> None:
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and rec.comparison["compared"] > 0, detail
    assert rec.kernel_set == "arm-mve"


@pytest.mark.parametrize(("kind", "count", "seeds"), GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_ops_bit_exact(kind: str, count: int, seeds: tuple[int, ...],
                                 registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    for seed in seeds:
        model = tmp_path / f"{kind}_{seed}.tflite"
        model.write_bytes(BATCHES[kind](seed, count).build())
        rec = _run(registry, cache_dir, model, seed)
        _assert_bit_exact(rec)
        assert len(rec.outputs) == 2 * count


@pytest.mark.parametrize("name", SHARED, ids=[Path(s).stem for s in SHARED])
def test_shared_models_bit_exact(name: str, registry: Registry, cache_dir: Path) -> None:
    model = shared_models_dir() / name
    if not model.is_file():
        pytest.skip(f"shared model {model} not present")
    _assert_bit_exact(_run(registry, cache_dir, model, seed=7))


def test_demo_models_bit_exact(registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    for model in demo_models.write_all(tmp_path):
        _assert_bit_exact(_run(registry, cache_dir, model, seed=3))


def test_fewer_instructions_than_arm_dsp(registry: Registry, cache_dir: Path,
                                         tmp_path: Path) -> None:
    model = shared_models_dir() / SHARED[2]
    if not model.is_file():
        model = tmp_path / "tiny_conv.tflite"
        model.write_bytes(demo_models.build("tiny_conv"))
    dsp = _run(registry, cache_dir, model, seed=1, invocations=1, kernel_set="arm-dsp")
    mve = _run(registry, cache_dir, model, seed=1, invocations=1)
    assert dsp.status is Status.PASS and mve.status is Status.PASS
    assert [o["data"] for o in mve.outputs] == [o["data"] for o in dsp.outputs]
    assert mve.instructions["invocations"][0] < dsp.instructions["invocations"][0]


def test_only_on_cortex_m55(registry: Registry) -> None:
    for name in ("mps2-an386", "mps2-an500", "mps2-an385"):
        board = registry.board(name)
        assert "arm-mve" not in [k.name for k in registry.kernel_sets(board)]
        with pytest.raises(UnknownNameError, match=r"arm-mve"):
            registry.kernel_set(board, "arm-mve")
    assert "arm-mve" in [k.name for k in registry.kernel_sets(registry.board(BOARD))]
