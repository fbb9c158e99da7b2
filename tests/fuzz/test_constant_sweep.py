"""Every seed of the fuzz corpus with each of its constant op inputs turned into a tensor
without data, through load + allocate + invoke under ASan/UBSan: a kernel that reads
constant data at prepare must refuse such a model by name, never read through NULL.

The fuzzer finds these one mutation at a time (a buffer index set to 0); the sweep tries
every one of them on every run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tflite_micro.tensorflow.lite.micro.python.schema_py_generated as schema

from tests.fuzz.test_fuzz import build_target
from tests.hardening.cases import variable_input
from tests.runtime.conftest import REPO

pytestmark = pytest.mark.slow


def constant_inputs(model: bytes) -> list[tuple[int, int, int]]:
    """(subgraph, operator, input) of every op input whose tensor has constant data."""
    m = schema.ModelT.InitFromPackedBuf(model, 0)
    found = []
    for si, sg in enumerate(m.subgraphs or []):
        for oi, op in enumerate(sg.operators or []):
            for k, t in enumerate(op.inputs if op.inputs is not None else []):
                buffer = sg.tensors[t].buffer if t >= 0 else 0
                if buffer and buffer < len(m.buffers) and m.buffers[buffer].data is not None \
                        and len(m.buffers[buffer].data):
                    found.append((si, oi, k))
    return found


def test_constant_inputs_without_data_are_refused_cleanly(tmp_path: Path) -> None:
    exe = build_target("invoke")
    mutants = []
    for seed in sorted((REPO / "tests/fuzz/corpus").glob("*.tflite")):
        model = seed.read_bytes()
        try:
            places = constant_inputs(model)
        except Exception:       # a crash input the schema's reader cannot unpack
            continue
        for si, oi, k in places:
            mutant = tmp_path / f"{seed.stem}-s{si}-op{oi}-in{k}.tflite"
            mutant.write_bytes(variable_input(model, k, op=oi, subgraph=si))
            mutants.append(mutant)
    assert len(mutants) > 30        # the corpus has many constant inputs
    assert any("lstm_int8" in m.name for m in mutants)
    proc = subprocess.run(["nice", str(exe), f"-artifact_prefix={tmp_path}/", *map(str, mutants)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stderr.count("Executed ") == len(mutants), proc.stderr[-2000:]
