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
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from pathlib import Path

META = "meta.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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
    """sha256 of files, each read once per build (a build sees one state of the tree)."""

    def __init__(self) -> None:
        self._known: dict[Path, str | None] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> str | None:
        """The file's sha256, or None when it cannot be read (deleted since)."""
        with self._lock:
            if path in self._known:
                return self._known[path]
        try:
            value: str | None = sha256_file(path)
        except OSError:
            value = None
        with self._lock:
            self._known[path] = value
        return value


def _write_atomic(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
        f.write(data)
    os.replace(f.name, path)


def find_object(entry: Path, hashes: FileHashes) -> Path | None:
    """A cached object under command-key folder `entry` whose recorded dependencies
    all still hash the same and whose own bytes are intact; None = compile."""
    if not entry.is_dir():
        return None
    for manifest in sorted(entry.glob("*.json")):
        try:
            meta = json.loads(manifest.read_text())
            deps: dict[str, str] = meta["deps"]
            obj_hash: str = meta["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            continue                       # a damaged manifest is just not a hit
        if not deps or any(hashes.get(Path(p)) != h for p, h in deps.items()):
            continue
        obj = manifest.with_suffix(".o")
        try:
            if sha256_file(obj) == obj_hash:
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
    _write_atomic(obj.with_suffix(".json"), json.dumps(meta, indent=1).encode())
    return obj


def elf_intact(folder: Path, elf_name: str) -> bool:
    """True when folder holds the ELF and meta.json records its size and sha256."""
    elf = folder / elf_name
    try:
        meta = json.loads((folder / META).read_text())
        return elf.stat().st_size == meta["size"] and sha256_file(elf) == meta["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def write_elf_meta(folder: Path, elf_name: str) -> None:
    elf = folder / elf_name
    meta = {"elf": elf_name, "size": elf.stat().st_size, "sha256": sha256_file(elf)}
    _write_atomic(folder / META, json.dumps(meta, indent=1).encode())
