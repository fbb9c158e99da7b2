"""benchmarks/kernels.py's table on one small MLPerf model and board, and the yardstick
helpers it uses (targets, TFLM per core, interpreter overhead) on hand-made records."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfm_ci.job import JobRecord

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import yardstick  # noqa: E402  (a script folder, not a package)


def _record(invocations: list[int], ops: list[tuple[int, int, int]]) -> JobRecord:
    return JobRecord(spec={}, instructions={
        "unit": "instructions", "invocations": invocations,
        "ops": [{"invocation": i, "subgraph": sg, "op_index": k, "op_name": "X",
                 "instructions": n} for k, (i, sg, n) in enumerate(ops)]})


def test_interpreter_overhead_of_the_costliest_invocation() -> None:
    rec = _record([1000, 1500], [(0, 0, 900), (1, 0, 600), (1, 0, 800), (1, 1, 300)])
    # invocation 1 is the costliest; the subgraph-1 op nests inside a subgraph-0 span
    assert yardstick.interpreter_overhead(rec) == 1500 - 600 - 800
    assert yardstick.interpreter_overhead(_record([1000], [])) is None
    assert yardstick.interpreter_overhead(_record([1000], [(0, -1, 10)])) is None


def test_same_outputs_exact_for_integers_tolerant_for_float() -> None:
    import kernels  # benchmarks/ is on sys.path (above), a script folder

    def rec(dtype: str, data: list) -> JobRecord:
        return JobRecord(spec={}, outputs=[{"dtype": dtype, "data": data}])

    assert kernels.same_outputs(rec("int8", [1, 2]), rec("int8", [1, 2]))
    assert not kernels.same_outputs(rec("int8", [1, 2]), rec("int8", [1, 3]))
    assert kernels.same_outputs(rec("float32", [1.0, 2.0]), rec("float32", [1.0, 2.0 + 1e-6]))
    assert not kernels.same_outputs(rec("float32", [1.0, 2.0]), rec("float32", [1.0, 2.01]))
    assert not kernels.same_outputs(rec("float32", [1.0]), rec("float32", [1.0, 2.0]))


def test_targets_and_tflm_per_core() -> None:
    t = yardstick.target("mps2-an386", "arm-dsp", "keyword_dscnn")
    assert t is not None and t.limit(None) == 5_200_000 and t.describe() == "<=5.2M"
    assert yardstick.target("mps3-an547", "arm-mve", "anomaly_ae").limit(None) == 105_000
    opt = yardstick.target("riscv32-virt", "opt", "resnet8")
    assert opt is not None and opt.limit(1_000_000) == 600_000 and opt.limit(None) is None
    assert yardstick.target("mps2-an386", "opt", "resnet8") is None
    assert yardstick.target("mps2-an386", "reference", "resnet8") is None
    m55 = yardstick.tflm("mps3-an547", "resnet8")
    assert (m55.reference, m55.cmsis_nn, m55.arena_cmsis_nn) == (97_400_000, 4_910_000, 55_028)
    assert yardstick.tflm("mps2-an386", "person_detect").arena_cmsis_nn == 82_308
    assert yardstick.tflm("mps2-an500", "anomaly_ae").cmsis_nn == 583_000
    assert yardstick.tflm("riscv32-virt", "resnet8") is None
    # every MLPerf model has TFLM figures on all three cores
    for board in ("mps2-an386", "mps3-an547", "mps2-an500"):
        assert set(yardstick.MLPERF_MACS) <= set(yardstick.TFLM_BY_BOARD[board])


def _kernels(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "benchmarks" / "kernels.py"), *args],
                          capture_output=True, text=True, timeout=600, cwd=REPO,
                          env={**os.environ, "COLUMNS": "250"})


@pytest.mark.slow
def test_kernels_table_on_the_autoencoder(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    proc = _kernels("--board", "mps2-an386", "--set", "arm-dsp", "--model", "anomaly_ae",
                    "--by-op", "--json", str(out))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "anomaly_ae" in proc.stdout and "<=0.5M" in proc.stdout
    rows = {r["kernel_set"]: r for r in json.loads(out.read_text())}
    assert set(rows) == {"reference", "arm-dsp"}
    ref, dsp = rows["reference"], rows["arm-dsp"]
    assert ref["status"] == dsp["status"] == "PASS"
    assert ref["tflm"] == 1_950_000 and ref["tflm_kind"] == "ref" and ref["tflm_arena"] == 2_260
    assert dsp["tflm"] == 580_000 and dsp["tflm_arena"] == 2_580
    assert dsp["reference"] == ref["instructions"] and dsp["instructions"] > 0
    assert dsp["target_limit"] == 500_000
    assert dsp["met"] is (dsp["instructions"] <= 500_000)
    assert ref["met"] is None and ref["target"] == ""
    assert f"targets met: {int(dsp['met'])} of 1" in proc.stdout
    over = sum(r["arena"] > r["tflm_arena"] for r in rows.values())
    assert f"arena above TFLM's on the same core: {over} of 2" in proc.stdout
    for row in rows.values():
        assert 0 < row["overhead"] < row["instructions"]
        assert row["overhead_share"] == row["overhead"] / row["instructions"]
        assert row["flash"] > row["model_bytes"] > 0 and row["arena"] > 0
        # the autoencoder is ten FULLY_CONNECTED ops: they and the overhead are the invoke
        assert list(row["by_op"]) == ["FULLY_CONNECTED"]
        assert row["by_op"]["FULLY_CONNECTED"] + row["overhead"] == row["instructions"]
    assert "Instructions per operator type" in proc.stdout and "FULLY_CONNECTED" in proc.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--board", "mps2-an386", "--model", "nosuch"), "unknown model(s) nosuch (known: "),
    (("--board", "nosuch"), "--board: unknown board 'nosuch' (known: "),
    (("--set", "fast"), "--set: unknown kernel set(s) fast (known: reference, opt"),
])
def test_bad_options_named(args: tuple[str, ...], message: str) -> None:
    proc = _kernels(*args)
    assert proc.returncode == 2, proc.stdout[-1000:] + proc.stderr[-1000:]
    assert message in proc.stderr and "Traceback" not in proc.stderr
