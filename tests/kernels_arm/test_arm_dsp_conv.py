"""arm-dsp CONV_2D paths on QEMU (Cortex-M4F, M7, M55), bit-exact with TFLite: the strip
path for inputs of 1 to 3 channels (tests/kernels_arm/conv_cases.py); a model's first
layer as in MLPerf's VWW (96x96x3, 3x3 stride 2 to 8 channels)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci import offline_prep
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.offline_prep_dsp import KIND_CONV_W16_STRIP
from tfm_ci.registry import Registry

from .cases import Batch
from .conftest import DSP_BOARDS
from .conv_cases import strip_batch

pytestmark = pytest.mark.slow


def _check(registry: Registry, cache: Path, model: Path, board: str, seed: int,
           count: int) -> None:
    rec = run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp",
                          invocations=2, seed=seed, cache_dir=str(cache), timeout=180),
                  registry)
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and len(rec.outputs) == 2 * count, detail


@pytest.mark.parametrize("board", DSP_BOARDS)
@pytest.mark.parametrize("seed", (81, 82))
def test_strip_path_bit_exact(board: str, seed: int, registry: Registry, cache_dir: Path,
                              tmp_path: Path) -> None:
    """With the offline prep table: dsp_gemm3_w16 on CONV_W16_STRIP records where the
    range is all of int8, dsp_matb elsewhere."""
    model = tmp_path / f"strip_{seed}.tflite"
    model.write_bytes(strip_batch(seed, 30).build())
    table = offline_prep.make_table(model.read_bytes(), kernel_set="arm-dsp")
    assert sum(r.kind == KIND_CONV_W16_STRIP for r in table.records) >= 10
    _check(registry, cache_dir, model, board, seed, 30)


@pytest.mark.parametrize("seed", (81, 84))
def test_strip_path_without_records(seed: int, registry: Registry, cache_dir: Path,
                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a table (or over the flash budget): the reordered int8 filter in scratch
    and dsp_gemm3_s8."""
    monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "0")
    model = tmp_path / f"strip_{seed}.tflite"
    model.write_bytes(strip_batch(seed, 30).build())
    _check(registry, cache_dir, model, "mps2-an386", seed, 30)


def test_vww_first_layer_bit_exact(registry: Registry, cache_dir: Path,
                                   tmp_path: Path) -> None:
    bt = Batch(83)
    bt.add_conv("int8", 1, 96, 96, 3, 8, (3, 3), (2, 2), (1, 1), "SAME", "RELU6",
                per_channel=True)
    bt.add_conv("int8", 1, 95, 97, 3, 8, (3, 3), (2, 2), (1, 1), "SAME", "NONE",
                per_channel=True)
    model = tmp_path / "vww_first.tflite"
    model.write_bytes(bt.build())
    _check(registry, cache_dir, model, "mps2-an386", 83, 2)
