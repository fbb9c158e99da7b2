"""The native backend runs the host board's tfm-runner as a process."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from tests.sim.conftest import sim_run
from tests.sim.test_boot_models import MODEL, firmware
from tfm_ci import inputs_blob, oracle
from tfm_ci.simulator import SimRequest
from tfm_ci.transcript import parse


@pytest.fixture(scope="module")
def native():
    from tfm_ci.plugins.native.simulator import NativeSimulator

    return NativeSimulator()


def test_host_runner_job_through_native_backend(registry, native, sim_build_dir, tmp_path):
    board = registry.board("host")
    assert native.can_run(board)
    elf = firmware(registry, board, sim_build_dir / "cache")
    model = MODEL.read_bytes()
    rng = np.random.default_rng(5)
    inputs = [oracle.random_inputs(model, rng) for _ in range(2)]
    (tmp_path / "inputs.bin").write_bytes(inputs_blob.pack(inputs))
    shutil.copyfile(MODEL, tmp_path / "model.tflite")
    result = sim_run(native, elf, board, timeout=30, workdir=tmp_path)
    assert result.error is None, result.error
    assert result.exit_code == 0, result.transcript
    assert result.markers == []
    assert "--invocations" in result.command and "2" in result.command
    t = parse(result.transcript)
    assert t.passed
    assert sorted(t.outputs) == [0, 1]
    # Invocation k of a 2-invocation job equals a 1-invocation job on input k:
    # the header's count and the raw blob reached the runner intact.
    for k in range(2):
        single = tmp_path / f"single{k}"
        single.mkdir()
        shutil.copyfile(MODEL, single / "model.tflite")
        (single / "inputs.bin").write_bytes(inputs_blob.pack([inputs[k]]))
        alone = parse(sim_run(native, elf, board, timeout=30, workdir=single).transcript)
        np.testing.assert_array_equal(alone.outputs_of(0)[0], t.outputs_of(k)[0])


def test_bad_inputs_header_is_an_error(registry, native, tmp_path):
    board = registry.board("host")
    request = SimRequest(elf=tmp_path / "no-such-runner", board=board, workdir=tmp_path,
                         timeout=5, inputs=b"XXXX" + bytes(12), model_file=MODEL)
    result = native.run(request)
    assert result.error is not None and "magic is b'XXXX'" in result.error


def test_qemu_and_renode_do_not_claim_the_host_board(registry):
    from tfm_ci.plugins.qemu.simulator import QemuSimulator
    from tfm_ci.plugins.renode.simulator import RenodeSimulator

    board = registry.board("host")
    assert not QemuSimulator().can_run(board)
    assert not RenodeSimulator().can_run(board)
    assert QemuSimulator().can_run(registry.board("mps2-an386"))
