"""`tfm-ci`: boards, plugins, doctor, inspect, run, demo, fleet.

A thin layer over the engine (registry, inspect, run_job); tables with rich.
The `fleet` group lives in :mod:`tfm_ci.fleet.cli`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tfm_ci import __version__
from tfm_ci.boards import repo_root
from tfm_ci.build import compiler_version
from tfm_ci.fleet import cli as fleet_cli
from tfm_ci.inspect import ModelError, coverage, read_model
from tfm_ci.job import JobRecord, JobSpec, Status, run_job
from tfm_ci.registry import Registry, UnknownNameError
from tfm_ci.units import fmt_bytes, fmt_count

STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "red",
                Status.TIMEOUT: "magenta", Status.FAULT: "magenta", Status.SKIP: "yellow"}


def console() -> Console:
    """A console that keeps tables readable in CI logs (no terminal: 140 columns)."""
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 140)


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
    for name, platform in sorted(reg.platforms.items()):
        tc = platform.toolchain
        if shutil.which(tc.cc):
            status = f"[green]ok[/] {compiler_version(tc.cc)}"
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
    for bname in sorted(reg.boards):
        options = reg.simulator_options(reg.boards[bname])
        usable = [backend for backend, _s, reason in options if reason is None]
        if not usable:
            problems += 1
        table.add_row(bname, ", ".join(usable) if usable else
                      "[red]nothing[/]: " + "; ".join(f"{r}" for _b, _s, r in options))
    con.print(table)
    if reg.errors:
        con.print(_errors_table(reg))
        problems += len(reg.errors)
    con.print(f"{problems} problem(s)" if problems else "[green]all good[/]")
    return 1 if problems else 0


# -- inspect -----------------------------------------------------------------------------------
def cmd_inspect(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    try:
        info = read_model(Path(args.model))
    except (OSError, ModelError) as exc:
        con.print(f"[red]error:[/] {args.model}: {exc}")
        return 2
    con.print(f"{args.model}: {info.size:,} bytes, schema v{info.version}, "
              f"{len(info.subgraphs)} subgraph(s) {info.description!r}")
    for sg in info.subgraphs:
        table = Table(title=f"subgraph {sg.index} {sg.name!r}: operators")
        for col in ("#", "op", "version", "inputs", "outputs"):
            table.add_column(col)
        for op in sg.ops:
            table.add_row(str(op.index), op.name + (" (custom)" if op.custom else ""),
                          str(op.version), " ".join(map(str, op.inputs)),
                          " ".join(map(str, op.outputs)))
        con.print(table)
        if args.tensors:
            table = Table(title=f"subgraph {sg.index}: tensors")
            for col in ("#", "name", "type", "shape", "scale", "zero point", "kind"):
                table.add_column(col)
            io = {i: "input" for i in sg.inputs} | {i: "output" for i in sg.outputs}
            for t in sg.tensors:
                scale = (f"{t.scale[0]:.6g}" + (f" (+{len(t.scale) - 1})" if len(t.scale) > 1
                                                else "")) if t.scale else ""
                kind = io.get(t.index, "const" if t.constant else
                              "variable" if t.is_variable else "")
                table.add_row(str(t.index), t.name, t.dtype, "x".join(map(str, t.shape)),
                              scale, ",".join(map(str, t.zero_point[:4])), kind)
            con.print(table)
    table = Table(title="kernel coverage")
    for col in ("board", "kernel set", "coverage", "missing"):
        table.add_column(col)
    boards = [reg.board(args.board)] if args.board else [reg.boards[n] for n in sorted(reg.boards)]
    for board in boards:
        for kset in reg.kernel_sets(board):
            cov = coverage(info, kset)
            table.add_row(board.name, kset.name,
                          "[green]complete[/]" if cov.complete else "[red]incomplete[/]",
                          "\n".join(cov.missing[:5]) + (f"\n(+{len(cov.missing) - 5} more)"
                                                        if len(cov.missing) > 5 else ""))
    con.print(table)
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


def summary_table(records: Sequence[JobRecord], title: str = "jobs") -> Table:
    table = Table(title=title)
    for col in ("board", "model", "status", "match", "flash", "RAM", "arena", "instructions",
                "reason"):
        table.add_column(col, overflow="fold")
    for r in records:
        match = r.comparison.get("match")
        table.add_row(r.board, Path(r.model).name, f"[{STATUS_STYLE[r.status]}]{r.status.value}[/]",
                      "-" if match is None else ("yes" if match else "[red]no[/]"),
                      fmt_bytes(r.sizes.get("flash")), fmt_bytes(_ram(r)),
                      fmt_bytes(r.sizes.get("arena_used")), _instr(r),
                      "" if r.status is Status.PASS else (r.reason.splitlines() or [""])[0])
    return table


def _ops_table(rec: JobRecord) -> Table:
    """Per-operator instructions of invocation 0, with each op's share of the invocation."""
    table = Table(title=f"operators, invocation 0 ({rec.instructions.get('unit')})")
    for col in ("subgraph", "#", "op", "instructions", "share"):
        table.add_column(col, justify="right" if col in ("instructions", "share") else "left")
    total = (rec.instructions.get("invocations") or [0])[0] or 1
    for op in rec.instructions["ops"]:
        if op["invocation"] == 0:
            table.add_row(str(op["subgraph"]), str(op["op_index"]), op["op_name"],
                          fmt_count(op["instructions"]), f"{100 * op['instructions'] / total:.1f}%")
    return table


