"""The ``native`` backend: the host board's firmware is the tfm-runner
executable, run as a plain process:

    <elf> [settings args...] --invocations N <workdir>/model.tflite <workdir>/raw_inputs.bin

``raw_inputs.bin`` is ``inputs.bin`` without its 16-byte header (the
invocation count goes on the command line). No instruction counts: the
markers list stays empty.
"""

from __future__ import annotations

import struct
from pathlib import Path

from tfm_qemu.process import failure_text, run_process

from tfm_ci.platform import Board
from tfm_ci.simulator import SimResult

HEADER = struct.Struct("<4sIII")   # magic "TFMI", invocations, data bytes, reserved


class NativeSimulator:
    """The ``native`` simulator backend (boards with ``[simulators.native]``)."""

    name = "native"
    #: Limit kinds a host process cannot measure (no instruction counter, no painted stack).
    unmeasured = ("instructions", "stack")

    def unavailable_reason(self) -> str | None:
        return None   # the host itself; the runner is built by the engine

    def can_run(self, board: Board) -> bool:
        return "native" in board.simulators

    def command(self, elf: Path, board: Board, *, workdir: Path) -> list[str]:
        settings = board.simulators.get("native", {}) or {}
        cmd = [str(elf), *[str(a) for a in settings.get("args", []) or []]]
        inputs = workdir / "inputs.bin"
        raw: Path | None = None
        if inputs.is_file():
            blob = inputs.read_bytes()
            if len(blob) < HEADER.size:
                raise ValueError(f"{inputs}: {len(blob)} bytes, shorter than its header")
            magic, invocations, size, _ = HEADER.unpack_from(blob)
            if magic != b"TFMI" or size != len(blob) - HEADER.size:
                raise ValueError(f"{inputs}: bad header (magic {magic!r}, {size} data bytes, "
                                 f"file holds {len(blob) - HEADER.size})")
            raw = workdir / "raw_inputs.bin"
            raw.write_bytes(blob[HEADER.size:])
            cmd += ["--invocations", str(invocations)]
        cmd.append(str(workdir / "model.tflite"))
        if raw is not None:
            cmd.append(str(raw))
        return cmd

    def run(self, elf: Path, board: Board, *, timeout: float, workdir: Path,
            count_instructions: bool = True) -> SimResult:
        try:
            cmd = self.command(elf, board, workdir=workdir)
        except (OSError, ValueError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"native: {exc}")
        try:
            proc = run_process(cmd, timeout=timeout, cwd=workdir)
        except OSError as exc:
            return SimResult(transcript="", exit_code=None, command=cmd,
                             error=f"cannot start {elf}: {exc}")
        result = SimResult(transcript=proc.stdout, exit_code=proc.returncode,
                           timed_out=proc.timed_out, error=failure_text(elf.name, proc),
                           command=cmd, seconds=proc.seconds)
        if result.exit_code is not None and result.exit_code < 0:
            result.exit_code = None   # killed by a signal (e.g. a sanitizer abort)
        return result
