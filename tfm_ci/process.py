"""Run a simulator process with a timeout and bounded output; shared by every backend.

A runaway firmware can print without end, so the reader keeps the first
``head`` bytes and the last ``tail`` bytes of each stream and counts what it
dropped in between; a process still running at the timeout is killed and what
it printed so far is kept (its last line may be cut short: parsers must cope).
"""

from __future__ import annotations

import contextlib
import math
import os
import select
import subprocess
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tfm_ci import orphans

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: Console output kept per stream by default: the transcript's head (where every
#: protocol line of a normal job is) and a tail (the end of a runaway one).
DEFAULT_HEAD = 16 * 1024 * 1024
DEFAULT_TAIL = 256 * 1024
_CHUNK = 64 * 1024


class BoundedBuffer:
    """Keeps the first `head` and last `tail` bytes written; counts the rest."""

    def __init__(self, head: int, tail: int) -> None:
        self.head_limit, self.tail_limit = head, tail
        self._head = bytearray()
        self._tail = bytearray()
        self.dropped = 0               # bytes between head and tail
        self.dropped_lines = 0
        self.reported = 0              # bytes missing from getvalue() (incl. cut lines)

    def write(self, data: bytes) -> None:
        room = self.head_limit - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if not data:
            return
        self._tail += data
        excess = len(self._tail) - self.tail_limit
        if excess > 0:
            self.dropped += excess
            self.dropped_lines += self._tail.count(b"\n", 0, excess)
            del self._tail[:excess]

    def getvalue(self) -> bytes:
        """Head + a marker line + tail. Only whole lines are kept on either side of the
        gap (the head's cut last line and the tail's cut first line count as dropped), so
        a parser never sees half a protocol line from the truncation."""
        if not self.dropped:
            self.reported = 0
            return bytes(self._head + self._tail)
        head, tail = bytes(self._head), bytes(self._tail)
        cut_head = len(head) - (head.rfind(b"\n") + 1)
        newline = tail.find(b"\n")
        cut_tail = newline + 1 if newline >= 0 else len(tail)
        dropped = self.reported = self.dropped + cut_head + cut_tail
        lines = self.dropped_lines + (1 if newline >= 0 else 0)
        marker = (f"[tfm-ci: {dropped:,} bytes ({lines:,} line breaks) "
                  "of output dropped]\n").encode()
        return head[:len(head) - cut_head] + marker + tail[cut_tail:]


@dataclass
class ProcessResult:
    stdout: str
    stderr: str
    returncode: int | None     # None when killed on timeout
    timed_out: bool
    seconds: float
    stdout_dropped: int = 0    # bytes of output missing from `stdout` (bounded reader)
    stderr_dropped: int = 0


def _drain(stream: IO[bytes], buffer: BoundedBuffer) -> None:
    while chunk := os.read(stream.fileno(), _CHUNK):    # what is there, up to _CHUNK
        buffer.write(chunk)


#: How long output is still read after the process ended: a grandchild that
#: inherited the pipes and keeps them open must not hang the job.
_AFTER_EXIT = 10.0
#: Longest rest between two reads of a running process's pipes: each read costs a
#: wake-up of this thread, and QEMU writes its console a few bytes at a time.
_BATCH = 0.025
#: Pipe capacity asked for (Linux F_SETPIPE_SZ; the default is 64 KiB): output up to
#: this much per rest never makes the process wait for the reader (40 MB/s).
_PIPE_BYTES = 1 << 20
_PIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None


#: A fleet's simulator slot for this thread's processes, set by the engine around a
#: backend's run when the backend declares ``slot_in_run_process`` (its simulator is the
#: process it starts with :func:`run_process`): then only the process holds a slot, and
#: the backend's Python before and after it overlaps other jobs' simulations.
PROCESS_SLOT: ContextVar[threading.Semaphore | None] = ContextVar("tfm_ci_process_slot",
                                                                  default=None)


def run_process(cmd: list[str], *, timeout: float, cwd: Path | None = None,
                head: int = DEFAULT_HEAD, tail: int = DEFAULT_TAIL,
                executable: str | None = None) -> ProcessResult:
    """Run ``cmd``; on timeout kill it and keep what it printed so far (bounded).

    `executable`: the file of ``cmd[0]`` when the caller has looked it up on $PATH
    already (``cmd[0]`` stays the program's ``argv[0]``): the child then executes it
    at once instead of trying every $PATH folder before it."""
    slot = PROCESS_SLOT.get()
    if slot is None:
        return _run_process(cmd, timeout, cwd, head, tail, executable)
    with slot:
        result = _run_process(cmd, timeout, cwd, head, tail, executable)
    # Hand the slot over now: the thread waiting for it needs the GIL to start its
    # simulator, and this one goes on with Python (the job's checks), which would keep
    # the GIL up to the switch interval (5 ms) while the slot idles.
    time.sleep(0)
    return result


def _run_process(cmd: list[str], timeout: float, cwd: Path | None, head: int,
                 tail: int, executable: str | None = None) -> ProcessResult:
    start = time.monotonic()
    # bufsize=0: the pipes are read with os.read only, so no buffered file objects
    # (each costs three system calls to set up).
    proc = subprocess.Popen(cmd, executable=executable, bufsize=0, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            env=orphans.child_env())
    orphans.adopt(proc.pid)        # killed with us if we die first (see tfm_ci.orphans)
    try:
        return _wait(proc, start, timeout, head, tail)
    finally:
        if proc.returncode is not None:     # reaped: its pid may be reused now
            orphans.release(proc.pid)


