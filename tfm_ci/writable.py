"""Check output locations before a job runs, so its record is never lost afterwards."""

from __future__ import annotations

import os
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
