"""A fleet's simulator slots: a backend that declares ``slot_in_run_process`` holds a slot
only while its simulator process runs (its Python before and after overlaps other jobs'
simulations); any other backend holds one for its whole run."""

from __future__ import annotations

import sys
import threading
import time

from tfm_ci import simrun
from tfm_ci.plugins.qemu.simulator import QemuSimulator
from tfm_ci.process import run_process
from tfm_ci.simulator import SimResult


def _free(slots: threading.BoundedSemaphore) -> bool:
    if slots.acquire(blocking=False):
        slots.release()
        return True
    return False


class _Backend:
    name = "probe"

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self.slots = slots
        self.free_before = self.free_during = self.free_after = None

    def run(self, request: object) -> SimResult:
        self.free_before = _free(self.slots)
        watch = threading.Thread(target=self._watch)
        watch.start()
        proc = run_process([sys.executable, "-c", "import time; time.sleep(0.5)"], timeout=30)
        watch.join()
        self.free_after = _free(self.slots)
        return SimResult(transcript="", exit_code=proc.returncode)

    def _watch(self) -> None:
        time.sleep(0.25)                     # while the process sleeps
        self.free_during = _free(self.slots)


class _Declaring(_Backend):
    slot_in_run_process = True


def test_declaring_backend_holds_the_slot_only_in_run_process() -> None:
    slots = threading.BoundedSemaphore(1)
    backend = _Declaring(slots)
    with simrun.simulation_slots(slots):
        result, trace = simrun.simulate(backend, request=None)
    assert trace is None and result.exit_code == 0
    assert (backend.free_before, backend.free_during, backend.free_after) == (True, False, True)
    assert _free(slots)


def test_other_backends_hold_the_slot_for_the_whole_run() -> None:
    slots = threading.BoundedSemaphore(1)
    backend = _Backend(slots)
    with simrun.simulation_slots(slots):
        simrun.simulate(backend, request=None)
    assert (backend.free_before, backend.free_during, backend.free_after) == (False, False, False)
    assert _free(slots)


def test_outside_a_fleet_no_slot_is_taken() -> None:
    slots = threading.BoundedSemaphore(1)
    backend = _Declaring(slots)
    simrun.simulate(backend, request=None)
    assert (backend.free_before, backend.free_during, backend.free_after) == (True, True, True)


def test_qemu_backend_declares_it() -> None:
    assert QemuSimulator.slot_in_run_process is True
