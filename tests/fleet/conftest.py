"""Fixtures for the fleet tests: small models, spec files, the `tfm-ci` command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tfm_ci import demo_models
from tfm_ci.boards import repo_root
from tfm_ci.fleet.merge import comparable
from tfm_ci.paths import shared_models_dir
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry

#: Host + two QEMU boards: fast on 2 cores.
BOARDS = ["host", "mps2-an386", "riscv32-virt"]


@pytest.fixture(scope="session")
def registry() -> Registry:
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.fixture(scope="session")
def cache() -> Path:
    """Build cache shared with the other engine tests (builds are content-addressed)."""
    path = repo_root() / "build" / "test-cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with models/ (demo sine, kws, tiny_conv) and, when present, hello_world."""
    models = tmp_path / "models"
    models.mkdir()
    for name in ("sine", "kws", "tiny_conv"):
        (models / f"{name}.tflite").write_bytes(demo_models.build(name))
    hello = shared_models_dir() / "hello_world" / "hello_world_int8.tflite"
    if hello.is_file():
        shutil.copy(hello, models / "hello_world_int8.tflite")   # a temp copy, not the repo
    return tmp_path


def write_spec(folder: Path, text: str, name: str = "fleet.toml") -> Path:
    path = folder / name
    path.write_text(text)
    return path


def tfm_ci(*args: str, cache: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "TFM_CI_CACHE": str(cache), "COLUMNS": "200",
           "TFM_CI_NO_AUTOLOAD": "1"}
    env.pop("TFM_CI_DISABLE_PLUGINS", None)
    return subprocess.run([sys.executable, "-m", "tfm_ci.cli", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=repo_root(), env=env)


def records(results: Path) -> dict[str, dict[str, Any]]:
    """job id -> record of every record file (each must parse)."""
    out = {}
    for path in sorted((results / "records").glob("*.json")):
        record = json.loads(path.read_text())
        assert path.stem == record["job"]["id"]
        out[record["job"]["id"]] = record
    return out


def same_outcomes(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> None:
    assert sorted(a) == sorted(b)
    for jid in a:
        assert comparable(a[jid]) == comparable(b[jid]), jid
