"""Offline preparation: per-operator records a kernel set's prepare would compute,
precomputed at build time and linked into flash beside the (unchanged) model.

The firmware build knows the model, so for a kernel set that asks for it
(``KernelSet.offline_prep``) it generates one C source holding a
``tfm_offline_table`` (firmware/include/tfm/kernel.h, docs/firmware.md): the
model's size and hash (:func:`model_hash`, checked by the firmware on the first
lookup: a table made for other bytes is refused with an error naming both) and
records keyed by (subgraph, operator index, kind).

Records made here, for FULLY_CONNECTED with int8 input and constant symmetric int8
weights: ``FC_S8`` (units, channels, the folded start values
``bias[u] + input_offset * sum_j w[u][j]`` (int32, modulo 2^32 as the firmware's
wrapping sums) and TFLite's QuantizeMultiplier multiplier/shift per channel) and,
with >= 4 units, ``W4_S8`` (a copy of the weights interleaved for 4-unit tiles);
for float32 FULLY_CONNECTED, CONV_2D (groups 1) and DEPTHWISE_CONV_2D with constant
finite weights,
``F32_BFP`` (the weight rows in block floating point, :func:`bfp_rows`); for CONV_2D /
DEPTHWISE_CONV_2D with int8 filters, ``CONV_S8`` (per output channel multiplier and
shift, used by the shared prepare when built with -DTFM_OFFLINE_PREP=1). Multipliers are
computed with the same float/double steps as the firmware's prepare
(:func:`quantize_multiplier`; tests/kernels_opt/test_offline_prep.py checks it
against the compiled C over many scales).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import tflite

from tfm_ci.inspect import ModelInfo, TensorInfo, read_model

KIND_FC_S8 = 1
KIND_CONV_S8 = 2
KIND_W4_S8 = 3
KIND_F32_BFP = 4
BFP_MAX_DEPTH = 32768               # kernels/opt/opt_float.h OPT_BFP_MAX_DEPTH
#: Records that copy weights for speed only (the build leaves them out when the image
#: would exceed the board's flash budget); the others are per-channel and small.
SPEED_KINDS = frozenset({KIND_W4_S8, KIND_F32_BFP,
                         0x44530001, 0x44530002})   # offline_prep_dsp's CONV_W16(_STRIP)
MAGIC = 0x504D4654
VERSION = 1
_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619


@dataclass(frozen=True)
class Record:
    subgraph: int
    op: int
    kind: int
    words: tuple[int, ...]          # int32 values (int8 for W4_S8)

    @property
    def ctype(self) -> str:
        return "int8_t" if self.kind == KIND_W4_S8 else "int32_t"

    @property
    def size(self) -> int:
        return (1 if self.kind == KIND_W4_S8 else 4) * len(self.words)


@dataclass(frozen=True)
class Table:
    model_size: int
    model_hash: int
    records: tuple[Record, ...]

    @property
    def flash_bytes(self) -> int:
        """Bytes of the table on a 32-bit target: header (24), entries (16 each), record
        data (each padded to 4). It replaces the runtime's empty 24-byte default."""
        return 24 + sum(16 + (r.size + 3) // 4 * 4 for r in self.records)


#: firmware/runtime/offline.c: words hashed in full at a model's start and end, and
#: sampled between them, when the model has more than HASH_FULL words.
HASH_HEAD = 256
HASH_TAIL = 256
HASH_SAMPLES = 2048
HASH_FULL = HASH_HEAD + HASH_TAIL + 2 * HASH_SAMPLES


def model_hash(data: bytes) -> int:
    """FNV-1a over little-endian 32-bit words (a last partial word zero-padded), seeded
    with the size: firmware/runtime/offline.c's tfm_offline_hash. A model of up to
    :data:`HASH_FULL` words (18 KiB) is hashed in every word; a larger one in its first
    :data:`HASH_HEAD` and last :data:`HASH_TAIL` words and :data:`HASH_SAMPLES` words
    evenly spaced between them (word ``HASH_HEAD + i * stride``), so the firmware's
    check costs about 12 K instructions at init whatever the model's size (it was 4 per
    model word).

    The table is refused for a model of another size, for any change to its first or
    last KiB (the file identifier and the Model root table open it) and for
    any change reaching a sampled word: another model of the same size, or the same
    architecture retrained or re-quantized (its weights change nearly everywhere, and
    any ``stride`` consecutive words hold a sample). It is not refused for an edit
    confined to unsampled words between the two ends, e.g. a single weight changed: a
    changed word is seen with probability 1 / stride (about 1 / 33 on a 275 KB model)."""
    size = len(data)
    words = np.frombuffer(data[: size - size % 4], dtype="<u4")
    if size % 4:
        words = np.append(words, np.uint32(int.from_bytes(data[size - size % 4:], "little")))
    n = len(words)
    if n > HASH_FULL:
        stride = (n - HASH_HEAD - HASH_TAIL) // HASH_SAMPLES
        i = np.arange(HASH_SAMPLES)
        picks = HASH_HEAD + i * stride
        words = np.concatenate([words[:HASH_HEAD], words[picks], words[n - HASH_TAIL:]])
    h = (_FNV_OFFSET ^ size) & 0xFFFFFFFF
    for w in words.tolist():
        h = ((h ^ w) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplier as firmware/kernels/internal/quant.c computes it:
    (Q31 multiplier, shift), rounding q * 2^31 half away from zero."""
    if real == 0.0:
        return 0, 0
    if not math.isfinite(real):                      # exponent field all ones: clamped
        return (1 << 31) - 1, 30
    q, shift = math.frexp(real)
    if abs(real) < 2.2250738585072014e-308:          # subnormal: flushed to zero
        return 0, 0
    mantissa = int(abs(q) * (1 << 53))               # exact: 53-bit significand
    q_fixed = (mantissa + (1 << 21)) >> 22
    if q < 0:
        q_fixed = -q_fixed
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if shift > 30:
        return (1 << 31) - 1, 30
    return q_fixed, shift


def _i32(v: int) -> int:
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def _buffer(model: tflite.Model, sg: int, tensor: int, dtype: str) -> np.ndarray | None:
    t = model.Subgraphs(sg).Tensors(tensor)
    buf = model.Buffers(t.Buffer())
    if buf is None or buf.DataLength() == 0:
        return None                   # no inline data (absent, or >2 GiB offset form)
    return buf.DataAsNumpy().view(dtype)


def bfp_rows(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Block floating point of float32 rows [units, depth] as kernels/opt/opt_float.c's
    opt_bfp_exponent / opt_bfp_convert: (largest biased exponent per row, at least 1;
    int32 mantissas w * 2^(150 - e) rounded half away from zero); None when a value is
    infinite or NaN."""
    u = np.ascontiguousarray(weights, dtype="<f4").view("<u4").astype(np.int64)
    e = (u >> 23) & 0xFF
    if (e == 0xFF).any():
        return None
    emax = np.maximum(e.max(axis=1), 1)
    m = np.where(e > 0, (u & 0x7FFFFF) | 0x800000, u & 0x7FFFFF)
    sh = emax[:, None] - np.maximum(e, 1)
    half = np.where(sh > 0, np.left_shift(1, np.clip(sh - 1, 0, 62)), 0)
    a = np.where(sh < 26, (m + half) >> np.clip(sh, 0, 62), 0)
    return emax.astype(np.int32), np.where(u >> 31 == 1, -a, a).astype(np.int32)


def _bfp_record(sg: int, op_index: int, rows: np.ndarray) -> Record | None:
    """F32_BFP of float32 rows [units, depth]: units, depth, then per row its exponent
    and mantissas; None when a weight is not finite."""
    bfp = bfp_rows(rows)
    if bfp is None:
        return None
    emax, mant = bfp
    body = np.concatenate([emax[:, None], mant], axis=1).reshape(-1)
    return Record(sg, op_index, KIND_F32_BFP, (*rows.shape, *(int(v) for v in body)))


def _fc_float_record(model: tflite.Model, info: ModelInfo, sg: int,
                     op_index: int) -> Record | None:
    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    if len(op.inputs) < 2 or min(op.inputs[:2]) < 0:
        return None
    x, w = tensors[op.inputs[0]], tensors[op.inputs[1]]
    if (x.dtype, w.dtype) != ("FLOAT32", "FLOAT32") or len(w.shape) != 2 or not w.constant:
        return None
    units, depth = w.shape
    weights = _buffer(model, sg, op.inputs[1], "<f4")
    if weights is None or weights.size != units * depth or depth > BFP_MAX_DEPTH:
        return None
    return _bfp_record(sg, op_index, weights.reshape(units, depth))


def _conv_float_record(model: tflite.Model, info: ModelInfo, sg: int,
                       op_index: int) -> Record | None:
    """F32_BFP of a float32 CONV_2D's filter (groups 1: rows of fh * fw * in_d) or
    DEPTHWISE_CONV_2D's ([1, fh, fw, out_d]: per output channel its fh * fw taps)."""
    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    if len(op.inputs) < 2 or min(op.inputs[:2]) < 0:
        return None
    x, f = tensors[op.inputs[0]], tensors[op.inputs[1]]
    if (x.dtype, f.dtype) != ("FLOAT32", "FLOAT32") or len(f.shape) != 4 or \
            len(x.shape) != 4 or not f.constant:
        return None
    weights = _buffer(model, sg, op.inputs[1], "<f4")
    if weights is None or weights.size != int(np.prod(f.shape)):
        return None
    if op.name == "DEPTHWISE_CONV_2D":
        out_d, k = f.shape[3], f.shape[1] * f.shape[2]
        rows = weights.reshape(k, out_d).T
    else:
        if x.shape[3] != f.shape[3]:
            return None                   # grouped: the reference kernel
        out_d, k = f.shape[0], f.shape[1] * f.shape[2] * f.shape[3]
        rows = weights.reshape(out_d, k)
    if k > BFP_MAX_DEPTH or f.shape[0] < 1:
        return None
    return _bfp_record(sg, op_index, rows)


def interleave4(weights: np.ndarray) -> np.ndarray:
    """[units, depth] int8 reordered as W4_S8 (tfm/kernel.h): groups of 4 units with
    their weights interleaved per depth step, the last units % 4 rows as they are."""
    units, depth = weights.shape
    n4 = units - units % 4
    groups = weights[:n4].reshape(n4 // 4, 4, depth).transpose(0, 2, 1).reshape(-1)
    return np.concatenate([groups, weights[n4:].reshape(-1)])


def _fc_records(model: tflite.Model, info: ModelInfo, sg: int, op_index: int) -> list[Record]:
    """FC_S8 and W4_S8 of one FULLY_CONNECTED, or none when it is not prepared here."""
    rec = _fc_record(model, info, sg, op_index)
    if rec is None:
        frec = _fc_float_record(model, info, sg, op_index)
        return [frec] if frec is not None else []
    op = info.subgraphs[sg].ops[op_index]
    weights = _buffer(model, sg, op.inputs[1], "int8")
    assert weights is not None           # _fc_record checked it
    units = rec.words[0]
    if units < 4:
        return [rec]
    w4 = interleave4(weights.reshape(units, -1))
    return [rec, Record(sg, op_index, KIND_W4_S8, tuple(int(v) for v in w4))]


def _fc_record(model: tflite.Model, info: ModelInfo, sg: int, op_index: int) -> Record | None:
    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    ins = [i for i in op.inputs]
    if len(ins) < 2 or len(ins) > 3 or min(ins[:2]) < 0 or len(op.outputs) != 1:
        return None
    x, w = tensors[ins[0]], tensors[ins[1]]
    b: TensorInfo | None = tensors[ins[2]] if len(ins) == 3 and ins[2] >= 0 else None
    out = tensors[op.outputs[0]]
    if (x.dtype, w.dtype, out.dtype) != ("INT8", "INT8", "INT8") or len(w.shape) != 2:
        return None
    if not w.constant or (b is not None and (not b.constant or b.dtype != "INT32")):
        return None
    if not x.scale or not w.scale or not out.scale or x.scale[0] <= 0 or out.scale[0] <= 0:
        return None
    units, depth = w.shape
    channels = len(w.scale)
    if channels not in (1, units) or (channels > 1 and w.quantized_dimension != 0):
        return None
    if channels == 1 and w.zero_point and w.zero_point[0] != 0:
        return None                   # asymmetric weights: the reference path, no record
    weights = _buffer(model, sg, ins[1], "int8")
    bias = _buffer(model, sg, ins[2], "<i4") if b is not None else None
    if weights is None or weights.size != units * depth or (
            b is not None and (bias is None or bias.size != units)):
        return None
    offset = -(x.zero_point[0] if x.zero_point else 0)
    sums = weights.reshape(units, depth).astype(np.int64).sum(axis=1)
    start = sums * offset + (bias.astype(np.int64) if bias is not None else 0)
    mult, shift = [], []
    in_s, out_s = np.float32(x.scale[0]), np.float32(out.scale[0])
    for c in range(channels):
        ws = np.float32(w.scale[c])
        # per-tensor: the scale product in float (TFLite's GetQuantizedConvolutionMultipler),
        # per-channel: in double
        real = (float(np.float32(in_s * ws)) / float(out_s) if channels == 1
                else float(in_s) * float(ws) / float(out_s))
        m, s = quantize_multiplier(real)
        mult.append(m)
        shift.append(s)
    words = (units, channels, *(_i32(int(v)) for v in start), *mult, *shift)
    return Record(sg, op_index, KIND_FC_S8, tuple(words))


#: op -> (quantized dimension of the filter's per-channel scales, output channel dim)
_CONV_OPS = {"CONV_2D": (0, 0), "DEPTHWISE_CONV_2D": (3, 3)}


def _conv_record(info: ModelInfo, sg: int, op_index: int) -> Record | None:
    """CONV_S8: the multipliers/shifts tfm_conv_quant_params would compute (in double,
    per-tensor filters repeated per channel), shifts packed as little-endian bytes."""
    op = info.subgraphs[sg].ops[op_index]
    tensors = info.subgraphs[sg].tensors
    if len(op.inputs) < 2 or min(op.inputs[:2]) < 0 or len(op.outputs) != 1:
        return None
    x, f, out = tensors[op.inputs[0]], tensors[op.inputs[1]], tensors[op.outputs[0]]
    if x.dtype not in ("INT8", "INT16") or f.dtype != "INT8" or len(f.shape) != 4:
        return None
    qdim, cdim = _CONV_OPS[op.name]
    channels = f.shape[cdim]
    scales = f.scale
    if (not scales or len(scales) not in (1, channels) or not x.scale or not out.scale
            or x.scale[0] <= 0 or out.scale[0] <= 0 or any(z != 0 for z in f.zero_point)
            or (len(scales) > 1 and f.quantized_dimension != qdim)):
        return None               # the prepare's own checks report these
    mult, shift = [], []
    for c in range(channels):
        real = (float(np.float32(x.scale[0])) * float(np.float32(scales[c if len(scales) > 1
                                                                          else 0]))
                / float(np.float32(out.scale[0])))
        m, s = quantize_multiplier(real)
        mult.append(m)
        shift.append(s & 0xFF)
    shift += [0] * (-channels % 4)
    packed = [_i32(int.from_bytes(bytes(shift[i:i + 4]), "little"))
              for i in range(0, len(shift), 4)]
    return Record(sg, op_index, KIND_CONV_S8, (channels, *mult, *packed))


def make_table(data: bytes, speed: bool = True, float_records: bool = True,
               kernel_set: str = "") -> Table:
    """The offline records of every operator this module knows how to prepare
    (without the weight copies of :data:`SPEED_KINDS` when `speed` is False, and
    without ``F32_BFP`` when `float_records` is False: a core with an FPU, where the
    firmware does not use block floating point, opt_float.h). For kernel set arm-dsp,
    the shared kinds its kernels read plus :mod:`tfm_ci.offline_prep_dsp`'s."""
    info = read_model(data)
    model = tflite.Model.GetRootAsModel(data, 0)
    records = []
    for sg in info.subgraphs:
        for op in sg.ops:
            if op.name == "FULLY_CONNECTED" and not op.custom:
                records += _fc_records(model, info, sg.index, op.index)
            elif op.name in _CONV_OPS and not op.custom:
                rec = _conv_record(info, sg.index, op.index)
                if rec is None:
                    rec = _conv_float_record(model, info, sg.index, op.index)
                if rec is not None:
                    records.append(rec)
    from tfm_ci import offline_prep_dsp  # here: it imports this module's types
    if offline_prep_dsp.wants(kernel_set):
        records = [r for r in records if r.kind in offline_prep_dsp.SHARED_KINDS]
        records += [Record(*r) for r in offline_prep_dsp.records(model, info)]
    if not speed:
        records = [r for r in records if r.kind not in SPEED_KINDS]
    if not float_records:
        records = [r for r in records if r.kind != KIND_F32_BFP]
    records.sort(key=lambda r: (r.subgraph, r.op, r.kind))
    return Table(len(data), model_hash(data), tuple(records))


def has_float_unit(isa_features: tuple[str, ...] | list[str]) -> bool:
    """Whether a board's ISA features include a single-precision FPU (Arm `fpv*`,
    RISC-V `f`/`d`): the firmware's `OPT_BFP_ENABLED` is 0 there (opt_float.h)."""
    return any(f.startswith("fpv") or f in ("f", "d") for f in isa_features)


def generate_c(table: Table, label: str = "") -> str:
    """The C source defining ``tfm_offline_prep`` (read-only: .rodata, flash)."""
    lines = ["/* Generated by tfm_ci.offline_prep: offline prep records for the model"
             f"{' ' + label if label else ''}",
             f" * ({table.model_size} B, hash 0x{table.model_hash:08x}). Do not edit. */",
             '#include "tfm/kernel.h"', ""]
    for r in table.records:
        values = ", ".join(f"{v}" if v != -(1 << 31) else "(-2147483647 - 1)"
                           for v in r.words)
        lines.append(f"static const {r.ctype} rec_{r.subgraph}_{r.op}_{r.kind}[] = "
                     f"{{{values}}};")
    lines.append("")
    lines.append(f"static const tfm_offline_entry entries[{max(1, len(table.records))}] = {{")
    for r in table.records:
        lines.append(f"  {{{r.subgraph}u, {r.op}u, {r.kind}u, {r.size}u, "
                     f"rec_{r.subgraph}_{r.op}_{r.kind}}},")
    if not table.records:
        lines.append("  {0u, 0u, 0u, 0u, 0},")
    lines += ["};", "",
              "const tfm_offline_table tfm_offline_prep = {",
              f"  TFM_OFFLINE_MAGIC, TFM_OFFLINE_VERSION, {table.model_size}u, "
              f"0x{table.model_hash:08x}u, {len(table.records)}u, entries}};", ""]
    return "\n".join(lines)
