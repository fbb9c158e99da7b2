"""The engine's side of the simulator contract: prepare a :class:`SimRequest`, run it.

The ELF is read once here (inputs region, marker functions), the inputs blob
and the model are written into the job's work folder, and a backend that
raises is turned into a :class:`SimResult` error, so one broken plugin never
stops a fleet.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from tfm_ci.elfinfo import read_elf
from tfm_ci.platform import Board
from tfm_ci.process import PROCESS_SLOT
from tfm_ci.simulator import InputsPlacement, SimRequest, SimResult, Simulator


def make_request(elf: Path, board: Board, *, workdir: Path, timeout: float,
                 inputs: bytes = b"", model: bytes | None = None,
                 count_instructions: bool = True) -> SimRequest:
    """A request for running `elf` on `board` with the inputs blob `inputs`."""
    workdir.mkdir(parents=True, exist_ok=True)
    info = read_elf(elf)
    inputs_file = None
    if inputs:
        inputs_file = workdir / "inputs.bin"
        _put(inputs_file, inputs)
    model_file = None
    if model is not None:
        model_file = workdir / "model.tflite"
        _put(model_file, model)
    region = info.inputs_region()
    placement = None
    if region is not None and board.app == "embedded":
        placement = InputsPlacement(address=region.address,
                                    capacity=region.size or board.inputs_capacity,
                                    region=board.inputs_region)
    return SimRequest(elf=elf, board=board, workdir=workdir, timeout=timeout, inputs=inputs,
                      inputs_file=inputs_file, placement=placement, model_file=model_file,
                      markers=info.markers() if count_instructions else {},
                      count_instructions=count_instructions)


def _put(path: Path, data: bytes) -> None:
    """`path` holding `data`. A file that holds them already (a work folder used again,
    as a fleet's is) is left alone: overwriting in place costs far more than reading
    (on ext4 a truncating rewrite flushes the file to disk on close)."""
    try:
        # One read() system call (a buffered file costs four more); a short read only
        # means the file is written again.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            if os.read(fd, len(data) + 1) == data:
                return
        finally:
            os.close(fd)
    except OSError:
        pass
    path.write_bytes(data)


#: Simulator slots of the calling thread's fleet (None: no limit): a fleet runs more
#: job threads than simulators, so a job's Python work overlaps other simulations.
_SLOTS: ContextVar[threading.Semaphore | None] = ContextVar("tfm_ci_sim_slots", default=None)


@contextlib.contextmanager
def simulation_slots(slots: threading.Semaphore | None) -> Iterator[None]:
    """Within this block, this thread's simulations each hold one of `slots`."""
    token = _SLOTS.set(slots)
    try:
        yield
    finally:
        _SLOTS.reset(token)


def simulate(sim: Simulator, request: SimRequest) -> tuple[SimResult, str | None]:
    """Run the request (in one of the thread's simulator slots, when it has any);
    (result, traceback text when the backend raised)."""
    slots = _SLOTS.get()
    try:
        if slots is None:
            return sim.run(request), None
        if getattr(sim, "slot_in_run_process", False):
            token = PROCESS_SLOT.set(slots)
            try:
                return sim.run(request), None
            finally:
                PROCESS_SLOT.reset(token)
        with slots:
            return sim.run(request), None
    except Exception as exc:  # a simulator plugin bug: this job errs, the fleet goes on
        return (SimResult(transcript="", exit_code=None,
                          error=f"{sim.name}: {type(exc).__name__}: {exc}"),
                traceback.format_exc())
