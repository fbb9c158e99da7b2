"""What runs one fleet job where it is simulated (a local thread or a Dask worker).

A :class:`Task` is plain data: the JobSpec as a dict, the job's prebuilt image
and, for a machine that shares no files with the client, the ELF and model
bytes. :func:`run_task` returns the record dict; it never raises for a job's
own problems (``run_job`` turns them into the record).
"""

from __future__ import annotations

import functools
import pickle
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tfm_ci import simrun
from tfm_ci.fleet import images
from tfm_ci.job import JobSpec, run_job
from tfm_ci.registry import Registry


@dataclass
class Task:
    job_id: str
    spec: dict[str, Any]                 # JobSpec.to_dict()
    image: images.Image | None = None
    model_bytes: bytes | None = None     # shipped: the worker writes its own copy
    model_sha256: str = ""

    def shipped(self) -> Task:
        """This task with everything a worker without our files needs."""
        return Task(self.job_id, dict(self.spec),
                    self.image.shipped() if self.image is not None else None,
                    Path(self.spec["model"]).read_bytes(), self.model_sha256)


@functools.cache
def _registry() -> Registry:
    """One registry per worker process, loaded on its first job."""
    return Registry.load()


def run_task(task: Task, registry: Registry | None = None) -> dict[str, Any]:
    spec = JobSpec.from_dict(task.spec)
    if task.model_bytes is not None:
        name = Path(spec.model).name
        spec.model = str(images.install_file(f"models/{task.model_sha256[:16]}", name,
                                             task.model_bytes))
        spec.work_dir = str(images.ship_dir() / "jobs" / task.job_id)
    record = run_job(spec, registry or _registry(),
                     prebuilt=images.prebuilt(task.image) if task.image is not None else None)
    return record.to_dict()


@functools.cache
def _process_slots(count: int) -> threading.Semaphore:
    """This worker process's simulator slots (one semaphore per count asked for)."""
    return threading.BoundedSemaphore(count)


def run_shipped(task: Task, elf_bytes: bytes | None, model_bytes: bytes,
                slots: int | None = None) -> dict[str, Any]:
    """:func:`run_task` on a worker that shares no files with the client: the ELF and
    model bytes arrive apart from the task (a Dask worker receives each once and keeps
    it, instead of one copy per job). `slots`: at most that many simulations at
    once in this process, whatever its number of threads."""
    image = task.image
    if image is not None and image.error is None and elf_bytes is not None:
        image = replace(image, elf_bytes=elf_bytes)
    shipped = Task(task.job_id, task.spec, image, model_bytes, task.model_sha256)
    with simrun.simulation_slots(_process_slots(slots) if slots else None):
        return run_task(shipped)


@dataclass
class Shipped:
    """One job of a batch: its task (image without the ELF bytes) and the names, in the
    batch's blobs, of its ELF (None: no image, or a build error) and model bytes."""

    task: Task
    elf: str | None
    model: str


@dataclass
class Batch:
    """What one Dask batch runs: its jobs, the bytes of the files they need (each once),
    and the worker's simulator slots (None: as many as its threads)."""

    jobs: list[Shipped]
    blobs: dict[str, bytes]
    slots: int | None

    def packed(self) -> bytes:
        """The batch as one bytes object: Dask sends it as one frame without walking it
        (it walks a call's arguments, ~2,000 small objects per batch) and without
        copying the file bytes again."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def job_record(job: Shipped, blobs: dict[str, bytes], slots: int | None) -> dict[str, Any]:
    """One job of a batch, run: its record."""
    task = job.task
    try:
        return run_shipped(task, blobs[job.elf] if job.elf else None, blobs[job.model], slots)
    except Exception as exc:    # the machinery, not the job (run_task records those)
        from tfm_ci.fleet.executors import failed_record  # (imports this module)

        return failed_record(task, "dask worker", exc)
