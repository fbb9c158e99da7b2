"""counting.read_log: the plugin log's lines, good and bad, read as the plain
field-by-field rules say (a fuzz against a direct statement of those rules)."""

from __future__ import annotations

import random

import pytest

from tfm_ci.plugins.qemu import counting
from tfm_ci.simulator import MarkerHit


def _rules(text: str) -> tuple[list[MarkerHit], int | None, int | None, dict] | str:
    """The log format written out rule by rule; the error text for a bad line."""
    hits: list[MarkerHit] = []
    total = total_cycles = None
    classes: dict[str, tuple[int, int]] = {}
    lines = text.split("\n")
    if lines[-1] != "":
        lines = lines[:-1]
    for number, line in enumerate(lines, 1):
        if line == "":
            continue
        f = line.split()
        bad = f"count log line {number} unreadable: {line!r}"
        if f[:1] == ["class"]:
            if len(f) != 4 or not (f[2].isdigit() and f[3].isdigit()):
                return bad
            classes[f[1]] = (int(f[2]), int(f[3]))
        elif len(f) in (2, 3) and all(x.isdigit() for x in f[1:]):
            cycles = int(f[2]) if len(f) == 3 else None
            if f[0] == "total":
                total, total_cycles = int(f[1]), cycles
            else:
                hits.append(MarkerHit(f[0], int(f[1]), cycles))
        else:
            return bad
    return hits, total, total_cycles, classes


def _read(text: str) -> tuple[list[MarkerHit], int | None, int | None, dict] | str:
    try:
        log = counting.read_log(text)
    except counting.CountPluginError as exc:
        return str(exc)
    return log.hits, log.total, log.total_cycles, log.classes


VALID = ["op_begin {}", "op_end {} {}", "total {}", "total {} {}", "class fp-mul {} {}",
         "class alu {} {}"]
TOKENS = ["op_begin", "op_end", "total", "class", "fp-mul", "0", "12", "345", "-1", "x1",
          "1.5", ""]


def test_read_log_fuzz_matches_the_rules() -> None:
    rng = random.Random(7)
    bad = good = 0
    for _ in range(3000):
        lines = []
        for _ in range(rng.randrange(0, 6)):
            if rng.random() < 0.8:          # a well-formed line, most of the time
                line = rng.choice(VALID).format(*(rng.randrange(0, 10**9) for _ in range(2)))
            else:
                line = " ".join(rng.choice(TOKENS) for _ in range(rng.randrange(0, 6)))
            lines.append(rng.choice(["", " ", "\t"]) + line if rng.random() < 0.1 else line)
        text = "\n".join(lines) + rng.choice(["\n", "", "\nop_be"])
        want = _rules(text)
        assert _read(text) == want, text
        bad += isinstance(want, str)
        good += not isinstance(want, str) and bool(want[0] or want[3] or want[1] is not None)
    assert bad > 100 and good > 100          # both kinds were exercised


def test_read_log_real_shapes() -> None:
    log = counting.read_log("init_begin 10 20\nop_begin 15\nclass alu 3 4\ntotal 99 120\n"
                            "op_end 2")
    assert log.hits == [MarkerHit("init_begin", 10, 20), MarkerHit("op_begin", 15, None)]
    assert (log.total, log.total_cycles, log.classes) == (99, 120, {"alu": (3, 4)})
    for line in ("class alu 3", "total", "op 1 2 3", "op -1", "   "):
        with pytest.raises(counting.CountPluginError, match="line 1 unreadable"):
            counting.read_log(line + "\n")
