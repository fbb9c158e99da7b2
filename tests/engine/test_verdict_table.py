"""tfm_ci.verdict without a toolchain: one row per branch, in the order they are decided."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from tfm_ci.transcript import Transcript, parse
from tfm_ci.verdict import Comparison, RunFacts, Status, decide, precheck

GOOD = parse("TFM BEGIN v1\nTFM OUTPUT 0 0 INT8 1 05\nTFM OUTPUT 1 0 INT8 1 06\nTFM END PASS\n")
FAULTED = dataclasses.replace(GOOD, fault={"kind": "HardFault", "pc": "0xfffffff0"})
NO_END = dataclasses.replace(GOOD, end=None)
NOT_BEGUN = Transcript()
ARENA_SMALL = dataclasses.replace(GOOD, errors=[("ARENA_TOO_SMALL", "needed=9000 size=4000")])
BAD_OP = dataclasses.replace(GOOD, errors=[("UNSUPPORTED_OP", "op 3 CUSTOM")])
END_FAIL = dataclasses.replace(GOOD, end="FAIL")
ONE_OUTPUT = dataclasses.replace(GOOD, outputs={0: {0: np.zeros(1, np.int8)}})

BASE = RunFacts(timeout=30.0, transcript=GOOD, invocations=2, output_lines=4)
MATCH = Comparison(match=True)

ROWS = [
    # (id, facts changes, comparison, status, category, reason fragment)
    ("timeout-first", dict(timed_out=True, transcript=FAULTED, sim_error="x"), None,
     Status.TIMEOUT, "timeout", "no END after 30 s (4 lines of output)"),
    ("fault-before-sim-error", dict(transcript=FAULTED, sim_error="qemu died"), None,
     Status.FAULT, "fault", "HardFault at pc=0xfffffff0"),
    ("simulator-error", dict(sim_error="qemu-system-arm killed by signal 9"), None,
     Status.ERROR, "simulator", "killed by signal 9"),
    ("protocol", dict(transcript=None, protocol_error="transcript line 3: bad hex"), None,
     Status.ERROR, "protocol", "transcript line 3: bad hex"),
    ("protocol-truncated", dict(transcript=None, protocol_error="line 9", dropped_bytes=1234),
     None, Status.ERROR, "protocol", "console output truncated: 1,234 bytes dropped"),
    ("crash-no-begin", dict(transcript=NOT_BEGUN, exit_code=1), None,
     Status.ERROR, "crash", "no BEGIN line: the firmware stopped early (exit code 1)"),
    ("crash-no-end", dict(transcript=NO_END, exit_code=None), None,
     Status.ERROR, "crash", "no END line"),
    ("crash-truncated", dict(transcript=NO_END, dropped_bytes=5_000_000), None,
     Status.ERROR, "crash", "no END line: the firmware stopped early (exit code 0); console "
     "output truncated: 5,000,000 bytes dropped"),
    ("arena-too-small-is-budget", dict(transcript=ARENA_SMALL, arena_measured=True,
                                       budget_failures=("RAM 9,000 B > 4,000 B",)), None,
     Status.FAIL, "budget", "RAM 9,000 B > 4,000 B"),
    ("arena-too-small-unmeasured", dict(transcript=ARENA_SMALL, arena_measured=False,
                                        budget_failures=("RAM x",)), None,
     Status.FAIL, "firmware", "ARENA_TOO_SMALL needed=9000"),
    ("firmware-error", dict(transcript=BAD_OP), None,
     Status.FAIL, "firmware", "UNSUPPORTED_OP op 3 CUSTOM"),
    ("end-fail", dict(transcript=END_FAIL), None, Status.FAIL, "firmware", "END FAIL, exit code 0"),
    ("nonzero-exit", dict(exit_code=1), None, Status.FAIL, "firmware", "END PASS, exit code 1"),
    ("missing-outputs", dict(transcript=ONE_OUTPUT), None,
     Status.FAIL, "protocol", "no OUTPUT lines for invocation(s) [1]"),
    ("reference-error", {}, Comparison(match=False, error="litert: unsupported op"),
     Status.ERROR, "reference", "litert: unsupported op"),
    ("mismatch", dict(budget_failures=("flash 9 B > 1 B",)),
     Comparison(match=False, reason="output 0 differs at [0]: 5 vs 6"),
     Status.FAIL, "mismatch", "output 0 differs"),
    ("budget", dict(budget_failures=("flash 9 B > 1 B", "RAM 3 B > 2 B")), MATCH,
     Status.FAIL, "budget", "flash 9 B > 1 B; RAM 3 B > 2 B"),
    ("pass", {}, MATCH, Status.PASS, "", "outputs match TFLite on 2 invocation(s)"),
]


@pytest.mark.parametrize(("changes", "comparison", "status", "category", "reason"),
                         [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_verdict_branch(changes, comparison, status, category, reason) -> None:
    facts = dataclasses.replace(BASE, **changes)
    verdict = decide(facts, comparison)
    assert (verdict.status, verdict.category) == (status, category)
    assert reason in verdict.reason


def test_every_category_has_a_row() -> None:
    """A new branch in verdict.py without a row here fails this test (by category)."""
    import inspect

    from tfm_ci import verdict

    source = inspect.getsource(verdict)
    categories = {c for c in ("timeout", "fault", "simulator", "protocol", "crash", "firmware",
                              "reference", "mismatch", "budget") if f'"{c}"' in source}
    assert categories == {r[4] for r in ROWS} - {""}


def test_precheck_says_when_outputs_must_be_compared() -> None:
    assert precheck(BASE) is None
    assert precheck(dataclasses.replace(BASE, timed_out=True)).status is Status.TIMEOUT
    with pytest.raises(ValueError, match="outputs must be compared"):
        decide(BASE, None)
