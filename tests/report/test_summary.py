"""Records -> report rows and summary, checked against the raw records."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.report import build_report, load_results
from tfm_ci.report.metrics import metrics

from .fleetdir import find

pytestmark = pytest.mark.slow


def test_metrics_of_real_records(fleet_records: list[dict]) -> None:
    rec = find(fleet_records, "mps2-an386", "kws")
    assert rec["status"] == "PASS" and rec["instructions"]["unit"] == "instructions"
    m = metrics(rec)
    assert m["instructions"] == max(rec["instructions"]["invocations"]) > 1_000_000
    assert m["init"] == rec["instructions"]["init"] > 0
    assert m["flash"] == rec["sizes"]["flash"]
    assert m["arena"] == rec["sizes"]["arena_used"] and m["stack"] == rec["sizes"]["stack_used"]
    assert m["ram"] == (rec["sizes"]["static_ram"] + rec["sizes"]["arena_used"]
                        + rec["sizes"]["stack_used"])
    skipped = find(fleet_records, "host", "kws", "arm-dsp")
    assert skipped["status"] == "SKIP"
    assert set(metrics(skipped).values()) == {None}       # not measured: None, never 0
    host = find(fleet_records, "host", "kws")
    assert host["status"] == "PASS" and metrics(host)["instructions"] is None   # not counted


def test_summary_counts(fleet_dir: Path, fleet_records: list[dict]) -> None:
    report = build_report(load_results(fleet_dir))
    s = report.summary
    by_status = {st: sum(r["status"] == st for r in fleet_records)
                 for st in ("PASS", "FAIL", "SKIP")}
    assert by_status == {"PASS": 11, "FAIL": 1, "SKIP": 6}
    assert {k: s["by_status"][k] for k in by_status} == by_status
    assert s["jobs"] == 18 and not report.passed
    assert s["boards"] == ["host", "mps2-an386", "riscv32-virt"]
    assert s["kernel_sets"] == ["arm-dsp", "reference"]
    (failure,) = s["failures"]
    assert failure["board"] == "riscv32-virt" and failure["status"] == "FAIL"
    assert failure["reason"].startswith("instructions ") and "user limit" in failure["reason"]
    assert len(s["skipped"]) == 6 and all("arm-dsp" in k["reason"] for k in s["skipped"])
    assert s["missing"] == []
