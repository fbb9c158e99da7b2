"""Fleet throughput: jobs per minute and parallel efficiency, local and Dask executors,
against the raw cost of simulation (the records' own QEMU commands in a process pool).

    .venv/bin/python benchmarks/fleet.py [--board B ...] [--copies N] [--workers N ...]
                                          [--no-dask] [--no-local] [MODEL ...]

A warm run first builds every image and records each job's exact simulator command.
Then, for each worker count, the same commands run directly (`raw`: a process pool
of subprocesses, nothing else), and the whole fleet runs afresh with a warm cache
(`local`, `dask` on a LocalCluster started beforehand), in interleaved rounds; each
row is the fastest of `--repeat` rounds. "vs raw" is a fleet's
throughput over raw throughput at the same worker count ("vs raw by CPU": the same from
the fleet's own CPU per job, the simulators costing what they did in the raw row); "efficiency" is
throughput(N) / (N x throughput(1)) of that row's executor; "outside sim" is the
share of worker time not spent in a simulator process (1 - sum of the records'
simulation seconds / (wall x workers)).

Wall-clock ratios move with the machine's other load; CPU time does not (much). So each
row also reports CPU milliseconds per job: "sim CPU" of the simulator processes (reaped
children) and "fleet CPU" of every other process of the run (this one, its threads, the
Dask scheduler, nannies and workers, the raw pool's processes: everything but the
simulators), and "outside sim CPU" = fleet CPU / (fleet CPU + sim CPU). The raw row's
fleet CPU is what merely starting the commands costs (fork, exec, reading the output).
A local row counts this process only, a Dask row this process and the cluster's processes
(the client's own idle Dask threads are in every row of this process, a little).
``--heavy`` adds person_detect (about 100x the instructions of the others) to the models.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table
from yardstick import benchmark_models

from tfm_ci.cli import console
from tfm_ci.fleet import run_fleet_spec
from tfm_ci.fleet.executors import DaskExecutor, LocalExecutor, cpu_count
from tfm_ci.fleet.spec import from_dict
from tfm_ci.registry import Registry

BOARDS = ("mps2-an386", "riscv32-virt")
GOAL_VS_RAW, GOAL_OUTSIDE = 0.90, 0.05


try:
    import psutil
except ImportError:     # pragma: no cover - psutil comes with dask.distributed
    psutil = None


@dataclass
class Cpu:
    """CPU seconds so far: `fleet` of this process and its live descendants themselves,
    `sim` of the processes they reaped (the simulators; pool workers and Dask workers
    are alive while measured, so their own CPU is counted as fleet CPU)."""

    fleet: float
    sim: float

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.fleet - other.fleet, self.sim - other.sim)


def cpu_now(pids: list[int] | None = None) -> Cpu:
    """This process, and the live processes `pids` (None: all descendants)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    fleet, sim = me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime
    if psutil is not None and pids != []:
        procs = psutil.Process(os.getpid()).children(recursive=True) if pids is None else \
            [psutil.Process(p) for p in pids]
        for proc in procs:
            try:
                t = proc.cpu_times()
            except psutil.Error:
                continue
            fleet += t.user + t.system
            sim += t.children_user + t.children_system
    return Cpu(fleet, sim)


@dataclass
class Row:
    executor: str
    workers: int
    jobs: int
    wall: float
    sim: float            # sum of simulator process seconds
    cpu: Cpu | None = None

    @property
    def per_minute(self) -> float:
        return 60 * self.jobs / self.wall

    @property
    def outside(self) -> float:
        return max(0.0, 1 - self.sim / (self.wall * self.workers))


def _run_command(item: tuple[list[str], str]) -> float:
    cmd, cwd = item
    start = time.monotonic()
    subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=600,
                   check=False)
    return time.monotonic() - start


def raw(commands: list[tuple[list[str], str]], workers: int) -> Row:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_run_command, commands[:workers]))        # start the pool's processes
        pids = list(pool._processes)        # the pool's own processes
        cpu0, start = cpu_now(pids), time.monotonic()
        seconds = list(pool.map(_run_command, commands))
        wall = time.monotonic() - start
        cpu = cpu_now(pids) - cpu0
    return Row("raw", workers, len(commands), wall, sum(seconds), cpu)


def fleet(spec, registry: Registry, executor, name: str, workers: int, scratch: Path) -> Row:
    # The local executor is this process alone (the idle Dask cluster kept for the
    # interleaved rounds is not part of its run); Dask is this process and the cluster.
    pids = None if name == "dask" else []
    cpu0, start = cpu_now(pids), time.monotonic()
    result = run_fleet_spec(spec, registry, scratch / f"results-{name}-{workers}",
                            executor=executor, fresh=True, work_root=scratch / "work")
    wall = time.monotonic() - start
    cpu = cpu_now(pids) - cpu0
    bad = [r for r in result.ordered() if r["status"] != "PASS"]
    if bad:
        raise SystemExit(f"{name}: {len(bad)} job(s) did not pass: {bad[0]['reason']}")
    sim = sum(r["simulation"].get("seconds", 0) for r in result.ordered())
    return Row(name, workers, len(result.jobs), wall, sim, cpu)


def _cpu_cells(r: Row) -> tuple[str, str, str]:
    if r.cpu is None:
        return "-", "-", "-"
    total = r.cpu.fleet + r.cpu.sim
    return (f"{1000 * r.cpu.sim / r.jobs:.1f}", f"{1000 * r.cpu.fleet / r.jobs:.1f}",
            f"{100 * r.cpu.fleet / total:.0f}%" if total > 0 else "-")


