"""tfm_ci.demo.network's branches: layers that name their inputs, residual ADDs, and the
errors for inputs that cannot work."""

from __future__ import annotations

import numpy as np
import pytest

from tfm_ci.demo.network import Layer, build_float, build_int8, calibrate
from tfm_ci.oracle import op_names, run_reference

SHAPE = (1, 6, 6, 2)


def _residual() -> list[Layer]:
    rng = np.random.default_rng(3)
    w = rng.normal(0.0, 0.3, (2, 3, 3, 2)).astype(np.float32)
    b = np.zeros(2, np.float32)
    return [Layer("conv", w, b, activation="RELU"),               # 0: reads the input
            Layer("conv", w * 0.5, b),                            # 1: reads layer 0
            Layer("add", activation="RELU", inputs=(-1, 1))]      # input + branch


def test_float_residual_add_computes_input_plus_branch() -> None:
    layers = _residual()
    model = build_float(layers, SHAPE, description="residual", expose_all=True)
    assert op_names(model) == ["CONV_2D", "CONV_2D", "ADD"]
    x = np.random.default_rng(0).uniform(-1, 1, SHAPE).astype(np.float32)
    (outs,) = run_reference(model, [x])
    np.testing.assert_allclose(outs[2], np.maximum(x + outs[1], 0.0), rtol=1e-6, atol=1e-6)


def test_int8_residual_runs_bit_exact_on_host(host_runner) -> None:
    from tests.ops.harness import check_model

    layers = _residual()
    samples = [np.random.default_rng(s).uniform(-1, 1, SHAPE).astype(np.float32)
               for s in range(4)]
    model = build_int8(layers, SHAPE, description="residual int8", input_range=(-1.0, 1.0),
                       ranges=calibrate(layers, SHAPE, samples))
    check_model(model, seed=1)


@pytest.mark.parametrize(("layer", "match"), [
    (Layer("add", inputs=(0,)), r"layer 1 \(add\) reads \(0,\): needs 2"),
    (Layer("add", inputs=(0, 1)), r"needs 2 earlier layer"),        # itself
    (Layer("softmax", inputs=(-2,)), r"layer 1 \(softmax\) reads \(-2,\)"),
])
def test_bad_inputs_named(layer: Layer, match: str) -> None:
    layers = [Layer("reshape", shape=(1, 72)), layer]
    with pytest.raises(ValueError, match=match):
        build_float(layers, SHAPE, description="bad")


def test_add_of_different_shapes_refused() -> None:
    layers = [Layer("reshape", shape=(1, 72)), Layer("add", inputs=(-1, 0))]
    with pytest.raises(ValueError, match=r"layer 1 \(add\): input shapes differ"):
        build_float(layers, SHAPE, description="bad")
