"""Fixtures for the port and simulator tests (tests/sim)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci.simrun import make_request
from tfm_ci.simulator import SimResult

REPO = Path(__file__).resolve().parents[2]


def sim_run(sim, elf: Path, board, *, timeout: float, workdir: Path,
            count_instructions: bool = True) -> SimResult:
    """Run a backend through the request contract with the inputs.bin / model.tflite a
    test wrote into `workdir` (either may be absent)."""
    inputs = workdir / "inputs.bin"
    model = workdir / "model.tflite"
    request = make_request(elf, board, workdir=workdir, timeout=timeout,
                           inputs=inputs.read_bytes() if inputs.is_file() else b"",
                           model=model.read_bytes() if model.is_file() else None,
                           count_instructions=count_instructions)
    return sim.run(request)


@pytest.fixture(scope="session")
def registry():
    from tfm_ci.registry import Registry

    return Registry.load()


@pytest.fixture(scope="session")
def sim_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("simfw")
