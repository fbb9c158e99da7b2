"""JSON, JUnit, Markdown and terminal output of `fleet report`, and the writer hook."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

import tfm_ci
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.report import build_report, load_results
from tfm_ci.report.cli import main
from tfm_ci.report.terminal import report_view
from tfm_ci.report.writer import load_writers

pytestmark = pytest.mark.slow


def test_json(fleet_dir: Path, fleet_records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "out" / "report.json"
    assert main(["report", str(fleet_dir), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data) == {"jobs", "summary"}
    by_id = {r["job"]["id"]: r for r in fleet_records}
    assert len(data["jobs"]) == len(by_id)
    for job in data["jobs"]:
        assert job == by_id[job["job"]["id"]]       # the record as written, unchanged
    assert data["summary"]["by_status"]["FAIL"] == 1 and data["summary"]["jobs"] == 18


def test_junit(fleet_dir: Path, fleet_records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    assert main(["report", str(fleet_dir), "--junit", str(out)]) == 0
    root = ET.parse(out).getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == 18
    assert root.find("testsuite").get("failures") == "1"
    assert root.find("testsuite").get("skipped") == "6"
    by_case = {(c.get("classname"), c.get("name")): c for c in cases}
    for r in fleet_records:
        j = r["job"]
        case = by_case[(j["board"], f"{j['model']}[{j['kernel_set']}]")]
        failure, skipped = case.find("failure"), case.find("skipped")
        if r["status"] == "PASS":
            assert failure is None and skipped is None
        elif r["status"] == "SKIP":
            assert failure is None and r["reason"] in skipped.get("message")
        else:
            assert failure.get("message") == r["reason"] and skipped is None
            assert failure.get("type") == f"{r['status']} {r['category']}"
    case = by_case[("mps2-an386", "models/kws.tflite[arm-dsp]")]
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    rec = next(r for r in fleet_records if r["job"]["board"] == "mps2-an386"
               and r["job"]["model"] == "models/kws.tflite" and r["job"]["kernel_set"] == "arm-dsp")
    assert props["instructions"] == str(max(rec["instructions"]["invocations"]))


def test_markdown(fleet_dir: Path, fleet_records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "summary.md"
    assert main(["report", str(fleet_dir), "--markdown", str(out)]) == 0
    text = out.read_text()
    assert len(text) < 10_000                      # a PR comment / step summary, not a dump
    assert text.startswith("### tfm-ci fleet: failed")
    assert "18 jobs on 3 boards, 3 models" in text and "11 PASS, 1 FAIL, 6 SKIP" in text
    fail = next(r for r in fleet_records if r["status"] == "FAIL")
    assert f"| riscv32-virt | models/kws.tflite | reference | FAIL | {fail['reason']} |" in text


def test_terminal_readable_at_80_columns(fleet_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    report = build_report(load_results(fleet_dir))
    con = Console(width=80, record=True, color_system=None)
    con.print(report_view(report))
    text = con.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    table = [line.split() for line in lines if line.startswith(("host ", "mps2", "riscv"))]
    assert len(table) == 18                        # one unwrapped line per job
    row = next(r for r in table if r[:3] == ["mps2-an386", "kws", "arm-dsp"])
    assert row[3] == "PASS"
    assert "18 jobs: 11 PASS, 1 FAIL, 6 SKIP" in text
    assert main(["report", str(fleet_dir)]) == 0    # no option: the table on stdout
    assert "riscv32-virt kws[reference]: instructions" in capsys.readouterr().out


class CsvWriter:
    """A third party's format: one line per job."""

    name, option, help = "csv", "--csv", "write a CSV line per job"

    def write(self, report, path: Path) -> None:
        path.write_text("".join(f"{r.board},{r.model},{r.kernel_set},{r.status},"
                                f"{r.metrics['instructions'] or ''}\n" for r in report.jobs))


class CsvPlugin:
    @tfm_ci.hookimpl
    def tfm_report_writers(self) -> list[object]:
        return [CsvWriter()]


class BrokenPlugin:
    @tfm_ci.hookimpl
    def tfm_report_writers(self) -> list[object]:
        raise RuntimeError("no writers today")


class ClashPlugin:
    @tfm_ci.hookimpl
    def tfm_report_writers(self) -> list[object]:
        w = CsvWriter()
        w.option = "--json"       # taken by the built-in JSON writer
        return [w, object()]


def test_third_party_writer(fleet_dir: Path, fleet_records: list[dict], tmp_path: Path) -> None:
    pm = make_plugin_manager(load_entry_points=False)
    for name, plugin in (("acme_csv", CsvPlugin()), ("broken", BrokenPlugin()),
                         ("clash", ClashPlugin())):
        pm.register(plugin, name=name)
    writers, problems = load_writers(pm)
    assert {w.option for w in writers} == {"--html", "--junit", "--json", "--markdown", "--csv"}
    assert any(p.startswith("broken: hook tfm_report_writers: RuntimeError") for p in problems)
    assert any("clash: option --json already used by plugin 'tfm_report'" in p
               for p in problems)
    assert any("clash: <object" in p and "is not a report writer" in p for p in problems)
    out, js = tmp_path / "jobs.csv", tmp_path / "r.json"
    assert main(["report", str(fleet_dir), "--csv", str(out), "--json", str(js)],
                writers=writers) == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 18
    assert "mps2-an386,models/sine.tflite,reference,PASS," + str(max(
        next(r for r in fleet_records if r["job"]["id"].startswith(
            "mps2-an386__models-sine.tflite__reference"))["instructions"]["invocations"])) in lines
    assert json.loads(js.read_text())["summary"]["jobs"] == 18
    with pytest.raises(SystemExit):     # a writer without write_diff is not offered by diff
        main(["diff", str(fleet_dir), str(fleet_dir), "--csv", str(out)], writers=writers)


def test_builtin_formats_come_from_the_hook(fleet_dir: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFM_CI_DISABLE_PLUGINS", "tfm_report")
    writers, _ = load_writers(make_plugin_manager(load_entry_points=False))
    assert writers == []
    with pytest.raises(SystemExit):
        main(["report", str(fleet_dir), "--html", str(tmp_path / "x.html")], writers=writers)


def test_writer_failure_is_one_line(fleet_dir: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    class Bad(CsvWriter):
        def write(self, report, path: Path) -> None:
            raise ValueError("disk says no")

    assert main(["report", str(fleet_dir), "--csv", str(tmp_path / "x")],
                writers=[Bad()]) == 2
    err = capsys.readouterr().err
    assert "csv writer failed" in err and "ValueError: disk says no" in err
    assert "Traceback" not in err


def test_markdown_stays_short_for_a_big_fleet(tmp_path: Path, fleet_records: list[dict]) -> None:
    from .fleetdir import job_block, variant, write_folder

    many = []
    for k in range(20):                          # 360 jobs on 60 boards
        for r in variant(fleet_records):
            j = r["job"]
            r["job"] = job_block(f"{j['board']}-{k}", j["model"], j["kernel_set"])
            many.append(r)
    folder = write_folder(tmp_path / "big", many)
    out = tmp_path / "big.md"
    assert main(["report", str(folder), "--markdown", str(out)]) == 0
    text = out.read_text()
    assert len(text) < 20_000                    # GitHub's comment limit is 65,536
    assert "360 jobs on 60 boards" in text and "… and 150 more" in text   # 180 ran, 30 shown
