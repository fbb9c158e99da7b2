"""`[[datasets]]`: spec errors, share planning, and the held-back digits through a real
fleet run (host + a QEMU board, two kernel sets), scored against TensorFlow Lite."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tfm_ci.datasets import quantize_samples, summarize
from tfm_ci.demo import digits
from tfm_ci.fleet import spec as fleet_spec
from tfm_ci.fleet.datasets import Share, plan_shares
from tfm_ci.fleet.runner import run_fleet_spec
from tfm_ci.oracle import input_specs, run_reference
from tfm_ci.registry import Registry

from .conftest import tfm_ci, write_spec

SAMPLES = 90   # of the 500 held back: enough for every share, fast on 2 cores


@pytest.fixture
def digits_project(tmp_path: Path) -> Path:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "digits.tflite").write_bytes(digits.build_digits_int8())
    x, y = digits.held_out()
    (tmp_path / "data").mkdir()
    np.savez(tmp_path / "data" / "digits.npz", x=x[:SAMPLES], y=y[:SAMPLES])
    return tmp_path


SPEC = """\
boards = ["host", "mps2-an386"]
models = ["models/digits.tflite"]
kernel_sets = ["reference", "arm-dsp"]
[[datasets]]
model = "models/digits.tflite"
data = "data/digits.npz"
"""


def _load(folder: Path, text: str, registry: Registry) -> fleet_spec.FleetSpec:
    return fleet_spec.load(write_spec(folder, text), registry)


@pytest.mark.parametrize(("extra", "message"), [
    ('colour = "red"\n', "datasets[0].colour: unknown key"),
    ('boards = ["nosuch"]\n', "unknown board 'nosuch'"),
    ('kernel_sets = ["arm-dsp"]\nboards = ["host"]\n', "no board of host offers any"),
])
def test_dataset_table_errors_name_the_key(digits_project: Path, registry: Registry,
                                           extra: str, message: str) -> None:
    with pytest.raises(fleet_spec.FleetSpecError) as info:
        _load(digits_project, SPEC + extra, registry)
    assert message in str(info.value) and "fleet.toml" in str(info.value)


def test_bad_data_is_named_before_running(digits_project: Path, registry: Registry) -> None:
    np.savez(digits_project / "data" / "bad.npz", x=np.zeros((3, 1, 63), np.float32),
             y=np.zeros(3, np.int64))
    with pytest.raises(fleet_spec.FleetSpecError) as info:
        _load(digits_project, SPEC.replace("digits.npz", "bad.npz"), registry)
    assert "datasets[0].data" in str(info.value) and "samples of shape [1, 63]" in str(info.value)
    with pytest.raises(fleet_spec.FleetSpecError, match=r"datasets\[0\]\.data: 'data/no.npz' "
                                                        "does not exist"):
        _load(digits_project, SPEC.replace("digits.npz", "no.npz"), registry)
    with pytest.raises(fleet_spec.FleetSpecError, match=r"datasets: expected an array"):
        _load(digits_project, SPEC.split("[[datasets]]")[0] + 'datasets = "x"\n', registry)


def test_shares_split_over_targets_and_boots() -> None:
    shares = plan_shares(25, [("a", "r"), ("b", "r"), ("b", "o")], {"a": 3, "b": 100})
    assert shares[:3] == [Share("a", "r", 0, 3), Share("a", "r", 3, 6), Share("a", "r", 6, 8)]
    assert shares[3:] == [Share("b", "r", 8, 16), Share("b", "o", 16, 25)]


def test_a_share_bigger_than_the_inputs_region_boots_several_times(
        digits_project: Path, registry: Registry) -> None:
    spec = _load(digits_project, SPEC, registry)
    jobs = [j for j in spec.jobs() if j.dataset is not None]
    covered = sorted((j.dataset.start, j.dataset.stop) for j in jobs)
    assert [i for a, b in covered for i in range(a, b)] == list(range(SAMPLES))
    # host: reference only; mps2-an386: reference and arm-dsp -> 3 targets of 30 samples
    assert {(j.board, j.kernel_set) for j in jobs} == {
        ("host", "reference"), ("mps2-an386", "reference"), ("mps2-an386", "arm-dsp")}
    assert len({j.id for j in jobs}) == len(jobs)


def test_digits_fleet_scores_every_sample(digits_project: Path, registry: Registry,
                                          cache: Path) -> None:
    spec = _load(digits_project, SPEC, registry)
    result = run_fleet_spec(spec, registry, digits_project / "results", cache_dir=str(cache))
    assert result.ok, [(r["job"]["id"], r["status"], r["reason"]) for r in result.ordered()
                       if r["status"] != "PASS"]
    records = [json.loads(p.read_text())
               for p in sorted((digits_project / "results" / "records").glob("*.json"))]
    scored = [r for r in records if r.get("accuracy")]
    assert len(scored) == 3 and all(r["job"]["dataset"] for r in scored)
    assert all(r["spec"]["inputs"] == [f"data/digits.npz[{r['job']['dataset']['start']}:"
                                       f"{r['job']['dataset']['stop']}]"] for r in scored)
    rows = summarize(records)
    assert sum(r["samples"] for r in rows) == SAMPLES
    assert all(r["agreement"] == 1.0 for r in rows)          # int8: bit-exact on every sample
    # top-1 equals TFLite's own on the same samples
    model = (digits_project / "models" / "digits.tflite").read_bytes()
    x, y = digits.held_out()
    q, _ = quantize_samples(x[:SAMPLES], input_specs(model)[0], "digits")
    ref = run_reference(model, [q], invocations=SAMPLES)
    ref_pred = [int(np.argmax(r[0])) for r in ref]
    for row, rec in zip(rows, sorted(scored, key=lambda r: (r["board"], r["kernel_set"])),
                        strict=True):
        a, b = rec["job"]["dataset"]["start"], rec["job"]["dataset"]["stop"]
        assert rec["accuracy"]["predictions"] == ref_pred[a:b]
        assert row["correct"] == sum(p == t for p, t in zip(ref_pred[a:b], y[a:b], strict=True))
    # the rerun reuses every dataset record (same fingerprints)
    again = run_fleet_spec(spec, registry, digits_project / "results", cache_dir=str(cache))
    assert again.reused == {j.id for j in again.jobs}


def test_fleet_report_carries_the_accuracy(digits_project: Path, cache: Path) -> None:
    spec = write_spec(digits_project, SPEC.replace('"reference", "arm-dsp"', '"reference"')
                      .replace('"host", "mps2-an386"', '"host"'))
    run = tfm_ci("fleet", "run", str(spec), "--results", str(digits_project / "r"), cache=cache)
    assert run.returncode == 0, run.stdout + run.stderr
    out = digits_project / "report.json"
    rep = tfm_ci("fleet", "report", str(digits_project / "r"), "--json", str(out),
                 "--markdown", str(digits_project / "summary.md"), cache=cache)
    assert rep.returncode == 0, rep.stdout + rep.stderr
    accuracy = json.loads(out.read_text())["summary"]["accuracy"]
    assert [(a["model"], a["board"], a["kernel_set"], a["samples"]) for a in accuracy] == [
        ("models/digits.tflite", "host", "reference", SAMPLES)]
    assert set(accuracy[0]) >= {"model", "board", "kernel_set", "samples", "correct", "top1",
                                "agreement"}
    assert accuracy[0]["agreement"] == 1.0 and 0.8 < accuracy[0]["top1"] <= 1.0
    assert "top-1" in (digits_project / "summary.md").read_text()


def test_html_report_shows_the_confusion_matrices(digits_project: Path, registry: Registry,
                                                  cache: Path, tmp_path: Path) -> None:
    """In headless Chromium: no console error or request, and each confusion matrix's
    embedded data equals the matrix computed from the records (and redraws its SVG)."""
    from tests.report.browser import Chromium
    from tests.report.test_html import figures_in
    from tfm_ci.report.cli import main
    from tfm_ci.report.plots import render

    spec = _load(digits_project, SPEC, registry)
    run_fleet_spec(spec, registry, digits_project / "results", cache_dir=str(cache))
    html = digits_project / "report.html"
    assert main(["report", str(digits_project / "results"), "--html", str(html)]) == 0
    records = [json.loads(p.read_text())
               for p in sorted((digits_project / "results" / "records").glob("*.json"))]
    want = {(a["board"], a["kernel_set"]): a["confusion"] for a in summarize(records)}
    text = html.read_text()
    shown = [f for f in figures_in(text) if f["kind"] == "confusion"]
    assert {(f["data"]["board"], f["data"]["kernel_set"]): f["data"]["matrix"]
            for f in shown} == want
    assert all(render("confusion", f["data"]) == f["svg"] for f in shown)
    assert 'id="accuracy"' in text
    with Chromium(tmp_path / "chromium") as browser:
        page = browser.load(html)
        assert page.console_errors == [] and page.foreign_requests == []
