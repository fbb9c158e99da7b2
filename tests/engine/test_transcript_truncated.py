"""The transcript parser after a kill: a cut last line is kept aside, never raised on."""

from __future__ import annotations

import pytest

from tfm_ci.transcript import TranscriptError, parse

HEAD = "TFM BEGIN v1\nTFM MODEL bytes=10 subgraphs=1 ops=1 inputs=1 outputs=1\n"


@pytest.mark.parametrize("cut", ["TFM OP 0 1 0 ADD cost=", "TFM OP 0 1", "TFM",
                                 "TFM OUTPUT 0 0 IN"])
def test_cut_last_line_is_kept_aside(cut: str) -> None:
    t = parse(HEAD + "TFM OP 0 0 0 ADD cost=7\n" + cut)
    assert t.truncated == cut
    assert [(op.op_name, op.cost) for op in t.ops] == [("ADD", 7)]
    assert t.end is None and not t.passed


@pytest.mark.parametrize(("line", "message"), [
    ("TFM OP 0 1 0 ADD cost=", "transcript line 3: missing field 'cost': 'TFM OP 0 1 0 ADD cost='"),
    ("TFM INVOKE x cost=1", "transcript line 3: invalid literal for int() with base 10: 'x': "
                            "'TFM INVOKE x cost=1'"),
    ("TFM OUTPUT 0 0 INT8 1x2 0g", "transcript line 3: non-hexadecimal number found in fromhex() "
                                   "arg at position 1: 'TFM OUTPUT 0 0 INT8 1x2 0g'"),
    ("TFM END", "transcript line 3: list index out of range: 'TFM END'"),
])
def test_bad_complete_lines_raise_only_transcript_errors(line: str, message: str) -> None:
    with pytest.raises(TranscriptError) as info:
        parse(HEAD + line + "\n")
    assert str(info.value) == message
