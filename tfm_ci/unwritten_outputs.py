"""Output elements TFLite's kernels leave unwritten, set to what ours writes there.

TFLite's DETECTION_POSTPROCESS (custom op ``TFLite_Detection_PostProcess``) fills only
the rows it detects: fast NMS writes ``max_classes_per_detection`` rows per detection
(and only ``min(that, num_classes)`` of them), regular NMS ``max_detections`` rows. The
other rows keep whatever its arena held, so comparing them would fail at random. Our
kernel writes zeros there; `fill_unwritten` puts zeros in TFLite's copy, so the
verdict compares the rows TFLite defines exactly and requires ours to be zero elsewhere.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import tflite
from flatbuffers import flexbuffers

#: The custom code of the op (tfm_ci.modelgen.custom_ops writes it).
DETECTION_POSTPROCESS = "TFLite_Detection_PostProcess"


def _detection_ops(model: bytes) -> list[tuple[list[int], dict[str, Any]]]:
    """(output tensor indices, options) of each DETECTION_POSTPROCESS op in subgraph 0."""
    m = tflite.Model.GetRootAs(model, 0)
    sg = m.Subgraphs(0)
    found = []
    for i in range(sg.OperatorsLength()):
        op = sg.Operators(i)
        code = m.OperatorCodes(op.OpcodeIndex())
        custom = code.CustomCode()
        if custom is None or custom.decode(errors="replace") != DETECTION_POSTPROCESS:
            continue
        opts = flexbuffers.Loads(bytes(op.CustomOptionsAsNumpy()))
        if isinstance(opts, dict) and op.OutputsLength() == 4:
            found.append(([int(op.Outputs(j)) for j in range(4)], opts))
    return found


def _written_rows(opts: dict[str, Any], count: int, rows: int) -> np.ndarray:
    mask = np.zeros(rows, bool)
    if opts.get("use_regular_nms", False):
        mask[:min(count, rows)] = True
        return mask
    per = int(opts["max_classes_per_detection"])
    cats = min(per, int(opts["num_classes"]))
    for i in range(count):
        mask[i * per:min(i * per + cats, rows)] = True
    return mask


def fill_unwritten(model: bytes, outputs: list[list[np.ndarray]]) -> list[list[np.ndarray]]:
    """`outputs[invocation][model output]` of TFLite with its unwritten elements zeroed
    (copies; unchanged when the model has no such op or its count is not an output)."""
    try:
        ops = _detection_ops(model)
        if not ops:
            return outputs
        sg = tflite.Model.GetRootAs(model, 0).Subgraphs(0)
        position = {int(sg.Outputs(j)): j for j in range(sg.OutputsLength())}
    except Exception:   # a model TFLite ran but we cannot read: leave it
        return outputs
    result = [[np.array(a, copy=True) for a in inv] for inv in outputs]
    for tensors, opts in ops:
        if tensors[3] not in position:
            continue
        for inv in result:
            count = int(np.asarray(inv[position[tensors[3]]]).ravel()[0])
            for t in tensors[:3]:
                if t not in position:
                    continue
                a = inv[position[t]]
                rows = a.reshape(-1, 4).shape[0] if t == tensors[0] else a.size
                try:
                    keep = _written_rows(opts, count, rows)
                except (KeyError, TypeError, ValueError):
                    continue
                view = a.reshape(rows, -1)
                view[~keep] = 0
    return result
