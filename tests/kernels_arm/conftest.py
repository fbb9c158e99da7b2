"""Fixtures for the arm-dsp kernel tests (QEMU jobs through the engine)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tfm_ci.boards import repo_root
from tfm_ci.pluginmanager import make_plugin_manager
from tfm_ci.registry import Registry

#: Boards with the DSP extension: Cortex-M4F, Cortex-M7, Cortex-M55.
DSP_BOARDS = ("mps2-an386", "mps2-an500", "mps3-an547")


@pytest.fixture(scope="session")
def registry() -> Registry:
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    """Object/ELF cache shared across sessions (kernel objects are built once per core);
    TFM_ARM_TEST_CACHE picks another folder (e.g. an empty one to time a cold build)."""
    path = Path(os.environ.get("TFM_ARM_TEST_CACHE") or repo_root() / "build" / "test-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path
