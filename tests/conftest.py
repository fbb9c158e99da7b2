"""Session fixtures shared by every test directory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


@pytest.fixture(scope="session")
def host_runner() -> Path:
    """The host runner binary, built once per session with `make -C firmware host`."""
    from tests.ops.harness import host_runner as build

    return build()


@pytest.fixture(scope="session")
def asan_runner() -> Path:
    """The ASan/UBSan host runner, built once per session (`make -C firmware host-asan`)."""
    from tests.ops.harness import build_runner

    return build_runner("host-asan")


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed generator: tests are reproducible."""
    return np.random.default_rng(0)
