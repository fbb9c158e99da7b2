"""The four MLPerf Tiny (v1.x) reference architectures as int8 models with seeded weights.

Same layers, shapes and strides as MLPerf Tiny's reference models (so the same MACs and the
same work for the kernels), written by our own model writer with He-scaled random weights
instead of trained ones, calibrated on seeded random inputs; int8 input and output as in
MLPerf's quantized models. Batch normalisation is folded away (as the TFLite converter
does), so every conv/fc carries its bias and fused ReLU.

- ``keyword_dscnn``: DS-CNN keyword spotting, 49x10x1 -> CONV 10x4 stride 2 (64) -> 4 x
  (DEPTHWISE 3x3 + CONV 1x1, 64) -> AVERAGE_POOL 25x5 -> FC 12 -> SOFTMAX (2.66M MACs).
- ``vww_mobilenet``: MobileNetV1 alpha 0.25, 96x96x3 -> CONV 3x3 stride 2 (8) -> 13
  depthwise-separable blocks (16 ... 256) -> AVERAGE_POOL 3x3 -> FC 2 -> SOFTMAX (7.49M).
- ``resnet8``: ResNet-8 for CIFAR-10, 32x32x3 -> CONV 3x3 (16) -> 3 residual stacks (16, 32,
  64; 1x1 stride-2 shortcuts in the last two) with ADD+ReLU -> AVERAGE_POOL 8x8 -> FC 10 ->
  SOFTMAX (12.5M).
- ``anomaly_ae``: the fully connected autoencoder, 640 -> 128 x4 -> 8 -> 128 x4 -> 640, ReLU
  on all but the last layer (0.26M).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tfm_ci.demo.network import Layer, Shape, build_int8, calibrate

CALIBRATION_SAMPLES = 8


@dataclass(frozen=True)
class Spec:
    """What the models' builders share: input shape, calibration input range, seed."""

    input_shape: Shape
    input_range: tuple[float, float]
    seed: int
    description: str


SPECS: dict[str, Spec] = {
    # features: MFCC-like values; images: pixels scaled to [0, 1]
    "keyword_dscnn": Spec((1, 49, 10, 1), (-32.0, 32.0), 101,
                          "MLPerf Tiny keyword spotting DS-CNN"),
    "vww_mobilenet": Spec((1, 96, 96, 3), (0.0, 1.0), 102,
                          "MLPerf Tiny visual wake words MobileNetV1 0.25"),
    "resnet8": Spec((1, 32, 32, 3), (0.0, 1.0), 103, "MLPerf Tiny image classification ResNet-8"),
    "anomaly_ae": Spec((1, 640), (-4.0, 4.0), 104,
                       "MLPerf Tiny anomaly detection FC autoencoder"),
}


