"""Keyword spotting and a tiny image classifier with seeded random weights.

`kws` mirrors micro_speech's topology: a 49x40 spectrogram -> DEPTHWISE_CONV_2D (10x8,
stride 2, 8 filters, ReLU) -> RESHAPE -> FULLY_CONNECTED (4 classes) -> SOFTMAX.
`tiny_conv`: 32x32 image -> CONV_2D (3x3, stride 2, ReLU) -> AVERAGE_POOL_2D -> RESHAPE
-> FULLY_CONNECTED -> SOFTMAX. Weights are He-scaled normals from fixed seeds; the int8
models are calibrated on seeded random feature maps.
"""

from __future__ import annotations

import math

import numpy as np

from tfm_ci.demo.network import Layer, build_int8, calibrate

KWS_INPUT = (1, 49, 40, 1)
KWS_FEATURE_RANGE = (0.0, 26.0)   # micro_speech features span about this (scale 0.1019)
KWS_CLASSES = ("silence", "unknown", "yes", "no")
TINY_INPUT = (1, 32, 32, 1)
TINY_RANGE = (-1.0, 1.0)
CALIBRATION_SAMPLES = 8


def _he(rng: np.random.Generator, shape: tuple[int, ...], fan_in: int) -> np.ndarray:
    return rng.normal(0.0, math.sqrt(2.0 / fan_in), shape).astype(np.float32)


def kws_layers() -> list[Layer]:
    rng = np.random.default_rng(2024)
    dw = _he(rng, (1, 10, 8, 8), 10 * 8) * 0.1
    fc_in = 25 * 20 * 8
    return [
        Layer("dwconv", dw, rng.normal(0.0, 0.05, 8).astype(np.float32), activation="RELU",
              stride=(2, 2), padding="SAME"),
        Layer("reshape", shape=(1, fc_in)),
        Layer("fc", _he(rng, (len(KWS_CLASSES), fc_in), fc_in),
              rng.normal(0.0, 0.05, len(KWS_CLASSES)).astype(np.float32)),
        Layer("softmax"),
    ]


def tiny_conv_layers() -> list[Layer]:
    rng = np.random.default_rng(7)
    return [
        Layer("conv", _he(rng, (8, 3, 3, 1), 9), rng.normal(0.0, 0.05, 8).astype(np.float32),
              activation="RELU", stride=(2, 2), padding="SAME"),
        Layer("avgpool", stride=(2, 2), pool=(2, 2), padding="VALID"),
        Layer("reshape", shape=(1, 8 * 8 * 8)),
        Layer("fc", _he(rng, (4, 512), 512), rng.normal(0.0, 0.05, 4).astype(np.float32)),
        Layer("softmax"),
    ]


def _samples(shape: tuple[int, ...], lo: float, hi: float, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.uniform(lo, hi, shape).astype(np.float32) for _ in range(CALIBRATION_SAMPLES)]


def build_kws() -> bytes:
    layers = kws_layers()
    ranges = calibrate(layers, KWS_INPUT, _samples(KWS_INPUT, *KWS_FEATURE_RANGE, seed=1))
    return build_int8(layers, KWS_INPUT, description="tfm-ci demo: kws (int8)",
                      input_range=KWS_FEATURE_RANGE, ranges=ranges)


def build_tiny_conv() -> bytes:
    layers = tiny_conv_layers()
    ranges = calibrate(layers, TINY_INPUT, _samples(TINY_INPUT, *TINY_RANGE, seed=2))
    return build_int8(layers, TINY_INPUT, description="tfm-ci demo: tiny_conv (int8)",
                      input_range=TINY_RANGE, ranges=ranges)
