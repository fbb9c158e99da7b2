"""What runs one fleet job where it is simulated (a local thread or a Dask worker).

A :class:`Task` is plain data: the JobSpec as a dict, the job's prebuilt image
and, for a machine that shares no files with the client, the ELF and model
bytes. :func:`run_task` returns the record dict; it never raises for a job's
own problems (``run_job`` turns them into the record).
"""

from __future__ import annotations

import contextlib
import functools
import json
import pickle
import threading
from collections.abc import Iterator
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


class RecordStream:
    """A worker's records of one run on their way to the client, as Dask events under
    `topic` (the batches of a run that a worker's threads run at once share one).

    A record waits at most `linger` seconds (a timer on the worker's event loop sends
    it) and each event carries every record made meanwhile: short jobs (tens of ms)
    share their events, and each event costs the worker, the scheduler and the client a
    message handling or two, as much as a record's own handling. `flush` sends what
    waits at once (a batch's end: before the batch's result, on the same stream)."""

    def __init__(self, worker: Any, topic: str, linger: float) -> None:
        self._worker, self._topic, self._linger = worker, topic, linger
        self._lock = threading.Lock()
        self._waiting: list[list[str]] = []

    def send(self, job_id: str, text: str) -> None:
        with self._lock:
            self._waiting.append([job_id, text])
            first = len(self._waiting) == 1
        if self._linger <= 0:
            self.flush()
        elif first:     # add_callback: the one loop call that is safe from another thread
            loop = self._worker.loop
            loop.add_callback(loop.call_later, self._linger, self.flush)

    def flush(self) -> None:
        with self._lock:
            records, self._waiting = self._waiting, []
        if records:
            self._worker.log_event(self._topic, records)


@dataclass
class Batch:
    """What one Dask task runs: its jobs, the bytes of the files they need (each once),
    the worker's simulator slots, and where and how its records go."""

    jobs: list[Shipped]
    blobs: dict[str, bytes]
    slots: int | None
    topic: str
    linger: float = 0.0

    def packed(self) -> bytes:
        """The batch as one bytes object: Dask passes it through its graph, scheduler
        and worker without walking it (it walks a task's arguments for keys and sizes,
        ~2,000 small objects per batch) and without copying the file bytes again."""
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def run_packed(packed: bytes) -> int:
    """The Dask task: :func:`run_batch` of a :meth:`Batch.packed`."""
    return run_batch(pickle.loads(packed))


def run_batch(batch: Batch) -> int:
    """Run a Dask task's jobs one after another on this worker, sending each record to
    the client as soon as it is made (:class:`RecordStream`: an event under the batch's
    topic, each record as ``[job_id, JSON text]``, within its `linger` seconds; the
    client writes it at once, whatever happens to the rest of the batch). Stops early
    when the client no longer wants the task (cancelled, or the client is gone).
    Returns the number of records sent."""
    from distributed import get_worker

    worker = get_worker()
    key = worker.get_current_task()
    sent = 0
    with _stream(worker, batch.topic, batch.linger) as stream:
        for job in batch.jobs:
            state = worker.state.tasks.get(key)
            if state is None or state.state != "executing":
                break
            stream.send(job.task.job_id, _record_text(job, batch.blobs, batch.slots))
            sent += 1
    return sent


_STREAMS: dict[str, tuple[RecordStream, int]] = {}    # topic -> its stream, batches using it
_STREAMS_LOCK = threading.Lock()


@contextlib.contextmanager
def _stream(worker: Any, topic: str, linger: float) -> Iterator[RecordStream]:
    """The stream of `topic` in this process, for one batch; what waits in it is sent
    when the batch ends (before the batch's result, so its records come first)."""
    with _STREAMS_LOCK:
        stream, users = _STREAMS.get(topic, (None, 0))
        if stream is None:
            stream = RecordStream(worker, topic, linger)
        _STREAMS[topic] = (stream, users + 1)
    try:
        yield stream
    finally:
        stream.flush()
        with _STREAMS_LOCK:
            users = _STREAMS[topic][1] - 1
            if users:
                _STREAMS[topic] = (stream, users)
            else:
                del _STREAMS[topic]


def _record_text(job: Shipped, blobs: dict[str, bytes], slots: int | None) -> str:
    task = job.task
    try:
        return json.dumps(run_shipped(task, blobs[job.elf] if job.elf else None,
                                      blobs[job.model], slots))
    except Exception as exc:    # the machinery, not the job (run_task records those)
        from tfm_ci.fleet.executors import failed_record  # (imports this module)

        return json.dumps(failed_record(task, "dask worker", exc))
