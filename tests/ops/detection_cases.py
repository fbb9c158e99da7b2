"""Randomly drawn DETECTION_POSTPROCESS models and inputs (fixed seeds), and the
comparison of its outputs with TFLite's.

Scores are drawn from a few levels (and uint8 scores are coarse anyway), so ties are
common: they exercise TFLite's stable NMS sort and its heap-based top-k picks. Anchors
sit on a small grid so many boxes overlap and NMS suppresses some.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.custom_ops import DetectionPostprocessOptions, detection_postprocess

Q = {"box": (0.05, 128), "anchor": (1 / 255, 0), "cls": (1 / 64, 3)}


@dataclass(frozen=True)
class DetectionCase:
    seed: int
    n: int
    background: int
    box_type: str
    cls_type: str
    box_stride: int
    opts: DetectionPostprocessOptions

    @property
    def id(self) -> str:
        o = self.opts
        return (f"s{self.seed}-n{self.n}-c{o.num_classes}+{self.background}-"
                f"{self.box_type[0]}{self.cls_type[0]}-{'reg' if o.use_regular_nms else 'fast'}"
                f"-d{o.max_detections}x{o.max_classes_per_detection}")


def draw_case(seed: int) -> DetectionCase:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 48))
    classes = int(rng.integers(1, 7))
    opts = DetectionPostprocessOptions(
        max_detections=int(rng.integers(1, 14)),          # sometimes above N
        max_classes_per_detection=int(rng.integers(1, 5)),  # sometimes above num_classes
        detections_per_class=int(rng.integers(1, 9)),
        use_regular_nms=bool(rng.integers(2)),
        nms_score_threshold=float(rng.choice([0.0, 0.1, 0.3, 0.5, -1.0])),
        nms_iou_threshold=float(rng.choice([0.3, 0.5, 0.6, 1.0, 0.05])),
        num_classes=classes,
        y_scale=float(rng.choice([10.0, 1.0, 3.5])),
        x_scale=float(rng.choice([10.0, 1.0, 2.25])),
        h_scale=float(rng.choice([5.0, 1.0, 0.75])),
        w_scale=float(rng.choice([5.0, 2.0, 1.5])),
    )
    return DetectionCase(seed, n, int(rng.integers(2)), str(rng.choice(["float32", "uint8"])),
                         str(rng.choice(["float32", "uint8"])),
                         4 if rng.random() < 0.8 else int(rng.integers(5, 8)), opts)


def anchors_of(case: DetectionCase, rng: np.random.Generator) -> np.ndarray:
    """[N, 4] (y, x, h, w): centers on a coarse grid, sizes in (0.05, 0.5)."""
    centers = rng.integers(0, 6, (case.n, 2)) / 6.0 + 0.05
    sizes = rng.uniform(0.05, 0.5, (case.n, 2))
    return np.concatenate([centers, sizes], axis=1).astype(np.float32)


def quantize(x: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    return np.clip(np.round(x / scale) + zero_point, 0, 255).astype(np.uint8)


def build(case: DetectionCase) -> tuple[bytes, list[np.ndarray]]:
    """The model (anchors constant) and its two inputs."""
    rng = np.random.default_rng(case.seed + 10_000)
    o = case.opts
    k = o.num_classes + case.background
    b = ModelBuilder(description=f"detection {case.id}")
    qb = dict(zip(("scale", "zero_point"), Q["box"], strict=True)) \
        if case.box_type == "uint8" else {}
    qa = dict(zip(("scale", "zero_point"), Q["anchor"], strict=True)) \
        if case.box_type == "uint8" else {}
    qc = dict(zip(("scale", "zero_point"), Q["cls"], strict=True)) \
        if case.cls_type == "uint8" else {}
    anchors = anchors_of(case, rng)
    if case.box_type == "uint8":
        anchors = quantize(anchors, *Q["anchor"])
    box = b.tensor("box", [1, case.n, case.box_stride], case.box_type, **qb)
    cls = b.tensor("cls", [1, case.n, k], case.cls_type, **qc)
    anc = b.tensor("anchors", [case.n, 4], case.box_type, data=anchors, **qa)
    outs = detection_postprocess(b, box, cls, anc, o)
    b.inputs([box, cls])
    b.outputs(outs)
    enc = rng.normal(0.0, 1.5, (1, case.n, case.box_stride)).astype(np.float32)
    levels = rng.choice([0.05, 0.2, 0.3, 0.5, 0.55, 0.7, 0.9, 0.95], 3 + int(rng.integers(4)))
    scores = rng.choice(levels, (1, case.n, k)).astype(np.float32)
    if rng.random() < 0.3:                      # some continuous scores too
        scores = rng.uniform(0, 1, (1, case.n, k)).astype(np.float32)
    x_box = quantize(enc, *Q["box"]) if case.box_type == "uint8" else enc
    x_cls = quantize(scores, *Q["cls"]) if case.cls_type == "uint8" else scores
    return b.build(), [x_box, x_cls]


def written_rows(opts: DetectionPostprocessOptions, count: int) -> np.ndarray:
    """Rows of boxes/classes/scores TFLite writes for `count` detections (the others
    keep whatever the arena held there; ours writes zeros)."""
    if opts.use_regular_nms:
        return np.arange(count)
    cats = min(opts.max_classes_per_detection, opts.num_classes)
    return np.array([opts.max_classes_per_detection * i + c
                     for i in range(count) for c in range(cats)], dtype=int)


def compare(opts: DetectionPostprocessOptions, ours: list[np.ndarray],
            theirs: list[np.ndarray]) -> list[str]:
    """Differences (empty when equal): the count, and every written row bit for bit;
    the rows TFLite leaves unwritten must be zero in ours."""
    problems = []
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        if a.dtype != np.float32 or a.shape != b.shape:
            problems.append(f"output {i}: ours {a.dtype}{a.shape}, TFLite {b.dtype}{b.shape}")
    if problems:
        return problems
    if ours[3].tobytes() != theirs[3].tobytes():
        return [f"num detections: ours {ours[3]}, TFLite {theirs[3]}"]
    rows = written_rows(opts, int(theirs[3][0]))
    mask = np.zeros(opts.detected_boxes, bool)
    mask[rows] = True
    names = ("boxes", "classes", "scores")
    for i, name in enumerate(names):
        a, b = ours[i].reshape(opts.detected_boxes, -1), theirs[i].reshape(opts.detected_boxes, -1)
        if a[mask].tobytes() != b[mask].tobytes():
            bad = np.argwhere((a != b) & mask[:, None])[:4]
            problems.append(f"{name} differ at rows {bad[:, 0].tolist()}: ours "
                            f"{a[bad[:, 0]].tolist()}, TFLite {b[bad[:, 0]].tolist()}")
        if np.any(a[~mask] != 0):
            problems.append(f"{name}: unwritten rows are not zero")
    return problems
