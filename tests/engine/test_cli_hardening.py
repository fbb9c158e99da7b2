"""Bad cases through the real `tfm-ci` command: exit code, exact status/category/message
in the record and on the terminal, and never a Python traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

from tests.hardening import cases
from tests.models.shared import shared_models_dir
from tfm_ci.boards import repo_root

pytestmark = pytest.mark.slow


def tfm_ci(*args: str, cache: Path, env: dict[str, str] | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess:
    full = {**os.environ, "TFM_CI_CACHE": str(cache), "TFM_CI_NO_AUTOLOAD": "1",
            **(env or {})}
    for name in ("TFM_CI_DISABLE_PLUGINS", "TFM_CI_DEBUG"):
        full.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "tfm_ci.cli", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=repo_root(), env=full)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
    return proc


def run_bad(tmp_path: Path, cache: Path, model: bytes | Path, *args: str,
            board: str = "host", **kw) -> tuple[subprocess.CompletedProcess, dict]:
    """`tfm-ci run` with a --json record; returns the process and the record."""
    if isinstance(model, bytes):
        path = tmp_path / "model.tflite"
        path.write_bytes(model)
    else:
        path = model
    record = tmp_path / "rec.json"
    proc = tfm_ci("run", "--model", str(path), "--board", board, "--json", str(record), *args,
                  cache=cache, **kw)
    rec = json.loads(record.read_text(), parse_constant=_refuse)
    # the reason is printed whole on one line too
    line = f"{rec['status']} ({rec['category']}): {rec['reason']}"
    assert rec["status"] == "PASS" or line in proc.stdout, proc.stdout
    return proc, rec


def _refuse(name: str) -> None:
    raise AssertionError(f"record holds the non-JSON token {name}")


def _npy(tmp_path: Path, array: np.ndarray, name: str = "x.npy") -> str:
    np.save(tmp_path / name, array)
    return str(tmp_path / name)


# -- item 1: a WHILE that never ends -----------------------------------------------------------
def test_endless_while_on_host_fails_naming_the_op(tmp_path: Path, shared_cache: Path) -> None:
    proc, rec = run_bad(tmp_path, shared_cache, cases.endless_while(), "--timeout", "20")
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("FAIL", "firmware")
    assert rec["reason"] == ("ERROR op 0 (WHILE): loop still running after 100000 iterations "
                             "(TFM_WHILE_MAX_ITERATIONS)")
    assert rec["seconds"] < 20


def test_endless_while_on_qemu_times_out_in_time(tmp_path: Path, shared_cache: Path) -> None:
    """On a simulated core the bounded loop takes longer than 2 s: TIMEOUT, about on time,
    with the output cut mid-line handled."""
    # build once outside the timed run (the ELF is cached by content)
    run_bad(tmp_path, shared_cache, cases.endless_while(), "--timeout", "2",
            board="mps2-an386")
    proc, rec = run_bad(tmp_path, shared_cache, cases.endless_while(), "--timeout", "2",
                        board="mps2-an386")
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("TIMEOUT", "timeout")
    assert re.fullmatch(r"no END after 2 s \(\d+ lines of output\)", rec["reason"])
    assert rec["simulation"]["seconds"] < 10


# -- item 2: values that do not fit the model's input type -------------------------------------
@pytest.mark.parametrize(("dtype", "array", "message"), [
    ("int8", np.array([[200, 1, 2, 3]], np.uint8),
     "value 200 at index (0, 0) is outside the model input's int8 range [-128, 127]"),
    ("int8", np.array([[1, 65535, 2, 3]], np.uint16),
     "value 65535 at index (0, 1) is outside the model input's int8 range [-128, 127]"),
    ("float32", np.array([[0.5, 1e300, 0, 0]]),
     "value 1e+300 at index (0, 1) does not fit the model input's float32 (magnitude "
     "1.4013e-45 to 3.40282e+38)"),
    ("int8", np.array([[0.5, 1, 2, 3]]),
     "value 0.5 at index (0, 0) is not an integer; the model input is int8"),
])
def test_out_of_range_inputs_are_refused(tmp_path: Path, shared_cache: Path, dtype: str,
                                         array: np.ndarray, message: str) -> None:
    path = _npy(tmp_path, array)
    proc, rec = run_bad(tmp_path, shared_cache, cases.relu_model(dtype), "--input", path)
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "inputs")
    assert rec["reason"] == f"input 0 (x): file {path} {message}"


# -- item 5: models and files that used to raise ------------------------------------------------
SUPPORTED = "FLOAT32, INT32, UINT8, INT64, BOOL, INT16, INT8, FLOAT64, UINT32, UINT16"


@pytest.mark.parametrize(("model", "message"), [
    (cases.no_subgraphs, "model has no subgraphs (nothing to run)"),
    (lambda: cases.io_type("input", schema.TensorType.STRING),
     f"model input 0 'x' has type STRING, which tfm-ci cannot pass as a model input "
     f"(supported: {SUPPORTED})"),
    (lambda: cases.io_type("output", schema.TensorType.FLOAT16),
     f"model output 0 'y' has type FLOAT16, which tfm-ci cannot pass as a model output "
     f"(supported: {SUPPORTED})"),
    (cases.unwritten_output,
     "subgraph 0 output tensor 2 'orphan' is written by no operator (it would hold "
     "uninitialised memory)"),
], ids=["no-subgraphs", "string-input", "float16-output", "unwritten-output"])
def test_bad_models_are_refused(tmp_path: Path, shared_cache: Path, model, message: str) -> None:
    proc, rec = run_bad(tmp_path, shared_cache, model())
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "model")
    assert rec["reason"] == f"{tmp_path / 'model.tflite'}: {message}"


def test_huge_shape_is_refused_before_any_allocation(tmp_path: Path, shared_cache: Path) -> None:
    proc, rec = run_bad(tmp_path, shared_cache, cases.relu_model("int8", (65536, 65536)))
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "inputs")
    assert rec["reason"] == ("inputs need 4,294,967,296 B (1 invocation(s) of 4,294,967,296 B), "
                             "the board holds 67,108,864 B (inputs_capacity)")


def test_structured_npy_and_npz_are_refused(tmp_path: Path, shared_cache: Path) -> None:
    path = _npy(tmp_path, np.zeros((1, 4), dtype=[("a", "i1"), ("b", "f4")]))
    _, rec = run_bad(tmp_path, shared_cache, cases.relu_model(), "--input", path)
    assert (rec["status"], rec["category"]) == ("ERROR", "inputs")
    assert rec["reason"] == (f"input 0 (x): file {path} has dtype [('a', 'i1'), ('b', '<f4')], "
                             "not a plain number or bool array")
    npz = tmp_path / "x.npz"
    np.savez(npz, x=np.zeros((1, 4), np.int8))
    _, rec = run_bad(tmp_path, shared_cache, cases.relu_model(), "--input", str(npz))
    assert (rec["status"], rec["category"]) == ("ERROR", "inputs")
    assert rec["reason"] == (f"input 0 (x): {npz} is an .npz archive; give one .npy file per "
                             "model input (numpy.save)")


def test_cache_that_is_a_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache-file"
    cache.write_text("not a folder")
    proc, rec = run_bad(tmp_path, cache, cases.relu_model())
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "config")
    assert rec["reason"] == f"build cache (TFM_CI_CACHE) {cache} is not a directory"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_timeout_must_be_finite(tmp_path: Path, shared_cache: Path, value: str) -> None:
    model = tmp_path / "m.tflite"
    model.write_bytes(cases.relu_model())
    proc = tfm_ci("run", "--model", str(model), "--board", "host", "--timeout", value,
                  cache=shared_cache)
    assert proc.returncode == 2
    assert (f"argument --timeout: '{value}': a timeout must be a finite number of seconds > 0"
            in proc.stderr)


def test_demo_unknown_model(tmp_path: Path, shared_cache: Path) -> None:
    proc = tfm_ci("demo", "--model", "nosuch", "--board", "host", "--out", str(tmp_path),
                  cache=shared_cache)
    assert proc.returncode == 2
    assert "error: unknown demo model(s) nosuch (known: sine, sine_float, kws, tiny_conv)" \
        in proc.stdout


# -- item 4: outputs that cannot be written are refused before the job runs --------------------
def test_unwritable_json_is_refused_before_running(tmp_path: Path, shared_cache: Path) -> None:
    model = tmp_path / "m.tflite"
    model.write_bytes(cases.relu_model())
    # A path longer than any console line, with rich markup in it: the error is one
    # line (CI logs are grepped) and the path is printed as it is.
    folder = tmp_path / ("a-long-folder-name-" * 8) / "[bold]x"
    folder.mkdir(parents=True)
    blocker = folder / "file"
    blocker.write_text("")
    proc = tfm_ci("run", "--model", str(model), "--board", "host", "--json",
                  str(blocker / "rec.json"), cache=shared_cache)
    assert proc.returncode == 2
    assert f"error: --json file's folder {blocker} is not a directory\n" in proc.stdout
    assert "running" not in proc.stdout and "PASS" not in proc.stdout
    proc = tfm_ci("demo", "--board", "host", "--out", str(blocker / "demo"), cache=shared_cache)
    assert proc.returncode == 2
    assert f"error: --out folder {blocker / 'demo'} cannot be created: Not a directory" \
        in proc.stdout


# -- item 7: the whole arena need, not the failing allocation ----------------------------------
def test_arena_zero_reports_the_models_need(tmp_path: Path, shared_cache: Path) -> None:
    model = shared_models_dir() / "hello_world" / "hello_world_int8.tflite"
    proc, rec = run_bad(tmp_path, shared_cache, model, "--arena", "0", board="mps2-an386")
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("FAIL", "firmware")
    assert rec["reason"] == "ARENA_TOO_SMALL arena too small: needs 632 bytes, has 0 needed=632"
    assert rec["sizes"]["arena_used"] == 632


# -- minor ------------------------------------------------------------------------------------
def test_invocations_with_input_files_is_refused(tmp_path: Path, shared_cache: Path) -> None:
    path = _npy(tmp_path, np.zeros((1, 4), np.int8))
    proc, rec = run_bad(tmp_path, shared_cache, cases.relu_model(), "--input", path,
                        "--invocations", "3")
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "inputs")
    assert rec["reason"] == ("invocations=3 applies to random inputs only: with input files the "
                             "number of invocations is their leading axis")


@pytest.mark.parametrize(("limit", "shown"), [("instructions=1", "instructions=1"),
                                             ("stack=1KiB", "stack=1024")])
def test_unmeasurable_limit_on_host_is_refused(tmp_path: Path, shared_cache: Path, limit: str,
                                               shown: str) -> None:
    proc, rec = run_bad(tmp_path, shared_cache, cases.relu_model(), "--limit", limit)
    assert proc.returncode == 1
    assert (rec["status"], rec["category"]) == ("ERROR", "config")
    kind = shown.split("=")[0]
    assert rec["reason"] == (f"limit {shown} cannot be checked on host: the native simulator "
                             f"measures no {kind}")


def test_nan_outputs_make_strict_json(tmp_path: Path, shared_cache: Path) -> None:
    path = _npy(tmp_path, np.array([[np.nan, np.inf, -np.inf, 1.5]], np.float32))
    proc, rec = run_bad(tmp_path, shared_cache, cases.add_zero_float(), "--input", path)
    assert proc.returncode == 0 and rec["status"] == "PASS"
    big = float(np.finfo(np.float32).max)   # ADD clamps to the float range, as TFLite does
    assert rec["outputs"][0]["data"] == ["NaN", big, -big, 1.5]


def test_json_safe_names_non_finite_floats() -> None:
    from tfm_ci.jsonsafe import dumps

    text = dumps({"a": [float("nan"), float("inf"), -float("inf"), 2.5], "b": (1,)})
    assert text == '{"a": ["NaN", "Infinity", "-Infinity", 2.5], "b": [1]}'


def test_model_file_size_is_capped(tmp_path: Path) -> None:
    from tfm_ci.inspect import ModelError
    from tfm_ci.modelcheck import read_model_file

    path = tmp_path / "m.tflite"
    path.write_bytes(b"x" * 101)
    assert read_model_file(path, max_bytes=101) == b"x" * 101
    with pytest.raises(ModelError, match=r"^model file is larger than 100 bytes"):
        read_model_file(path, max_bytes=100)


def test_record_survives_an_output_that_fails_late(tmp_path: Path, monkeypatch) -> None:
    """If writing the record fails after the job ran, it is kept elsewhere and the path said."""
    from rich.console import Console

    from tfm_ci import outputs

    monkeypatch.setattr(outputs, "repo_root", lambda: tmp_path)
    con = Console(record=True, width=200)
    target = tmp_path / "gone" / "rec.json"          # folder missing: the write fails
    assert outputs.save_output(target, '{"status": "PASS"}', "record", con) is False
    kept = list((tmp_path / "build" / "records").glob("*.json"))
    assert len(kept) == 1 and kept[0].read_text() == '{"status": "PASS"}'
    text = con.export_text()
    assert f"cannot write the record to {target}: No such file or directory; kept in {kept[0]}" \
        in text


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), 0.0])
def test_job_spec_timeout_must_be_finite(timeout: float, registry) -> None:
    """Specs from fleets and Robot skip the CLI's check: run_job refuses them itself."""
    from tfm_ci.job import JobSpec, Status, run_job

    rec = run_job(JobSpec(model="unused.tflite", board="host", timeout=timeout), registry)
    assert (rec.status, rec.category) == (Status.ERROR, "config")
    assert rec.reason == f"timeout must be a finite number of seconds > 0, got {timeout!r}"
    assert json.loads(rec.to_json())["spec"]["timeout"] in ("NaN", "Infinity", 0.0)
