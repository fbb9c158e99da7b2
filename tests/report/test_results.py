"""Reading results folders: real records load; every damage is a one-line error naming the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tfm_ci.report import ReportError, build_report, load_results
from tfm_ci.report.cli import main
from tfm_ci.report.writer import load_writers

pytestmark = pytest.mark.slow   # the session fixture runs real jobs (cached builds)


def _one_record(folder: Path) -> Path:
    return sorted((folder / "records").glob("*.json"))[0]


def test_loads_every_record_sorted(fleet_dir: Path, fleet_records: list[dict]) -> None:
    results = load_results(fleet_dir)
    assert len(results.records) == len(fleet_records) == 18
    ids = sorted(r["job"]["id"] for r in results.records)
    assert ids == sorted(r["job"]["id"] for r in fleet_records)
    assert [(r["job"]["model"], r["job"]["board"], r["job"]["kernel_set"])
            for r in results.records] == sorted(
        (r["job"]["model"], r["job"]["board"], r["job"]["kernel_set"]) for r in fleet_records)
    assert results.manifest["tool_version"]


@pytest.mark.parametrize("damage, expected", [
    ("truncate", "not valid JSON (job record)"),
    ("not-object", "a job record must be a JSON object, not list"),
    ("no-job", "no \"job\" object"),
    ("no-board", "\"job\".\"board\" missing or not a string"),
    ("bad-status", "\"status\" is 'MAYBE', expected one of PASS, FAIL"),
    ("bad-sizes", "\"sizes\" must be a JSON object"),
    ("binary", "cannot read job record"),
])
def test_corrupt_record_names_the_file(fleet_dir: Path, damage: str, expected: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = _one_record(fleet_dir)
    record = json.loads(path.read_text())
    if damage == "truncate":
        path.write_text(path.read_text()[:200])
    elif damage == "binary":
        path.write_bytes(b"\xff\xfe\x00garbage")
    else:
        if damage == "not-object":
            record = [record]
        elif damage == "no-job":
            del record["job"]
        elif damage == "no-board":
            del record["job"]["board"]
        elif damage == "bad-status":
            record["status"] = "MAYBE"
        elif damage == "bad-sizes":
            record["sizes"] = [1, 2]
        path.write_text(json.dumps(record))
    with pytest.raises(ReportError) as info:
        load_results(fleet_dir)
    assert str(path) in str(info.value) and expected in str(info.value)
    # the CLI: one error line naming the file, exit 2, no traceback
    assert main(["report", str(fleet_dir)]) == 2
    err = capsys.readouterr().err
    assert str(path.name) in err and "Traceback" not in err


def test_missing_folder_manifest_records(tmp_path: Path, fleet_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ReportError, match="not a results folder"):
        load_results(tmp_path / "nope")
    (fleet_dir / "fleet.json").write_text("{")
    with pytest.raises(ReportError, match=r"fleet\.json: not valid JSON \(fleet manifest\)"):
        load_results(fleet_dir)
    (fleet_dir / "fleet.json").unlink()
    with pytest.raises(ReportError, match=r"fleet\.json: no such file \(fleet manifest\)"):
        load_results(fleet_dir)
    assert main(["diff", str(fleet_dir), str(fleet_dir)]) == 2
    assert "fleet.json: no such file" in capsys.readouterr().err


def test_duplicate_job_names_both_files(fleet_dir: Path) -> None:
    first = _one_record(fleet_dir)
    copy = first.with_name("zz-copy.json")
    copy.write_text(first.read_text())
    with pytest.raises(ReportError) as info:
        load_results(fleet_dir)
    assert str(copy) in str(info.value) and str(first) in str(info.value)


def test_job_listed_in_manifest_without_record(fleet_dir: Path) -> None:
    path = _one_record(fleet_dir)
    gone = json.loads(path.read_text())["job"]
    path.unlink()
    report = build_report(load_results(fleet_dir))
    assert report.summary["missing"] == [f"{gone['board']} {gone['model']}[{gone['kernel_set']}]"]
    assert not report.passed


WRONG = (None, "x", [1, "a", None], {"a": [1]}, -3, True)


def test_wrong_types_anywhere_never_crash(tmp_path: Path, fleet_records: list[dict]) -> None:
    """Every top-level field and every sizes/instructions field of a real record replaced by
    a value of the wrong type: the folder is refused naming the file, or every writer and
    the diff work. Never a traceback."""
    from .fleetdir import find, variant, write_folder

    base = find(fleet_records, "mps2-an386", "kws", "arm-dsp")
    paths = [(k,) for k in base if k != "job"]
    paths += [("sizes", k) for k in base["sizes"]]
    paths += [("instructions", k) for k in base["instructions"]]
    paths += [("job", k) for k in base["job"]]
    outcomes = {"refused": 0, "reported": 0}
    writers, _ = load_writers()              # once: the plugin manager is not the subject
    for path in paths:
        for value in WRONG:
            records = variant([base])
            target = records[0]
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            folder = write_folder(tmp_path / "f", records)
            out = tmp_path / "out"
            # HTML (matplotlib: ~1 s each) for the fields its plots and tables read
            html = value == "x" and path[0] in ("sizes", "instructions", "budgets", "status",
                                                "reason", "category", "seconds")
            formats = ("junit", "json", "markdown") + (("html",) if html else ())
            args = ["report", str(folder)] + [a for fmt in formats
                                              for a in (f"--{fmt}", str(out / fmt))]
            rc = main(args, writers)
            assert rc in (0, 2), (path, value)
            if rc == 2:
                (file,) = (folder / "records").iterdir()
                with pytest.raises(ReportError, match=re.escape(str(file))):
                    load_results(folder)
                outcomes["refused"] += 1
            else:
                assert main(["report", str(folder)], writers) == 0
                assert main(["diff", str(folder), str(folder)], writers) == 0
                outcomes["reported"] += 1
    assert outcomes["refused"] > 20 and outcomes["reported"] > 100, outcomes
