"""Check output locations before a job runs, so its record is never lost afterwards."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class NotWritableError(OSError):
    """A file or folder tfm-ci must write cannot be written."""


def check_writable_dir(path: Path, what: str) -> Path:
    """Create `path` (and parents) if needed; NotWritableError naming `what` if it cannot be
    written."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise NotWritableError(f"{what} {path} is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NotWritableError(f"{what} {path} cannot be created: {exc.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise NotWritableError(f"{what} {path} is not writable")
    return path


def check_writable_file(path: Path, what: str) -> Path:
    """NotWritableError unless `path` can be written (its folder is created if missing)."""
    path = Path(path)
    if path.is_dir():
        raise NotWritableError(f"{what} {path} is a directory")
    if path.exists() and not os.access(path, os.W_OK):
        raise NotWritableError(f"{what} {path} is not writable")
    check_writable_dir(path.parent if str(path.parent) else Path("."), f"{what}'s folder")
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temp file beside `path`, then rename it over `path`."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None,
                       durable: bool = False) -> None:
    """`data` as `path`, whole or not at all (a unique temp file beside it, renamed over
    it: safe between threads and processes); the folder is created if missing. `mode`:
    the file's permissions; `durable`: fsync before the rename (survives a power loss,
    not only a killed process)."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
