"""`tfm-ci fleet run` / `fleet merge` end to end: records, manifest, resume, shards, merge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tfm_ci.job import JobRecord

from .conftest import records, same_outcomes, tfm_ci, write_spec

pytestmark = pytest.mark.slow

SPEC = """\
boards = ["host", "mps2-an386", "riscv32-*"]
models = ["models/*.tflite"]
kernel_sets = ["reference", "arm-dsp"]
invocations = 2
seed = 3
timeout = 60
[limits]
arena = "96KiB"
"""


def n_models(project: Path) -> int:
    return len(list((project / "models").glob("*.tflite")))


def test_run_writes_records_and_manifest_then_resumes(project: Path, cache: Path) -> None:
    spec = write_spec(project, SPEC)
    out = project / "results"
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(out), "-j", "2", cache=cache)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    recs = records(out)
    total = 3 * 2 * n_models(project)
    assert len(recs) == total
    manifest = json.loads((out / "fleet.json").read_text())
    assert sorted(j["id"] for j in manifest["jobs"]) == sorted(recs)
    assert manifest["finished"] and manifest["shard"] is None
    assert manifest["settings"]["limits"] == ["arena=96KiB"]
    for rec in recs.values():
        job = rec["job"]
        assert job["model"].startswith("models/") and job["shard"] is None
        assert job["dataset"] is None and len(job["fingerprint"]) == 64
        if job["kernel_set"] == "arm-dsp" and job["board"] != "mps2-an386":
            assert rec["status"] == "SKIP" and "does not offer kernel set 'arm-dsp'" in \
                rec["reason"]
        else:
            assert rec["status"] == "PASS", rec["reason"]
            assert rec["invocations"] == 2 and rec["comparison"]["match"]
            assert rec["build"]["cached"] and rec["build"]["compiled"] == 0
        # The record is `run --json`'s record plus "job".
        JobRecord.from_dict({k: v for k, v in rec.items() if k != "job"})
    assert "0 fail" in proc.stdout and f"{total} job(s)" in proc.stdout

    # Rerun: nothing runs, the records are untouched.
    mtimes = {p.name: p.stat().st_mtime_ns for p in (out / "records").iterdir()}
    again = tfm_ci("fleet", "run", str(spec), "--results", str(out), cache=cache)
    assert again.returncode == 0, again.stdout[-2000:]
    assert f"0 run, {total} reused" in again.stdout
    assert mtimes == {p.name: p.stat().st_mtime_ns for p in (out / "records").iterdir()}

    # A changed model reruns that model's jobs only; a changed setting reruns all.
    (project / "models" / "sine.tflite").write_bytes((project / "models" /
                                                       "kws.tflite").read_bytes())
    again = tfm_ci("fleet", "run", str(spec), "--results", str(out), cache=cache)
    assert f"6 run, {total - 6} reused" in again.stdout, again.stdout[-2000:]
    write_spec(project, SPEC.replace("seed = 3", "seed = 4"))
    again = tfm_ci("fleet", "run", str(spec), "--results", str(out), cache=cache)
    assert f"{total} run, 0 reused" in again.stdout, again.stdout[-2000:]
    # sine now has kws's bytes: one image for both, on each of the 4 runnable
    # (board, kernel set) pairs.
    assert f"building {4 * (n_models(project) - 1)} image(s)" in again.stdout
    again = tfm_ci("fleet", "run", str(spec), "--results", str(out), "--fresh", cache=cache)
    assert f"{total} run, 0 reused" in again.stdout, again.stdout[-2000:]


def test_failing_jobs_are_records_not_the_end(project: Path, cache: Path) -> None:
    spec = write_spec(project, 'boards = ["mps2-an386", "host"]\nmodels = ["models/kws.tflite",'
                               ' "models/sine.tflite"]\n[limits]\ninstructions = 10000\n')
    out = project / "results"
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(out), cache=cache)
    assert proc.returncode == 1, proc.stdout[-2000:]
    recs = {(r["job"]["board"], r["job"]["model"]): r for r in records(out).values()}
    assert len(recs) == 4
    # kws costs millions of instructions: over the limit, its own FAIL; sine fits.
    assert recs[("mps2-an386", "models/kws.tflite")]["status"] == "FAIL"
    assert recs[("mps2-an386", "models/kws.tflite")]["category"] == "budget"
    assert recs[("mps2-an386", "models/sine.tflite")]["status"] == "PASS"
    write_spec(project, 'boards = ["mps2-an386"]\nmodels = ["models/kws.tflite"]\n'
                        "timeout = 0.001\n")
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(project / "t"), cache=cache)
    assert proc.returncode == 1
    (rec,) = records(project / "t").values()
    assert rec["status"] == "TIMEOUT", rec["reason"]


def test_spec_error_runs_nothing(project: Path, cache: Path) -> None:
    spec = write_spec(project, 'boards = ["host"]\nmodels = ["models/sine.tflite"]\n'
                               "colour = 1\n")
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(project / "r"), cache=cache)
    assert proc.returncode == 2
    assert f"{spec}: colour: unknown key" in proc.stdout
    assert not (project / "r").exists()
    assert "Traceback" not in proc.stdout + proc.stderr
    proc = tfm_ci("fleet", "run", str(spec), "--results", str(project / "r"), "--shard", "3/2",
                  cache=cache)
    assert proc.returncode == 2 and "bad shard" in proc.stdout


def test_shards_merge_to_the_unsharded_run(project: Path, cache: Path) -> None:
    spec = write_spec(project, SPEC)
    whole = project / "whole"
    assert tfm_ci("fleet", "run", str(spec), "--results", str(whole), cache=cache).returncode == 0
    shards = []
    for k in (1, 2, 3):
        folder = project / f"shard{k}"
        proc = tfm_ci("fleet", "run", str(spec), "--results", str(folder), "--shard", f"{k}/3",
                      cache=cache)
        assert proc.returncode == 0, proc.stdout[-2000:]
        manifest = json.loads((folder / "fleet.json").read_text())
        assert manifest["shard"] == f"{k}/3"
        assert all(r["job"]["shard"] == f"{k}/3" for r in records(folder).values())
        assert sorted(j["id"] for j in manifest["jobs"]) == sorted(records(folder))
        shards.append(folder)
    ids = [set(records(s)) for s in shards]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert set().union(*ids) == set(records(whole))

    merged = project / "merged"
    # The whole run overlaps every shard: duplicates that agree are fine.
    proc = tfm_ci("fleet", "merge", *map(str, shards), str(whole), "--results", str(merged),
                  cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    same_outcomes(records(merged), records(whole))
    manifest = json.loads((merged / "fleet.json").read_text())
    assert sorted(j["id"] for j in manifest["jobs"]) == sorted(records(whole))
    assert manifest["shard"] is None and manifest["finished"]

    # A job recorded twice with different outcomes is an error naming it.
    victim = next(p for p in (shards[0] / "records").glob("*.json"))
    rec = json.loads(victim.read_text())
    rec["status"] = "FAIL"
    victim.write_text(json.dumps(rec))
    proc = tfm_ci("fleet", "merge", str(whole), str(shards[0]), "--results",
                  str(project / "bad"), cache=cache)
    assert proc.returncode == 2
    assert f"job {victim.stem} differs" in proc.stdout and "status" in proc.stdout

    # A shard missing from the merge: its jobs are named as missing.
    proc = tfm_ci("fleet", "merge", str(shards[1]), "--results", str(project / "part"),
                  cache=cache)
    assert proc.returncode == 0        # one shard alone is complete by its own manifest
    proc = tfm_ci("fleet", "merge", str(merged), "--results", str(project / "again"),
                  cache=cache)
    assert proc.returncode == 0
    (merged / "records" / f"{victim.stem}.json").unlink()
    proc = tfm_ci("fleet", "merge", str(merged), "--results", str(project / "gap"), cache=cache)
    assert proc.returncode == 1 and "1 job(s) without a record" in proc.stdout
