"""Real TFLM models on the host runner, bit-exact with TFLite's reference kernels."""

from __future__ import annotations

import numpy as np
import pytest

from tests.models.shared import (
    SHARED_MODELS,
    load,
    person_input,
    shared_models_dir,
    speech_features,
)
from tests.ops.harness import check_model
from tfm_ci.oracle import run_reference

SEEDS = (0, 1, 2)
SPEECH_LABELS = ("silence", "unknown", "yes", "no")

pytestmark = pytest.mark.skipif(
    not shared_models_dir().is_dir(),
    reason=f"shared models not found at {shared_models_dir()} (set TFM_SHARED_MODELS)",
)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("relative", SHARED_MODELS)
def test_random_inputs_match_tflite(host_runner, relative: str, seed: int) -> None:
    check_model(load(relative), seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("relative", SHARED_MODELS)
def test_under_sanitizers(asan_runner, relative: str) -> None:
    """ASan/UBSan runner: no memory or undefined-behaviour error on a real model."""
    check_model(load(relative), seed=7, runner=asan_runner)


@pytest.mark.parametrize(("image", "expected"), [("person", 1), ("no_person", 0)])
def test_person_detect_on_test_images(host_runner, image: str, expected: int) -> None:
    model = load("person_detection/person_detect.tflite")
    x = person_input(image)
    # TFLite itself must classify the image as TFLM's example says (0 = no person,
    # 1 = person): this guards the input conversion, then we must match TFLite exactly.
    (scores,), = run_reference(model, [x])
    assert int(np.argmax(scores)) == expected, scores
    check_model(model, [x])


@pytest.mark.parametrize("clip", ["yes", "no"])
def test_micro_speech_on_test_clips(host_runner, clip: str) -> None:
    model = load("micro_speech/micro_speech_quantized.tflite")
    x = speech_features(clip)
    (scores,), = run_reference(model, [x])
    assert SPEECH_LABELS[int(np.argmax(scores))] == clip, scores
    check_model(model, [x])


def test_hello_world_int8_over_its_whole_input_range(host_runner) -> None:
    """Every int8 input (256 invocations in one runner process): rare rounding cases."""
    grid = np.arange(-128, 128, dtype=np.int8).reshape(256, 1, 1)
    check_model(load("hello_world/hello_world_int8.tflite"), [grid], invocations=256)


@pytest.mark.parametrize("relative", ["hello_world/hello_world_int8.tflite"])
def test_every_int8_input_value(host_runner, relative: str) -> None:
    """All 256 inputs of a 1-input int8 model in one sequence: catches rare
    rounding differences (LiteRT's FULLY_CONNECTED rounds once, not twice:
    input 78 of hello_world_int8 differs by 3 LSB under double rounding)."""
    every_value = np.arange(-128, 128, dtype=np.int8).reshape(256, 1, 1)
    check_model(load(relative), inputs=[every_value], invocations=256)
