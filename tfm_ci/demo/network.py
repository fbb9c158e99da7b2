"""A tiny sequential network description, written as a float32 or a full-int8 model.

The int8 model follows the TFLite converter's quantization scheme: int8 activations
(asymmetric, calibrated on sample inputs by running the float model in TFLite with every
activation exposed as an output), symmetric int8 weights (per channel for convolutions,
per tensor for fully connected layers), int32 biases with scale input_scale*weight_scale,
softmax output scale 1/256 and zero point -128.

A layer reads the previous layer's output unless it names its inputs (`Layer.inputs`:
indices of earlier layers, -1 for the model input), which gives branches and residual
ADDs (ResNet) without changing sequential networks' bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tfm_ci.modelgen import ModelBuilder
from tfm_ci.modelgen.quant import asymmetric_params, quantize, round_half_away, symmetric_scale
from tfm_ci.oracle import run_reference

Shape = tuple[int, ...]


@dataclass
class Layer:
    """One layer: kind is fc, conv, dwconv, avgpool, reshape, softmax or add.

    Weights use TFLite layouts: fc [out, in]; conv [out, kh, kw, in]; dwconv [1, kh, kw, out].
    `inputs`: indices of the layers whose outputs this one reads (-1 = the model input);
    None = the previous layer's output. `add` reads two.
    """

    kind: str
    weights: np.ndarray | None = None
    bias: np.ndarray | None = None
    activation: str = "NONE"
    stride: tuple[int, int] = (1, 1)
    padding: str = "SAME"
    pool: tuple[int, int] = (2, 2)
    shape: Shape | None = None            # reshape target
    inputs: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _conv_out(size: int, k: int, stride: int, padding: str) -> int:
    if padding == "SAME":
        return math.ceil(size / stride)
    return math.ceil((size - k + 1) / stride)


def output_shape(layer: Layer, shape: Shape) -> Shape:
    """Shape of the layer's output for an input of `shape`."""
    if layer.kind == "fc":
        return (shape[0], layer.weights.shape[0])
    if layer.kind in ("conv", "dwconv"):
        kh, kw = layer.weights.shape[1:3]
        out_c = layer.weights.shape[0] if layer.kind == "conv" else layer.weights.shape[3]
        return (shape[0], _conv_out(shape[1], kh, layer.stride[0], layer.padding),
                _conv_out(shape[2], kw, layer.stride[1], layer.padding), out_c)
    if layer.kind == "avgpool":
        return (shape[0], _conv_out(shape[1], layer.pool[0], layer.stride[0], layer.padding),
                _conv_out(shape[2], layer.pool[1], layer.stride[1], layer.padding), shape[3])
    if layer.kind == "reshape":
        return tuple(layer.shape)
    if layer.kind in ("softmax", "add"):
        return shape
    raise ValueError(f"unknown layer kind {layer.kind!r}")


def _options(layer: Layer, in_shape: Shape) -> dict[str, Any]:
    act = {"fused_activation_function": layer.activation}
    if layer.kind == "fc":
        return act
    if layer.kind == "conv":
        return {**act, "padding": layer.padding, "stride_h": layer.stride[0],
                "stride_w": layer.stride[1]}
    if layer.kind == "dwconv":
        multiplier = layer.weights.shape[3] // in_shape[3]
        return {**act, "padding": layer.padding, "stride_h": layer.stride[0],
                "stride_w": layer.stride[1], "depth_multiplier": multiplier}
    if layer.kind == "avgpool":
        return {**act, "padding": layer.padding, "stride_h": layer.stride[0],
                "stride_w": layer.stride[1], "filter_height": layer.pool[0],
                "filter_width": layer.pool[1]}
    if layer.kind == "reshape":
        return {"new_shape": list(layer.shape)}
    if layer.kind == "add":
        return act
    return {"beta": 1.0}


_OPCODES = {"fc": "FULLY_CONNECTED", "conv": "CONV_2D", "dwconv": "DEPTHWISE_CONV_2D",
            "avgpool": "AVERAGE_POOL_2D", "reshape": "RESHAPE", "softmax": "SOFTMAX", "add": "ADD"}


def _sources(layers: Sequence[Layer], i: int) -> tuple[int, ...]:
    """Indices of the layers layer i reads (-1 = the model input), checked."""
    layer = layers[i]
    sources = (i - 1,) if layer.inputs is None else tuple(layer.inputs)
    want = 2 if layer.kind == "add" else 1
    if len(sources) != want or not all(-1 <= s < i for s in sources):
        raise ValueError(f"layer {i} ({layer.kind}) reads {sources}: needs {want} "
                         f"earlier layer(s) (-1 = the model input)")
    return sources


def _check_add(i: int, shapes: Sequence[Shape]) -> None:
    if len(set(shapes)) != 1:
        raise ValueError(f"layer {i} (add): input shapes differ: {list(shapes)}")


def _const_inputs(b: ModelBuilder, i: int, layer: Layer) -> list[int]:
    """Float weight/bias (+ reshape shape) tensors of layer i."""
    if layer.kind == "reshape":
        return [b.tensor(f"l{i}_shape", [len(layer.shape)], "int32", data=list(layer.shape))]
    if layer.weights is None:
        return []
    w = b.tensor(f"l{i}_weights", layer.weights.shape, "float32", data=layer.weights)
    return [w, b.tensor(f"l{i}_bias", layer.bias.shape, "float32", data=layer.bias)]


