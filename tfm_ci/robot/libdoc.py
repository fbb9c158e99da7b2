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
    status = libdoc("tfm_ci.robot.TfmLibrary", str(out), name="TfmLibrary")
    # Libdoc records absolute source paths; keep the checked-in page machine-independent.
    root = str(repo_root()) + "/"
    out.write_text(out.read_text().replace(root, ""))
    return status


if __name__ == "__main__":
    sys.exit(main())
