"""`fleet diff` on real records and synthetic variations of them."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from tfm_ci.report import DEFAULT_THRESHOLDS, build_report, diff_reports, load_results
from tfm_ci.report.cli import main
from tfm_ci.report.diff import ThresholdError, parse_threshold, thresholds

from .fleetdir import find, job_block, variant, write_folder

pytestmark = pytest.mark.slow


def _scale_instructions(rec: dict[str, Any], factor: float) -> None:
    rec["instructions"]["invocations"] = [round(n * factor)
                                          for n in rec["instructions"]["invocations"]]


@pytest.fixture
def changed(tmp_path: Path, fleet_records: list[dict]) -> tuple[Path, Path, dict[str, Any]]:
    """Base = the real records; new = edited copies (see the comments)."""
    base = write_folder(tmp_path / "base", fleet_records)
    new = variant(fleet_records)
    kws = find(new, "mps2-an386", "kws")
    _scale_instructions(kws, 1.10)                                     # +10 %: regression
    sine = find(new, "mps2-an386", "sine")
    sine.update(status="FAIL", category="mismatch", reason="output 0 differs")   # PASS->FAIL
    gone = find(new, "riscv32-virt", "hello_world_int8")
    new.remove(gone)                                                   # disappeared
    hello_dsp = find(new, "mps2-an386", "hello_world_int8", "arm-dsp")
    hello_dsp["sizes"]["flash"] = round(hello_dsp["sizes"]["flash"] * 0.95)    # -5 %: better
    _scale_instructions(find(new, "riscv32-virt", "sine"), 1.005)     # +0.5 %: within 1 %
    kws_dsp = find(new, "mps2-an386", "kws", "arm-dsp")
    kws_dsp["sizes"]["stack_used"] = round(kws_dsp["sizes"]["stack_used"] * 1.05)  # < 10 %
    fixed = find(new, "riscv32-virt", "kws")
    fixed.update(status="PASS", category="", reason="outputs match")  # FAIL->PASS
    extra = variant([find(new, "mps2-an386", "sine", "arm-dsp")])[0]
    extra["job"] = job_block("mps2-an386", "models/extra.tflite", "reference")
    new.append(extra)                                                  # a new job
    return base, write_folder(tmp_path / "new", new), {
        "kws_old": max(find(fleet_records, "mps2-an386", "kws")["instructions"]["invocations"]),
        "kws_new": max(kws["instructions"]["invocations"]),
        "flash_old": find(fleet_records, "mps2-an386", "hello_world_int8",
                          "arm-dsp")["sizes"]["flash"],
        "flash_new": hello_dsp["sizes"]["flash"], "gone": gone["job"]}


def test_identical_folders_have_no_change(fleet_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    report = build_report(load_results(fleet_dir))
    diff = diff_reports(report, report)
    assert not diff.regressed and diff.matched == diff.unchanged == 18
    assert diff.improvements == diff.added == diff.other == []
    assert main(["diff", str(fleet_dir), str(fleet_dir)]) == 0
    assert "no regression" in capsys.readouterr().out


def test_regressions_improvements_new(changed: tuple[Path, Path, dict]) -> None:
    base, new, v = changed
    diff = diff_reports(build_report(load_results(base)), build_report(load_results(new)))
    got = {(c.kind, c.board, Path(c.model).stem, c.kernel_set, c.metric): c
           for c in diff.regressions}
    assert set(got) == {("metric", "mps2-an386", "kws", "reference", "instructions"),
                        ("status", "mps2-an386", "sine", "reference", "status"),
                        ("removed", "riscv32-virt", "hello_world_int8", "reference", "job")}
    instr = got[("metric", "mps2-an386", "kws", "reference", "instructions")]
    assert (instr.old, instr.new) == (v["kws_old"], v["kws_new"])
    assert instr.percent == pytest.approx(100 * (v["kws_new"] - v["kws_old"]) / v["kws_old"])
    assert instr.percent == pytest.approx(10, abs=0.01) and instr.threshold == 1.0
    status = got[("status", "mps2-an386", "sine", "reference", "status")]
    assert (status.old, status.new) == ("PASS", "FAIL")
    assert got[("removed", "riscv32-virt", "hello_world_int8", "reference", "job")].old == "PASS"
    better = {(c.board, Path(c.model).stem, c.kernel_set, c.metric): c for c in diff.improvements}
    assert set(better) == {("mps2-an386", "hello_world_int8", "arm-dsp", "flash"),
                           ("riscv32-virt", "kws", "reference", "status")}
    flash = better[("mps2-an386", "hello_world_int8", "arm-dsp", "flash")]
    assert (flash.old, flash.new) == (v["flash_old"], v["flash_new"])
    assert flash.percent == pytest.approx(-5, abs=0.01)
    assert [(c.board, c.model) for c in diff.added] == [("mps2-an386", "models/extra.tflite")]
    # within threshold (+0.5 % instructions, +5 % stack): counted, not listed
    assert diff.matched == 17 and diff.unchanged == 17 - 4
    listed = diff.regressions + diff.improvements
    assert not any(c.board == "riscv32-virt" and "sine" in c.model for c in listed)


def test_cli_exit_codes_thresholds_and_files(changed: tuple[Path, Path, dict], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    base, new, v = changed
    js, md = tmp_path / "d.json", tmp_path / "d.md"
    assert main(["diff", str(base), str(new), "--json", str(js), "--markdown", str(md)]) == 1
    out = capsys.readouterr().out
    assert "3 regressions" in out and "+10.00%" in out
    data = json.loads(js.read_text())
    assert data["regressed"] is True and len(data["regressions"]) == 3
    assert data["thresholds"] == DEFAULT_THRESHOLDS
    row = next(c for c in data["regressions"] if c["metric"] == "instructions")
    assert (row["board"], row["model"], row["kernel_set"], row["old"], row["new"]) == (
        "mps2-an386", "models/kws.tflite", "reference", v["kws_old"], v["kws_new"])
    text = md.read_text()
    assert text.startswith("### tfm-ci fleet diff: ❌ 3 regressions")
    assert (f"| mps2-an386 | models/kws.tflite | reference | instructions | {v['kws_old']:,} | "
            f"{v['kws_new']:,} | +10.00% |") in text
    assert "| riscv32-virt | models/hello_world_int8.tflite | reference | job | PASS | - |" in text
    # a tighter stack threshold turns the +5 % stack change into a regression too
    assert main(["diff", str(base), str(new), "--threshold", "stack=2", "--json", str(js)]) == 1
    metrics = {(c["board"], c["kernel_set"], c["metric"])
               for c in json.loads(js.read_text())["regressions"]}
    assert ("mps2-an386", "arm-dsp", "stack") in metrics
    # a generous instructions threshold lets +10 % through (the other regressions remain)
    assert main(["diff", str(base), str(new), "--threshold", "instructions=15%",
                 "--json", str(js)]) == 1
    assert "instructions" not in {c["metric"] for c in json.loads(js.read_text())["regressions"]}


def test_only_metric_growth_regresses_with_exit_1(tmp_path: Path,
                                                  fleet_records: list[dict]) -> None:
    base = write_folder(tmp_path / "base", fleet_records)
    new = variant(fleet_records)
    rec = find(new, "riscv32-virt", "sine")
    rec["sizes"]["arena_used"] += 64                           # 632 -> 696: +10 %
    new_dir = write_folder(tmp_path / "new", new)
    assert main(["diff", str(base), str(new_dir)]) == 1
    assert main(["diff", str(base), str(new_dir), "--threshold", "arena=11"]) == 0
    # and the same change the other way is an improvement, exit 0
    assert main(["diff", str(new_dir), str(base)]) == 0


def test_thresholds_parse() -> None:
    assert parse_threshold("instructions=0.5") == ("instructions", 0.5)
    assert parse_threshold(" Flash = 2% ") == ("flash", 2.0)
    assert thresholds(["ram=0"])["ram"] == 0 and thresholds()["instructions"] == 1.0
    for bad, msg in (("speed=1", "METRIC one of instructions, init"),
                     ("flash", "use METRIC=PCT"), ("flash=x", "'x' is not a percentage"),
                     ("flash=-1", ">= 0"), ("flash=nan", ">= 0")):
        with pytest.raises(ThresholdError, match=msg):
            parse_threshold(bad)
    assert set(DEFAULT_THRESHOLDS) == {"instructions", "init", "flash", "ram", "arena", "stack"}


def test_bad_threshold_on_the_cli(fleet_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(fleet_dir), str(fleet_dir), "--threshold", "speed=3"]) == 2
    assert "bad threshold 'speed=3'" in capsys.readouterr().err


def test_growth_from_zero_is_infinite(tmp_path: Path, fleet_records: list[dict]) -> None:
    base_records = variant(fleet_records)
    find(base_records, "riscv32-virt", "sine")["sizes"]["stack_used"] = 0
    base = build_report(load_results(write_folder(tmp_path / "a", base_records)))
    new = build_report(load_results(write_folder(tmp_path / "b", fleet_records)))
    (c,) = [c for c in diff_reports(base, new).regressions if c.metric == "stack"]
    assert math.isinf(c.percent) and c.to_dict()["percent"] == "inf"


def test_dataset_shares_are_separate_jobs(tmp_path: Path, fleet_records: list[dict]) -> None:
    one = find(fleet_records, "mps2-an386", "kws")
    shares = [variant([one])[0] for _ in range(2)]
    for k, rec in enumerate(shares):
        rec["job"]["dataset"] = {"data": "data/kws.npz", "start": 10 * k, "stop": 10 * k + 10}
        rec["job"]["id"] += f"-{k}"
    base = build_report(load_results(write_folder(tmp_path / "a", shares)))
    assert len(base.jobs) == 2 and base.jobs[0].key != base.jobs[1].key
    changed = variant(shares)
    _scale_instructions(changed[1], 1.2)
    new = build_report(load_results(write_folder(tmp_path / "b", changed)))
    diff = diff_reports(base, new, {"instructions": 5.0})       # partial: others default
    (c,) = diff.regressions
    assert c.dataset == ["data/kws.npz", 10, 20] and c.metric == "instructions"
    assert diff.thresholds["flash"] == DEFAULT_THRESHOLDS["flash"]
    # the status matrix has one cell for both shares: the worse status shows
    from tfm_ci.report.summary import status_matrix

    changed[0]["status"] = "FAIL"
    worse = build_report(load_results(write_folder(tmp_path / "c", changed)))
    assert status_matrix(worse)["cells"] == {"mps2-an386": {"models/kws.tflite[reference]":
                                                            "FAIL"}}
    assert status_matrix(base)["cells"]["mps2-an386"] == {"models/kws.tflite[reference]": "PASS"}


def test_commands_plug_into_a_fleet_group(fleet_dir: Path, tmp_path: Path) -> None:
    """What the integrator does: the `fleet` group's subparsers get report and diff."""
    import argparse
    import inspect

    from tfm_ci.report.cli import add_commands

    parser = argparse.ArgumentParser(prog="tfm-ci")
    groups = parser.add_subparsers(dest="command", required=True)
    fleet = groups.add_parser("fleet").add_subparsers(dest="fleet_command", required=True)
    fleet.add_parser("run")                       # the fleet runner's own command
    add_commands(fleet)                           # writers from the real plugin manager
    out = tmp_path / "r.md"
    args = parser.parse_args(["fleet", "report", str(fleet_dir), "--markdown", str(out)])
    assert len(inspect.signature(args.func).parameters) == 1      # func(args)
    assert args.func(args) == 0 and out.read_text().startswith("### tfm-ci fleet")
    args = parser.parse_args(["fleet", "diff", str(fleet_dir), str(fleet_dir),
                              "--threshold", "flash=0"])
    assert args.func(args) == 0


def test_diff_on_the_terminal_fits_80_columns(changed: tuple[Path, Path, dict]) -> None:
    from rich.console import Console

    from tfm_ci.report.terminal import diff_view

    base, new, _ = changed
    diff = diff_reports(build_report(load_results(base)), build_report(load_results(new)))
    con = Console(width=80, record=True, color_system=None)
    con.print(diff_view(diff))
    text = con.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    rows = [line.split() for line in text.splitlines()]
    assert ["mps2-an386", "kws", "reference", "instructions", "3.6M", "3.96M",
            "+10.00%"] in rows
    assert ["riscv32-virt", "hello_world_int8", "reference", "job", "PASS", "-", "-"] in rows
    assert "3 regressions (17 jobs matched, 13 unchanged" in text
