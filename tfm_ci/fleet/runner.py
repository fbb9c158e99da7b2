"""Run a fleet spec into a results folder: plan, reuse, build, simulate, record.

1. plan: the spec's jobs (of one shard), sorted by id;
2. reuse: a job whose record is in the folder with the same fingerprint is done
   (unless ``fresh``); a kernel set the board lacks is a SKIP record at once;
3. build: every distinct image once, on this machine, through the content cache;
4. simulate: the executor runs the rest; each record is written the moment it
   arrives, atomically, by this thread alone.

Steps 3 and 4 overlap: an image's jobs go to the executor as soon as that image
is built, so simulators run while later images are still looked up or compiled.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfm_ci.datasets import score
from tfm_ci.fleet import images
from tfm_ci.fleet.executors import Executor, LocalExecutor, cpu_count
from tfm_ci.fleet.identity import TOOL_VERSION, FleetJob, Shard, select_shard
from tfm_ci.fleet.results import ResultsDir, now
from tfm_ci.fleet.spec import FleetSpec
from tfm_ci.fleet.worker import Task
from tfm_ci.job import JobRecord, JobSpec, Status
from tfm_ci.registry import Registry

OK_STATUSES = ("PASS", "SKIP")


@dataclass
class Progress:
    """Counts the caller can show; `event` is called after each change."""

    total: int = 0
    done: int = 0
    reused: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    phase: str = "plan"
    images: int = 0
    started: float = field(default_factory=time.monotonic)
    sim_started: float | None = None
    sim_done: int = 0                # jobs simulated in this run (for the ETA)
    last_reused: bool = False        # the job just reported was already recorded

    def eta(self) -> float | None:
        left = self.total - self.done
        if self.sim_started is None or not self.sim_done or not left:
            return None
        return (time.monotonic() - self.sim_started) / self.sim_done * left


Event = Callable[[Progress, FleetJob | None, dict[str, Any] | None], None]


@dataclass
class FleetResult:
    jobs: list[FleetJob]
    records: dict[str, dict[str, Any]]     # job id -> record (with "job")
    reused: set[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(
            self.records[j.id]["status"] in OK_STATUSES and
            (self.records[j.id]["status"] != "SKIP" or self.records[j.id].get("reason"))
            for j in self.jobs)

    def ordered(self) -> list[dict[str, Any]]:
        return [self.records[j.id] for j in self.jobs]


def job_spec(spec: FleetSpec, job: FleetJob, cache_dir: str | None,
             work_root: Path | None = None) -> JobSpec:
    """The engine's job; a dataset share's samples travel as arrays (so a Dask worker
    needs no copy of the data file), one invocation each."""
    inputs, invocations = None, spec.invocations
    if job.dataset is not None:
        entry, share = spec.dataset_of(job)
        inputs, invocations = entry.inputs(share), 1
    return JobSpec(model=str(job.model_path), board=job.board, kernel_set=job.kernel_set,
                   inputs=inputs, limits=list(spec.limits), timeout=spec.timeout,
                   invocations=invocations, seed=spec.seed, cache_dir=cache_dir,
                   work_dir=str(work_root / job.id) if work_root else None)


def _score_dataset(spec: FleetSpec, job: FleetJob, record: dict[str, Any]) -> None:
    """A dataset job's record: its labels, top-1 predictions and agreement with TFLite
    (``accuracy``); the samples themselves are named, not copied, in ``spec.inputs``."""
    if job.dataset is None:
        return
    entry, share = spec.dataset_of(job)
    record["accuracy"] = score(record, entry.labels(share))
    record.setdefault("spec", {})["inputs"] = [job.dataset.label]


def _skip_record(registry: Registry, spec: FleetSpec, job: FleetJob,
                 cache_dir: str | None) -> dict[str, Any] | None:
    """A SKIP record when the board does not offer the job's kernel set."""
    board = registry.board(job.board)
    offered = [k.name for k in registry.kernel_sets(board)]
    if job.kernel_set in offered:
        return None
    js = job_spec(spec, job, cache_dir)
    rec = JobRecord(spec=js.to_dict(), board=job.board, model=js.model,
                    kernel_set=job.kernel_set)
    return rec.finish(Status.SKIP, "kernel-set",
                      f"board {job.board} ({board.core}) does not offer kernel set "
                      f"{job.kernel_set!r} (offers: {', '.join(offered)})").to_dict()


