"""Small one-op Signal models (tfm_ci.modelgen + FlexBuffer options) for op tests and
the fuzz corpus."""

from __future__ import annotations

from typing import Any

import numpy as np
from flatbuffers import flexbuffers

from tfm_ci.modelgen.builder import ModelBuilder


def options(values: dict[str, Any]) -> bytes:
    """A FlexBuffer map, as TensorFlow writes custom-op attributes (keys sorted)."""
    return bytes(flexbuffers.Dumps(values))


def window_model(frames: int = 2, length: int = 32, shift: int = 12,
                 seed: int = 1, raw_options: bytes | None = None) -> bytes:
    rng = np.random.default_rng(seed)
    b = ModelBuilder()
    x = b.tensor("x", [frames, length], "int16")
    w = b.tensor("w", [length], "int16", data=rng.integers(-32768, 32767, length))
    y = b.tensor("y", [frames, length], "int16")
    b.op("CUSTOM", [x, w], [y], custom_code="SignalWindow",
         custom_options=options({"shift": shift}) if raw_options is None else raw_options)
    b.inputs([x])
    b.outputs([y])
    return b.build()


TYPE_CODES = {"int16": 7, "float32": 0, "int32": 2}


def rfft_model(fft_length: int, input_length: int, frames: int = 1,
               custom_code: str = "SignalRfft", dtype: str = "int16") -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", [frames, input_length], dtype)
    y = b.tensor("y", [frames, fft_length + 2], dtype)
    b.op("CUSTOM", [x], [y], custom_code=custom_code,
         custom_options=options({"T": TYPE_CODES[dtype], "fft_length": fft_length}))
    b.inputs([x])
    b.outputs([y])
    return b.build()


