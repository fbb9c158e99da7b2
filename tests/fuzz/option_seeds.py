"""Fuzz seeds for the option tables of the ops added in issue 11, and for the
FlexBuffer options of DETECTION_POSTPROCESS (custom op "TFLite_Detection_PostProcess").

Each seed is a small model with one such op (options set away from their defaults, so
the table is written) built by the op tests' own generators. `seed_bytes` drops the
builder's trailing alignment padding so every truncation is a broken model (the
malformed-model sweep requires that).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.custom_ops import DetectionPostprocessOptions, detection_postprocess


def l2_pool() -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", [1, 5, 5, 2], "float32")
    y = b.tensor("y", [1, 3, 3, 2], "float32")
    b.op("L2_POOL_2D", [x], [y], padding="SAME", stride_w=2, stride_h=2, filter_width=2,
         filter_height=3, fused_activation_function="RELU6")
    b.inputs([x])
    b.outputs([y])
    return b.build()


def _layout(op: str, dtype: str, seed: int) -> Callable[[], bytes]:
    def build() -> bytes:
        from tests.ops import test_layout
        return test_layout.BUILDERS[op][0](np.random.default_rng(seed), dtype)[0]
    return build


def svdf() -> bytes:
    from tests.ops import test_svdf
    return test_svdf.svdf_model("float32", "RELU", 12001)[0]


def svdf_int8() -> bytes:
    from tests.ops import test_svdf
    return test_svdf.svdf_model("int8", "RELU", 12101)[0]


def lstm() -> bytes:
    from tests.ops import test_lstm
    return test_lstm.lstm_model("plain", 13201)[0]


def batch_matmul() -> bytes:
    from tests.ops import test_batch_matmul
    return test_batch_matmul.matmul_model("int8", 11001)[0]


def detection(regular: bool, quantized: bool) -> bytes:
    """Four anchors, three classes (+ background); zero inputs (the fuzz target's) give
    every anchor its own box and a score of 0, which passes the threshold 0."""
    n = 4
    opts = DetectionPostprocessOptions(max_detections=3, max_classes_per_detection=2,
                                       detections_per_class=2, use_regular_nms=regular,
                                       nms_score_threshold=0.0, nms_iou_threshold=0.5,
                                       num_classes=3)
    b = ModelBuilder()
    t = "uint8" if quantized else "float32"
    q = {"scale": 1 / 128, "zero_point": 0} if quantized else {}
    box = b.tensor("box", [1, n, 4], t, **q)
    cls = b.tensor("cls", [1, n, 4], t, **q)
    anchors = np.array([[0.2, 0.2, 0.1, 0.1], [0.7, 0.2, 0.1, 0.2], [0.2, 0.7, 0.2, 0.1],
                        [0.7, 0.7, 0.2, 0.2]])
    data = np.round(anchors * 128).astype(np.uint8) if quantized else anchors.astype(np.float32)
    anc = b.tensor("anchors", [n, 4], t, data=data, **q)
    outs = detection_postprocess(b, box, cls, anc, opts)
    b.inputs([box, cls])
    b.outputs(outs)
    return b.build()


SEEDS: dict[str, Callable[[], bytes]] = {
    "opt_l2_pool": l2_pool,
    "opt_depth_to_space": _layout("DEPTH_TO_SPACE", "int8", 40),
    "opt_mirror_pad": _layout("MIRROR_PAD", "float32", 41),
    "opt_gather_nd": _layout("GATHER_ND", "int32", 42),
    "opt_cumsum": _layout("CUMSUM", "float32", 43),
    "opt_svdf": svdf,
    "opt_svdf_int8": svdf_int8,
    "opt_lstm": lstm,
    "opt_batch_matmul": batch_matmul,
    "detection_fast": lambda: detection(False, False),
    "detection_regular_uint8": lambda: detection(True, True),
}


def seed_bytes(model: bytes) -> bytes:
    """`model` without trailing zero padding (keeping the one zero byte the last buffer
    or string may end in)."""
    return model.rstrip(b"\0") + b"\0" if model.endswith(b"\0") else model


def with_custom_options(model: bytes, raw: bytes) -> bytes:
    """`model` with the custom options of its first CUSTOM op replaced by `raw`."""
    from tests.hardening.cases import repack

    def edit(m) -> None:
        for op in m.subgraphs[0].operators:
            if op.customOptions is not None:
                op.customOptions = list(raw)
                return
    return repack(model, edit)
