"""Demo models: deterministic, loadable by TFLite, and the int8 sine model tracks sin(x)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tfm_ci import demo_models
from tfm_ci.oracle import input_specs, op_names, output_specs, random_inputs, run_reference


@pytest.mark.parametrize("name", demo_models.DEMO_MODELS)
def test_demo_model_runs_in_tflite(name: str) -> None:
    model = demo_models.build(name)
    assert model == demo_models.build(name)  # deterministic bytes
    outs = run_reference(model, random_inputs(model, np.random.default_rng(0)))
    assert [o.shape for o in outs[0]] == [s.shape for s in output_specs(model)]


def test_expected_topologies() -> None:
    assert op_names(demo_models.build("sine")) == ["FULLY_CONNECTED"] * 3
    assert op_names(demo_models.build("kws")) == [
        "DEPTHWISE_CONV_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]
    assert op_names(demo_models.build("tiny_conv")) == [
        "CONV_2D", "AVERAGE_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]
    kws_in = input_specs(demo_models.build("kws"))[0]
    assert (kws_in.shape, kws_in.dtype) == ((1, 49, 40, 1), np.dtype("int8"))


def test_int8_sine_tracks_sin_in_tflite() -> None:
    model = demo_models.build("sine")
    inp, out = input_specs(model)[0], output_specs(model)[0]
    assert inp.dtype == np.int8 and out.dtype == np.int8
    xs = np.linspace(0.0, 2.0 * np.pi, 64)
    errors = []
    for x in xs:
        q = np.clip(np.floor(x / inp.scale + 0.5) + inp.zero_point, -128, 127)
        (y,), = run_reference(model, [q.astype(np.int8).reshape(1, 1)])
        errors.append(abs((int(y.item()) - out.zero_point) * out.scale - np.sin(x)))
    assert float(np.mean(errors)) < 0.1


def test_float_sine_tracks_sin_in_tflite() -> None:
    model = demo_models.build("sine_float")
    xs = np.linspace(0.0, 2.0 * np.pi, 64, dtype=np.float32)
    ys = [run_reference(model, [np.array([[x]], np.float32)])[0][0].item() for x in xs]
    assert float(np.mean(np.abs(np.array(ys) - np.sin(xs)))) < 0.05


def test_kws_softmax_output_is_a_distribution() -> None:
    model = demo_models.build("kws")
    rng = np.random.default_rng(5)
    (y,), = run_reference(model, random_inputs(model, rng))
    probs = (y.astype(np.int32) + 128) / 256.0
    assert abs(float(probs.sum()) - 1.0) < 0.05
    assert len(set(y.ravel().tolist())) > 1  # not degenerate


def test_write_all(tmp_path: Path) -> None:
    paths = demo_models.write_all(tmp_path)
    assert [p.name for p in paths] == [f"{n}.tflite" for n in demo_models.DEMO_MODELS]
    assert all(p.read_bytes()[4:8] == b"TFL3" for p in paths)
    with pytest.raises(ValueError, match="unknown demo model"):
        demo_models.build("nope")
