"""Random single-op cases aimed at the arm-mve kernels' own paths (kernels/mve/).

Built with the arm-dsp suite's Batch (cases.py): many independent ops per model,
every output compared with TFLite (BUILTIN_REF) by the engine. Covered here:
- CONV_2D: pointwise 1x1 with stride 1 (one matrix) and stride > 1 (row by
  row, no im2col), windows whose filter rows are whole vectors (the implicit
  GEMM on the input, im2col only at the borders), im2col patches with padding /
  dilation and large single-channel windows (micro_speech's 10x8), accumulation
  depths with every remainder mod 16 (the DLSTP tail), output channels not a
  multiple of 4 (the predicated group), odd pixel counts (the single-pixel block);
- DEPTHWISE_CONV_2D: one input channel with any multiplier (the transposed-filter
  matrix path), multiplier 1 with 3x3 windows (the folded-offset row path:
  interior columns, borders, strides 1-3, tiny images where no window is inside,
  channel tails mod 4), other windows, and multiplier > 1 with several channels;
- FULLY_CONNECTED: depths 1..300, units with every remainder mod 4, batches;
- pooling: channel tails mod 8 (average) and mod 16 (max), windows up to 256 taps
  (average's int16 sums at their limit: 16x16 of -128), borders, strides;
- ADD / MUL: equal shapes with every element count mod 4, one side a single element
  (an input or a constant), and per-channel broadcasts (the reference fallback),
  scales from equal to 100x apart (left and right rescale shifts), activations.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .cases import ACTIVATIONS, Batch, _pick


def conv_batch(seed: int, count: int) -> Batch:
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kind = i % 6
        act = ACTIVATIONS[i % 4]
        cin = int(rng.integers(1, 70))
        cout = int(_pick(rng, (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 16, 17)))
        if kind == 5:  # filter rows of whole vectors: the implicit GEMM (no im2col)
            kh, kw = int(rng.integers(1, 4)), int(_pick(rng, (1, 2, 3)))
            cin = int(_pick(rng, (16, 32))) if kw != 2 else int(_pick(rng, (8, 16, 24)))
            dil_h = int(rng.integers(1, 3))
            h = int(rng.integers((kh - 1) * dil_h + 1, 9))
            bt.add_conv("int8", int(rng.integers(1, 3)), h, int(rng.integers(kw, 9)), cin, cout,
                        (kh, kw),
                        (int(rng.integers(1, 3)), int(rng.integers(1, 3))), (dil_h, 1),
                        "SAME" if rng.random() < 0.6 else "VALID", act, per_channel=i % 4 != 3)
            continue
        if kind in (0, 1):  # pointwise, stride 1 or strided
            s = (1, 1) if kind == 0 else (int(rng.integers(1, 4)), int(rng.integers(2, 4)))
            bt.add_conv("int8", int(rng.integers(1, 3)), int(rng.integers(1, 8)),
                        int(rng.integers(1, 8)), cin, cout, (1, 1), s, (1, 1),
                        "SAME" if rng.random() < 0.5 else "VALID", act, per_channel=i % 3 != 2)
        elif kind == 2:  # a large single-channel window
            kh, kw = int(rng.integers(4, 11)), int(rng.integers(4, 9))
            bt.add_conv("int8", 1, int(rng.integers(kh, 16)), int(rng.integers(kw, 14)), 1,
                        cout, (kh, kw), (int(rng.integers(1, 3)), int(rng.integers(1, 3))),
                        (1, 1), "SAME" if rng.random() < 0.7 else "VALID", act,
                        per_channel=True)
        else:  # im2col with padding, strides, dilations
            kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
            dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3))) if kind == 4 else (1, 1)
            cin = int(rng.integers(1, 24))
            bt.add_conv("int8", int(rng.integers(1, 3)),
                        int(rng.integers((kh - 1) * dil[0] + 1, 9)),
                        int(rng.integers((kw - 1) * dil[1] + 1, 9)), cin, cout, (kh, kw),
                        (int(rng.integers(1, 3)), int(rng.integers(1, 3))), dil,
                        "SAME" if rng.random() < 0.5 else "VALID", act,
                        per_channel=i % 3 != 2)
    return bt


def dw_batch(seed: int, count: int) -> Batch:
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        kind = i % 4
        act = ACTIVATIONS[i % 4]
        pad = "SAME" if rng.random() < 0.6 else "VALID"
        if kind == 0:  # one input channel, any multiplier
            kh, kw = int(rng.integers(1, 11)), int(rng.integers(1, 9))
            cin, dm = 1, int(_pick(rng, (1, 2, 3, 4, 5, 8, 16)))
            dil = (1, 1)
        elif kind in (1, 2):  # multiplier 1, 3x3
            kh = kw = 3
            cin, dm = int(_pick(rng, (2, 3, 4, 5, 7, 8, 12, 16, 19, 32, 33))), 1
            dil = (1, 1)
        else:  # other windows / multipliers / dilations
            kh, kw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
            cin, dm = int(rng.integers(2, 20)), int(_pick(rng, (1, 1, 2, 3)))
            dil = (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
        h = int(rng.integers((kh - 1) * dil[0] + 1, 12))
        w = int(rng.integers((kw - 1) * dil[1] + 1, 12))
        bt.add_dw("int8", int(rng.integers(1, 3)), h, w, cin, dm, (kh, kw),
                  (int(rng.integers(1, 4)), int(rng.integers(1, 4))), dil, pad, act,
                  per_channel=i % 5 != 4, bias=i % 6 != 5)
    return bt


def fc_batch(seed: int, count: int) -> Batch:
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        bt.add_fc("int8", int(rng.integers(1, 4)), int(rng.integers(1, 300)),
                  int(rng.integers(1, 14)), ACTIVATIONS[i % 4], per_channel=i % 2 == 1,
                  bias=i % 5 != 4)
    return bt


def pool_batch(seed: int, count: int) -> Batch:
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        op = "AVERAGE_POOL_2D" if i % 2 == 0 else "MAX_POOL_2D"
        ch = int(rng.integers(1, 40))
        if i % 10 == 0:  # a global 16x16 window: 256 taps, the int16 sums' limit
            bt.add_pool(op, "int8", 1, 16, 16, ch, (16, 16), (1, 1), "VALID", "NONE")
            continue
        fh, fw = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        bt.add_pool(op, "int8", int(rng.integers(1, 3)), int(rng.integers(fh, 12)),
                    int(rng.integers(fw, 12)), ch, (fh, fw),
                    (int(rng.integers(1, 4)), int(rng.integers(1, 4))),
                    "SAME" if rng.random() < 0.5 else "VALID", ACTIVATIONS[i % 4])
    return bt


def _binary(bt: Batch, op: str, shape1: list[int], shape2: list[int], act: str,
            const2: bool) -> None:
    tag = f"e{bt.count}_"
    rng = bt.rng
    scale = float(rng.uniform(0.005, 0.05))
    x1 = bt._act(tag + "a", shape1, "int8", scale)
    ratio = float(_pick(rng, (1.0, 1.0, 0.5, 2.0, 0.01, 100.0, float(rng.uniform(0.2, 5)))))
    if const2:
        x2 = bt.b.tensor(tag + "b", shape2, "int8", scale=scale * ratio,
                         zero_point=int(rng.integers(-128, 128)),
                         data=rng.integers(-128, 128, size=shape2).astype(np.int8))
    else:
        x2 = bt._act(tag + "b", shape2, "int8", scale * ratio)
    out_scale = scale * (1 + ratio) * float(rng.uniform(0.5, 2.0)) if op == "ADD" else (
        scale * scale * ratio * float(rng.uniform(30, 300)))
    y = bt._act(tag + "y", [max(a, b) for a, b in zip(shape1, shape2, strict=True)], "int8",
                out_scale)
    bt.b.op(op, [x1, x2], [y], version=2, fused_activation_function=act)
    bt.inputs.append(x1)
    if not const2:
        bt.inputs.append(x2)
    bt.outputs.append(y)
    bt.count += 1


def binary_batch(seed: int, count: int) -> Batch:
    bt = Batch(seed)
    rng = bt.rng
    for i in range(count):
        op = "ADD" if i % 2 == 0 else "MUL"
        shape = [int(rng.integers(1, 3)), int(rng.integers(1, 6)), int(rng.integers(1, 6)),
                 int(rng.integers(1, 20))]
        kind = i % 6
        if kind in (0, 1, 2):
            other = list(shape)
        elif kind in (3, 4):
            other = [1, 1, 1, 1]
        else:
            other = [1, 1, 1, shape[3]]
        if i % 12 == 7:  # the single element first
            _binary(bt, op, other if kind != 5 else [1, 1, 1, 1], shape, ACTIVATIONS[i % 3], False)
            continue
        _binary(bt, op, shape, other, ACTIVATIONS[i % 3], const2=kind == 4)
    return bt


BATCHES: dict[str, Callable[[int, int], Batch]] = {
    "conv": conv_batch, "dw": dw_batch, "fc": fc_batch, "pool": pool_batch,
    "binary": binary_batch,
}
