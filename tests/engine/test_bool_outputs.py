"""BOOL model outputs (comparison and logical ops): parsed from the transcript and compared
with TFLite's like any other dtype."""

from __future__ import annotations

import numpy as np
import pytest

from tfm_ci.transcript import TranscriptError, parse
from tfm_ci.verify import compare_one


def _transcript(hex_data: str, shape: str = "2x3") -> str:
    return f"TFM BEGIN v1\nTFM OUTPUT 0 0 BOOL {shape} {hex_data}\nTFM END PASS\n"


def test_bool_output_parsed() -> None:
    t = parse(_transcript("000101000100"))
    out = t.outputs_of(0)[0]
    assert out.dtype == np.bool_ and out.shape == (2, 3)
    assert out.tolist() == [[False, True, True], [False, True, False]]
    scalar = parse(_transcript("01", "scalar")).outputs_of(0)[0]
    assert scalar.shape == () and bool(scalar) is True


def test_bool_bytes_other_than_0_1_refused() -> None:
    with pytest.raises(TranscriptError, match="BOOL bytes must be 00 or 01"):
        parse(_transcript("000201000100"))


def test_bool_compare() -> None:
    ours = np.array([True, False, True])
    assert compare_one(ours, ours.copy(), 1e-5)["match"] is True
    detail = compare_one(ours, np.array([True, True, True]), 1e-5)
    assert detail["match"] is False and detail["mismatches"] == 1
    assert detail["first_mismatch"] == {"index": [1], "ours": False, "reference": True}
    assert detail["max_abs_diff"] == 1
