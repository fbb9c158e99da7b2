"""The Dask executor's batches: sizes that shrink so the last ones end together, records
streamed back while their batch still runs, and a worker that dies mid-batch.

The executor tests run a LocalCluster of real worker processes whose `run_shipped` is
replaced (a worker plugin, so a restarted worker has it too) by a stand-in that
sleeps instead of simulating, and can kill its own worker process at a chosen job."""

from __future__ import annotations

import heapq
import itertools
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import WorkerPlugin

from tfm_ci.fleet.executors import batch_size
from tfm_ci.fleet.worker import Task

# -- batch sizes (no cluster) ---------------------------------------------------------------


def sizes(jobs: int, in_flight: int, most: int = 16) -> list[int]:
    out, left = [], jobs
    while left:
        out.append(batch_size(left, in_flight, most))
        left -= out[-1]
    return out


@pytest.mark.parametrize(("jobs", "in_flight"), [(56, 6), (56, 4), (1000, 6), (7, 3), (1, 4)])
def test_batches_cover_every_job_and_shrink_to_one(jobs: int, in_flight: int) -> None:
    got = sizes(jobs, in_flight)
    assert sum(got) == jobs
    assert got == sorted(got, reverse=True)        # never a big batch after a small one
    assert got[-1] == 1 and max(got) <= 16
    if jobs >= 8 * in_flight:
        assert len(got) < jobs / 2, got            # far fewer Dask tasks than jobs


def makespan(jobs: int, slots: int, in_flight: int) -> float:
    """Jobs of unit length, `slots` simulators each taking the next batch when free
    (batches sized as the executor does, from the jobs not yet handed out)."""
    free = [0.0] * slots
    left = jobs
    while left:
        n = batch_size(left, in_flight, 16)
        left -= n
        start = heapq.heappop(free)
        heapq.heappush(free, start + n)
    return max(free)


@pytest.mark.parametrize(("jobs", "slots"), [(56, 2), (57, 2), (200, 4), (13, 3)])
def test_batches_balance_the_tail(jobs: int, slots: int) -> None:
    ideal = jobs / slots
    # The last batches are single jobs: no slot ends more than about one job after another.
    assert makespan(jobs, slots, in_flight=2 * slots) <= ideal + 1


# -- on a LocalCluster ------------------------------------------------------------------------

class StandIn(WorkerPlugin):
    """A worker plugin: `run_shipped` sleeps `delay` seconds and returns a small record;
    the job named `die_at` kills the worker process (once: a marker file says it did)."""

    name = "tfm-test-stand-in"

    def __init__(self, delay: float, die_at: str | None = None, marker: str = "") -> None:
        self.delay, self.die_at, self.marker = delay, die_at, marker

    def setup(self, worker: Any) -> None:
        from tfm_ci.fleet import worker as module

        def run_shipped(task: Task, elf: bytes | None, model: bytes,
                        slots: int | None = None) -> dict[str, Any]:
            time.sleep(self.delay)    # (dying mid-job: the records before it are sent)
            if task.job_id == self.die_at and not os.path.exists(self.marker):
                open(self.marker, "w").close()
                os._exit(1)
            return {"status": "PASS", "job_id": task.job_id, "pid": os.getpid(),
                    "model_bytes": len(model), "ended": time.time(),
                    "run": task.spec.get("run")}

        module.run_shipped = run_shipped


