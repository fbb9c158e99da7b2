"""What the benchmark scripts share: the models they measure, TFLM's figures and our targets.

TFLM's figures come from the project's yardstick tables (shared DESIGN.md): TFLM built with
arm-none-eabi-gcc 12 -O2, instructions per invoke counted under QEMU, for mps2-an386
(Cortex-M4F), mps3-an547 (Cortex-M55 with Helium, CMSIS-NN's MVE path) and mps2-an500
(Cortex-M7), on the shared TFLM models and on the MLPerf Tiny reference architectures
(ours: tfm_ci.demo.mlperf, same names as here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tfm_ci import demo_models
from tfm_ci.job import JobRecord
from tfm_ci.paths import shared_models_dir


@dataclass(frozen=True)
class TflmM4:
    arena: int          # bytes used on Cortex-M4, reference kernels
    reference: int      # instructions per invoke, reference kernels
    cmsis_nn: int       # instructions per invoke, CMSIS-NN kernels
    init: int           # instructions for construct + allocate
    arena_cmsis_nn: int | None = None   # bytes used with CMSIS-NN kernels (scratch included)


TFLM_M4: dict[str, TflmM4] = {
    "hello_world_int8": TflmM4(676, 5_300, 3_600, 27_000, 772),
    "micro_speech_quantized": TflmM4(6_788, 9_310_000, 1_500_000, 38_000, 6_836),
    "person_detect": TflmM4(82_292, 95_700_000, 22_900_000, 2_760_000, 82_308),
    # MLPerf Tiny v1.x reference architectures
    "keyword_dscnn": TflmM4(22_772, 43_000_000, 7_700_000, 780_000, 22_820),
    "vww_mobilenet": TflmM4(100_660, 100_300_000, 24_100_000, 3_510_000, 100_708),
    "resnet8": TflmM4(54_340, 107_400_000, 29_900_000, 520_000, 54_996),
    "anomaly_ae": TflmM4(2_260, 1_950_000, 580_000, 80_000, 2_580),
}

#: MLPerf Tiny's models by name (ours), with their MACs as DESIGN.md gives them.
MLPERF_MACS: dict[str, float] = {"keyword_dscnn": 2.66e6, "vww_mobilenet": 7.49e6,
                                 "resnet8": 12.5e6, "anomaly_ae": 0.26e6}


@dataclass(frozen=True)
class TflmCore:
    """TFLM on one core: instructions per invoke and arena bytes (None = not measured)."""

    reference: int
    cmsis_nn: int
    arena_reference: int | None
    arena_cmsis_nn: int | None


def _m55(ref: int, mve: int, arena: int) -> TflmCore:
    return TflmCore(ref, mve, None, arena)


def _m7(ref: int, cmsis: int) -> TflmCore:
    return TflmCore(ref, cmsis, None, None)


#: TFLM per board (the board the yardstick was measured on) and model.
TFLM_BY_BOARD: dict[str, dict[str, TflmCore]] = {
    "mps2-an386": {name: TflmCore(t.reference, t.cmsis_nn, t.arena, t.arena_cmsis_nn)
                   for name, t in TFLM_M4.items()},
    "mps3-an547": {
        "keyword_dscnn": _m55(41_900_000, 1_820_000, 27_348),
        "vww_mobilenet": _m55(95_700_000, 6_560_000, 100_772),
        "resnet8": _m55(97_400_000, 4_910_000, 55_028),
        "anomaly_ae": _m55(1_690_000, 150_000, 9_268),
        "person_detect": _m55(91_500_000, 6_510_000, 82_356),
        "micro_speech_quantized": _m55(9_830_000, 1_010_000, 7_812),
    },
    "mps2-an500": {
        "keyword_dscnn": _m7(43_600_000, 7_650_000),
        "vww_mobilenet": _m7(101_200_000, 24_000_000),
        "resnet8": _m7(108_700_000, 30_000_000),
        "anomaly_ae": _m7(1_950_000, 583_000),
        "person_detect": _m7(96_600_000, 22_700_000),
        "micro_speech_quantized": _m7(9_300_000, 1_490_000),
    },
}


def tflm(board: str, model: str) -> TflmCore | None:
    """TFLM's figures for `model` (file stem) on `board`, None when not measured there."""
    return TFLM_BY_BOARD.get(board, {}).get(model)


