"""Our arena on a 32-bit board is at most TFLM's on the same board.

TFLM's figures were measured on mps2-an386 (Cortex-M4F, arm-none-eabi-gcc 12,
-O2, QEMU) for the project's yardstick (shared DESIGN.md); ours are measured
here through the engine on the same simulated board.
"""

from __future__ import annotations

import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.registry import Registry

TFLM_M4_ARENA = {
    "hello_world/hello_world_int8.tflite": 676,
    "micro_speech/micro_speech_quantized.tflite": 6788,
    "person_detection/person_detect.tflite": 82292,
}

pytestmark = pytest.mark.skipif(not shared_models_dir().is_dir(),
                                reason=f"shared models not found at {shared_models_dir()}")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.mark.slow
@pytest.mark.parametrize("relative", sorted(TFLM_M4_ARENA))
def test_arena_on_cortex_m4_not_above_tflm(registry: Registry, relative: str) -> None:
    record = run_job(JobSpec(model=str(shared_models_dir() / relative), board="mps2-an386"),
                     registry)
    assert record.status is Status.PASS, record.reason
    assert record.sizes["arena_used"] <= TFLM_M4_ARENA[relative], record.sizes
