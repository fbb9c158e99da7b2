"""Kernel set arm-dsp on QEMU (Cortex-M4F, M7, M55): bit-exact with TFLite.

Every job builds the firmware with the arm-dsp overrides, runs it under QEMU and
compares every output with ai-edge-litert (BUILTIN_REF): a PASS needs identical int8 /
int16 outputs (float32 within the default tolerance). Generated models carry many
independent single-op cases each (tests/kernels_arm/cases.py), so a few builds and QEMU
runs cover hundreds of configurations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci import demo_models
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.registry import Registry, UnknownNameError

from .cases import BATCHES
from .conftest import DSP_BOARDS

pytestmark = pytest.mark.slow

# (kind, ops per model, seeds): each seed is one model, run on every DSP board.
GENERATED = (("conv", 24, (11, 12, 13, 14)), ("dw", 28, (21, 22, 23, 24)),
             ("fc", 24, (31, 32, 33)), ("pool", 24, (41, 42)))
SHARED = ("hello_world/hello_world_int8.tflite", "micro_speech/micro_speech_quantized.tflite",
          "person_detection/person_detect.tflite")


def _run(registry: Registry, cache: Path, model: Path, board: str, seed: int,
         invocations: int = 2, kernel_set: str = "arm-dsp") -> JobRecord:
    spec = JobSpec(model=str(model), board=board, kernel_set=kernel_set,
                   invocations=invocations, seed=seed, cache_dir=str(cache), timeout=120)
    return run_job(spec, registry)


def _assert_bit_exact(rec: JobRecord) -> None:
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and rec.comparison["compared"] > 0, detail
    assert rec.kernel_set == "arm-dsp"


@pytest.mark.parametrize("board", DSP_BOARDS)
@pytest.mark.parametrize(("kind", "count", "seeds"), GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_ops_bit_exact(kind: str, count: int, seeds: tuple[int, ...], board: str,
                                 registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    for seed in seeds:
        model = tmp_path / f"{kind}_{seed}.tflite"
        model.write_bytes(BATCHES[kind](seed, count).build())
        rec = _run(registry, cache_dir, model, board, seed)
        _assert_bit_exact(rec)
        assert len(rec.outputs) == 2 * count  # every case compared, both invocations


@pytest.mark.parametrize("board", DSP_BOARDS)
@pytest.mark.parametrize("name", SHARED, ids=[Path(s).stem for s in SHARED])
def test_shared_models_bit_exact(name: str, board: str, registry: Registry,
                                 cache_dir: Path) -> None:
    model = shared_models_dir() / name
    if not model.is_file():
        pytest.skip(f"shared model {model} not present")
    _assert_bit_exact(_run(registry, cache_dir, model, board, seed=7))


@pytest.mark.parametrize("board", DSP_BOARDS)
def test_demo_models_bit_exact(board: str, registry: Registry, cache_dir: Path,
                               tmp_path: Path) -> None:
    for model in demo_models.write_all(tmp_path):
        _assert_bit_exact(_run(registry, cache_dir, model, board, seed=3))


def test_fewer_instructions_than_reference(registry: Registry, cache_dir: Path,
                                           tmp_path: Path) -> None:
    model = shared_models_dir() / SHARED[1]
    if not model.is_file():
        model = tmp_path / "tiny_conv.tflite"
        model.write_bytes(demo_models.build("tiny_conv"))
    ref = _run(registry, cache_dir, model, "mps2-an386", seed=1, invocations=1,
               kernel_set="reference")
    dsp = _run(registry, cache_dir, model, "mps2-an386", seed=1, invocations=1)
    assert ref.status is Status.PASS and dsp.status is Status.PASS
    assert [o["data"] for o in dsp.outputs] == [o["data"] for o in ref.outputs]
    assert dsp.instructions["invocations"][0] * 2 < ref.instructions["invocations"][0]


def test_refused_without_dsp(registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    """Cortex-M3 (mps2-an385) has no DSP extension: the set is refused by name, with why."""
    board = registry.board("mps2-an385")
    assert "arm-dsp" not in [k.name for k in registry.kernel_sets(board)]
    with pytest.raises(UnknownNameError, match=r"arm-dsp.*cortex-m3.*needs.*cortex-m4f"):
        registry.kernel_set(board, "arm-dsp")
    model = tmp_path / "sine.tflite"
    model.write_bytes(demo_models.build("sine"))
    rec = _run(registry, cache_dir, model, "mps2-an385", seed=0)
    assert rec.status is Status.ERROR and rec.category == "config", rec.reason
    assert "arm-dsp" in rec.reason and "cortex-m3" in rec.reason, rec.reason
