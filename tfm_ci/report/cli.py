"""``tfm-ci fleet report`` and ``tfm-ci fleet diff``.

The ``fleet`` group calls :func:`add_commands` with its subparsers; :func:`main`
runs the two commands on their own (``main(["report", DIR, "--json", F])``). Each
command's ``func`` default takes only the parsed arguments and returns the exit code.
Formats come from the ``tfm_report_writers`` hook: this module names none.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from tfm_ci.report.diff import DEFAULT_THRESHOLDS, ThresholdError, diff_reports, thresholds
from tfm_ci.report.results import ReportError, load_results
from tfm_ci.report.summary import build_report
from tfm_ci.report.terminal import diff_view, report_view
from tfm_ci.report.writer import DiffWriter, ReportWriter, load_writers


def _dest(w: ReportWriter) -> str:
    return "out_" + w.option.lstrip("-").replace("-", "_")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def _error(text: str) -> None:
    """One line on stderr (never wrapped: CI logs are grepped)."""
    _console(stderr=True).print(f"[red]error:[/] {escape(text)}", soft_wrap=True)


def _write_all(jobs: list[tuple[ReportWriter, str, object]], method: str) -> int:
    con = _console()
    for w, target, obj in jobs:
        path = Path(target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            getattr(w, method)(obj, path)
        except OSError as exc:
            _error(f"cannot write {w.name} report {path}: {exc.strerror or exc}")
            return 2
        except Exception as exc:  # a writer plugin's bug: name it, no traceback
            _error(f"{w.name} writer failed on {path}: {type(exc).__name__}: {exc}")
            return 2
        con.print(f"{w.name}: {path}")
    return 0


def cmd_report(args: argparse.Namespace, writers: list[ReportWriter]) -> int:
    try:
        report = build_report(load_results(args.dir))
    except ReportError as exc:
        _error(str(exc))
        return 2
    chosen = [(w, getattr(args, _dest(w)), report) for w in writers
              if getattr(args, _dest(w), None)]
    if not chosen:
        _console().print(report_view(report))
        rc = 0
    else:
        rc = _write_all(chosen, "write")
    if rc == 0 and getattr(args, "fail_on_failures", False) and not report.passed:
        s = report.summary
        _error(f"{len(s['failures'])} job(s) failed and {len(s['missing'])} have no record "
               f"in {args.dir}" + "".join(f"; {f['board']} {f['model']}[{f['kernel_set']}] "
                                          f"{f['status']}: {f['reason']}"
                                          for f in s["failures"][:5]))
        return 1
    return rc


def cmd_diff(args: argparse.Namespace, writers: list[ReportWriter]) -> int:
    try:
        limits = thresholds(args.threshold)
        base = build_report(load_results(args.base))
        new = build_report(load_results(args.new))
    except (ReportError, ThresholdError) as exc:
        _error(str(exc))
        return 2
    diff = diff_reports(base, new, limits)
    _console().print(diff_view(diff))
    chosen = [(w, getattr(args, _dest(w)), diff) for w in writers
              if isinstance(w, DiffWriter) and getattr(args, _dest(w), None)]
    rc = _write_all(chosen, "write_diff")
    return rc or (1 if diff.regressed else 0)


def add_commands(subparsers: argparse._SubParsersAction,
                 writers: list[ReportWriter] | None = None) -> None:
    """Register ``report`` and ``diff`` under `subparsers` (the ``fleet`` group's)."""
    if writers is None:
        writers, problems = load_writers()
        for problem in problems:
            _console(stderr=True).print(f"[yellow]warning:[/] report writers: {problem}",
                                        soft_wrap=True)
    r = subparsers.add_parser("report", help="summarise a fleet results folder",
                              description="Summarise a fleet results folder: a table on the "
                              "terminal, or the files asked for.")
    r.add_argument("dir", metavar="DIR", help="results folder (fleet.json + records/)")
    r.add_argument("--fail-on-failures", action="store_true",
                   help="exit 1 when a job failed or has no record (after writing the reports): "
                   "the CI gate for failures that are not regressions")
    d = subparsers.add_parser(
        "diff", help="compare two results folders; exit 1 on a regression",
        description="Match jobs by (board, model, kernel set); a metric above its threshold, "
        "a job that passed and no longer does, or a job that disappeared is a regression "
        "(exit 1).")
    d.add_argument("base", metavar="BASE_DIR")
    d.add_argument("new", metavar="NEW_DIR")
    defaults = ", ".join(f"{m}={t:g}" for m, t in DEFAULT_THRESHOLDS.items())
    d.add_argument("--threshold", action="append", metavar="METRIC=PCT", default=[],
                   help=f"allowed growth in percent (defaults: {defaults})")
    for w in writers:
        r.add_argument(w.option, dest=_dest(w), metavar="FILE", help=w.help)
        if isinstance(w, DiffWriter):
            d.add_argument(w.option, dest=_dest(w), metavar="FILE", help=w.help)
    chosen = list(writers)

    # One-argument handlers: the fleet group calls `func(args)` when it takes one argument.
    def run_report(args: argparse.Namespace) -> int:
        return cmd_report(args, chosen)

    def run_diff(args: argparse.Namespace) -> int:
        return cmd_diff(args, chosen)

    r.set_defaults(func=run_report)
    d.set_defaults(func=run_diff)


def make_parser(writers: list[ReportWriter] | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tfm-ci fleet",
                                description="Reports and regression gates on fleet results.")
    add_commands(p.add_subparsers(dest="fleet_command", required=True), writers)
    return p


def main(argv: Sequence[str] | None = None,
         writers: list[ReportWriter] | None = None) -> int:
    args = make_parser(writers).parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
