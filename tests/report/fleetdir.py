"""Write fleet results folders in the shared contract's format from real job records.

Until ``tfm-ci fleet run`` lands, the report tests build their input the way the
contract says a fleet run does: ``run_job`` for each (board, model, kernel set),
the record dict plus ``"job"``, one file per job under ``records/``, and
``fleet.json``. A kernel set a board does not offer gets a SKIP record with a reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfm_ci import __version__
from tfm_ci.fleet import run_fleet
from tfm_ci.job import JobRecord, JobSpec, Status
from tfm_ci.registry import Registry, UnknownNameError


@dataclass(frozen=True)
class Job:
    board: str
    model: str            # path relative to the spec's folder (posix)
    kernel_set: str = "reference"
    limits: tuple[str, ...] = ()


def job_id(board: str, model: str, kernel_set: str) -> str:
    """``board__model-path__kset-<hash>``: filesystem-safe, unique per identity."""
    digest = hashlib.sha256(f"{board}\0{model}\0{kernel_set}".encode()).hexdigest()[:8]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", model)
    return f"{board}__{safe}__{kernel_set}-{digest}"


def job_block(board: str, model: str, kernel_set: str) -> dict[str, Any]:
    return {"id": job_id(board, model, kernel_set), "board": board, "model": model,
            "kernel_set": kernel_set,
            "fingerprint": hashlib.sha256(f"{board}{model}{kernel_set}".encode()).hexdigest(),
            "shard": None, "dataset": None}


def write_record(folder: Path, record: dict[str, Any]) -> Path:
    """Atomic write of DIR/records/<id>.json (temp file + os.replace, as the contract says)."""
    records = folder / "records"
    records.mkdir(parents=True, exist_ok=True)
    path = records / f"{record['job']['id']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, path)
    return path


def write_manifest(folder: Path, records: list[dict[str, Any]], spec: str = "fleet.toml") -> None:
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    manifest = {"spec": spec, "settings": {"timeout": 120}, "tool_version": __version__,
                "shard": None,
                "jobs": [{k: r["job"][k] for k in ("id", "board", "model", "kernel_set")}
                         for r in records],
                "started": now, "finished": now}
    (folder / "fleet.json").write_text(json.dumps(manifest, indent=1))


def run_jobs(jobs: list[Job], spec_dir: Path, registry: Registry,
             cache_dir: Path) -> list[dict[str, Any]]:
    """Run the jobs for real (skips for kernel sets a board lacks); records with "job"."""
    runnable, out = [], {}
    for k, job in enumerate(jobs):
        board = registry.board(job.board)
        try:
            registry.kernel_set(board, job.kernel_set)
        except UnknownNameError as exc:
            rec = JobRecord(spec={}, board=job.board, model=job.model,
                            kernel_set=job.kernel_set)
            rec.finish(Status.SKIP, "kernel-set", str(exc).splitlines()[0])
            out[k] = rec
            continue
        runnable.append((k, JobSpec(model=str(spec_dir / job.model), board=job.board,
                                    kernel_set=job.kernel_set, limits=list(job.limits),
                                    cache_dir=str(cache_dir), timeout=120)))
    records = run_fleet([s for _, s in runnable], registry, workers=2)
    out.update({k: r for (k, _), r in zip(runnable, records, strict=True)})
    result = []
    for k, job in enumerate(jobs):
        d = out[k].to_dict()
        d["job"] = job_block(job.board, job.model, job.kernel_set)
        result.append(d)
    return result


def write_folder(folder: Path, records: list[dict[str, Any]]) -> Path:
    """A complete results folder holding exactly `records`."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for r in records:
        write_record(folder, r)
    write_manifest(folder, records)
    return folder


def find(records: list[dict[str, Any]], board: str, model_stem: str,
         kernel_set: str = "reference") -> dict[str, Any]:
    for r in records:
        j = r["job"]
        if j["board"] == board and Path(j["model"]).stem == model_stem \
                and j["kernel_set"] == kernel_set:
            return r
    raise KeyError((board, model_stem, kernel_set))


def variant(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A deep copy to edit for a synthetic 'new' folder."""
    return copy.deepcopy(records)
