"""`tfm-ci` terminal output at 80 columns: tables whose numbers never break, --quiet,
--ops over every invocation with per-type totals, inspect grouped by coverage."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.hardening import cases
from tests.models.shared import shared_models_dir
from tfm_ci import demo_models

from .conftest import AN386_MEMORY_AND_UART  # noqa: F401  (engine fixtures)
from .test_cli_hardening import tfm_ci

pytestmark = pytest.mark.slow
NARROW = {"COLUMNS": "80"}


def _table_lines(stdout: str) -> list[str]:
    """Lines of tables and budgets (free-text verdict/path lines may soft-wrap)."""
    return [line for line in stdout.splitlines()
            if not line.lstrip().startswith(("build:", "PASS", "FAIL", "ERROR"))]


@pytest.fixture(scope="module")
def sine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "sine.tflite"
    path.write_bytes(demo_models.build("sine"))
    return path


def test_run_at_80_columns(tmp_path: Path, sine: Path, shared_cache: Path) -> None:
    record = tmp_path / "rec.json"
    proc = tfm_ci("run", "--model", str(sine), "--board", "mps2-an386", "--json", str(record),
                  cache=shared_cache, env=NARROW)
    assert proc.returncode == 0, proc.stdout
    rec = json.loads(record.read_text())
    too_wide = [line for line in _table_lines(proc.stdout) if len(line) > 80]
    assert not too_wide, proc.stdout
    # each figure whole on one row (no cell broken mid-number)
    row = next(line for line in proc.stdout.splitlines() if line.strip().startswith("mps2"))
    assert row.split()[3:] == [f"{rec['sizes']['flash']:,}", f"{rec['budgets'][1]['used']:,}",
                               f"{rec['sizes']['arena_used']:,}",
                               f"{max(rec['instructions']['invocations']):,}",
                               f"~{max(rec['instructions']['cycles_est']):,}"]
    # the simulator command line is in the record only
    assert "qemu-system-arm" not in proc.stdout
    assert rec["simulation"]["command"][0] == "qemu-system-arm"


def test_run_quiet_prints_the_verdict_only(sine: Path, shared_cache: Path) -> None:
    proc = tfm_ci("run", "--model", str(sine), "--board", "host", "--quiet",
                  cache=shared_cache, env=NARROW)
    assert proc.returncode == 0
    assert proc.stdout == "PASS: outputs match TFLite on 1 invocation(s)\n"


def test_run_ops_every_invocation_and_totals(sine: Path, shared_cache: Path) -> None:
    proc = tfm_ci("run", "--model", str(sine), "--board", "mps2-an386", "--ops",
                  "--invocations", "3", cache=shared_cache, env=NARROW)
    assert proc.returncode == 0, proc.stdout
    rows = re.findall(r"^│\s+(\d)\s+│\s+0\s+│\s+(\d)\s+│ FULLY_CONNECTED", proc.stdout, re.M)
    assert sorted(rows) == sorted((str(k), str(i)) for k in range(3) for i in range(3))
    assert re.search(r"│ FULLY_CONNECTED │\s+9 │\s+[\d,]+ │", proc.stdout)    # per-type total
    assert not [line for line in _table_lines(proc.stdout) if len(line) > 80]
    one = tfm_ci("run", "--model", str(sine), "--board", "mps2-an386", "--ops",
                 "--invocations", "3", "--invocation", "2", cache=shared_cache, env=NARROW)
    rows = re.findall(r"^│\s+(\d)\s+│\s+0\s+│\s+\d\s+│ FULLY_CONNECTED", one.stdout, re.M)
    assert rows == ["2", "2", "2"]
    assert re.search(r"│ FULLY_CONNECTED │\s+3 │", one.stdout)
    none = tfm_ci("run", "--model", str(sine), "--board", "mps2-an386", "--ops",
                  "--invocation", "5", cache=shared_cache, env=NARROW)
    assert "no invocation 5: the job ran 1 invocation(s)" in none.stdout


def test_run_ops_on_host_says_why(sine: Path, shared_cache: Path) -> None:
    proc = tfm_ci("run", "--model", str(sine), "--board", "host", "--ops", cache=shared_cache,
                  env=NARROW)
    assert proc.returncode == 0
    assert ("per-operator instructions: not counted on host (the native simulator measures no "
            "instructions; run on a QEMU board for exact counts)") in proc.stdout


def test_inspect_groups_boards_and_names_every_missing_op(tmp_path: Path,
                                                         shared_cache: Path) -> None:
    model = shared_models_dir() / "hello_world" / "hello_world_int8.tflite"
    proc = tfm_ci("inspect", str(model), cache=shared_cache, env=NARROW)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not [line for line in proc.stdout.splitlines()[1:] if len(line) > 80], proc.stdout
    assert "total: 3 op(s), 288 MACs, 321 parameters" in proc.stdout
    assert re.search(r"│ 1 │ FULLY_CONNECTED │ \d │ .*│\s+256 │\s+272 │", proc.stdout)
    # the host runner's own allocate (64-bit records: more than the 632 B of 32-bit boards)
    assert "planned arena: 888 B (head 32 + tail 792;" in proc.stdout
    coverage = proc.stdout[proc.stdout.index("kernel coverage"):]
    rows = [line for line in coverage.splitlines()     # first lines of the rows
            if line.startswith("│") and line.split("│")[2].strip()]
    assert rows and all("complete" in row for row in rows), coverage
    for kset in ("reference", "opt", "arm-dsp", "arm-mve"):
        assert sum(f"│ {kset} " in row for row in rows) >= 1, kset
    assert coverage.count("│ reference") == 1          # one row for every reference board
    assert len(proc.stdout.splitlines()) < 45
    # a model with two missing ops: each named, once per kernel-set row
    path = tmp_path / "two_custom.tflite"
    path.write_bytes(cases.two_custom_ops())
    proc = tfm_ci("inspect", str(path), "--no-arena", cache=shared_cache,
                  env={"COLUMNS": "200"})
    assert "TfmNopeA" in proc.stdout and "TfmNopeB" in proc.stdout
    assert "2 op(s) missing" in proc.stdout


def test_missing_ops_named_once_with_their_places() -> None:
    from tfm_ci.inspect import coverage, read_model
    from tfm_ci.platform import KernelSet
    from tfm_ci.render import missing_by_reason

    cov = coverage(read_model(cases.two_custom_ops()), KernelSet("reference", "reference kernels"))
    assert missing_by_reason(cov) == [
        "no kernel for CUSTOM op 'TfmNopeA' in kernel set 'reference' (subgraph 0 ops 0, 2)",
        "no kernel for CUSTOM op 'TfmNopeB' in kernel set 'reference' (subgraph 0 op 1)"]


def test_demo_at_80_columns(tmp_path: Path, shared_cache: Path) -> None:
    proc = tfm_ci("demo", "--board", "host", "--out", str(tmp_path), cache=shared_cache,
                  env=NARROW)
    assert proc.returncode == 0, proc.stdout
    assert not [line for line in proc.stdout.splitlines() if len(line) > 80], proc.stdout
    rows = [line.split() for line in proc.stdout.splitlines() if line.startswith(" host ")]
    # the demo models, and the digits classifier of the demo's dataset-accuracy run
    assert [r[1] for r in rows] == sorted([*demo_models.DEMO_MODELS, "digits"])
    assert "dataset accuracy" in proc.stdout
    for r in rows:      # board, model, status, flash, RAM, arena, instructions: one line each
        assert len(r) == 7 and r[2] == "PASS" and re.fullmatch(r"[\d,]+", r[3]), r
