"""The op-test harness plumbing (blob, transcript, comparison), with a fake runner.

The fake runner speaks the runner's command line and protocol but computes outputs with
TFLite, optionally corrupted: check_model must pass the honest one and catch the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tests.ops import harness
from tfm_ci.modelgen import ModelBuilder

FAKE_RUNNER = '''#!{python}
import os, sys
import numpy as np
sys.path.insert(0, {repo!r})
from tfm_ci.oracle import input_specs, run_reference
args = sys.argv[1:]
n = int(args[args.index("--invocations") + 1])
model = open(args[-2], "rb").read()
blob = open(args[-1], "rb").read()
specs = input_specs(model)
per_inv, pos = [], 0
for _ in range(n):
    arrays = []
    for s in specs:
        arrays.append(np.frombuffer(blob, s.dtype, int(np.prod(s.shape)), pos).reshape(s.shape))
        pos += s.nbytes
    per_inv.append(arrays)
if pos != len(blob):
    print("TFM BEGIN v1"); print("TFM ERROR BAD_INPUT blob size"); print("TFM END FAIL")
    sys.exit(2)
seq = [np.stack(a) for a in zip(*per_inv)] if n > 1 else per_inv[0]
outs = run_reference(model, seq, invocations=n)
mode = os.environ.get("FAKE_MODE", "")
print("TFM BEGIN v1")
for k, arrays in enumerate(outs):
    print(f"TFM INVOKE {{k}} cost=1")
    for i, a in enumerate(arrays):
        a = a.copy()
        if mode == "corrupt" and k == n - 1:
            a.reshape(-1)[-1] += 1
        type_name = {{"int8": "INT8", "float32": "FLOAT32", "int16": "INT16"}}[a.dtype.name]
        shape = "x".join(map(str, a.shape)) or "scalar"
        print(f"TFM OUTPUT {{k}} {{i}} {{type_name}} {{shape}} {{a.tobytes().hex()}}")
if mode == "error":
    print("TFM ERROR UNSUPPORTED_OP no kernel for RELU")
    print("TFM END FAIL")
    sys.exit(1)
print("TFM END PASS")
'''


@pytest.fixture
def fake_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "fake-runner"
    script.write_text(FAKE_RUNNER.format(python=sys.executable, repo=str(harness.REPO)))
    script.chmod(0o755)
    monkeypatch.setattr(harness, "host_runner", lambda: script)
    return script


def _model() -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", [2, 3], "int8", scale=0.1, zero_point=4)
    f = b.tensor("f", [5], "float32")
    y = b.tensor("y", [2, 3], "int8", scale=0.1, zero_point=4)
    g = b.tensor("g", [5], "float32")
    b.op("RELU", [x], [y])
    b.op("TANH", [f], [g])
    b.inputs([x, f])
    b.outputs([y, g])
    return b.build()


def test_inputs_blob_layout() -> None:
    x = np.arange(6, dtype=np.int8).reshape(2, 3)
    f = np.linspace(0, 1, 5, dtype=np.float32)
    blob = harness.inputs_blob(_model(), [[x, f], [x + 1, f * 2]])
    assert blob == x.tobytes() + f.tobytes() + (x + 1).tobytes() + (f * 2).tobytes()
    with pytest.raises(harness.HarnessError, match="does not fit"):
        harness.inputs_blob(_model(), [[x, f[:4]]])


def test_check_model_passes_an_honest_runner(fake_runner: Path) -> None:
    t = harness.check_model(_model(), seed=3)
    assert t.passed and len(t.outputs_of(0)) == 2
    t = harness.check_model(_model(), invocations=3)
    assert sorted(t.outputs) == [0, 1, 2]


def test_check_model_reports_mismatches(fake_runner: Path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_MODE", "corrupt")
    with pytest.raises(harness.HarnessError) as info:
        harness.check_model(_model(), invocations=2)
    text = str(info.value)
    assert "model ops: RELU, TANH" in text
    assert "invocation 1 output 0: 1 of 6 elements differ" in text
    assert "[1, 2]: ours=" in text
    assert "invocation 0" not in text


def test_check_model_reports_runner_errors(fake_runner: Path, monkeypatch) -> None:
    monkeypatch.setenv("FAKE_MODE", "error")
    with pytest.raises(harness.HarnessError, match="UNSUPPORTED_OP no kernel for RELU"):
        harness.check_model(_model())


def test_compare_output_rules() -> None:
    a = np.array([1.0, 2.0, np.nan], np.float32)
    assert harness.compare_output(a, a.copy(), 1e-5) is None
    assert harness.compare_output(a + 1e-6, a, 1e-5) is None
    assert "1 of 3" in harness.compare_output(a + np.array([0, 1e-3, 0], np.float32), a, 1e-5)
    i = np.array([[1, 2]], np.int8)
    assert "int16" in harness.compare_output(i.astype(np.int16), i, 0)
    assert harness.compare_output(np.int8(3).reshape(()), np.int8(4).reshape(()), 0)
