"""Kernels a plugin adds for ops the core lacks (KernelSet.added_ops), end to end.

The fault-fixture plugin (robot_tests/plugins/tfm_faults) offers kernel set
``extra-ops`` with builtin RELU_N1_TO_1 and CUSTOM "TfmFaultsNegate"; no core file knows them.
"""

from __future__ import annotations

import types
from pathlib import Path

import numpy as np
import pytest

import tfm_ci
from tfm_ci import inputs_blob, simrun
from tfm_ci.build import build, generate_ops_c, model_ops
from tfm_ci.elfsize import symbol_address
from tfm_ci.inspect import coverage, read_model
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.platform import KernelOp, KernelSet, Platform
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry
from tfm_ci.robot.state import import_plugin
from tfm_ci.transcript import parse

REPO = Path(__file__).resolve().parents[2]
FAULTS = REPO / "robot_tests" / "plugins" / "tfm_faults"


@pytest.fixture(scope="module")
def faults_registry() -> Registry:
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(import_plugin(str(FAULTS)), name="tfm_faults")
    reg = Registry.load(pm)
    assert reg.errors == []
    return reg


def _relu_n1_model(version: int = 1) -> bytes:
    b = ModelBuilder(description="relu_n1_to_1")
    x = b.tensor("x", [1, 8], "float32")
    y = b.tensor("y", [1, 8], "float32")
    b.op("RELU_N1_TO_1", [x], [y], version=version)
    b.inputs([x])
    b.outputs([y])
    return b.build()


def _negate_model() -> bytes:
    b = ModelBuilder(description="custom negate")
    x = b.tensor("x", [1, 4], "int32")
    y = b.tensor("y", [1, 4], "int32")
    b.op("CUSTOM", [x], [y], custom_code="TfmFaultsNegate")
    b.inputs([x])
    b.outputs([y])
    return b.build()


def test_coverage_knows_added_ops(faults_registry: Registry) -> None:
    board = faults_registry.board("faults-an386")
    extra = faults_registry.kernel_set(board, "extra-ops")
    reference = faults_registry.kernel_set(board, "reference")
    for model in (_relu_n1_model(), _negate_model()):
        info = read_model(model)
        assert coverage(info, extra).complete
        assert not coverage(info, reference).complete
    assert coverage(read_model(_relu_n1_model()), reference).missing == [
        "subgraph 0 op 0 (RELU_N1_TO_1 v1): no kernel for builtin op RELU_N1_TO_1 (code 20) in "
        "kernel set 'reference'"]
    assert coverage(read_model(_relu_n1_model(version=2)), extra).missing == [
        "subgraph 0 op 0 (RELU_N1_TO_1 v2): version 2 not supported by kernel set 'extra-ops' "
        "(max 1)"]


def test_generated_registration_names_only_the_models_added_ops(
        faults_registry: Registry) -> None:
    board = faults_registry.board("faults-an386")
    extra = faults_registry.kernel_set(board, "extra-ops")
    ops, added = model_ops(read_model(_negate_model()), extra)
    assert ops == [] and [op.name for op in added] == ["TfmFaultsNegate"]
    text = generate_ops_c(ops, added)
    assert 'tfm_resolver_add_custom(resolver, "TfmFaultsNegate", tfm_faults_register_negate())' \
        in text
    assert "relu_n1_to_1" not in text


def test_added_builtin_runs_bit_exact_on_qemu(faults_registry: Registry, tmp_path: Path) -> None:
    model = tmp_path / "relu_n1_to_1.tflite"
    model.write_bytes(_relu_n1_model())
    rec = run_job(JobSpec(model=str(model), board="faults-an386", kernel_set="extra-ops",
                          cache_dir=str(tmp_path / "cache"), invocations=2), faults_registry)
    assert rec.status is Status.PASS, (rec.category, rec.reason, rec.errors[-3:])
    assert symbol_address(Path(rec.build["elf"]), "tfm_faults_register_relu_n1_to_1") is not None
    # refused before compiling on the engine's reference set
    rec = run_job(JobSpec(model=str(model), board="faults-an386",
                          cache_dir=str(tmp_path / "cache")), faults_registry)
    assert rec.status is Status.SKIP and rec.category == "unsupported"


