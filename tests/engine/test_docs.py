"""docs/plugin-guide.md says what the code does: its tables and the example's files."""

from __future__ import annotations

import re
from pathlib import Path

from tfm_ci import api
from tfm_ci.platform import ISA_FEATURES
from tfm_ci.plugins.arm import TOOLCHAIN as ARM

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "docs" / "plugin-guide.md").read_text()
EXAMPLE = REPO / "examples" / "acme_vendor"


def _between(tag: str) -> str:
    match = re.search(rf"<!-- {tag}:begin -->\n(.*?)<!-- {tag}:end -->", GUIDE, re.S)
    assert match, tag
    return match.group(1)


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", GUIDE, re.S)


def test_arm_core_table_is_the_toolchain() -> None:
    rows = re.findall(r"^\| `([\w-]+)` \| [^|]+ \| `([^`]+)` \|$", _between("arm-core-flags"),
                      re.M)
    assert dict(rows) == {core: " ".join(flags) for core, flags in ARM.core_flags.items()}


def test_isa_feature_table_is_the_validated_set() -> None:
    rows = re.findall(r"^\| `([\w.-]+)` \| (.+) \|$", _between("isa-features"), re.M)
    assert dict(rows) == ISA_FEATURES


def test_example_files_are_shown_as_they_are() -> None:
    assert (EXAMPLE / "pyproject.toml").read_text() in [b for b in _blocks("toml")]
    plugin = (EXAMPLE / "src" / "acme_tfm" / "__init__.py").read_text()
    body = plugin.split('"""', 2)[2].replace("from __future__ import annotations\n\n", "")
    assert body.strip() + "\n" in _blocks("python")


def test_every_api_name_the_guide_uses_exists() -> None:
    used = set(re.findall(r"\b(builtin_toolchain|plugin_dir|reference_kernel_set|load_boards|"
                          r"hookimpl|KernelSet|Platform)\b", GUIDE))
    assert used <= set(api.__all__)
