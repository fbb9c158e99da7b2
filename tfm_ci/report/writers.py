"""Built-in report writers, registered as a plugin on the same hook any third party uses.

This module is the built-in plugin ``tfm_report``
(:data:`tfm_ci.pluginmanager.BUILTIN_PLUGINS`); the CLI only knows writers through
``tfm_report_writers``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import tfm_ci
from tfm_ci.report.diff import FleetDiff
from tfm_ci.report.html import render_diff, render_report
from tfm_ci.report.junit import render_junit
from tfm_ci.report.markdown import render_diff_markdown, render_markdown
from tfm_ci.report.summary import FleetReport


def report_json(report: FleetReport) -> dict:
    """``{"jobs": [record as run --json writes it (+ "job")...], "summary": {...}}``."""
    return {"jobs": [r.record for r in report.jobs], "summary": report.summary}


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class JsonWriter:
    name: str = "json"
    option: str = "--json"
    help: str = "write the records and the summary as JSON"

    def write(self, report: FleetReport, path: Path) -> None:
        _write(path, json.dumps(report_json(report), indent=1) + "\n")

    def write_diff(self, diff: FleetDiff, path: Path) -> None:
        _write(path, json.dumps(diff.to_dict(), indent=1) + "\n")


@dataclass(frozen=True)
class JunitWriter:
    name: str = "junit"
    option: str = "--junit"
    help: str = "write JUnit XML: one testcase per job"

    def write(self, report: FleetReport, path: Path) -> None:
        _write(path, render_junit(report))


@dataclass(frozen=True)
class MarkdownWriter:
    name: str = "markdown"
    option: str = "--markdown"
    help: str = "write a short Markdown summary (PR comment, CI step summary)"

    def write(self, report: FleetReport, path: Path) -> None:
        _write(path, render_markdown(report))

    def write_diff(self, diff: FleetDiff, path: Path) -> None:
        _write(path, render_diff_markdown(diff))


@dataclass(frozen=True)
class HtmlWriter:
    name: str = "html"
    option: str = "--html"
    help: str = "write one self-contained HTML page with plots"

    def write(self, report: FleetReport, path: Path) -> None:
        _write(path, render_report(report))

    def write_diff(self, diff: FleetDiff, path: Path) -> None:
        _write(path, render_diff(diff))


@tfm_ci.hookimpl
def tfm_report_writers() -> list[object]:
    return [HtmlWriter(), JunitWriter(), JsonWriter(), MarkdownWriter()]
