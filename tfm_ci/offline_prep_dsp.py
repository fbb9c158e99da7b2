"""Offline preparation records of kernel set arm-dsp (tfm_ci/plugins/arm/kernels).

``CONV_W16`` (arm_dsp.h ``DSP_OFFLINE_KIND_CONV_W16``): for an int8 CONV_2D with a
constant int8 filter, groups 1 and more than 3 input channels (those with 1-3 take the
strip path, dsp_conv_strip.c, which reorders the filter itself), the filter as the int16
pairs the assembly GEMM multiplies (dsp_gemm3_w16): ``out_d``, ``kc`` (= fh * fw * in_d
rounded up to 4), then per output channel, per group of 4 values w0..w3 of its row (zero
past the row's end), the words (w0, w2) and (w1, w3), low half first. SXTB16 and
SXTB16-ROR8 of the packed bytes give the same pairs: the sums are unchanged, so outputs
stay bit-exact. It copies the weights (2 bytes each) for speed only: one of
:data:`tfm_ci.offline_prep.SPEED_KINDS`, left out when the image would exceed the
board's flash budget (the kernel then unpacks the model's int8 filter as without).
"""

from __future__ import annotations

import numpy as np
import tflite

from tfm_ci.inspect import ModelInfo

KIND_CONV_W16 = 0x44530001
KERNEL_SET = "arm-dsp"
#: The kinds of :mod:`tfm_ci.offline_prep` arm-dsp's kernels read (the shared conv
#: prepare's multipliers / shifts); its other records would only take flash.
SHARED_KINDS = frozenset({2})        # KIND_CONV_S8


def wants(kernel_set: str) -> bool:
    """Kernel set arm-dsp or a variant built from its sources (``arm-dsp-<tag>``, e.g.
    the tests' arm-dsp-noasm): the sets whose kernels read these records."""
    return kernel_set == KERNEL_SET or kernel_set.startswith(KERNEL_SET + "-")


def w16_words(weights: np.ndarray) -> np.ndarray:
    """int8 filter rows [out_d, k] as CONV_W16's body: int32 words, per row kc / 2 of
    them (pairs (w0, w2), (w1, w3) of each group of 4, low half first)."""
    out_d, k = weights.shape
    kc = (k + 3) & ~3
    rows = np.zeros((out_d, kc), dtype=np.int32)
    rows[:, :k] = weights.astype(np.int32)
    g = rows.reshape(out_d, kc // 4, 4)
    lo = np.stack([g[:, :, 0], g[:, :, 1]], axis=2) & 0xFFFF   # (w0, w1) low halves
    hi = np.stack([g[:, :, 2], g[:, :, 3]], axis=2) & 0xFFFF   # (w2, w3) high halves
    words = (lo | (hi << 16)).astype(np.int64)
    words = np.where(words >= 1 << 31, words - (1 << 32), words)
    return words.reshape(-1).astype(np.int32)


def _filter(model: tflite.Model, sg: int, tensor: int) -> np.ndarray | None:
    t = model.Subgraphs(sg).Tensors(tensor)
    buf = model.Buffers(t.Buffer())
    if buf is None or buf.DataLength() == 0:
        return None
    return buf.DataAsNumpy().view(np.int8)


def conv_w16_record(model: tflite.Model, info: ModelInfo, sg: int,
                    op_index: int) -> tuple[int, ...] | None:
    """CONV_W16's words for one operator, or None when arm-dsp would not use it."""
    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    if op.name != "CONV_2D" or op.custom or len(op.inputs) < 2 or min(op.inputs[:2]) < 0:
        return None
    x, f = tensors[op.inputs[0]], tensors[op.inputs[1]]
    if x.dtype != "INT8" or f.dtype != "INT8" or not f.constant or len(f.shape) != 4 or \
            len(x.shape) != 4:
        return None
    out_d, fh, fw, cin = f.shape
    if x.shape[3] != cin or cin <= 3 or min(f.shape) < 1:
        return None                   # grouped (reference), or the strip path's
    weights = _filter(model, sg, op.inputs[1])
    k = fh * fw * cin
    if weights is None or weights.size != out_d * k:
        return None
    kc = (k + 3) & ~3
    return (out_d, kc, *(int(v) for v in w16_words(weights.reshape(out_d, k))))


def records(model: tflite.Model, info: ModelInfo) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """(subgraph, op, kind, words) of every arm-dsp record of the model."""
    out = []
    for sg in info.subgraphs:
        for op in sg.ops:
            words = conv_w16_record(model, info, sg.index, op.index)
            if words is not None:
                out.append((sg.index, op.index, KIND_CONV_W16, words))
    return out
