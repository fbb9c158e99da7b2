"""Content cache for compiled objects and linked ELFs, keyed by what the compiler read.

Objects. The compiler itself reports every file a compilation reads (``-MD -MF``:
the source, every header, and tables such as ``kernels/ops.def`` that a source
``#include``s), and the cache keeps that list, with each file's sha256, beside the
object::

    obj/<command key>/<variant>.o       the object
    obj/<command key>/<variant>.json    {"deps": {path: sha256}, "sha256": <object's>}

The command key covers the compiler's version, the flags and the source's name and
bytes; the variant key covers the hashes of every reported dependency. A lookup
re-hashes the files each manifest under the command key lists and reuses the object
whose files all still match and whose own bytes match its recorded sha256; otherwise
the caller compiles. No guessing which headers matter: editing any file the compiler
read rebuilds exactly the objects that read it.

ELFs. ``elf/<key>/`` holds the ELF and ``meta.json`` (its sha256 and size), checked
on reuse: a truncated or corrupt ELF is relinked, never run.

Warm lookups. Within one process a file's sha256 (a dependency, a cached object,
an ELF) and a parsed manifest are computed once and reused while the file's stat
is unchanged (:mod:`tfm_ci.statcache`: any write, truncation or replacement of the
file changes it). So the first build in a process hashes every file it checks,
and later builds in the same process (a fleet's many images share most sources)
re-hash only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from tfm_ci.statcache import StatCache
from tfm_ci.writable import write_bytes_atomic

META = "meta.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_SHA256: StatCache[str] = StatCache(sha256_file, maxsize=8192)
_MANIFESTS: StatCache[Any] = StatCache(lambda p: json.loads(p.read_text()), maxsize=4096)


def cached_sha256(path: Path | str) -> str:
    """sha256_file(path), reused while the file's stat is unchanged."""
    return _SHA256.get(path)


def parse_depfile(text: str, cwd: Path) -> list[Path]:
    """The prerequisites of the one rule gcc's ``-MD -MF`` writes (make syntax:
    backslash-newline continuations, ``\\ `` for a space in a name, ``$$`` for ``$``),
    as absolute paths (relative ones are relative to the compiler's `cwd`)."""
    body = text.replace("\\\r\n", " ").replace("\\\n", " ")
    _target, sep, deps = body.partition(": ")
    if not sep:
        raise ValueError("dependency file has no 'target: prerequisites' rule")
    paths = []
    for token in re.findall(r"(?:\\.|[^\s\\])+", deps):
        name = re.sub(r"\\(.)", r"\1", token).replace("$$", "$")
        path = Path(name)
        paths.append(path if path.is_absolute() else cwd / path)
    return paths


class FileHashes:
    """sha256 of files, each looked up once per build (a build sees one state of the
    tree), and which cached object each command-key folder resolved to."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}
        self._lock = threading.Lock()
        self.objects: dict[str, Path | None] = {}     # command-key folder -> find_object

    def get(self, path: Path | str) -> str | None:
        """The file's sha256, or None when it cannot be read (deleted since)."""
        name = os.fspath(path)
        with self._lock:
            if name in self._known:
                return self._known[name]
        try:
            value: str | None = cached_sha256(name)
        except OSError:
            value = None
        with self._lock:
            self._known[name] = value
        return value


def object_deps(obj: Path) -> dict[str, str]:
    """The files a cached object's compilation read, with their sha256 (its manifest;
    shared: do not modify)."""
    deps = _MANIFESTS.get(obj.with_suffix(".json"))["deps"]
    if not isinstance(deps, dict):
        raise ValueError(f"{obj}: manifest without a dependency map")
    return deps


def find_object(entry: Path, hashes: FileHashes) -> Path | None:
    """A cached object under command-key folder `entry` whose recorded dependencies
    all still hash the same and whose own bytes are intact; None = compile."""
    key = str(entry)
    if key in hashes.objects:          # both links of one build ask for most objects
        return hashes.objects[key]
    found = _find_object(entry, hashes)
    if found is not None:
        hashes.objects[key] = found
    return found


def _find_object(entry: Path, hashes: FileHashes) -> Path | None:
    if not entry.is_dir():
        return None
    for manifest in sorted(entry.glob("*.json")):
        try:
            meta = _MANIFESTS.get(manifest)     # shared: read, never modified
            deps: dict[str, str] = meta["deps"]
            obj_hash: str = meta["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            continue                       # a damaged manifest is just not a hit
        if not deps or any(hashes.get(p) != h for p, h in deps.items()):
            continue
        obj = manifest.with_suffix(".o")
        try:
            if cached_sha256(obj) == obj_hash:
                return obj
        except OSError:
            continue
    return None


def store_object(entry: Path, built: Path, deps: list[Path], hashes: FileHashes) -> Path:
    """Move the freshly compiled `built` object into the cache with its manifest."""
    recorded = {}
    for dep in deps:
        digest = hashes.get(dep.resolve())
        if digest is None:
            raise OSError(f"dependency {dep} reported by the compiler cannot be read")
        recorded[str(dep.resolve())] = digest
    variant = hashlib.sha256(json.dumps(sorted(recorded.items())).encode()).hexdigest()[:24]
    entry.mkdir(parents=True, exist_ok=True)
    obj = entry / f"{variant}.o"
    meta = {"deps": recorded, "sha256": sha256_file(built)}
    os.replace(built, obj)              # atomic: concurrent builds never see half an object
    write_bytes_atomic(obj.with_suffix(".json"), json.dumps(meta, indent=1).encode())
    return obj


def elf_intact(folder: Path, elf_name: str) -> bool:
    """True when folder holds the ELF and meta.json records its size and sha256."""
    elf = folder / elf_name
    try:
        meta = json.loads((folder / META).read_text())
        return elf.stat().st_size == meta["size"] and cached_sha256(elf) == meta["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def write_elf_meta(folder: Path, elf_name: str) -> None:
    elf = folder / elf_name
    meta = {"elf": elf_name, "size": elf.stat().st_size, "sha256": sha256_file(elf)}
    write_bytes_atomic(folder / META, json.dumps(meta, indent=1).encode())
