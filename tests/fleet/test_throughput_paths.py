"""The warm paths of a fleet job: the oracle cache, the one-thread process reader,
simulator slots with spare job threads, lazily fed executors, the memoised
image hand-over and record writes. Each is checked to give what the plain path
gives, and to recompute rather than trust what it cannot vouch for."""

from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tfm_ci import demo_models, oracle_cache, process, simrun, verify
from tfm_ci.fleet import executors, images, results
from tfm_ci.fleet.worker import Task
from tfm_ci.job import JobRecord, JobSpec, Status

PY = sys.executable


# -- oracle cache -------------------------------------------------------------------------
def _inputs(seed: int, model: bytes, n: int = 2) -> list[list[np.ndarray]]:
    from tfm_ci.oracle import random_inputs

    rng = np.random.default_rng(seed)
    return [random_inputs(model, rng) for _ in range(n)]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the real TFLite runs behind reference_outputs."""
    calls: list[int] = []
    real = verify.run_reference

    def run_reference(*a: Any, **kw: Any) -> Any:
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(verify, "run_reference", run_reference)
    return calls


def test_oracle_cache_hits_only_the_same_model_and_inputs(tmp_path: Path,
                                                          counted: list[int]) -> None:
    sine, kws = demo_models.build("sine"), demo_models.build("kws")
    inv = _inputs(0, sine)
    direct = verify.reference_outputs(sine, inv)
    assert len(counted) == 1
    first = verify.reference_outputs(sine, inv, tmp_path)
    second = verify.reference_outputs(sine, inv, tmp_path)
    assert len(counted) == 2                       # the second came from the cache
    for got in (first, second):
        assert [[a.dtype for a in o] for o in got] == [[a.dtype for a in o] for o in direct]
        for a, b in zip([x for o in got for x in o], [x for o in direct for x in o],
                        strict=True):
            assert a.shape == b.shape and np.array_equal(a, b)
    assert len(list((tmp_path / "oracle").rglob("*.bin"))) == 1
    # Another input value, another invocation count, another model: each runs TFLite.
    changed = [[a.copy() for a in i] for i in inv]
    changed[1][0].flat[0] ^= 1
    verify.reference_outputs(sine, changed, tmp_path)
    verify.reference_outputs(sine, inv[:1], tmp_path)
    verify.reference_outputs(kws, _inputs(0, kws), tmp_path)
    assert len(counted) == 5
    # A model differing in one byte (here: its description) is another entry too.
    other = bytearray(sine)
    at = bytes(other).find(b"sine")
    if at >= 0:
        other[at] ^= 0x20
        verify.reference_outputs(bytes(other), inv, tmp_path)
        assert len(counted) == 6


@pytest.mark.parametrize("damage", ["flip-payload", "truncate", "garbage", "other-key"])
def test_a_damaged_oracle_entry_is_recomputed(tmp_path: Path, counted: list[int],
                                              damage: str) -> None:
    sine = demo_models.build("sine")
    inv = _inputs(1, sine)
    want = verify.reference_outputs(sine, inv, tmp_path)
    [entry] = list((tmp_path / "oracle").rglob("*.bin"))
    data = bytearray(entry.read_bytes())
    if damage == "flip-payload":
        data[-1] ^= 0xFF                   # a wrong output value, checksum no longer holds
    elif damage == "truncate":
        del data[-2:]
    elif damage == "garbage":
        data = bytearray(b"not an oracle entry")
    else:                                  # an intact entry of other inputs, renamed
        other = _inputs(2, sine)
        verify.reference_outputs(sine, other, tmp_path)
        key = oracle_cache.cache_key(verify.ORACLE, "ai-edge-litert", sine, 2, other)
        data = bytearray(oracle_cache.entry_path(tmp_path, key).read_bytes())
    entry.write_bytes(bytes(data))
    before = len(counted)
    got = verify.reference_outputs(sine, inv, tmp_path)
    assert len(counted) == before + 1               # not trusted: TFLite ran again
    assert all(np.array_equal(a, b) for o, p in zip(got, want, strict=True)
               for a, b in zip(o, p, strict=True))
    verify.reference_outputs(sine, inv, tmp_path)   # and the entry was written again
    assert len(counted) == before + 1


def test_the_oracle_version_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    sine = demo_models.build("sine")
    inv = _inputs(0, sine)
    a = oracle_cache.cache_key(verify.ORACLE, "ai-edge-litert", sine, 2, inv)
    monkeypatch.setattr(oracle_cache, "library_version", lambda name: "0.0-other")
    assert oracle_cache.cache_key(verify.ORACLE, "ai-edge-litert", sine, 2, inv) != a


def test_the_oracle_code_is_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Editing how we drive TFLite (tfm_ci/oracle.py) must not reuse old entries."""
    sine = demo_models.build("sine")
    inv = _inputs(0, sine)
    a = oracle_cache.cache_key(verify.ORACLE, "ai-edge-litert", sine, 2, inv)
    assert oracle_cache.oracle_code_digest() != hashlib.sha256(b"").hexdigest()
    monkeypatch.setattr(oracle_cache, "oracle_code_digest", lambda: "edited")
    assert oracle_cache.cache_key(verify.ORACLE, "ai-edge-litert", sine, 2, inv) != a


