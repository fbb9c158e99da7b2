"""The checked-in fleet suites match their generator and cover every built-in board."""

from __future__ import annotations

import importlib.util
from types import ModuleType

from tfm_ci import demo_models
from tfm_ci.boards import repo_root
from tfm_ci.robot import TfmLibrary
from tfm_ci.robot.models import SHARED_MODELS

FLEET = repo_root() / "robot_tests" / "fleet"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fleet_generate", FLEET / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_suites_are_up_to_date() -> None:
    gen = generator()
    for board in gen.BOARDS:
        path = gen.suite_path(board)
        assert path.is_file() and path.read_text() == gen.render(board), \
            f"{path} stale: run python robot_tests/fleet/generate.py"
    suites = {p.name for p in FLEET.glob("*.robot")} - {"__init__.robot"}
    assert suites == {gen.suite_path(b).name for b in gen.BOARDS}


def test_every_builtin_board_and_model_is_covered() -> None:
    gen = generator()
    assert set(gen.BOARDS) == set(TfmLibrary().built_in_boards()), \
        "add the new built-in board to robot_tests/fleet/generate.py and run it"
    models = [m for m, _t in gen.MODELS]
    assert set(models) == set(demo_models.DEMO_MODELS) | set(SHARED_MODELS)
