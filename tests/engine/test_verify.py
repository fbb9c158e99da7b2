"""Float comparison of one output against TFLite's (verify.compare_one)."""

from __future__ import annotations

import numpy as np
import pytest

from tfm_ci.verify import _elementwise, compare_one

INF = np.inf


@pytest.mark.parametrize(("ours", "ref", "match"), [
    ([1.0, 2.0], [1.0, 2.0], True),
    ([1.0 + 1e-7], [1.0], True),
    ([INF, -INF], [INF, -INF], True),          # equal infinities match
    ([np.nan], [np.nan], True),
    ([0.0], [INF], False),                    # inf <= tol * inf must not pass anything
    ([3.0e38], [INF], False),
    ([-INF], [INF], False),
    ([np.nan], [INF], False),
    ([INF], [1.0], False),
    ([np.nan], [1.0], False),
])
def test_float_match_with_non_finite_values(ours, ref, match) -> None:
    detail = compare_one(np.array(ours, np.float32), np.array(ref, np.float32), 1e-5)
    assert detail["match"] is match
    assert detail["mismatches"] == (0 if match else 1)


def _blank() -> dict:
    return {"match": False, "mismatches": 0, "max_abs_diff": None, "first_mismatch": None}


@pytest.mark.parametrize("values", [
    np.array([1.5, -2.0, 0.0], np.float32), np.array([INF, -INF], np.float32),
    np.array([np.nan, INF], np.float32), np.array([np.nan, 3.0], np.float64),
    np.array([np.nan], np.float16), np.zeros((0, 3), np.float32), np.float32(2.5)[()],
    np.array(7, np.float32), np.array([-128, 0, 127], np.int8), np.arange(12, dtype=np.int16)
    .reshape(3, 4), np.array([2**64 - 1, 0], np.uint64), np.zeros(0, np.int32),
    np.array([True, False]), np.array(3, np.int64)])
def test_equal_outputs_give_what_the_arithmetic_gives(values) -> None:
    """compare_one's shortcut for byte-equal outputs: the same dict, in the same order,
    as the element-wise comparison (NaN compared as NaN)."""
    ours = np.asarray(values)
    ref = ours.copy()
    fast = compare_one(ours, ref, 1e-5)
    slow = _elementwise(ours, ref, 1e-5, _blank())
    assert list(fast) == list(slow) and fast["match"] is True
    for key in fast:
        same_nan = isinstance(slow[key], float) and np.isnan(slow[key]) and np.isnan(fast[key])
        assert same_nan or (fast[key] == slow[key] and type(fast[key]) is type(slow[key])), key


def test_dtype_names_are_numpys() -> None:
    from tfm_ci.verify import _dtype_text

    for spec in ("<f4", ">f4", "i1", "u1", "?", "<i2", ">i2", "<f8", "<u4", "<i8", "<f2",
                 "V4", [("a", "<i4")], "U3", "M8[s]"):
        for _ in range(2):                  # remembered or not, the same text
            assert _dtype_text(np.dtype(spec)) == str(np.dtype(spec))
    assert _dtype_text(np.dtype("<f4", metadata={"k": 1})) == "float32"
