"""Cycle estimates beside the exact instruction counts.

QEMU counts instructions exactly but has no notion of time. Our count plugin
also classifies every executed instruction into the timing classes of the
core's Technical Reference Manual and charges each its cycles at zero wait
states (tfm_ci/plugins/qemu/timing/, docs/cycle-model.md). The result is an
*estimate*: deterministic, but it ignores flash wait states, bus contention,
caches, interrupts and (on the Cortex-M7) dual issue. This module maps a
board's core to its timing model and turns cycles into milliseconds when the
board states its clock (``clock_hz`` in board.toml).
"""

from __future__ import annotations

from typing import Any

# board.toml `core` -> timing model name of tfm_ci/plugins/qemu/timing/models.c
CORE_MODELS: dict[str, str] = {
    "cortex-m3": "cortex-m3",
    "cortex-m4": "cortex-m4",
    "cortex-m4f": "cortex-m4",
    "cortex-m7": "cortex-m7",
    "cortex-m55": "cortex-m55",
    "rv32imac": "rv32-ibex",
    "rv32imc": "rv32-ibex",
    "rv32im": "rv32-ibex",
}

ASSUMPTIONS = ("estimate: in-order TRM timings at zero wait states, no caches, no "
               "interrupts (docs/cycle-model.md)")
LABEL = "cycles (est.)"


def model_for_core(core: str) -> str | None:
    """The timing model of a board's core, or None when we have none."""
    return CORE_MODELS.get(core)


def milliseconds(cycles: int, clock_hz: int) -> float:
    return 1000.0 * cycles / clock_hz


def annotate(instructions: dict[str, Any], core: str, clock_hz: int | None) -> None:
    """Add the estimate's model, assumptions and (with a clock) milliseconds to a
    record's ``instructions`` dict (the output of Costs.to_dict())."""
    if not instructions.get("cycles_est"):
        return
    instructions["cycle_model"] = model_for_core(core)
    instructions["cycle_assumptions"] = ASSUMPTIONS
    if clock_hz:
        instructions["clock_hz"] = clock_hz
        instructions["ms_est"] = [round(milliseconds(c, clock_hz), 4)
                                  for c in instructions["cycles_est"]]


def max_cycles(instructions: dict[str, Any]) -> int | None:
    """The costliest invocation's estimated cycles, or None."""
    est = instructions.get("cycles_est") or []
    return max(est) if est else None


def fmt_estimate(instructions: dict[str, Any]) -> str:
    """The costliest invocation's estimate for tables: `~3,812,004` or, with a
    board clock, `~3,812,004 (47.65 ms)`; `-` when there is none."""
    n = max_cycles(instructions)
    if n is None:
        return "-"
    text = f"~{n:,}"
    clock = instructions.get("clock_hz")
    if clock:
        text += f" ({milliseconds(n, clock):.3g} ms)"
    return text


def describe(instructions: dict[str, Any]) -> str | None:
    """One line for `tfm-ci run`: the estimate, its model, clock and assumptions."""
    n = max_cycles(instructions)
    if n is None:
        return None
    insns = max(instructions.get("invocations") or [0]) or 1
    text = (f"~{n:,} cycles per invoke on the {instructions.get('cycle_model')} timing model "
            f"({n / insns:.2f} cycles/instruction)")
    clock = instructions.get("clock_hz")
    if clock:
        text += f", {milliseconds(n, clock):.3f} ms at {clock / 1e6:g} MHz"
    return f"{text}; {ASSUMPTIONS}"
