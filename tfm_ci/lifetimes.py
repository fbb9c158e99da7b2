"""Activation lifetimes of a model, and the arena lower bound they imply.

The lower bound is the largest sum of the bytes of activation tensors that
are live at the same operator: no planner can place them in less.
"""

from __future__ import annotations

from tfm_ci.inspect import ModelInfo, SubgraphInfo, TensorInfo

_SIZES = {"FLOAT32": 4, "INT32": 4, "UINT8": 1, "INT64": 8, "BOOL": 1, "INT16": 2, "INT8": 1,
          "FLOAT64": 8, "UINT32": 4, "UINT16": 2, "FLOAT16": 2}


def tensor_bytes(t: TensorInfo) -> int:
    count = 1
    for d in t.shape:
        count *= max(d, 0)
    return count * _SIZES.get(t.dtype, 0)


def lifetimes(sg: SubgraphInfo) -> dict[int, tuple[int, int]]:
    """Tensor index -> (first op, last op) for every planned (non-constant) tensor."""
    last = len(sg.ops) - 1
    spans: dict[int, list[int]] = {i: [0, 0] for i in sg.inputs}
    for op in sg.ops:
        for i in (*op.inputs, *op.outputs):
            if i < 0 or sg.tensors[i].constant or sg.tensors[i].is_variable:
                continue
            span = spans.setdefault(i, [op.index, op.index])
            span[0], span[1] = min(span[0], op.index), max(span[1], op.index)
    for i in sg.outputs:
        spans.setdefault(i, [last, last])[1] = last
    return {i: (a, b) for i, (a, b) in spans.items()}


def arena_lower_bound(model: ModelInfo) -> int:
    """Largest sum of simultaneously live activation bytes in subgraph 0."""
    sg = model.subgraphs[0]
    spans = lifetimes(sg)
    best = 0
    for k in range(max(len(sg.ops), 1)):
        live = sum(tensor_bytes(sg.tensors[i]) for i, (a, b) in spans.items() if a <= k <= b)
        best = max(best, live)
    return best
