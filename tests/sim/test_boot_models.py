"""Every built-in target board boots the real firmware (interpreter + app +
port + target_main, built by tfm_ci.build) under QEMU with a tiny model.

A port must not change what the interpreter computes: each board's outputs
must equal the host runner's on the same inputs. Agreement with TensorFlow
Lite itself (the kernels' job, tests/ops) is checked on two boards."""

from __future__ import annotations

import dataclasses
import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.sim.conftest import sim_run
from tfm_ci import inputs_blob, oracle
from tfm_ci.build import build
from tfm_ci.transcript import parse

MODEL = Path("/work/shared/models/hello_world/hello_world_int8.tflite")
BOARDS = ("mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547", "netduinoplus2",
          "riscv32-virt")
INVOCATIONS = 3

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qemu():
    from tfm_ci.plugins.qemu.simulator import QemuSimulator

    return QemuSimulator()


@pytest.fixture(scope="module")
def model_bytes() -> bytes:
    if not MODEL.is_file():
        pytest.fail(f"shared model missing: {MODEL}")
    return MODEL.read_bytes()


def firmware(registry, board, cache: Path, model: Path = MODEL) -> Path:
    platform = registry.platform_of(board)
    return build(board, model, registry.kernel_set(board), toolchain=platform.toolchain,
                 cache_dir=cache).elf


def run_job(registry, sim, board, cache: Path, workdir: Path, inputs: list) -> tuple:
    elf = firmware(registry, board, cache)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "inputs.bin").write_bytes(inputs_blob.pack(inputs))
    shutil.copyfile(MODEL, workdir / "model.tflite")
    result = sim_run(sim, elf, board, timeout=60, workdir=workdir)
    assert result.error is None, result.error
    assert result.exit_code == 0, result.transcript
    t = parse(result.transcript)
    assert t.passed, result.transcript
    return result, t


def seeded_inputs(model_bytes: bytes, label: str, invocations: int) -> list:
    rng = np.random.default_rng(zlib.crc32(label.encode()))
    return [oracle.random_inputs(model_bytes, rng) for _ in range(invocations)]


@pytest.mark.parametrize("board_name", BOARDS)
def test_board_runs_model_like_the_host(registry, qemu, sim_build_dir, tmp_path, model_bytes,
                                        board_name):
    from tfm_ci.plugins.native.simulator import NativeSimulator

    board = registry.board(board_name)
    inputs = seeded_inputs(model_bytes, board_name, INVOCATIONS)
    cache = sim_build_dir / "cache"
    result, t = run_job(registry, qemu, board, cache, tmp_path / "board", inputs)
    _, host = run_job(registry, NativeSimulator(), registry.board("host"), cache,
                      tmp_path / "host", inputs)
    for k in range(INVOCATIONS):
        ours, reference = t.outputs_of(k), host.outputs_of(k)
        assert len(ours) == len(reference) == 1
        for a, b in zip(ours, reference, strict=True):
            np.testing.assert_array_equal(a, b)
    assert 0 < t.stack["used"] < t.stack["size"] == board.stack_size
    ops = len(t.ops) // INVOCATIONS
    names = [m.marker for m in result.markers]
    assert names.count("op_begin") == names.count("op_end") == ops * INVOCATIONS
    assert names.count("invoke_begin") == INVOCATIONS
    counts = [m.instructions for m in result.markers]
    assert counts == sorted(counts)


@pytest.mark.parametrize("board_name", ["mps2-an386", "riscv32-virt"])
def test_board_outputs_match_tflite(registry, qemu, sim_build_dir, tmp_path, model_bytes,
                                    board_name):
    invocations = 8
    inputs = seeded_inputs(model_bytes, "tflite", invocations)
    _, t = run_job(registry, qemu, registry.board(board_name), sim_build_dir / "cache",
                   tmp_path, inputs)
    stacked = [np.stack([inv[i] for inv in inputs]) for i in range(len(inputs[0]))]
    expected = oracle.run_reference(model_bytes, stacked, invocations=invocations)
    for k in range(invocations):
        for ours, ref in zip(t.outputs_of(k), expected[k], strict=True):
            np.testing.assert_array_equal(ours.reshape(ref.shape), ref,
                                          err_msg=f"invocation {k}, input {inputs[k]}")


def test_fault_in_target_main_reports_pc(registry, qemu, sim_build_dir, tmp_path):
    board = registry.board("mps2-an386")
    faulty = dataclasses.replace(board, cflags=(*board.cflags, "-DTFM_TEST_FAULT"))
    elf = firmware(registry, faulty, sim_build_dir / "cache")
    result = sim_run(qemu, elf, faulty, timeout=30, workdir=tmp_path)
    assert result.exit_code == 3, result.transcript
    t = parse(result.transcript)
    assert t.fault is not None and t.fault["kind"] in {"HardFault", "UsageFault"}
    assert int(t.fault["pc"], 16) & ~1 == 0xFFFFFFF0


def test_missing_inputs_are_refused(registry, qemu, sim_build_dir, tmp_path):
    board = registry.board("riscv32-virt")
    elf = firmware(registry, board, sim_build_dir / "cache")
    result = sim_run(qemu, elf, board, timeout=30, workdir=tmp_path)   # no inputs.bin
    assert result.exit_code == 2, result.transcript
    t = parse(result.transcript)
    assert ("BAD_ARGUMENT", "no inputs loaded") in t.errors
    assert not t.passed
