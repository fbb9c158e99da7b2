"""Arena reports and the exact `needed` figure when the arena is too small."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.runtime import models
from tests.runtime.util import SHARED_MODELS, run


def _needed(runner: Path, model: bytes | Path) -> int:
    t = run(runner, model).transcript
    assert t.passed, t.errors
    return t.arena["total"]


@pytest.mark.parametrize("which", ["hello_world_int8", "chain"])
def test_needed_is_exact(host_runner: Path, which: str) -> None:
    model = SHARED_MODELS[which] if which in SHARED_MODELS else models.chain_model()
    total = _needed(host_runner, model)
    ok = run(host_runner, model, arena=total).transcript
    assert ok.passed, ok.errors
    for short in (8, 16):
        r = run(host_runner, model, arena=total - short)
        assert not r.transcript.passed and r.returncode == 1
        (status, message), = r.transcript.errors
        assert status == "ARENA_TOO_SMALL"
        assert f"arena too small: needs {total} bytes, has {total - short}" in message
        assert re.search(rf"needed={total}\b", message)


@pytest.mark.parametrize("arena", [0, 24, 100])
def test_whole_need_not_the_failing_allocation(host_runner: Path, arena: int) -> None:
    """An arena far too small (the first allocation fails) still reports the model's whole
    need: allocate runs again in spare memory (plan first, then compare)."""
    model = SHARED_MODELS["hello_world_int8"]
    total = _needed(host_runner, model)
    r = run(host_runner, model, arena=arena)
    (status, message), = r.transcript.errors
    assert status == "ARENA_TOO_SMALL" and r.returncode == 1
    assert message == f"arena too small: needs {total} bytes, has {arena} needed={total}"


def test_planner_shares_memory(host_runner: Path) -> None:
    """A chain of 4 ops on 256-byte tensors needs 2 live buffers, not 5."""
    t = run(host_runner, models.chain_model(n=64, length=4)).transcript
    assert t.passed, t.errors
    assert t.arena["head"] == 2 * 256


def test_offline_plan_is_honoured(host_runner: Path) -> None:
    """OfflineMemoryAllocation offsets place the listed tensors; -1 stays online."""
    import struct

    from tfm_ci.modelgen import ModelBuilder

    b = ModelBuilder()
    x = b.tensor("x", [1, 64], "float32")
    y = b.tensor("y", [1, 64], "float32")
    b.op("ADD", [x, x], [y], fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([y])
    # x at 1024, y planned online (lowest free offset not overlapping x: 0)
    b.metadata("OfflineMemoryAllocation", struct.pack("<5i", 1, 0, 2, 1024, -1))
    t = run(host_runner, b.build()).transcript
    assert t.passed, t.errors
    assert t.arena["head"] == 1024 + 256


def test_init_failure_reports_lower_bound(host_runner: Path) -> None:
    r = run(host_runner, SHARED_MODELS["person_detect"], arena=1000)
    (status, message), = r.transcript.errors
    assert status == "ARENA_TOO_SMALL" and "has 1000" in message
