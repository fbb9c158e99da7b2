"""The MLPerf Tiny architectures (tfm_ci.demo.mlperf): MLPerf's work (MACs within 2 % of the
figures in the shared DESIGN.md), int8 in/out, deterministic bytes, and bit-exact with TFLite
on the host runner and on QEMU (mps2-an386, reference kernels, through `tfm-ci run`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tests.ops.harness import check_model
from tfm_ci import demo_models
from tfm_ci.demo import mlperf
from tfm_ci.inspect import read_model
from tfm_ci.modelstats import model_stats
from tfm_ci.oracle import input_specs, op_names, output_specs, random_inputs, run_reference

# MACs of MLPerf Tiny's reference models as given in ../shared/DESIGN.md
DESIGN_MACS = {"keyword_dscnn": 2.66e6, "vww_mobilenet": 7.49e6, "resnet8": 12.5e6,
               "anomaly_ae": 0.26e6}
# (input shape, output shape) of MLPerf's quantized models
SHAPES = {"keyword_dscnn": ((1, 49, 10, 1), (1, 12)), "vww_mobilenet": ((1, 96, 96, 3), (1, 2)),
          "resnet8": ((1, 32, 32, 3), (1, 10)), "anomaly_ae": ((1, 640), (1, 640))}


def test_names_registered() -> None:
    assert set(mlperf.MLPERF_MODELS) == set(DESIGN_MACS)
    assert demo_models.MLPERF_MODELS == mlperf.MLPERF_MODELS
    assert not set(demo_models.MLPERF_MODELS) & set(demo_models.DEMO_MODELS)  # demo stays fast
    with pytest.raises(ValueError, match="unknown MLPerf model 'nope'"):
        mlperf.build("nope")


@pytest.mark.parametrize("name", mlperf.MLPERF_MODELS)
def test_macs_match_mlperf(name: str) -> None:
    stats = model_stats(read_model(demo_models.build(name)))
    assert abs(stats.macs - DESIGN_MACS[name]) <= 0.02 * DESIGN_MACS[name], stats.macs


@pytest.mark.parametrize("name", mlperf.MLPERF_MODELS)
def test_int8_shapes_and_deterministic_bytes(name: str, tmp_path: Path) -> None:
    model = demo_models.build(name)
    mlperf.build.cache_clear()                        # really rebuilt, not the cached bytes
    assert mlperf.build(name) == model
    (inp,), (out,) = input_specs(model), output_specs(model)
    assert (inp.shape, out.shape) == SHAPES[name]
    assert inp.dtype == np.int8 and out.dtype == np.int8
    paths = demo_models.write_mlperf(tmp_path)
    assert [p.stem for p in paths] == list(mlperf.MLPERF_MODELS)
    assert (tmp_path / f"{name}.tflite").read_bytes() == model


def test_topologies() -> None:
    kws = Counter(op_names(demo_models.build("keyword_dscnn")))
    assert kws == {"CONV_2D": 5, "DEPTHWISE_CONV_2D": 4, "AVERAGE_POOL_2D": 1, "RESHAPE": 1,
                   "FULLY_CONNECTED": 1, "SOFTMAX": 1}
    vww = Counter(op_names(demo_models.build("vww_mobilenet")))
    assert vww == {"CONV_2D": 14, "DEPTHWISE_CONV_2D": 13, "AVERAGE_POOL_2D": 1, "RESHAPE": 1,
                   "FULLY_CONNECTED": 1, "SOFTMAX": 1}
    resnet = Counter(op_names(demo_models.build("resnet8")))
    assert resnet == {"CONV_2D": 9, "ADD": 3, "AVERAGE_POOL_2D": 1, "RESHAPE": 1,
                      "FULLY_CONNECTED": 1, "SOFTMAX": 1}
    assert op_names(demo_models.build("anomaly_ae")) == ["FULLY_CONNECTED"] * 10


def test_resnet_adds_read_two_branches() -> None:
    """Each ADD joins its stack's main path (two 3x3 convs) with the shortcut: the stack's
    input itself in the first stack, a 1x1 stride-2 conv of it in the other two."""
    sg = read_model(demo_models.build("resnet8")).subgraphs[0]
    producer = {t: op for op in sg.ops for t in op.outputs}
    readers = Counter(t for op in sg.ops for t in op.inputs)
    kernel = {op.index: sg.tensors[op.inputs[1]].shape[1:3] for op in sg.ops
              if op.name == "CONV_2D"}
    adds = [op for op in sg.ops if op.name == "ADD"]
    assert len(adds) == 3
    for k, add in enumerate(adds):
        main, shortcut = (producer[t] for t in add.inputs)
        assert main.name == "CONV_2D" and kernel[main.index] == (3, 3)
        if k == 0:      # identity: the stem conv's output, read by the stack's conv too
            assert kernel[shortcut.index] == (3, 3) and readers[add.inputs[1]] == 2
        else:
            assert kernel[shortcut.index] == (1, 1)
            assert sg.tensors[shortcut.outputs[0]].shape == sg.tensors[main.outputs[0]].shape


@pytest.mark.parametrize("name", mlperf.MLPERF_MODELS)
def test_outputs_depend_on_the_input(name: str) -> None:
    """Seeded weights, but not a degenerate network: different inputs, different outputs."""
    model = demo_models.build(name)
    outs = [run_reference(model, random_inputs(model, np.random.default_rng(s)))[0][0]
            for s in range(4)]
    assert len({o.tobytes() for o in outs}) >= 2
    assert len(set(outs[0].ravel().tolist())) > 1


@pytest.mark.parametrize("seed", (0, 1))
@pytest.mark.parametrize("name", mlperf.MLPERF_MODELS)
def test_bit_exact_on_host(host_runner, name: str, seed: int) -> None:
    check_model(demo_models.build(name), seed=seed)


@pytest.mark.slow
@pytest.mark.parametrize("name", mlperf.MLPERF_MODELS)
def test_bit_exact_on_qemu_an386(name: str, tmp_path: Path) -> None:
    model = tmp_path / f"{name}.tflite"
    model.write_bytes(demo_models.build(name))
    record = tmp_path / "record.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tfm_ci.cli", "run", "--model", str(model), "--board",
         "mps2-an386", "--seed", "5", "--timeout", "600", "--json", str(record), "-q"],
        capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    rec = json.loads(record.read_text())
    assert rec["status"] == "PASS" and rec["comparison"]["match"] is True, rec["reason"]
    assert rec["kernel_set"] == "reference" and rec["comparison"]["compared"] > 0
    assert rec["instructions"]["unit"] == "instructions"
    assert rec["instructions"]["invocations"][0] > model_stats(read_model(model)).macs


@pytest.mark.slow
def test_every_kernel_set_bit_exact_on_an547(tmp_path: Path) -> None:
    """mps3-an547 (Cortex-M55) offers all four kernel sets: each one gives TFLite's outputs
    on every MLPerf model, so the optimized sets' table rows compare like with like."""
    from tfm_ci.fleet import run_fleet
    from tfm_ci.job import JobSpec, Status
    from tfm_ci.registry import Registry

    registry = Registry.load()
    sets = [k.name for k in registry.kernel_sets(registry.board("mps3-an547"))]
    assert {"reference", "opt", "arm-dsp", "arm-mve"} <= set(sets)
    paths = demo_models.write_mlperf(tmp_path)
    specs = [JobSpec(model=str(p), board="mps3-an547", kernel_set=k, seed=9, timeout=600)
             for p in paths for k in sets]
    records = run_fleet(specs, registry, workers=2)
    for spec, rec in zip(specs, records, strict=True):
        assert rec.status is Status.PASS, (spec.model, spec.kernel_set, rec.reason)
        assert rec.comparison["match"] is True and rec.comparison["compared"] > 0
