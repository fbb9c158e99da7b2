"""Under ASan/UBSan: Signal state across invocations and reset (C API), the FlexBuffer
reader on valid, truncated and hostile buffers, and hostile options in a model."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from flatbuffers import flexbuffers

from tests.runtime.conftest import BUILD, REPO, SANITIZE, compile_c, firmware_sources
from tests.runtime.util import run
from tests.signal.audio import preprocessor
from tests.signal.models import (
    delay_model,
    framer_model,
    log_model,
    options,
    overlap_add_model,
    stacker_model,
    window_model,
)


@pytest.fixture(scope="module")
def state_test() -> Path:
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/signal/signal_state_test.c")]
    return compile_c(BUILD / "signal_state_test", srcs, *SANITIZE)


@pytest.fixture(scope="module")
def flex_probe() -> Path:
    return compile_c(BUILD / "flex_probe", ["runtime/flexbuffer.c",
                                           str(REPO / "tests/signal/flex_probe.c")], *SANITIZE)


STATEFUL = {
    "preprocessor_int8": lambda: preprocessor("int8").read_bytes(),
    "preprocessor_float": lambda: preprocessor("float").read_bytes(),
    "delay": lambda: delay_model(rows=2, frame=40, delay=25),
    "framer_prefill": lambda: framer_model(rows=1, inner=64, size=80, step=32, prefill=True),
    "stacker": lambda: stacker_model(channels=40, left=2, right=1, step=1),
    "overlap_add": lambda: overlap_add_model(outer=1, frames=2, size=96, step=48),
}


@pytest.mark.parametrize("name", sorted(STATEFUL))
def test_state_persists_and_reset_clears_it(state_test: Path, name: str,
                                            tmp_path: Path) -> None:
    model = tmp_path / f"{name}.tflite"
    model.write_bytes(STATEFUL[name]())
    proc = subprocess.run([str(state_test), str(model)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0 and "PASS 0 failures" in proc.stdout, proc.stdout + proc.stderr


def _builder_cases() -> dict[str, bytes]:
    cases: dict[str, bytes] = {}
    b = flexbuffers.Builder()
    with b.Map():
        b.Key("typed")
        b.TypedVectorFromElements([1, -2, 300000])
        b.Key("fixed")
        b.FixedTypedVectorFromElements([1.5, -2.25, 8.0])
        b.Key("uints")
        b.TypedVectorFromElements([1, 2, 3], flexbuffers.Type.UINT)
        b.Key("ind")
        b.IndirectInt(-123456789012)
        b.Key("indf")
        b.IndirectFloat(0.75)
        b.Key("bools")
        b.TypedVectorFromElements([True, False, True])
    cases["builder"] = bytes(b.Finish())
    return cases


VALID = {
    "scalars": {"i8": -5, "i16": -3000, "i32": 70000, "i64": -(2 ** 40), "u": 2 ** 62,
                "f": 1.5, "t": True, "s": "text", "n": None},
    "nested": {"a": [1, [2, [3, {"deep": "x"}]]], "b": {"c": {"d": [0.5, "y", False]}},
               "empty_list": [], "empty_map": {}},
    "wide": {"k" * 300: list(range(300)), "big": [2 ** 33, -(2 ** 33)]},
    "root_int": 42,
    "root_vector": [1, "two", 3.0],
}


def _expected(buf: bytes):
    return flexbuffers.Loads(buf)


def _same(a, b) -> bool:
    if isinstance(b, float) or isinstance(a, float):
        return math.isclose(float(a), float(b), rel_tol=1e-6)
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, list | tuple):
        return isinstance(a, list) and len(a) == len(b) and all(map(_same, a, b))
    return a == b


def _probe(exe: Path, bufs: list[bytes], tmp: Path) -> list[str]:
    paths = []
    for i, buf in enumerate(bufs):
        p = tmp / f"b{i}.fb"
        p.write_bytes(buf)
        paths.append(str(p))
    lines: list[str] = []
    for start in range(0, len(paths), 400):
        proc = subprocess.run([str(exe), *paths[start:start + 400]], capture_output=True,
                              text=True, errors="replace", timeout=300, check=False)
        assert proc.returncode == 0, proc.stderr[-3000:]   # sanitizer reports exit != 0
        lines += proc.stdout.splitlines()
    assert len(lines) == len(bufs)
    return lines


def _valid_buffers() -> dict[str, bytes]:
    bufs = {name: bytes(flexbuffers.Dumps(v)) for name, v in VALID.items()}
    bufs.update(_builder_cases())
    # The options of every Signal op in the shared preprocessors.
    import tflite
    for kind in ("int8", "float"):
        m = tflite.Model.GetRootAs(preprocessor(kind).read_bytes(), 0)
        sg = m.Subgraphs(0)
        for i in range(sg.OperatorsLength()):
            op = sg.Operators(i)
            if op.CustomOptionsLength():
                bufs[f"{kind}_op{i}"] = bytes(op.CustomOptionsAsNumpy())
    return bufs


def test_reader_decodes_valid_buffers(flex_probe: Path, tmp_path: Path) -> None:
    bufs = _valid_buffers()
    lines = _probe(flex_probe, list(bufs.values()), tmp_path)
    for (name, buf), line in zip(bufs.items(), lines, strict=True):
        assert not line.startswith("ERROR"), f"{name}: {line}"
        assert _same(json.loads(line), _expected(buf)), f"{name}: {line}"


def test_reader_survives_hostile_buffers(flex_probe: Path, tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    mutants: list[bytes] = []
    for buf in _valid_buffers().values():
        mutants += [buf[:k] for k in range(len(buf))] + [buf[k:] for k in range(1, len(buf))]
        for _ in range(60):
            b = bytearray(buf)
            for _ in range(int(rng.integers(1, 4))):
                b[int(rng.integers(len(b)))] = int(rng.integers(256))
            mutants.append(bytes(b))
        for pos in range(0, len(buf) - 1, 3):
            for word in (b"\xff", b"\x80", b"\x7f\xff\xff\xff", b"\x00"):
                b = bytearray(buf)
                b[pos:pos + len(word)] = word
                mutants.append(bytes(b[:len(buf)]))
    lines = _probe(flex_probe, mutants, tmp_path)
    errors = 0
    for line in lines:
        if line.startswith("ERROR"):
            errors += 1
            assert " @" in line
        else:
            json.loads(line)            # a mutation may still be a valid buffer
    assert errors > len(mutants) // 3   # most hostile buffers are refused, with a reason


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda o: o.replace(b"shift", b"shifu"),
     "custom option 'shift': key not found"),
    (lambda o: options({"shift": 99}), "custom option 'shift' = 99 out of range [0, 31]"),
    (lambda o: options({"shift": "twelve"}), "custom option 'shift': not an integer"),
    (lambda o: options([12]), "custom options: root is not a map"),
    (lambda o: o[:-3], "custom options: "),
    (lambda o: b"", "custom options: buffer too short (byte 0 of 0)"),
])
def test_hostile_options_are_refused(asan_runner: Path, mutate, message: str) -> None:
    model = window_model(raw_options=mutate(options({"shift": 12})))
    r = run(asan_runner, model)
    assert r.returncode != 0
    err = " ".join(m for _, m in r.transcript.errors)
    assert "op 0 (SignalWindow): " + message in err, r.stdout[-800:]


def test_log_options_checked(asan_runner: Path) -> None:
    r = run(asan_runner, log_model(correction_bits=40))
    assert "custom option 'input_correction_bits' = 40 out of range [0, 31]" in " ".join(
        m for _, m in r.transcript.errors), r.stdout[-800:]


def test_square_roots_match_tflm_algorithm() -> None:
    srcs = [*firmware_sources("RUNTIME_SRCS"), "kernels/signal/signal_common.c",
            str(REPO / "tests/signal/sqrt_test.c")]
    exe = compile_c(BUILD / "signal_sqrt_test", srcs, *SANITIZE)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and "PASS 0 mismatches" in proc.stdout, proc.stdout
