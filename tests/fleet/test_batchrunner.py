"""The Dask executor's worker side on its own (no cluster): a BatchRunner's chunks of
records, the linger, cancelling, and a batch that cannot even be read."""

from __future__ import annotations

import asyncio
import pickle
import time
from typing import Any

import pytest

from tfm_ci.fleet import worker as job_worker
from tfm_ci.fleet.batchrunner import BatchRunner, Chunk
from tfm_ci.fleet.worker import Batch, Shipped, Task


@pytest.fixture
def slow_jobs(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Each job takes 0.1 s and its record is its id; returns when each job ended."""
    ended: dict[str, float] = {}

    def job_record(job: Shipped, blobs: dict[str, bytes], slots: int | None) -> dict[str, Any]:
        time.sleep(0.1)
        ended[job.task.job_id] = time.monotonic()
        return {"job": job.task.job_id, "blob": blobs[job.model]}

    monkeypatch.setattr(job_worker, "job_record", job_record)
    return ended


def ids(chunk: Chunk) -> list[str]:
    return [job_id for job_id, _ in pickle.loads(chunk.records)]


def packed(names: list[str]) -> bytes:
    jobs = [Shipped(Task(n, {"model": "m.tflite"}), None, "model:m") for n in names]
    return Batch(jobs, {"model:m": b"bytes"}, None).packed()


async def chunks(runner: BatchRunner, names: list[str], linger: float) -> list[tuple[float, Chunk]]:
    out = [(0.0, await runner.run("b1", packed(names), linger))]
    out[0] = (time.monotonic(), out[0][1])
    while not out[-1][1].done:
        chunk = await runner.more("b1", linger)
        out.append((time.monotonic(), chunk))
    return out


def test_records_come_in_chunks_within_the_linger(slow_jobs: dict[str, float]) -> None:
    names = [f"j{i}" for i in range(8)]
    got = asyncio.run(chunks(BatchRunner(1), names, linger=0.25))
    records = [job_id for _, chunk in got for job_id in ids(chunk)]
    assert records == names                          # each once, in order
    assert got[-1][1].done and not any(c.done for _, c in got[:-1])
    assert all(c.error is None for _, c in got)
    assert pickle.loads(got[0][1].records)[0][1] == {"job": "j0", "blob": b"bytes"}
    # Jobs of 0.1 s with a 0.25 s linger share chunks, and none waits much past the linger.
    assert 2 <= len([c for _, c in got if ids(c)]) <= 5, got
    for at, chunk in got:
        for job_id in ids(chunk):
            assert at - slow_jobs[job_id] <= 0.25 + 0.1, (job_id, at - slow_jobs[job_id])


def test_no_linger_gives_each_record_at_once(slow_jobs: dict[str, float]) -> None:
    got = asyncio.run(chunks(BatchRunner(1), ["a", "b", "c"], linger=0))
    assert [len(ids(c)) for _, c in got if ids(c)] == [1, 1, 1]


def test_a_cancelled_batch_stops_after_its_current_job(slow_jobs: dict[str, float]) -> None:
    async def go() -> list[str]:
        runner = BatchRunner(1)
        first = await runner.run("b1", packed([f"j{i}" for i in range(10)]), 0)
        await runner.cancel(["b1", "unknown"])
        done = ids(first)
        chunk = first
        while not chunk.done:
            chunk = await runner.more("b1", 0)
            done += ids(chunk)
        return done

    assert asyncio.run(go()) in (["j0"], ["j0", "j1"])


def test_a_batch_that_cannot_be_read_ends_with_its_error() -> None:
    async def go() -> Chunk:
        return await BatchRunner(1).run("b1", b"not a pickle", 0.5)

    chunk = asyncio.run(go())
    assert chunk.done and ids(chunk) == []
    assert chunk.error is not None and chunk.error.startswith("UnpicklingError"), chunk.error


def test_batches_share_the_runner_threads(slow_jobs: dict[str, float]) -> None:
    async def go() -> list[list[str]]:
        runner = BatchRunner(2)

        async def one(batch_id: str, names: list[str]) -> list[str]:
            chunk = await runner.run(batch_id, packed(names), 0)
            out = ids(chunk)
            while not chunk.done:
                chunk = await runner.more(batch_id, 0)
                out += ids(chunk)
            return out

        return await asyncio.gather(one("b1", ["a1", "a2", "a3"]), one("b2", ["b1", "b2", "b3"]))

    first, second = asyncio.run(go())
    assert first == ["a1", "a2", "a3"] and second == ["b1", "b2", "b3"]
    # Two threads: side by side (on one, the second batch would start after the first).
    assert slow_jobs["b1"] < slow_jobs["a3"], slow_jobs
