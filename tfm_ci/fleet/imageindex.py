"""A persistent index of a fleet's built images: a warm build phase is one look-up per image.

A warm :func:`tfm_ci.build.build` finds every object by its command key (flags and
source bytes) and checks every file the compiler read: about 250 sources per image,
twice (the measuring link and the real one), ~11 ms of CPU per image even when
nothing is compiled. A fleet of N images paid that N times.

The index names an image by everything its build reads, in a form checked with a
few stats::

    <cache>/index/<key[:2]>/<key>.json    {"format", "key", "image": {...}, "external": {...}}

The key covers the model's sha256, the board, the kernel set and the toolchain as
declared (their whole data, flags and memory map included), the compiler (its
``--version`` line and the sha256 of the driver binary), whether offline prep applies,
the versions of the Python libraries the code generators use, and the digest of
every file under the *source trees*: the firmware folder, the board's folder, the
kernel set's folders and the engine's own Python code (which generates ops.c, the
model blob, offline prep tables and linker scripts). A tree's digest covers each
file's relative path and sha256, so an added, removed, renamed or edited file
changes it; it is computed once per fleet (file hashes are reused while a file's
stat holds, :mod:`tfm_ci.statcache`). Files the compiler read outside those trees
(the toolchain's own headers, generated sources in the cache) are listed in the
entry with their sha256 and checked on every look-up. The ELF itself is checked
against its recorded sha256 (:func:`tfm_ci.objcache.elf_intact`).

An entry is written only after a successful build, and only when the source trees
still hash as they did when its key was computed (a file edited during the build
could otherwise be recorded under the old tree's key). Anything that does not hold
is a miss: the ordinary cached build runs and writes the entry again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import sys
import threading
from importlib import metadata
from pathlib import Path
from typing import Any

from tfm_ci import paths
from tfm_ci.build import BuildResult, compiler_version, offline_prep_enabled
from tfm_ci.objcache import FileHashes, cached_sha256, elf_intact, object_deps
from tfm_ci.platform import Board, KernelSet, Toolchain
from tfm_ci.writable import write_bytes_atomic

FORMAT = "tfm-ci image index 1"
#: Python distributions whose code generates build inputs (model reader, tables, templates).
GENERATOR_LIBRARIES = ("numpy", "tflite", "flatbuffers", "jinja2")
#: The image fields an entry records (tfm_ci.fleet.images.Image less its key and error).
IMAGE_FIELDS = {"elf", "elf_name", "build_key", "flags", "sources", "arena_size", "sizes"}
_SKIP_DIRS = {"__pycache__", ".git", ".pytest_cache", paths.DATA_FOLDER}


@functools.cache
def _library_versions() -> str:
    found = []
    for name in GENERATOR_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=")
    return f"python={sys.version};" + ";".join(found)


def tool_root() -> Path:
    """The engine's Python code (its ``.py`` files are one source tree)."""
    return paths.PACKAGE


def tree_digest(root: Path, *, suffixes: tuple[str, ...] = (),
                hashes: FileHashes | None = None) -> str:
    """sha256 over every file under `root` (relative path and content sha256), or only
    those ending in one of `suffixes`. `hashes`: the build phase's file hashes (each
    file looked up once per fleet); without it each file is checked afresh (a stat)."""
    h = hashlib.sha256(f"{FORMAT}\0{suffixes}\0".encode())
    if not root.is_dir():
        h.update(b"missing\0")
        return h.hexdigest()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        rel = os.path.relpath(folder, root)
        for name in sorted(files):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(folder, name)
            if hashes is not None:
                digest = hashes.get(path)
            else:
                try:
                    digest = cached_sha256(path)
                except OSError:
                    digest = None
            h.update(f"{rel}/{name}\0{digest}\0".encode())
    return h.hexdigest()


def _compiler_identity(cc: str) -> str:
    """The compiler's ``--version`` line and the sha256 of the driver it runs."""
    found = shutil.which(cc)
    digest = ""
    if found is not None:
        with contextlib.suppress(OSError):
            digest = cached_sha256(os.path.realpath(found))
    return f"{compiler_version(cc)}\0{found}\0{digest}"


def source_roots(board: Board, kernel_set: KernelSet) -> list[tuple[Path, tuple[str, ...]]]:
    """The trees an image's build reads: (folder, suffixes; () = every file)."""
    folders = [paths.firmware_dir(), board.directory,
               *(p.parent for p in kernel_set.overrides.values()),
               *(p.parent for p in kernel_set.extra_sources),
               *(op.source.parent for op in kernel_set.added_ops),
               *kernel_set.include_dirs]
    roots: list[Path] = []
    for folder in sorted({Path(os.path.realpath(f)) for f in folders}):
        if not any(folder.is_relative_to(r) for r in roots):   # sorted: parents first
            roots.append(folder)
    return [*((r, ()) for r in roots), (Path(os.path.realpath(tool_root())), (".py",))]


