"""The simulator backend interface and what one simulation returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from tfm_ci.platform import Board


@dataclass
class MarkerHit:
    """One execution of a ``tfm_marker_*`` function, with the instructions
    executed since the program started (counted by the simulator) and, when the
    simulator has a timing model for the core, the estimated cycles."""

    marker: str          # e.g. "op_begin"
    instructions: int
    cycles: int | None = None    # estimate (tfm_ci.cycles), not a measurement


@dataclass
class SimResult:
    """What a simulator observed. Never interpreted here: see tfm_ci.transcript."""

    transcript: str                       # console output (UART / stdout)
    exit_code: int | None                 # None when killed (timeout) or crashed
    timed_out: bool = False
    error: str | None = None              # simulator failure (crash, bad ELF, ...)
    markers: list[MarkerHit] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # estimated (instructions, cycles) per timing class over the whole run
    cycle_classes: dict[str, tuple[int, int]] = field(default_factory=dict)


@runtime_checkable
class Simulator(Protocol):
    """A simulator backend (qemu, renode, host process, ...)."""

    name: str

    def unavailable_reason(self) -> str | None:
        """None when the backend's program is installed, else why not."""

    def can_run(self, board: Board) -> bool:
        """True when the board's description has settings for this backend."""

    def run(self, elf: Path, board: Board, *, timeout: float, workdir: Path,
            count_instructions: bool = True) -> SimResult:
        """Run the firmware until it exits or `timeout` seconds pass."""
