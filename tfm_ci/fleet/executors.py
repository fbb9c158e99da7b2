"""Where fleet jobs are simulated: local threads or a Dask cluster.

Both take :class:`~tfm_ci.fleet.worker.Task` objects and hand each finished
record dict back, in the calling thread, as soon as it arrives, so the caller
alone writes records (no two writers, nothing written after an interrupt).
A task that dies with its worker becomes an ERROR record of that job.

The tasks may be a lazy iterable (the runner yields each image's jobs as soon as
that image is built): a feeder thread draws from it and submits, so jobs
simulate while later images are still being looked up or compiled.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import queue
import threading
import traceback
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from tfm_ci import simrun
from tfm_ci.fleet.worker import Batch, Shipped, Task, run_packed, run_task
from tfm_ci.job import JobRecord, Status
from tfm_ci.registry import Registry

OnRecord = Callable[[Task, dict[str, Any]], None]
EXECUTORS = ("local", "dask")


class ExecutorError(RuntimeError):
    """The executor itself cannot run (no dask installed, scheduler unreachable)."""


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def failed_record(task: Task, where: str, error: BaseException | str) -> dict[str, Any]:
    """The record of a job whose runner itself failed (not the job: the machinery)."""
    spec = task.spec
    rec = JobRecord(spec=dict(spec), board=str(spec.get("board", "")),
                    model=str(spec.get("model", "")), kernel_set=str(spec.get("kernel_set", "")))
    if isinstance(error, BaseException):
        rec.errors.append("".join(traceback.format_exception(error)))
        error = f"{type(error).__name__}: {error}"
    return rec.finish(Status.ERROR, "executor", f"{where}: {error}").to_dict()


class Executor(Protocol):
    workers: int

    def run(self, tasks: Iterable[Task], on_record: OnRecord) -> None:
        """Run every task; call `on_record` (in this thread) as each finishes."""

    def close(self) -> None:
        """Release workers and connections."""


_END = object()


class _Feed:
    """Draws tasks from an iterable in a thread, submits each with `submit` (which
    returns a future with ``add_done_callback``), and hands the finished futures to
    the calling thread in the order they finish. An exception raised by the iterable
    itself is raised again in the calling thread."""

    def __init__(self, tasks: Iterable[Task], submit: Callable[[Task], Any]) -> None:
        self._done: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stop = threading.Event()
        self.futures: dict[Any, Task] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._feed, args=(tasks, submit), daemon=True,
                                        name="tfm-fleet-feed")
        self._thread.start()

    def _feed(self, tasks: Iterable[Task], submit: Callable[[Task], Any]) -> None:
        try:
            for task in tasks:
                if self._stop.is_set():
                    break
                fut = submit(task)
                with self._lock:
                    self.futures[fut] = task
                fut.add_done_callback(self._done.put)
        except BaseException as exc:   # raised again in the caller's thread
            if not self._stop.is_set():
                self._done.put(exc)
        finally:
            self._done.put(_END)

    def finished(self) -> Iterable[tuple[Any, Task]]:
        """(future, task) as each finishes, until every submitted task has."""
        ended, seen = False, 0
        while not ended or seen < len(self.futures):
            item = self._done.get()
            if item is _END:
                ended = True
            elif isinstance(item, BaseException):
                raise item
            else:
                seen += 1
                with self._lock:
                    task = self.futures[item]
                yield item, task

    def stop(self) -> None:
        """Stop submitting."""
        self._stop.set()


class LocalExecutor:
    """Threads: each job's simulator is its own process, so threads keep every core busy.
    At most `workers` simulations run at once (default: one per core); one more thread
    than that prepares the next job and checks the last one while they run, so a
    simulator slot never waits for Python."""

    spare_threads = 1

    def __init__(self, registry: Registry, workers: int | None = None) -> None:
        self.registry = registry
        self.workers = max(1, workers or cpu_count())

    def _run_one(self, task: Task, slots: threading.Semaphore) -> dict[str, Any]:
        with simrun.simulation_slots(slots):
            return run_task(task, self.registry)

    def run(self, tasks: Iterable[Task], on_record: OnRecord) -> None:
        slots = threading.BoundedSemaphore(self.workers)
        pool = ThreadPoolExecutor(max_workers=self.workers + self.spare_threads,
                                  thread_name_prefix="tfm-fleet")
        feed = _Feed(tasks, lambda t: pool.submit(self._run_one, t, slots))
        try:
            for fut, task in feed.finished():
                exc = fut.exception()
                on_record(task, failed_record(task, "local worker", exc) if exc
                          else fut.result())
        finally:
            # On Ctrl-C: drop queued jobs and do not wait for the running ones.
            feed.stop()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        pass


_JOB, _RECORD, _BATCH, _FED = "job", "record", "batch", "fed"


@dataclass
class _Failed:
    task: Task
    record: dict[str, Any]


def batch_size(pending: int, in_flight: int, most: int) -> int:
    """How many of `pending` jobs the next Dask task runs: guided self-scheduling, a
    share of what is left per batch that may be in flight at once, so that batches are
    large while many jobs wait (each task costs the client, scheduler and worker about
    as much CPU as a short job) and shrink to one job at the end (the last batches end
    together: no worker idles while another still has a long batch)."""
    return max(1, min(most, -(-pending // max(1, in_flight))))


_QUIET_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "500ms",          # default 20ms
    "distributed.admin.system-monitor.interval": "2s",   # default 500ms
    "distributed.worker.memory.monitor-interval": "500ms",   # default 100ms
}


class DaskExecutor:
    """A ``dask.distributed`` cluster: `scheduler` is ``tcp://host:port`` of a running
    scheduler, or None for a LocalCluster of one worker process per core (each with one
    simulator slot and a spare thread that prepares the next job meanwhile).
    Workers get the ELF and model bytes from the client, so they need the engine and
    the simulators, not our build cache or a compiler (docs/fleets.md).

    A Dask task runs a batch of jobs (:func:`batch_size`; at most `max_batch`) and
    sends each record back as an event the moment it is made: Dask's own work per task
    (scheduling, messages, futures) then counts once per batch, not once per job. A
    batch carries the bytes of the files its jobs need, once each (a worker writes each
    file once): no scatter and replication round trips per file, and a batch rerun
    after its worker died needs nothing that died with it."""

    max_batch = 16
    record_linger = 0.5     # seconds a record may wait on its worker for others to join it

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 connect_timeout: float = 10.0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError(f"--executor dask needs dask.distributed: {exc}") from None
        self._cluster = None
        self._slots: int | None = None       # simulator slots per worker process
        try:
            if scheduler is None:
                import dask

                # Our own cluster spends less CPU on watching itself, which the simulators
                # can have: no statistical profiler sampling every worker thread each
                # 10 ms, no GIL sampling, event-loop health checks and resource samples
                # less often (a cluster of yours keeps its own configuration).
                with dask.config.set(_QUIET_CLUSTER):
                    self._cluster = LocalCluster(n_workers=max(1, workers or cpu_count()),
                                                 threads_per_worker=2, processes=True,
                                                 dashboard_address=None, silence_logs=40)
                self._slots = 1
                self.client = Client(self._cluster)
            else:
                self.client = Client(scheduler, timeout=connect_timeout)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ExecutorError(f"cannot reach dask scheduler {scheduler}: {exc}") from None
        try:   # with no worker at all, jobs would wait forever
            self.client.wait_for_workers(1, timeout=connect_timeout)
        except (OSError, TimeoutError):
            self.close()
            raise ExecutorError(f"dask scheduler {scheduler} has no workers (waited "
                                f"{connect_timeout:g} s)") from None
        nthreads = self.client.nthreads()
        threads = sum(nthreads.values()) or 1
        self.workers = len(nthreads) * self._slots if self._slots else threads
        # Batches at once: one per worker thread, and on a cluster of yours one more
        # queued per worker, so that a thread starts its next batch at once. Our
        # LocalCluster needs none queued: a worker's second thread prepares its next job
        # while the first one's job simulates. More would only make batches smaller.
        self.in_flight = threads + (0 if self._slots else len(nthreads))
        self.batches: list[int] = []          # each batch's job count (the last run)

    def run(self, tasks: Iterable[Task], on_record: OnRecord) -> None:
        client = self.client
        inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        # Records come back as events (a few per event, at most a linger after each was
        # made): a batch's first records are written while the rest still simulate.
        topic = f"tfm-ci-records-{uuid.uuid4().hex}"
        client.subscribe_topic(topic, lambda event: inbox.put((_RECORD, event[1])))
        stop = threading.Event()
        blobs: dict[str, bytes] = {}        # file name -> its bytes
        feeder = threading.Thread(target=self._feed, args=(tasks, blobs, inbox, stop),
                                  daemon=True, name="tfm-fleet-feed")
        feeder.start()
        pending: collections.deque[Shipped] = collections.deque()
        running: dict[Any, list[Shipped]] = {}     # batch future -> its jobs
        known: dict[str, Task] = {}                # job id -> task, until its record came
        fed = False
        self.batches = []
        try:
            while True:
                while pending and self._room(running, len(pending), fed):
                    self._submit(pending, blobs, topic, inbox, running)
                if fed and not pending and not running:
                    break
                kind, item = inbox.get()
                if kind is _JOB:
                    pending.append(item)
                    known[item.task.job_id] = item.task
                elif kind is _RECORD:
                    for job_id, text in item:
                        task = known.pop(job_id, None)
                        if task is not None:    # None: a rerun batch's repeat (see below)
                            on_record(task, json.loads(text))
                elif kind is _BATCH:
                    for job in self._finished(item, running.pop(item), known):
                        on_record(job.task, job.record)
                elif kind is _FED:
                    fed = True
                    if item is not None:
                        raise item
        finally:
            # On Ctrl-C: no more jobs; a batch still running stops after its current job.
            stop.set()
            with contextlib.suppress(Exception):    # a client already closed or broken
                if running:
                    client.cancel(list(running))
                client.unsubscribe_topic(topic)
                self._forget(topic)

    def _room(self, running: dict[Any, list[Shipped]], pending: int, fed: bool) -> bool:
        """Whether to submit another batch now. While the runner still hands over jobs,
        only to keep every simulator slot busy or for a full batch: the first jobs
        come moments before the rest, and a batch per job each (one per thread)
        would cost as many batches' messages for nothing."""
        if len(running) >= self.in_flight:
            return False
        return fed or len(running) < self.workers or pending >= self.in_flight * self.max_batch

    @staticmethod
    def _feed(tasks: Iterable[Task], blobs: dict[str, bytes], inbox: queue.SimpleQueue,
              stop: threading.Event) -> None:
        """Draw tasks (in a thread: the runner builds images lazily), read each new file
        once, and pass the jobs on."""
        def blob(name: str, path: str) -> str:
            if name not in blobs:
                blobs[name] = Path(path).read_bytes()
            return name

        try:
            for t in tasks:
                if stop.is_set():
                    break
                image, elf = t.image, None
                model = blob(f"model:{t.model_sha256 or t.spec['model']}", t.spec["model"])
                if image is not None and image.error is None:
                    elf = blob(f"elf:{image.build_key}:{image.elf}", image.elf)
                    # The source list (~250 paths) stays here: the worker's job never
                    # reads it (it is no part of the record), and it was most of a job's
                    # bytes.
                    t = replace(t, image=replace(image, sources=[]))
                inbox.put((_JOB, Shipped(t, elf, model)))
        except BaseException as exc:   # raised again in the caller's thread
            inbox.put((_FED, exc))
        else:
            inbox.put((_FED, None))

    def _submit(self, pending: collections.deque[Shipped], blobs: dict[str, bytes], topic: str,
                inbox: queue.SimpleQueue, running: dict[Any, list[Shipped]]) -> None:
        jobs = [pending.popleft()
                for _ in range(batch_size(len(pending), self.in_flight, self.max_batch))]
        names = {n for j in jobs for n in (j.elf, j.model) if n is not None}
        # A unique key: a reused one could hand back an earlier run's result.
        batch = Batch(jobs, {n: blobs[n] for n in names}, self._slots, topic,
                      self.record_linger)
        fut = self.client.submit(run_packed, batch.packed(), pure=False,
                                 key=f"tfm-ci-batch-{uuid.uuid4().hex}")
        running[fut] = jobs
        self.batches.append(len(jobs))
        fut.add_done_callback(lambda f: inbox.put((_BATCH, f)))

    @staticmethod
    def _finished(fut: Any, jobs: list[Shipped], known: dict[str, Task]) -> list[_Failed]:
        """The failed records of a finished batch's jobs whose record never came: the
        batch's worker died (Dask reruns a batch whose worker died, up to
        ``distributed.scheduler.allowed-failures`` times, then gives up with
        KilledWorker), or the batch itself failed. A rerun's repeats of records already
        received are dropped: each job's first record is its record."""
        left = [j for j in jobs if j.task.job_id in known]
        if not left:
            return []
        try:
            fut.result()
            error: BaseException | str = "the batch ended without this job's record"
        except Exception as exc:    # worker died, task lost, unpicklable argument
            error = exc
        return [_Failed(j.task, failed_record(known.pop(j.task.job_id), "dask worker", error))
                for j in left]

    def _forget(self, topic: str) -> None:
        """Drop this run's records from the scheduler's event log (it keeps the last
        1000 events of every topic: a long-lived scheduler would hold them for ever)."""
        with contextlib.suppress(Exception):     # only memory is at stake
            self.client.run_on_scheduler(
                lambda dask_scheduler, name=topic: dask_scheduler._broker.truncate(name))

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(kind: str, registry: Registry, *, workers: int | None = None,
                  scheduler: str | None = None) -> Executor:
    if kind == "local":
        if scheduler:
            raise ExecutorError("--scheduler needs --executor dask")
        return LocalExecutor(registry, workers)
    if kind == "dask":
        return DaskExecutor(scheduler, workers)
    raise ExecutorError(f"unknown executor {kind!r} (known: {', '.join(EXECUTORS)})")
