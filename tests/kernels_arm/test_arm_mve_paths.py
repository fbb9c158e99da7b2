"""arm-mve's own paths on QEMU mps3-an547, bit-exact with TFLite (BUILTIN_REF).

Hundreds of generated single-op cases (mve_cases.py, fixed seeds): every output of
every op must equal ai-edge-litert's reference kernels'. The pooling batch also
feeds extreme inputs (all -128 / all 127) to reach the int16 sums' limit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

from .cases import Batch
from .mve_cases import BATCHES

pytestmark = pytest.mark.slow

RUNS = (("conv", 48, (301, 302, 303)), ("dw", 40, (311, 312, 313)),
        ("fc", 40, (321, 322)), ("pool", 40, (331, 332)), ("binary", 48, (351, 352, 353)))


def _check(registry: Registry, cache: Path, model: Path, seed: int, count: int,
           inputs: list[np.ndarray] | None = None) -> None:
    spec = JobSpec(model=str(model), board="mps3-an547", kernel_set="arm-mve",
                   invocations=1 if inputs else 2, seed=seed, cache_dir=str(cache),
                   timeout=300, inputs=inputs)
    rec = run_job(spec, registry)
    detail = (rec.reason, rec.comparison.get("mismatching"), rec.errors,
              (rec.transcript or "")[-600:])
    assert rec.status is Status.PASS, detail
    assert rec.comparison["match"] is True and rec.comparison["compared"] > 0, detail
    assert len(rec.outputs) == (1 if inputs else 2) * count


@pytest.mark.parametrize(("kind", "count", "seeds"), RUNS, ids=[r[0] for r in RUNS])
def test_mve_paths_bit_exact(kind: str, count: int, seeds: tuple[int, ...], registry: Registry,
                             cache_dir: Path, tmp_path: Path) -> None:
    for seed in seeds:
        model = tmp_path / f"{kind}_{seed}.tflite"
        model.write_bytes(BATCHES[kind](seed, count).build())
        _check(registry, cache_dir, model, seed, count)


def test_pool_extreme_inputs(registry: Registry, cache_dir: Path, tmp_path: Path) -> None:
    """256-tap windows of all -128 / all 127 (the int16 sums' extremes), channel tails."""
    bt = Batch(340)
    shapes = []
    for op in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        for ch in (5, 8, 17):
            bt.add_pool(op, "int8", 1, 16, 16, ch, (16, 16), (1, 1), "VALID", "NONE")
            bt.add_pool(op, "int8", 1, 16, 16, ch, (3, 3), (2, 2), "SAME", "NONE")
            shapes += [(1, 16, 16, ch)] * 2
    model = tmp_path / "pool_extremes.tflite"
    model.write_bytes(bt.build())
    for value in (-128, 127):
        inputs = [np.full(s, value, dtype=np.int8) for s in shapes]
        _check(registry, cache_dir, model, 0, len(shapes), inputs)