def auto_scale_energy_model(length: int = 66, start: int = 3, end: int = 30) -> bytes:
    """FftAutoScale, then Energy of the scaled values seen as a spectrum."""
    b = ModelBuilder()
    x = b.tensor("x", [length], "int16")
    s = b.tensor("s", [length], "int16")
    bits = b.tensor("bits", [], "int32")
    e = b.tensor("e", [length // 2], "uint32")
    b.op("CUSTOM", [x], [s, bits], custom_code="SignalFftAutoScale",
         custom_options=options({}))
    b.op("CUSTOM", [s], [e], custom_code="SignalEnergy",
         custom_options=options({"end_index": end, "start_index": start}))
    b.inputs([x])
    b.outputs([s, bits])
    return b.build()


def log_model(channels: int = 40, correction_bits: int = 3, scale: int = 64,
              raw_options: bytes | None = None) -> bytes:
    b = ModelBuilder()
    x = b.tensor("x", [channels], "uint32")
    y = b.tensor("y", [channels], "int16")
    b.op("CUSTOM", [x], [y], custom_code="SignalFilterBankLog",
         custom_options=options({"input_correction_bits": correction_bits,
                                 "output_scale": scale}) if raw_options is None else raw_options)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def spectral_pcan_model(channels: int = 8, seed: int = 2) -> bytes:
    """SpectralSubtraction (stateful) feeding PCAN, TFLM's micro_speech parameters."""
    rng = np.random.default_rng(seed)
    lut = np.concatenate([[32767, 32767, 32767],
                          rng.integers(-2000, 32767, 122)]).astype(np.int16)
    b = ModelBuilder()
    x = b.tensor("x", [channels], "uint32")
    sig = b.tensor("sig", [channels], "uint32")
    noise = b.tensor("noise", [channels], "uint32")
    table = b.tensor("lut", [125], "int16", data=lut)
    y = b.tensor("y", [channels], "uint32")
    b.op("CUSTOM", [x], [sig, noise], custom_code="SignalFilterBankSpectralSubtraction",
         custom_options=options({
             "alternate_one_minus_smoothing": 15729, "alternate_smoothing": 655,
             "clamping": False, "min_signal_remaining": 655, "num_channels": channels,
             "one_minus_smoothing": 15729, "smoothing": 655, "smoothing_bits": 10,
             "spectral_subtraction_bits": 14}))
    b.op("CUSTOM", [sig, noise, table], [y], custom_code="SignalPCAN",
         custom_options=options({"snr_shift": 6}))
    b.inputs([x])
    b.outputs([y, noise])
    return b.build()


def fuzz_chain_model(tail: str) -> bytes:
    """FilterBankLog (uint32 [64] -> int16) feeding a Window, Rfft or FftAutoScale +
    Energy chain: a fuzz seed with several option maps. The first op's custom code ends
    the file; "SignalFilterBankLog" needs no padding after it, so every truncation of
    the seed is a broken model (the corpus sweep requires that)."""
    b = ModelBuilder()
    x = b.tensor("x", [64], "uint32")
    h = b.tensor("h", [64], "int16")
    b.op("CUSTOM", [x], [h], custom_code="SignalFilterBankLog",
         custom_options=options({"input_correction_bits": 2, "output_scale": 1600}))
    if tail == "window":
        w = b.tensor("w", [32], "int16", data=np.arange(32) * 900)
        y = b.tensor("y", [64], "int16")
        b.op("CUSTOM", [h, w], [y], custom_code="SignalWindow",
             custom_options=options({"shift": 12}))
        outs = [y]
    elif tail == "framer":
        y = b.tensor("y", [2, 48], "int16")
        v = b.tensor("valid", [], "bool")
        b.op("CUSTOM", [h], [y, v], custom_code="SignalFramer",
             custom_options=options({"frame_size": 48, "frame_step": 32, "prefill": True}))
        outs = [y, v]
    elif tail == "stacker":
        y = b.tensor("y", [192], "int16")
        v = b.tensor("valid", [], "bool")
        b.op("CUSTOM", [h], [y, v], custom_code="SignalStacker",
             custom_options=options({"num_channels": 64, "stacker_left_context": 1,
                                     "stacker_right_context": 1, "stacker_step": 1}))
        outs = [y, v]
    elif tail == "rfft":
        y = b.tensor("y", [130], "int16")
        b.op("CUSTOM", [h], [y], custom_code="SignalRfft",
             custom_options=options({"T": 7, "fft_length": 128}))
        outs = [y]
    else:
        s = b.tensor("s", [64], "int16")
        bits = b.tensor("bits", [], "int32")
        e = b.tensor("e", [32], "uint32")
        b.op("CUSTOM", [h], [s, bits], custom_code="SignalFftAutoScale",
             custom_options=options({}))
        b.op("CUSTOM", [s], [e], custom_code="SignalEnergy",
             custom_options=options({"end_index": 30, "start_index": 2}))
        outs = [s, bits]
    b.inputs([x])
    b.outputs(outs)
    return b.build()


def _one_op(name: str, opts: dict[str, Any], inputs: list[tuple[str, list[int], str]],
            outputs: list[tuple[str, list[int], str]]) -> bytes:
    b = ModelBuilder()
    ins = [b.tensor(n, s, t) for n, s, t in inputs]
    outs = [b.tensor(n, s, t) for n, s, t in outputs]
    b.op("CUSTOM", ins, outs, custom_code=name, custom_options=options(opts))
    b.inputs(ins)
    b.outputs(outs)
    return b.build()


def framer_model(rows: int = 2, inner: int = 64, size: int = 80, step: int = 32,
                 prefill: bool = False) -> bytes:
    frames = inner // step
    return _one_op("SignalFramer", {"frame_size": size, "frame_step": step, "prefill": prefill},
                   [("x", [rows, inner], "int16")],
                   [("y", [rows, frames, size], "int16"), ("valid", [], "bool")])


def stacker_model(channels: int = 10, left: int = 2, right: int = 1, step: int = 2) -> bytes:
    size = channels * (left + right + 1)
    return _one_op("SignalStacker", {"num_channels": channels, "stacker_left_context": left,
                                     "stacker_right_context": right, "stacker_step": step},
                   [("x", [channels], "int16")],
                   [("y", [size], "int16"), ("valid", [], "bool")])


def delay_model(rows: int = 3, frame: int = 20, delay: int = 7) -> bytes:
    return _one_op("SignalDelay", {"delay_length": delay}, [("x", [rows, frame], "int16")],
                   [("y", [rows, frame], "int16")])


def overlap_add_model(dtype: str = "int16", outer: int = 2, frames: int = 3, size: int = 32,
                      step: int = 16) -> bytes:
    code = {"int16": 7, "float32": 0}[dtype]
    return _one_op("SignalOverlapAdd", {"T": code, "frame_step": step},
                   [("x", [outer, frames, size], dtype)],
                   [("y", [outer, frames * step], dtype)])


def irfft_model(fft_length: int, frames: int = 2, extra: int = 0,
                dtype: str = "int16") -> bytes:
    return _one_op("SignalIrfft", {"T": TYPE_CODES[dtype], "fft_length": fft_length},
                   [("x", [frames, fft_length + 2 + 2 * extra], dtype)],
                   [("y", [frames, fft_length], dtype)])
