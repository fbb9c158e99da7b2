"""A board whose RAM exceeds what QEMU maps: the core locks up, and the reason says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.boards import load_board, repo_root
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.process import ProcessResult, failure_text
from tfm_ci.registry import Registry

from .conftest import write_board

LOCKUP = "qemu: fatal: Lockup: can't escalate 3 to HardFault (current priority -1)"


def test_fatal_line_survives_the_register_dump() -> None:
    dump = "\n".join(f"R{i:02d}=00000000" for i in range(16)) + "\nFPSCR: 00000000\n"
    proc = ProcessResult("", f"{LOCKUP}\n\n{dump}", -6, False, 0.1)
    assert failure_text("qemu-system-arm", proc) == f"qemu-system-arm killed by signal 6: {LOCKUP}"


@pytest.mark.slow
def test_ram_beyond_qemus_map_reports_the_lockup(tmp_path: Path, shared_cache: Path,
                                                  sine_model: Path) -> None:
    text = (repo_root() / "platforms" / "netduinoplus2" / "board.toml").read_text()
    # 512 KiB of "RAM" where QEMU maps 192 KiB: the stack ends up in unmapped memory
    text = (text.replace('name = "netduinoplus2"', 'name = "netduino-bigram"')
            .replace('ram = "128KiB"', 'ram = "512KiB"')
            .replace('length = "128KiB"', 'length = "512KiB"')
            .replace("origin = 0x20020000", "origin = 0x20080000"))
    board = load_board(write_board(tmp_path / "netduino-bigram", text))
    registry = Registry.load(make_plugin_manager(load_entry_points=False))
    registry.boards[board.name] = board
    registry.simulator_for(board)
    rec = run_job(JobSpec(model=str(sine_model), board=board.name, timeout=60,
                          cache_dir=str(shared_cache)), registry)
    assert (rec.status, rec.category) == (Status.ERROR, "simulator")
    assert rec.reason == f"qemu-system-arm killed by signal 6: {LOCKUP}"
