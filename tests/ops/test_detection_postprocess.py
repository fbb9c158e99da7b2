"""DETECTION_POSTPROCESS (custom op "TFLite_Detection_PostProcess") against TFLite.

Oracle: ai-edge-litert's interpreter with the reference resolver (BUILTIN_REF), which
registers this custom op by name (the same kernel as BUILTIN: TFLite has one
implementation). TFLite's kernel takes FLOAT32 and UINT8 inputs (INT8 fails its invoke),
so those are the types drawn here.

Outputs are compared bit for bit (tolerance 0): the decode is the same double
arithmetic and the NMS the same float compares, so every written value is exact. The
rows TFLite leaves unwritten (fast NMS below max_detections, or classes beyond
num_classes) are skipped in the comparison, and must be zero in ours.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.detection_cases import build, compare, draw_case
from tests.ops.harness import run_ours_raw
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.custom_ops import DetectionPostprocessOptions, detection_postprocess
from tfm_ci.oracle import OracleError, run_reference

CASES = 400
CHUNK = 50


def _has_ties(scores: np.ndarray, threshold: float) -> bool:
    kept = scores[scores >= threshold]
    return kept.size != np.unique(kept).size


def _check(case) -> None:
    model, inputs = build(case)
    theirs = run_reference(model, inputs)[0]
    run = run_ours_raw(model, [inputs])
    assert run.transcript.passed, (case.id, run.transcript.errors, run.stderr[-500:])
    problems = compare(case.opts, run.transcript.outputs_of(0), theirs)
    assert not problems, f"{case.id}: {problems}"


@pytest.mark.parametrize("chunk", range(CASES // CHUNK))
def test_random_cases_match_tflite_exactly(chunk: int) -> None:
    for seed in range(chunk * CHUNK, (chunk + 1) * CHUNK):
        _check(draw_case(seed))


def test_random_cases_cover_the_op() -> None:
    """The drawn cases span both NMS modes, both input types, ties, background classes,
    padded outputs (max_detections > N) and wide box encodings."""
    cases = [draw_case(s) for s in range(CASES)]
    regular = sum(c.opts.use_regular_nms for c in cases)
    assert 0.3 * CASES < regular < 0.7 * CASES
    assert {(c.box_type, c.cls_type) for c in cases} == {
        (a, b) for a in ("float32", "uint8") for b in ("float32", "uint8")}
    assert sum(c.background for c in cases) > CASES // 4
    assert sum(c.opts.max_detections > c.n for c in cases) > 10
    assert sum(c.opts.max_classes_per_detection > c.opts.num_classes for c in cases) > 10
    assert sum(c.box_stride > 4 for c in cases) > 20
    ties = 0
    for c in cases[:100]:
        _, (_, cls) = build(c)
        scores = cls.astype(np.float32) if c.cls_type == "float32" else cls.astype(int)
        ties += _has_ties(np.asarray(scores, dtype=np.float64),
                          c.opts.nms_score_threshold if c.cls_type == "float32" else -1e9)
    assert ties > 50


def _model(opts: DetectionPostprocessOptions, anchors: np.ndarray, k: int) -> bytes:
    n = anchors.shape[0]
    b = ModelBuilder()
    box = b.tensor("box", [1, n, 4], "float32")
    cls = b.tensor("cls", [1, n, k], "float32")
    anc = b.tensor("anchors", [n, 4], "float32", data=anchors.astype(np.float32))
    outs = detection_postprocess(b, box, cls, anc, opts)
    b.inputs([box, cls])
    b.outputs(outs)
    return b.build()


@pytest.mark.parametrize("regular", [False, True])
def test_identical_boxes_and_scores(regular: bool) -> None:
    """Every anchor the same box with the same score: one survives NMS, the first."""
    opts = DetectionPostprocessOptions(max_detections=4, max_classes_per_detection=2,
                                       detections_per_class=3, use_regular_nms=regular,
                                       nms_score_threshold=0.1, nms_iou_threshold=0.5,
                                       num_classes=3)
    anchors = np.tile([0.5, 0.5, 0.2, 0.2], (9, 1))
    model = _model(opts, anchors, 4)
    inputs = [np.zeros((1, 9, 4), np.float32), np.full((1, 9, 4), 0.5, np.float32)]
    theirs = run_reference(model, inputs)[0]
    run = run_ours_raw(model, [inputs])
    assert run.transcript.passed, run.transcript.errors
    assert compare(opts, run.transcript.outputs_of(0), theirs) == []
    assert theirs[3][0] == (3 if regular else 1)     # one per class / one overall


def test_nothing_above_threshold_gives_zero_detections() -> None:
    opts = DetectionPostprocessOptions(max_detections=3, num_classes=2,
                                       nms_score_threshold=0.9)
    anchors = np.tile([0.5, 0.5, 0.2, 0.2], (5, 1))
    model = _model(opts, anchors, 3)
    inputs = [np.zeros((1, 5, 4), np.float32), np.full((1, 5, 3), 0.5, np.float32)]
    theirs = run_reference(model, inputs)[0]
    ours = run_ours_raw(model, [inputs]).transcript.outputs_of(0)
    assert theirs[3][0] == 0 and ours[3][0] == 0
    assert all(not o.any() for o in ours[:3])


REFUSED = {"negative-w"}      # the others run in TFLite


@pytest.mark.parametrize(("name", "anchor", "encoding"), [
    ("tiny-negative-h", [1.0, 0.5, -1e-9, 0.2], [0.0, 0.0, 0.0, 0.0]),   # ymin == ymax: valid
    ("negative-zero-h", [0.5, 0.5, -0.0, 0.2], [0.0, 0.0, 0.0, 0.0]),
    ("nan-anchor", [np.nan, 0.5, 0.2, 0.2], [0.0, 0.0, 0.0, 0.0]),
    ("nan-size", [0.5, 0.5, np.nan, 0.2], [0.0, 0.0, 0.0, 0.0]),
    ("exp-overflow", [0.5, 0.5, 0.2, 0.2], [0.0, 0.0, 5000.0, -5000.0]),
    ("huge-center", [3e38, 0.5, 0.2, 0.2], [1e30, 0.0, 0.0, 0.0]),
    ("negative-w", [0.5, 0.5, 0.2, -0.3], [0.0, 0.0, 0.0, 0.0]),
])
def test_odd_anchors_match_tflite(name: str, anchor: list[float], encoding: list[float]) -> None:
    """Boxes are validated as TFLite's ValidateBoxes (ymin > ymax or xmin > xmax fails
    the op); ours decodes only boxes whose anchor size is negative or NaN to check them."""
    opts = DetectionPostprocessOptions(max_detections=3, num_classes=2,
                                       nms_score_threshold=0.0, nms_iou_threshold=0.5)
    anchors = np.tile([0.3, 0.3, 0.1, 0.1], (4, 1)).astype(np.float32)
    anchors[2] = anchor
    model = _model(opts, anchors, 3)
    enc = np.zeros((1, 4, 4), np.float32)
    enc[0, 2] = encoding
    scores = np.array([[[0, .2, .3], [0, .4, .1], [0, .9, .8], [0, .1, .6]]], np.float32)
    run = run_ours_raw(model, [[enc, scores]])
    try:
        theirs = run_reference(model, [enc, scores])[0]
    except OracleError:
        assert name in REFUSED, name
        assert not run.transcript.passed, name                # TFLite refuses: so do we
        assert "decoded box 2 has ymin > ymax" in " ".join(m for _, m in run.transcript.errors)
        return
    assert name not in REFUSED, name
    assert run.transcript.passed, (name, run.transcript.errors)
    assert compare(opts, run.transcript.outputs_of(0), theirs) == [], name
