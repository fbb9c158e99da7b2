"""Instruction counts from the simulator's marker hits (tfm_marker_* functions).

The interpreter calls init_begin, init_end, then per invoke: invoke_begin,
{op_begin, op_end} per executed operator (nested for IF/WHILE bodies),
invoke_end. Each hit carries the cumulative instruction count. op_begin/op_end
are matched as a stack; completed ops, in completion order, pair with the
transcript's OP lines (which the firmware prints in the same order).
Hits that carry an estimated cycle count (tfm_ci.cycles) give ``cycles_est``
beside every instruction count, computed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tfm_ci.simulator import MarkerHit
from tfm_ci.transcript import OpCost


class CostError(ValueError):
    """Marker hits that do not follow the interpreter's call order."""


@dataclass
class OpInstructions:
    invocation: int
    subgraph: int
    op_index: int
    op_name: str
    instructions: int
    cycles_est: int | None = None      # estimate, see tfm_ci.cycles

    def to_dict(self) -> dict[str, object]:
        return {"invocation": self.invocation, "subgraph": self.subgraph,
                "op_index": self.op_index, "op_name": self.op_name,
                "instructions": self.instructions, "cycles_est": self.cycles_est}


@dataclass
class Costs:
    source: str                              # "markers", "transcript" or "none"
    unit: str = "instructions"
    init: int | None = None
    invocations: list[int] = field(default_factory=list)
    ops: list[OpInstructions] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cycles_est_init: int | None = None
    cycles_est: list[int] = field(default_factory=list)   # parallel to invocations

    @property
    def max_invocation(self) -> int | None:
        return max(self.invocations) if self.invocations else None

    def to_dict(self) -> dict[str, object]:
        """What ``dataclasses.asdict`` gives (same keys, order and copies), written out:
        asdict deep-copies every field recursively, a warm fleet job's largest cost."""
        return {"source": self.source, "unit": self.unit, "init": self.init,
                "invocations": list(self.invocations),
                "ops": [op.to_dict() for op in self.ops],
                "warnings": list(self.warnings), "cycles_est_init": self.cycles_est_init,
                "cycles_est": list(self.cycles_est)}


def from_markers(hits: Sequence[MarkerHit], op_lines: Sequence[OpCost] = ()) -> Costs:
    """Turn marker hits into init / per-invocation / per-op instruction counts."""
    costs = Costs("markers")
    # Cycles only when every hit has them: a partial estimate would mislead.
    timed = bool(hits) and all(h.cycles is not None for h in hits)
    init_start: MarkerHit | None = None
    invoke_start: MarkerHit | None = None
    stack: list[MarkerHit] = []
    completed: list[tuple[int, int, int | None]] = []   # (invocation, instructions, cycles)

    def cycles(end: MarkerHit, start: MarkerHit) -> int | None:
        return end.cycles - start.cycles if timed else None  # type: ignore[operator]

    for hit in hits:
        kind = hit.marker.removeprefix("tfm_marker_")
        n = hit.instructions
        if kind == "init_begin":
            init_start = hit
        elif kind == "init_end":
            if init_start is None:
                raise CostError("init_end without init_begin")
            costs.init = n - init_start.instructions
            costs.cycles_est_init = cycles(hit, init_start)
            init_start = None
        elif kind == "invoke_begin":
            if invoke_start is not None:
                raise CostError(f"invoke_begin inside invocation {len(costs.invocations)}")
            invoke_start, stack = hit, []
        elif kind == "invoke_end":
            if invoke_start is None:
                raise CostError("invoke_end without invoke_begin")
            if stack:
                raise CostError(f"invocation {len(costs.invocations)} ended with "
                                f"{len(stack)} op(s) still running")
            costs.invocations.append(n - invoke_start.instructions)
            if timed:
                costs.cycles_est.append(cycles(hit, invoke_start))  # type: ignore[arg-type]
            invoke_start = None
        elif kind == "op_begin":
            stack.append(hit)
        elif kind == "op_end":
            if not stack:
                raise CostError("op_end without op_begin")
            begin = stack.pop()
            completed.append((len(costs.invocations), n - begin.instructions,
                              cycles(hit, begin)))
        else:
            raise CostError(f"unknown marker {hit.marker!r}")
    if invoke_start is not None:
        costs.warnings.append(f"invocation {len(costs.invocations)} never ended")
    if op_lines and len(op_lines) != len(completed):
        costs.warnings.append(f"{len(completed)} ops counted but the transcript has "
                              f"{len(op_lines)} OP lines: op names not paired")
        op_lines = ()
    for i, (invocation, count, cyc) in enumerate(completed):
        if op_lines:
            line = op_lines[i]
            if line.invocation != invocation:
                costs.warnings.append(f"op {i}: marker invocation {invocation} != OP line "
                                      f"invocation {line.invocation}")
            costs.ops.append(OpInstructions(line.invocation, line.subgraph, line.op_index,
                                            line.op_name, count, cyc))
        else:
            costs.ops.append(OpInstructions(invocation, -1, -1, "?", count, cyc))
    return costs


def from_transcript(init: int | None, invoke_costs: dict[int, int],
                    op_lines: Sequence[OpCost], unit: str | None) -> Costs:
    """Costs the port's own counter reported (e.g. ticks), when there are no markers."""
    if not unit or unit == "none":
        return Costs("none", unit="none")
    return Costs("transcript", unit=unit, init=init,
                 invocations=[invoke_costs[k] for k in sorted(invoke_costs)],
                 ops=[OpInstructions(o.invocation, o.subgraph, o.op_index, o.op_name, o.cost)
                      for o in op_lines])