# -- process reader -----------------------------------------------------------------------
DRIBBLE = ("import sys, time\nfor i in range(200):\n    sys.stdout.write(f'line {i}\\n')\n"
           "    sys.stdout.flush()\n    if i % 50 == 0: time.sleep(0.01)\n"
           "sys.stderr.write('bye\\n')\nsys.exit(3)\n")


@pytest.mark.parametrize("reader", ["selector", "threads"])
def test_both_readers_keep_every_byte_and_the_status(monkeypatch: pytest.MonkeyPatch,
                                                     reader: str) -> None:
    if reader == "threads":
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    elif not hasattr(os, "pidfd_open"):
        pytest.skip("no pidfd_open on this platform")
    r = process.run_process([PY, "-c", DRIBBLE], timeout=30)
    assert r.stdout == "".join(f"line {i}\n" for i in range(200))
    assert (r.stderr, r.returncode, r.timed_out) == ("bye\n", 3, False)
    slow = process.run_process([PY, "-c", "import time; print('a', flush=True); "
                                "time.sleep(30)"], timeout=0.5)
    assert slow.timed_out and slow.returncode is None and slow.stdout == "a\n"
    assert slow.seconds < 10


def test_a_grandchild_holding_the_pipes_does_not_hang_the_job(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process, "_AFTER_EXIT", 0.5)
    code = ("import subprocess, sys; subprocess.Popen([sys.executable, '-c', "
            "'import time; time.sleep(20)']); print('parent done')")
    start = time.monotonic()
    r = process.run_process([PY, "-c", code], timeout=30)
    assert r.returncode == 0 and not r.timed_out and r.stdout == "parent done\n"
    assert time.monotonic() - start < 10


def test_the_exit_is_seen_at_once_while_output_rests() -> None:
    # A process printing then exiting: the reader's rest between reads (_BATCH)
    # never delays noticing the exit by more than a few milliseconds.
    r = process.run_process([PY, "-c", "print('x' * 10)"], timeout=30)
    assert r.stdout == "x" * 10 + "\n" and r.returncode == 0


# -- simulator slots and lazy executors ---------------------------------------------------
class _Sim:
    name = "fake"

    def __init__(self) -> None:
        self.running = self.most = 0
        self.lock = threading.Lock()

    def run(self, request: Any) -> Any:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.02)
        with self.lock:
            self.running -= 1
        return "ran"


