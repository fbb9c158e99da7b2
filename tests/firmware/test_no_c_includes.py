"""Kernels share code through headers: no C file #includes another .c file."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INCLUDE_C = re.compile(r'^\s*#\s*include\s*[<"][^>"]+\.c[>"]', re.MULTILINE)
SKIP = {".venv", ".git", "build", "node_modules"}


def _c_files() -> list[Path]:
    return [p for p in REPO.rglob("*") if p.suffix in (".c", ".h", ".S", ".def")
            and not SKIP.intersection(p.relative_to(REPO).parts) and p.is_file()]


def test_the_pattern_matches_what_it_should() -> None:
    assert INCLUDE_C.search('#include "reference/conv_2d.c"\n')
    assert INCLUDE_C.search('  #  include <x/y.c>\n')
    assert not INCLUDE_C.search('#include "common/conv_2d.h"\n#include "../ops.def"\n')


def test_no_c_file_includes_a_c_file() -> None:
    files = _c_files()
    assert len(files) > 100                       # the firmware, plugins, examples, fixtures
    offenders = [f"{p.relative_to(REPO)}: {m.group(0).strip()}" for p in files
                 for m in INCLUDE_C.finditer(p.read_text(errors="replace"))]
    assert offenders == []
