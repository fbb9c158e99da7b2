"""Per-process memo of what was computed from a file, valid while the file's stat holds.

A value is reused only while the file's (device, inode, size, mtime, ctime) are
those seen when it was computed. Every write changes mtime and ctime, and ctime
cannot be set back from user space (``os.utime`` restoring an mtime still moves
it), a replaced file has a new inode: so a changed file is always read afresh.

Racy writes: a file modified within one timestamp tick of being read could keep
the same stat. As git does ("racy clean"), a value computed from a file whose
mtime or ctime is less than :data:`RACY_SECONDS` before the read is not kept:
such a young file is read again next time -- unless it was declared write-once
(:func:`trust_young`: content-addressed files written atomically and never changed
in place, such as the ELF and model files a fleet ships to a worker).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

RACY_SECONDS = 2.0

Signature = tuple[int, int, int, int, int]

_write_once: set[str] = set()
_write_once_lock = threading.Lock()


def trust_young(path: Path | str) -> None:
    """Declare `path` write-once: created complete (temp file + rename) and never
    written in place, so a value computed from it may be kept while it is young. A
    replacement still has a new inode and is read afresh."""
    with _write_once_lock:
        _write_once.add(os.fspath(path))


def signature(st: os.stat_result) -> Signature:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def settled(st: os.stat_result, now_ns: int | None = None) -> bool:
    """True when the file was last changed at least RACY_SECONDS before `now_ns`
    (default: now), so that a later change is sure to show in its stat."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return now_ns - max(st.st_mtime_ns, st.st_ctime_ns) >= RACY_SECONDS * 1e9


class StatCache(Generic[T]):
    """`compute(path)` memoised by (path, `extra` key) and the file's stat signature.

    Thread-safe; at most `maxsize` entries (least recently used dropped). Values are
    shared between callers: cache only immutable values (or copy them on the way out).
    """

    def __init__(self, compute: Callable[[Path], T], maxsize: int = 512) -> None:
        self._compute = compute
        self._maxsize = maxsize
        self._entries: OrderedDict[Hashable, tuple[Signature, T]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0                  # how many times `compute` ran (for tests)

    def get(self, path: Path | str, extra: Hashable = (),
            compute: Callable[[Path], T] | None = None) -> T:
        """The value for the file as it is now; OSError when it cannot be stat'ed/read.

        `extra` keys values computed differently from the same file; `compute`
        replaces the cache's own function for this call (it must depend only on
        the file and `extra`)."""
        name = os.fspath(path)
        key = (name, extra)
        now = time.time_ns()
        st = os.stat(name)
        sig = signature(st)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and hit[0] == sig:
                self._entries.move_to_end(key)
                return hit[1]
        value = (compute or self._compute)(Path(name))
        unchanged = signature(os.stat(name)) == sig      # not written while we read it
        with self._lock:
            self.computed += 1
            if unchanged and (settled(st, now) or name in _write_once):
                self._entries[key] = (sig, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self._maxsize:
                    self._entries.popitem(last=False)
            else:
                self._entries.pop(key, None)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
