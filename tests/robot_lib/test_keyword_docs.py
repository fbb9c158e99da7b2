"""The checked-in keyword page (docs/robot-keywords.md) is what the library says now."""

from __future__ import annotations

from pathlib import Path

from tfm_ci.robot.libdoc import main, markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_keyword_markdown_is_current() -> None:
    text = (DOCS / "robot-keywords.md").read_text()
    assert text == markdown(), "docs/robot-keywords.md is stale: run `make docs`"
    assert main(["--check"]) == 0


def test_keyword_page_names_the_import_and_every_keyword() -> None:
    from robot.libdocpkg import LibraryDocumentation

    text = (DOCS / "robot-keywords.md").read_text()
    assert "Library    tfm_ci.robot.TfmLibrary" in text
    for kw in LibraryDocumentation("tfm_ci.robot.TfmLibrary").keywords:
        assert f"### {kw.name}\n" in text


def test_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    (tmp_path / "robot-keywords.md").write_text("old\n")
    assert main(["--check", str(tmp_path)]) == 1
