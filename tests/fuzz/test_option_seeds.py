"""The option-table seeds (tests/fuzz/option_seeds.py, also in the corpus) under
ASan/UBSan: each seed runs clean; the malformed-model sweep (every truncation, seeded
byte flips, hostile words); every int/enum/bool field of the op's builtin options set
to hostile values; and hostile FlexBuffers as DETECTION_POSTPROCESS options (every
truncation, corrupted bytes, wrong widths, offsets out of range, deep nesting).
Every outcome is a clean error or a run, never a crash or a silent failure."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from flatbuffers import flexbuffers

from tests.fuzz.option_seeds import SEEDS, detection, seed_bytes
from tests.hardening.cases import repack
from tests.runtime.conftest import (
    BUILD,
    REPO,
    SANITIZE,
    compile_c,
    firmware_sources,
    mutate_bin,  # noqa: F401 - pytest fixture
)
from tfm_ci.modelgen.custom_ops import DetectionPostprocessOptions

STATUSES = ("OK", "ERROR", "BAD_MODEL", "UNSUPPORTED", "ARENA_TOO_SMALL", "BAD_ARGUMENT",
            "NOT_READY")
HOSTILE_INTS = (-1, 0, 2, 7, 255, -(2 ** 31), 2 ** 31 - 1, 2 ** 15, -129)


@pytest.fixture(scope="module")
def run_files() -> Path:
    """tfm_fuzz_one (load + allocate + invoke) over each file given, status per line."""
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/fuzz/fuzz_model.c"), str(REPO / "tests/fuzz/run_files_main.c")]
    return compile_c(BUILD / "fuzz-run-files", srcs, *SANITIZE, "-DTFM_FUZZ_NO_MAIN",
                     "-DTFM_WHILE_MAX_ITERATIONS=64")


def _run(exe: Path, models: list[bytes], tmp: Path) -> list[str]:
    paths = []
    for i, data in enumerate(models):
        p = tmp / f"m{i}.tflite"
        p.write_bytes(data)
        paths.append(str(p))
    lines: list[str] = []
    for start in range(0, len(paths), 500):
        proc = subprocess.run([str(exe), *paths[start:start + 500]], capture_output=True,
                              text=True, timeout=600, check=False)
        assert proc.returncode == 0, proc.stderr[-3000:]    # sanitizer/abort -> exit != 0
        lines += proc.stdout.split()
    assert len(lines) == len(models)
    return lines


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_runs_clean(run_files: Path, name: str, tmp_path: Path) -> None:
    assert _run(run_files, [seed_bytes(SEEDS[name]())], tmp_path) == ["OK"]


def test_corpus_has_the_option_seeds() -> None:
    corpus = REPO / "tests/fuzz/corpus"
    for name, build in SEEDS.items():
        path = corpus / f"{name}.tflite"
        assert path.is_file(), f"{path} missing: run python -m tests.fuzz.make_corpus"
        assert path.read_bytes() == seed_bytes(build()), f"{path} is stale"


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_survives_mutations(mutate_bin: dict[str, Path], name: str,  # noqa: F811
                                 tmp_path: Path) -> None:
    model = tmp_path / f"{name}.tflite"
    model.write_bytes(seed_bytes(SEEDS[name]()))
    proc = subprocess.run([str(mutate_bin["invoke"]), str(model), "1500", "13"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"{name}: {proc.stderr[-3000:]}"
    counts = {k: int(v) for k, v in (line.split() for line in proc.stdout.splitlines())}
    assert counts["BAD_MODEL"] >= model.stat().st_size   # every truncation refused


def _option_mutants(model: bytes) -> tuple[list[bytes], bool]:
    """The model with each int/bool field of each op's builtin options table set to
    each hostile value in turn (enums out of range, huge strides, negative axes...);
    and whether any field is an int (a bool-only table, CUMSUM's, has no bad value)."""
    import tflite_micro.tensorflow.lite.micro.python.schema_py_generated as schema
    m = schema.ModelT.InitFromPackedBuf(model, 0)
    fields = [(i, name) for i, op in enumerate(m.subgraphs[0].operators)
              if op.builtinOptions is not None
              for name, value in vars(op.builtinOptions).items()
              if isinstance(value, bool | int)]
    mutants = []
    for i, name in fields:
        for value in HOSTILE_INTS:
            def edit(mt, i=i, name=name, value=value):
                opts = mt.subgraphs[0].operators[i].builtinOptions
                old = getattr(opts, name)
                setattr(opts, name, (value & 1) == 1 if isinstance(old, bool) else value)
            try:
                mutants.append(repack(model, edit))
            except (OverflowError, ValueError, TypeError, AssertionError, struct.error):
                continue        # the field is narrower than the value: nothing to write
    has_int = any(not isinstance(getattr(m.subgraphs[0].operators[i].builtinOptions, name), bool)
                  for i, name in fields)
    return mutants, has_int


# GATHER_ND's options table has no fields: its seed is in the sweeps only.
@pytest.mark.parametrize("name", sorted(n for n in SEEDS
                                        if n.startswith("opt_") and n != "opt_gather_nd"))
def test_hostile_builtin_option_values(run_files: Path, name: str, tmp_path: Path) -> None:
    mutants, has_int = _option_mutants(SEEDS[name]())
    assert len(mutants) >= 4, name             # the op's table has fields to corrupt
    statuses = _run(run_files, mutants, tmp_path)
    assert set(statuses) <= set(STATUSES)
    if has_int:
        assert any(s != "OK" for s in statuses), f"{name}: no hostile value was refused"


def _flex_mutants(good: bytes, rng: np.random.Generator) -> list[bytes]:
    out = [good[:k] for k in range(len(good))]                    # every truncation
    out += [good[k:] for k in range(1, len(good), 5)]             # lost head
    for pos in range(len(good)):                                  # each byte hostile
        for byte in (0x00, 0xFF, 0x80, 0x7F, 0x03):
            b = bytearray(good)
            b[pos] = byte
            out.append(bytes(b))
    for _ in range(300):                                          # random multi-byte
        b = bytearray(good)
        for _ in range(int(rng.integers(1, 5))):
            b[int(rng.integers(len(b)))] = int(rng.integers(256))
        out.append(bytes(b))
    for width in (0, 3, 5, 16, 255):                              # root width
        out.append(good[:-1] + bytes([width]))
    for packed in range(0, 256, 7):                               # root type / width
        out.append(good[:-2] + bytes([packed]) + good[-1:])
    deep: object = 1
    for _ in range(150):              # the reader does not recurse: depth is free
        deep = [deep]
    out.append(bytes(flexbuffers.Dumps({"max_detections": deep})))
    out.append(bytes(flexbuffers.Dumps({"k" * 5000: 1})))
    return out


@pytest.mark.parametrize("regular", [False, True])
def test_hostile_flexbuffer_options(run_files: Path, regular: bool, tmp_path: Path) -> None:
    """Hostile FlexBuffers as the op's custom options, built into the model."""
    from tests.fuzz import option_seeds

    good = DetectionPostprocessOptions(max_detections=3, max_classes_per_detection=2,
                                       detections_per_class=2, use_regular_nms=regular,
                                       nms_score_threshold=0.0, nms_iou_threshold=0.5,
                                       num_classes=3).to_bytes()
    base = detection(regular, quantized=regular)
    mutants = [option_seeds.with_custom_options(base, raw)
               for raw in _flex_mutants(good, np.random.default_rng(5 + regular))]
    statuses = _run(run_files, mutants, tmp_path)
    assert set(statuses) <= set(STATUSES)
    refused = sum(s == "BAD_MODEL" for s in statuses)
    assert refused > len(mutants) // 2, dict(zip(*np.unique(statuses, return_counts=True),
                                                  strict=True))
