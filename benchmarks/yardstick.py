"""What the benchmark scripts share: the models they measure and TFLM's figures.

TFLM's figures were measured on mps2-an386 (Cortex-M4F, arm-none-eabi-gcc 12,
-O2, QEMU with icount) for the project's yardstick table (shared DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tfm_ci import demo_models
from tfm_ci.job import JobRecord
from tfm_ci.paths import shared_models_dir


@dataclass(frozen=True)
class TflmM4:
    arena: int          # bytes used on Cortex-M4
    reference: int      # instructions per invoke, reference kernels
    cmsis_nn: int       # instructions per invoke, CMSIS-NN kernels
    init: int           # instructions for construct + allocate


TFLM_M4: dict[str, TflmM4] = {
    "hello_world_int8": TflmM4(676, 5_300, 3_600, 27_000),
    "micro_speech_quantized": TflmM4(6_788, 9_310_000, 1_500_000, 38_000),
    "person_detect": TflmM4(82_292, 95_700_000, 22_900_000, 2_760_000),
}


def benchmark_models(scratch: Path) -> list[Path]:
    """The shared TFLM models (not the audio preprocessors, which need Signal ops),
    when present, then the built-in demo models written to `scratch`."""
    shared = sorted(p for p in shared_models_dir().glob("*/*.tflite")
                    if not p.name.startswith("audio_preprocessor"))
    return shared + demo_models.write_all(scratch)


def invoke_instructions(record: JobRecord) -> int | None:
    """Exact instructions of the costliest invocation, None when not counted."""
    counts = record.instructions.get("invocations") or []
    return max(counts) if counts and record.instructions.get("unit") == "instructions" else None


def invoke_cycles(record: JobRecord) -> int | None:
    """Estimated cycles of the costliest invocation (tfm_ci.cycles), None without a model."""
    est = record.instructions.get("cycles_est") or []
    return max(est) if est else None


def cycles_per_instruction(record: JobRecord) -> str:
    """Estimated cycles / exact instructions of the costliest invocation, e.g. `1.62`."""
    n, c = invoke_instructions(record), invoke_cycles(record)
    return f"{c / n:.2f}" if n and c else "-"
