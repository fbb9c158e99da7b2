"""The integer LSTM variants and the hybrid LSTM / SVDF / BATCH_MATMUL kernels on simulated boards
through the engine (tfm_ci.job.run_job): a Cortex-M4F (mps2-an386), a Cortex-M3 without
FPU (mps2-an385: the hybrid kernels' float steps in soft float) and riscv32-virt (rv32imac,
soft float). Drawn by the host-runner tests' generators; int8 bit-exact, hybrid outputs
within the host tests' tolerance (BATCH_MATMUL: bit-exact).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests.ops import test_batch_matmul_hybrid as bmm
from tests.ops import test_lstm_hybrid as lstm_hybrid
from tests.ops import test_lstm_int8 as lstm
from tests.ops import test_svdf_hybrid as svdf
from tests.ops.lstm_int8_models import lstm_int8_model
from tfm_ci.boards import repo_root
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry

pytestmark = pytest.mark.slow
BOARDS = ("mps2-an386", "mps2-an385", "riscv32-virt")
Built = tuple[bytes, list[np.ndarray]]

CASES: dict[str, tuple[Callable[[], Built], float]] = {
    **{f"lstm-int8-{v}": ((lambda v=v, i=i: lstm_int8_model(31000 + i, lstm.VARIANTS[v], 2)),
                          0.0)
       for i, v in enumerate(("plain", "cifg-peephole-tm", "projection-peephole",
                              "layernorm-projection-peephole", "clip-projection-tm",
                              "saturate", "everything"))},
    "lstm-hybrid-sym": (lambda: lstm_hybrid.hybrid_lstm_model("layernorm-cifg-peephole", False,
                                                              31301), lstm_hybrid.FLOAT_TOL),
    "lstm-hybrid-asym": (lambda: lstm_hybrid.hybrid_lstm_model("projection", True, 31302),
                         lstm_hybrid.FLOAT_TOL),
    "svdf-hybrid-sym": (lambda: svdf.hybrid_svdf_model(False, "RELU", 31101), svdf.FLOAT_TOL),
    "svdf-hybrid-asym": (lambda: svdf.hybrid_svdf_model(True, "NONE", 31102), svdf.FLOAT_TOL),
    "bmm-hybrid-sym": (lambda: bmm.hybrid_matmul_model("broadcast-rhs", False, False, 31201),
                       bmm.FLOAT_TOL),
    "bmm-hybrid-asym": (lambda: bmm.hybrid_matmul_model("two-batch-dims", True, True, 31203),
                        bmm.FLOAT_TOL),
}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("name", sorted(CASES))
def test_recurrent_op_on_board(name: str, board: str, registry: Registry,
                               tmp_path: Path) -> None:
    build, tol = CASES[name]
    model, inputs = build()
    path = tmp_path / "model.tflite"
    path.write_bytes(model)
    cache = repo_root() / "build" / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    # BATCH_MATMUL inputs are one invocation; the stateful ops' carry several
    stateful = not name.startswith("bmm")
    spec = JobSpec(model=str(path), board=board, inputs=inputs, cache_dir=str(cache),
                   timeout=300, float_tolerance=tol)
    rec = run_job(spec, registry)
    assert rec.status is Status.PASS, (rec.reason, rec.errors[-1:])
    assert rec.invocations == (inputs[0].shape[0] if stateful else 1)