def build_float(layers: Sequence[Layer], input_shape: Shape, *, description: str,
                expose_all: bool = False) -> bytes:
    """The float32 model; with expose_all every layer output is a model output."""
    b = ModelBuilder(description=description)
    x = b.tensor("input", input_shape, "float32")
    # tensors[k + 1] / shapes[k + 1]: layer k's output; index 0: the model input
    tensors, shapes = [x], [tuple(input_shape)]
    for i, layer in enumerate(layers):
        src = [s + 1 for s in _sources(layers, i)]
        shape = shapes[src[0]]
        if layer.kind == "add":
            _check_add(i, [shapes[s] for s in src])
        inputs = [tensors[s] for s in src] + _const_inputs(b, i, layer)
        out_shape = output_shape(layer, shape)
        name = "output" if i == len(layers) - 1 else f"l{i}_{layer.kind}"
        y = b.tensor(name, out_shape, "float32")
        b.op(_OPCODES[layer.kind], inputs, [y], **_options(layer, shape))
        tensors.append(y)
        shapes.append(out_shape)
    b.inputs([x])
    b.outputs(tensors[1:] if expose_all else [tensors[-1]])
    return b.build()


def calibrate(layers: Sequence[Layer], input_shape: Shape,
              samples: Sequence[np.ndarray]) -> list[tuple[float, float]]:
    """(min, max) of every layer output over the float samples, computed by TFLite."""
    model = build_float(layers, input_shape, description="calibration", expose_all=True)
    lo = [math.inf] * len(layers)
    hi = [-math.inf] * len(layers)
    for sample in samples:
        (outs,) = run_reference(model, [np.asarray(sample, np.float32)])
        for i, out in enumerate(outs):
            lo[i], hi[i] = min(lo[i], float(out.min())), max(hi[i], float(out.max()))
    return list(zip(lo, hi, strict=True))


def _quantized_consts(b: ModelBuilder, i: int, layer: Layer,
                      in_scale: float) -> list[int]:
    if layer.kind == "reshape":
        return [b.tensor(f"l{i}_shape", [len(layer.shape)], "int32", data=list(layer.shape))]
    if layer.weights is None:
        return []
    w = layer.weights.astype(np.float64)
    if layer.kind == "fc":
        axis = None
        w_scale = symmetric_scale(np.abs(w).max())
        qw = quantize(w, w_scale)
        kwargs: dict[str, Any] = {"scale": float(w_scale), "zero_point": 0}
        bias_scale = np.full(layer.bias.shape, in_scale * w_scale)
    else:
        axis = 0 if layer.kind == "conv" else 3
        reduce_axes = tuple(a for a in range(4) if a != axis)
        w_scale = symmetric_scale(np.abs(w).max(axis=reduce_axes))
        qw = quantize(w, w_scale, axis=axis)
        kwargs = {"scale": w_scale.tolist(), "zero_point": [0] * len(w_scale),
                  "quantized_dimension": axis}
        bias_scale = in_scale * w_scale
    wt = b.tensor(f"l{i}_weights", w.shape, "int8", data=qw, **kwargs)
    qb = round_half_away(layer.bias.astype(np.float64) / bias_scale).astype(np.int32)
    bt = b.tensor(f"l{i}_bias", layer.bias.shape, "int32", data=qb,
                  scale=bias_scale.tolist() if axis is not None else float(bias_scale[0]),
                  zero_point=0, quantized_dimension=0)
    return [wt, bt]


def build_int8(layers: Sequence[Layer], input_shape: Shape, *, description: str,
               input_range: tuple[float, float],
               ranges: Sequence[tuple[float, float]]) -> bytes:
    """The full-int8 model: int8 input and output, int8 weights, int32 biases."""
    b = ModelBuilder(description=description)
    scale, zp = asymmetric_params(*input_range)
    x = b.tensor("input", input_shape, "int8", scale=scale, zero_point=zp)
    # index 0: the model input; k + 1: layer k's output (tensor, shape, scale, zero point)
    tensors, shapes, qparams = [x], [tuple(input_shape)], [(scale, zp)]
    for i, layer in enumerate(layers):
        src = [s + 1 for s in _sources(layers, i)]
        shape, (scale, zp) = shapes[src[0]], qparams[src[0]]
        if layer.kind == "add":
            _check_add(i, [shapes[s] for s in src])
        inputs = [tensors[s] for s in src] + _quantized_consts(b, i, layer, scale)
        if layer.kind in ("reshape", "avgpool"):
            out_scale, out_zp = scale, zp          # TFLite requires the same parameters
        elif layer.kind == "softmax":
            out_scale, out_zp = 1.0 / 256.0, -128
        else:
            out_scale, out_zp = asymmetric_params(*ranges[i])
        out_shape = output_shape(layer, shape)
        name = "output" if i == len(layers) - 1 else f"l{i}_{layer.kind}"
        y = b.tensor(name, out_shape, "int8", scale=out_scale, zero_point=out_zp)
        b.op(_OPCODES[layer.kind], inputs, [y], **_options(layer, shape))
        tensors.append(y)
        shapes.append(out_shape)
        qparams.append((out_scale, out_zp))
    b.inputs([x])
    b.outputs([tensors[-1]])
    return b.build()
