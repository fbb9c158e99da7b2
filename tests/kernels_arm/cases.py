"""Random single-op cases for the arm-dsp kernels, several per model.

Each model holds many independent ops (one input and one output per op), so one build
and one QEMU run check many cases; the engine compares every output with TFLite.
Shapes are small but cover the kernels' paths and tails: channel counts that are and
are not multiples of 4, accumulation depths with every remainder mod 4, odd output
channel and pixel counts, strides, dilations, SAME/VALID padding, per-tensor and
per-channel filters, input/output zero points, fused activations, and the cases that
fall back to the reference code (grouped conv, depth multiplier > 1 with several input
channels, int16, float32, FC weights with a zero point, pooling windows > 256 taps).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from tfm_ci.modelgen import ModelBuilder

ACTIVATIONS = ("NONE", "RELU", "RELU6", "RELU_N1_TO_1")
QMAX = {"int8": 127, "int16": 32767}
INPUT_STD = {"int8": 74.0, "int16": 18918.0}


def _out(size: int, k: int, stride: int, dilation: int, padding: str) -> int:
    eff = (k - 1) * dilation + 1
    return (size + stride - 1) // stride if padding == "SAME" else (size - eff) // stride + 1


class Batch:
    """A model under construction: every `add_*` call appends one independent op."""

    def __init__(self, seed: int) -> None:
        self.b = ModelBuilder()
        self.rng = np.random.default_rng(seed)
        self.inputs: list[int] = []
        self.outputs: list[int] = []
        self.count = 0
        self.scales: dict[int, float] = {}
        self.zps: dict[int, int] = {}

    # ---- tensors -----------------------------------------------------------------
    def _act(self, name: str, shape: list[int], dtype: str, scale: float | None = None) -> int:
        if dtype == "float32":
            return self.b.tensor(name, shape, "float32")
        scale = float(self.rng.uniform(0.005, 0.05)) if scale is None else scale
        zp = int(self.rng.integers(-128, 128)) if dtype == "int8" else 0
        t = self.b.tensor(name, shape, dtype, scale=scale, zero_point=zp)
        self.scales[t] = scale
        self.zps[t] = zp
        return t

    def _scale_of(self, t: int) -> float:
        return self.scales.get(t, 1.0)

    def _filter(self, name: str, shape: list[int], dtype: str, axis: int,
                per_channel: bool) -> tuple[int, np.ndarray]:
        channels = shape[axis]
        if dtype == "float32":
            w = self.rng.uniform(-1, 1, size=shape).astype(np.float32)
            return self.b.tensor(name, shape, "float32", data=w), np.ones(channels)
        # the full int8 range, -128 included, with some extreme rows
        w = self.rng.integers(-128, 128, size=shape)
        if self.rng.random() < 0.3:
            w = np.where(self.rng.random(size=shape) < 0.5, -128, 127)
        scales = self.rng.uniform(0.002, 0.02, size=channels if per_channel else 1)
        t = self.b.tensor(name, shape, "int8", data=w.astype(np.int8),
                          scale=[float(s) for s in scales], zero_point=[0] * len(scales),
                          quantized_dimension=axis)
        return t, np.broadcast_to(scales, (channels,))

    def _bias(self, name: str, channels: int, dtype: str, in_scale: float,
              f_scales: np.ndarray) -> int:
        if dtype == "float32":
            return self.b.tensor(name, [channels], "float32",
                                 data=self.rng.uniform(-1, 1, size=channels).astype(np.float32))
        kind = "int32" if dtype == "int8" else "int64"
        limit = 30000 if dtype == "int8" else 2_000_000
        return self.b.tensor(name, [channels], kind,
                             data=self.rng.integers(-limit, limit + 1, size=channels),
                             scale=[float(in_scale * s) for s in f_scales],
                             zero_point=[0] * channels, quantized_dimension=0)

    def _out_scale(self, dtype: str, in_scale: float, f_scales: np.ndarray, taps: int) -> float:
        acc = INPUT_STD[dtype] * 73.0 * np.sqrt(max(taps, 1)) * in_scale * float(np.mean(f_scales))
        return float(3.0 * acc / QMAX[dtype] * self.rng.uniform(0.3, 1.6))

    def _finish(self, x: int, y: int) -> None:
        self.inputs.append(x)
        self.outputs.append(y)
        self.count += 1

    # ---- ops -----------------------------------------------------------------------
    def add_conv(self, dtype: str, n: int, h: int, w: int, cin: int, cout: int, k: tuple,
                 s: tuple, d: tuple, pad: str, act: str, per_channel: bool,
                 groups: int = 1, bias: bool = True) -> None:
        tag = f"c{self.count}_"
        x = self._act(tag + "x", [n, h, w, cin], dtype)
        in_scale = self._scale_of(x)
        f, f_scales = self._filter(tag + "w", [cout, k[0], k[1], cin // groups], dtype, 0,
                                   per_channel)
        ins = [x, f]
        if bias:
            ins.append(self._bias(tag + "b", cout, dtype, in_scale, f_scales))
        oh, ow = _out(h, k[0], s[0], d[0], pad), _out(w, k[1], s[1], d[1], pad)
        scale = (None if dtype == "float32"
                 else self._out_scale(dtype, in_scale, f_scales, k[0] * k[1] * cin // groups))
        y = self._act(tag + "y", [n, oh, ow, cout], dtype, scale)
        self.b.op("CONV_2D", ins, [y], version=3, padding=pad, stride_h=s[0], stride_w=s[1],
                  dilation_h_factor=d[0], dilation_w_factor=d[1], fused_activation_function=act)
        self._finish(x, y)

    def add_dw(self, dtype: str, n: int, h: int, w: int, cin: int, dm: int, k: tuple,
               s: tuple, d: tuple, pad: str, act: str, per_channel: bool,
               bias: bool = True) -> None:
        tag = f"d{self.count}_"
        cout = cin * dm
        x = self._act(tag + "x", [n, h, w, cin], dtype)
        in_scale = self._scale_of(x)
        f, f_scales = self._filter(tag + "w", [1, k[0], k[1], cout], dtype, 3, per_channel)
        ins = [x, f]
        if bias:
            ins.append(self._bias(tag + "b", cout, dtype, in_scale, f_scales))
        oh, ow = _out(h, k[0], s[0], d[0], pad), _out(w, k[1], s[1], d[1], pad)
        scale = (None if dtype == "float32"
                 else self._out_scale(dtype, in_scale, f_scales, k[0] * k[1]))
        y = self._act(tag + "y", [n, oh, ow, cout], dtype, scale)
        self.b.op("DEPTHWISE_CONV_2D", ins, [y], version=3, padding=pad, stride_h=s[0],
                  stride_w=s[1], depth_multiplier=dm, dilation_h_factor=d[0],
                  dilation_w_factor=d[1], fused_activation_function=act)
        self._finish(x, y)

    def add_fc(self, dtype: str, batches: int, depth: int, units: int, act: str,
               per_channel: bool, wzp: int = 0, bias: bool = True) -> None:
        tag = f"f{self.count}_"
        x = self._act(tag + "x", [batches, depth], dtype)
        in_scale = self._scale_of(x)
        if dtype == "float32" or per_channel or wzp == 0:
            f, f_scales = self._filter(tag + "w", [units, depth], dtype, 0, per_channel)
        else:  # per-tensor weights with a zero point: the reference path
            f_scales = np.full(units, self.rng.uniform(0.002, 0.02))
            f = self.b.tensor(tag + "w", [units, depth], "int8",
                              data=self.rng.integers(-127, 128, size=(units, depth)),
                              scale=[float(f_scales[0])], zero_point=[wzp])
        ins = [x, f, self._bias(tag + "b", units, dtype, in_scale, f_scales) if bias else -1]
        scale = None if dtype == "float32" else self._out_scale(dtype, in_scale, f_scales, depth)
        y = self._act(tag + "y", [batches, units], dtype, scale)
        self.b.op("FULLY_CONNECTED", ins, [y], version=4,
                  fused_activation_function=act)
        self._finish(x, y)

    def add_pool(self, op: str, dtype: str, n: int, h: int, w: int, ch: int, f: tuple,
                 s: tuple, pad: str, act: str) -> None:
        tag = f"p{self.count}_"
        x = self._act(tag + "x", [n, h, w, ch], dtype)
        oh, ow = _out(h, f[0], s[0], 1, pad), _out(w, f[1], s[1], 1, pad)
        if dtype == "float32":
            y = self.b.tensor(tag + "y", [n, oh, ow, ch], "float32")
        else:  # pooling does not rescale: the output shares the input's quantization
            y = self.b.tensor(tag + "y", [n, oh, ow, ch], dtype, scale=self.scales[x],
                              zero_point=self.zps[x])
        self.b.op(op, [x], [y], version=2, padding=pad, stride_h=s[0], stride_w=s[1],
                  filter_height=f[0], filter_width=f[1], fused_activation_function=act)
        self._finish(x, y)

    def build(self) -> bytes:
        self.b.inputs(self.inputs)
        self.b.outputs(self.outputs)
        return self.b.build()


def _pick(rng: np.random.Generator, values: tuple) -> object:
    return values[int(rng.integers(len(values)))]


def conv_batch(seed: int, count: int) -> Batch:
    """int8 convolutions (fast path), plus a few grouped / int16 / float32 fallbacks."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kind = i % 8
        dtype = {6: "int16", 7: "float32"}.get(kind, "int8")
        kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        if kind == 0:
            kh = kw = 1                      # pointwise, as in MobileNet
        dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if kind == 3 else (1, 1)
        groups = 2 if kind == 5 else 1      # grouped conv: reference fallback
        cin = int(_pick(rng, (1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 19))) * groups
        cout = int(_pick(rng, (1, 2, 3, 4, 5, 7, 8, 11, 16))) * groups
        h = int(rng.integers((kh - 1) * dil[0] + 1, 8))
        w = int(rng.integers((kw - 1) * dil[1] + 1, 8))
        bt.add_conv(dtype, int(rng.integers(1, 3)), h, w, cin, cout, (kh, kw),
                    (int(rng.integers(1, 3)), int(rng.integers(1, 3))), dil,
                    "SAME" if rng.random() < 0.5 else "VALID", ACTIVATIONS[i % 4],
                    per_channel=i % 3 != 2, groups=groups)  # TFLite needs a conv bias
    return bt


