"""`tfm-ci`: boards, plugins, doctor, inspect, run, demo, fleet.

A thin layer over the engine (registry, inspect, run_job); tables with rich.
The `fleet` group lives in :mod:`tfm_ci.fleet.cli`.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tfm_ci import __version__, cycles, demo_models, jsonsafe, paths, render
from tfm_ci.arenaplan import plan_arena
from tfm_ci.build import compiler_version
from tfm_ci.datasets import summarize as summarize_accuracy
from tfm_ci.fleet import cli as fleet_cli
from tfm_ci.inspect import ModelError, coverage, read_model
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.modelcheck import read_model_file
from tfm_ci.modelstats import model_stats
from tfm_ci.outputs import check_outputs, save_output
from tfm_ci.registry import Registry, UnknownNameError
from tfm_ci.units import fmt_bytes, fmt_count

STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "red",
                Status.TIMEOUT: "magenta", Status.FAULT: "magenta", Status.SKIP: "yellow"}


def console() -> Console:
    """A console that keeps tables readable in CI logs: the terminal's width, or $COLUMNS,
    else (a pipe) 140 columns."""
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit() else 140
    return Console(highlight=False, soft_wrap=False, width=width)


def _errors_table(reg: Registry) -> Table:
    table = Table(title="plugin errors", title_style="bold red")
    for col in ("plugin", "stage", "error"):
        table.add_column(col)
    for e in reg.errors:
        table.add_row(e.plugin, e.stage, e.error)
    return table


# -- boards / plugins / doctor -----------------------------------------------------------------
def cmd_boards(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    table = Table(title="boards")
    for col in ("board", "platform", "core", "flash", "RAM", "simulators", "description"):
        table.add_column(col)
    for name in sorted(reg.boards):
        b = reg.boards[name]
        sims = ", ".join(f"{backend}" + ("" if reason is None else " (unavailable)")
                         for backend, _s, reason in reg.simulator_options(b))
        table.add_row(name, b.platform, b.core, fmt_bytes(b.flash_budget),
                      fmt_bytes(b.ram_budget), sims, b.description)
    con.print(table)
    if reg.errors:
        con.print(_errors_table(reg))
    return 0


def cmd_plugins(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    table = Table(title="plugins")
    for col in ("plugin", "source", "hooks", "supplies"):
        table.add_column(col)
    for name, plugin in reg.pm.list_name_plugin():
        if plugin is None:
            continue
        hooks = ", ".join(h.name for h in reg.pm.get_hookcallers(plugin) or [])
        supplies = ", ".join(k for k, v in reg.owners.items() if v == name)
        table.add_row(name, reg.pm.sources.get(name, "?"), hooks, supplies)
    con.print(table)
    if reg.errors:
        con.print(_errors_table(reg))
    return 1 if reg.errors else 0


def cmd_doctor(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    problems = 0
    table = Table(title="toolchains")
    for col in ("platform", "compiler", "status", "debian packages"):
        table.add_column(col)
    installed: set[str] = set()     # platforms whose compiler is on PATH
    for name, platform in sorted(reg.platforms.items()):
        tc = platform.toolchain
        if shutil.which(tc.cc):
            status = f"[green]ok[/] {compiler_version(tc.cc)}"
            installed.add(name)
        else:
            status, problems = "[red]missing[/]", problems + 1
        table.add_row(name, tc.cc, status, " ".join(tc.debian_packages))
    con.print(table)
    table = Table(title="simulators")
    for col in ("simulator", "status"):
        table.add_column(col)
    for name, sim in sorted(reg.simulators.items()):
        try:
            reason = sim.unavailable_reason()
        except Exception as exc:
            reason = f"check failed: {type(exc).__name__}: {exc}"
        table.add_row(name, "[green]available[/]" if reason is None else f"[yellow]{reason}[/]")
    con.print(table)
    table = Table(title="boards")
    for col in ("board", "runs on"):
        table.add_column(col)
    usable_boards = 0
    for bname in sorted(reg.boards):
        board = reg.boards[bname]
        options = reg.simulator_options(board)
        usable = [backend for backend, _s, reason in options if reason is None]
        if board.platform not in installed:
            problems += 1
            cc = reg.platforms[board.platform].toolchain.cc
            table.add_row(bname, f"[red]nothing[/]: compiler {cc} is not installed")
            continue
        if not usable:
            problems += 1
        else:
            usable_boards += 1
        table.add_row(bname, ", ".join(usable) if usable else
                      "[red]nothing[/]: " + "; ".join(f"{r}" for _b, _s, r in options))
    con.print(table)
    if reg.errors:
        con.print(_errors_table(reg))
        problems += len(reg.errors)
    if not usable_boards:
        problems += 1
    if not reg.boards:
        con.print("[red]no boards[/]: no plugin supplied a board (built-in boards are read "
                  f"from {paths.platforms_dir()}); see `tfm-ci plugins`")
    elif not installed:
        con.print("[red]no toolchain is installed[/]: install the Debian packages listed "
                  "above (`make setup`)")
    elif not usable_boards:
        con.print("[red]no board is usable[/]: each lacks its compiler or a simulator (above)")
    con.print(f"{problems} problem(s)" if problems else "[green]all good[/]")
    return 1 if problems else 0


# -- inspect -----------------------------------------------------------------------------------
def cmd_inspect(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    try:
        info = read_model(read_model_file(args.model))
    except OSError as exc:
        con.print(f"[red]error:[/] cannot read model {escape(args.model)}: "
                  f"{escape(str(exc.strerror or exc))}", soft_wrap=True)
        return 2
    except ModelError as exc:
        con.print(f"[red]error:[/] {escape(args.model)}: {escape(str(exc))}", soft_wrap=True)
        return 2
    stats = model_stats(info)
    con.print(f"{escape(args.model)}: {info.size:,} bytes, schema v{info.version}, "
              f"{len(info.subgraphs)} subgraph(s) {escape(repr(info.description))}",
              soft_wrap=True)
    for sg in info.subgraphs:
        con.print(render.subgraph_table(sg, stats))
        if args.tensors:
            con.print(render.tensors_table(sg))
    con.print(render.model_totals(info, stats))
    if not args.no_arena:
        plan = plan_arena(Path(args.model), reg)
        if plan.total is not None:
            con.print(f"planned arena: {plan.total:,} B (head {plan.head:,} + tail "
                      f"{plan.tail:,}; host runner's allocate, 64-bit records: an upper bound "
                      "for 32-bit boards)")
        else:
            con.print(f"planned arena: unknown ({escape(plan.error)})", soft_wrap=True)
    boards = [reg.board(args.board)] if args.board else [reg.boards[n] for n in sorted(reg.boards)]
    con.print(render.coverage_table([(b.name, coverage(info, k)) for b in boards
                                     for k in reg.kernel_sets(b)]))
    return 0


# -- run / demo --------------------------------------------------------------------------------
def _instr(rec: JobRecord) -> str:
    inv = rec.instructions.get("invocations") or []
    if not inv:
        return "-"
    unit = rec.instructions.get("unit", "")
    return fmt_count(max(inv)) + ("" if unit == "instructions" else f" {unit}")


def _ram(rec: JobRecord) -> int | None:
    for check in rec.budgets:
        if check["kind"] == "ram" and check["source"] == "board":
            return check["used"]
    return None


#: Below this console width the job table drops its reason column and byte units.
COMPACT_WIDTH = 120


def summary_table(records: Sequence[JobRecord], title: str = "jobs",
                  compact: bool = False) -> Table:
    """One row per job. `compact` (narrow terminals) leaves out the reason (print
    :func:`reason_lines` below it), the match column, the " B" units and the models'
    .tflite suffix."""
    table = Table(title=title, box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
                  pad_edge=not compact)
    render.text_column(table, "board")
    render.text_column(table, "model")
    table.add_column("status", no_wrap=True)
    if not compact:   # a mismatch is a FAIL whose reason says so
        table.add_column("match", no_wrap=True)
    for col in ("flash", "RAM", "arena"):
        render.number_column(table, f"{col} B" if compact else col)
    render.number_column(table, "instr." if compact else "instructions")
    timed = any(cycles.max_cycles(r.instructions) is not None for r in records)
    if timed:
        render.number_column(table, "cycles~" if compact else cycles.LABEL)
        table.caption = f"{cycles.LABEL}: {cycles.ASSUMPTIONS}"
    if not compact:
        render.text_column(table, "reason", min_width=12)
    size = (lambda n: fmt_count(n)) if compact else fmt_bytes
    for r in records:
        match = r.comparison.get("match")
        row = [escape(r.board), escape(Path(r.model).stem if compact else Path(r.model).name),
               f"[{STATUS_STYLE[r.status]}]{r.status.value}[/]"]
        if not compact:
            row.append("-" if match is None else ("yes" if match else "[red]no[/]"))
        row += [size(r.sizes.get("flash")), size(_ram(r)), size(r.sizes.get("arena_used")),
                _instr(r)]
        if timed:
            row.append(cycles.fmt_estimate(r.instructions))
        if not compact:
            row.append("" if r.status is Status.PASS else
                       escape((r.reason.splitlines() or [""])[0]))
        table.add_row(*row)
    return table


def verdict_line(rec: JobRecord, label: str = "") -> str:
    """`STATUS (category): reason` on one line (a table cell may wrap it), for people and
    greps."""
    return (f"{escape(label)}[{STATUS_STYLE[rec.status]}]{rec.status.value}[/]"
            + (f" ({rec.category}): " if rec.category else ": ") + escape(rec.reason))


def reason_lines(records: Sequence[JobRecord]) -> list[str]:
    return [verdict_line(r, f"{r.board} {Path(r.model).name}: ") for r in records
            if r.status is not Status.PASS]


def cmd_run(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    if not check_outputs(con, files=[(args.json, "--json file")]):
        return 2
    spec = JobSpec(model=args.model, board=args.board, kernel_set=args.kernels,
                   inputs=args.input or None, limits=args.limit or [], timeout=args.timeout,
                   arena_size=args.arena, invocations=args.invocations, seed=args.seed,
                   simulator=args.simulator, keep=args.keep)
    if args.quiet:
        rec = run_job(spec, reg)
    else:
        with con.status(f"running {spec.label}"):
            rec = run_job(spec, reg)
    if args.quiet:
        con.print(verdict_line(rec), soft_wrap=True)
        _save_record(args, rec, con)
        return 0 if rec.passed else 1
    con.print(summary_table([rec], title=f"{spec.label}", compact=con.width < COMPACT_WIDTH))
    if rec.status is not Status.PASS:
        con.print(verdict_line(rec, "  "), soft_wrap=True)
    if rec.budgets:
        for check in rec.budgets:
            mark = {True: "[green]ok[/]", False: "[red]over[/]", None: "[yellow]?[/]"}
            con.print(f"  {mark[check['ok']]} {escape(check['text'])}")
    estimate = cycles.describe(rec.instructions)
    if estimate:
        con.print(f"  cycles: {estimate}")
    if args.ops or args.invocation is not None:
        why = render.ops_unavailable(rec.instructions, rec.board, rec.simulator)
        if why is None and args.invocation is not None and \
                not 0 <= args.invocation < rec.invocations:
            why = f"no invocation {args.invocation}: the job ran {rec.invocations} invocation(s)"
        if why:
            con.print(f"  {escape(why)}", soft_wrap=True)
        else:
            con.print(render.ops_table(rec.instructions, args.invocation))
            con.print(render.op_totals_table(rec.instructions, args.invocation))
    if rec.build:
        con.print(f"  build: {'cached' if rec.build['cached'] else 'built'} "
                  f"{escape(rec.build['elf'])}", soft_wrap=True)
    if rec.status is not Status.PASS and rec.errors:
        con.print("  errors:\n    " + escape("\n    ".join(_error_lines(rec.errors[-5:]))),
                  soft_wrap=True)
    _save_record(args, rec, con)
    return 0 if rec.passed else 1


def _save_record(args: argparse.Namespace, rec: JobRecord, con: Console) -> None:
    if args.json:
        save_output(Path(args.json), rec.to_json(indent=1), "record", con)


def _error_lines(errors: Sequence[str]) -> list[str]:
    """Errors for the terminal: an internal error's traceback stays in the record."""
    lines = []
    for e in errors:
        if e.lstrip().startswith("Traceback"):
            last = [x for x in e.strip().splitlines() if x.strip()][-1:]
            lines.append(f"internal error {last[0].strip() if last else ''} "
                         "(the traceback is in the --json record)")
        else:
            lines.append(e.strip())
    return lines


