"""The cycle estimate in costs, the job record, board.toml and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tfm_ci import cycles
from tfm_ci.boards import BoardError, load_board, repo_root
from tfm_ci.costs import from_markers
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry
from tfm_ci.simulator import MarkerHit
from tfm_ci.transcript import OpCost

from .conftest import AN386_MEMORY_AND_UART, require_simulator, write_board
from .test_boards import GOOD


def test_costs_carry_cycles_beside_instructions() -> None:
    h = [MarkerHit(f"tfm_marker_{m}", n, c) for m, n, c in (
        ("init_begin", 10, 15), ("init_end", 110, 260),
        ("invoke_begin", 200, 400), ("op_begin", 210, 420), ("op_end", 260, 530),
        ("invoke_end", 320, 700))]
    c = from_markers(h, [OpCost(0, 0, 0, "CONV_2D", 0)])
    assert c.init == 100 and c.cycles_est_init == 245
    assert c.invocations == [120] and c.cycles_est == [300]
    assert [(o.instructions, o.cycles_est) for o in c.ops] == [(50, 110)]


def test_costs_without_cycles_keep_the_old_shape() -> None:
    h = [MarkerHit(f"tfm_marker_{m}", n) for m, n in (
        ("invoke_begin", 0), ("op_begin", 5), ("op_end", 9), ("invoke_end", 12))]
    c = from_markers(h)
    assert c.invocations == [12] and c.cycles_est == [] and c.cycles_est_init is None
    assert c.ops[0].cycles_est is None


def test_core_to_model_and_milliseconds() -> None:
    assert cycles.model_for_core("cortex-m4f") == "cortex-m4"
    assert cycles.model_for_core("rv32imac") == "rv32-ibex"
    assert cycles.model_for_core("cortex-m33") is None
    instr = {"invocations": [1000], "cycles_est": [1600]}
    cycles.annotate(instr, "cortex-m4f", 80_000_000)
    assert instr["cycle_model"] == "cortex-m4" and instr["ms_est"] == [0.02]
    assert "zero wait states" in instr["cycle_assumptions"]
    assert cycles.fmt_estimate(instr) == "~1,600 (0.02 ms)"
    untimed = {"invocations": [1000], "cycles_est": []}
    cycles.annotate(untimed, "cortex-m4f", 80_000_000)
    assert "cycle_model" not in untimed and cycles.fmt_estimate(untimed) == "-"


@pytest.mark.parametrize(("value", "hz"), [
    ("80000000", 80_000_000), ('"80MHz"', 80_000_000), ('"168 MHz"', 168_000_000),
    ('"32.768kHz"', 32_768)])
def test_board_clock(tmp_path: Path, value: str, hz: int) -> None:
    text = GOOD.replace("{name}", "b1").replace("[budget]", f"clock_hz = {value}\n[budget]")
    assert load_board(write_board(tmp_path / "b1", text)).clock_hz == hz


@pytest.mark.parametrize("value", ['"fast"', "0", "-5", '"1.5Hz"', "true", '"MHz"'])
def test_board_clock_errors_name_the_field(tmp_path: Path, value: str) -> None:
    text = GOOD.replace("{name}", "b1").replace("[budget]", f"clock_hz = {value}\n[budget]")
    with pytest.raises(BoardError, match=r"board.toml: field 'clock_hz': expected a clock"):
        load_board(write_board(tmp_path / "b1", text))


def test_board_without_clock(tmp_path: Path) -> None:
    text = GOOD.replace("{name}", "b1")
    assert AN386_MEMORY_AND_UART in text
    assert load_board(write_board(tmp_path / "b1", text)).clock_hz is None


@pytest.mark.slow
def test_record_has_cycles_per_invoke_and_op(sine_model: Path, registry: Registry,
                                             shared_cache: Path) -> None:
    require_simulator(registry, "m4-256k")
    x = np.linspace(-128, 127, 3).astype(np.int8).reshape(3, 1, 1)
    spec = JobSpec(model=str(sine_model), board="m4-256k", inputs=[x],
                   cache_dir=str(shared_cache), timeout=60)
    rec = run_job(spec, registry)
    assert rec.status is Status.PASS, (rec.reason, rec.errors)
    instr = rec.instructions
    assert len(instr["cycles_est"]) == len(instr["invocations"]) == 3
    # every Cortex-M4 instruction costs at least one cycle; loads and branches more
    for n, c in zip(instr["invocations"], instr["cycles_est"], strict=True):
        assert n < c < 4 * n
    assert instr["cycles_est_init"] > instr["init"]
    assert all(o["instructions"] <= o["cycles_est"] for o in instr["ops"])
    for k, total in enumerate(instr["cycles_est"]):
        assert sum(o["cycles_est"] for o in instr["ops"] if o["invocation"] == k) < total
    assert instr["cycle_model"] == "cortex-m4" and instr["clock_hz"] == 80_000_000
    assert instr["ms_est"] == [round(c / 80_000, 4) for c in instr["cycles_est"]]
    classes = rec.simulation["cycle_classes"]
    assert {"alu", "load", "branch"} <= set(classes)
    assert all(n > 0 and c >= n for n, c in classes.values())


@pytest.mark.slow
def test_cli_run_shows_the_estimate(tmp_path: Path, sine_model: Path, registry: Registry,
                                    shared_cache: Path) -> None:
    require_simulator(registry, "m4-256k")
    env = {**os.environ, "TFM_CI_CACHE": str(shared_cache), "COLUMNS": "250",
           "TFM_CI_NO_AUTOLOAD": "1"}
    record = tmp_path / "rec.json"
    out = subprocess.run([sys.executable, "-m", "tfm_ci.cli", "run", "--model", str(sine_model),
                          "--board", "m4-256k", "--ops", "--json", str(record)],
                         capture_output=True, text=True, timeout=600, cwd=repo_root(), env=env)
    assert out.returncode == 0, out.stdout + out.stderr
    rec = json.loads(record.read_text())
    est = max(rec["instructions"]["cycles_est"])
    assert f"~{est:,}" in out.stdout
    assert "ms at 80 MHz" in out.stdout and "cycles (est.)" in out.stdout
    assert "zero wait states" in out.stdout