def _wait(proc: subprocess.Popen, start: float, timeout: float, head: int,
          tail: int) -> ProcessResult:
    out, err = BoundedBuffer(head, tail), BoundedBuffer(min(head, 1 << 20), min(tail, 1 << 16))
    try:
        pidfd = os.pidfd_open(proc.pid)     # Linux >= 5.3: the exit as a readable fd
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is None or not hasattr(select, "poll"):
        timed_out = _wait_threads(proc, timeout, out, err)
    else:
        try:
            timed_out = _wait_poll(proc, pidfd, start + timeout, out, err)
        finally:
            os.close(pidfd)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    stdout, stderr = out.getvalue(), err.getvalue()
    return ProcessResult(
        stdout=stdout.decode("utf-8", errors="replace"),
        stderr=stderr.decode("utf-8", errors="replace"),
        returncode=None if timed_out else proc.returncode,
        timed_out=timed_out,
        seconds=time.monotonic() - start,
        stdout_dropped=out.reported,
        stderr_dropped=err.reported,
    )


def _grow_pipe(fd: int) -> None:
    if _PIPE_SZ is not None:
        # Refused over /proc/sys/fs/pipe-max-size or the user's pipe quota: 64 KiB then.
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, _PIPE_SZ, _PIPE_BYTES)


def _wait_poll(proc: subprocess.Popen, pidfd: int, deadline: float, out: BoundedBuffer,
               err: BoundedBuffer) -> bool:
    """Read both pipes and wait for the exit in this thread (no reader threads, no timer
    thread). After each read the pipes rest for up to :data:`_BATCH` seconds while
    only the exit is watched: the end is still seen at once, and the output of a job
    is read in a few large pieces instead of ~150 small ones (the pipes are enlarged
    so that resting never blocks the writer). True when the process was killed at
    `deadline`."""
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout.fileno(): out, proc.stderr.fileno(): err}
    streams = select.poll()
    exit_only = select.poll()
    for fd in buffers:
        _grow_pipe(fd)
        streams.register(fd, select.POLLIN)
    streams.register(pidfd, select.POLLIN)
    exit_only.register(pidfd, select.POLLIN)
    open_streams, running, killed = 2, True, False
    while open_streams or running:
        now = time.monotonic()
        if running and not killed and now >= deadline:
            if proc.poll() is None:           # not merely unreported yet
                killed = True
                proc.kill()
            deadline = now + _AFTER_EXIT      # reap it, then read what is left
        elif not running and now >= deadline:
            break                             # pipes held open by a grandchild
        read = False
        for fd, _events in streams.poll(_ms(deadline - now)):
            if fd == pidfd:
                streams.unregister(pidfd)
                exit_only.unregister(pidfd)
                proc.wait()
                running = False
                if not killed:
                    deadline = time.monotonic() + _AFTER_EXIT
                continue
            chunk = os.read(fd, _CHUNK)
            read = True
            if chunk:
                buffers[fd].write(chunk)
            else:                             # end of file (POLLHUP after the last byte)
                streams.unregister(fd)
                open_streams -= 1
        if read and running and open_streams:
            exit_only.poll(_ms(min(_BATCH, deadline - time.monotonic())))
    return killed


def _ms(seconds: float) -> int:
    """A poll() timeout: whole milliseconds, rounded up (0 when past)."""
    return max(0, math.ceil(seconds * 1000))


def _wait_threads(proc: subprocess.Popen, timeout: float, out: BoundedBuffer,
                  err: BoundedBuffer) -> bool:
    """Without pidfd: a reader thread per pipe, a timer that kills at the timeout."""
    readers = [threading.Thread(target=_drain, args=(stream, buf), daemon=True)
               for stream, buf in ((proc.stdout, out), (proc.stderr, err))]
    for reader in readers:
        reader.start()
    # The timer kills the process while this thread blocks in wait():
    # Popen.wait(timeout=...) polls with sleeps growing to 50 ms.
    killed = threading.Event()

    def kill() -> None:
        if proc.poll() is None:
            killed.set()
            proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.daemon = True
    timer.start()
    try:
        proc.wait()
    finally:
        timer.cancel()
    for reader in readers:
        reader.join(timeout=_AFTER_EXIT)
    return killed.is_set()


def failure_text(program: str, result: ProcessResult) -> str | None:
    """Why the simulator itself failed, or None.

    A firmware that started (printed ``TFM BEGIN``) reports through its
    transcript and exit status (fault = 3, job failed = 1, ...), so only a
    process that died on a signal, or exited non-zero before the firmware
    said anything, is a simulator failure.
    """
    if result.timed_out:
        return None
    rc = result.returncode
    if rc is not None and rc < 0:
        return f"{program} killed by signal {-rc}: {_tail(result.stderr)}"
    if rc and "TFM BEGIN" not in result.stdout:
        return f"{program} exited with status {rc}: {_tail(result.stderr)}"
    return None


def _tail(text: str, lines: int = 5) -> str:
    """The last lines of stderr; a ``fatal:`` line (QEMU's "Lockup: can't escalate ...",
    followed by a register dump that would push it out) always comes first."""
    all_lines = [line for line in text.strip().splitlines() if line.strip()]
    fatal = [line for line in all_lines if "fatal:" in line][:1]
    if fatal:
        return fatal[0].strip()
    kept = all_lines[-lines:]
    return " | ".join(kept) if kept else "(no message)"
