"""A fleet run killed mid-way (SIGKILL: no chance to clean up) loses no finished record,
leaves no half-written one, and the rerun completes it without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

from tfm_ci.boards import repo_root

from .conftest import records, same_outcomes, tfm_ci, write_spec

pytestmark = pytest.mark.slow

SPEC = 'boards = ["mps2-an386", "riscv32-virt", "host"]\nmodels = ["models/*.tflite"]\n' \
       "invocations = 3\n"


def start(spec: Path, out: Path, cache: Path, executor: str = "local",
          token: str = "") -> subprocess.Popen:
    env = {**os.environ, "TFM_CI_CACHE": str(cache), "TFM_CI_NO_AUTOLOAD": "1",
           TOKEN: token}
    env.pop("TFM_CI_DISABLE_PLUGINS", None)
    return subprocess.Popen([sys.executable, "-m", "tfm_ci.cli", "fleet", "run", str(spec),
                             "--results", str(out), "-j", "1", "--executor", executor],
                            cwd=repo_root(), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


TOKEN = "TFM_TEST_KILLED_RUN"


def left_behind(token: str) -> list[str]:
    """Processes of the run marked with `token` (inherited by every process it started:
    Dask workers, simulators) that are still alive."""
    alive = []
    for proc in psutil.process_iter(["pid", "name"]):
        try:
            if proc.environ().get(TOKEN) == token and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(f"{proc.pid} {' '.join(proc.cmdline())[:200]}")
        except psutil.Error:
            continue
    return alive


def wait_for_records(out: Path, n: int, proc: subprocess.Popen, timeout: float = 300) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = len(list((out / "records").glob("*.json"))) if (out / "records").is_dir() else 0
        if found >= n:
            return found
        time.sleep(0.01)
    return -1


@pytest.mark.parametrize(("sig", "executor"), [(signal.SIGKILL, "local"),
                                               (signal.SIGTERM, "local"),
                                               (signal.SIGKILL, "dask"),
                                               (signal.SIGTERM, "dask")])
def test_killed_run_resumes(project: Path, cache: Path, sig: signal.Signals,
                            executor: str) -> None:
    spec = write_spec(project, SPEC)
    total = 3 * len(list((project / "models").glob("*.tflite")))
    # Warm the build cache first, so the kill lands among simulations.
    warm = tfm_ci("fleet", "run", str(spec), "--results", str(project / "warm"), cache=cache)
    assert warm.returncode == 0, warm.stdout[-2000:]
    out = project / "results"
    token = uuid.uuid4().hex
    proc = start(spec, out, cache, executor, token)
    try:
        assert wait_for_records(out, 2, proc) >= 2, "the run ended before it could be killed"
        assert left_behind(token), "the run's processes are not found by their token"
        proc.send_signal(sig)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=60)
    if sig == signal.SIGTERM:
        assert proc.returncode == 130
    # Nothing it started outlives it: no simulator spinning on with nobody to read its
    # console or enforce its timeout, no Dask worker waiting for its nanny.
    deadline = time.monotonic() + 30
    while (alive := left_behind(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not alive, alive
    before = records(out)           # every file there parses: none is half-written
    assert 2 <= len(before) < total, f"killed too late: {len(before)} of {total}"
    manifest = json.loads((out / "fleet.json").read_text())
    assert manifest["finished"] is None and len(manifest["jobs"]) == total

    # A stale temp file and a truncated record, as a crash between write and rename
    # or a broken disk might leave: the first is removed, the second's job runs again.
    (out / "records" / ".x.json.abc.tmp").write_text('{"job": ')
    broken = sorted(before)[0]
    (out / "records" / f"{broken}.json").write_text('{"job": {"id"')
    proc2 = tfm_ci("fleet", "run", str(spec), "--results", str(out), cache=cache)
    assert proc2.returncode == 0, proc2.stdout[-3000:]
    assert f"{total - len(before) + 1} run, {len(before) - 1} reused" in proc2.stdout
    after = records(out)
    assert len(after) == total
    assert not list((out / "records").glob(".*"))
    for jid in before:
        if jid != broken:
            assert after[jid] == before[jid]        # reused as it was
    same_outcomes(after, records(project / "warm"))
