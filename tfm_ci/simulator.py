"""The simulator backend contract: one :class:`SimRequest` in, one :class:`SimResult` out.

The engine prepares everything a backend needs (the ELF, the inputs blob and where it
must be loaded, the marker addresses to count between, the timeout, a work folder) so
a backend only translates the request into its program's command line and the
program's output back into a :class:`SimResult`. It never interprets the transcript:
:mod:`tfm_ci.transcript` and :mod:`tfm_ci.verdict` do. See docs/simulators.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from tfm_ci import inputs_blob
from tfm_ci.platform import Board


class SimulatorSettingsError(ValueError):
    """A board's ``[simulators.<backend>]`` data the backend cannot use."""

    def __init__(self, board: str, backend: str, key: str, problem: str) -> None:
        self.board, self.backend, self.key = board, backend, key
        super().__init__(f"board {board}: [simulators.{backend}] {key}: {problem}")


@dataclass
class MarkerHit:
    """One execution of a ``tfm_marker_*`` function, with the instructions
    executed since the program started (counted by the simulator) and, when the
    simulator has a timing model for the core, the estimated cycles."""

    marker: str          # e.g. "op_begin"
    instructions: int
    cycles: int | None = None    # estimate (tfm_ci.cycles), not a measurement


@dataclass(frozen=True)
class InputsPlacement:
    """Where the inputs blob must be loaded in the simulated machine's memory."""

    address: int          # of the ELF symbol ``tfm_inputs_region``
    capacity: int         # bytes reserved there (the board's inputs_capacity)
    region: str           # board memory region holding it


@dataclass(frozen=True)
class SimRequest:
    """Everything one simulation needs, prepared by the engine (:func:`tfm_ci.simrun.make_request`).

    ``inputs`` is the blob of :mod:`tfm_ci.inputs_blob` (16-byte header + raw input bytes),
    also written to ``inputs_file`` for programs that load files. ``placement`` is None
    for boards that read their inputs from files (``app = "runner"``), or when the ELF
    has no inputs region. ``markers`` maps a marker name (``"op_begin"``) to the address
    of its first instruction; a backend that counts instructions reports a
    :class:`MarkerHit` each time one executes.
    """

    elf: Path
    board: Board
    workdir: Path
    timeout: float
    inputs: bytes = b""
    inputs_file: Path | None = None
    placement: InputsPlacement | None = None
    model_file: Path | None = None          # the .tflite, for runner boards
    markers: dict[str, int] = field(default_factory=dict)
    count_instructions: bool = True

    def backend_settings(self, backend: str) -> dict[str, object]:
        """The board's ``[simulators.<backend>]`` table."""
        return dict(self.board.simulators.get(backend, {}) or {})

    def invocations(self) -> tuple[int, bytes]:
        """(invocation count, raw input bytes) from the blob (BlobError when malformed)."""
        return inputs_blob.unpack(self.inputs)


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
    dropped_bytes: int = 0                # console output dropped by the bounded reader
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

    def validate(self, board: Board) -> None:
        """Check the board's ``[simulators.<name>]`` data when the board is loaded;
        raise :class:`SimulatorSettingsError` naming the key."""

    def run(self, request: SimRequest) -> SimResult:
        """Run the firmware until it exits or ``request.timeout`` seconds pass."""