@pytest.fixture
def cluster(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A DaskExecutor on its own LocalCluster of one worker process; the parameter is
    the scheduler's ``allowed-failures`` (reruns of a task whose worker died)."""
    import cloudpickle
    import dask

    from tfm_ci.fleet.executors import DaskExecutor

    # This module's plugin by value: the worker processes need not import the tests.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with dask.config.set({"distributed.scheduler.allowed-failures": request.param}):
        ex = DaskExecutor(None, 1)
    try:
        yield ex
    finally:
        ex.close()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def tasks(folder: Path, names: list[str]) -> list[Task]:
    model = folder / "m.tflite"
    model.write_bytes(b"model bytes")
    return [Task(n, {"model": str(model), "board": "host", "kernel_set": "reference"},
                 model_sha256="ab" * 32) for n in names]


def run(ex: Any, todo: list[Task]) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    got: dict[str, dict[str, Any]] = {}
    when: dict[str, float] = {}

    def on_record(task: Task, record: dict[str, Any]) -> None:
        assert task.job_id not in got, f"{task.job_id}: two records"
        got[task.job_id], when[task.job_id] = record, time.time()

    ex.run(iter(todo), on_record)
    return got, when


def batches_of(ex: Any, names: list[str]) -> list[list[str]]:
    """Jobs of each batch: batches take the jobs in order."""
    out, i = [], 0
    for n in ex.batches:
        out.append(names[i:i + n])
        i += n
    return out


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_records_arrive_while_their_batch_runs(cluster: Any, tmp_path: Path) -> None:
    cluster.client.register_plugin(StandIn(delay=0.3))
    cluster.in_flight = 1             # one batch at a time: the others wait and batch up
    cluster.record_linger = 0         # each record sent the moment it is made
    names = [f"j{i}" for i in range(6)]
    got, when = run(cluster, tasks(tmp_path, names))
    assert sorted(got) == names
    assert all(r["status"] == "PASS" and r["model_bytes"] == 11 for r in got.values())
    assert sum(cluster.batches) == 6 and len(cluster.batches) < 6
    multi = [b for b in batches_of(cluster, names) if len(b) > 1]
    assert multi, cluster.batches
    for batch in multi:
        # Each record came as its job ended, 0.3 s apart, not all at the batch's end.
        assert when[batch[-1]] - when[batch[0]] >= 0.2 * (len(batch) - 1), when
    # No Dask task per batch: the only tasks the scheduler ever saw made the runners.
    prefixes = cluster.client.run_on_scheduler(
        lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert prefixes == ["tfm-ci-batch-runner"], prefixes


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_no_batch_per_job_while_the_runner_hands_jobs_over(cluster: Any,
                                                           tmp_path: Path) -> None:
    """The first job starts at once; the next ones, arriving while it runs, wait for the
    runner's last job instead of going out one batch each to the idle second thread."""
    cluster.client.register_plugin(StandIn(delay=0.6))
    names = [f"j{i:02d}" for i in range(11)]
    todo = tasks(tmp_path, names)

    def slow_feed() -> Iterator[Task]:
        yield todo[0]
        time.sleep(0.1)          # an image still being built
        yield from todo[1:]

    got: dict[str, dict[str, Any]] = {}
    cluster.run(slow_feed(), lambda task, record: got.setdefault(task.job_id, record))
    assert sorted(got) == names
    # One worker with two threads: 1 job, then half of the 10 that waited.
    assert cluster.batches[:2] == [1, 5], cluster.batches


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_records_wait_at_most_the_linger(cluster: Any, tmp_path: Path) -> None:
    """With a linger, the records made meanwhile come back together: each waits on its
    worker no longer than the linger, and a batch's records still come while it runs."""
    cluster.client.register_plugin(StandIn(delay=0.15))
    cluster.in_flight = 1
    cluster.record_linger = 0.5
    names = [f"j{i:02d}" for i in range(12)]
    got, when = run(cluster, tasks(tmp_path, names))
    assert sorted(got) == names
    waits = {n: when[n] - got[n]["ended"] for n in names}
    assert max(waits.values()) <= 0.5 + 0.25, waits      # the linger, and the message
    arrivals = sorted(when.values())
    groups = 1 + sum(b - a > 0.05 for a, b in itertools.pairwise(arrivals))
    assert groups < len(names) / 2, waits                 # records shared their chunks
    big = max(batches_of(cluster, names), key=len)
    assert len(big) >= 4, cluster.batches
    # Its first records came well before its last job ended.
    assert min(when[n] for n in big) < max(got[n]["ended"] for n in big) - 0.2


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [0], indirect=True)
def test_a_worker_dying_mid_batch_fails_the_rest_of_it(cluster: Any, tmp_path: Path) -> None:
    cluster.client.register_plugin(StandIn(delay=0.3, die_at="j3",
                                           marker=str(tmp_path / "died")))
    cluster.in_flight = 1
    # No linger: the records made before the worker died are all sent (with one, those
    # still waiting on the worker die with it, like its unfinished jobs).
    cluster.record_linger = 0
    names = [f"j{i}" for i in range(6)]
    got, _ = run(cluster, tasks(tmp_path, names))
    assert sorted(got) == names              # every job has exactly one record
    dead = next(b for b in batches_of(cluster, names) if "j3" in b)
    for name in names:
        record = got[name]
        if name in dead and names.index(name) >= 3:
            # No retry allowed: the batch's jobs not finished when its worker died fail.
            assert (record["status"], record["category"]) == ("ERROR", "executor"), record
            assert record["reason"].startswith(
                "dask worker: its worker was lost 1 time(s) while running it"), record["reason"]
            assert record["board"] == "host" and record["model"].endswith("m.tflite")
        else:
            assert record["status"] == "PASS", record    # sent before the worker died


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_a_rerun_batch_repeats_no_record(cluster: Any, tmp_path: Path) -> None:
    """Dask reruns the batch of a dead worker on a new one; the records the client
    already has are not written again, the others are the rerun's."""
    cluster.client.register_plugin(StandIn(delay=0.3, die_at="j3",
                                           marker=str(tmp_path / "died")))
    cluster.in_flight = 1
    names = [f"j{i}" for i in range(6)]
    got, _ = run(cluster, tasks(tmp_path, names))
    assert (tmp_path / "died").exists()
    assert sorted(got) == names and all(r["status"] == "PASS" for r in got.values())
    pids = {r["pid"] for r in got.values()}
    assert len(pids) == 2                    # before and after the restart


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_a_worker_that_joins_gets_jobs(cluster: Any, tmp_path: Path) -> None:
    """A worker that joins the cluster mid-run gets a runner at the next look, and jobs."""
    cluster.client.register_plugin(StandIn(delay=0.3))
    cluster.refresh_every = 0.2
    cluster.max_batch = 2        # small batches: some are still to hand out when it joins
    names = [f"j{i:02d}" for i in range(24)]
    todo = tasks(tmp_path, names)

    def growing() -> Iterator[Task]:
        yield from todo[:2]
        cluster._cluster.scale(2)      # (the feeder's thread: the run goes on meanwhile)
        yield from todo[2:]

    got: dict[str, dict[str, Any]] = {}
    cluster.run(growing(), lambda task, record: got.setdefault(task.job_id, record))
    assert sorted(got) == names and all(r["status"] == "PASS" for r in got.values())
    assert len({r["pid"] for r in got.values()}) == 2, got


class Broken(WorkerPlugin):
    """A worker plugin: the batch runner cannot be made (as on a worker without tfm-ci)."""

    name = "tfm-test-broken-runner"

    def setup(self, worker: Any) -> None:
        from tfm_ci.fleet import batchrunner

        def broken(self: Any, threads: int) -> None:
            raise ImportError("No module named 'tfm_ci' (test)")

        batchrunner.BatchRunner.__init__ = broken


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_workers_that_cannot_run_tfm_ci_are_a_clear_error(cluster: Any) -> None:
    from tfm_ci.fleet.executors import DaskExecutor, ExecutorError

    cluster.client.register_plugin(Broken())
    address = cluster.client.scheduler.address
    with pytest.raises(ExecutorError) as caught:
        DaskExecutor(address, connect_timeout=3)
    message = str(caught.value)
    assert f"no dask worker of {address} could start tfm-ci's batch runner" in message
    assert "ImportError: No module named 'tfm_ci' (test)" in message


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_an_interrupted_runs_late_records_stay_out_of_the_next_run(cluster: Any,
                                                                   tmp_path: Path) -> None:
    """Ctrl-C: the running batch stops after its current job, whose record still comes back,
    after the run has ended. The same executor's next run of the same jobs takes only
    its own records."""
    cluster.client.register_plugin(StandIn(delay=0.3))
    cluster.in_flight = 1
    cluster.record_linger = 0
    names = [f"j{i}" for i in range(6)]

    seen: list[str] = []

    def interrupt(task: Task, record: dict[str, Any]) -> None:
        seen.append(task.job_id)
        if len(seen) == 2:      # the first batch is j0 alone, the second the rest: in it
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cluster.run(iter(tasks(tmp_path, names)), interrupt)
    second = tasks(tmp_path, names)
    for task in second:
        task.spec["run"] = 2
    got, _ = run(cluster, second)
    assert sorted(got) == names
    assert {n: r["run"] for n, r in got.items()} == dict.fromkeys(names, 2)


@pytest.mark.slow
@pytest.mark.parametrize("cluster", [3], indirect=True)
def test_jobs_that_come_while_no_worker_is_left_still_run(cluster: Any, tmp_path: Path) -> None:
    """The only worker dies while the runner still hands jobs over: the jobs that come
    while the client waits for its replacement are kept and run on it."""
    import threading

    cluster.client.register_plugin(StandIn(delay=0.2, die_at="j1",
                                           marker=str(tmp_path / "died")))
    cluster.in_flight = 1
    names = [f"j{i:02d}" if i > 1 else f"j{i}" for i in range(12)]
    todo = tasks(tmp_path, names)

    def trickle() -> Iterator[Task]:
        yield from todo[:2]
        for task in todo[2:]:       # one every 0.15 s, across the worker's restart
            time.sleep(0.15)
            yield task

    got: dict[str, dict[str, Any]] = {}
    runner = threading.Thread(target=cluster.run, daemon=True, args=(
        trickle(), lambda task, record: got.setdefault(task.job_id, record)))
    runner.start()
    runner.join(timeout=120)
    assert not runner.is_alive(), f"the run hung; records of {sorted(got)}"
    assert (tmp_path / "died").exists()
    assert sorted(got) == sorted(names) and all(r["status"] == "PASS" for r in got.values())