class ImageIndex:
    """The index of one cache folder, for one build phase (it reads the source trees
    once, in one state, like the phase's :class:`~tfm_ci.objcache.FileHashes`)."""

    def __init__(self, cache_dir: Path, hashes: FileHashes | None = None) -> None:
        self.root = cache_dir.resolve() / "index"
        self.hashes = hashes if hashes is not None else FileHashes()
        self._trees: dict[tuple[Path, tuple[str, ...]], str] = {}
        self._compilers: dict[str, str] = {}
        self._lock = threading.Lock()
        self._tree_lock = threading.Lock()
        self.hits = self.misses = self.stored = 0      # for tests and benchmarks

    # -- keys --------------------------------------------------------------------------------
    def _tree(self, root: Path, suffixes: tuple[str, ...]) -> str:
        # One lock for the computing too: the phase's build threads would otherwise all
        # hash the same trees at once (under the GIL, waiting is cheaper).
        with self._tree_lock:
            known = self._trees.get((root, suffixes))
            if known is None:
                known = tree_digest(root, suffixes=suffixes, hashes=self.hashes)
                self._trees[(root, suffixes)] = known
        return known

    def _compiler(self, cc: str) -> str:
        with self._lock:
            known = self._compilers.get(cc)
        if known is None:
            known = _compiler_identity(cc)
            with self._lock:
                self._compilers[cc] = known
        return known

    def key(self, board: Board, kernel_set: KernelSet, toolchain: Toolchain,
            model: str) -> str:
        """The image's key (the board's default arena); `model` names the model's bytes
        (their sha256) and whatever else of the model file enters the build."""
        h = hashlib.sha256()
        trees = [f"{r}:{s}:{self._tree(r, s)}" for r, s in source_roots(board, kernel_set)]
        for part in (FORMAT, repr(board), repr(kernel_set), repr(toolchain),
                     self._compiler(toolchain.cc), model,
                     str(offline_prep_enabled(kernel_set, board)), _library_versions(),
                     str(self.root), *trees):
            h.update(part.encode() + b"\0")
        return h.hexdigest()

    def trees_unchanged(self, board: Board, kernel_set: KernelSet) -> bool:
        """Every source tree of the image hashes now as it did when keys were made."""
        for root, suffixes in source_roots(board, kernel_set):
            if tree_digest(root, suffixes=suffixes) != self._tree(root, suffixes):
                return False
        return True

    def entry_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    # -- look-up and store -------------------------------------------------------------------
    def lookup(self, key: str) -> dict[str, Any] | None:
        """The recorded image fields (see :meth:`store`) when the entry holds: its
        external dependencies hash as recorded and its ELF is intact; else None."""
        try:
            entry = json.loads(self.entry_path(key).read_bytes())
            image = entry["image"]
            ok = (entry["format"] == FORMAT and entry["key"] == key
                  and isinstance(image, dict) and set(image) == IMAGE_FIELDS
                  and all(self.hashes.get(p) == h for p, h in entry["external"].items())
                  and elf_intact(Path(image["elf"]).parent, image["elf_name"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            ok = False
        with self._lock:
            if ok:
                self.hits += 1
            else:
                self.misses += 1
        return image if ok else None

    def store(self, key: str, board: Board, kernel_set: KernelSet, built: BuildResult,
              image: dict[str, Any]) -> bool:
        """Record a successful build's `image` fields under `key`; False when it is not
        recorded (the source trees changed meanwhile, an object's dependency list is
        unreadable, the cache is read-only)."""
        roots = [r for r, _s in source_roots(board, kernel_set)]
        external: dict[str, str] = {}
        try:
            for obj in built.objects:
                for dep, digest in object_deps(obj).items():
                    if not any(Path(dep).is_relative_to(r) for r in roots):
                        external[dep] = digest
        except (OSError, ValueError, KeyError, TypeError):
            return False
        if not built.objects or not self.trees_unchanged(board, kernel_set):
            return False
        data = json.dumps({"format": FORMAT, "key": key, "image": image,
                           "external": dict(sorted(external.items()))}, indent=1).encode()
        try:
            write_bytes_atomic(self.entry_path(key), data)
        except OSError:
            return False
        with self._lock:
            self.stored += 1
        return True