def _simulate(reg: Registry, board_name: str, kset: KernelSet, model: Path, x: np.ndarray,
              work: Path) -> np.ndarray:
    board = reg.board(board_name)
    built = build(board, model, kset, toolchain=reg.platform_of(board).toolchain,
                  cache_dir=work / "cache")
    request = simrun.make_request(built.elf, board, workdir=work, timeout=60,
                                  inputs=inputs_blob.pack([[x]]), model=model.read_bytes())
    result = reg.simulator_for(board).run(request)
    t = parse(result.transcript)
    assert t.passed, result.transcript
    return t.outputs_of(0)[0]


def test_added_custom_op_runs_on_qemu(faults_registry: Registry, tmp_path: Path) -> None:
    model = tmp_path / "negate.tflite"
    model.write_bytes(_negate_model())
    x = np.array([[5, -7, 0, -2**31]], np.int32)
    board = faults_registry.board("faults-an386")
    y = _simulate(faults_registry, "faults-an386",
                  faults_registry.kernel_set(board, "extra-ops"), model, x, tmp_path)
    assert y.tolist() == [[-5, 7, 0, -2**31]]                    # int32 negation wraps


def test_added_ops_on_the_host_runner(faults_registry: Registry, tmp_path: Path) -> None:
    """Runner boards register every added op through the generated added_ops.c."""
    board = faults_registry.board("faults-an386")
    extra = faults_registry.kernel_set(board, "extra-ops")
    model = tmp_path / "negate.tflite"
    model.write_bytes(_negate_model())
    y = _simulate(faults_registry, "host", extra, model, np.array([[1, 2, 3, 4]], np.int32),
                  tmp_path)
    assert y.tolist() == [[-1, -2, -3, -4]]


def _platform_registry(*ksets: KernelSet) -> Registry:
    from tfm_ci.api import builtin_toolchain

    plugin = types.ModuleType("p_plugin")
    plugin.tfm_platforms = tfm_ci.hookimpl(  # type: ignore[attr-defined]
        lambda: [Platform("p", builtin_toolchain("arm-none-eabi-gcc"), (), ksets)])
    pm = make_plugin_manager(load_entry_points=False)
    pm.register(plugin, name="p-plugin")
    return Registry.load(pm)


def test_bad_added_ops_and_own_reference_sets_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "k.c"
    reg = _platform_registry(
        KernelSet("reference", "mine", overrides={"conv_2d.c": src}),
        KernelSet("dup", "adds a core op", added_ops=(KernelOp("CONV_2D", src, "f"),)),
        KernelSet("typo", "adds no such builtin", added_ops=(KernelOp("FLOORR", src, "f"),)),
        KernelSet("bad-fn", "not a C name", added_ops=(KernelOp("Y", src, "f()", custom=True),)),
        KernelSet("good", "adds a custom op", added_ops=(KernelOp("X", src, "f", custom=True),)))
    assert [k.name for k in reg.platform("p").kernel_sets] == ["reference", "good"]
    assert reg.platform("p").kernel_sets[0].overrides == {}        # the engine's own
    errors = [e.error for e in reg.errors]
    assert any("kernel set 'reference' is the engine's" in e for e in errors)
    assert any("adds builtin op CONV_2D, which has a core kernel: override conv_2d.c" in e
               for e in errors)
    assert any("adds builtin op 'FLOORR', which the TFLite schema does not have" in e
               for e in errors)
    assert any("registration function 'f()' is not a C identifier" in e for e in errors)


def test_inspect_command_reports_coverage_of_added_ops(faults_registry: Registry,
                                                       tmp_path: Path) -> None:
    import argparse
    import io

    from rich.console import Console

    from tfm_ci.cli import cmd_inspect

    model = tmp_path / "negate.tflite"
    model.write_bytes(_negate_model())
    out = io.StringIO()
    args = argparse.Namespace(model=str(model), board="faults-an386", tensors=False,
                              no_arena=True)
    assert cmd_inspect(args, faults_registry, Console(file=out, width=200)) == 0
    rows = {line.split("│")[2].strip(): line for line in out.getvalue().splitlines()
            if line.count("│") >= 4 and "faults-an386" in line}
    assert "complete" in rows["extra-ops"] and "missing" not in rows["extra-ops"]
    assert "1 op(s) missing" in rows["reference"]
    assert "no kernel for CUSTOM op 'TfmFaultsNegate'" in out.getvalue()
