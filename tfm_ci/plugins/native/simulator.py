"""The ``native`` backend: the host board's firmware is the tfm-runner
executable, run as a plain process:

    <elf> [settings args...] --invocations N <model file> <workdir>/raw_inputs.bin

``raw_inputs.bin`` is the request's inputs blob without its 16-byte header (the
invocation count goes on the command line). No instruction counts: the
markers list stays empty.
"""

from __future__ import annotations

from tfm_ci.api import (
    BlobError,
    Board,
    SimRequest,
    SimResult,
    SimulatorSettingsError,
    failure_text,
    run_process,
)

SETTINGS = {"args"}


class NativeSimulator:
    """The ``native`` simulator backend (boards with ``[simulators.native]``)."""

    name = "native"
    #: Limit kinds a host process cannot measure (no instruction counter, no painted stack).
    unmeasured = ("instructions", "stack")

    def unavailable_reason(self) -> str | None:
        return None   # the host itself; the runner is built by the engine

    def can_run(self, board: Board) -> bool:
        return "native" in board.simulators and board.app == "runner"

    def validate(self, board: Board) -> None:
        settings = board.simulators.get(self.name, {})
        for key in sorted(set(settings) - SETTINGS):
            raise SimulatorSettingsError(board.name, self.name, key,
                                         f"unknown key (known: {', '.join(sorted(SETTINGS))})")
        args = settings.get("args", [])
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            raise SimulatorSettingsError(board.name, self.name, "args",
                                         f"expected a list of strings, got {args!r}")

    def command(self, request: SimRequest) -> list[str]:
        settings = request.backend_settings(self.name)
        cmd = [str(request.elf), *[str(a) for a in settings.get("args", []) or []]]
        raw = None
        if request.inputs:
            invocations, data = request.invocations()
            raw = request.workdir / "raw_inputs.bin"
            raw.write_bytes(data)
            cmd += ["--invocations", str(invocations)]
        if request.model_file is None:
            raise ValueError("the runner needs the model file (request.model_file)")
        cmd.append(str(request.model_file))
        if raw is not None:
            cmd.append(str(raw))
        return cmd

    def run(self, request: SimRequest) -> SimResult:
        try:
            cmd = self.command(request)
        except (OSError, ValueError, BlobError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"native: {exc}")
        try:
            proc = run_process(cmd, timeout=request.timeout, cwd=request.workdir)
        except OSError as exc:
            return SimResult(transcript="", exit_code=None, command=cmd,
                             error=f"cannot start {request.elf}: {exc}")
        result = SimResult(transcript=proc.stdout, exit_code=proc.returncode,
                           timed_out=proc.timed_out, error=failure_text(request.elf.name, proc),
                           command=cmd, seconds=proc.seconds, dropped_bytes=proc.stdout_dropped)
        if result.exit_code is not None and result.exit_code < 0:
            result.exit_code = None   # killed by a signal (e.g. a sanitizer abort)
        return result
