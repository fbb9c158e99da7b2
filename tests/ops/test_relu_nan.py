"""Float RELU and RELU6 keep NaN and -0 as TFLite's reference kernels do (they clamp
only values that compare below 0 or above the cap); bit for bit, NaN payloads too."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import run_ours_raw
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.oracle import run_reference

NAN_PAYLOAD = np.array([0x7FC00001, 0xFFC00000, 0x7F800001], np.uint32).view(np.float32)
VALUES = np.concatenate([np.array([np.nan, -np.nan, np.inf, -np.inf, -0.0, 0.0, -1.5, 0.5,
                                   6.0, 6.5, 1e-45, -1e-45, 3e38], np.float32), NAN_PAYLOAD])


@pytest.mark.parametrize("op", ["RELU", "RELU6"])
def test_relu_keeps_nan_and_negative_zero(op: str) -> None:
    b = ModelBuilder()
    x = b.tensor("x", [VALUES.size], "float32")
    y = b.tensor("y", [VALUES.size], "float32")
    b.op(op, [x], [y])
    b.inputs([x])
    b.outputs([y])
    model = b.build()
    theirs = run_reference(model, [VALUES])[0][0]
    run = run_ours_raw(model, [[VALUES]])
    assert run.transcript.passed, run.transcript.errors
    ours = run.transcript.outputs_of(0)[0]
    assert ours.view(np.uint32).tolist() == theirs.view(np.uint32).tolist()
    assert np.isnan(theirs[0]) and np.signbit(theirs[4])     # what TFLite does
