"""The two recurrent demo models of tfm_ci/demo/recurrent.py (a keyword-spotting int8 LSTM
and an SVDF stack like TFLM's keyword benchmark) end to end: on the host runner and, through
the engine (tfm_ci.job.run_job: build, simulation, comparison with TFLite's reference
kernels), on every board of the registry with every kernel set the board offers. All of it
bit-exact (int8 outputs), over 2 utterances (LSTM) and a 10-frame stream (SVDF).

benchmarks/recurrent.py prints the instructions per invoke and the arena of these jobs.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from tests.ops.harness import check_model
from tfm_ci.boards import repo_root
from tfm_ci.demo import recurrent
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

FIDELITY_TOL = 0.15  # |int8 softmax - float softmax|: calibration sanity, not bit-exactness


@functools.cache
def _registry() -> Registry:
    return Registry.load()


@functools.cache
def _model(name: str) -> recurrent.RecurrentModel:
    return recurrent.MODELS[name]()


def _board_sets() -> list[tuple[str, str]]:
    reg = _registry()
    return [(name, kset.name) for name, board in sorted(reg.boards.items())
            for kset in reg.kernel_sets(board)]


@pytest.mark.parametrize("name", sorted(recurrent.MODELS))
def test_host_runner_bit_exact(name: str) -> None:
    m = _model(name)
    check_model(m.model, m.inputs, invocations=m.invocations)


def _softmax(v: np.ndarray) -> np.ndarray:
    e = np.exp(v - v.max())
    return e / e.sum()


def test_lstm_follows_the_float_network() -> None:
    """The int8 LSTM's class probabilities stay near the float simulation's."""
    from tfm_ci.oracle import run_reference

    m = recurrent.kws_lstm(invocations=4)
    weights = recurrent._lstm_weights(1100)
    s_x, z_x = recurrent.asymmetric_params(-4.0, 4.0)
    outs = run_reference(m.model, m.inputs, invocations=4)
    for k in range(4):
        x = (m.inputs[0][k, 0].astype(np.float64) - z_x) * s_x
        expected = _softmax(recurrent._lstm_float(weights, x)["logits"])
        got = (outs[k][0][0].astype(np.float64) + 128) / 256
        assert np.abs(got - expected).max() < FIDELITY_TOL, (k, got, expected)


def test_svdf_follows_the_float_network() -> None:
    from tfm_ci.oracle import run_reference

    m = recurrent.svdf_stack(invocations=10)
    layers, fc_w, fc_b = recurrent._svdf_weights(1200)
    s_in, z_in = recurrent.asymmetric_params(-4.0, 4.0)
    frames = (m.inputs[0][:, 0].astype(np.float64) - z_in) * s_in
    logits = recurrent._svdf_float(layers, (fc_w, fc_b), frames)["logits"]
    outs = run_reference(m.model, m.inputs, invocations=10)
    for k in range(10):
        got = (outs[k][0][0].astype(np.float64) + 128) / 256
        assert np.abs(got - _softmax(logits[k])).max() < FIDELITY_TOL, (k, got)


def test_models_are_what_they_say() -> None:
    from tfm_ci.oracle import op_names

    assert op_names(_model("kws_lstm").model) == [
        "UNIDIRECTIONAL_SEQUENCE_LSTM", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"]
    assert op_names(_model("svdf_stack").model) == [
        "SVDF", "SVDF", "SVDF", "FULLY_CONNECTED", "SOFTMAX"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(recurrent.MODELS))
@pytest.mark.parametrize(("board", "kernel_set"), _board_sets(),
                         ids=[f"{b}-{k}" for b, k in _board_sets()])
def test_on_board(name: str, board: str, kernel_set: str, tmp_path: Path) -> None:
    m = _model(name)
    path = tmp_path / f"{name}.tflite"
    path.write_bytes(m.model)
    cache = repo_root() / "build" / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    spec = JobSpec(model=str(path), board=board, kernel_set=kernel_set, inputs=m.inputs,
                   cache_dir=str(cache), timeout=300)
    rec = run_job(spec, _registry())
    assert rec.status is Status.PASS, (rec.reason, rec.errors[-1:])
    assert rec.invocations == m.invocations
    if rec.simulator != "native":  # QEMU counts instructions; the host runner does not
        assert len(rec.instructions.get("invocations", [])) == m.invocations
    assert rec.sizes.get("arena_used", 0) > 0
