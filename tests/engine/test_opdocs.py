"""docs/firmware.md's op list is generated from firmware/kernels/ops.def and current."""

from __future__ import annotations

from pathlib import Path

import pytest

from tfm_ci import opdocs
from tfm_ci.opcodes import read_ops_def


def test_checked_in_op_list_is_current() -> None:
    assert opdocs.main(["--check"]) == 0, "run `make docs`"
    text = opdocs.doc_path().read_text()
    for op in read_ops_def().values():
        row = f"| {op.name} | {op.code} | {op.max_version} | `kernels/reference/{op.source_name}` |"
        assert row in text


def test_a_changed_table_makes_the_list_stale(tmp_path: Path) -> None:
    doc = tmp_path / "firmware.md"
    doc.write_text(f"intro\n{opdocs.BEGIN}\nold list\n{opdocs.END}\nrest\n")
    assert opdocs.main(["--check", "--doc", str(doc)]) == 1
    assert opdocs.main(["--doc", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith("intro\n") and text.endswith(f"{opdocs.END}\nrest\n")
    assert "old list" not in text and "| FULLY_CONNECTED | 9 | 13 |" in text
    assert opdocs.main(["--check", "--doc", str(doc)]) == 0
    ops = read_ops_def()
    fc = ops[9]
    ops[9] = type(fc)(fc.name, fc.code, fc.suffix, fc.max_version + 1)
    assert opdocs.updated(text, ops) != text


def test_missing_markers_are_an_error(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("no markers\n")
    assert opdocs.main(["--doc", str(doc)]) == 2
    with pytest.raises(ValueError, match="markers"):
        opdocs.updated("x", read_ops_def())
