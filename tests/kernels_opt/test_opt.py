"""Kernel set "opt" (portable C99, every core): bit-exact with TFLite on the host,
riscv32-virt (RV32IMAC) and mps2-an385 (Cortex-M3, no DSP extension).

Every job builds the firmware with the opt overrides (and, on the simulated boards, the
build-time offline prep table: tests/kernels_opt/test_offline_prep.py covers images
without it), runs it and compares every output with ai-edge-litert (BUILTIN_REF): a PASS
needs identical int8 / int16 outputs (float32 within the default tolerance). The
generated models are the arm-dsp suite's (tests/kernels_arm/cases.py: many independent
single-op cases per model, covering pointwise / im2col convolutions, depthwise
multiplier 1 (3x3 and others, borders, dilation) and > 1, fully connected with every
unit tail, int8 pooling with and without a channel tail of 4 and clipped windows, and
the fallbacks).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.kernels_arm.cases import ACTIVATIONS, BATCHES, Batch
from tfm_ci import demo_models, offline_prep
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.paths import shared_models_dir
from tfm_ci.registry import Registry

pytestmark = pytest.mark.slow

BOARDS = ("host", "riscv32-virt", "mps2-an385")
# (kind, ops per model, seeds): each seed is one model, run on every board.
GENERATED = (("conv", 24, (111, 112, 113)), ("dw", 28, (121, 122, 123)),
             ("fc", 24, (131, 132)), ("pool", 24, (141, 142)), ("dw_large", 16, (151, 152)),
             ("dw_one_channel", 24, (161, 162)))
SHARED = ("hello_world/hello_world_int8.tflite", "micro_speech/micro_speech_quantized.tflite",
          "person_detection/person_detect.tflite")

#: TFLM + CMSIS-NN's arena bytes (benchmarks/yardstick.py TFLM_M4.arena_cmsis_nn): an
#: optimized set's arena must not exceed them (issue 9).
TFLM_CMSIS_NN_ARENA = {"hello_world_int8": 772, "micro_speech_quantized": 6_836,
                       "person_detect": 82_308}


def dw_large_batch(seed: int, count: int) -> Batch:
    """int8 depthwise with multiplier 1 on maps large enough that interior outputs
    dominate (opt's own path; small maps run the reference eval): 3x3 (unrolled) and
    other windows, strides 1-2, dilations, SAME / VALID, every channel count mod 4."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        k = (3, 3) if i % 3 != 2 else (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        dil = (2, 1) if i % 5 == 4 else (1, 1)
        bt.add_dw("int8", 1, int(rng.integers(12, 20)), int(rng.integers(12, 20)),
                  int(rng.integers(1, 10)), 1, k, (1 + i % 2, 1 + (i // 2) % 2), dil,
                  "SAME" if i % 2 == 0 else "VALID", ACTIVATIONS[i % 4],
                  per_channel=i % 4 != 3, bias=i % 6 != 5)
    return bt


class _ZeroPointBatch(Batch):
    """A Batch whose op inputs take `input_zp` as zero point (None: random as usual)."""

    input_zp: int | None = None

    def _act(self, name: str, shape: list[int], dtype: str, scale: float | None = None) -> int:
        if self.input_zp is None or not name.endswith("_x") or dtype != "int8":
            return super()._act(name, shape, dtype, scale)
        scale = float(self.rng.uniform(0.005, 0.05)) if scale is None else scale
        t = self.b.tensor(name, shape, dtype, scale=scale, zero_point=self.input_zp)
        self.scales[t] = scale
        self.zps[t] = self.input_zp
        return t


def dw_one_channel_batch(seed: int, count: int) -> Batch:
    """int8 depthwise with multiplier > 1 (opt's raw int8 column pair, padding taps
    holding the input zero point), mostly one input channel as micro_speech's first op:
    multipliers 2-16, windows up to 10x8, strides 1-3, dilations, SAME / VALID, input
    zero points at both int8 ends, 0 and random, per-tensor and per-channel filters,
    batches of 2, odd pixel counts, a single output pixel; plus micro_speech's shape
    (49x40, 10x8, stride 2, SAME, 8) and a few cases with 2-3 input channels."""
    bt = _ZeroPointBatch(seed)
    rng = bt.rng
    for i in range(count):
        bt.input_zp = (-128, 127, 0, None)[i % 4]
        cin = 1 if i % 6 != 5 else int(rng.integers(2, 4))
        dm = int(_pick(rng, (2, 3, 4, 5, 7, 8, 9, 16)))
        if i == 0:
            bt.add_dw("int8", 1, 49, 40, 1, 8, (10, 8), (2, 2), (1, 1), "SAME", "NONE",
                      per_channel=seed % 2 == 0)
            continue
        k = (int(rng.integers(1, 11)), int(rng.integers(1, 9)))
        dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if i % 3 == 0 else (1, 1)
        eff = ((k[0] - 1) * dil[0] + 1, (k[1] - 1) * dil[1] + 1)
        if i % 7 == 3:    # one output pixel (the column pair's second slot unused)
            h, w, pad, stride = eff[0], eff[1], "VALID", (1, 1)
        else:
            h, w = eff[0] + int(rng.integers(0, 9)), eff[1] + int(rng.integers(0, 9))
            pad = "SAME" if i % 2 == 0 else "VALID"
            stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        bt.add_dw("int8", 1 + i % 5 // 4, h, w, cin, dm, k, stride, dil, pad,
                  ACTIVATIONS[i % 4], per_channel=i % 4 != 1, bias=i % 6 != 2)
    return bt


def _pick(rng: np.random.Generator, values: tuple[int, ...]) -> int:
    return int(values[int(rng.integers(0, len(values)))])


def _run(registry: Registry, cache: Path, model: Path, board: str, seed: int,
         invocations: int = 2, kernel_set: str = "opt") -> JobRecord:
    spec = JobSpec(model=str(model), board=board, kernel_set=kernel_set,
                   invocations=invocations, seed=seed, cache_dir=str(cache), timeout=300)
    return run_job(spec, registry)


def _assert_bit_exact(rec: JobRecord) -> None:
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and rec.comparison["compared"] > 0, detail
    assert rec.kernel_set == "opt"


def test_offered_everywhere(registry: Registry) -> None:
    for name in (*BOARDS, "mps2-an386", "mps3-an547"):
        names = [k.name for k in registry.kernel_sets(registry.board(name))]
        assert names[:2] == ["reference", "opt"], (name, names)


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize(("kind", "count", "seeds"), GENERATED, ids=[g[0] for g in GENERATED])
def test_generated_ops_bit_exact(kind: str, count: int, seeds: tuple[int, ...], board: str,
                                 registry: Registry, cache_dir: Path,
                                 tmp_path: Path) -> None:
    for seed in seeds:
        model = tmp_path / f"{kind}_{seed}.tflite"
        model.write_bytes({**BATCHES, "dw_large": dw_large_batch,
                           "dw_one_channel": dw_one_channel_batch}[kind](seed, count).build())
        rec = _run(registry, cache_dir, model, board, seed)
        _assert_bit_exact(rec)
        assert len(rec.outputs) == 2 * count  # every case compared, both invocations


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("name", SHARED, ids=[Path(s).stem for s in SHARED])
def test_shared_models_bit_exact(name: str, board: str, registry: Registry,
                                 cache_dir: Path) -> None:
    """Bit-exact, and on the 32-bit boards an arena no larger than TFLM + CMSIS-NN's."""
    model = shared_models_dir() / name
    if not model.is_file():
        pytest.skip(f"shared model {model} not present")
    rec = _run(registry, cache_dir, model, board, seed=7)
    _assert_bit_exact(rec)
    if board != "host":            # the host's 64-bit records are larger
        assert 0 < rec.sizes["arena_used"] <= TFLM_CMSIS_NN_ARENA[model.stem], rec.sizes


@pytest.mark.parametrize("board", BOARDS)
def test_demo_models_bit_exact(board: str, registry: Registry, cache_dir: Path,
                               tmp_path: Path) -> None:
    for model in demo_models.write_all(tmp_path):
        _assert_bit_exact(_run(registry, cache_dir, model, board, seed=3))


@pytest.mark.parametrize("board", ("riscv32-virt", "mps2-an385"))
@pytest.mark.parametrize("which", ("conv", "sine", "sine_float"))
def test_fewer_instructions_than_reference(which: str, board: str, registry: Registry,
                                           cache_dir: Path, tmp_path: Path) -> None:
    """At most 0.6x the reference set's instructions (with the default offline prep):
    a conv model (person_detect, else tiny_conv), the tiny int8 FC model 1-16-16-1 where
    per-op costs weigh most, and its float32 twin (block floating point). Quantized
    outputs identical to the reference set's; float both within tolerance of TFLite."""
    model = shared_models_dir() / SHARED[2]
    if which != "conv" or not model.is_file():
        name = "tiny_conv" if which == "conv" else which
        model = tmp_path / f"{name}.tflite"
        model.write_bytes(demo_models.build(name))
    ref = _run(registry, cache_dir, model, board, seed=1, invocations=1, kernel_set="reference")
    opt = _run(registry, cache_dir, model, board, seed=1, invocations=1)
    assert ref.status is Status.PASS and opt.status is Status.PASS
    if which != "sine_float":
        assert [o["data"] for o in opt.outputs] == [o["data"] for o in ref.outputs]
    assert opt.instructions["invocations"][0] <= 0.6 * ref.instructions["invocations"][0]


@pytest.mark.parametrize("board", ("mps2-an386", "mps3-an547"))
def test_float_keeps_the_fpu_path_on_cores_with_one(board: str, registry: Registry,
                                                    cache_dir: Path, tmp_path: Path) -> None:
    """Block floating point is for soft-float cores: with an FPU (Cortex-M4F, M55) opt's
    float32 FC runs the reference path (it cost 1.9x the reference's instructions on
    mps2-an386 otherwise) and the offline table carries no F32_BFP weight copies."""
    model = tmp_path / "sine_float.tflite"
    model.write_bytes(demo_models.build("sine_float"))
    ref = _run(registry, cache_dir, model, board, seed=1, invocations=1, kernel_set="reference")
    opt = _run(registry, cache_dir, model, board, seed=1, invocations=1)
    assert ref.status is Status.PASS and opt.status is Status.PASS, (opt.reason, ref.reason)
    assert opt.instructions["invocations"][0] <= 1.05 * ref.instructions["invocations"][0]
    assert offline_prep.has_float_unit(registry.board(board).isa_features)
    table = offline_prep.make_table(model.read_bytes(), float_records=False)
    assert all(r.kind != offline_prep.KIND_F32_BFP for r in table.records)
    assert any(r.kind == offline_prep.KIND_F32_BFP
               for r in offline_prep.make_table(model.read_bytes()).records)
    assert not offline_prep.has_float_unit(registry.board("mps2-an385").isa_features)
