"""The build cache: keys from the compiler's own dependency list, ELF integrity, counts."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from tfm_ci.build import _Compiler, build
from tfm_ci.objcache import FileHashes, elf_intact, parse_depfile
from tfm_ci.opcodes import ops_def_path
from tfm_ci.registry import Registry

REPO = Path(__file__).resolve().parents[2]


def _host_compiler(registry: Registry, cache: Path, *flags: str) -> _Compiler:
    toolchain = registry.platform("host").toolchain
    return _Compiler(toolchain, [*toolchain.flags_for("host"), *flags], [], cache, FileHashes())


def test_parse_depfile_continuations_and_escapes(tmp_path: Path) -> None:
    text = ("/c/obj.tmp: /src/a.c include/b.h \\\n /x/with\\ space.h \\\n"
            "  /x/dollar$$.def\n")
    assert parse_depfile(text, tmp_path) == [
        Path("/src/a.c"), tmp_path / "include/b.h", Path("/x/with space.h"),
        Path("/x/dollar$.def")]


def test_object_rebuilt_when_an_included_table_changes(tmp_path: Path,
                                                       registry: Registry) -> None:
    """A table #included by a source (like ops.def by all_ops.c) is part of the key."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "table.def").write_text("X(1)\n")
    (src / "use.c").write_text('#define X(n) int v##n = n;\n#include "table.def"\n')
    cache = tmp_path / "cache"
    first, cached, _ = _host_compiler(registry, cache).object_for(src / "use.c")
    assert not cached
    again, cached, _ = _host_compiler(registry, cache).object_for(src / "use.c")
    assert cached and again == first
    (src / "table.def").write_text("X(2)\n")                  # the source text is unchanged
    comp = _host_compiler(registry, cache)
    second, cached, _ = comp.object_for(src / "use.c")
    assert not cached and second != first and comp.compiled == 1
    (src / "table.def").write_text("X(1)\n")                  # back: the first object again
    back, cached, _ = _host_compiler(registry, cache).object_for(src / "use.c")
    assert cached and back == first


def test_a_damaged_cached_object_is_rebuilt(tmp_path: Path, registry: Registry) -> None:
    src = tmp_path / "one.c"
    src.write_text("int one(void) { return 1; }\n")
    obj, _, _ = _host_compiler(registry, tmp_path / "c").object_for(src)
    size = obj.stat().st_size
    obj.write_bytes(obj.read_bytes()[: size // 2])
    comp = _host_compiler(registry, tmp_path / "c")
    again, cached, _ = comp.object_for(src)
    assert not cached and comp.compiled == 1 and again.stat().st_size == size


def test_all_ops_object_records_ops_def(tmp_path: Path, registry: Registry) -> None:
    fw = REPO / "firmware"
    comp = _host_compiler(registry, tmp_path, f"-I{fw / 'include'}", f"-I{fw / 'kernels'}",
                          f"-I{fw / 'app'}")
    obj, _, _ = comp.object_for(fw / "app" / "all_ops.c")
    deps = json.loads(obj.with_suffix(".json").read_text())["deps"]
    assert str(ops_def_path().resolve()) in deps
    assert str((fw / "app" / "app.h").resolve()) in deps


def test_cold_build_counts_every_object_and_corrupt_elf_is_relinked(
        tmp_path: Path, sine_model: Path, registry: Registry) -> None:
    board = registry.board("mps2-an386")
    toolchain = registry.platform_of(board).toolchain
    kset = registry.kernel_set(board)
    first = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path)
    # every source once for the measuring link, the app sources again with the real arena
    assert first.compiled >= len(first.sources)
    assert not first.cached
    assert elf_intact(first.elf.parent, first.elf.name)
    size = first.elf.stat().st_size
    first.elf.write_bytes(first.elf.read_bytes()[: size - 100])   # truncated in the cache
    second = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path)
    assert not second.cached and second.compiled == 0            # relinked, not recompiled
    assert second.elf == first.elf and second.elf.stat().st_size == size
    assert elf_intact(second.elf.parent, second.elf.name)
    third = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path)
    assert third.cached and third.compiled == 0


def test_concurrent_compiles_are_all_counted(tmp_path: Path, registry: Registry) -> None:
    sources = []
    for i in range(6):
        sources.append(tmp_path / f"f{i}.c")
        sources[-1].write_text(f"int f{i}(void) {{ return {i}; }}\n")
    comp = _host_compiler(registry, tmp_path / "cache")
    threads = [threading.Thread(target=comp.object_for, args=(s,)) for s in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert comp.compiled == 6


def test_settled_header_changed_in_place_still_rebuilds(tmp_path: Path,
                                                        registry: Registry) -> None:
    """The warm path trusts a dependency's stat (tfm_ci.statcache): a header edited
    in place, same size, its old mtime put back, must still rebuild the object."""
    import os
    import time

    from tfm_ci.statcache import RACY_SECONDS

    src = tmp_path / "src"
    src.mkdir()
    header, source = src / "value.h", src / "use.c"
    header.write_text("#define VALUE 1\n")
    source.write_text('#include "value.h"\nint v = VALUE;\n')
    old = 1_600_000_000
    for f in (header, source):
        os.utime(f, (old, old))
    time.sleep(RACY_SECONDS)                 # ctimes settle: the stat fast path applies
    cache = tmp_path / "cache"
    first, cached, _ = _host_compiler(registry, cache).object_for(source)
    assert not cached
    again, cached, _ = _host_compiler(registry, cache).object_for(source)
    assert cached and again == first
    header.write_text("#define VALUE 2\n")
    os.utime(header, (old, old))
    comp = _host_compiler(registry, cache)
    second, cached, _ = comp.object_for(source)
    assert not cached and second != first and comp.compiled == 1
