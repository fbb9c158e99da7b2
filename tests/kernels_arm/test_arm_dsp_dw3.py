"""arm-dsp's 3x3 depthwise path (dsp_dw3_layer.c / dsp_dw3.c) on QEMU: one channel at a
time from int16 rows, pairs of outputs in assembly. Generated cases aimed at its modes
and edges, every output compared with TFLite: the whole-image mode (all input rows of a
channel in scratch) and the ring of 3 rows (images too large for it), strides 1 and 2
(pairs), stride 3 (one output at a time), odd output widths (one extra output on every
row but the last), width 1, one input channel with multipliers 3, 8, 10 and 11 (chunks of
8 output channels sharing its rows), VALID padding with unread input rows / columns, two batches,
odd channel counts, channels off the fast rescale (extreme per-channel scales) and a
bias-free filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

from .conftest import DSP_BOARDS
from .test_arm_dsp_fast import ExtremeBatch

pytestmark = pytest.mark.slow

# (batches, h, w, input channels, multiplier, stride, padding, extreme scales, bias);
# one input channel with multipliers > 1: its rows shared by up to 8 outputs at a time
SMALL = ((1, 7, 7, 5, 1, 1, "SAME", False, True), (1, 7, 8, 3, 1, 2, "SAME", True, True),
         (2, 6, 5, 4, 1, 1, "VALID", False, True), (1, 9, 9, 7, 1, 2, "VALID", True, True),
         (1, 8, 10, 6, 1, 3, "SAME", False, True), (1, 5, 3, 9, 1, 1, "SAME", True, False),
         (1, 4, 1, 4, 1, 1, "SAME", False, True), (2, 10, 11, 3, 1, 2, "SAME", True, True),
         (1, 3, 4, 1, 1, 1, "VALID", True, True), (1, 12, 6, 2, 1, 2, "VALID", False, True),
         (1, 9, 8, 1, 8, 2, "SAME", False, True), (2, 7, 9, 1, 3, 1, "SAME", True, True),
         (1, 6, 7, 1, 10, 1, "VALID", True, False))
# whole image > 8 KiB of int16 rows: the ring (odd width, stride 2, extreme scales,
# a multiplier of 11)
LARGE = ((1, 66, 63, 3, 1, 1, "SAME", True, True), (1, 71, 69, 2, 1, 2, "SAME", False, True),
         (2, 64, 65, 2, 1, 1, "VALID", True, True), (1, 72, 70, 1, 11, 2, "SAME", True, True))


def _model(cases: tuple, seed: int, path: Path) -> Path:
    bt = ExtremeBatch(seed, extreme=False)
    for batches, h, w, ch, mult, s, pad, extreme, bias in cases:
        bt.extreme = extreme
        bt.add_dw("int8", batches, h, w, ch, mult, (3, 3), (s, s), (1, 1), pad, "NONE",
                  per_channel=True, bias=bias)
    path.write_bytes(bt.build())
    return path


@pytest.mark.parametrize("board", DSP_BOARDS)
@pytest.mark.parametrize(("name", "cases"), (("small", SMALL), ("large", LARGE)))
def test_dw3_paths_bit_exact(name: str, cases: tuple, board: str, registry: Registry,
                             cache_dir: Path, tmp_path: Path) -> None:
    model = _model(cases, 71 if name == "small" else 72, tmp_path / f"dw3_{name}.tflite")
    rec = run_job(JobSpec(model=str(model), board=board, kernel_set="arm-dsp", invocations=2,
                          seed=7, cache_dir=str(cache_dir), timeout=180), registry)
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and len(rec.outputs) == 2 * len(cases), detail
