"""The `tfm-ci` command end to end on the host board (tfm-runner under the native simulator)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tfm_ci.boards import repo_root
from tfm_ci.oracle import run_reference

pytestmark = pytest.mark.slow


def tfm_ci(*args: str, cache: Path, **env_vars: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TFM_CI_CACHE": str(cache), "COLUMNS": "200", "TFM_CI_NO_AUTOLOAD": "1"}
    env.pop("TFM_CI_DISABLE_PLUGINS", None)
    env.update(env_vars)
    return subprocess.run([sys.executable, "-m", "tfm_ci.cli", *args], capture_output=True,
                          text=True, timeout=600, cwd=repo_root(), env=env)


def test_boards_plugins_doctor(shared_cache: Path) -> None:
    out = tfm_ci("boards", cache=shared_cache)
    assert out.returncode == 0, out.stderr
    for name in ("host", "mps2-an386", "netduinoplus2", "riscv32-virt", "m4-256k"):
        assert name in out.stdout
    out = tfm_ci("plugins", cache=shared_cache)
    assert "tfm_arm" in out.stdout and "tfm_qemu" in out.stdout
    out = tfm_ci("doctor", cache=shared_cache)
    assert "arm-none-eabi-gcc" in out.stdout and "qemu" in out.stdout
    assert "enode" in out.stdout          # Renode's state is reported either way
    assert out.returncode == 0, out.stdout


def test_doctor_fails_when_nothing_is_usable(shared_cache: Path) -> None:
    out = tfm_ci("doctor", cache=shared_cache, TFM_CI_DISABLE_PLUGINS="tfm_host,tfm_arm,tfm_riscv")
    assert out.returncode == 1
    assert "no boards: no plugin supplied a board" in out.stdout and "all good" not in out.stdout
    out = tfm_ci("doctor", cache=shared_cache, PATH="/nonexistent")
    assert out.returncode == 1
    assert "no toolchain is installed" in out.stdout
    assert "compiler arm-none-eabi-gcc is not installed" in out.stdout


def test_inspect(sine_model: Path, shared_cache: Path) -> None:
    out = tfm_ci("inspect", str(sine_model), "--tensors", "--board", "host", cache=shared_cache)
    assert out.returncode == 0, out.stderr
    assert "FULLY_CONNECTED" in out.stdout and "complete" in out.stdout and "INT8" in out.stdout


def test_run_host_pass_and_json(tmp_path: Path, sine_model: Path, shared_cache: Path) -> None:
    x = np.array([[[-128]], [[0]], [[77]]], dtype=np.int8)     # 3 invocations
    np.save(tmp_path / "x.npy", x)
    record = tmp_path / "rec.json"
    out = tfm_ci("run", "--model", str(sine_model), "--board", "host", "--input",
                 str(tmp_path / "x.npy"), "--json", str(record), cache=shared_cache)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASS" in out.stdout
    rec = json.loads(record.read_text())
    assert rec["status"] == "PASS" and rec["invocations"] == 3
    assert rec["comparison"]["match"] is True
    # outputs in the record are TFLite's (checked independently here)
    ref = run_reference(sine_model.read_bytes(), [x], invocations=3)
    ours = [o["data"] for o in rec["outputs"]]
    assert ours == [r[0].ravel().tolist() for r in ref]
    assert rec["sizes"]["arena_used"] > 0 and rec["sizes"]["flash"] > 0


def test_run_host_failures(tmp_path: Path, sine_model: Path, shared_cache: Path) -> None:
    record = tmp_path / "rec.json"
    out = tfm_ci("run", "--model", str(sine_model), "--board", "host", "--limit", "arena=16B",
                 "--json", str(record), cache=shared_cache)
    assert out.returncode == 1
    rec = json.loads(record.read_text())
    assert rec["status"] == "FAIL" and rec["category"] == "budget"
    assert rec["reason"] == f"arena {rec['sizes']['arena_used']:,} B > 16 B (user limit)"
    assert rec["comparison"]["match"] is True          # measured data kept on failure
    np.save(tmp_path / "bad.npy", np.zeros((2, 2), dtype=np.int8))
    out = tfm_ci("run", "--model", str(sine_model), "--board", "host", "--input",
                 str(tmp_path / "bad.npy"), "--json", str(record), cache=shared_cache)
    assert out.returncode == 1
    rec = json.loads(record.read_text())
    assert rec["status"] == "ERROR" and rec["category"] == "inputs"
    out = tfm_ci("run", "--model", str(sine_model), "--board", "nope", cache=shared_cache)
    assert out.returncode != 0 and "unknown board 'nope'" in out.stdout


def test_demo_on_host(tmp_path: Path, shared_cache: Path) -> None:
    out = tfm_ci("demo", "--board", "host", "--model", "sine", "--model", "sine_float",
                 "--out", str(tmp_path), "--json", str(tmp_path / "demo.json"), cache=shared_cache)
    records = json.loads((tmp_path / "demo.json").read_text())
    assert [(r["board"], Path(r["model"]).stem) for r in records] == [
        ("host", "sine"), ("host", "sine_float")]
    assert all(r["status"] == "PASS" for r in records), [r["reason"] for r in records]
    assert out.returncode == 0 and "sine_float.tflite" in out.stdout


def test_run_removes_the_work_folder_unless_kept(tmp_path: Path, sine_model: Path,
                                                 shared_cache: Path) -> None:
    build = tmp_path / "b"
    for extra, kept in (((), False), (("--keep",), True)):
        record = tmp_path / f"rec{kept}.json"
        out = tfm_ci("run", "--model", str(sine_model), "--board", "host", "--json",
                     str(record), *extra, cache=shared_cache, TFM_CI_BUILD_DIR=str(build))
        assert out.returncode == 0, out.stdout + out.stderr
        work = Path(json.loads(record.read_text())["simulation"]["work_dir"])
        assert work.parent == build / "jobs"
        assert work.is_dir() is kept
