"""Refuse models the pipeline cannot run, before any input is made or source compiled.

Each check names the problem (file, subgraph, tensor) the way TFLite's own
loader would refuse it, instead of letting a later step trip over it.
"""

from __future__ import annotations

from pathlib import Path

from tfm_ci.inspect import ModelError, ModelInfo, SubgraphInfo
from tfm_ci.transcript import DTYPES

#: Largest model file read (the firmware itself refuses >= 2 GiB; boards hold far less).
MAX_MODEL_BYTES = 256 * 1024 * 1024

#: Schema types a model input or output may have (what the transcript protocol carries).
IO_TYPES = tuple(DTYPES)


def read_model_file(path: str | Path, max_bytes: int = MAX_MODEL_BYTES) -> bytes:
    """The file's bytes; OSError for unreadable files, ModelError above `max_bytes`."""
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ModelError(f"model file is larger than {max_bytes:,} bytes (the limit for a "
                         "model file)")
    return data


def _unwritten(sg: SubgraphInfo) -> list[int]:
    """Output tensors of `sg` that nothing produces: no op, not an input, no constant data."""
    written = {t for op in sg.ops for t in op.outputs} | set(sg.inputs)
    return [i for i in sg.outputs
            if 0 <= i < len(sg.tensors) and i not in written and not sg.tensors[i].constant]


def check_model(info: ModelInfo) -> None:
    """Raise ModelError naming the first reason the model cannot run as a job."""
    if not info.subgraphs:
        raise ModelError("model has no subgraphs (nothing to run)")
    for sg in info.subgraphs:
        for what, indices in (("input", sg.inputs), ("output", sg.outputs)):
            for k, i in enumerate(indices):
                if not 0 <= i < len(sg.tensors):
                    raise ModelError(f"subgraph {sg.index} {what} {k}: tensor index {i} out of "
                                     f"range ({len(sg.tensors)} tensors)")
        for i in _unwritten(sg):
            t = sg.tensors[i]
            raise ModelError(f"subgraph {sg.index} output tensor {i} {t.name!r} is written by "
                             "no operator (it would hold uninitialised memory)")
    sg = info.subgraphs[0]
    for what, indices in (("input", sg.inputs), ("output", sg.outputs)):
        for k, i in enumerate(indices):
            t = sg.tensors[i]
            if t.dtype not in IO_TYPES:
                raise ModelError(f"model {what} {k} {t.name!r} has type {t.dtype}, which tfm-ci "
                                 f"cannot pass as a model {what} (supported: "
                                 f"{', '.join(IO_TYPES)})")
