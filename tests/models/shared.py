"""The shared real models (/work/shared/models) and inputs derived from their testdata."""

from __future__ import annotations

import functools
import struct
import wave
from pathlib import Path

import numpy as np

from tfm_ci import paths

REPO = Path(__file__).resolve().parents[2]

# Real models run end to end (the audio preprocessors need TFLM's Signal* custom ops).
SHARED_MODELS = (
    "hello_world/hello_world_int8.tflite",
    "hello_world/hello_world_float.tflite",
    "micro_speech/micro_speech_quantized.tflite",
    "person_detection/person_detect.tflite",
)
SPEECH_FRAMES = 49          # 1000 ms clip, 30 ms windows every 20 ms
SPEECH_WINDOW = 480
SPEECH_STRIDE = 320


def shared_models_dir() -> Path:
    """$TFM_SHARED_MODELS, else <repo>/../shared/models (tfm_ci.paths decides)."""
    return paths.shared_models_dir()


def load(relative: str) -> bytes:
    return (shared_models_dir() / relative).read_bytes()


def read_gray_bmp(path: Path) -> np.ndarray:
    """An 8-bit palettised (grayscale) BMP as a uint8 array [height, width], top row first."""
    data = path.read_bytes()
    if data[:2] != b"BM":
        raise ValueError(f"{path}: not a BMP file")
    pixels_at = struct.unpack_from("<I", data, 10)[0]
    header_size, width, height, _, bpp = struct.unpack_from("<IiiHH", data, 14)
    if bpp != 8:
        raise ValueError(f"{path}: {bpp} bits per pixel, expected 8")
    colors = struct.unpack_from("<I", data, 46)[0] or 256
    palette = np.frombuffer(data, np.uint8, colors * 4, 14 + header_size).reshape(colors, 4)
    stride = (width + 3) // 4 * 4
    rows = np.frombuffer(data, np.uint8, stride * abs(height), pixels_at)
    image = palette[rows.reshape(abs(height), stride)[:, :width], 0]   # blue = gray
    return image[::-1] if height > 0 else image                        # bottom-up rows


def person_input(name: str) -> np.ndarray:
    """person_detect's int8 input for testdata/<name>.bmp.

    TFLM's person_detection_test copies the image bytes into the int8 input unchanged
    (memcpy), so the bytes are reinterpreted, not shifted by 128: TFLite only classifies
    both test images correctly that way (with "gray - 128" person.bmp scores no-person).
    """
    image = read_gray_bmp(shared_models_dir() / "person_detection" / "testdata" / f"{name}.bmp")
    return np.ascontiguousarray(image).view(np.int8).reshape(1, 96, 96, 1)


@functools.cache
def speech_features(clip: str) -> np.ndarray:
    """micro_speech's int8 input [1, 1960] for testdata/<clip>_1000ms.wav.

    The audio preprocessor uses TFLM's Signal* custom ops, which TFLite lacks, so it runs
    in TFLM's Python interpreter, frame after frame (it keeps noise-estimate state).
    """
    from tflite_micro import runtime

    base = shared_models_dir() / "micro_speech"
    with wave.open(str(base / "testdata" / f"{clip}_1000ms.wav")) as w:
        audio = np.frombuffer(w.readframes(w.getnframes()), np.int16)
    pre = runtime.Interpreter.from_file(str(base / "audio_preprocessor_int8.tflite"),
                                        arena_size=64 * 1024)
    frames = []
    for i in range(SPEECH_FRAMES):
        pre.set_input(audio[i * SPEECH_STRIDE:i * SPEECH_STRIDE + SPEECH_WINDOW].reshape(1, -1), 0)
        pre.invoke()
        frames.append(pre.get_output(0).copy())
    return np.stack(frames).astype(np.int8).reshape(1, SPEECH_FRAMES * 40)
