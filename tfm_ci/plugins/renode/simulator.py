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

from tfm_ci.elfinfo import read_elf
from tfm_ci.platform import Board
from tfm_ci.plugins.renode import platform_files
from tfm_ci.process import run_process
from tfm_ci.simulator import MarkerHit, SimResult

NOT_INSTALLED = "Renode is not installed (renode not on PATH; no registry here carries it)"


class RenodeSimulator:
    """The ``renode`` simulator backend."""

    name = "renode"

    def unavailable_reason(self) -> str | None:
        return None if shutil.which("renode") else NOT_INSTALLED

    def can_run(self, board: Board) -> bool:
        return "renode" in board.simulators and getattr(board, "app", "embedded") == "embedded"

    def prepare(self, elf: Path, board: Board, *, workdir: Path, standalone: bool = True,
                count_instructions: bool = True) -> Path:
        """Write ``run.resc`` (and the .repl when the board has none); return the script."""
        workdir.mkdir(parents=True, exist_ok=True)
        repl = platform_files.repl_path(board)
        if not repl.is_file():
            repl = workdir / "renode.repl"
            repl.write_text(platform_files.render_repl(board))
        info = read_elf(elf)
        inputs = workdir / "inputs.bin"
        region = info.inputs_region()
        has_inputs = inputs.is_file() and region is not None
        vectors = info.symbols.get("tfm_vector_table")
        exit_symbol = info.symbols.get("tfm_port_exit")
        resc = workdir / ("run.resc" if standalone else "setup.resc")
        resc.write_text(platform_files.render_resc(
            board, repl=repl, elf=elf.resolve(),
            inputs=inputs.resolve() if has_inputs else None,
            inputs_address=region.address if has_inputs and region else None,
            vector_table=vectors.address if vectors else None,
            standalone=standalone, uart_log=(workdir / "uart.log").resolve(),
            marker_log=(workdir / "markers.log").resolve(),
            markers=info.markers() if count_instructions else {},
            exit_address=exit_symbol.address if exit_symbol else None,
            exit_file=(workdir / "exit_code").resolve(),
        ))
        return resc

    def write_robot_suite(self, elf: Path, board: Board, *, workdir: Path,
                          timeout: float = 60) -> Path:
        """A suite for ``renode-test`` (Wait For Line On Uart ``TFM END PASS``)."""
        resc = self.prepare(elf, board, workdir=workdir, standalone=False,
                            count_instructions=False)
        suite = workdir / f"{board.name}.robot"
        suite.write_text(platform_files.render_suite(board, resc=resc, timeout=timeout))
        return suite

    def run(self, elf: Path, board: Board, *, timeout: float, workdir: Path,
            count_instructions: bool = True) -> SimResult:
        reason = self.unavailable_reason()
        if reason:
            return SimResult(transcript="", exit_code=None, error=reason)
        for stale in ("uart.log", "markers.log", "exit_code"):
            (workdir / stale).unlink(missing_ok=True)
        try:
            resc = self.prepare(elf, board, workdir=workdir,
                                count_instructions=count_instructions)
        except (OSError, ValueError, KeyError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"renode: {exc}")
        cmd = ["renode", "--console", "--disable-xwt", "-e", f"include @{resc}"]
        proc = run_process(cmd, timeout=timeout, cwd=workdir)
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
