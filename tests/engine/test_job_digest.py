"""A job hashes its model once and hands the digest to every step that keys on it
(inputs memo, prebuilt check, verifier facts, oracle cache): same record, fewer hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tfm_ci import job, jobinputs, oracle_cache, verify
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

from .conftest import require_simulator

pytestmark = pytest.mark.slow


class _CountingHashlib:
    """hashlib for the patched modules, counting the hashes of one byte string."""

    def __init__(self, data: bytes) -> None:
        self.data, self.count = data, 0

    def sha256(self, data: bytes = b"") -> hashlib._Hash:
        if data == self.data:
            self.count += 1
        return hashlib.sha256(data)


def _stable(rec: dict) -> dict:
    rec = dict(rec, seconds=0)
    rec["simulation"] = {k: v for k, v in rec["simulation"].items() if k != "seconds"}
    rec["build"] = {k: v for k, v in rec["build"].items() if k != "seconds"}
    return rec


def test_one_model_hash_per_job(sine_model: Path, registry: Registry, shared_cache: Path,
                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_simulator(registry, "mps2-an386")
    spec = JobSpec(model=str(sine_model), board="mps2-an386", invocations=2,
                   cache_dir=str(shared_cache), timeout=60, work_dir=str(tmp_path / "w"))
    plain = run_job(spec, registry)
    assert plain.status is Status.PASS, (plain.reason, plain.errors)
    counter = _CountingHashlib(sine_model.read_bytes())
    for module in (job, jobinputs, verify, oracle_cache):
        monkeypatch.setattr(module, "hashlib", counter)
    counted = run_job(spec, registry)
    assert counter.count == 1
    assert _stable(counted.to_dict()) == _stable(plain.to_dict())
    # Without a digest from the caller each step still hashes the model itself.
    counter.count = 0
    info = verify.read_model(counter.data)
    jobinputs.load_inputs(counter.data, info, None, 2, 0)
    assert counter.count == 1
