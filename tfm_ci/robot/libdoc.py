"""Regenerate the keyword documentation: ``python -m tfm_ci.robot.libdoc [OUT.html]``."""

from __future__ import annotations

import sys
from pathlib import Path

from robot.libdoc import libdoc

from tfm_ci.boards import repo_root

DEFAULT_OUT = repo_root() / "docs" / "robot-keywords.html"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    return libdoc("tfm_ci.robot.TfmLibrary", str(out), name="TfmLibrary")


if __name__ == "__main__":
    sys.exit(main())
