"""Custom ops for the model writer: FlexBuffer options, and DETECTION_POSTPROCESS.

    opts = DetectionPostprocessOptions(max_detections=10, num_classes=90)
    outs = detection_postprocess(b, box, cls, anchors, opts)   # 4 float32 outputs

Custom-op options are a FlexBuffer map (``flatbuffers.flexbuffers``), as the TF
converter writes them; `flex_options` serialises one. `opts.to_dict()` can be edited
(keys removed, values retyped) for hostile-option tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from flatbuffers import flexbuffers

from tfm_ci.modelgen.builder import SubgraphBuilder

#: The custom code TFLite and TFLM register the op under.
DETECTION_POSTPROCESS = "TFLite_Detection_PostProcess"


def flex_options(values: Mapping[str, Any] | Any) -> bytes:
    """A FlexBuffer of `values` (a dict becomes a map with sorted keys)."""
    return bytes(flexbuffers.Dumps(values))


@dataclass(frozen=True)
class DetectionPostprocessOptions:
    """The op's options (the TF object-detection exporter's keys and defaults)."""

    max_detections: int = 10
    max_classes_per_detection: int = 1
    detections_per_class: int = 100
    use_regular_nms: bool = False
    nms_score_threshold: float = 1e-8
    nms_iou_threshold: float = 0.6
    num_classes: int = 90
    y_scale: float = 10.0
    x_scale: float = 10.0
    h_scale: float = 5.0
    w_scale: float = 5.0

    @property
    def detected_boxes(self) -> int:
        """Rows of the boxes, classes and scores outputs."""
        return self.max_detections * self.max_classes_per_detection

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_bytes(self) -> bytes:
        return flex_options(self.to_dict())


def detection_postprocess(
    b: SubgraphBuilder,
    box_encodings: int,
    class_predictions: int,
    anchors: int,
    options: DetectionPostprocessOptions,
    *,
    raw_options: bytes | None = None,
    prefix: str = "detection",
) -> list[int]:
    """Add the op with its four float32 outputs (boxes [1, D, 4], classes [1, D],
    scores [1, D], num detections [1]); returns the output tensor indices.
    `raw_options` replaces the serialised options (hostile-option tests)."""
    d = options.detected_boxes
    outs = [b.tensor(f"{prefix}_boxes", [1, d, 4], "float32"),
            b.tensor(f"{prefix}_classes", [1, d], "float32"),
            b.tensor(f"{prefix}_scores", [1, d], "float32"),
            b.tensor(f"{prefix}_count", [1], "float32")]
    b.op("CUSTOM", [box_encodings, class_predictions, anchors], outs,
         custom_code=DETECTION_POSTPROCESS,
         custom_options=options.to_bytes() if raw_options is None else raw_options)
    return outs
