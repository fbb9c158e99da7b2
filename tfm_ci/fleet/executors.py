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
import os
import pickle
import queue
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from tfm_ci import simrun
from tfm_ci.fleet.worker import Batch, Shipped, Task, run_task
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


_JOB, _RECORD, _BATCH, _FED, _RUNNER = "job", "record", "batch", "fed", "runner"


def batch_size(pending: int, in_flight: int, most: int) -> int:
    """How many of `pending` jobs the next batch runs: guided self-scheduling, a share
    of what is left per batch that may be in flight at once, so that batches are large
    while many jobs wait (each batch costs a few messages) and shrink to one job at the
    end (the last batches end together: no worker idles while another still has a long
    batch)."""
    return max(1, min(most, -(-pending // max(1, in_flight))))


_QUIET_CLUSTER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.tick.interval": "500ms",          # default 20ms
    "distributed.admin.system-monitor.interval": "2s",   # default 500ms
    "distributed.worker.memory.monitor-interval": "500ms",   # default 100ms
    "distributed.scheduler.work-stealing": False,   # batches are actor calls: nothing to steal
}


@dataclass(eq=False)
class _Runner:
    """The client's handle on one worker's :class:`~tfm_ci.fleet.batchrunner.BatchRunner`."""

    address: str
    actor: Any          # the Dask actor's proxy
    future: Any         # holding it keeps the actor on its worker
    threads: int        # the worker's
    capacity: int       # batches at once
    running: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.running


@dataclass
class _Flight:
    jobs: list[Shipped]
    runner: _Runner


class DaskExecutor:
    """A ``dask.distributed`` cluster: `scheduler` is ``tcp://host:port`` of a running
    scheduler, or None for a LocalCluster of one worker process per core (each with one
    simulator slot and a spare thread that prepares the next job meanwhile).
    Workers get the ELF and model bytes from the client, so they need the engine and
    the simulators, not our build cache or a compiler (docs/fleets.md).

    Jobs go in batches (:func:`batch_size`; at most `max_batch`) to a Dask actor on each
    worker (:mod:`~tfm_ci.fleet.batchrunner`), which the client calls (straight on our
    LocalCluster, through the scheduler on yours): Dask's own work is then a request
    and a reply per chunk of records, not a graph, a task and its release per batch.
    Records come back in chunks while their batch runs, each within `record_linger`
    seconds of being made. A batch carries the bytes of the files its jobs need, once
    each (a worker writes each file once), so a batch run again after its worker died
    needs nothing that died with it. Workers that join are used from the next look
    (`refresh_every` seconds); a worker that dies takes its batches' jobs along to be
    run again elsewhere, each up to ``distributed.scheduler.allowed-failures`` times
    (as Dask does with a task), then they are ERROR records."""

    max_batch = 16
    record_linger = 0.5     # seconds a record may wait on its worker for others to join it
    refresh_every = 5.0     # seconds between looks for workers that joined

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 connect_timeout: float = 10.0) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError(f"--executor dask needs dask.distributed: {exc}") from None
        self._cluster = None
        self._slots: int | None = None       # simulator slots per worker process
        self.connect_timeout = connect_timeout
        try:
            if scheduler is None:
                # Our own cluster spends less CPU on watching itself, which the simulators
                # can have: no statistical profiler sampling every worker thread each
                # 10 ms, no GIL sampling, no work stealing, event-loop health checks and
                # resource samples less often, and no memory limit (so no nanny sampling
                # each worker's memory: a worker's own memory is small, its simulators
                # are processes of their own). A cluster of yours keeps its configuration.
                with dask.config.set(_QUIET_CLUSTER):
                    self._cluster = LocalCluster(n_workers=max(1, workers or cpu_count()),
                                                 threads_per_worker=2, processes=True,
                                                 memory_limit=0, dashboard_address=None,
                                                 silence_logs=40)
                self._slots = 1
                # Its workers are on this machine: actor calls go to them straight (on a
                # cluster of yours they go through the scheduler, which reaches them).
                self.client = Client(self._cluster, direct_to_workers=True)
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
        self.allowed_failures = int(dask.config.get("distributed.scheduler.allowed-failures"))
        self._inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._runners: dict[str, _Runner] = {}     # worker address -> its runner
        self._making: dict[str, tuple[Any, int]] = {}    # address -> (actor's future, threads)
        self._in_flight: int | None = None
        self._refreshed = 0.0
        self._runner_error = ""                    # why the last runner could not be made
        self.workers = 1
        self.batches: list[int] = []          # each batch's job count (the last run)
        self.calls = 0                        # actor calls (the last run)
        self._refresh()
        if not self._await_runners(connect_timeout):
            self.close()
            raise ExecutorError(f"no dask worker of {scheduler or 'the LocalCluster'} could "
                                f"start tfm-ci's batch runner{self._runner_error}") from None

    @property
    def in_flight(self) -> int:
        """Batches at once: one per worker thread, and on a cluster of yours one more
        queued per worker, so that a thread starts its next batch at once. Our
        LocalCluster needs none queued: a worker's second thread prepares its next job
        while the first one's job simulates. More would only make batches smaller."""
        if self._in_flight is not None:
            return self._in_flight
        return max(1, sum(r.capacity for r in self._runners.values()))

    @in_flight.setter
    def in_flight(self, value: int) -> None:     # a fixed number (tests)
        self._in_flight = value

    def _refresh(self) -> None:
        """Start a runner on each worker that has none; forget the workers gone."""
        from tfm_ci.fleet.batchrunner import BatchRunner

        nthreads = self.client.nthreads()
        for address in [a for a in self._runners if a not in nthreads]:
            self._runners.pop(address).future.release()
        for address in [a for a in self._making if a not in nthreads]:
            self._making.pop(address)[0].release()
        for address, threads in nthreads.items():
            if address in self._runners or address in self._making:
                continue
            fut = self.client.submit(BatchRunner, threads, actor=True, workers=[address],
                                     allow_other_workers=False, pure=False,
                                     key=f"tfm-ci-batch-runner-{uuid.uuid4().hex}")
            self._making[address] = (fut, threads)
            fut.add_done_callback(lambda f, a=address: self._inbox.put((_RUNNER, (a, f))))
        self._refreshed = time.monotonic()

    def _runner_made(self, address: str, fut: Any) -> None:
        made = self._making.get(address)
        if made is None or made[0] is not fut:
            return                          # given up on (its worker left)
        del self._making[address]
        try:
            actor = fut.result()
        except Exception as exc:   # the worker left meanwhile, or cannot import tfm_ci
            self._runner_error = f" ({address}: {type(exc).__name__}: {exc})"
            fut.release()
            return
        threads = made[1]
        self._runners[address] = _Runner(address, actor, fut, threads, threads + (
            0 if self._slots else 1))
        self.workers = max(1, sum(r.threads if self._slots is None else self._slots
                                  for r in self._runners.values()))

    def _await_runners(self, timeout: float) -> bool:
        """Wait until some worker has a runner (at the start: nothing else is in the
        inbox yet)."""
        deadline = time.monotonic() + timeout
        while not self._runners and time.monotonic() < deadline:
            try:
                kind, item = self._inbox.get(timeout=0.25)
            except queue.Empty:
                self._refresh()
                continue
            if kind is _RUNNER:
                self._runner_made(*item)
        return bool(self._runners)

    def run(self, tasks: Iterable[Task], on_record: OnRecord) -> None:
        inbox = self._inbox
        stop = threading.Event()
        blobs: dict[str, bytes] = {}        # file name -> its bytes
        feeder = threading.Thread(target=self._feed, args=(tasks, blobs, inbox, stop),
                                  daemon=True, name="tfm-fleet-feed")
        feeder.start()
        pending: collections.deque[Shipped] = collections.deque()
        running: dict[str, _Flight] = {}           # batch id -> its jobs and runner
        known: dict[str, Task] = {}                # job id -> task, until its record came
        failures: collections.Counter[str] = collections.Counter()
        fed = False
        alone_since: float | None = None           # since when no worker has had a runner
        self.batches, self.calls = [], 0
        try:
            while True:
                if pending and time.monotonic() - self._refreshed > self.refresh_every:
                    self._refresh()
                while pending and self._room(running, len(pending), fed):
                    self._submit(pending, blobs, running)
                if fed and not pending and not running:
                    break
                # Every worker lost: wait for one to come (a nanny's replacement), looking
                # for it while the inbox is quiet, and still taking the runner's jobs.
                stranded = bool(pending) and not running and not self._runners
                if not stranded:
                    alone_since = None
                elif alone_since is None:
                    alone_since = time.monotonic()
                elif time.monotonic() - alone_since > self.connect_timeout:
                    for job in pending:
                        on_record(job.task, failed_record(
                            known.pop(job.task.job_id), "dask executor",
                            f"no dask worker left (waited {self.connect_timeout:g} s)"
                            f"{self._runner_error}"))
                    pending.clear()
                    alone_since = None
                    continue
                if stranded and time.monotonic() - self._refreshed > 0.25:
                    self._refresh()
                try:
                    kind, item = inbox.get(timeout=0.25 if stranded else None)
                except queue.Empty:
                    continue
                if kind is _JOB:
                    pending.append(item)
                    known[item.task.job_id] = item.task
                elif kind is _RECORD:
                    if item[0] not in running:
                        continue                # an earlier, interrupted run's batch
                    for job_id, record in pickle.loads(item[1]):
                        task = known.pop(job_id, None)
                        if task is not None:    # (each job's first record is its record)
                            on_record(task, record)
                elif kind is _BATCH:
                    flight = running.pop(item[0], None)
                    if flight is not None:      # None: an earlier, interrupted run's
                        self._ended(flight, item[1], known, failures, pending, on_record)
                elif kind is _RUNNER:
                    self._runner_made(*item)
                elif kind is _FED:
                    fed = True
                    if item is not None:
                        raise item
        finally:
            # On Ctrl-C: no more jobs; a batch still running stops after its current job.
            stop.set()
            self._cancel(running)

    def _room(self, running: dict[str, _Flight], pending: int, fed: bool) -> bool:
        """Whether to start another batch now. While the runner still hands over jobs,
        only to keep every simulator slot busy or for a full batch: the first jobs
        come moments before the rest, and a batch per job each (one per thread)
        would cost as many batches' messages for nothing."""
        if len(running) >= self.in_flight or not any(r.free > 0 for r in self._runners.values()):
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

    def _submit(self, pending: collections.deque[Shipped], blobs: dict[str, bytes],
                running: dict[str, _Flight]) -> None:
        runner = max(self._runners.values(), key=lambda r: r.free)
        jobs = [pending.popleft()
                for _ in range(batch_size(len(pending), self.in_flight, self.max_batch))]
        names = {n for j in jobs for n in (j.elf, j.model) if n is not None}
        batch_id = uuid.uuid4().hex
        packed = Batch(jobs, {n: blobs[n] for n in names}, self._slots).packed()
        running[batch_id] = _Flight(jobs, runner)
        runner.running += 1
        self.batches.append(len(jobs))
        self.client.loop.add_callback(self._drive, runner, batch_id, packed, self.record_linger)

    async def _drive(self, runner: _Runner, batch_id: str, packed: bytes,
                     linger: float) -> None:
        """(On the client's event loop.) Start a batch on its runner and pass its chunks
        of records on, then its end: an error string from the batch, or the exception
        of a call that failed (the worker or the way to it is lost)."""
        inbox = self._inbox
        try:
            self.calls += 1
            chunk = await runner.actor.run(batch_id, packed, linger)
            while True:
                if chunk.records:
                    inbox.put((_RECORD, (batch_id, chunk.records)))
                if chunk.done:
                    break
                self.calls += 1
                chunk = await runner.actor.more(batch_id, linger)
            inbox.put((_BATCH, (batch_id, chunk.error)))
        except Exception as exc:
            inbox.put((_BATCH, (batch_id, exc)))

    def _ended(self, flight: _Flight, error: BaseException | str | None,
               known: dict[str, Task], failures: collections.Counter[str],
               pending: collections.deque[Shipped], on_record: OnRecord) -> None:
        """A batch has ended; its jobs whose record never came run again (their worker
        was lost: each job up to `allowed_failures` times, as Dask reruns a task) or
        fail (the batch itself failed)."""
        runner = flight.runner
        runner.running -= 1
        left = [j for j in flight.jobs if j.task.job_id in known]
        if isinstance(error, BaseException):
            if self._runners.get(runner.address) is runner:
                del self._runners[runner.address]
                with contextlib.suppress(Exception):
                    runner.future.release()
            self._refreshed = 0.0       # look for its replacement at once
            for job in reversed(left):
                job_id = job.task.job_id
                failures[job_id] += 1
                if failures[job_id] <= self.allowed_failures:
                    pending.appendleft(job)
                else:
                    on_record(job.task, failed_record(
                        known.pop(job_id), "dask worker",
                        f"its worker was lost {failures[job_id]} time(s) while running it "
                        f"(distributed.scheduler.allowed-failures = {self.allowed_failures}); "
                        f"last: {type(error).__name__}: {error}"))
            return
        for job in left:
            on_record(job.task, failed_record(known.pop(job.task.job_id), "dask worker",
                                              error or "the batch ended without this "
                                                       "job's record"))

    def _cancel(self, running: dict[str, _Flight]) -> None:
        """Tell each runner to stop its batches after their current jobs."""
        by_runner: dict[_Runner, list[str]] = {}
        for batch_id, flight in running.items():
            by_runner.setdefault(flight.runner, []).append(batch_id)
            flight.runner.running -= 1
        for runner, ids in by_runner.items():
            with contextlib.suppress(Exception):    # a worker or client already gone
                runner.actor.cancel(ids).result(timeout=2)

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
