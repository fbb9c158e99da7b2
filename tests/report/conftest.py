"""Fixtures: a real fleet results folder (jobs run once per session) and helpers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tfm_ci import demo_models
from tfm_ci.boards import repo_root
from tfm_ci.paths import shared_models_dir
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry

from .fleetdir import Job, run_jobs, write_folder

BOARDS = ("host", "mps2-an386", "riscv32-virt")
KERNEL_SETS = ("reference", "arm-dsp")


@pytest.fixture(scope="session")
def registry() -> Registry:
    os.environ.pop("TFM_CI_DISABLE_PLUGINS", None)
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.fixture(scope="session")
def fleet_records(tmp_path_factory: pytest.TempPathFactory,
                  registry: Registry) -> list[dict[str, Any]]:
    """Real records: sine, kws (demo models) and TFLM's hello_world_int8 on host,
    mps2-an386 and riscv32-virt with the reference and arm-dsp kernel sets (arm-dsp is
    only on mps2-an386: the others get SKIP records), plus a real budget failure
    (kws on riscv32-virt with instructions=100K)."""
    spec_dir = tmp_path_factory.mktemp("spec")
    models = spec_dir / "models"
    models.mkdir()
    for name in ("sine", "kws"):
        (models / f"{name}.tflite").write_bytes(demo_models.build(name))
    hello = shared_models_dir() / "hello_world" / "hello_world_int8.tflite"
    assert hello.is_file(), f"shared model missing: {hello}"
    (models / "hello_world_int8.tflite").symlink_to(hello)
    jobs = []
    for model in ("models/sine.tflite", "models/kws.tflite", "models/hello_world_int8.tflite"):
        for board in BOARDS:
            for kset in KERNEL_SETS:
                limits = (("instructions=100K",)
                          if (board, model, kset) == ("riscv32-virt", "models/kws.tflite",
                                                      "reference") else ())
                jobs.append(Job(board, model, kset, limits))
    cache = repo_root() / "build" / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return run_jobs(jobs, spec_dir, registry, cache)


@pytest.fixture
def fleet_dir(tmp_path: Path, fleet_records: list[dict[str, Any]]) -> Path:
    """A results folder of the real records (fresh per test: tests may damage it)."""
    return write_folder(tmp_path / "base", fleet_records)
