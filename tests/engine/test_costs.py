"""Marker hits -> init, per-invocation and per-op instruction counts."""

from __future__ import annotations

import pytest

from tfm_ci.costs import CostError, from_markers, from_transcript
from tfm_ci.simulator import MarkerHit
from tfm_ci.transcript import OpCost


def hits(*pairs: tuple[str, int]) -> list[MarkerHit]:
    return [MarkerHit(f"tfm_marker_{m}", n) for m, n in pairs]


def test_flat_ops_pair_with_op_lines() -> None:
    h = hits(("init_begin", 10), ("init_end", 110),
             ("invoke_begin", 200), ("op_begin", 210), ("op_end", 260),
             ("op_begin", 270), ("op_end", 300), ("invoke_end", 320),
             ("invoke_begin", 400), ("op_begin", 410), ("op_end", 461),
             ("op_begin", 470), ("op_end", 500), ("invoke_end", 521))
    lines = [OpCost(0, 0, 0, "CONV_2D", 0), OpCost(0, 0, 1, "SOFTMAX", 0),
             OpCost(1, 0, 0, "CONV_2D", 0), OpCost(1, 0, 1, "SOFTMAX", 0)]
    c = from_markers(h, lines)
    assert c.init == 100 and c.invocations == [120, 121] and c.max_invocation == 121
    assert [(o.invocation, o.op_name, o.instructions) for o in c.ops] == [
        (0, "CONV_2D", 50), (0, "SOFTMAX", 30), (1, "CONV_2D", 51), (1, "SOFTMAX", 30)]
    assert not c.warnings


def test_nested_ops_complete_inner_first() -> None:
    # WHILE (op 0) runs its body op twice, then ADD (op 1)
    h = hits(("invoke_begin", 0), ("op_begin", 10), ("op_begin", 20), ("op_end", 25),
             ("op_begin", 30), ("op_end", 37), ("op_end", 50), ("op_begin", 60),
             ("op_end", 64), ("invoke_end", 70))
    lines = [OpCost(0, 1, 0, "ADD", 0), OpCost(0, 1, 0, "ADD", 0), OpCost(0, 0, 0, "WHILE", 0),
             OpCost(0, 0, 1, "ADD", 0)]
    c = from_markers(h, lines)
    assert [(o.subgraph, o.op_name, o.instructions) for o in c.ops] == [
        (1, "ADD", 5), (1, "ADD", 7), (0, "WHILE", 40), (0, "ADD", 4)]
    assert c.invocations == [70] and c.init is None


def test_count_mismatch_keeps_counts_without_names() -> None:
    h = hits(("invoke_begin", 0), ("op_begin", 1), ("op_end", 3), ("invoke_end", 4))
    c = from_markers(h, [OpCost(0, 0, 0, "A", 0), OpCost(0, 0, 1, "B", 0)])
    assert c.ops[0].op_name == "?" and c.ops[0].instructions == 2
    assert "not paired" in c.warnings[0]


@pytest.mark.parametrize(("seq", "message"), [
    ((("op_end", 1),), "op_end without op_begin"),
    ((("invoke_end", 1),), "invoke_end without invoke_begin"),
    ((("init_end", 1),), "init_end without init_begin"),
    ((("invoke_begin", 1), ("op_begin", 2), ("invoke_end", 3)), "still running"),
    ((("bogus", 1),), "unknown marker"),
])
def test_bad_sequences(seq, message: str) -> None:
    with pytest.raises(CostError, match=message):
        from_markers(hits(*seq))


def test_unfinished_invocation_is_a_warning() -> None:
    c = from_markers(hits(("invoke_begin", 5), ("op_begin", 6)))
    assert c.invocations == [] and "never ended" in c.warnings[0]


def test_transcript_costs() -> None:
    assert from_transcript(None, {}, [], "none").source == "none"
    c = from_transcript(7, {1: 30, 0: 20}, [OpCost(0, 0, 0, "ADD", 20)], "ticks")
    assert c.unit == "ticks" and c.invocations == [20, 30] and c.ops[0].instructions == 20
