"""An image the linker cannot place is a budget failure with the measured numbers."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from tfm_ci.build import MemoryOverflowError, build, linker_script
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.memfit import linker_lines, overflowed, relaxed_script
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.registry import Registry


@pytest.fixture(scope="module")
def big_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """FULLY_CONNECTED with 2 MiB of int8 weights."""
    b = ModelBuilder(description="2 MiB of weights")
    x = b.tensor("x", [1, 2048], "int8", scale=0.5, zero_point=0)
    w = b.tensor("w", [1024, 2048], "int8", scale=0.01, zero_point=0,
                 data=np.ones((1024, 2048), np.int8))
    y = b.tensor("y", [1, 1024], "int8", scale=0.5, zero_point=0)
    b.op("FULLY_CONNECTED", [x, w], [y], fused_activation_function="NONE")
    b.inputs([x])
    b.outputs([y])
    path = tmp_path_factory.mktemp("big") / "big.tflite"
    path.write_bytes(b.build())
    return path


def test_relaxed_script_widens_every_region_and_keeps_the_rest(registry: Registry,
                                                                tmp_path: Path) -> None:
    text = linker_script(registry.board("netduinoplus2"), tmp_path).read_text()
    relaxed = relaxed_script(text)
    regions = re.findall(r"^\s*(\w+) \(rwx\) : ORIGIN = (\w+), LENGTH = (\w+)", relaxed, re.M)
    assert [r[0] for r in regions] == ["FLASH", "RAM", "SRAM_TOP"]
    assert [int(r[1], 16) for r in regions] == [0, 1 << 30, 2 << 30]
    assert all(int(r[2], 16) == (1 << 30) - 4096 for r in regions)
    # everything outside MEMORY is unchanged
    assert relaxed.split("}", 1)[1] == text.split("}", 1)[1]
    with pytest.raises(ValueError, match="no MEMORY block"):
        relaxed_script("SECTIONS { }")


def test_linker_messages_are_recognised() -> None:
    log = ("ld: firmware.elf section `.rodata' will not fit in region `FLASH'\n"
           "ld: region `FLASH' overflowed by 1080100 bytes\ncollect2: error: ld returned 1")
    assert overflowed(log) and not overflowed("undefined reference to `foo'")
    assert linker_lines(log) == "region FLASH overflowed by 1,080,100 B"


def test_big_model_on_netduinoplus2_fails_the_flash_budget(big_model: Path,
                                                           registry: Registry,
                                                           tmp_path: Path) -> None:
    board = registry.board("netduinoplus2")
    with pytest.raises(MemoryOverflowError) as info:
        build(board, big_model, registry.kernel_set(board),
              toolchain=registry.platform_of(board).toolchain, cache_dir=tmp_path)
    exc = info.value
    flash = exc.sizes.flash
    assert flash > big_model.stat().st_size > 2 * 1024 * 1024
    assert str(exc).startswith(f"flash {flash:,} B > 1,048,576 B on netduinoplus2")
    assert "region FLASH overflowed by" in str(exc)
    # the linker's own excess agrees with the measurement (within section alignment)
    excess = int(re.search(r"overflowed by ([\d,]+) B", str(exc)).group(1).replace(",", ""))
    assert abs((flash - 1024 * 1024) - excess) < 64
    assert [c.kind for c in exc.checks if c.ok is False] == ["flash"]


def test_arena_larger_than_ram_fails_the_ram_budget(sine_model: Path, registry: Registry,
                                                    tmp_path: Path) -> None:
    board = registry.board("mps2-an386")
    arena = 5 * 1024 * 1024
    with pytest.raises(MemoryOverflowError) as info:
        build(board, sine_model, registry.kernel_set(board),
              toolchain=registry.platform_of(board).toolchain, arena_size=arena,
              cache_dir=tmp_path)
    exc = info.value
    assert exc.sizes.arena == arena
    ram = exc.sizes.static_ram + arena + exc.sizes.stack
    assert str(exc).startswith(f"RAM {ram:,} B > 4,194,304 B on mps2-an386 (static "
                               f"{exc.sizes.static_ram:,} + arena 5,242,880 + stack")
    assert "region RAM overflowed by" in str(exc)


def test_job_record_is_a_budget_failure(big_model: Path, registry: Registry,
                                        tmp_path: Path) -> None:
    rec = run_job(JobSpec(model=str(big_model), board="netduinoplus2",
                          cache_dir=str(tmp_path)), registry)
    assert rec.status is Status.FAIL and rec.category == "budget", rec.reason
    assert re.match(r"flash 2,1\d\d,\d{3} B > 1,048,576 B on netduinoplus2", rec.reason)
    assert "ld returned" not in rec.reason
    assert rec.sizes["flash"] > 2 * 1024 * 1024
    assert any(b["kind"] == "flash" and b["ok"] is False for b in rec.budgets)
