"""Per-process caches keyed by a file's stat: reused while the file is unchanged, read
afresh after any change (even one that keeps the size and puts the old mtime back)."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tfm_ci import build as build_mod
from tfm_ci.elfinfo import read_elf
from tfm_ci.elfsize import section_sizes
from tfm_ci.objcache import cached_sha256, sha256_file
from tfm_ci.registry import Registry
from tfm_ci.statcache import RACY_SECONDS, StatCache

OLD = 1_600_000_000          # a settled mtime (2020), far outside the racy window


def _age(path: Path, when: int = OLD) -> None:
    os.utime(path, (when, when))


def _ctime_settled(path: Path) -> bool:
    import time
    return time.time() - path.stat().st_ctime >= RACY_SECONDS


def _wait_settled(path: Path) -> None:
    """ctime cannot be set back: wait (at most RACY_SECONDS) until it is old enough."""
    import time
    while not _ctime_settled(path):
        time.sleep(0.1)


def test_value_reused_while_unchanged_and_recomputed_after_a_change(tmp_path: Path) -> None:
    f = tmp_path / "data.txt"
    f.write_text("aaaa")
    _age(f)
    _wait_settled(f)
    cache: StatCache[str] = StatCache(lambda p: p.read_text())
    assert cache.get(f) == "aaaa" and cache.get(f) == "aaaa"
    assert cache.computed == 1                        # the second call was a hit
    f.write_text("bbbb")                              # same size ...
    _age(f)                                           # ... and the same mtime as before
    assert cache.get(f) == "bbbb"                     # ctime moved: read afresh
    assert cache.computed == 2


def test_a_young_file_is_never_kept(tmp_path: Path) -> None:
    """Written within the racy window: a second write in the same tick could keep the stat."""
    f = tmp_path / "young.txt"
    f.write_text("one")
    cache: StatCache[str] = StatCache(lambda p: p.read_text())
    assert cache.get(f) == "one" and cache.get(f) == "one"
    assert cache.computed == 2
    f.write_text("two")
    assert cache.get(f) == "two"


def test_a_young_write_once_file_is_kept_and_its_replacement_read(tmp_path: Path) -> None:
    """Shipped fleet files (content-addressed, renamed into place complete) are kept at
    once; a file replaced over one still has a new inode and is read afresh."""
    from tfm_ci.fleet import images
    from tfm_ci.statcache import trust_young

    f = images.install_file(f"tests/{tmp_path.name}", "firmware.elf", b"one")
    cache: StatCache[str] = StatCache(lambda p: p.read_text())
    assert cache.get(f) == "one" and cache.get(f) == "one"
    assert cache.computed == 1                        # young, yet kept: declared write-once
    other = f.with_name("new")
    other.write_text("two")
    os.replace(other, f)
    assert cache.get(f) == "two" and cache.computed == 2
    young = tmp_path / "young"                        # not declared: the rule still holds
    young.write_text("x")
    assert cache.get(young) == "x" and cache.get(young) == "x" and cache.computed == 4
    trust_young(young)
    assert cache.get(young) == "x" and cache.get(young) == "x" and cache.computed == 5


def test_replaced_file_and_extra_keys(tmp_path: Path) -> None:
    f = tmp_path / "x"
    f.write_text("1")
    _age(f)
    _wait_settled(f)
    cache: StatCache[str] = StatCache(lambda p: p.read_text())
    assert cache.get(f) == "1"
    assert cache.get(f, "upper", lambda p: p.read_text() + "!") == "1!"   # its own entry
    other = tmp_path / "y"
    other.write_text("2")
    _age(other)
    os.replace(other, f)                              # new inode
    assert cache.get(f) == "2"
    f.unlink()
    with pytest.raises(OSError):
        cache.get(f)


def _two_elfs() -> tuple[Path, Path]:
    a, b = shutil.which("ls"), shutil.which("true")
    if not a or not b:
        pytest.skip("needs ls and true executables as sample ELFs")
    return Path(a), Path(b)


def test_elf_symbols_and_sizes_are_read_afresh_when_the_elf_changes(tmp_path: Path) -> None:
    first, second = _two_elfs()
    elf = tmp_path / "firmware.elf"
    shutil.copy(first, elf)
    _age(elf)
    _wait_settled(elf)
    info, sizes = read_elf(elf), section_sizes(elf)
    assert read_elf(elf) is info                      # cached: the same object
    sizes.sections.clear()                            # a caller's copy is its own
    assert section_sizes(elf).sections
    elf.write_bytes(second.read_bytes())              # rewritten in place
    _age(elf)
    assert section_sizes(elf) == section_sizes(second)
    assert dict(read_elf(elf).symbols) == dict(read_elf(second).symbols)
    assert read_elf(elf) is not info


def test_cached_sha256_follows_the_content(tmp_path: Path) -> None:
    f = tmp_path / "header.h"
    f.write_text("#define A 1\n")
    _age(f)
    _wait_settled(f)
    assert cached_sha256(f) == sha256_file(f)
    f.write_text("#define A 2\n")
    _age(f)
    assert cached_sha256(f) == sha256_file(f)


def test_linker_script_rendered_again_when_its_template_changes(
        tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    board = registry.board("riscv32-virt")
    if board.linker_script is not None:
        pytest.skip("riscv32-virt has a checked-in linker script")
    fw = tmp_path / "firmware"
    shutil.copytree(build_mod.firmware_dir() / "ports", fw / "ports")
    monkeypatch.setattr(build_mod, "firmware_dir", lambda: fw)
    renderer = fw / "ports" / "linker_script.py"
    for f in (fw / "ports").rglob("*"):
        _age(f)
    _wait_settled(renderer)
    template = next(fw / "ports" / p / "linker.ld.j2" for p in board.ports
                    if (fw / "ports" / p / "linker.ld.j2").is_file())
    _wait_settled(template)
    text = build_mod._render_linker_script(board, renderer)
    assert build_mod._render_linker_script(board, renderer) is text       # cached
    template.write_text(template.read_text() + "/* changed */\n")
    _age(template)
    assert build_mod._render_linker_script(board, renderer) == text + "/* changed */\n"
    other = replace(board, stack_size=board.stack_size + 1024)             # another board
    assert build_mod._render_linker_script(other, renderer) != text + "/* changed */\n"


def test_model_info_cached_by_content(tmp_path: Path) -> None:
    from tfm_ci import demo_models
    from tfm_ci.inspect import read_model

    sine, kws = demo_models.build("sine"), demo_models.build("kws")
    first = read_model(sine)
    assert read_model(bytes(sine)) is first                # same bytes: parsed once
    path = tmp_path / "m.tflite"
    path.write_bytes(sine)
    assert read_model(path) is first
    path.write_bytes(kws)                                  # the file changed: its new model
    changed = read_model(path)
    assert changed == read_model(kws) and changed != first
    assert [op.name for op in changed.subgraphs[0].ops] != \
        [op.name for op in first.subgraphs[0].ops]
