"""Firmware images for a fleet: built once per distinct image, before any simulation.

The build phase calls :func:`tfm_ci.build.build` once per (board, kernel set,
model bytes, arena) through the content cache. Jobs then take their image from
the build phase instead of asking the build again: a warm job spends no
time hashing sources, and a Dask worker, which gets the ELF bytes shipped with
the job, needs no compiler at all.

Each job hands `run_job` its image as a :class:`tfm_ci.job.Prebuilt`
(:func:`prebuilt`), which `run_job` uses only when it is for that job's board,
kernel set, model bytes and arena. Build failures are kept too, so `run_job`
records exactly what a direct build would. The image's section sizes travel
with it: a job reads its ELF's symbols only (once per process, cached).
"""

from __future__ import annotations

import atexit
import hashlib
import queue
import shutil
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tfm_ci import orphans, statcache
from tfm_ci.build import (
    BuildError,
    BuildResult,
    UnsupportedModelError,
    build,
    default_cache_dir,
)
from tfm_ci.elfsize import SectionSizes
from tfm_ci.fleet.imageindex import ImageIndex
from tfm_ci.job import Prebuilt
from tfm_ci.objcache import FileHashes
from tfm_ci.registry import Registry
from tfm_ci.writable import write_bytes_atomic

ImageKey = tuple[str, str, str, Any]        # board, kernel set, model sha256, arena size


@dataclass
class Image:
    """A built image (or why it could not be built), as plain data."""

    key: ImageKey
    elf: str = ""                          # path on the machine that built it
    elf_name: str = ""
    build_key: str = ""
    flags: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    arena_size: int | None = None
    error: tuple[str, str, str] | None = None   # (kind, message, log): "unsupported" | "build"
    elf_bytes: bytes | None = None              # filled when shipped to another machine
    sizes: dict[str, Any] | None = None         # SectionSizes.to_dict() of the ELF

    def result(self, elf: Path | None = None) -> BuildResult:
        """What `build` returns for this image, or raise what it raised."""
        if self.error is not None:
            kind, message, log = self.error
            cls = UnsupportedModelError if kind == "unsupported" else BuildError
            raise cls(message, log)
        sizes = None
        if self.sizes is not None:
            sizes = SectionSizes(**{**self.sizes, "sections": dict(self.sizes["sections"])})
        return BuildResult(elf=elf or Path(self.elf), cached=True, flags=list(self.flags),
                           sources=[Path(s) for s in self.sources], arena_size=self.arena_size,
                           key=self.build_key, seconds=0.0, compiled=0, sizes=sizes)

    def shipped(self) -> Image:
        """A copy carrying the ELF's bytes, for a worker without our cache."""
        if self.error is not None:
            return self
        return replace(self, elf_bytes=Path(self.elf).read_bytes())


def image_key(board: str, kernel_set: str, model_bytes: bytes, arena: Any) -> ImageKey:
    return (board, kernel_set, hashlib.sha256(model_bytes).hexdigest(), arena)


def build_image(registry: Registry, board_name: str, kset_name: str, model: Path,
                cache_dir: Path | None = None, hashes: FileHashes | None = None,
                index: ImageIndex | None = None) -> Image | None:
    """Build one image; None when the engine would fail before building (it records that).
    `hashes`: shared by the builds of one build phase (see :class:`Builds`); `index`:
    the phase's image index (a warm image is one look-up, :mod:`.imageindex`)."""
    try:
        board = registry.board(board_name)
        platform = registry.platform_of(board)
        kset = registry.kernel_set(board, kset_name)
        model_bytes = model.read_bytes()
        key = image_key(board_name, kset_name, model_bytes, None)
    except (LookupError, OSError):
        return None
    entry = None
    if index is not None:
        # The file's name is in the offline prep source (a comment): part of the image.
        entry = index.key(board, kset, platform.toolchain, f"{key[2]}:{model.name}")
        found = index.lookup(entry)
        if found is not None:
            return Image(key=key, **found)
    try:
        built = build(board, model, kset, toolchain=platform.toolchain, cache_dir=cache_dir,
                      hashes=hashes, model_bytes=model_bytes)
    except BuildError as exc:
        kind = "unsupported" if isinstance(exc, UnsupportedModelError) else "build"
        text = str(exc)
        message = text[: -len(exc.log) - 1] if exc.log and text.endswith(exc.log) else text
        return Image(key=key, error=(kind, message, exc.log))
    except Exception:
        return None        # e.g. a model the reader refuses: run_job says so itself
    fields = {"elf": str(built.elf), "elf_name": built.elf.name, "build_key": built.key,
              "flags": list(built.flags), "sources": [str(s) for s in built.sources],
              "arena_size": built.arena_size,
              "sizes": built.sizes.to_dict() if built.sizes is not None else None}
    if index is not None and entry is not None:
        index.store(entry, board, kset, built, fields)
    return Image(key=key, **fields)


def build_all(registry: Registry, wanted: list[tuple[str, str, Path]], *, workers: int,
              cache_dir: Path | None = None) -> list[Image]:
    """Build each distinct (board, kernel set, model) once, `workers` at a time."""
    return [i for _w, i in build_each(registry, wanted, workers=workers, cache_dir=cache_dir)
            if i is not None]


Wanted = tuple[str, str, Path]


