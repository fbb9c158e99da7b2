"""Engine wiring of the Signal ops: kernel coverage by custom name, generated resolver,
selective linking, and the verify step's choice of the TFLM oracle."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tests.signal.audio import preprocessor
from tests.signal.models import options, window_model
from tfm_ci.build import build, generate_ops_c, model_ops
from tfm_ci.custom_ops import read_custom_ops
from tfm_ci.elfsize import symbol_address
from tfm_ci.inspect import coverage, read_model
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.modelgen.builder import ModelBuilder
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry
from tfm_ci.transcript import parse
from tfm_ci.verify import compare_outputs


@pytest.fixture(scope="module")
def registry() -> Registry:
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    return Registry.load(make_plugin_manager(load_entry_points=False))


def test_custom_op_table_matches_kernels() -> None:
    table = read_custom_ops()
    assert {"SignalWindow", "SignalRfft", "SignalFilterBankSpectralSubtraction",
            "SignalPCAN", "SignalFilterBankLog"} <= set(table)
    for row in table.values():
        assert row.source.is_file(), row
        assert f"const tfm_kernel *{row.register}(void)" in row.source.read_text()
        assert f'{{"{row.name}", 1,' in row.source.read_text()


@pytest.mark.parametrize("kind", ["int8", "float"])
def test_preprocessor_fully_covered(registry: Registry, kind: str) -> None:
    info = read_model(preprocessor(kind))
    kset = registry.kernel_set(registry.board("mps2-an386"))
    cov = coverage(info, kset)
    assert cov.complete, cov.missing
    assert ("SignalRfft", 1) in cov.supported and ("CAST", 2 if kind == "float" else 3) in \
        cov.supported
    ops, customs = model_ops(info, kset)
    assert len(customs) == 9 and all(c.custom for c in customs)
    text = generate_ops_c(ops, customs)
    assert text.count("tfm_resolver_add_custom") == 9
    assert 'tfm_resolver_add_custom(resolver, "SignalPCAN", tfm_register_signal_pcan());' in text
    assert "const tfm_kernel *tfm_register_signal_pcan(void);" in text


def test_unknown_custom_op_and_too_new_version_refused(registry: Registry) -> None:
    kset = registry.kernel_set(registry.board("mps2-an386"))
    b = ModelBuilder()
    x = b.tensor("x", [4], "int16")
    y = b.tensor("y", [4], "int16")
    z = b.tensor("z", [4], "int16")
    b.op("CUSTOM", [x], [y], custom_code="SignalNope", custom_options=options({}))
    b.op("CUSTOM", [y, x], [z], custom_code="SignalWindow", version=2,
         custom_options=options({"shift": 1}))
    b.inputs([x])
    b.outputs([z])
    cov = coverage(read_model(b.build()), kset)
    assert cov.missing == [
        "subgraph 0 op 0 (SignalNope v1): no kernel for CUSTOM op 'SignalNope' in kernel set "
        "'reference'",
        "subgraph 0 op 1 (SignalWindow v2): version 2 not supported by kernel set "
        "'reference' (max 1)"]


def test_only_the_models_signal_kernels_are_linked(tmp_path: Path, registry: Registry) -> None:
    model = tmp_path / "window.tflite"
    model.write_bytes(window_model())
    board = registry.board("mps2-an386")
    built = build(board, model, registry.kernel_set(board),
                  toolchain=registry.platform_of(board).toolchain, cache_dir=tmp_path / "c")
    assert symbol_address(built.elf, "tfm_register_signal_window") is not None
    assert symbol_address(built.elf, "tfm_register_signal_rfft") is None


def test_verify_uses_tflm_and_catches_a_wrong_output(registry: Registry) -> None:
    rec = run_job(JobSpec(model=str(preprocessor("int8")), board="host", invocations=3),
                  registry)
    assert rec.status is Status.PASS, rec.reason
    assert rec.comparison["oracle"].startswith("tflite-micro")
    assert rec.comparison["compared"] == 3
    # The same transcript with one feature changed in invocation 2 must fail.
    t = parse(rec.transcript)
    t.outputs[2][0] = t.outputs[2][0].copy()
    t.outputs[2][0].ravel()[7] ^= 1
    rng = np.random.default_rng(0)
    from tfm_ci.oracle import random_inputs
    invocations = [random_inputs(preprocessor("int8").read_bytes(), rng) for _ in range(3)]
    verdict = compare_outputs(preprocessor("int8").read_bytes(), invocations, t, 1e-5)
    assert not verdict.match and verdict.error is None
    assert "invocation 2 output 0" in verdict.reason
