"""The plain-C fallbacks behind arm-dsp's assembly kernels (-DTFM_DSP_NO_ASM), bit-exact
on QEMU mps2-an386.

The set is rebuilt as a test-only variant, "arm-dsp-noasm": every source of arm-dsp is
wrapped in a file that defines TFM_DSP_NO_ASM before including it (the build takes no
per-set defines), so the C loops of dsp_common.c / dsp_gemm3.c / dsp_dw3.c / dsp_dw1.c /
dsp_fc4.c are compiled in place of the asm. The same generated cases as the fast-path
test (1x1 and general convs, 3x3 depthwise with borders and strides, one-input-channel
depthwise, channels off the fast rescale) and the pointwise / depthwise / FC batches run
through it, and the 3x3 depthwise cases of test_arm_dsp_dw3 (whole images and the ring of
rows, one input channel with multipliers); every output is compared with TFLite.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tfm_ci import offline_prep
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.offline_prep_dsp import KIND_CONV_W16, KIND_CONV_W16_STRIP
from tfm_ci.platform import KernelSet
from tfm_ci.registry import Registry

from .cases import BATCHES
from .conv_cases import strip_batch
from .test_arm_dsp_dw3 import LARGE, SMALL, _model
from .test_arm_dsp_fast import fast_batch

pytestmark = pytest.mark.slow

BOARD = "mps2-an386"
NOASM = "arm-dsp-noasm"


def _wrap(src: Path, folder: Path) -> Path:
    """`folder/<name>`: defines TFM_DSP_NO_ASM, then includes `src` (its own quoted
    includes still resolve beside `src`); rewritten only when it changes, so the build
    cache keeps its objects."""
    path = folder / src.name
    text = f'#define TFM_DSP_NO_ASM 1\n#include "{src.resolve()}"\n'
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


@pytest.fixture(scope="module")
def noasm_registry(registry: Registry, cache_dir: Path) -> Registry:
    board = registry.board(BOARD)
    platform = registry.platform_of(board)
    dsp = registry.kernel_set(board, "arm-dsp")
    folder = cache_dir / "noasm-src"
    folder.mkdir(parents=True, exist_ok=True)
    variant = KernelSet(
        NOASM, "arm-dsp with the C fallbacks of its assembly kernels (test only)",
        overrides={name: _wrap(p, folder) for name, p in dsp.overrides.items()},
        extra_sources=tuple(_wrap(p, folder) for p in dsp.extra_sources),
        include_dirs=dsp.include_dirs, cores=dsp.cores, added_ops=dsp.added_ops,
        offline_prep=dsp.offline_prep)
    platforms = {**registry.platforms,
                 platform.name: dataclasses.replace(
                     platform, kernel_sets=(*platform.kernel_sets, variant))}
    return dataclasses.replace(registry, platforms=platforms)


def _run(reg: Registry, cache: Path, model: Path, kset: str, seed: int) -> JobRecord:
    return run_job(JobSpec(model=str(model), board=BOARD, kernel_set=kset, invocations=2,
                           seed=seed, cache_dir=str(cache), timeout=120), reg)


CASES = (("fast", 51, 32), ("fast", 53, 32), ("conv", 11, 24), ("strip", 81, 30),
         ("dw", 22, 28), ("fc", 31, 24),
         ("dw3-small", 71, len(SMALL)), ("dw3-large", 72, len(LARGE)))


@pytest.mark.parametrize(("kind", "seed", "count"), CASES,
                         ids=[f"{k}{s}" for k, s, _ in CASES])
def test_c_fallbacks_bit_exact(kind: str, seed: int, count: int, noasm_registry: Registry,
                               cache_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / f"{kind}_{seed}.tflite"
    if kind.startswith("dw3"):  # the 3x3 depthwise modes: whole images, ring, multipliers
        _model(SMALL if kind == "dw3-small" else LARGE, seed, model)
    else:
        make = {"fast": fast_batch, "strip": strip_batch}.get(kind, BATCHES.get(kind))
        assert make is not None, kind
        batch = make(seed, count)
        model.write_bytes(batch.build())
    rec = _run(noasm_registry, cache_dir, model, NOASM, seed)
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.kernel_set == NOASM
    assert rec.comparison["match"] is True and len(rec.outputs) == 2 * count, detail
    if kind in ("fast", "conv", "strip"):  # dsp_gemm3_w16's C loop (both record kinds)
        want = KIND_CONV_W16_STRIP if kind == "strip" else KIND_CONV_W16
        assert any(r.kind == want for r in
                   offline_prep.make_table(model.read_bytes(), kernel_set=NOASM).records)
        assert rec.build["offline_prep"]["speed_records"] > 0, rec.build
    # the same outputs as the asm build, from different code (other instruction counts)
    asm = _run(noasm_registry, cache_dir, model, "arm-dsp", seed)
    assert asm.status is Status.PASS, asm.reason
    assert rec.instructions != asm.instructions, "the variant built the same code"
