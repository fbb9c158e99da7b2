"""Renode backend: runs a board's firmware with ``renode`` when installed.

    renode --console --disable-xwt -e "include @<workdir>/run.resc"

The machine comes from ``platforms/<board>/renode.repl`` (generated from the
board data when missing); ``run.resc`` loads the ELF and the inputs, sends
the UART to a file, logs ``ExecutedInstructions`` at every marker hit, and
quits when the firmware calls ``tfm_port_exit`` (its argument is the exit
status). Renode is on no package registry reachable here, so this backend
is written against Renode's documentation and has not been run in CI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tfm_ci.api import (
    Board,
    MarkerHit,
    SimRequest,
    SimResult,
    SimulatorSettingsError,
    make_request,
    read_elf,
    run_process,
)

from . import platform_files

NOT_INSTALLED = "Renode is not installed (renode not on PATH; no registry here carries it)"


class RenodeSimulator:
    """The ``renode`` simulator backend."""

    name = "renode"

    def unavailable_reason(self) -> str | None:
        return None if shutil.which("renode") else NOT_INSTALLED

    def can_run(self, board: Board) -> bool:
        return "renode" in board.simulators and getattr(board, "app", "embedded") == "embedded"

    def validate(self, board: Board) -> None:
        settings = board.simulators.get(self.name, {})
        for key in sorted(set(settings) - {"cpu_type"}):
            raise SimulatorSettingsError(board.name, self.name, key, "unknown key (known: "
                                         "cpu_type)")
        if not isinstance(settings.get("cpu_type"), str):
            raise SimulatorSettingsError(board.name, self.name, "cpu_type",
                                         "required: a string such as \"cortex-m4f\" or "
                                         "\"rv32imac\"")
        if board.app == "embedded":
            try:
                platform_files.family(board)
                platform_files.uart_model(board)
            except platform_files.RenodeBoardError as exc:
                raise SimulatorSettingsError(board.name, self.name, "cpu_type",
                                             str(exc)) from None

    def prepare(self, request: SimRequest, *, standalone: bool = True) -> Path:
        """Write ``run.resc`` (and the .repl when the board has none); return the script."""
        board, workdir = request.board, request.workdir
        workdir.mkdir(parents=True, exist_ok=True)
        repl = platform_files.repl_path(board)
        if not repl.is_file():
            repl = workdir / "renode.repl"
            repl.write_text(platform_files.render_repl(board))
        info = read_elf(request.elf)
        placement = request.placement
        has_inputs = request.inputs_file is not None and placement is not None
        vectors = info.symbols.get("tfm_vector_table")
        exit_symbol = info.symbols.get("tfm_port_exit")
        resc = workdir / ("run.resc" if standalone else "setup.resc")
        resc.write_text(platform_files.render_resc(
            board, repl=repl, elf=request.elf.resolve(),
            inputs=request.inputs_file.resolve() if has_inputs and request.inputs_file else None,
            inputs_address=placement.address if has_inputs and placement else None,
            vector_table=vectors.address if vectors else None,
            standalone=standalone, uart_log=(workdir / "uart.log").resolve(),
            marker_log=(workdir / "markers.log").resolve(),
            markers=request.markers if request.count_instructions else {},
            exit_address=exit_symbol.address if exit_symbol else None,
            exit_file=(workdir / "exit_code").resolve(),
        ))
        return resc

    def write_robot_suite(self, elf: Path, board: Board, *, workdir: Path,
                          timeout: float = 60) -> Path:
        """A suite for ``renode-test`` (Wait For Line On Uart ``TFM END PASS``)."""
        request = make_request(elf, board, workdir=workdir, timeout=timeout,
                               count_instructions=False)
        resc = self.prepare(request, standalone=False)
        suite = workdir / f"{board.name}.robot"
        suite.write_text(platform_files.render_suite(board, resc=resc, timeout=timeout))
        return suite

    def run(self, request: SimRequest) -> SimResult:
        workdir = request.workdir
        reason = self.unavailable_reason()
        if reason:
            return SimResult(transcript="", exit_code=None, error=reason)
        for stale in ("uart.log", "markers.log", "exit_code"):
            (workdir / stale).unlink(missing_ok=True)
        try:
            resc = self.prepare(request)
        except (OSError, ValueError, KeyError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"renode: {exc}")
        cmd = ["renode", "--console", "--disable-xwt", "-e", f"include @{resc}"]
        proc = run_process(cmd, timeout=request.timeout, cwd=workdir)
        uart = workdir / "uart.log"
        transcript = uart.read_text(errors="replace") if uart.is_file() else ""
        exit_file = workdir / "exit_code"
        exit_code = int(exit_file.read_text().strip()) if exit_file.is_file() else None
        error = None
        if exit_code is None and not proc.timed_out:
            error = f"renode ended without the firmware exiting: {proc.stderr.strip()[-500:]}"
        result = SimResult(transcript=transcript, exit_code=exit_code, timed_out=proc.timed_out,
                           error=error, command=cmd, seconds=proc.seconds)
        markers = workdir / "markers.log"
        if markers.is_file():
            for line in markers.read_text().splitlines():
                name, _, count = line.partition(" ")
                result.markers.append(MarkerHit(name, int(count)))
        return result