class _Weights:
    """He-scaled normal weights and small biases from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def he(self, shape: tuple[int, ...], fan_in: int, gain: float = 1.0) -> np.ndarray:
        return (self.rng.normal(0.0, math.sqrt(2.0 / fan_in), shape) * gain).astype(np.float32)

    def bias(self, n: int) -> np.ndarray:
        return self.rng.normal(0.0, 0.05, n).astype(np.float32)

    def conv(self, cin: int, cout: int, k: tuple[int, int], *, stride: int = 1,
             relu: bool = True, inputs: tuple[int, ...] | None = None) -> Layer:
        w = self.he((cout, k[0], k[1], cin), k[0] * k[1] * cin)
        return Layer("conv", w, self.bias(cout), activation="RELU" if relu else "NONE",
                     stride=(stride, stride), padding="SAME", inputs=inputs)

    def dwconv(self, channels: int, *, stride: int = 1) -> Layer:
        w = self.he((1, 3, 3, channels), 9)
        return Layer("dwconv", w, self.bias(channels), activation="RELU",
                     stride=(stride, stride), padding="SAME")

    def fc(self, n_in: int, n_out: int, *, relu: bool, gain: float = 1.0) -> Layer:
        return Layer("fc", self.he((n_out, n_in), n_in, gain), self.bias(n_out),
                     activation="RELU" if relu else "NONE")


def _head(w: _Weights, size: tuple[int, int], channels: int, classes: int,
          gain: float = 0.3) -> list[Layer]:
    """Global average pool -> flatten -> FC -> softmax (`gain` keeps the softmax from
    saturating, so its output varies with the input)."""
    return [Layer("avgpool", stride=size, pool=size, padding="VALID"),
            Layer("reshape", shape=(1, channels)),
            w.fc(channels, classes, relu=False, gain=gain),
            Layer("softmax")]


def keyword_dscnn_layers() -> list[Layer]:
    w = _Weights(SPECS["keyword_dscnn"].seed)
    layers = [w.conv(1, 64, (10, 4), stride=2)]            # 49x10 -> 25x5
    for _ in range(4):
        layers += [w.dwconv(64), w.conv(64, 64, (1, 1))]
    return layers + _head(w, (25, 5), 64, 12, gain=0.02)  # features span +-32


# MobileNetV1 alpha 0.25: (output channels, depthwise stride) of the 13 separable blocks
_MOBILENET_BLOCKS = ((16, 1), (32, 2), (32, 1), (64, 2), (64, 1), (128, 2), (128, 1),
                     (128, 1), (128, 1), (128, 1), (128, 1), (256, 2), (256, 1))


def vww_mobilenet_layers() -> list[Layer]:
    w = _Weights(SPECS["vww_mobilenet"].seed)
    layers, channels = [w.conv(3, 8, (3, 3), stride=2)], 8       # 96x96 -> 48x48
    for out, stride in _MOBILENET_BLOCKS:
        layers += [w.dwconv(channels, stride=stride), w.conv(channels, out, (1, 1))]
        channels = out
    return layers + _head(w, (3, 3), channels, 2, gain=3.0)  # pooled noise varies little


def resnet8_layers() -> list[Layer]:
    w = _Weights(SPECS["resnet8"].seed)
    layers = [w.conv(3, 16, (3, 3))]
    channels = 16
    for out, stride in ((16, 1), (32, 2), (64, 2)):
        block_in = len(layers) - 1
        layers += [w.conv(channels, out, (3, 3), stride=stride),
                   w.conv(out, out, (3, 3), relu=False)]
        main = len(layers) - 1
        if stride == 1 and out == channels:
            shortcut = block_in
        else:
            layers.append(w.conv(channels, out, (1, 1), stride=stride, relu=False,
                                 inputs=(block_in,)))
            shortcut = len(layers) - 1
        layers.append(Layer("add", activation="RELU", inputs=(main, shortcut)))
        channels = out
    return layers + _head(w, (8, 8), channels, 10)


def anomaly_ae_layers() -> list[Layer]:
    w = _Weights(SPECS["anomaly_ae"].seed)
    sizes = [640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640]
    return [w.fc(a, b, relu=k < len(sizes) - 2) for k, (a, b) in
            enumerate(itertools.pairwise(sizes))]


_LAYERS: dict[str, Callable[[], list[Layer]]] = {
    "keyword_dscnn": keyword_dscnn_layers,
    "vww_mobilenet": vww_mobilenet_layers,
    "resnet8": resnet8_layers,
    "anomaly_ae": anomaly_ae_layers,
}

#: The MLPerf Tiny model names, in MLPerf's benchmark order.
MLPERF_MODELS: tuple[str, ...] = tuple(_LAYERS)


@functools.cache
def build(name: str) -> bytes:
    """The int8 .tflite bytes of MLPerf model `name` (same bytes on every call)."""
    if name not in _LAYERS:
        raise ValueError(f"unknown MLPerf model {name!r}; choose from {MLPERF_MODELS}")
    spec, layers = SPECS[name], _LAYERS[name]()
    rng = np.random.default_rng(spec.seed)
    samples = [rng.uniform(*spec.input_range, spec.input_shape).astype(np.float32)
               for _ in range(CALIBRATION_SAMPLES)]
    ranges = calibrate(layers, spec.input_shape, samples)
    return build_int8(layers, spec.input_shape, description=f"tfm-ci: {spec.description} "
                      "(int8, seeded weights)", input_range=spec.input_range, ranges=ranges)
