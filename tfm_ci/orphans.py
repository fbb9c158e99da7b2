"""Processes we start die with the process that started them, however it ends.

A simulator outlives a Python process killed with SIGKILL (a CI timeout, an OOM kill,
``kill -9`` of a fleet, a Dask worker whose nanny died): nobody enforces its timeout any
more, and QEMU ignores SIGPIPE, so with its console pipe's reader gone it spins at full
CPU for ever. Each process that starts children therefore has a watchdog: a small
Python process holding the read end of a pipe, told each child's pid as it starts and
ends. When the pipe reaches end of file (our process is gone, and with it the write
end, whatever killed it) the watchdog kills every child still listed, then exits.

A child that started a moment before our process was killed may not be listed yet (its
pid is known only once it exists). So each child also carries this process's token in
its environment (:func:`child_env`; a child's own children inherit it), and the watchdog
then kills every process whose starting environment holds the token too.

Why not ``PR_SET_PDEATHSIG``: it needs code in the child before ``exec`` (a
``preexec_fn`` turns off ``vfork`` for every start, ~1-2 ms of page-table copying per
simulator in a large process), or a wrapper program (``setpriv``: one more ``exec``,
~0.8 ms per start). The watchdog costs one interpreter start per process and two
short pipe writes per child.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import threading
from pathlib import Path

#: The environment variable that marks our children (its value: this process's token).
ENV = "TFM_CI_ORPHAN_GUARD"
#: Where the watchdog finds processes by their environment (Linux); without it, the
#: children's pids alone.
_PROC = os.path.isdir("/proc")

# Runs in the watchdog: "+pid" / "-pid" / "dPATH" lines; at end of file, kill what is
# listed, then every process started with `ENV=token` in its environment (argv[1]: that
# entry), then remove the folders listed.
_WATCHDOG = """
import os, shutil, signal, sys
live, folders = set(), []
for line in sys.stdin.buffer:
    if line[:1] == b"d":
        folders.append(line[1:-1])
        continue
    try:
        pid = int(line[1:])
    except ValueError:
        continue
    (live.add if line[:1] == b"+" else live.discard)(pid)
mark = b"\\0" + os.fsencode(sys.argv[1]) + b"\\0"
for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
    if name.isdigit() and int(name) != os.getpid():
        try:
            with open("/proc/" + name + "/environ", "rb") as f:
                if mark in b"\\0" + f.read() + b"\\0":
                    live.add(int(name))
        except OSError:
            pass
for pid in live:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
for folder in folders:
    shutil.rmtree(folder, ignore_errors=True)
"""


class _Guard:
    """This process's watchdog and the children it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = -1
        self._pipe: int | None = None
        self._watchdog: subprocess.Popen | None = None
        self._live: set[int] = set()
        self._folders: list[str] = []
        self._token = ""

    def _here(self) -> None:
        """Started in this process (at first use; a forked child has its own, and its
        parent's children are not its own)."""
        if self._pid != os.getpid():
            self._live, self._folders = set(), []
            self._token = f"{os.getpid()}.{secrets.token_hex(8)}"
            self._start()

    def _write(self, line: str) -> None:
        if self._pipe is None:
            return
        try:
            os.write(self._pipe, line.encode())
        except OSError:     # the watchdog died: a new one, told every child (this one too)
            self._start()

    def _start(self) -> None:
        if self._pid == os.getpid() and self._pipe is not None:    # its watchdog died
            with contextlib.suppress(OSError):
                os.close(self._pipe)
        self._pid, self._pipe, self._watchdog = os.getpid(), None, None
        read, write = os.pipe()                # neither end is inherited by an exec
        try:
            # Its own session: a Ctrl-C at the terminal is for us, not for it (we may
            # still be cleaning up when it would die).
            self._watchdog = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _WATCHDOG, f"{ENV}={self._token}"],
                stdin=read,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:                        # no watchdog: children as before
            os.close(write)
            return
        finally:
            os.close(read)
        self._pipe = write
        if self._live or self._folders:
            with contextlib.suppress(OSError):
                os.write(write, "".join([*(f"+{p}\n" for p in self._live),
                                         *(f"d{f}\n" for f in self._folders)]).encode())

    def child_env(self) -> dict[str, str]:
        with self._lock:
            self._here()
            token = self._token
        return {**os.environ, ENV: token}

    def remove_with_us(self, folder: str) -> None:
        with self._lock:
            self._here()
            self._folders.append(folder)
            self._write(f"d{folder}\n")

    def adopt(self, pid: int) -> None:
        with self._lock:
            self._here()
            self._live.add(pid)
            self._write(f"+{pid}\n")

    def release(self, pid: int) -> None:
        with self._lock:
            self._here()
            if pid in self._live:
                self._live.discard(pid)
                self._write(f"-{pid}\n")

    def forked(self) -> None:
        """In a child made by fork(): a fresh lock; the watchdog starts at first use.
        Its copy of the parent's pipe is closed: the parent's watchdog must see the
        parent's end, not wait for this child's."""
        self._lock = threading.Lock()
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                os.close(self._pipe)
        self._pid, self._pipe, self._watchdog = -1, None, None

    def watchdog_pid(self) -> int | None:
        """For tests."""
        return self._watchdog.pid if self._watchdog is not None else None


_GUARD = _Guard()
if hasattr(os, "register_at_fork"):
    # A child forked while another thread held the lock must not wait for it for ever.
    os.register_at_fork(after_in_child=_GUARD.forked)


def child_env() -> dict[str, str] | None:
    """The environment to start a child with: ours, plus the token by which the watchdog
    finds the children not yet adopted (None: inherit ours unchanged, not on POSIX)."""
    return _GUARD.child_env() if os.name == "posix" and _PROC else None


def remove_with_us(folder: Path) -> None:
    """`folder` (our own scratch space) is removed when this process has ended, however
    it ended (``atexit`` handlers do not run on SIGKILL)."""
    if os.name == "posix" and "\n" not in str(folder):
        _GUARD.remove_with_us(str(folder))


def adopt(pid: int) -> None:
    """`pid`, a child just started, is killed if this process dies before it ends."""
    if os.name == "posix":
        _GUARD.adopt(pid)


def release(pid: int) -> None:
    """`pid` has ended and been reaped (its number may be reused now)."""
    if os.name == "posix":
        _GUARD.release(pid)

