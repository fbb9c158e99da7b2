"""One job end to end on a simulated Cortex-M4F (mps2-an386 under QEMU)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.oracle import run_reference
from tfm_ci.registry import Registry

from .conftest import require_simulator

pytestmark = pytest.mark.slow


def test_sine_on_mps2_an386(sine_model: Path, registry: Registry, shared_cache: Path) -> None:
    require_simulator(registry, "mps2-an386")
    x = np.linspace(-128, 127, 4).astype(np.int8).reshape(4, 1, 1)
    spec = JobSpec(model=str(sine_model), board="mps2-an386", inputs=[x],
                   cache_dir=str(shared_cache), timeout=60)
    first = run_job(spec, registry)
    assert first.status is Status.PASS, (first.reason, first.errors, first.transcript)
    ref = run_reference(sine_model.read_bytes(), [x], invocations=4)
    assert [o["data"] for o in first.outputs] == [r[0].ravel().tolist() for r in ref]
    assert first.simulator == "qemu"
    instr = first.instructions
    assert instr["source"] == "markers" and instr["unit"] == "instructions"
    assert len(instr["invocations"]) == 4 and all(n > 0 for n in instr["invocations"])
    assert instr["init"] > 0
    assert [o["op_name"] for o in instr["ops"]] == ["FULLY_CONNECTED"] * 12
    # per-op counts fit inside their invocation
    for k, total in enumerate(instr["invocations"]):
        assert sum(o["instructions"] for o in instr["ops"] if o["invocation"] == k) < total
    sizes = first.sizes
    assert 0 < sizes["arena_used"] < sizes["arena_size"]
    assert sizes["stack_used"] > 0
    budget_ok = {c["kind"]: c["ok"] for c in first.budgets}
    assert budget_ok == {"flash": True, "ram": True}
    # deterministic: a second run (cached build) counts exactly the same instructions
    second = run_job(spec, registry)
    assert second.build["cached"] and second.status is Status.PASS
    assert second.instructions == first.instructions
    # the record is plain data
    again = JobRecord.from_dict(first.to_dict())
    assert again.status is Status.PASS and again.instructions == first.instructions
    assert JobSpec.from_dict(first.spec).inputs[0].tolist() == x.tolist()


def test_budget_failure_on_a_small_board(sine_model: Path, registry: Registry,
                                         shared_cache: Path) -> None:
    require_simulator(registry, "mps2-an386")
    spec = JobSpec(model=str(sine_model), board="mps2-an386", cache_dir=str(shared_cache),
                   limits=["instructions=100", "ram=1KiB"], timeout=60)
    rec = run_job(spec, registry)
    assert rec.status is Status.FAIL and rec.category == "budget"
    assert rec.comparison["match"] is True
    total = (rec.sizes["static_ram"] + rec.sizes["arena_used"] + rec.sizes["stack_used"])
    assert (f"RAM {total:,} B > 1,024 B (user limit; static {rec.sizes['static_ram']:,} + "
            f"arena {rec.sizes['arena_used']:,} + stack {rec.sizes['stack_used']:,})") in rec.reason
    assert f"instructions {max(rec.instructions['invocations']):,} > 100" in rec.reason
