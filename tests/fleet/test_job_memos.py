"""Per-process memos on a fleet job's path: each gives what the plain computation gives,
and a change to what it depends on (model bytes, seed, count, a source file, $PATH)
gives the new answer, never the remembered one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tfm_ci import demo_models, jobinputs, simrun, verify
from tfm_ci.inspect import read_model
from tfm_ci.oracle import random_inputs
from tfm_ci.plugins.qemu import counting
from tfm_ci.plugins.qemu import simulator as qemu


def _direct(model: bytes, n: int, seed: int) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [random_inputs(model, rng) for _ in range(n)]


def _same(a: list[list[np.ndarray]], b: list[list[np.ndarray]]) -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and all(p.dtype == q.dtype and p.shape == q.shape and
                                 p.tobytes() == q.tobytes() for p, q in zip(x, y, strict=True))
        for x, y in zip(a, b, strict=True))


def test_random_inputs_are_those_of_the_seed_and_model() -> None:
    sine, kws = demo_models.build("sine"), demo_models.build("kws")
    for model in (sine, kws):
        info = read_model(model)
        for n, seed in ((2, 0), (1, 0), (2, 7), (3, 7)):
            first = jobinputs.load_inputs(model, info, None, n, seed)
            assert _same(first, _direct(model, n, seed))
            first[0][0].flat[0] += 1                # the caller's arrays are its own
            again = jobinputs.load_inputs(model, info, None, n, seed)
            assert _same(again, _direct(model, n, seed))
    assert not _same(jobinputs.load_inputs(sine, read_model(sine), None, 2, 0),
                     jobinputs.load_inputs(sine, read_model(sine), None, 2, 1))
    # The capacity check still sees the model's own input sizes.
    with pytest.raises(jobinputs.InputsError, match="inputs_capacity"):
        jobinputs.load_inputs(kws, read_model(kws), None, 2, 0, max_bytes=8)


def test_verify_facts_follow_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ops.detection_cases import build, draw_case

    detection, _inputs = build(draw_case(0))
    sine = demo_models.build("sine")
    assert verify._facts(detection).detection and not verify._facts(sine).detection
    assert verify._facts(sine).output_names() == [s.name for s in
                                                  verify.output_specs(sine)]
    filled: list[bytes] = []
    real = verify.fill_unwritten

    def fill(model: bytes, ref: Any) -> Any:
        filled.append(model)
        return real(model, ref)

    monkeypatch.setattr(verify, "fill_unwritten", fill)
    class Empty:                    # a transcript with no outputs
        def outputs_of(self, k: int) -> list[np.ndarray]:
            return []

    empty: Any = Empty()
    verify.compare_outputs(detection, _inputs_list(detection), empty, 1e-5)
    verify.compare_outputs(sine, _direct(sine, 1, 0), empty, 1e-5)
    assert filled == [detection]


def _inputs_list(model: bytes) -> list[list[np.ndarray]]:
    return _direct(model, 1, 0)


def test_plugin_digest_follows_its_sources(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "count_plugin.c"
    timing = tmp_path / "timing"
    timing.mkdir()
    shutil.copy(counting.SOURCE, src)
    for f in counting.TIMING_DIR.iterdir():
        shutil.copy(f, timing / f.name)
    monkeypatch.setattr(counting, "SOURCE", src)
    monkeypatch.setattr(counting, "TIMING_DIR", timing)
    monkeypatch.setattr(counting, "_RACY_NS", 0)       # a file just written may be kept
    first = counting._source_digest()
    reads: list[Path] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    assert counting._source_digest() == first and reads == []      # remembered
    (timing / "models.c").write_text((timing / "models.c").read_text() + "\n/* x */\n")
    edited = counting._source_digest()
    assert edited != first and reads
    (timing / "extra.h").write_text("#define X 1\n")
    assert counting._source_digest() not in (first, edited)


def test_which_is_remembered_only_while_the_program_is_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    prog = folder / "tfm-test-qemu"
    prog.write_text("#!/bin/sh\n")
    prog.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    assert qemu._which("tfm-test-qemu") == str(prog)
    prog.unlink()
    assert qemu._which("tfm-test-qemu") is None
    other = tmp_path / "other"
    other.mkdir()
    (other / "tfm-test-qemu").write_text("#!/bin/sh\n")
    (other / "tfm-test-qemu").chmod(0o755)
    monkeypatch.setenv("PATH", f"{other}{os.pathsep}{folder}")
    assert qemu._which("tfm-test-qemu") == str(other / "tfm-test-qemu")


def test_work_files_are_rewritten_only_when_they_differ(tmp_path: Path) -> None:
    path = tmp_path / "inputs.bin"
    simrun._put(path, b"abc")
    assert path.read_bytes() == b"abc"
    before = path.stat().st_ino, path.stat().st_mtime_ns
    simrun._put(path, b"abc")
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == before
    for data in (b"abd", b"ab", b"abcd", b""):
        simrun._put(path, data)
        assert path.read_bytes() == data


def test_job_spec_dict_is_asdicts_deep_copy() -> None:
    import dataclasses

    from tfm_ci.job import JobSpec

    arrays = [np.arange(3, dtype=np.int8), "x.npy"]
    for spec in (JobSpec(model="m.tflite", board="b"),
                 JobSpec(model="m.tflite", board="b", limits=["ram=1KiB"], inputs=arrays,
                         arena_size="64KiB", name="n", keep=True)):
        d = spec.to_dict()
        want = dataclasses.asdict(spec)
        if spec.inputs is not None:
            assert d["inputs"] == [{"dtype": "|i1", "shape": [3], "data": [0, 1, 2]}, "x.npy"]
            want["inputs"] = d["inputs"]
        assert d == want and list(d) == list(want)
        d["limits"].append("flash=1")
        assert "flash=1" not in spec.limits
        assert JobSpec.from_dict(spec.to_dict()).to_dict() == spec.to_dict()


def test_plugin_source_list_follows_its_folder(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The timing folder's listing is reused while the folder's stat holds, and only for
    a settled folder: a file added, removed or renamed is listed at once."""
    src = tmp_path / "count_plugin.c"
    src.write_text("")
    timing = tmp_path / "timing"
    timing.mkdir()
    (timing / "a.c").write_text("")
    monkeypatch.setattr(counting, "SOURCE", src)
    monkeypatch.setattr(counting, "TIMING_DIR", timing)
    listed: list[str] = []
    real = os.listdir

    def counted(path: Any) -> list[str]:
        listed.append(os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", counted)
    want = [str(src), str(timing / "a.c")]
    assert counting._source_names() == want and counting._source_names() == want
    assert len(listed) == 2                      # a young folder is listed each time
    monkeypatch.setattr(counting, "_LISTING_RACY_NS", 0)
    assert counting._source_names() == want and counting._source_names() == want
    assert len(listed) == 3                      # settled: listed once, then reused
    stamp = timing.stat().st_mtime_ns
    for step, change in enumerate((lambda: (timing / "b.h").write_text(""),
                                   lambda: (timing / "a.c").rename(timing / "c.c"),
                                   lambda: (timing / "b.h").unlink())):
        change()
        # Distinct mtimes, as a settled folder's next change always has.
        os.utime(timing, ns=(stamp + step + 1, stamp + step + 1))
        names = counting._source_names()
        assert names == [str(src), *sorted(str(p) for p in timing.glob("*.c")),
                         *sorted(str(p) for p in timing.glob("*.h"))]
    assert names == [str(src), str(timing / "c.c")]
    assert counting._source_names() == names     # the new listing is the one kept
