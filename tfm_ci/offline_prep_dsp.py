"""Offline preparation records of kernel set arm-dsp (tfm_ci/plugins/arm/kernels).

``CONV_W16`` (arm_dsp.h ``DSP_OFFLINE_KIND_CONV_W16``; ``CONV_W16_STRIP`` for layers on
the strip path of 1-3 input channels, dsp_conv_strip.c, with rows in its (fx, fy, c)
order): for an int8 CONV_2D with a constant int8 filter, a constant int32 bias, groups 1,
the whole int8 range as activation range and every channel on the fast rescale
(dsp_rqf.h: multiplier >= 0 and shift in [-23, -2], or multiplier 0), everything the
assembly GEMM dsp_gemm3_w16 reads per output channel, in the order it reads it:
``out_d``, ``kc`` (= fh * fw * in_d rounded up to 4), then per channel its bias, its
filter row as int16 pairs (per group of 4 values w0..w3, zero past the row's end: the
words (w0, w2) and (w1, w3), low half first -- what SXTB16 / SXTB16-ROR8 of the packed
bytes give, so the sums and outputs are unchanged), then dsp_rqf.h's multiplier, final
shift and high nudge (with the output zero point) from TFLite's QuantizeMultiplier as
:func:`tfm_ci.offline_prep.quantize_multiplier` computes it. The firmware checks the
bias and rescale words against its own prepare (a mismatch fails prepare) and looks up
the kind of the path it takes (a record of the other kind is never read). It copies the
weights (2 bytes each) for speed only: one of :data:`tfm_ci.offline_prep.SPEED_KINDS`,
left out when the image would exceed the board's flash budget (the kernel then unpacks
the model's int8 filter as without).
"""

from __future__ import annotations

import numpy as np
import tflite

from tfm_ci.inspect import ModelInfo

KIND_CONV_W16 = 0x44530001
KIND_CONV_W16_STRIP = 0x44530002
STRIP_MAX = 4096                     # dsp_conv.h DSP_STRIP_MAX
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


def _data(model: tflite.Model, sg: int, tensor: int, dtype: str) -> np.ndarray | None:
    t = model.Subgraphs(sg).Tensors(tensor)
    buf = model.Buffers(t.Buffer())
    if buf is None or buf.DataLength() == 0:
        return None
    return buf.DataAsNumpy().view(dtype)


def _i32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def rescale_words(multiplier: int, shift: int, out_zero_point: int) -> tuple[int, int, int] | None:
    """dsp_rqf.h's (multiplier, final shift, high nudge) of a channel, or None when it
    is off the fast rescale (dsp_rqf_ok; a zero multiplier takes shift -2 as
    dsp_rqf_shift: every output is then the zero point)."""
    if multiplier == 0:
        shift = -2
    if multiplier < 0 or not -23 <= shift <= -2:
        return None
    sh = -shift - 1
    return multiplier, sh, _i32((1 << (sh - 1)) + (out_zero_point << sh))


def _options(model: tflite.Model, sg: int, op_index: int) -> tuple[int, int, int]:
    """The CONV_2D's (fused activation, stride_w, dilation_w); defaults without options."""
    table = model.Subgraphs(sg).Operators(op_index).BuiltinOptions()
    if table is None:
        return tflite.ActivationFunctionType.NONE, 1, 1
    opts = tflite.Conv2DOptions()
    opts.Init(table.Bytes, table.Pos)
    return opts.FusedActivationFunction(), opts.StrideW(), opts.DilationWFactor()


def strip_path(out_d: int, fh: int, fw: int, cin: int, out_w: int, stride_w: int,
               dilation_w: int) -> bool:
    """Whether arm-dsp runs the layer on its strip path (dsp_conv_strip_scratch > 0)."""
    if cin > 3 or dilation_w != 1:
        return False
    kc = (fh * fw * cin + 3) & ~3
    strip = (((out_w - 1) * stride_w + fw) * fh * cin + 4 + 3) & ~3
    return (out_d * kc + 3) & ~3 <= STRIP_MAX and strip <= STRIP_MAX


