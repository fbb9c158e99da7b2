"""cost= fields of INIT, OP and INVOKE lines: the parser's direct reading of the usual
line gives what the protocol's key=value rule (the ``_ints`` regex) gives, for usual
and unusual lines alike (values, or the same error)."""

from __future__ import annotations

import itertools

import pytest

from tfm_ci import transcript
from tfm_ci.transcript import TranscriptError, parse

HEAD = "TFM BEGIN v1\n"
COSTS = ["cost=7", "cost=0x1F", "cost=", "cost=1=2", "cost=abc", "cost=-3", "x=1 cost=2",
         "cost=2 x=1", "x=abc cost=2", "cost=3 cost=4", "cost=5 y", "y=cost=6", "cost=007",
         "cost=1_000",
         "", "cost", "xcost=8", "cost=9\t"]
PREFIX = {"INIT": "", "OP": "0 0 0 ADD ", "INVOKE": "0 "}


def _outcome(text: str) -> object:
    try:
        t = parse(text)
    except TranscriptError as exc:
        return str(exc)
    return t.init_cost, [(o.op_name, o.cost) for o in t.ops], t.invoke_costs


def test_cost_fields_read_as_the_key_value_rule_reads_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [HEAD + f"TFM {kind} {PREFIX[kind]}{cost}".rstrip(" ") + "\n"
             for kind, cost in itertools.product(PREFIX, COSTS)]
    fast = [_outcome(t) for t in texts]
    monkeypatch.setattr(transcript, "_cost", lambda fields, rest: transcript._ints(rest)["cost"])
    assert fast == [_outcome(t) for t in texts]
    assert sum(isinstance(o, str) for o in fast) >= 5       # errors compared too
    assert fast[0] == (7, [], {}) and fast[1] == (31, [], {})
