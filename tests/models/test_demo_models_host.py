"""Our demo models on the host runner, bit-exact (int8) / within 1e-5 (float) vs TFLite."""

from __future__ import annotations

import numpy as np
import pytest

from tests.ops.harness import check_model
from tfm_ci import demo_models
from tfm_ci.oracle import input_specs


@pytest.mark.parametrize("seed", (0, 1))
@pytest.mark.parametrize("name", demo_models.DEMO_MODELS)
def test_demo_model_matches_tflite(host_runner, name: str, seed: int) -> None:
    check_model(demo_models.build(name), seed=seed)


def test_sine_over_its_whole_input_range(host_runner) -> None:
    model = demo_models.build("sine")
    assert input_specs(model)[0].shape == (1, 1)
    grid = np.arange(-128, 128, dtype=np.int8).reshape(256, 1, 1)
    check_model(model, [grid], invocations=256)