def dw_batch(seed: int, count: int) -> Batch:
    """int8 depthwise: multiplier 1 (any channels), one input channel (any multiplier),
    plus several-channels-times-multiplier, int16 and float32 fallbacks."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kind = i % 7
        dtype = {5: "int16", 6: "float32"}.get(kind, "int8")
        if kind in (0, 1, 2):
            cin, dm = int(_pick(rng, (1, 2, 3, 4, 5, 8, 9, 12, 13, 16))), 1
        elif kind == 3:
            cin, dm = 1, int(_pick(rng, (1, 2, 3, 5, 8)))
        else:
            cin, dm = int(rng.integers(2, 5)), int(rng.integers(2, 4))
        kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if i % 3 == 0 else (1, 1)
        h = int(rng.integers((kh - 1) * dil[0] + 1, 9))
        w = int(rng.integers((kw - 1) * dil[1] + 1, 9))
        bt.add_dw(dtype, int(rng.integers(1, 3)), h, w, cin, dm, (kh, kw),
                  (int(rng.integers(1, 4)), int(rng.integers(1, 4))), dil,
                  "SAME" if rng.random() < 0.5 else "VALID", ACTIVATIONS[i % 4],
                  per_channel=i % 4 != 3, bias=i % 6 != 5)
    return bt


def fc_batch(seed: int, count: int) -> Batch:
    """int8 fully connected (every depth mod 4, odd units), plus fallbacks."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kind = i % 8
        dtype = {6: "int16", 7: "float32"}.get(kind, "int8")
        bt.add_fc(dtype, int(rng.integers(1, 4)), int(rng.integers(1, 70)),
                  int(rng.integers(1, 10)), ACTIVATIONS[i % 4], per_channel=i % 2 == 1,
                  wzp=int(rng.integers(1, 6)) if kind == 5 else 0, bias=i % 5 != 4)
    return bt


def pool_batch(seed: int, count: int) -> Batch:
    """int8 average / max pooling (channels with and without a tail of 4, padding that
    clips windows), a window of more than 256 taps (average: reference path), plus
    int16 and float32 fallbacks."""
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        op = "AVERAGE_POOL_2D" if i % 2 == 0 else "MAX_POOL_2D"
        dtype = {5: "int16", 7: "float32"}.get(i % 8, "int8")
        if i % 8 == 6:  # a global pool over 17 x 16 taps
            bt.add_pool(op, "int8", 1, 17, 16, 5, (17, 16), (1, 1), "VALID", "NONE")
            continue
        fh, fw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        bt.add_pool(op, dtype, int(rng.integers(1, 3)), int(rng.integers(fh, 10)),
                    int(rng.integers(fw, 10)), int(_pick(rng, (1, 3, 4, 5, 8, 9, 16))),
                    (fh, fw), (int(rng.integers(1, 4)), int(rng.integers(1, 4))),
                    "SAME" if rng.random() < 0.5 else "VALID", ACTIVATIONS[i % 4])
    return bt


BATCHES: dict[str, Callable[[int, int], Batch]] = {
    "conv": conv_batch, "dw": dw_batch, "fc": fc_batch, "pool": pool_batch,
}
