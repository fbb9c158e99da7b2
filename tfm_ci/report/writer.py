"""The report-writer seam: what a ``tfm_report_writers`` hook returns.

A writer is any object with these attributes; the CLI adds one option per writer to
``tfm-ci fleet report`` (and to ``fleet diff`` when it has ``write_diff``) and never
names a format itself, so a plugin adds a format without touching the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from tfm_ci.report.diff import FleetDiff
    from tfm_ci.report.summary import FleetReport


@runtime_checkable
class ReportWriter(Protocol):
    """A report format. ``option`` is the CLI flag (``"--junit"``), ``name`` the format."""

    name: str
    option: str
    help: str

    def write(self, report: FleetReport, path: Path) -> None:
        """Write `report` to `path` (the caller creates the parent folder)."""


@runtime_checkable
class DiffWriter(Protocol):
    """A writer that can also write the result of ``fleet diff``."""

    def write_diff(self, diff: FleetDiff, path: Path) -> None:
        """Write `diff` to `path`."""


def load_writers(pm: object | None = None) -> tuple[list[ReportWriter], list[str]]:
    """Every writer of every plugin's ``tfm_report_writers``, and the problems found.

    A plugin whose hook raises, a writer without name/option/write, or an option
    already taken is left out and named in the problems; the others are kept.
    """
    from tfm_ci.plugins import make_plugin_manager

    pm = pm if pm is not None else make_plugin_manager()
    writers: list[ReportWriter] = []
    problems: list[str] = []
    owners: dict[str, str] = {}
    for impl in pm.hook.tfm_report_writers.get_hookimpls():  # type: ignore[attr-defined]
        plugin = impl.plugin_name
        try:
            found = list(impl.function() or ())
        except Exception as exc:
            problems.append(f"{plugin}: hook tfm_report_writers: {type(exc).__name__}: {exc}")
            continue
        for w in found:
            if not isinstance(w, ReportWriter) or not str(w.option).startswith("--"):
                problems.append(f"{plugin}: {w!r} is not a report writer (needs name, "
                                "option '--x', help and write(report, path))")
                continue
            if w.option in owners:
                problems.append(f"{plugin}: option {w.option} already used by plugin "
                                f"{owners[w.option]!r}; writer {w.name!r} ignored")
                continue
            owners[w.option] = plugin
            writers.append(w)
    return writers, problems
