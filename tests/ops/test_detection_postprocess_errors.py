"""DETECTION_POSTPROCESS refuses bad options, tensors and boxes with a clear error
naming op index, op and option (the ASan/UBSan runner: never a crash)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from flatbuffers import flexbuffers

from tests.runtime.util import run
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.custom_ops import (
    DetectionPostprocessOptions,
    detection_postprocess,
    flex_options,
)
from tfm_ci.oracle import OracleError, run_reference

PREFIX = "op 0 (TFLite_Detection_PostProcess): "
OPTS = DetectionPostprocessOptions(max_detections=3, max_classes_per_detection=1,
                                   detections_per_class=2, num_classes=2)


def model(opts: DetectionPostprocessOptions = OPTS, *, raw: bytes | None = None,
          n: int = 4, box_type: str = "float32", cls_type: str = "float32",
          anchor_type: str | None = None, k: int | None = None,
          anchors: np.ndarray | None = None) -> bytes:
    b = ModelBuilder()
    q = {"scale": 0.1, "zero_point": 0}
    k = opts.num_classes + 1 if k is None else k
    anchor_type = anchor_type or box_type
    box = b.tensor("box", [1, n, 4], box_type, **(q if box_type != "float32" else {}))
    cls = b.tensor("cls", [1, n, k], cls_type, **(q if cls_type != "float32" else {}))
    a = np.tile([0.5, 0.5, 0.2, 0.2], (n, 1)) if anchors is None else anchors
    data = a.astype(np.float32) if anchor_type == "float32" else np.full(a.shape, 5)
    anc = b.tensor("anchors", [n, 4], anchor_type, data=data,
                   **(q if anchor_type != "float32" else {}))
    outs = detection_postprocess(b, box, cls, anc, opts, raw_options=raw)
    b.inputs([box, cls])
    b.outputs(outs)
    return b.build()


def errors(runner, data: bytes) -> str:
    r = run(runner, data)
    assert r.returncode != 0, r.stdout[-500:]
    assert "AddressSanitizer" not in r.stderr and "runtime error" not in r.stderr, r.stderr
    return " | ".join(m for _, m in r.transcript.errors)


def edited(**changes: Any) -> bytes:
    d = OPTS.to_dict()
    for key, value in changes.items():
        if value is KeyError:
            del d[key]
        else:
            d[key] = value
    return flex_options(d)


REQUIRED = ["max_detections", "max_classes_per_detection", "num_classes",
            "nms_score_threshold", "nms_iou_threshold", "y_scale", "x_scale", "h_scale",
            "w_scale"]


@pytest.mark.parametrize("key", REQUIRED)
def test_missing_required_option(asan_runner, key: str) -> None:
    err = errors(asan_runner, model(raw=edited(**{key: KeyError})))
    assert f"{PREFIX}custom option '{key}': key not found" in err, err


def test_optional_options_take_tflite_defaults(host_runner) -> None:
    """detections_per_class defaults to 100, use_regular_nms to false (as TFLite)."""
    for opts in (OPTS, DetectionPostprocessOptions(**{**OPTS.to_dict(),
                                                      "use_regular_nms": True})):
        raw = edited(detections_per_class=KeyError, use_regular_nms=KeyError) \
            if not opts.use_regular_nms else flex_options(
                {k: v for k, v in opts.to_dict().items() if k != "detections_per_class"})
        data = model(opts, raw=raw)
        rng = np.random.default_rng(3)
        x = [rng.normal(size=(1, 4, 4)).astype(np.float32),
             rng.uniform(size=(1, 4, 3)).astype(np.float32)]
        theirs = run_reference(data, x)[0]
        from tests.ops.harness import run_ours_raw
        ours = run_ours_raw(data, [x], runner=host_runner).transcript.outputs_of(0)
        assert ours[3].tobytes() == theirs[3].tobytes()
        assert ours[2][0, :int(theirs[3][0])].tobytes() == \
            theirs[2][0, :int(theirs[3][0])].tobytes()


@pytest.mark.parametrize(("changes", "message"), [
    ({"num_classes": 0}, "'num_classes' = 0 out of range [1, 1048576]"),
    ({"max_detections": 0}, "'max_detections' = 0 out of range"),
    ({"max_detections": -3}, "'max_detections' = -3 out of range"),
    ({"max_classes_per_detection": -1}, "'max_classes_per_detection' = -1 out of range"),
    ({"max_detections": 2 ** 31}, "'max_detections': integer out of range"),
    ({"nms_iou_threshold": 0.0}, "'nms_iou_threshold' = 0.000000 out of range (0, 1]"),
    ({"nms_iou_threshold": 1.5}, "'nms_iou_threshold' = 1.500000 out of range (0, 1]"),
    ({"nms_iou_threshold": math.nan}, "'nms_iou_threshold' is NaN"),
    ({"nms_score_threshold": math.nan}, "'nms_score_threshold' is NaN"),
    ({"y_scale": 0.0}, "'y_scale' = 0.000000 must be finite and non-zero"),
    ({"w_scale": math.inf}, "'w_scale'"),
    ({"num_classes": "two"}, "'num_classes': not an integer"),
    ({"num_classes": 2.0}, "'num_classes': not an integer"),
    ({"x_scale": "ten"}, "'x_scale': not a number"),
    ({"h_scale": [5.0]}, "'h_scale': not a number"),
    ({"use_regular_nms": "yes"}, "'use_regular_nms': not a boolean"),
    ({"use_regular_nms": True, "detections_per_class": 0},
     "'detections_per_class' = 0 out of range [1, 1048576]"),
])
def test_bad_option_values(asan_runner, changes: dict, message: str) -> None:
    err = errors(asan_runner, model(raw=edited(**changes)))
    assert PREFIX + "custom option " + message in err, err


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "custom options: buffer too short (byte 0 of 0)"),
    (flex_options([1, 2, 3]), "custom options: root is not a map"),
    (flex_options(7), "custom options: root is not a map"),
    (OPTS.to_bytes()[:-2] + b"\x07\x03", "custom options: bad root width"),
])
def test_broken_option_buffers(asan_runner, raw: bytes, message: str) -> None:
    err = errors(asan_runner, model(raw=raw))
    assert PREFIX + message in err, err


def test_every_truncation_and_offset_corruption_is_refused(asan_runner) -> None:
    """Truncations of the options, and every byte set to 0xff or 0x00 in turn: each is
    a clean error or a run (a mutation may still be a valid buffer), never a crash."""
    good = OPTS.to_bytes()
    mutants = [good[:k] for k in range(0, len(good), 3)]
    for pos in range(0, len(good), 2):
        for byte in (0xFF, 0x00, 0x3F):
            b = bytearray(good)
            b[pos] = byte
            mutants.append(bytes(b))
    refused = 0
    for raw in mutants:
        r = run(asan_runner, model(raw=raw))
        assert "AddressSanitizer" not in r.stderr and "runtime error" not in r.stderr, r.stderr
        assert r.transcript.end is not None or r.transcript.errors, r.stdout[-300:]
        if r.returncode != 0:
            msg = " ".join(m for _, m in r.transcript.errors)
            assert msg.startswith(PREFIX), msg    # options, or outputs they no longer fit
            refused += "custom option" in msg
    assert refused > len(mutants) // 2


def _deep(depth: int) -> bytes:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return flex_options({**OPTS.to_dict(), "num_classes": value})


def test_deep_nesting_and_wide_values(asan_runner) -> None:
    err = errors(asan_runner, model(raw=_deep(200)))
    assert PREFIX + "custom option 'num_classes': not an integer" in err, err
    b = flexbuffers.Builder()
    with b.Map():
        for key, value in sorted(OPTS.to_dict().items()):
            b.Key(key)
            if key == "num_classes":
                b.IndirectInt(2 ** 40)            # 8-byte indirect integer
            elif isinstance(value, bool):
                b.Bool(value)
            elif isinstance(value, int):
                b.Int(value, 8)
            else:
                b.Float(value, 8)
    err = errors(asan_runner, model(raw=bytes(b.Finish())))
    assert PREFIX + "custom option 'num_classes': integer out of range" in err, err


def test_wide_encodings_are_read(host_runner) -> None:
    """8-byte ints and doubles (what some exporters write) are read like narrow ones."""
    b = flexbuffers.Builder()
    with b.Map():
        for key, value in sorted(OPTS.to_dict().items()):
            b.Key(key)
            if isinstance(value, bool):
                b.Bool(value)
            elif isinstance(value, int):
                b.Int(value, 8)
            else:
                b.Float(value, 8)
    r = run(host_runner, model(raw=bytes(b.Finish())))
    assert r.returncode == 0, r.stdout[-500:]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"box_type": "int8", "anchor_type": "int8"},
     "box encodings: type INT8 not supported (TFLite's kernel takes FLOAT32 and UINT8)"),
    ({"cls_type": "int8"}, "class predictions: type INT8 not supported"),
    ({"box_type": "uint8", "anchor_type": "float32"},
     "anchors are FLOAT32, box encodings UINT8 (TFLite needs the same type)"),
    ({"k": 5}, "class predictions have 5 classes; num_classes 2 needs 2 or 3"),
])
def test_bad_tensors(asan_runner, kwargs: dict, message: str) -> None:
    err = errors(asan_runner, model(**kwargs))
    assert PREFIX + message in err, err


def test_int8_fails_in_tflite_too() -> None:
    with pytest.raises(OracleError, match="TFLite_Detection_PostProcess"):
        run_reference(model(box_type="int8", anchor_type="int8"),
                      [np.zeros((1, 4, 4), np.int8), np.zeros((1, 4, 3), np.float32)])


def test_wrong_output_size(asan_runner) -> None:
    other = DetectionPostprocessOptions(**{**OPTS.to_dict(), "max_detections": 5})
    err = errors(asan_runner, model(raw=other.to_bytes()))   # outputs sized for 3
    assert PREFIX + "output 0 (boxes) has 12 elements, the options give 20" in err, err


def test_negative_anchor_size_fails_like_tflite(asan_runner) -> None:
    anchors = np.tile([0.5, 0.5, 0.2, 0.2], (4, 1))
    anchors[2, 2] = -0.2
    data = model(anchors=anchors)
    err = errors(asan_runner, data)
    assert PREFIX + "decoded box 2 has ymin > ymax" in err, err
    with pytest.raises(OracleError, match="TFLite_Detection_PostProcess"):
        run_reference(data, [np.zeros((1, 4, 4), np.float32), np.zeros((1, 4, 3), np.float32)])


def test_negative_uint8_anchor_fails_like_tflite(asan_runner) -> None:
    """UINT8 anchors are checked on the raw bytes (q < zero point: negative size)."""
    b = ModelBuilder()
    q = {"scale": 0.01, "zero_point": 20}
    box = b.tensor("box", [1, 4, 4], "uint8", **q)
    cls = b.tensor("cls", [1, 4, 3], "uint8", **q)
    data = np.full((4, 4), 40, np.uint8)
    data[1, 3] = 19                                    # w = (19 - 20) * 0.01 < 0
    anc = b.tensor("anchors", [4, 4], "uint8", data=data, **q)
    b.inputs([box, cls])
    b.outputs(detection_postprocess(b, box, cls, anc, OPTS))
    model_bytes = b.build()
    err = errors(asan_runner, model_bytes)
    assert PREFIX + "decoded box 1 has ymin > ymax or xmin > xmax" in err, err
    x = [np.full((1, 4, 4), 20, np.uint8), np.full((1, 4, 3), 60, np.uint8)]
    with pytest.raises(OracleError, match="TFLite_Detection_PostProcess"):
        run_reference(model_bytes, x)
    data[1, 3] = 20                                    # w = 0: valid in both
    ok = ModelBuilder()
    box = ok.tensor("box", [1, 4, 4], "uint8", **q)
    cls = ok.tensor("cls", [1, 4, 3], "uint8", **q)
    anc = ok.tensor("anchors", [4, 4], "uint8", data=data, **q)
    ok.inputs([box, cls])
    ok.outputs(detection_postprocess(ok, box, cls, anc, OPTS))
    run_reference(ok.build(), x)
    assert run(asan_runner, ok.build()).returncode == 0
