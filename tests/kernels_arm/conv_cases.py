"""Generated CONV_2D cases aimed at arm-dsp's conv paths beside the general im2col:
inputs of 1 to 3 channels (dsp_conv_strip.c: the interleaved row strip) with odd sizes,
strides 1-2, SAME / VALID padding, dilated rows, batches of 2, rows of fewer than 3
pixels, the full int8 activation range (the assembly GEMM) and narrower ones (dsp_matb),
some channels off the fast rescale; and MobileNet-like 1x1 layers of every depth % 4."""

from __future__ import annotations

from .cases import ACTIVATIONS, _pick
from .test_arm_dsp_fast import ExtremeBatch


def strip_batch(seed: int, count: int) -> ExtremeBatch:
    bt = ExtremeBatch(seed, extreme=False)
    rng = bt.rng
    for i in range(count):
        bt.extreme = i % 5 == 4
        cin = (1, 2, 3)[i % 3]
        kh, kw = (_pick(rng, ((3, 3), (3, 3), (1, 3), (5, 2), (10, 4), (2, 1))))
        dil_h = 2 if i % 7 == 3 else 1
        s = (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
        h = int(rng.integers((kh - 1) * dil_h + 1, (kh - 1) * dil_h + 8))
        w = int(rng.integers(kw, 14))
        if i % 6 == 5:
            w = kw + int(rng.integers(0, 2))       # rows of 1-2 output pixels (VALID)
        cout = int(_pick(rng, (1, 3, 4, 8, 11, 16)))
        act = "NONE" if i % 4 != 3 else ACTIVATIONS[1 + (i // 4) % 3]
        bt.add_conv("int8", 1 + (i % 8 == 0), h, w, cin, cout, (kh, kw), s, (dil_h, 1),
                    "SAME" if i % 2 else "VALID", act, per_channel=i % 3 != 2)
    return bt