def cmd_run(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    spec = JobSpec(model=args.model, board=args.board, kernel_set=args.kernels,
                   inputs=args.input or None, limits=args.limit or [], timeout=args.timeout,
                   arena_size=args.arena, invocations=args.invocations, seed=args.seed,
                   simulator=args.simulator)
    with con.status(f"running {spec.label}"):
        rec = run_job(spec, reg)
    con.print(summary_table([rec], title=f"{spec.label}"))
    if rec.budgets:
        for check in rec.budgets:
            mark = {True: "[green]ok[/]", False: "[red]over[/]", None: "[yellow]?[/]"}
            con.print(f"  {mark[check['ok']]} {check['text']}")
    if args.ops and rec.instructions.get("ops"):
        con.print(_ops_table(rec))
    if rec.build:
        con.print(f"  build: {'cached' if rec.build['cached'] else 'built'} {rec.build['elf']}")
    if rec.simulation.get("command"):
        con.print(f"  simulator: {' '.join(map(str, rec.simulation['command']))}")
    if rec.status is not Status.PASS and rec.errors:
        con.print("  errors:\n    " + "\n    ".join(e.strip() for e in rec.errors[-5:]))
    if args.json:
        Path(args.json).write_text(rec.to_json(indent=1))
    return 0 if rec.passed else 1


def cmd_demo(args: argparse.Namespace, reg: Registry, con: Console) -> int:
    """A built-in fleet spec: demo models x built-in boards, run afresh into OUT/results."""
    from tfm_ci.fleet.demo import demo_spec
    from tfm_ci.fleet.spec import FleetSpecError

    out = Path(args.out)
    try:
        spec, skipped = demo_spec(reg, out, boards=args.boards, models=args.models,
                                  timeout=args.timeout)
    except FleetSpecError as exc:
        con.print(f"[red]error:[/] {exc}")
        return 2
    if skipped:
        con.print(f"[yellow]no simulator available for:[/] {', '.join(skipped)}")
    result = fleet_cli.run_and_report(spec, reg, con, str(out / "results"), workers=args.jobs,
                                      fresh=True, summary=False)
    records = [JobRecord.from_dict({k: v for k, v in r.items() if k != "job"})
               for r in result.ordered()]
    con.print(summary_table(records, title="demo"))
    if args.json:
        Path(args.json).write_text(json.dumps([r.to_dict() for r in records], indent=1))
    return 0 if result.ok else 1


# -- parser ------------------------------------------------------------------------------------
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
    r = sub.add_parser("run", help="run one model on one board")
    r.add_argument("--model", required=True)
    r.add_argument("--board", required=True)
    r.add_argument("--kernels", default="reference", help="kernel set (default: reference)")
    r.add_argument("--input", action="append", metavar="FILE.npy",
                   help="one per model input, in order (default: seeded random)")
    r.add_argument("--limit", action="append", metavar="KIND=SIZE",
                   help="flash|ram|arena|stack=SIZE or instructions=COUNT")
    r.add_argument("--json", metavar="OUT", help="write the job record as JSON")
    r.add_argument("--timeout", type=float, default=120.0, help="seconds (default 120)")
    r.add_argument("--arena", help="arena size, e.g. 64KiB (default: from the RAM budget)")
    r.add_argument("--invocations", type=int, default=1, help="random inputs: invocations")
    r.add_argument("--seed", type=int, default=0, help="random inputs: seed")
    r.add_argument("--simulator", help="backend (default: the board's first available)")
    r.add_argument("--ops", action="store_true", help="print per-operator instructions")
    d = sub.add_parser("demo", help="demo models on every built-in board")
    d.add_argument("--out", default=str(repo_root() / "build" / "demo"))
    d.add_argument("--board", dest="boards", action="append", help="only these boards")
    d.add_argument("--model", dest="models", action="append", help="only these demo models")
    d.add_argument("--timeout", type=float, default=120.0)
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
        con.print(f"[red]error:[/] {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
