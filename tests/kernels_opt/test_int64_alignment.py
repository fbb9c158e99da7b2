"""int16x8 models whose int64 biases sit at 4-byte (not 8-byte) aligned offsets inside
the flatbuffer, as the TF converter writes them: the firmware copies such data into the
arena at load and runs them bit-exactly with TFLite on every kind of board (host,
RV32, Cortex-M3, Cortex-M4F) with the reference and the opt kernel sets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.kernels_arm.cases import Batch
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

pytestmark = pytest.mark.slow


class MisalignedBatch(Batch):
    """Batch whose int64 biases are written 4-byte aligned; remembers their payloads."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.payloads: list[bytes] = []

    def _bias(self, name: str, channels: int, dtype: str, in_scale: float,
              f_scales: np.ndarray) -> int:
        if dtype != "int16":
            return super()._bias(name, channels, dtype, in_scale, f_scales)
        data = self.rng.integers(-2_000_000, 2_000_001, size=channels).astype("<i8")
        self.payloads.append(data.tobytes())
        return self.b.tensor(name, [channels], "int64", data=data,
                             scale=[float(in_scale * s) for s in f_scales],
                             zero_point=[0] * channels, quantized_dimension=0,
                             data_alignment=4)


def _model(tmp_path: Path) -> Path:
    bt = MisalignedBatch(seed=5)
    for i in range(4):
        bt.add_conv("int16", 1, 6, 5, 3 + i, 4, (3, 3), (1, 1), (1, 1), "SAME", "NONE",
                    per_channel=True)
        bt.add_dw("int16", 1, 7, 6, 2 + i, 1 + i % 2, (3, 3), (1, 2), (1, 1), "VALID", "RELU",
                  per_channel=i % 2 == 0)
        bt.add_fc("int16", 1, 17 + i, 5, "NONE", per_channel=i % 2 == 1)
    data = bt.build()
    # every int64 bias really is at an address aligned to 4 bytes but not to 8
    offsets = [data.find(p) for p in bt.payloads]
    assert len(offsets) == 12 and all(o > 0 and o % 8 == 4 for o in offsets), offsets
    path = tmp_path / "int16x8_misaligned_bias.tflite"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kernel_set", ("reference", "opt"))
@pytest.mark.parametrize("board", ("host", "riscv32-virt", "mps2-an385", "mps2-an386"))
def test_misaligned_int64_bias_runs_bit_exact(board: str, kernel_set: str, registry: Registry,
                                              cache_dir: Path, tmp_path: Path) -> None:
    spec = JobSpec(model=str(_model(tmp_path)), board=board, kernel_set=kernel_set,
                   invocations=2, seed=9, cache_dir=str(cache_dir), timeout=300)
    rec = run_job(spec, registry)
    assert rec.status is Status.PASS, (rec.reason, rec.errors, (rec.transcript or "")[-600:])
    assert rec.comparison["match"] is True and len(rec.outputs) == 2 * 12
