"""A job's verdict: a pure function of what was measured and parsed.

Order (first match wins): the simulator's outcome (TIMEOUT), the core's (FAULT),
the simulator's own failure, the protocol (unparseable transcript), a crash (no
BEGIN/END), a firmware error (an arena too small is reported as a budget failure
when the budgets say so), a failed END or exit code, missing outputs, then the
comparison with TFLite (reference error, mismatch), the budgets, and PASS.

:func:`precheck` decides everything that comes before comparing outputs; when it
returns None the caller compares (which needs the oracle) and calls :func:`decide`.
Nothing here runs a program or reads a file, so every branch is tested without a
toolchain (tests/engine/test_verdict_table.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from tfm_ci.transcript import Transcript


class Status(Enum):
    PASS = "PASS"
    FAIL = "FAIL"          # ran, but wrong outputs, a firmware error or a budget overflow
    ERROR = "ERROR"        # could not run: bad config/model/inputs, build or simulator failure
    TIMEOUT = "TIMEOUT"
    FAULT = "FAULT"        # the core faulted (pc in the reason)
    SKIP = "SKIP"          # not runnable here (unsupported op, no simulator): never a pass


@dataclass(frozen=True)
class Verdict:
    status: Status
    category: str          # "timeout", "fault", "simulator", "protocol", "crash", "firmware",
    reason: str            # "reference", "mismatch", "budget", "" (PASS)


@dataclass(frozen=True)
class RunFacts:
    """What one simulation produced, already parsed (plain data)."""

    timeout: float
    timed_out: bool = False
    sim_error: str | None = None
    exit_code: int | None = 0
    output_lines: int = 0                     # lines of console output
    dropped_bytes: int = 0                    # console output the bounded reader dropped
    transcript: Transcript | None = None      # None when it could not be parsed
    protocol_error: str = ""                  # why it could not be parsed
    invocations: int = 1
    arena_measured: bool = False              # the arena the model needs is known
    budget_failures: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing the outputs with TFLite (:mod:`tfm_ci.verify`)."""

    match: bool
    reason: str = ""
    error: str | None = None                  # the reference could not be computed


def precheck(f: RunFacts) -> Verdict | None:
    """The verdict reached before comparing outputs, or None when they must be compared."""
    t = f.transcript
    if f.timed_out:
        return Verdict(Status.TIMEOUT, "timeout", f"no END after {f.timeout:g} s "
                       f"({f.output_lines} lines of output)")
    if t is not None and t.fault is not None:
        pc = t.fault.get("pc", "?")
        return Verdict(Status.FAULT, "fault", f"{t.fault.get('kind', 'fault')} at pc={pc}")
    if f.sim_error:
        return Verdict(Status.ERROR, "simulator", f.sim_error)
    if t is None:
        reason = f.protocol_error or "transcript could not be parsed"
        if f.dropped_bytes:
            reason += f" (console output truncated: {f.dropped_bytes:,} bytes dropped)"
        return Verdict(Status.ERROR, "protocol", reason)
    if not t.begun or t.end is None:
        missing = "BEGIN" if not t.begun else "END"
        reason = f"no {missing} line: the firmware stopped early (exit code {f.exit_code})"
        if f.dropped_bytes:
            reason += f"; console output truncated: {f.dropped_bytes:,} bytes dropped"
        return Verdict(Status.ERROR, "crash", reason)
    if t.errors:
        status, message = t.errors[0]
        if status == "ARENA_TOO_SMALL" and f.arena_measured and f.budget_failures:
            return Verdict(Status.FAIL, "budget", "; ".join(f.budget_failures))
        return Verdict(Status.FAIL, "firmware", f"{status} {message}")
    if not t.passed or f.exit_code != 0:
        return Verdict(Status.FAIL, "firmware", f"END {t.end}, exit code {f.exit_code}")
    missing_outputs = [k for k in range(f.invocations) if k not in t.outputs]
    if missing_outputs:
        return Verdict(Status.FAIL, "protocol",
                       f"no OUTPUT lines for invocation(s) {missing_outputs}")
    return None


def decide(f: RunFacts, comparison: Comparison | None = None) -> Verdict:
    """The job's verdict; `comparison` is needed when :func:`precheck` returns None."""
    early = precheck(f)
    if early is not None:
        return early
    if comparison is None:
        raise ValueError("outputs must be compared before the verdict (precheck returned None)")
    if comparison.error:
        return Verdict(Status.ERROR, "reference", comparison.error)
    if not comparison.match:
        return Verdict(Status.FAIL, "mismatch", comparison.reason)
    if f.budget_failures:
        return Verdict(Status.FAIL, "budget", "; ".join(f.budget_failures))
    return Verdict(Status.PASS, "", f"outputs match TFLite on {f.invocations} invocation(s)")