@dataclass(frozen=True)
class Target:
    """Issue 9's aim for one (board, kernel set, model): an instruction count per invoke,
    or a ratio to our reference kernels on the same board."""

    instructions: int | None = None
    vs_reference: float | None = None

    def limit(self, reference: int | None) -> int | None:
        """The instruction count to stay at or under (None when it cannot be computed)."""
        if self.instructions is not None:
            return self.instructions
        if self.vs_reference is not None and reference:
            return int(self.vs_reference * reference)
        return None

    def describe(self) -> str:
        if self.instructions is not None:
            return f"<={self.instructions / 1e6:.3g}M"
        return f"<={self.vs_reference:g}x ref"


def _absolute(**figures: float) -> dict[str, Target]:
    return {name: Target(instructions=round(m * 1e6)) for name, m in figures.items()}


# Best published MLPerf Tiny results per core (DESIGN.md), bit-exact, instructions on QEMU.
TARGETS: dict[tuple[str, str], dict[str, Target]] = {
    ("mps2-an386", "arm-dsp"): _absolute(
        keyword_dscnn=5.2, vww_mobilenet=10.7, resnet8=19.9, anomaly_ae=0.50,
        person_detect=10.0, micro_speech_quantized=0.90),
    ("mps3-an547", "arm-mve"): _absolute(
        keyword_dscnn=1.27, vww_mobilenet=4.6, resnet8=3.4, anomaly_ae=0.105,
        person_detect=4.5, micro_speech_quantized=0.70),
}
#: opt (portable) on cores without SIMD: at most this fraction of our reference, every model.
OPT_VS_REFERENCE = 0.6
OPT_TARGET_BOARDS = ("riscv32-virt", "mps2-an385")


def target(board: str, kernel_set: str, model: str) -> Target | None:
    """Issue 9's target for (board, kernel set, model stem), None when there is none."""
    if kernel_set == "opt" and board in OPT_TARGET_BOARDS:
        return Target(vs_reference=OPT_VS_REFERENCE)
    return TARGETS.get((board, kernel_set), {}).get(model)


def benchmark_models(scratch: Path, *, mlperf: bool = False, demo: bool = True) -> list[Path]:
    """The shared TFLM models (not the audio preprocessors, which need Signal ops),
    when present, then (with `mlperf`) the MLPerf Tiny architectures and (with `demo`) the
    built-in demo models, written to `scratch`."""
    shared = sorted(p for p in shared_models_dir().glob("*/*.tflite")
                    if not p.name.startswith("audio_preprocessor"))
    return (shared + (demo_models.write_mlperf(scratch) if mlperf else [])
            + (demo_models.write_all(scratch) if demo else []))


def invoke_instructions(record: JobRecord) -> int | None:
    """Exact instructions of the costliest invocation, None when not counted."""
    counts = record.instructions.get("invocations") or []
    return max(counts) if counts and record.instructions.get("unit") == "instructions" else None


def interpreter_overhead(record: JobRecord) -> int | None:
    """Instructions of the costliest invocation spent outside every operator (the
    interpreter's own loop: invoke minus the sum of the top-level op spans), None when the
    record has no per-op counts for it."""
    counts = record.instructions.get("invocations") or []
    if not counts or record.instructions.get("unit") != "instructions":
        return None
    worst = counts.index(max(counts))
    spans = [o for o in record.instructions.get("ops") or [] if o.get("invocation") == worst]
    # Ops of IF/WHILE bodies nest inside their parent's span: count subgraph 0's ops only
    # (unpaired spans, subgraph -1, cannot be told apart: no figure then).
    top = [o["instructions"] for o in spans if o.get("subgraph") == 0]
    return counts[worst] - sum(top) if top else None


def invoke_cycles(record: JobRecord) -> int | None:
    """Estimated cycles of the costliest invocation (tfm_ci.cycles), None without a model."""
    est = record.instructions.get("cycles_est") or []
    return max(est) if est else None


def cycles_per_instruction(record: JobRecord) -> str:
    """Estimated cycles / exact instructions of the costliest invocation, e.g. `1.62`."""
    n, c = invoke_instructions(record), invoke_cycles(record)
    return f"{c / n:.2f}" if n and c else "-"
