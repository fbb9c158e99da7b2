"""Run many jobs concurrently: a thread pool around run_job.

Each job's simulator is a separate process, so threads suffice; at most
``workers`` simulations run at once (default and cap: the CPU count, one QEMU
per core). Specs and records are plain data, so a process pool, a shard or a
Dask cluster can replace this without touching run_job.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed

from tfm_ci.job import JobRecord, JobSpec, run_job
from tfm_ci.registry import Registry


def default_workers(requested: int | None = None) -> int:
    cpus = os.cpu_count() or 1
    return max(1, min(requested or cpus, cpus))


def run_fleet(specs: Sequence[JobSpec], registry: Registry, *, workers: int | None = None,
              on_done: Callable[[JobRecord], None] | None = None) -> list[JobRecord]:
    """Run every spec; records come back in the order of `specs`."""
    records: list[JobRecord | None] = [None] * len(specs)
    with ThreadPoolExecutor(max_workers=default_workers(workers)) as pool:
        futures = {pool.submit(run_job, spec, registry): i for i, spec in enumerate(specs)}
        for fut in as_completed(futures):
            record = fut.result()
            records[futures[fut]] = record
            if on_done is not None:
                on_done(record)
    return [r for r in records if r is not None]


def shard(specs: Sequence[JobSpec], index: int, count: int) -> list[JobSpec]:
    """The `index`-th of `count` interleaved shards (for CI jobs split across machines)."""
    if not 0 <= index < count:
        raise ValueError(f"shard index {index} not in 0..{count - 1}")
    return list(specs[index::count])
