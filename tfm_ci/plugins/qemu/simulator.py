"""QEMU backend: runs a board's firmware ELF on ``qemu-system-*``.

The command comes from the board's ``[simulators.qemu]`` data (program,
machine, args); the request's inputs blob is loaded at its placement address
with QEMU's generic loader; exact instruction counts at the request's marker
addresses come from our TCG plugin (``count_plugin.c``), with a cycle estimate
when the board's core has a timing model (``cycle_model_for_core``).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from tfm_ci.api import (
    Board,
    SimRequest,
    SimResult,
    SimulatorSettingsError,
    cycle_model_for_core,
    failure_text,
    read_elf,
    run_process,
)

from . import counting

log = logging.getLogger(__name__)

PROGRAMS = ("qemu-system-arm", "qemu-system-riscv32")
SETTINGS = {"program": str, "machine": str, "args": list}
REQUIRED = ("machine",)


class QemuSimulator:
    """The ``qemu`` simulator backend."""

    name = "qemu"
    # In a fleet, only the QEMU process (started by run_process) holds a simulator slot:
    # building the command and reading the counts overlap other jobs' simulations.
    slot_in_run_process = True

    def unavailable_reason(self) -> str | None:
        if any(_which(p) for p in PROGRAMS):
            return None
        return f"QEMU is not installed (none of {', '.join(PROGRAMS)} on PATH)"

    def can_run(self, board: Board) -> bool:
        return "qemu" in board.simulators and board.app == "embedded"

    def validate(self, board: Board) -> None:
        settings = board.simulators.get(self.name, {})
        for key in sorted(settings):
            if key not in SETTINGS:
                raise SimulatorSettingsError(board.name, self.name, key,
                                             f"unknown key (known: {', '.join(SETTINGS)})")
            kind = SETTINGS[key]
            value = settings[key]
            if not isinstance(value, kind) or (
                    kind is list and not all(isinstance(a, str) for a in value)):
                what = "a list of strings" if kind is list else "a string"
                raise SimulatorSettingsError(board.name, self.name, key,
                                             f"expected {what}, got {value!r}")
        for key in REQUIRED:
            if key not in settings:
                raise SimulatorSettingsError(board.name, self.name, key,
                                             "required (the QEMU -M machine name, see "
                                             "`qemu-system-arm -M help`)")
        if board.app != "embedded":
            raise SimulatorSettingsError(board.name, self.name, "app",
                                         "QEMU runs embedded boards only")

    def command(self, request: SimRequest) -> list[str]:
        """The QEMU command line for one run (inputs and counting included)."""
        settings = request.backend_settings(self.name)
        program = str(settings.get("program", "qemu-system-arm"))
        args = [str(a) for a in settings.get("args", []) or []]
        cmd = [program, "-M", str(settings["machine"]), "-nographic", "-monitor", "none",
               "-serial", "stdio"]
        if read_elf(request.elf).is_arm:
            # Our Cortex-M port exits through semihosting SYS_EXIT_EXTENDED.
            cmd += ["-semihosting-config", "enable=on,target=native"]
        elif "-bios" not in args:
            cmd += ["-bios", "none"]
        cmd += [*args, "-kernel", str(request.elf)]
        placement = request.placement
        if request.inputs_file is not None and placement is not None:
            size = len(request.inputs)
            if size > placement.capacity:
                raise ValueError(f"inputs are {size} bytes but tfm_inputs_region holds "
                                 f"{placement.capacity} (board inputs_capacity)")
            cmd += ["-device", f"loader,file={request.inputs_file},addr=0x{placement.address:x}"]
        if request.count_instructions and request.markers:
            try:
                library = counting.plugin_library()
            except counting.CountPluginError as exc:
                log.warning("running without instruction counts: %s", exc)
            else:
                cmd += ["-plugin", counting.plugin_argument(
                    library, _count_log(request.workdir), request.markers,
                    cycle_model=cycle_model_for_core(request.board.core))]
        return cmd

    def run(self, request: SimRequest) -> SimResult:
        request.workdir.mkdir(parents=True, exist_ok=True)
        count_log = _count_log(request.workdir)
        count_log.unlink(missing_ok=True)
        try:
            cmd = self.command(request)
        except (OSError, ValueError, KeyError) as exc:
            return SimResult(transcript="", exit_code=None, error=f"qemu: {exc}")
        program = _which(cmd[0])
        if program is None:
            return SimResult(transcript="", exit_code=None, command=cmd,
                             error=f"{cmd[0]} is not installed (not on PATH)")
        # Found on $PATH already: the child need not search it again (a relative find
        # is left to the child, which resolves it in the work folder as before).
        proc = run_process(cmd, timeout=request.timeout, cwd=request.workdir,
                           executable=program if os.path.isabs(program) else None)
        result = SimResult(transcript=proc.stdout, exit_code=proc.returncode,
                           timed_out=proc.timed_out, error=failure_text(cmd[0], proc),
                           command=cmd, seconds=proc.seconds, dropped_bytes=proc.stdout_dropped)
        if result.exit_code is not None and result.exit_code < 0:
            result.exit_code = None
        if count_log.is_file():
            try:
                count = counting.read_log(count_log.read_text())
                result.markers, result.cycle_classes = count.hits, count.classes
            except counting.CountPluginError as exc:
                result.error = result.error or str(exc)
        return result


#: (program, $PATH) -> where shutil.which found it: every job asks, and a search of
#: $PATH costs a stat per folder before the right one.
_FOUND: dict[tuple[str, str | None], str] = {}


def _which(program: str) -> str | None:
    """shutil.which(program), remembered per $PATH while the file found is still an
    executable (a program not found is looked for again each time)."""
    key = (program, os.environ.get("PATH"))
    found = _FOUND.get(key)
    if found is not None and os.access(found, os.X_OK) and not os.path.isdir(found):
        return found
    found = shutil.which(program)
    if found is None:
        _FOUND.pop(key, None)
    else:
        _FOUND[key] = found
    return found


def _count_log(workdir: Path) -> Path:
    return workdir / "markers.log"