class Builds:
    """Each distinct wanted image, built `workers` at a time; :meth:`each` yields
    (wanted, image or None) as each build finishes. :meth:`cancel` (from any thread)
    drops the builds not started yet, so an interrupted fleet does not go on
    building images nobody will simulate.

    The builds share one :class:`~tfm_ci.objcache.FileHashes` (the build phase reads
    the tree in one state, as one build does): the images of a fleet share most of
    their sources, and each cached object is then found, and each file it depends
    on hashed, once per fleet instead of once per image. And one
    :class:`~tfm_ci.fleet.imageindex.ImageIndex`: a warm image is then a look-up, not
    a build (the source trees are hashed once per phase)."""

    def __init__(self, registry: Registry, wanted: list[Wanted], *, workers: int,
                 cache_dir: Path | None = None) -> None:
        self._unique = list(dict.fromkeys(wanted))
        self._pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(self._unique) or 1)),
                                        thread_name_prefix="tfm-fleet-build")
        hashes = FileHashes()
        self.index = ImageIndex(cache_dir or default_cache_dir(), hashes)
        self._futures = {self._pool.submit(build_image, registry, *w, cache_dir=cache_dir,
                                           hashes=hashes, index=self.index): w
                         for w in self._unique}

    def each(self) -> Iterator[tuple[Wanted, Image | None]]:
        # Not concurrent.futures.as_completed: it never returns a future cancelled by
        # shutdown(cancel_futures=True) (waits for it forever); done callbacks do run.
        done: queue.SimpleQueue[Future] = queue.SimpleQueue()
        for fut in self._futures:
            fut.add_done_callback(done.put)
        try:
            for _ in range(len(self._futures)):
                fut = done.get()
                if not fut.cancelled():
                    yield self._futures[fut], fut.result()
        finally:
            self.cancel()

    def cancel(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def build_each(registry: Registry, wanted: list[Wanted], *, workers: int,
               cache_dir: Path | None = None) -> Iterator[tuple[Wanted, Image | None]]:
    """(wanted, image or None) for each distinct wanted image as soon as it is built,
    `workers` builds at a time, in the order they finish."""
    yield from Builds(registry, wanted, workers=workers, cache_dir=cache_dir).each()


# -- handing a job its image -------------------------------------------------------------------
_LOCK = threading.Lock()
_SHIP_DIR: Path | None = None
#: prebuilt() per image, for the other jobs of the same image in this process (a
#: BuildResult lists the image's ~250 source paths: rebuilding it cost ~1 ms per job).
_PREBUILT: dict[tuple[Any, ...], Prebuilt] = {}
_PREBUILT_MAX = 1024


def _memo_key(image: Image) -> tuple[Any, ...]:
    """What identifies an image's Prebuilt. The build key (the link's content key:
    flags, objects, linker script) fixes the ELF and so its sizes; a shipped ELF is
    installed under it too."""
    return (image.key, image.elf, image.elf_name, image.build_key, image.arena_size,
            image.error, tuple(image.flags), tuple(image.sources), image.elf_bytes is None)


def prebuilt(image: Image) -> Prebuilt:
    """`image` as run_job's `prebuilt` argument; a shipped ELF is written to this
    machine's ship_dir() first (once). The same built image gives the same Prebuilt
    (shared: run_job only reads it); a build error is made anew for each job, so no
    two jobs raise one exception object."""
    if image.error is not None:
        return _prebuilt(image)
    key = _memo_key(image)
    with _LOCK:
        hit = _PREBUILT.get(key)
    if hit is not None and (image.elf_bytes is None or _installed(hit)):
        return hit
    made = _prebuilt(image)
    with _LOCK:
        if len(_PREBUILT) >= _PREBUILT_MAX:
            _PREBUILT.clear()
        _PREBUILT[key] = made
    return made


def _installed(p: Prebuilt) -> bool:
    """A shipped ELF is still where it was written (ship_dir is private to us, but a
    test or a tidy-up may remove it)."""
    return p.result is None or p.result.elf.is_file()


def _prebuilt(image: Image) -> Prebuilt:
    board, kernel_set, model_sha256, arena = image.key
    if image.error is not None:
        try:
            image.result()
        except BuildError as exc:      # the error exactly as `build` raised it
            return Prebuilt(board, kernel_set, model_sha256, arena, error=exc)
    elf = None
    if image.elf_bytes is not None:
        elf = _install_bytes(image.build_key, image.elf_name, image.elf_bytes)
    return Prebuilt(board, kernel_set, model_sha256, arena, result=image.result(elf))


def ship_dir() -> Path:
    """Where a worker process keeps shipped ELFs and models."""
    global _SHIP_DIR
    with _LOCK:
        if _SHIP_DIR is None:
            _SHIP_DIR = Path(tempfile.mkdtemp(prefix="tfm-ci-worker-"))
            atexit.register(shutil.rmtree, _SHIP_DIR, ignore_errors=True)
            orphans.remove_with_us(_SHIP_DIR)     # also when the worker is killed
        return _SHIP_DIR


def install_file(folder: str, name: str, data: bytes, mode: int = 0o644) -> Path:
    """`data` as ship_dir()/folder/name, written once, atomically."""
    path = ship_dir() / folder / name
    if not path.is_file():
        write_bytes_atomic(path, data, mode=mode)
    # Content-addressed and renamed into place complete: what is read from it (the
    # ELF's symbols) may be kept at once instead of only after the racy-stat window.
    statcache.trust_young(path)
    return path


def _install_bytes(folder: str, name: str, data: bytes) -> Path:
    return install_file(folder, name, data, 0o755)     # a host "ELF" is an executable
