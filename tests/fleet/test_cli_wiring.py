"""`tfm-ci fleet` is a command group the report module plugs into with one function."""

from __future__ import annotations

import argparse
import sys
import types

import pytest

from tfm_ci.cli import make_parser
from tfm_ci.fleet import cli as fleet_cli


def fake_report(monkeypatch: pytest.MonkeyPatch, handler: object) -> None:
    def add_commands(fsub: argparse._SubParsersAction) -> None:
        p = fsub.add_parser("report", help="a fleet report")
        p.add_argument("results")
        p.set_defaults(func=handler)

    package = types.ModuleType("tfm_ci.report")
    module = types.ModuleType("tfm_ci.report.cli")
    module.add_commands = add_commands  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tfm_ci.report", package)
    monkeypatch.setitem(sys.modules, "tfm_ci.report.cli", module)


@pytest.mark.parametrize("style", ["args", "args-registry-console"])
def test_report_commands_plug_in(monkeypatch: pytest.MonkeyPatch, style: str) -> None:
    seen = []
    if style == "args":
        def handler(args: argparse.Namespace) -> int:
            seen.append(args.results)
            return 3
    else:
        def handler(args: argparse.Namespace, reg: object, con: object) -> int:  # type: ignore
            seen.append((args.results, reg, con))
            return 3
    fake_report(monkeypatch, handler)
    args = make_parser().parse_args(["fleet", "report", "out/"])
    assert fleet_cli.cmd_fleet(args, "REG", "CON") == 3  # type: ignore[arg-type]
    assert seen == (["out/"] if style == "args" else [("out/", "REG", "CON")])


def test_fleet_run_and_merge_parse() -> None:
    args = make_parser().parse_args(["fleet", "run", "s.toml", "--results", "d", "-j", "2",
                                     "--shard", "1/3", "--executor", "dask", "--scheduler",
                                     "tcp://127.0.0.1:8786", "--fresh"])
    assert (args.spec, args.results, args.jobs, args.shard, args.executor, args.scheduler,
            args.fresh) == ("s.toml", "d", 2, "1/3", "dask", "tcp://127.0.0.1:8786", True)
    assert args.fleet_func is fleet_cli.cmd_fleet_run
    args = make_parser().parse_args(["fleet", "merge", "a", "b", "--results", "o"])
    assert args.dirs == ["a", "b"] and args.fleet_func is fleet_cli.cmd_fleet_merge
    with pytest.raises(SystemExit):
        make_parser().parse_args(["fleet", "run", "s.toml"])      # --results is required


def test_scheduler_needs_dask() -> None:
    from tfm_ci.fleet.executors import ExecutorError, make_executor

    with pytest.raises(ExecutorError, match="--scheduler needs --executor dask"):
        make_executor("local", None, scheduler="tcp://127.0.0.1:8786")  # type: ignore[arg-type]
