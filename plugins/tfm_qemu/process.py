"""Run a simulator process with a timeout; shared by the simulator plugins."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ProcessResult:
    stdout: str
    stderr: str
    returncode: int | None     # None when killed on timeout
    timed_out: bool
    seconds: float


def run_process(cmd: list[str], *, timeout: float, cwd: Path | None = None) -> ProcessResult:
    """Run ``cmd``; on timeout kill it and keep what it printed so far."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    return ProcessResult(
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
        returncode=None if timed_out else proc.returncode,
        timed_out=timed_out,
        seconds=time.monotonic() - start,
    )


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
