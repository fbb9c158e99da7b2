"""Reports and regression gates on fleet results folders.

Data flows one way, each step testable alone: ``load_results(DIR)`` (records as
plain dicts) -> ``build_report`` (a :class:`FleetReport`) -> writers from the
``tfm_report_writers`` hook (HTML, JUnit, JSON, Markdown, a plugin's), and
``diff_reports(base, new, thresholds)`` -> a :class:`FleetDiff`. See docs/reports.md.
"""

from tfm_ci.report.diff import DEFAULT_THRESHOLDS, FleetDiff, diff_reports, thresholds
from tfm_ci.report.results import ReportError, Results, load_results
from tfm_ci.report.summary import FleetReport, JobRow, build_report
from tfm_ci.report.writer import ReportWriter

__all__ = ["DEFAULT_THRESHOLDS", "FleetDiff", "FleetReport", "JobRow", "ReportError",
           "ReportWriter", "Results", "build_report", "diff_reports", "load_results",
           "thresholds"]
