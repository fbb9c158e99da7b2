"""`--executor dask` on a real scheduler and two worker processes on loopback: the same
records as the local executor (timings and paths aside), from ELFs shipped by the client."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import records, same_outcomes, tfm_ci, write_spec

pytestmark = pytest.mark.slow

SPEC = 'boards = ["host", "mps2-an386", "riscv32-virt"]\nmodels = ["models/*.tflite"]\n' \
       'kernel_sets = ["reference", "arm-dsp"]\ninvocations = 2\n'
DASK = str(Path(sys.executable).with_name("dask"))
# Fields that depend on the machine or the moment, not on the job's outcome.
TIMINGS_AND_PATHS = {"seconds", "spec", "model"}


def _stop(procs: list[subprocess.Popen]) -> None:
    for proc in reversed(procs):
        if proc.poll() is None:
            proc.terminate()
    for proc in reversed(procs):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def simulators_only(folder: Path) -> str:
    """A PATH with QEMU and the host C compiler (for the counting plugin), no cross
    compilers: workers must run the client's images, not build their own."""
    folder.mkdir()
    for program in ("qemu-system-arm", "qemu-system-riscv32", "gcc"):
        found = shutil.which(program)
        assert found, f"{program} is not installed"
        (folder / program).symlink_to(found)
    assert shutil.which("arm-none-eabi-gcc", path=str(folder)) is None
    return str(folder)


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """A dask scheduler on 127.0.0.1 (free port) with two single-threaded workers
    whose PATH has the simulators but no firmware compilers."""
    from distributed import Client

    info = tmp_path / "scheduler.json"
    env = {**os.environ, "TFM_CI_NO_AUTOLOAD": "1"}
    env.pop("TFM_CI_DISABLE_PLUGINS", None)
    worker_env = {**env, "PATH": simulators_only(tmp_path / "bin")}
    procs: list[subprocess.Popen] = []
    log = (tmp_path / "dask.log").open("w")
    try:
        procs.append(subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(info), "--idle-timeout", "600"],
            stdout=log, stderr=subprocess.STDOUT, env=env))
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            assert procs[0].poll() is None, (tmp_path / "dask.log").read_text()
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            procs.append(subprocess.Popen(
                [DASK, "worker", address, "--nthreads", "1", "--no-dashboard",
                 "--host", "127.0.0.1", "--local-directory", str(tmp_path / "workers")],
                stdout=log, stderr=subprocess.STDOUT, env=worker_env))
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)
        yield address
    finally:
        _stop(procs)
        log.close()


def test_dask_gives_the_local_records(project: Path, cache: Path, scheduler: str) -> None:
    spec = write_spec(project, SPEC)
    local, dask = project / "local", project / "dask"
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(local), cache=cache)
    assert proc.returncode == 0, proc.stdout[-2000:]
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(dask), "--executor", "dask",
                  "--scheduler", scheduler, cache=cache, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    a, b = records(local), records(dask)
    same_outcomes(a, b)
    ran = 0
    for jid, ra in a.items():
        rb = b[jid]
        assert ra["job"] == rb["job"]
        if ra["status"] == "SKIP" and ra["category"] == "kernel-set":
            assert ra == {**rb, "spec": ra["spec"], "model": ra["model"]}
            continue
        ran += 1
        # Workers ran the ELF the client built and shipped, not one of their own.
        assert "tfm-ci-worker-" in rb["build"]["elf"], rb["build"]["elf"]
        assert rb["build"]["key"] == ra["build"]["key"]
        for key in set(ra) | set(rb):
            if key in TIMINGS_AND_PATHS:
                continue
            va, vb = ra.get(key), rb.get(key)
            if key == "build":
                va, vb = ({k: v for k, v in x.items() if k not in ("elf", "seconds")}
                          for x in (va, vb))
            elif key == "simulation":
                # where the work folder was and whether the job or the worker cleaned it;
                # whole-run cycle classes include printing the host-time `cost=` values
                # (different digits, different instructions), unlike the marker spans
                va, vb = ({k: v for k, v in x.items() if k not in (
                    "seconds", "work_dir", "work_dir_removed", "command", "cycle_classes")}
                          for x in (va, vb))
            elif key == "transcript":   # the firmware's own cost lines follow host time
                va, vb = ([ln for ln in x.splitlines() if "cost=" not in ln] for x in (va, vb))
            assert va == vb, f"{jid}: {key}"
    assert ran >= 6


def test_unreachable_scheduler_is_a_clear_error(project: Path, cache: Path) -> None:
    spec = write_spec(project, 'boards = ["host"]\nmodels = ["models/sine.tflite"]\n')
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(project / "r"), "--executor",
                  "dask", "--scheduler", "tcp://127.0.0.1:1", cache=cache, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "cannot reach dask scheduler tcp://127.0.0.1:1" in proc.stdout


def test_scheduler_without_workers_is_a_clear_error(project: Path, cache: Path,
                                                     tmp_path: Path) -> None:
    info = tmp_path / "alone.json"
    proc = subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                             "--no-dashboard", "--scheduler-file", str(info)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        spec = write_spec(project, 'boards = ["host"]\nmodels = ["models/sine.tflite"]\n')
        out = tfm_ci("fleet", "run", str(spec), "--results", str(project / "r"), "--executor",
                     "dask", "--scheduler", address, cache=cache, timeout=120)
        assert out.returncode == 2, out.stdout + out.stderr
        assert f"dask scheduler {address} has no workers" in out.stdout
    finally:
        _stop([proc])
