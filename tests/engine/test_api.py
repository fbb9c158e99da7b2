"""The public plugin API: every name exported, and plugins import nothing else of tfm-ci."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tfm_ci import api

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIRS = [*sorted((REPO / "tfm_ci" / "plugins").iterdir()),
               REPO / "robot_tests" / "plugins" / "tfm_faults",
               REPO / "examples" / "acme_vendor" / "src" / "acme_tfm"]


def test_all_names_exist() -> None:
    assert len(api.__all__) == len(set(api.__all__))
    for name in api.__all__:
        assert getattr(api, name) is not None, name


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append(node.module)
    return out


@pytest.mark.parametrize("folder", [d for d in PLUGIN_DIRS if d.is_dir() and d.name[0] != "_"],
                         ids=lambda d: d.name)
def test_plugins_import_only_the_public_api(folder: Path) -> None:
    own = f"tfm_ci.plugins.{folder.name}" if folder.parent.name == "plugins" and \
        folder.parent.parent.name == "tfm_ci" else folder.name
    for path in sorted(folder.rglob("*.py")):
        for module in _imports(path):
            if module.startswith("tfm_ci") or module.startswith(("tfm_", "acme_")):
                assert module == "tfm_ci.api" or module.startswith(own), \
                    f"{path.relative_to(REPO)} imports {module}"
