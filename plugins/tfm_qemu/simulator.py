"""QEMU backend: runs a board's firmware ELF on ``qemu-system-*``.

The command comes from the board's ``[simulators.qemu]`` data (program,
machine, args); inputs are loaded at the ELF symbol ``tfm_inputs_region``
with QEMU's generic loader; exact instruction counts at the
``tfm_marker_*`` functions come from our TCG plugin (``count_plugin.c``),
with a cycle estimate when the board's core has a timing model (tfm_ci.cycles).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from tfm_ci import cycles
from tfm_ci.platform import Board
from tfm_ci.simulator import SimResult
from tfm_qemu import counting
from tfm_qemu.elfinfo import read_elf
from tfm_qemu.process import failure_text, run_process

log = logging.getLogger(__name__)

PROGRAMS = ("qemu-system-arm", "qemu-system-riscv32")


class QemuSimulator:
    """The ``qemu`` simulator backend."""

    name = "qemu"

    def unavailable_reason(self) -> str | None:
        if any(shutil.which(p) for p in PROGRAMS):
            return None
        return f"QEMU is not installed (none of {', '.join(PROGRAMS)} on PATH)"

    def can_run(self, board: Board) -> bool:
        return "qemu" in board.simulators and getattr(board, "app", "embedded") == "embedded"

    def command(self, elf: Path, board: Board, *, workdir: Path,
                count_instructions: bool = True) -> list[str]:
        """The QEMU command line for one run (inputs and counting included)."""
        settings = board.simulators["qemu"]
        program = str(settings.get("program", "qemu-system-arm"))
        args = [str(a) for a in settings.get("args", []) or []]
        info = read_elf(elf)
        cmd = [program, "-M", str(settings["machine"]), "-nographic", "-monitor", "none",
               "-serial", "stdio"]
        if info.is_arm:
            # Our Cortex-M port exits through semihosting SYS_EXIT_EXTENDED.
            cmd += ["-semihosting-config", "enable=on,target=native"]
        elif "-bios" not in args:
            cmd += ["-bios", "none"]
        cmd += [*args, "-kernel", str(elf)]
        inputs = workdir / "inputs.bin"
        region = info.inputs_region()
        if inputs.is_file() and region is not None:
            size = inputs.stat().st_size
            if region.size and size > region.size:
                raise ValueError(f"{inputs} is {size} bytes but tfm_inputs_region holds "
                                 f"{region.size} (board inputs_capacity)")
            cmd += ["-device", f"loader,file={inputs},addr=0x{region.address:x}"]
        markers = info.markers()
        if count_instructions and markers:
            try:
                library = counting.plugin_library()
            except counting.CountPluginError as exc:
                log.warning("running without instruction counts: %s", exc)
            else:
                cmd += ["-plugin", counting.plugin_argument(
                    library, _count_log(workdir), markers,
                    cycle_model=cycles.model_for_core(board.core))]
        return cmd

    def run(self, elf: Path, board: Board, *, timeout: float, workdir: Path,
            count_instructions: bool = True) -> SimResult:
        workdir.mkdir(parents=True, exist_ok=True)
        count_log = _count_log(workdir)
        count_log.unlink(missing_ok=True)
        try:
            cmd = self.command(elf, board, workdir=workdir,
                               count_instructions=count_instructions)
        except (OSError, ValueError, KeyError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"qemu: {exc}")
        if shutil.which(cmd[0]) is None:
            return SimResult(transcript="", exit_code=None, command=cmd,
                             error=f"{cmd[0]} is not installed (not on PATH)")
        proc = run_process(cmd, timeout=timeout, cwd=workdir)
        result = SimResult(transcript=proc.stdout, exit_code=proc.returncode,
                           timed_out=proc.timed_out, error=failure_text(cmd[0], proc),
                           command=cmd, seconds=proc.seconds)
        if result.exit_code is not None and result.exit_code < 0:
            result.exit_code = None
        if count_log.is_file():
            try:
                count = counting.read_log(count_log.read_text())
                result.markers, result.cycle_classes = count.hits, count.classes
            except counting.CountPluginError as exc:
                result.error = result.error or str(exc)
        return result


def _count_log(workdir: Path) -> Path:
    return workdir / "markers.log"
