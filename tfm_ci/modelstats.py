"""Per-operator work and size of a model: multiply-accumulates (MACs) and parameters.

MACs count the multiply-accumulates of the ops whose cost is dominated by them
(convolutions, fully connected, batched matmul), from the tensor shapes in the
model, the way model summaries usually do; other ops count 0. Parameters are
the elements of the constant tensors an op reads (weights, biases, tables) but
not integer shape/axis/padding arguments; the model total counts a constant
shared by several ops once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tfm_ci.inspect import ModelInfo, OpInfo, SubgraphInfo


@dataclass(frozen=True)
class OpStats:
    subgraph: int
    index: int
    name: str
    macs: int
    params: int


@dataclass(frozen=True)
class ModelStats:
    ops: tuple[OpStats, ...]
    macs: int                 # sum over ops (one invocation, each op once)
    params: int               # distinct constant tensors' elements


def _elements(shape: tuple[int, ...]) -> int:
    return math.prod(shape) if all(d >= 0 for d in shape) else 0


def _shape(sg: SubgraphInfo, op: OpInfo, k: int, outputs: bool = False) -> tuple[int, ...]:
    indices = op.outputs if outputs else op.inputs
    if k >= len(indices) or not 0 <= indices[k] < len(sg.tensors):
        return ()
    return sg.tensors[indices[k]].shape


def op_macs(sg: SubgraphInfo, op: OpInfo) -> int:
    """Multiply-accumulates of one op from its shapes (0 for ops not counted)."""
    out = _shape(sg, op, 0, outputs=True)
    w = _shape(sg, op, 1)
    if op.name == "CONV_2D" and len(w) == 4:           # filter [O, H, W, I]
        return _elements(out) * w[1] * w[2] * w[3]
    if op.name == "DEPTHWISE_CONV_2D" and len(w) == 4:  # filter [1, H, W, O]
        return _elements(out) * w[1] * w[2]
    if op.name == "FULLY_CONNECTED" and len(w) == 2:    # weights [O, I]
        return _elements(out) * w[1]
    if op.name == "TRANSPOSE_CONV":                     # inputs: shape, filter [O,H,W,I], x
        w, x = _shape(sg, op, 1), _shape(sg, op, 2)
        if len(w) == 4 and len(x) == 4:
            return _elements(x) * w[0] * w[1] * w[2]
    if op.name == "BATCH_MATMUL":
        a = _shape(sg, op, 0)
        if len(a) >= 2:
            return _elements(out) * a[-1]
    return 0


# Input position of the int32 bias of ops that have one (other int32/int64 constants are
# shapes, axes, paddings: arguments, not parameters).
_BIAS_INPUT = {"CONV_2D": 2, "DEPTHWISE_CONV_2D": 2, "FULLY_CONNECTED": 2, "TRANSPOSE_CONV": 3}


def _param_inputs(sg: SubgraphInfo, op: OpInfo) -> set[int]:
    found = set()
    for k, i in enumerate(op.inputs):
        if not 0 <= i < len(sg.tensors) or not sg.tensors[i].constant:
            continue
        if sg.tensors[i].dtype in ("INT32", "INT64") and _BIAS_INPUT.get(op.name) != k:
            continue
        found.add(i)
    return found


def op_params(sg: SubgraphInfo, op: OpInfo) -> int:
    return sum(_elements(sg.tensors[i].shape) for i in _param_inputs(sg, op))


def model_stats(info: ModelInfo) -> ModelStats:
    ops = tuple(OpStats(sg.index, op.index, op.name, op_macs(sg, op), op_params(sg, op))
                for sg in info.subgraphs for op in sg.ops)
    constants = {(sg.index, i) for sg in info.subgraphs for op in sg.ops
                 for i in _param_inputs(sg, op)}
    params = sum(_elements(info.subgraphs[s].tensors[i].shape) for s, i in constants)
    return ModelStats(ops, sum(o.macs for o in ops), params)
