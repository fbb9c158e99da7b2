"""A new simulator backend is one plugin module: the one shown in docs/simulators.md,
installed as an entry-point plugin, runs a real job (real runner, real verdict)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.pluginmanager import make_plugin_manager
from tfm_ci.registry import Registry

from .conftest import write_board

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulators.md"

HOST_SUB = '''
name = "{name}"
platform = "host"
core = "host"
ports = ["host"]
app = "runner"
[budget]
flash = "64MiB"
ram = "64MiB"
[uart]
kind = "stdout"
[simulators.subprocess]
{settings}
'''


def backend_source() -> str:
    text = DOC.read_text()
    match = re.search(r"<!-- minimal-backend:begin -->\n```python\n(.*?)```\n"
                      r"<!-- minimal-backend:end -->", text, re.S)
    assert match, "docs/simulators.md lost its minimal backend"
    return match.group(1)


@pytest.fixture
def registry_with_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Registry:
    (tmp_path / "tfm_subprocess.py").write_text(backend_source())
    info = tmp_path / "tfm_subprocess-1.0.dist-info"
    info.mkdir()
    info.joinpath("METADATA").write_text("Metadata-Version: 2.1\nName: tfm-subprocess\n"
                                         "Version: 1.0\n")
    info.joinpath("entry_points.txt").write_text("[tfm_ci]\nsubprocess = tfm_subprocess\n")
    boards = tmp_path / "boards"
    write_board(boards / "host-sub", HOST_SUB.format(name="host-sub", settings="args = []"))
    write_board(boards / "host-args", HOST_SUB.format(name="host-args",
                                                      settings='args = ["--no-such-flag"]'))
    write_board(boards / "host-bad", HOST_SUB.format(name="host-bad", settings='colour = "red"'))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("TFM_CI_PLATFORMS_PATH", str(boards))
    monkeypatch.delenv("TFM_CI_NO_AUTOLOAD", raising=False)
    monkeypatch.delenv("TFM_CI_DISABLE_PLUGINS", raising=False)
    yield Registry.load(make_plugin_manager())
    sys.modules.pop("tfm_subprocess", None)


def test_minimal_backend_runs_a_real_job(registry_with_backend: Registry, sine_model: Path,
                                         shared_cache: Path) -> None:
    reg = registry_with_backend
    assert reg.pm.sources["subprocess"] == "tfm-subprocess 1.0"
    assert "subprocess" in reg.simulators
    rec = run_job(JobSpec(model=str(sine_model), board="host-sub", simulator="subprocess",
                          invocations=3, cache_dir=str(shared_cache)), reg)
    assert rec.status is Status.PASS, (rec.reason, rec.errors)
    assert rec.simulator == "subprocess" and rec.comparison["match"] is True
    assert "--invocations" in rec.simulation["command"] and "3" in rec.simulation["command"]
    # The verdict path is real: a runner that refuses its arguments is a simulator error.
    bad = run_job(JobSpec(model=str(sine_model), board="host-args", simulator="subprocess",
                          cache_dir=str(shared_cache)), reg)
    assert bad.status is Status.ERROR and bad.category == "simulator", bad.reason
    assert bad.reason.startswith("tfm-runner exited with status")


def test_minimal_backend_refuses_bad_settings(registry_with_backend: Registry) -> None:
    reg = registry_with_backend
    assert reg.refused["host-bad"] == "board host-bad: [simulators.subprocess] colour: unknown key"
    assert "host-sub" in reg.boards
