"""`tfm-ci fleet ...`: run a fleet spec into a results folder, merge shard folders.

    tfm-ci fleet run SPEC --results DIR [-j N] [--shard K/N] [--executor local|dask]
                     [--scheduler tcp://host:port] [--fresh]
    tfm-ci fleet merge DIR... --results OUT

Subcommands set ``fleet_func(args, registry, console) -> int`` (or ``func``) as
their parser default; `tfm_ci/report/cli.py` adds its own (`fleet report`,
`fleet diff`) through ``add_commands(fleet_subparsers)``, called by
:func:`add_parser` whenever that module exists.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tfm_ci.fleet import runner
from tfm_ci.fleet.executors import EXECUTORS, ExecutorError, make_executor
from tfm_ci.fleet.identity import FleetJob, Shard, ShardError
from tfm_ci.fleet.merge import MergeError, merge
from tfm_ci.fleet.spec import FleetSpec, FleetSpecError
from tfm_ci.fleet.spec import load as load_spec
from tfm_ci.registry import Registry
from tfm_ci.units import fmt_bytes, fmt_count

STYLE = {"PASS": "green", "FAIL": "red", "ERROR": "red", "TIMEOUT": "magenta",
         "FAULT": "magenta", "SKIP": "yellow"}


# -- progress ----------------------------------------------------------------------------------
def _counts(p: runner.Progress) -> str:
    bad = sum(n for s, n in p.counts.items() if s not in runner.OK_STATUSES)
    text = f"{p.counts.get('PASS', 0)} pass, {bad} fail"
    if p.counts.get("SKIP"):
        text += f", {p.counts['SKIP']} skip"
    return text


def _eta(p: runner.Progress) -> str:
    eta = p.eta()
    return "" if eta is None else f", ETA {eta:.0f} s"


class PlainProgress:
    """One line per event: readable in CI logs (no terminal)."""

    def __init__(self, con: Console) -> None:
        self.con = con
        self.announced = False

    def __call__(self, p: runner.Progress, job: FleetJob | None,
                 record: dict[str, Any] | None) -> None:
        if job is None:
            self._announce(p)
            if p.phase == "build":
                self.con.print(f"building {p.images} image(s)")
            elif p.phase == "simulate":
                self.con.print(f"simulating {p.total - p.done} job(s)")
            return
        if p.last_reused:
            return                                  # counted, and announced once
        self._announce(p)
        width = len(str(p.total))
        self.con.print(f"[{p.done:>{width}}/{p.total}] {record['status']:<7} {job.board} "
                       f"{job.model} {job.kernel_set} ({record.get('seconds', 0):.1f} s) "
                       f"- {_counts(p)}{_eta(p)}{_why(record)}", markup=False)

    def _announce(self, p: runner.Progress) -> None:
        if not self.announced:
            self.announced = True
            if p.reused:
                self.con.print(f"{p.reused} of {p.total} job(s) already recorded "
                               "(same fingerprint): not run again")


def _why(record: dict[str, Any]) -> str:
    if record["status"] in ("PASS", "SKIP"):
        return ""
    return f"\n    {record['status']} ({record.get('category')}): " + \
        (record.get("reason", "").splitlines() or [""])[0]


class RichProgress:
    """rich's progress bar on a terminal."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: Any = None

    def __call__(self, p: runner.Progress, job: FleetJob | None,
                 record: dict[str, Any] | None) -> None:
        if self.task is None:
            self.task = self.progress.add_task("jobs", total=p.total)
        what = {"build": f"building {p.images} image(s)", "simulate": "simulating"}.get(
            p.phase, p.phase)
        if job is not None and record is not None and not p.last_reused and _why(record):
            self.progress.console.print(f"{job.board} {job.model} {job.kernel_set}"
                                        f"{_why(record)}", markup=False, highlight=False)
        self.progress.update(self.task, completed=p.done,
                             description=f"{what} - {_counts(p)}{_eta(p)}")


@contextmanager
def _progress(con: Console) -> Iterator[runner.Event]:
    if con.is_terminal:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=con, transient=True) as bar:
            yield RichProgress(bar)
    else:
        yield PlainProgress(con)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """A killed CI job (SIGTERM) stops like Ctrl-C: no record is written after it."""
    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


# -- summary -----------------------------------------------------------------------------------
def _instructions(rec: dict[str, Any]) -> str:
    inv = (rec.get("instructions") or {}).get("invocations") or []
    if not inv:
        return "-"
    unit = rec["instructions"].get("unit", "")
    return fmt_count(max(inv)) + ("" if unit == "instructions" else f" {unit}")


def _ram(rec: dict[str, Any]) -> int | None:
    for check in rec.get("budgets") or []:
        if check["kind"] == "ram" and check["source"] == "board":
            return check["used"]
    return None


def summary_table(records: Sequence[dict[str, Any]], title: str = "fleet") -> Table:
    table = Table(title=title)
    for col in ("board", "model", "kernels", "status", "match", "flash", "RAM", "arena",
                "instructions", "reason"):
        table.add_column(col, overflow="fold")
    for r in records:
        match = (r.get("comparison") or {}).get("match")
        sizes = r.get("sizes") or {}
        status = r["status"]
        table.add_row(r["job"]["board"], r["job"]["model"], r["job"]["kernel_set"],
                      f"[{STYLE.get(status, 'red')}]{status}[/]",
                      "-" if match is None else ("yes" if match else "[red]no[/]"),
                      fmt_bytes(sizes.get("flash")), fmt_bytes(_ram(r)),
                      fmt_bytes(sizes.get("arena_used")), _instructions(r),
                      "" if status == "PASS" else (r.get("reason", "").splitlines() or [""])[0])
    return table


