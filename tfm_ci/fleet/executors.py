"""Where fleet jobs are simulated: local threads or a Dask cluster.

Both take :class:`~tfm_ci.fleet.worker.Task` objects and hand each finished
record dict back, in the calling thread, as soon as it arrives, so the caller
alone writes records (no two writers, nothing written after an interrupt).
A task that dies with its worker becomes an ERROR record of that job.
"""

from __future__ import annotations

import os
import traceback
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any, Protocol

from tfm_ci.fleet.worker import Task, run_task
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

    def run(self, tasks: Sequence[Task], on_record: OnRecord) -> None:
        """Run every task; call `on_record` (in this thread) as each finishes."""

    def close(self) -> None:
        """Release workers and connections."""


class LocalExecutor:
    """Threads: each job's simulator is its own process, so threads keep every core busy;
    `workers` simulations at most run at once (default: one per core)."""

    def __init__(self, registry: Registry, workers: int | None = None) -> None:
        self.registry = registry
        self.workers = max(1, workers or cpu_count())

    def run(self, tasks: Sequence[Task], on_record: OnRecord) -> None:
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="tfm-fleet")
        try:
            futures = {pool.submit(run_task, t, self.registry): t for t in tasks}
            for fut in as_completed(futures):
                task = futures[fut]
                exc = fut.exception()
                on_record(task, failed_record(task, "local worker", exc) if exc
                          else fut.result())
        finally:
            # On Ctrl-C: drop queued jobs and do not wait for the running ones.
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        pass


class DaskExecutor:
    """A ``dask.distributed`` cluster: `scheduler` is ``tcp://host:port`` of a running
    scheduler, or None for a LocalCluster of one single-threaded worker process per core.
    Tasks carry their ELF and model bytes, so workers need the engine and the
    simulators, not our build cache or a compiler (docs/fleets.md)."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 connect_timeout: float = 10.0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError(f"--executor dask needs dask.distributed: {exc}") from None
        self._cluster = None
        try:
            if scheduler is None:
                self._cluster = LocalCluster(n_workers=max(1, workers or cpu_count()),
                                             threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=40)
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
        self.workers = sum(self.client.nthreads().values()) or 1

    def run(self, tasks: Sequence[Task], on_record: OnRecord) -> None:
        from distributed import as_completed as dask_completed

        # Unique keys: a reused key could hand back an earlier run's result.
        futures = {self.client.submit(run_task, t.shipped(), pure=False,
                                      key=f"tfm-ci-{t.job_id}-{uuid.uuid4().hex}"): t
                   for t in tasks}
        try:
            for fut in dask_completed(list(futures)):
                task = futures[fut]
                try:
                    record = fut.result()
                except Exception as exc:    # worker died, task lost, unpicklable result
                    record = failed_record(task, "dask worker", exc)
                on_record(task, record)
        finally:
            pending = [f for f in futures if not f.done()]
            if pending:
                self.client.cancel(pending)

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
