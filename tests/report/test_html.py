"""The HTML report and diff in headless Chromium, and each plot's data against the records."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib import image

from tfm_ci.report.cli import main
from tfm_ci.report.plots import render

from .browser import Chromium
from .fleetdir import find, variant, write_folder

pytestmark = pytest.mark.slow

FIGURE = re.compile(r'<figure class="plot" id="fig-([^"]+)" data-kind="([^"]+)">\n'
                    r'<script type="application/json" class="plot-data">(.*?)</script>\n'
                    r"(<svg.*?</svg>)\n<figcaption>", re.S)

DOM_FIGURES = """JSON.stringify([...document.querySelectorAll('figure.plot')].map(f => {
  const svg = f.querySelector('svg'); const box = svg.getBoundingClientRect();
  return {id: f.id.slice(4), kind: f.dataset.kind,
          data: JSON.parse(f.querySelector('script.plot-data').textContent),
          width: box.width, height: box.height, shapes: svg.querySelectorAll('path').length};
}))"""
DOM_MATRIX = """JSON.stringify((() => {
  const out = {};
  for (const tr of [...document.querySelectorAll('#status-matrix tr')].slice(2)) {
    out[tr.querySelector('th').textContent] = Object.fromEntries(
      [...tr.querySelectorAll('td[data-job]')].filter(td => td.textContent)
        .map(td => [td.dataset.job, td.textContent]));
  }
  return out; })())"""


def figures_in(html: str) -> list[dict[str, Any]]:
    return [{"id": m[0], "kind": m[1], "data": json.loads(m[2]), "svg": m[3]}
            for m in FIGURE.findall(html)]


def label(r: dict[str, Any]) -> str:
    j = r["job"]
    return f"{j['board']} {j['model']}[{j['kernel_set']}]"


def board_check(r: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((c for c in r["budgets"] if c["kind"] == kind and c["source"] == "board"), None)


def costliest(r: dict[str, Any]) -> int | None:
    if r["instructions"].get("unit") != "instructions" or not r["instructions"]["invocations"]:
        return None
    return max(r["instructions"]["invocations"])


def assert_not_blank(png: Path, min_height: int = 0) -> np.ndarray:
    """Some ink, many colours (plots, status cells), and the page fits its 1280 px width."""
    pixels = image.imread(io.BytesIO(png.read_bytes()), format="png")[..., :3]
    assert pixels.shape[0] >= min_height and pixels.shape[1] == 1280
    ink = (pixels < 0.9).any(axis=2).mean()
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert ink > 0.03 and colours > 50, (ink, colours)
    return pixels


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Chromium:
    with Chromium(tmp_path_factory.mktemp("chromium")) as c:
        yield c


def test_harness_sees_console_errors_and_requests(browser: Chromium, tmp_path: Path) -> None:
    """The checks below can fail: a page with an error and a remote image is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><p>x</p><script>console.error("boom")</script>'
                   '<img src="http://127.0.0.1:9/x.png"><script>undefined_fn()</script>'
                   "</body></html>")
    load = browser.load(bad)
    assert "boom" in load.console_errors
    assert any("undefined_fn" in e for e in load.console_errors)
    assert load.foreign_requests == ["http://127.0.0.1:9/x.png"]
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    assert browser.load(blank).foreign_requests == []
    with pytest.raises(AssertionError):
        assert_not_blank(browser.screenshot(tmp_path / "blank.png"))


