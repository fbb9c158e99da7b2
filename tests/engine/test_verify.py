"""Float comparison of one output against TFLite's (verify.compare_one)."""

from __future__ import annotations

import numpy as np
import pytest

from tfm_ci.verify import compare_one

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
