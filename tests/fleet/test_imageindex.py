"""The image index: a warm image is one look-up, and any change to what its build reads
(a source, a flag, the toolchain, the model, the generators) is a miss, never a stale
image."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from tfm_ci import demo_models, paths
from tfm_ci.fleet import imageindex, images
from tfm_ci.fleet.imageindex import ImageIndex
from tfm_ci.objcache import FileHashes, sha256_file
from tfm_ci.platform import KernelSet
from tfm_ci.registry import Registry

SINE = "sine-sha:sine.tflite"


def _parts(registry: Registry, board: str = "host", kset: str = "reference"):
    b = registry.board(board)
    return b, registry.kernel_set(b, kset), registry.platform_of(b).toolchain


def _key(cache: Path, board, kset, toolchain, model: str = SINE) -> str:
    """The key a new fleet (a new build phase) computes."""
    return ImageIndex(cache, FileHashes()).key(board, kset, toolchain, model)


@pytest.fixture
def kset_dir(tmp_path: Path) -> Path:
    """A kernel set folder of its own: an override of the reference fully_connected.c."""
    folder = tmp_path / "kset"
    folder.mkdir()
    shutil.copy(paths.firmware_dir() / "kernels" / "reference" / "fully_connected.c",
                folder / "fully_connected.c")
    (folder / "extra.h").write_text("#define EXTRA 1\n")
    return folder


def _kset(folder: Path) -> KernelSet:
    return KernelSet("mine", "test set", overrides={"fully_connected.c": folder /
                                                    "fully_connected.c"},
                     include_dirs=(folder,))


def test_key_follows_every_input(tmp_path: Path, registry: Registry, kset_dir: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    board, _ref, toolchain = _parts(registry)
    kset = _kset(kset_dir)
    cache = tmp_path / "cache"
    base = _key(cache, board, kset, toolchain)
    assert _key(cache, board, kset, toolchain) == base           # deterministic
    # A rewrite with the same bytes (a checkout, a touch) is the same image.
    text = (kset_dir / "fully_connected.c").read_text()
    (kset_dir / "fully_connected.c").write_text(text)
    assert _key(cache, board, kset, toolchain) == base
    changed = {}
    (kset_dir / "fully_connected.c").write_text(text + "\n/* edited */\n")
    changed["source edited"] = _key(cache, board, kset, toolchain)
    (kset_dir / "fully_connected.c").write_text(text)
    assert _key(cache, board, kset, toolchain) == base           # back: the same key
    (kset_dir / "extra.h").write_text("#define EXTRA 2\n")
    changed["header edited"] = _key(cache, board, kset, toolchain)
    (kset_dir / "extra.h").write_text("#define EXTRA 1\n")
    (kset_dir / "new.h").write_text("\n")
    changed["file added"] = _key(cache, board, kset, toolchain)
    (kset_dir / "new.h").unlink()
    assert _key(cache, board, kset, toolchain) == base
    changed["board flag"] = _key(cache, replace(board, cflags=(*board.cflags, "-DX=1")), kset,
                                 toolchain)
    changed["board memory"] = _key(cache, replace(board, stack_size=board.stack_size + 16),
                                   kset, toolchain)
    changed["toolchain flag"] = _key(cache, board, kset, replace(
        toolchain, common_flags=(*toolchain.common_flags, "-O3")))
    changed["link flag"] = _key(cache, board, kset, replace(
        toolchain, link_flags=(*toolchain.link_flags, "-s")))
    changed["kernel set"] = _key(cache, board, replace(kset, offline_prep=True), toolchain)
    changed["model bytes"] = _key(cache, board, kset, toolchain, "other-sha:sine.tflite")
    changed["model name"] = _key(cache, board, kset, toolchain, "sine-sha:renamed.tflite")
    changed["cache folder"] = _key(tmp_path / "other-cache", board, kset, toolchain)
    assert base not in changed.values()
    assert len(set(changed.values())) == len(changed), changed


def test_key_follows_the_firmware_tree_and_the_generators(
        tmp_path: Path, registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    board, kset, toolchain = _parts(registry)
    firmware = tmp_path / "firmware"
    (firmware / "runtime").mkdir(parents=True)
    (firmware / "runtime" / "a.c").write_text("int a;\n")
    tool = tmp_path / "tool"
    tool.mkdir()
    (tool / "gen.py").write_text("X = 1\n")
    monkeypatch.setattr(paths, "firmware_dir", lambda: firmware)
    monkeypatch.setattr(imageindex, "tool_root", lambda: tool)
    cache = tmp_path / "cache"
    base = _key(cache, board, kset, toolchain)
    (firmware / "runtime" / "a.c").write_text("int a = 1;\n")
    edited = _key(cache, board, kset, toolchain)
    (firmware / "runtime" / "a.c").rename(firmware / "runtime" / "b.c")
    renamed = _key(cache, board, kset, toolchain)
    (tool / "gen.py").write_text("X = 2\n")
    generator = _key(cache, board, kset, toolchain)
    (tool / "notes.txt").write_text("not code\n")          # only the .py files count
    assert _key(cache, board, kset, toolchain) == generator
    assert len({base, edited, renamed, generator}) == 4


def test_key_follows_the_compiler_binary(tmp_path: Path, registry: Registry,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    board, kset, toolchain = _parts(registry)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    cc = bin_dir / "tfm-test-cc"
    cc.write_text(f'#!/bin/sh\nexec {shutil.which("gcc")} "$@"\n')
    cc.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    mine = replace(toolchain, cc="tfm-test-cc")
    cache = tmp_path / "cache"
    base = _key(cache, board, kset, mine)
    cc.write_text(cc.read_text() + "# another build of the same version\n")
    assert _key(cache, board, kset, mine) != base
    assert base != _key(cache, board, kset, toolchain)


def test_offline_prep_switch_is_part_of_the_key(tmp_path: Path, registry: Registry,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    board, kset, toolchain = _parts(registry, "mps2-an386", "opt")
    base = _key(tmp_path, board, kset, toolchain)
    monkeypatch.setenv("TFM_CI_OFFLINE_PREP", "0")
    assert _key(tmp_path, board, kset, toolchain) != base


@pytest.mark.slow
def test_warm_image_is_a_look_up_and_every_check_holds(
        tmp_path: Path, registry: Registry, cache: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "sine.tflite"
    model.write_bytes(demo_models.build("sine"))

    def phase() -> tuple[images.Image | None, ImageIndex]:
        hashes = FileHashes()
        index = ImageIndex(cache, hashes)
        return images.build_image(registry, "host", "reference", model, cache_dir=cache,
                                  hashes=hashes, index=index), index

    first, index = phase()            # built (from the object cache) or found
    assert first is not None and first.error is None
    found, index = phase()
    assert index.hits == 1 and found == first
    board, kset, toolchain = _parts(registry)
    key = ImageIndex(cache).key(board, kset, toolchain,
                                f"{first.key[2]}:{model.name}")
    entry_path = ImageIndex(cache).entry_path(key)
    entry = json.loads(entry_path.read_text())
    # What the compiler read outside the source trees is listed (the system headers).
    assert entry["external"] and all(not p.startswith(str(paths.firmware_dir().resolve()))
                                     for p in entry["external"])
    # A hit builds nothing at all.
    monkeypatch.setattr(images, "build", lambda *a, **k: pytest.fail("built on a hit"))
    again, index = phase()
    assert index.hits == 1 and again == first
    monkeypatch.undo()

    # A damaged ELF is a miss: the ordinary build links it again.
    elf = Path(first.elf)
    good = elf.read_bytes()
    elf.write_bytes(good[: len(good) // 2])
    rebuilt, index = phase()
    assert index.misses == 1 and index.stored == 1
    assert rebuilt == first and elf.read_bytes() == good

    # A file read outside the trees (e.g. a toolchain header) that changed is a miss.
    outside = tmp_path / "header.h"
    outside.write_text("#define V 1\n")
    entry = json.loads(entry_path.read_text())
    entry["external"][str(outside)] = sha256_file(outside)
    entry_path.write_text(json.dumps(entry))
    _img, index = phase()
    assert index.hits == 1                  # unchanged: still a hit
    outside.write_text("#define V 2\n")
    _img, index = phase()
    assert index.misses == 1 and index.hits == 0 and index.stored == 1

    # An entry of another layout (an extra or a missing field) is a miss, not a crash.
    entry = json.loads(entry_path.read_text())
    entry["image"]["new_field"] = 1
    entry_path.write_text(json.dumps(entry))
    again, index = phase()
    assert index.misses == 1 and again == first
    entry = json.loads(entry_path.read_text())
    assert "new_field" not in entry["image"]          # written again by that build

    # An entry for another key (a copied or damaged file) is not used.
    entry["key"] = "0" * 64
    entry_path.write_text(json.dumps(entry))
    _img, index = phase()
    assert index.misses == 1


def test_not_stored_when_the_trees_changed_during_the_build(
        tmp_path: Path, registry: Registry, kset_dir: Path) -> None:
    board, _ref, toolchain = _parts(registry)
    kset = _kset(kset_dir)
    obj = tmp_path / "obj" / "x.o"
    obj.parent.mkdir()
    obj.write_bytes(b"")
    obj.with_suffix(".json").write_text(json.dumps({"deps": {}, "sha256": ""}))
    fake = images.BuildResult(elf=tmp_path / "x.elf", cached=False, flags=[], sources=[],
                              objects=[obj])
    index = ImageIndex(tmp_path / "cache")
    key = index.key(board, kset, toolchain, SINE)
    assert index.store(key, board, kset, fake, {}) and index.entry_path(key).is_file()
    index = ImageIndex(tmp_path / "cache")
    key = index.key(board, kset, toolchain, "other:sine.tflite")
    (kset_dir / "fully_connected.c").write_text("/* edited while building */\n")
    assert not index.store(key, board, kset, fake, {})
    assert not index.entry_path(key).exists()
