"""Fixtures for the port and simulator tests (tests/sim)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _plugins_importable() -> None:
    # A source checkout installed before plugins/ existed has no mapping for them.
    if importlib.util.find_spec("tfm_qemu") is None:
        sys.path.insert(0, str(REPO / "plugins"))


_plugins_importable()


@pytest.fixture(scope="session")
def registry():
    from tfm_ci.registry import Registry

    return Registry.load()


@pytest.fixture(scope="session")
def sim_build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("simfw")