def manifest(spec: FleetSpec, shard: Shard | None, jobs: list[FleetJob], started: str,
             finished: str | None) -> dict[str, Any]:
    return {"spec": spec.source, "settings": spec.manifest_settings(),
            "tool_version": TOOL_VERSION, "shard": str(shard) if shard else None,
            "jobs": [j.identity() for j in jobs], "started": started, "finished": finished}


def run_fleet_spec(spec: FleetSpec, registry: Registry, results: str | Path, *,
                   executor: Executor | None = None, shard: Shard | None = None,
                   fresh: bool = False, cache_dir: str | None = None,
                   build_workers: int | None = None, work_root: str | Path | None = None,
                   event: Event | None = None) -> FleetResult:
    """Run every job of `spec` (or of `shard`) not already recorded in `results`.

    `work_root`: each job's simulator files go to `work_root/<job id>` (default:
    the engine's own temporary folder per job).
    """
    start = time.monotonic()
    out = ResultsDir(results)
    out.prepare()
    jobs = select_shard(spec.jobs(), shard)
    started = now()
    out.write_manifest(manifest(spec, shard, jobs, started, None))
    progress = Progress(total=len(jobs))
    notify = event or (lambda p, j, r: None)
    records: dict[str, dict[str, Any]] = {}
    reused: set[str] = set()

    def finished(job: FleetJob, record: dict[str, Any], *, write: bool) -> None:
        if write:
            record["job"] = job.job_key(shard)
            _score_dataset(spec, job, record)
            out.write_record(record)
        records[job.id] = record
        progress.last_reused = not write
        progress.done += 1
        progress.counts[record["status"]] = progress.counts.get(record["status"], 0) + 1
        notify(progress, job, record)

    todo: list[FleetJob] = []
    for job in jobs:
        old = None if fresh else out.read_record(job.id)
        if old is not None and old["job"].get("fingerprint") == job.fingerprint:
            reused.add(job.id)
            progress.reused += 1
            finished(job, old, write=False)
            continue
        skip = _skip_record(registry, spec, job, cache_dir)
        if skip is not None:
            finished(job, skip, write=True)
        else:
            todo.append(job)

    if todo:
        progress.phase = "build"
        # One build per distinct image: the same model bytes under two names build once.
        wanted: dict[tuple[str, str, str], Path] = {}
        waiting: dict[tuple[str, str, str], list[FleetJob]] = {}
        for j in todo:
            wanted.setdefault((j.board, j.kernel_set, j.model_sha256), j.model_path)
            waiting.setdefault((j.board, j.kernel_set, j.model_sha256), []).append(j)
        progress.images = len(wanted)
        notify(progress, None, None)
        tasks: dict[str, tuple[FleetJob, Task]] = {}

        image_of = {(b, k, p): (b, k, s) for (b, k, s), p in wanted.items()}
        builds = images.Builds(registry, list(image_of), workers=build_workers or cpu_count(),
                               cache_dir=Path(cache_dir) if cache_dir else None)

        def built_tasks() -> Iterator[Task]:
            """Each image's tasks as soon as it is built (in the executor's feeder
            thread: the first jobs simulate while later images are looked up)."""
            for item, image in builds.each():
                for job in waiting[image_of[item]]:
                    js = job_spec(spec, job, cache_dir, Path(work_root) if work_root else None)
                    # Not built from the bytes planned (the file changed since): run_job
                    # builds the job's image itself.
                    mine = image if image is not None and image.key == (
                        job.board, job.kernel_set, job.model_sha256, None) else None
                    task = Task(job.id, js.to_dict(), mine, model_sha256=job.model_sha256)
                    tasks[job.id] = (job, task)
                    yield task

        progress.phase = "simulate"
        progress.sim_started = time.monotonic()
        notify(progress, None, None)
        own = executor is None
        ex = executor or LocalExecutor(registry)
        try:
            def on_record(task: Task, record: dict[str, Any]) -> None:
                progress.sim_done += 1
                finished(tasks[task.job_id][0], record, write=True)

            ex.run(built_tasks(), on_record)
        finally:
            builds.cancel()             # interrupted: no more builds
            if own:
                ex.close()
    progress.phase = "done"
    out.write_manifest(manifest(spec, shard, jobs, started, now()))
    notify(progress, None, None)
    return FleetResult(jobs, records, reused, time.monotonic() - start)
