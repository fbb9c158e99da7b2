"""Run a simulator process with a timeout and bounded output; shared by every backend.

A runaway firmware can print without end, so the reader keeps the first
``head`` bytes and the last ``tail`` bytes of each stream and counts what it
dropped in between; a process still running at the timeout is killed and what
it printed so far is kept (its last line may be cut short: parsers must cope).
"""

from __future__ import annotations

import os
import selectors
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

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
    while chunk := stream.read1(_CHUNK):  # type: ignore[attr-defined]
        buffer.write(chunk)


#: How long output is still read after the process ended: a grandchild that
#: inherited the pipes and keeps them open must not hang the job.
_AFTER_EXIT = 10.0
#: Longest rest between two reads of a running process's pipes (a pipe holds 64 KiB,
#: so only output faster than ~13 MB/s ever waits for the reader).
_BATCH = 0.005


def run_process(cmd: list[str], *, timeout: float, cwd: Path | None = None,
                head: int = DEFAULT_HEAD, tail: int = DEFAULT_TAIL) -> ProcessResult:
    """Run ``cmd``; on timeout kill it and keep what it printed so far (bounded)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)
    out, err = BoundedBuffer(head, tail), BoundedBuffer(min(head, 1 << 20), min(tail, 1 << 16))
    try:
        pidfd = os.pidfd_open(proc.pid)     # Linux >= 5.3: the exit as a readable fd
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is None:
        timed_out = _wait_threads(proc, timeout, out, err)
    else:
        try:
            timed_out = _wait_selector(proc, pidfd, start + timeout, out, err)
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


def _wait_selector(proc: subprocess.Popen, pidfd: int, deadline: float, out: BoundedBuffer,
                   err: BoundedBuffer) -> bool:
    """Read both pipes and wait for the exit in this thread (no reader threads, no timer
    thread). QEMU writes the console a few bytes at a time, so after each read the
    pipes rest for up to :data:`_BATCH` seconds while only the exit is watched: the
    end is still seen at once, the output is read in a few large pieces instead of
    ~150 small ones per job. True when the process was killed at `deadline`."""
    sel = selectors.DefaultSelector()
    exit_only = selectors.DefaultSelector()
    try:
        for stream, buf in ((proc.stdout, out), (proc.stderr, err)):
            assert stream is not None
            sel.register(stream.fileno(), selectors.EVENT_READ, buf)
        sel.register(pidfd, selectors.EVENT_READ, None)
        exit_only.register(pidfd, selectors.EVENT_READ, None)
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
            for key, _mask in sel.select(max(0.0, deadline - now)):
                if key.data is None:
                    sel.unregister(pidfd)
                    exit_only.unregister(pidfd)
                    proc.wait()
                    running = False
                    if not killed:
                        deadline = time.monotonic() + _AFTER_EXIT
                    continue
                chunk = os.read(key.fd, _CHUNK)
                read = True
                if chunk:
                    key.data.write(chunk)
                else:
                    sel.unregister(key.fd)
                    open_streams -= 1
            if read and running and open_streams:
                exit_only.select(max(0.0, min(_BATCH, deadline - time.monotonic())))
    finally:
        sel.close()
        exit_only.close()
    return killed


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