def _by_cpu(r: Row, raw_row: Row) -> str:
    """Throughput against raw on saturated cores from CPU alone, the simulators costing
    what they cost in the raw row: (S + F_raw) / (S + F_row), S and F the sim and fleet
    CPU per job. The wall ratio also carries the VM's speed drifting between rounds
    (the simulators' own CPU per job moves by 10-20 % from one round to the next here);
    this one carries only the fleet's own work."""
    if r.cpu is None or raw_row.cpu is None:
        return "-"
    sim, base = raw_row.cpu.sim / raw_row.jobs, raw_row.cpu.fleet / raw_row.jobs
    return f"{100 * (sim + base) / (sim + r.cpu.fleet / r.jobs):.0f}%"


def _goal(r: Row, vs_raw: float) -> str:
    """Issue 7's goal for a fleet row: at least 90 % of raw throughput and under 5 % of
    the wall time outside the simulator (the raw rows are the yardstick)."""
    if r.executor == "raw":
        return ""
    missed = [what for what, ok in (("vs raw", vs_raw >= GOAL_VS_RAW),
                                    ("outside", r.outside < GOAL_OUTSIDE)) if not ok]
    return "met" if not missed else "missed (" + ", ".join(missed) + ")"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--board", dest="boards", action="append")
    parser.add_argument("--copies", type=int, default=4,
                        help="each model under N names (more jobs, same images; default 4)")
    parser.add_argument("--invocations", type=int, default=2)
    parser.add_argument("--workers", type=int, action="append",
                        help="worker counts (default 1 .. cores)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per row, the fastest is shown (default 3)")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--no-local", action="store_true", help="leave out the local executor")
    parser.add_argument("--heavy", action="store_true",
                        help="also person_detect (left out by default to keep the run short)")
    args = parser.parse_args(argv)
    registry = Registry.load()
    counts = args.workers or list(range(1, cpu_count() + 1))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tfm-fleet-bench-") as tmp:
        scratch = Path(tmp)
        models = args.models or benchmark_models(scratch / "src")
        if not args.models and not args.heavy:   # the default keeps the run to a few minutes
            models = [m for m in models if m.stem not in ("person_detect",)]
        for k in range(args.copies):
            (scratch / "models" / f"copy{k}").mkdir(parents=True)
            for m in models:
                shutil.copy(m, scratch / "models" / f"copy{k}" / m.name)
        spec = from_dict({"boards": list(args.boards or BOARDS), "models": ["models/*/*.tflite"],
                          "invocations": args.invocations, "timeout": 600}, registry,
                         base=scratch, source="benchmark")
        warm = run_fleet_spec(spec, registry, scratch / "warm", work_root=scratch / "work")
        commands = [(r["simulation"]["command"], r["simulation"]["work_dir"])
                    for r in warm.ordered() if r["simulation"].get("command")]
        for n in counts:
            ex = None
            if not args.no_dask:
                started = time.monotonic()
                ex = DaskExecutor(None, n)
                startup = time.monotonic() - started
                console().print(f"dask LocalCluster of {n} worker(s): {startup:.1f} s to start")
            try:
                if ex is not None:
                    fleet(spec, registry, ex, "dask", n, scratch)   # workers import, load
                # Interleaved, so that each executor sees the same (shared, noisy) machine;
                # per executor the fastest of --repeat rounds is kept.
                best: dict[str, Row] = {}
                for _ in range(args.repeat):
                    round_ = [raw(commands, n)]
                    if not args.no_local:
                        round_.append(fleet(spec, registry, LocalExecutor(registry, n), "local",
                                            n, scratch))
                    if ex is not None:
                        round_.append(fleet(spec, registry, ex, "dask", n, scratch))
                    for row in round_:
                        if row.executor not in best or row.wall < best[row.executor].wall:
                            best[row.executor] = row
                rows += best.values()
            finally:
                if ex is not None:
                    ex.close()
    first = {r.executor: r for r in rows if r.workers == min(counts)}
    raws = {r.workers: r for r in rows if r.executor == "raw"}
    table = Table(title=f"Fleet throughput ({len(commands)} jobs: {len(models)} model(s) x "
                        f"{args.copies} copies x {len(spec.boards)} board(s), "
                        f"{cpu_count()} cores)")
    table.caption = "models: " + ", ".join(m.stem for m in models)
    for col in ("executor", "workers", "wall s", "jobs/min", "vs raw", "vs raw by CPU",
                "efficiency", "outside sim", "sim CPU ms/job", "fleet CPU ms/job",
                "outside sim CPU", "goal"):
        table.add_column(col, justify="left" if col in ("executor", "goal") else "right")
    for r in rows:
        base = first[r.executor]
        eff = r.per_minute / (r.workers / base.workers * base.per_minute)
        vs_raw = r.per_minute / raws[r.workers].per_minute
        table.add_row(r.executor, str(r.workers), f"{r.wall:.2f}", f"{r.per_minute:,.0f}",
                      f"{100 * vs_raw:.0f}%", _by_cpu(r, raws[r.workers]), f"{100 * eff:.0f}%",
                      f"{100 * r.outside:.0f}%",
                      *_cpu_cells(r), _goal(r, vs_raw))
    console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