def totals_line(result: runner.FleetResult) -> str:
    counts: dict[str, int] = {}
    for r in result.records.values():
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    parts = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    ran = len(result.jobs) - len(result.reused)
    return (f"{len(result.jobs)} job(s): {parts}; {ran} run, {len(result.reused)} reused, "
            f"{result.seconds:.1f} s")


# -- commands ----------------------------------------------------------------------------------
def run_and_report(spec: FleetSpec, reg: Registry, con: Console, results: str, *,
                   workers: int | None = None, shard: Shard | None = None,
                   executor: str = "local", scheduler: str | None = None,
                   fresh: bool = False, title: str = "fleet",
                   summary: bool = True) -> runner.FleetResult:
    """Run with progress and print the summary; KeyboardInterrupt passes through."""
    ex = make_executor(executor, reg, workers=workers, scheduler=scheduler)
    try:
        with _progress(con) as event, _sigterm_as_interrupt():
            result = runner.run_fleet_spec(spec, reg, results, executor=ex, shard=shard,
                                           fresh=fresh, build_workers=workers, event=event)
    finally:
        ex.close()
    if summary:
        con.print(summary_table(result.ordered(), title=title))
    con.print(totals_line(result))
    return result


def cmd_fleet_run(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    try:
        shard = Shard.parse(args.shard) if args.shard else None
        spec = load_spec(args.spec, reg)
    except (FleetSpecError, ShardError) as exc:
        con.print(f"[red]error:[/] {exc}", markup=True, highlight=False)
        return 2
    title = f"fleet {args.spec}" + (f" shard {shard}" if shard else "")
    try:
        result = run_and_report(spec, reg, con, args.results, workers=args.jobs, shard=shard,
                                executor=args.executor, scheduler=args.scheduler,
                                fresh=args.fresh, title=title)
    except ExecutorError as exc:
        con.print(f"[red]error:[/] {exc}")
        return 2
    except KeyboardInterrupt:
        con.print(f"[yellow]interrupted[/]: finished records are in {args.results}/records; "
                  "run the same command again to resume", highlight=False)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)   # do not wait for running simulations: their records are not wanted
    return 0 if result.ok else 1


def cmd_fleet_merge(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    try:
        res = merge(args.dirs, args.results)
    except MergeError as exc:
        con.print(f"[red]error:[/] {exc}", highlight=False)
        return 2
    con.print(f"merged {res.records} record(s) into {args.results} "
              f"({res.duplicates} duplicate(s) agreed)")
    if res.unfinished:
        con.print(f"[yellow]warning:[/] run not finished in: {', '.join(res.unfinished)}")
    if res.missing:
        con.print(f"[red]{len(res.missing)} job(s) without a record:[/] "
                  + ", ".join(res.missing[:10]) + (" ..." if len(res.missing) > 10 else ""))
        return 1
    return 0


# -- parser ------------------------------------------------------------------------------------
def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `fleet` command group on the main parser."""
    fleet = sub.add_parser("fleet", help="run fleets of jobs from a spec, merge shards")
    fsub = fleet.add_subparsers(dest="fleet_command", required=True, metavar="COMMAND")
    r = fsub.add_parser("run", help="run every job of a fleet spec into a results folder")
    r.add_argument("spec", help="fleet spec (TOML), see docs/fleets.md")
    r.add_argument("--results", required=True, metavar="DIR",
                   help="results folder: records/<job>.json and fleet.json")
    r.add_argument("-j", "--jobs", type=int, help="concurrent jobs (default: one per core)")
    r.add_argument("--shard", metavar="K/N", help="run only shard K of N (1-based)")
    r.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local: threads on this machine (default); dask: a Dask cluster")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="dask scheduler, e.g. tcp://host:8786 (default: a local cluster)")
    r.add_argument("--fresh", action="store_true", help="run every job, even if recorded")
    r.set_defaults(fleet_func=cmd_fleet_run)
    m = fsub.add_parser("merge", help="merge shard results folders")
    m.add_argument("dirs", nargs="+", metavar="DIR")
    m.add_argument("--results", required=True, metavar="OUT")
    m.set_defaults(fleet_func=cmd_fleet_merge)
    # `fleet report` / `fleet diff`: tfm_ci/report/cli.py adds them, when it exists.
    try:
        report_cli = importlib.import_module("tfm_ci.report.cli")
    except ModuleNotFoundError as exc:
        if exc.name not in ("tfm_ci.report", "tfm_ci.report.cli"):
            raise           # the report module exists but is broken: say so
    else:
        report_cli.add_commands(fsub)
    return fleet


def cmd_fleet(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    """Dispatch `tfm-ci fleet COMMAND` to the parser's ``fleet_func`` (or ``func``):
    called as ``f(args, registry, console)``, or ``f(args)`` when it takes one argument."""
    handler = getattr(args, "fleet_func", None) or args.func
    if len(inspect.signature(handler).parameters) == 1:
        return int(handler(args) or 0)
    return int(handler(args, reg, con) or 0)
