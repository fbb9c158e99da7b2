"""CPU time a warm-cache fleet spends outside the simulator, per job and per phase.

    .venv/bin/python benchmarks/job_overhead.py [--board B ...] [--copies N] [--rounds N]
                                                [--profile FILE]

Writes the demo models, runs the fleet once to warm the build cache, then runs it
afresh `--rounds` times on one local worker thread and reports *CPU* time
(``time.process_time``: with one worker the jobs run one at a time, and other
load on a shared machine does not count), per job for each engine phase and for the build phase
per image. The simulator's own CPU (child processes) is reported apart. The phases
are timed by wrapping the engine's functions for the length of this script only.
``--profile FILE`` also writes a cProfile of the last round.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from rich.table import Table

import tfm_ci.fleet.worker as worker_mod
import tfm_ci.job as job_mod
import tfm_ci.plugins.qemu.simulator as qemu_mod
import tfm_ci.simrun as simrun_mod
from tfm_ci import demo_models
from tfm_ci.cli import console
from tfm_ci.fleet import run_fleet_spec
from tfm_ci.fleet.spec import from_dict
from tfm_ci.registry import Registry

BOARDS = ("host", "mps2-an386", "riscv32-virt")
PHASES: dict[str, list[tuple[object, str]]] = {
    "model read+check": [(job_mod, "read_model_file"), (job_mod, "read_model"),
                         (job_mod, "check_model")],
    "inputs": [(job_mod, "load_inputs")],
    "ELF sizes": [(job_mod, "section_sizes")],
    "ELF symbols": [(simrun_mod, "read_elf"), (qemu_mod, "read_elf")],
    "transcript parse": [(job_mod, "parse")],
    "oracle + compare": [(job_mod, "compare_outputs")],
    "cycles": [(job_mod.cycles, "annotate")],
}
SIMULATE = (simrun_mod, "simulate")


class Meter:
    """Process CPU seconds per phase, exclusive: a phase called inside another is
    charged to itself only (one worker thread, so the process's CPU is the job's)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self._stack: list[str] = []
        self._mark = 0.0
        self._saved: list[tuple[object, str, object]] = []

    def _switch(self) -> None:
        now = time.process_time()
        if self._stack:
            self.cpu[self._stack[-1]] += now - self._mark
        self._mark = now

    def wrap(self, owner: object, name: str, phase: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*a, **kw):
            self._switch()
            self._stack.append(phase)
            try:
                return original(*a, **kw)
            finally:
                self._switch()
                self._stack.pop()

        self._saved.append((owner, name, original))
        setattr(owner, name, timed)

    def restore(self) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)


def build_phase(tasks) -> list:
    """Every task of the fleet's lazy feed, i.e. the whole build phase (the fleet
    overlaps it with simulation; here it runs first, so that it is timed apart)."""
    return list(tasks)


class InlineExecutor:
    """Runs each task in the calling thread (one worker; cProfile sees the jobs)."""

    workers = 1

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def run(self, tasks, on_record) -> None:
        for task in sys.modules[__name__].build_phase(tasks):
            on_record(task, worker_mod.run_task(task, self.registry))

    def close(self) -> None:
        pass


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--board", dest="boards", action="append")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--invocations", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args(argv)
    registry = Registry.load()
    with tempfile.TemporaryDirectory(prefix="tfm-overhead-") as tmp:
        scratch = Path(tmp)
        models = demo_models.write_all(scratch / "src")
        for k in range(args.copies):
            (scratch / "models" / f"copy{k}").mkdir(parents=True)
            for m in models:
                shutil.copy(m, scratch / "models" / f"copy{k}" / m.name)
        spec = from_dict({"boards": list(args.boards or BOARDS),
                          "models": ["models/*/*.tflite"], "invocations": args.invocations,
                          "timeout": 600}, registry, base=scratch, source="benchmark")
        run_fleet_spec(spec, registry, scratch / "warm", work_root=scratch / "work")

        meter = Meter()
        for phase, targets in PHASES.items():
            for owner, name in targets:
                meter.wrap(owner, name, phase)
        meter.wrap(*SIMULATE, "simulate (Python side)")
        meter.wrap(sys.modules[__name__], "build_phase", "build phase")
        meter.wrap(worker_mod, "run_job", "rest of run_job")
        meter.wrap(worker_mod, "run_task", "rest of run_task")
        jobs = images_n = 0
        child = process = 0.0
        wall = 0.0
        profiler = None
        try:
            for r in range(args.rounds):
                if args.profile and r == args.rounds - 1:
                    profiler = cProfile.Profile(time.process_time)
                    profiler.enable()
                c0, w0, p0 = children_cpu(), time.monotonic(), time.process_time()
                result = run_fleet_spec(spec, registry, scratch / "results",
                                        executor=InlineExecutor(registry), fresh=True,
                                        work_root=scratch / "work")
                child += children_cpu() - c0
                process += time.process_time() - p0
                wall += time.monotonic() - w0
                if profiler is not None:
                    profiler.disable()
                jobs += len(result.jobs)
                images_n += len({(j.board, j.kernel_set, j.model_sha256) for j in result.jobs})
                bad = [x for x in result.ordered() if x["status"] != "PASS"]
                if bad:
                    raise SystemExit(f"{len(bad)} job(s) did not pass: {bad[0]['reason']}")
        finally:
            meter.restore()
        if profiler is not None:
            profiler.dump_stats(str(args.profile))

    cpu = meter.cpu
    table = Table(title=f"Warm fleet CPU per job ({jobs // args.rounds} jobs x {args.rounds} "
                        f"rounds; boards {', '.join(spec.boards)}; 1 worker)")
    table.add_column("phase")
    table.add_column("CPU ms", justify="right")
    table.add_column("per", justify="left")
    for phase in PHASES:
        table.add_row(phase, f"{1000 * cpu[phase] / jobs:.2f}", "job")
    for phase in ("simulate (Python side)", "rest of run_job", "rest of run_task"):
        table.add_row(phase, f"{1000 * cpu[phase] / jobs:.2f}", "job")
    total = sum(cpu[p] for p in cpu if p != "build phase")
    table.add_row("[b]job total (Python)[/b]", f"[b]{1000 * total / jobs:.2f}[/b]", "job")
    table.add_row("[b]whole fleet run (Python)[/b]", f"[b]{1000 * process / jobs:.2f}[/b]",
                  "job")
    table.add_row("build phase", f"{1000 * cpu['build phase'] / images_n:.2f}", "image")
    table.add_row("simulator processes", f"{1000 * child / jobs:.2f}", "job")
    table.caption = (f"wall {wall:.1f} s; Python CPU in run_job is "
                     f"{100 * total / (total + child):.0f}% of job CPU (Python + simulator)")
    console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
