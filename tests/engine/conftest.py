"""Fixtures for the engine tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tfm_ci.boards import repo_root
from tfm_ci.pluginmanager import make_plugin_manager
from tfm_ci.registry import Registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.fixture(scope="session")
def shared_cache() -> Path:
    """Object/ELF cache reused across sessions (tests that need a cold cache use tmp_path)."""
    path = repo_root() / "build" / "test-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def sine_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The int8 sine demo model (our own, deterministic: no ../shared needed)."""
    from tfm_ci import demo_models

    path = tmp_path_factory.mktemp("models") / "sine.tflite"
    path.write_bytes(demo_models.build("sine"))
    return path


# Memory map and UART of QEMU's mps2-an386 (Cortex-M4) in board.toml form, for the
# boards that tests write.
AN386_MEMORY_AND_UART = """\
[[memory]]
name = "flash"
origin = 0x00000000
length = "4MiB"
[[memory]]
name = "ram"
origin = 0x20000000
length = "4MiB"
[uart]
kind = "cmsdk"
base = 0x40004000
"""


def write_board(folder: Path, text: str) -> Path:
    """Write `text` as folder/board.toml (creating the folder); returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "board.toml"
    path.write_text(text)
    return path


def require_simulator(registry: Registry, board: str) -> None:
    """Fail (not skip) when the built-in simulator for a built-in board is missing."""
    registry.simulator_for(registry.board(board))
