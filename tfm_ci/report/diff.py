"""Two fleet reports -> a :class:`FleetDiff`: regressions, improvements, new and gone jobs.

Jobs are matched by (board, model, kernel set[, dataset share]). A regression is a
metric that grew by more than its threshold, a job that passed and no longer does,
or a job of the base that the new folder lacks. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from tfm_ci.report.metrics import METRICS
from tfm_ci.report.results import JobKey
from tfm_ci.report.summary import FleetReport, JobRow

#: Percent growth allowed before a metric counts as a regression (see docs/reports.md).
#: Instruction counts and sizes are exact and identical on every run, so a small
#: threshold raises no false alarm; it is not 0 so that an unrelated shared-code
#: change of a few instructions or bytes does not flag every job.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "instructions": 1.0,   # exact per run: 1 % of person_detect is 0.7M instructions
    "init": 5.0,           # small (tens of thousands) and moved by any allocation change
    "flash": 1.0,          # exact link sizes
    "ram": 1.0,            # static + arena used + stack used, all exact
    "arena": 1.0,          # the planner's exact figure
    "stack": 10.0,         # exact per run, but small: one inlined frame moves it by 5-10 %
}


class ThresholdError(ValueError):
    """A bad ``--threshold METRIC=PCT``."""


def parse_threshold(text: str) -> tuple[str, float]:
    """``"instructions=0.5"`` or ``"flash=2%"`` -> (metric, percent)."""
    metric, sep, value = text.partition("=")
    metric = metric.strip().lower()
    if not sep or metric not in METRICS:
        raise ThresholdError(f"bad threshold {text!r}: use METRIC=PCT with METRIC one of "
                             f"{', '.join(METRICS)} (e.g. instructions=0.5)")
    try:
        pct = float(value.strip().removesuffix("%"))
    except ValueError:
        raise ThresholdError(f"bad threshold {text!r}: {value!r} is not a percentage") from None
    if not math.isfinite(pct) or pct < 0:
        raise ThresholdError(f"bad threshold {text!r}: the percentage must be >= 0")
    return metric, pct


def thresholds(overrides: list[str] | None = None) -> dict[str, float]:
    """The default thresholds with ``METRIC=PCT`` overrides applied."""
    result = dict(DEFAULT_THRESHOLDS)
    for text in overrides or []:
        metric, pct = parse_threshold(text)
        result[metric] = pct
    return result


@dataclass
class Change:
    """One line of a diff. `kind`: "metric", "status", "removed" or "added"."""

    kind: str
    board: str
    model: str
    kernel_set: str
    metric: str                 # a metric name, or "status" / "job"
    old: Any
    new: Any
    percent: float | None       # metric growth in percent (inf when the old value was 0)
    threshold: float | None = None
    dataset: list[Any] | None = None

    @property
    def label(self) -> str:
        return f"{self.board} {self.model}[{self.kernel_set}]"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if d["percent"] is not None and not math.isfinite(d["percent"]):
            d["percent"] = None if math.isnan(d["percent"]) else "inf"
        return d


@dataclass
class FleetDiff:
    base: str
    new: str
    thresholds: dict[str, float]
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)      # e.g. FAIL -> ERROR
    matched: int = 0
    unchanged: int = 0                                     # matched, nothing beyond threshold

    @property
    def regressed(self) -> bool:
        return bool(self.regressions)

    @property
    def verdict(self) -> str:
        """"no regression", "1 regression", "3 regressions"."""
        n = len(self.regressions)
        return "no regression" if n == 0 else f"{n} regression{'s' if n > 1 else ''}"

    def to_dict(self) -> dict[str, Any]:
        return {"base": self.base, "new": self.new, "thresholds": self.thresholds,
                "regressed": self.regressed, "matched": self.matched,
                "unchanged": self.unchanged,
                **{name: [c.to_dict() for c in getattr(self, name)]
                   for name in ("regressions", "improvements", "added", "other")}}


def percent(old: int, new: int) -> float:
    if old == 0:
        return 0.0 if new == 0 else math.inf
    return 100.0 * (new - old) / old


def _change(kind: str, r: JobRow, metric: str, old: Any, new: Any,
            pct: float | None = None, threshold: float | None = None) -> Change:
    share = r.key[3]
    return Change(kind, r.board, r.model, r.kernel_set, metric, old, new, pct, threshold,
                  list(share) if share else None)


def compare_jobs(old: JobRow, new: JobRow, limits: dict[str, float], out: FleetDiff) -> None:
    """Add the changes between two runs of the same job to `out`."""
    found = False
    if old.status != new.status:
        found = True
        change = _change("status", new, "status", old.status, new.status)
        if old.status == "PASS":
            out.regressions.append(change)
        elif new.status == "PASS":
            out.improvements.append(change)
        else:
            out.other.append(change)
    for metric in METRICS:
        a, b = old.metrics.get(metric), new.metrics.get(metric)
        if a is None or b is None or a == b:
            continue
        if metric in ("instructions", "init") and old.unit != new.unit:
            continue   # different counters (markers vs a port's cycles): not comparable
        pct, limit = percent(a, b), limits[metric]
        if pct > limit:
            out.regressions.append(_change("metric", new, metric, a, b, pct, limit))
            found = True
        elif -pct > limit:
            out.improvements.append(_change("metric", new, metric, a, b, pct, limit))
            found = True
    if not found:
        out.unchanged += 1


def diff_reports(base: FleetReport, new: FleetReport,
                 limits: dict[str, float] | None = None) -> FleetDiff:
    """Compare two fleets job by job (see the module docstring for what regresses)."""
    limits = {**DEFAULT_THRESHOLDS, **(limits or {})}   # a partial dict keeps the defaults
    result = FleetDiff(base.folder, new.folder, limits)
    new_rows: dict[JobKey, JobRow] = {r.key: r for r in new.jobs}
    base_keys = set()
    for old in base.jobs:
        base_keys.add(old.key)
        current = new_rows.get(old.key)
        if current is None:
            result.regressions.append(_change("removed", old, "job", old.status, None))
            continue
        result.matched += 1
        compare_jobs(old, current, limits, result)
    for r in new.jobs:
        if r.key not in base_keys:
            result.added.append(_change("added", r, "job", None, r.status))
    return result