def test_at_most_workers_simulations_with_spare_threads(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    sim = _Sim()
    prepared: list[float] = []

    def run_task(task: Task, registry: Any = None) -> dict[str, Any]:
        prepared.append(time.monotonic())
        result, trace = simrun.simulate(sim, None)  # type: ignore[arg-type]
        assert (result, trace) == ("ran", None)
        return JobRecord(spec=task.spec, board="host").finish(Status.PASS, "", "").to_dict()

    monkeypatch.setattr(executors, "run_task", run_task)
    tasks = [Task(f"t{i}", JobSpec(model="m.tflite", board="host").to_dict()) for i in range(8)]
    for workers in (1, 2):
        sim.most = 0
        got: list[str] = []
        executors.LocalExecutor(None, workers).run(  # type: ignore[arg-type]
            tasks, lambda t, r, got=got: got.append(t.job_id))
        assert sorted(got) == sorted(t.job_id for t in tasks)
        assert sim.most == workers          # the spare thread prepares, never simulates
    assert simrun._SLOTS.get() is None      # nothing leaks into the caller's context


def test_a_lazy_task_feed_runs_jobs_before_it_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "run_task", lambda task, registry=None: JobRecord(
        spec=task.spec, board="host").finish(Status.PASS, "", "").to_dict())
    got: list[str] = []
    first_done = threading.Event()

    def tasks() -> Any:
        yield Task("a", JobSpec(model="a.tflite", board="host").to_dict())
        assert first_done.wait(30), "the first job did not finish while the feed was open"
        yield Task("b", JobSpec(model="b.tflite", board="host").to_dict())

    def on_record(task: Task, record: dict[str, Any]) -> None:
        got.append(task.job_id)
        first_done.set()

    executors.LocalExecutor(None, 1).run(tasks(), on_record)  # type: ignore[arg-type]
    assert got == ["a", "b"]

    def broken() -> Any:
        yield Task("a", JobSpec(model="a.tflite", board="host").to_dict())
        raise RuntimeError("the build phase broke")

    with pytest.raises(RuntimeError, match="build phase broke"):
        executors.LocalExecutor(None, 1).run(broken(), lambda t, r: None)  # type: ignore


# -- image hand-over and records ----------------------------------------------------------
def test_one_prebuilt_per_image_and_fresh_errors(tmp_path: Path) -> None:
    elf = tmp_path / "firmware.elf"
    elf.write_bytes(b"\x7fELF")
    image = images.Image(key=("host", "reference", "ab" * 32, None), elf=str(elf),
                         elf_name="firmware.elf", build_key="k1", flags=["-O2"],
                         sources=["a.c", "b.c"], arena_size=4096)
    first = images.prebuilt(image)
    assert images.prebuilt(images.Image(**{**image.__dict__})) is first
    other = images.prebuilt(images.Image(**{**image.__dict__, "elf": str(tmp_path / "x")}))
    assert other is not first and other.result is not None
    assert str(other.result.elf) == str(tmp_path / "x")
    assert images.prebuilt(images.Image(**{**image.__dict__, "build_key": "k2"})) is not first
    failed = images.Image(key=image.key, error=("build", "boom", "log"))
    a, b = images.prebuilt(failed), images.prebuilt(failed)
    assert a.error is not None and b.error is not None and a.error is not b.error
    # A shipped ELF removed from the worker's folder is written again.
    shipped = images.Image(**{**image.__dict__, "build_key": "k3", "elf_bytes": b"\x7fELF3"})
    p1 = images.prebuilt(shipped)
    assert p1.result is not None
    p1.result.elf.unlink()
    p2 = images.prebuilt(shipped)
    assert p2.result is not None and p2.result.elf.read_bytes() == b"\x7fELF3"


def test_records_are_replaced_whole_and_only_the_manifest_is_fsynced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd)))
    out = results.ResultsDir(tmp_path / "res")
    out.prepare()
    out.write_record({"job": {"id": "j1"}, "status": "PASS", "x": [1, 2]})
    assert not synced
    assert out.read_record("j1") == {"job": {"id": "j1"}, "status": "PASS", "x": [1, 2]}
    assert not list(out.records_dir.glob(".*.tmp"))
    out.write_manifest({"jobs": []})
    assert len(synced) == 1
    results.write_json_atomic(tmp_path / "new" / "deep" / "f.json", {"a": 1})
    assert (tmp_path / "new" / "deep" / "f.json").read_text() == '{\n "a": 1\n}\n'


def test_cancelled_builds_do_not_start(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[str] = []
    gate = threading.Event()

    def build_image(registry: Any, board: str, kset: str, model: Path,
                    cache_dir: Any = None, hashes: Any = None, index: Any = None) -> None:
        started.append(board)
        gate.wait(10)

    monkeypatch.setattr(images, "build_image", build_image)
    builds = images.Builds(None, [(b, "reference", Path("m.tflite")) for b in "abc"],  # type: ignore[arg-type]
                           workers=1)
    time.sleep(0.1)
    builds.cancel()
    gate.set()
    assert [w[0] for w, _i in builds.each()] == ["a"] and started == ["a"]
