"""The worker's side of the Dask executor: a Dask actor that runs batches of fleet jobs
on its worker and hands their records back in chunks.

The client makes one :class:`BatchRunner` on each worker and calls it: an actor call is
one request and one reply between client and worker (about 1 ms of CPU in all, measured
on a LocalCluster; through the scheduler's proxy on a cluster of yours, 1.5 ms), where
a Dask task per batch cost about 10 ms over client, scheduler and worker (graph, state
machines, result, release) and each event two more messages through the scheduler. The
scheduler only sees the actors made.

A batch's records come back while it still runs: :meth:`BatchRunner.run` starts the
batch and returns its first chunk, :meth:`BatchRunner.more` each next one. A chunk is
every record made since the last, returned once the first of them has waited
`linger` seconds (or the batch ended): short jobs share chunks, a long job's record
is back within the linger.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tfm_ci.fleet import worker as job_worker


@dataclass
class Chunk:
    records: bytes       # pickled [(job id, record dict)]: pickle is several times cheaper
                         # than JSON each way, and the client gets what run_job made
    done: bool           # the batch has ended: no chunk after this one
    error: str | None = None           # why the batch itself failed (its jobs: no records)


@dataclass
class _Running:
    """One batch on this worker: its records not yet handed back. The batch's thread
    adds records; the event loop hears of the first one of each chunk and of the end
    (one wake-up per chunk, not per record)."""

    loop: asyncio.AbstractEventLoop
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    first_at: float = 0.0              # monotonic time of the oldest waiting record
    done: bool = False
    error: str | None = None
    stopped: threading.Event = field(default_factory=threading.Event)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, job_id: str, record: dict[str, Any]) -> None:
        """(The batch's thread.)"""
        with self.lock:
            self.records.append((job_id, record))
            first = len(self.records) == 1
            if first:
                self.first_at = time.monotonic()
        if first:
            self.loop.call_soon_threadsafe(self.changed.set)

    def finish(self, error: str | None) -> None:
        """(The batch's thread, last.)"""
        with self.lock:
            self.done, self.error = True, error
        self.loop.call_soon_threadsafe(self.changed.set)

    def take(self) -> list[tuple[str, dict[str, Any]]]:
        with self.lock:
            records, self.records = self.records, []
        return records

    async def _changed(self, timeout: float | None = None) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.changed.wait(), timeout)
        self.changed.clear()


class BatchRunner:
    """Runs batches (:class:`~tfm_ci.fleet.worker.Batch`, packed) on `threads` threads
    of its own (each batch says how many of them may simulate at once). It lives as
    long as the client holds it; a batch stops after its current job when cancelled or
    when the client has let go of the actor (or is gone)."""

    def __init__(self, threads: int) -> None:
        self._pool = ThreadPoolExecutor(max(1, threads), thread_name_prefix="tfm-fleet-batch")
        self._batches: dict[str, _Running] = {}
        self._worker: Any = None
        self._key: Any = None
        try:
            from distributed import get_worker

            self._worker = get_worker()
            self._key = self._worker.get_current_task()   # the actor's own key
        except (ImportError, ValueError):     # made outside a Dask worker (tests)
            pass

    async def run(self, batch_id: str, packed: bytes, linger: float) -> Chunk:
        """Start a batch; its first chunk."""
        running = _Running(asyncio.get_running_loop())
        self._batches[batch_id] = running
        self._pool.submit(self._work, running, packed)
        return await self.more(batch_id, linger)

    async def more(self, batch_id: str, linger: float) -> Chunk:
        """The batch's next chunk: when a record has waited `linger` seconds (others
        made meanwhile join it) or the batch has ended."""
        running = self._batches[batch_id]
        while not running.records and not running.done:
            await running._changed()
        while not running.done:
            left = running.first_at + linger - time.monotonic()
            if left <= 0:
                break
            await running._changed(left)
        done = running.done       # read first: a record added after it is in the next chunk
        records = running.take()
        if done:
            del self._batches[batch_id]
        return Chunk(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), done,
                     running.error)

    async def cancel(self, batch_ids: list[str]) -> None:
        """Stop these batches after their current jobs (the client was interrupted)."""
        for batch_id in batch_ids:
            running = self._batches.get(batch_id)
            if running is not None:
                running.stopped.set()

    def _wanted(self) -> bool:
        """Whether the client still holds this actor (a client that is gone, or let go,
        takes the actor off its worker's list)."""
        return self._worker is None or self._key in self._worker.state.actors

    def _work(self, running: _Running, packed: bytes) -> None:
        error = None
        try:
            batch: job_worker.Batch = pickle.loads(packed)
            for job in batch.jobs:
                if running.stopped.is_set() or not self._wanted():
                    break
                running.add(job.task.job_id, job_worker.job_record(job, batch.blobs, batch.slots))
        except Exception as exc:    # the machinery (job_record keeps the jobs' own errors)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            running.finish(error)