def test_report_html_in_chromium(browser: Chromium, fleet_dir: Path,
                                 fleet_records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(fleet_dir), "--html", str(out)]) == 0
    html = out.read_text()
    load = browser.load(out)
    assert load.console_errors == [] and load.failed == []
    assert load.foreign_requests == []                 # self-contained: nothing else loaded
    shot = browser.screenshot(Path("build/report-screenshot.png").resolve()
                              if Path("build").is_dir() else tmp_path / "shot.png")
    assert_not_blank(shot, min_height=2500)         # the whole, long page

    # every plot is in the page, drawn, and carries the data it was drawn from
    in_file = figures_in(html)
    in_dom = json.loads(browser.evaluate(DOM_FIGURES))
    assert [(f["id"], f["kind"], f["data"]) for f in in_file] == [
        (f["id"], f["kind"], f["data"]) for f in in_dom]
    assert {f["kind"] for f in in_dom} == {"budgets", "memory", "instructions", "ops"}
    for f in in_dom:
        assert f["width"] > 200 and f["height"] > 100 and f["shapes"] > 20, f["id"]
    for f in in_file:                                   # the SVG is exactly that data's
        assert render(f["kind"], f["data"]) == f["svg"], f["id"]

    # the status matrix is the records'
    expected: dict[str, dict[str, str]] = defaultdict(dict)
    for r in fleet_records:
        expected[r["job"]["board"]][f"{r['job']['model']}[{r['job']['kernel_set']}]"] = r["status"]
    assert json.loads(browser.evaluate(DOM_MATRIX)) == expected
    failures = browser.evaluate("document.querySelector('#failure-table').innerText")
    fail = next(r for r in fleet_records if r["status"] == "FAIL")
    assert fail["reason"] in failures

    figs = {f["id"]: f["data"] for f in in_file}
    ran = [r for r in fleet_records if r["sizes"].get("flash") is not None]
    assert {row["job"]: row for row in figs["budgets"]["rows"]} == {
        label(r): {"job": label(r), "flash": r["sizes"]["flash"],
                   "flash_budget": board_check(r, "flash")["limit"],
                   "ram": board_check(r, "ram")["used"],
                   "ram_budget": board_check(r, "ram")["limit"]} for r in ran}
    assert {row["job"]: (row["arena"], row["stack"]) for row in figs["memory"]["rows"]} == {
        label(r): (r["sizes"]["arena_used"], r["sizes"].get("stack_used")) for r in ran}
    counted = [r for r in fleet_records if costliest(r) is not None]
    per_model = {f["data"]["model"]: f["data"] for f in in_file if f["kind"] == "instructions"}
    assert set(per_model) == {r["job"]["model"] for r in counted}
    for r in counted:
        j = r["job"]
        assert per_model[j["model"]]["values"][j["kernel_set"]][j["board"]] == costliest(r)
    assert sum(v is not None for d in per_model.values() for s in d["values"].values()
               for v in s.values()) == len(counted)
    top = sorted(counted, key=lambda r: -costliest(r))[:5]
    assert [row["job"] for row in figs["ops"]["rows"]] == [label(r) for r in top]
    for row, r in zip(figs["ops"]["rows"], top, strict=True):
        k = r["instructions"]["invocations"].index(costliest(r))
        sums: dict[str, int] = defaultdict(int)
        for op in r["instructions"]["ops"]:
            if op["invocation"] == k:
                sums[op["op_name"]] += op["instructions"]
        assert row["total"] == costliest(r)
        assert {o["op"]: o["instructions"] for o in row["ops"]} == sums
    # speed-ups: arm-dsp against reference on mps2-an386, from the records
    speed = browser.evaluate("document.querySelector('#speedups').innerText")
    kws_ref, kws_dsp = (costliest(find(fleet_records, "mps2-an386", "kws", k))
                        for k in ("reference", "arm-dsp"))
    assert f"{kws_ref:,}\t{kws_dsp:,}\t{kws_ref / kws_dsp:.2f}×" in speed


def test_plots_follow_their_data() -> None:
    data = {"model": "m.tflite", "boards": ["a", "b"], "kernel_sets": ["reference"],
            "values": {"reference": {"a": 1000, "b": 2000}}}
    first = render("instructions", data)
    assert first == render("instructions", json.loads(json.dumps(data)))   # deterministic
    data["values"]["reference"]["b"] = 4000
    assert render("instructions", data) != first


def test_diff_html_in_chromium(browser: Chromium, tmp_path: Path,
                               fleet_records: list[dict]) -> None:
    base = write_folder(tmp_path / "base", fleet_records)
    new = variant(fleet_records)
    rec = find(new, "mps2-an386", "kws")
    rec["instructions"]["invocations"] = [n * 11 // 10 for n in rec["instructions"]["invocations"]]
    find(new, "mps2-an386", "sine")["sizes"]["flash"] //= 2
    out = tmp_path / "diff.html"
    assert main(["diff", str(base), str(write_folder(tmp_path / "new", new)),
                 "--html", str(out)]) == 1
    load = browser.load(out)
    assert load.console_errors == [] and load.foreign_requests == []
    regressions = browser.evaluate("document.querySelector('#regression-table').innerText")
    assert "mps2-an386\tmodels/kws.tflite\treference\tinstructions" in regressions
    assert "+10.00%" in regressions
    (fig,) = figures_in(out.read_text())
    assert [(r["kind"], r["percent"]) for r in fig["data"]["rows"]] == [
        ("regression", pytest.approx(10, abs=0.01)), ("improvement", pytest.approx(-50, abs=0.01))]
    assert render(fig["kind"], fig["data"]) == fig["svg"]
    shot = (Path("build/diff-screenshot.png").resolve() if Path("build").is_dir()
            else tmp_path / "diff.png")
    assert_not_blank(browser.screenshot(shot))