def full_int8_range(activation: int, scale: float, zero_point: int) -> bool:
    """Whether the layer's quantized activation range is surely all of int8 (the only
    case dsp_gemm3_w16 runs; the firmware's own check decides, this only spares the
    flash of records it would not read). Borderline float roundings count as narrow."""
    act = tflite.ActivationFunctionType
    if activation == act.NONE:
        return True
    if scale <= 0:
        return False
    if activation == act.RELU:
        return zero_point <= -128
    # q(v) = zero_point + round(v / scale) must reach the int8 ends: -128 <= q(0) (RELU,
    # RELU6), q(6) >= 127 (RELU6), q(-1) <= -128 and q(1) >= 127 (RELU_N1_TO_1)
    if activation == act.RELU6:
        return zero_point <= -128 and zero_point + 6.0 / scale >= 126.5 + 1e-3
    if activation == act.RELU_N1_TO_1:
        return zero_point - 1.0 / scale <= -127.5 - 1e-3 and \
            zero_point + 1.0 / scale >= 126.5 + 1e-3
    return True                       # other values: the firmware decides


def conv_w16_record(model: tflite.Model, info: ModelInfo, sg: int,
                    op_index: int) -> tuple[int, tuple[int, ...]] | None:
    """(kind, words) of the operator's CONV_W16 (or, on the strip path, CONV_W16_STRIP:
    rows in the strip's (fx, fy, c) order), or None when arm-dsp would not use one."""
    from tfm_ci.offline_prep import _conv_record  # the same multipliers as CONV_S8

    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    if op.name != "CONV_2D" or op.custom or len(op.inputs) != 3 or min(op.inputs) < 0:
        return None
    x, f, b = (tensors[i] for i in op.inputs)
    out = tensors[op.outputs[0]]
    if x.dtype != "INT8" or f.dtype != "INT8" or out.dtype != "INT8" or not f.constant or \
            not b.constant or b.dtype != "INT32" or len(f.shape) != 4 or len(x.shape) != 4:
        return None
    out_d, fh, fw, cin = f.shape
    if x.shape[3] != cin or min(f.shape) < 1 or len(out.shape) != 4:
        return None                   # grouped: the reference kernel
    zp = out.zero_point[0] if out.zero_point else 0
    activation, stride_w, dilation_w = _options(model, sg, op_index)
    if not full_int8_range(activation, out.scale[0] if out.scale else 0.0, zp):
        return None                   # a narrower range: the int8 dsp_matb path
    strip = strip_path(out_d, fh, fw, cin, out.shape[2], stride_w, dilation_w)
    k = fh * fw * cin
    weights = _data(model, sg, op.inputs[1], "int8")
    bias = _data(model, sg, op.inputs[2], "<i4")
    quant = _conv_record(info, sg, op_index)
    if weights is None or weights.size != out_d * k or bias is None or bias.size != out_d \
            or quant is None or quant.words[0] != out_d:
        return None
    mult = quant.words[1:1 + out_d]
    packed = b"".join((w & 0xFFFFFFFF).to_bytes(4, "little") for w in quant.words[1 + out_d:])
    shifts = np.frombuffer(packed, dtype=np.int8)[:out_d]
    rescale = [rescale_words(int(m), int(s), int(zp)) for m, s in zip(mult, shifts, strict=True)]
    if any(r is None for r in rescale):
        return None                   # some channel off the fast rescale: the int8 path
    kc = (k + 3) & ~3
    filt = weights.reshape(out_d, fh, fw, cin)
    if strip:
        filt = filt.transpose(0, 2, 1, 3)      # (fx, fy, c): the strip's patch order
    rows = w16_words(np.ascontiguousarray(filt).reshape(out_d, k)).reshape(out_d, kc // 2)
    words: list[int] = [out_d, kc]
    for c in range(out_d):
        words += [int(bias[c]), *(int(v) for v in rows[c]), *rescale[c]]  # type: ignore[misc]
    return (KIND_CONV_W16_STRIP if strip else KIND_CONV_W16), tuple(words)


def records(model: tflite.Model, info: ModelInfo) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """(subgraph, op, kind, words) of every arm-dsp record of the model."""
    out = []
    for sg in info.subgraphs:
        for op in sg.ops:
            rec = conv_w16_record(model, info, sg.index, op.index)
            if rec is not None:
                out.append((sg.index, op.index, *rec))
    return out