def cmd_demo(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    """A built-in fleet spec: demo models x built-in boards, run afresh into OUT/results."""
    from tfm_ci.fleet.demo import demo_spec
    from tfm_ci.fleet.spec import FleetSpecError

    unknown = sorted(set(args.models or ()) - set(demo_models.DEMO_MODELS))
    if unknown:
        con.print(f"[red]error:[/] unknown demo model(s) {', '.join(unknown)} (known: "
                  f"{', '.join(demo_models.DEMO_MODELS)})", soft_wrap=True)
        return 2
    if not check_outputs(con, files=[(args.json, "--json file")],
                          dirs=[(args.out, "--out folder")]):
        return 2
    out = Path(args.out)
    try:
        spec, skipped = demo_spec(reg, out, boards=args.boards, models=args.models,
                                  timeout=args.timeout)
    except FleetSpecError as exc:
        con.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return 2
    if skipped:
        con.print(f"[yellow]no simulator available for:[/] {', '.join(skipped)}")
    result = fleet_cli.run_and_report(spec, reg, con, str(out / "results"), workers=args.jobs,
                                      fresh=True, summary=False)
    records = [JobRecord.from_dict({k: v for k, v in r.items() if k not in ("job", "accuracy")})
               for r in result.ordered()]
    compact = con.width < COMPACT_WIDTH
    con.print(summary_table(records, title="demo", compact=compact))
    for line in reason_lines(records) if compact else ():
        con.print(f"  {line}", soft_wrap=True)
    accuracy = summarize_accuracy(result.ordered())
    if accuracy:
        con.print(render.accuracy_table(accuracy))
    if args.json:
        save_output(Path(args.json), jsonsafe.dumps([r.to_dict() for r in records], indent=1),
                    "records", con)
    return 0 if result.ok else 1


# -- parser ------------------------------------------------------------------------------------
def seconds(text: str) -> float:
    """A timeout: a finite number of seconds > 0 (nan and inf would never end a job)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a timeout must be a finite number of "
                                         "seconds > 0")
    return value


def make_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tfm-ci", description="Build, simulate, verify and budget "
                                "TinyML models on many boards.")
    p.add_argument("--version", action="version", version=f"tfm-ci {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("boards", help="list boards")
    sub.add_parser("plugins", help="list plugins and plugin errors")
    sub.add_parser("doctor", help="check toolchains, simulators and plugins")
    q = sub.add_parser("inspect", help="ops, tensors and kernel coverage of a model")
    q.add_argument("model")
    q.add_argument("--board", help="coverage for this board only")
    q.add_argument("--tensors", action="store_true", help="also list tensors")
    q.add_argument("--no-arena", action="store_true",
                   help="skip the planned arena (it builds and runs the host runner)")
    r = sub.add_parser("run", help="run one model on one board")
    r.add_argument("--model", required=True)
    r.add_argument("--board", required=True)
    r.add_argument("--kernels", default="reference", help="kernel set (default: reference)")
    r.add_argument("--input", action="append", metavar="FILE.npy",
                   help="one per model input, in order (default: seeded random)")
    r.add_argument("--limit", action="append", metavar="KIND=SIZE",
                   help="flash|ram|arena|stack=SIZE or instructions=COUNT")
    r.add_argument("--json", metavar="OUT", help="write the job record as JSON")
    r.add_argument("--timeout", type=seconds, default=120.0, help="seconds (default 120)")
    r.add_argument("--arena", help="arena size, e.g. 64KiB (default: from the RAM budget)")
    r.add_argument("--invocations", type=int, default=1, help="random inputs: invocations")
    r.add_argument("--seed", type=int, default=0, help="random inputs: seed")
    r.add_argument("--simulator", help="backend (default: the board's first available)")
    r.add_argument("--ops", action="store_true",
                   help="per-operator instructions of every invocation, and totals per op type")
    r.add_argument("--invocation", type=int, metavar="N",
                   help="with --ops: only invocation N")
    r.add_argument("--quiet", "-q", action="store_true",
                   help="print only the verdict line (the record keeps everything)")
    r.add_argument("--keep", action="store_true",
                   help="keep the job's work folder when it passes (always kept on failure)")
    d = sub.add_parser("demo", help="demo models on every built-in board")
    d.add_argument("--out", default=str(paths.build_root() / "demo"))
    d.add_argument("--board", dest="boards", action="append", help="only these boards")
    d.add_argument("--model", dest="models", action="append", help="only these demo models")
    d.add_argument("--timeout", type=seconds, default=120.0)
    d.add_argument("--jobs", type=int, help="concurrent jobs (default and max: CPU count)")
    d.add_argument("--json", metavar="OUT")
    fleet_cli.add_parser(sub)
    return p


COMMANDS = {"boards": cmd_boards, "plugins": cmd_plugins, "doctor": cmd_doctor,
            "inspect": cmd_inspect, "run": cmd_run, "demo": cmd_demo,
            "fleet": fleet_cli.cmd_fleet}


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    con = console()
    reg = Registry.load()
    try:
        return COMMANDS[args.command](args, reg, con)
    except UnknownNameError as exc:
        con.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)
        return 2
    except Exception as exc:  # a bug in tfm-ci: one line, the traceback only on request
        if os.environ.get("TFM_CI_DEBUG"):
            raise
        con.print(f"[red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} "
                  "(set TFM_CI_DEBUG=1 for the traceback)", soft_wrap=True)
        return 3


if __name__ == "__main__":
    sys.exit(main())
