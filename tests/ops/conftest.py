"""Op tests need the host runner: build it once, before the first test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _built_runner(host_runner: Path) -> Path:
    return host_runner
