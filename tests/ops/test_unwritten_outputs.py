"""tfm_ci.unwritten_outputs: the rows TFLite's DETECTION_POSTPROCESS leaves unwritten
are zeroed in its outputs before the verdict compares them (ours writes zeros)."""

from __future__ import annotations

import numpy as np

from tests.hardening.cases import relu_model
from tests.ops.detection_cases import build, draw_case, written_rows
from tfm_ci.oracle import run_reference
from tfm_ci.unwritten_outputs import fill_unwritten


def _first_case(regular: bool, short: bool):
    """A drawn case of the NMS mode with fewer rows written than the outputs hold."""
    for seed in range(400):
        case = draw_case(seed)
        if case.opts.use_regular_nms != regular:
            continue
        model, inputs = build(case)
        ref = run_reference(model, inputs)
        rows = written_rows(case.opts, int(ref[0][3][0]))
        if (len(rows) < case.opts.detected_boxes) == short:
            return case, model, ref
    raise AssertionError("no such case drawn")


def test_unwritten_rows_are_zeroed_written_rows_kept() -> None:
    for regular in (False, True):
        case, model, ref = _first_case(regular, short=True)
        poisoned = [[a.copy() for a in inv] for inv in ref]
        rows = written_rows(case.opts, int(ref[0][3][0]))
        keep = np.zeros(case.opts.detected_boxes, bool)
        keep[rows] = True
        for a in poisoned[0][:3]:
            a.reshape(case.opts.detected_boxes, -1)[~keep] = 1e34     # arena leftovers
        filled = fill_unwritten(model, poisoned)[0]
        for a, b in zip(filled[:3], ref[0][:3], strict=True):
            v = a.reshape(case.opts.detected_boxes, -1)
            assert not v[~keep].any()
            assert v[keep].tobytes() == b.reshape(case.opts.detected_boxes, -1)[keep].tobytes()
        assert filled[3].tobytes() == ref[0][3].tobytes()
        assert poisoned[0][0].max() == np.float32(1e34)               # input not modified


def test_models_without_the_op_are_untouched() -> None:
    model = relu_model("float32")
    outs = [[np.array([[1.0, -2.0, 3.0, 4.0]], np.float32)]]
    assert fill_unwritten(model, outs) is outs
