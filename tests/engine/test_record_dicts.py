"""The record's hand-written ``to_dict`` methods give exactly what ``dataclasses.asdict``
gave (same keys in the same order, same values, fresh copies of every list and dict)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import numpy as np

from tfm_ci import budgets
from tfm_ci.costs import Costs, OpInstructions, from_markers
from tfm_ci.job import JobRecord, JobSpec, Sizes, Status
from tfm_ci.simulator import MarkerHit
from tfm_ci.transcript import OpCost


def _same(a: Any, b: Any) -> bool:
    """Equal, with dict keys in the same order all the way down."""
    return json.dumps(a) == json.dumps(b) and a == b


def _no_shared_containers(a: Any, b: Any) -> bool:
    """No list or dict of `a` is one of `b`'s (a deep copy)."""
    if isinstance(a, dict):
        return a is not b and all(_no_shared_containers(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return a is not b and all(_no_shared_containers(x, y) for x, y in zip(a, b,
                                                                                strict=True))
    return True


def _costs() -> list[Costs]:
    hits = [MarkerHit(f"tfm_marker_{m}", n, n * 2) for m, n in
            (("init_begin", 10), ("init_end", 110), ("invoke_begin", 200), ("op_begin", 210),
             ("op_end", 260), ("invoke_end", 320), ("invoke_begin", 400))]
    lines = [OpCost(0, 0, 0, "CONV_2D", 0)]
    marked = from_markers(hits, lines)
    assert marked.ops and marked.cycles_est and marked.warnings      # every field filled
    return [marked, Costs("none", unit="none", warnings=["markers: x"]),
            Costs("transcript", unit="ticks", init=3, invocations=[4, 5],
                  ops=[OpInstructions(0, 1, 2, "ADD", 7)])]


def test_costs_to_dict_is_asdict() -> None:
    for c in _costs():
        d = c.to_dict()
        assert _same(d, asdict(c))
        assert _no_shared_containers(d, asdict(c))
        d["invocations"].append(1)
        d["ops"].append({})
        d["warnings"].append("w")
        d["cycles_est"].append(1)
        assert _same(c.to_dict(), asdict(c)) and c.to_dict() != d    # c untouched


def test_budget_check_to_dict_is_asdict() -> None:
    checks = budgets.check("b", 100, 200, budgets.Measures(flash=50, static_ram=10,
                                                           arena_used=300, stack_used=None),
                           [budgets.parse_limit("instructions=2M")])
    assert {c.ok for c in checks} == {True, False, None}
    for c in checks:
        assert _same(c.to_dict(), asdict(c))


def _sizes_as_before(s: Sizes) -> dict[str, Any]:
    optional = ("arena_used", "arena_head", "arena_tail", "stack_used")
    return {k: v for k, v in asdict(s).items() if v is not None or k not in optional}


def test_sizes_to_dict_leaves_out_unmeasured() -> None:
    for s in (Sizes(1, 2, None, 4, 5), Sizes(1, 2, 3, 4, 5, 6, 7, 8, 9),
              Sizes(1, 2, 3, 4, 5, arena_used=6, stack_used=0),
              Sizes(1, 2, 3, 4, 5, arena_head=6, arena_tail=7)):
        assert _same(s.to_dict(), _sizes_as_before(s))
    assert list(Sizes(1, 2, None, 4, 5).to_dict()) == ["flash", "static_ram", "arena_size",
                                                     "inputs_capacity", "stack_size"]


def test_record_to_dict_is_asdict() -> None:
    spec = JobSpec(model="m.tflite", board="b", inputs=[np.arange(3, dtype=np.int8)],
                   limits=["ram=1KiB"])
    rec = JobRecord(spec=spec.to_dict(), status=Status.FAIL, reason="r", board="b",
                    outputs=[{"invocation": 0, "data": [1.5, float("nan")], "shape": [2],
                              "first_mismatch": {"index": [1], "ours": 1, "reference": 2}}],
                    comparison={"match": False, "mismatching": ["x"]},
                    sizes=Sizes(1, 2, 3, 4, 5, arena_used=6).to_dict(),
                    instructions=_costs()[0].to_dict(),
                    budgets=[{"kind": "ram", "ok": None}], errors=["e"],
                    build={"flags": ["-O2"], "cached": True},
                    simulation={"command": ["qemu"], "cycle_classes": {"alu": [1, 2]},
                                "key": (1, [2])},
                    transcript="TFM BEGIN\n", seconds=0.5)
    d = rec.to_dict()
    old = asdict(rec)
    old["status"] = rec.status.value
    assert json.dumps(d) == json.dumps(old)
    assert _no_shared_containers(d, old)
    d["outputs"][0]["data"].append(0)
    d["simulation"]["cycle_classes"]["alu"].append(3)
    assert rec.outputs[0]["data"] == [1.5, rec.outputs[0]["data"][1]]
    assert rec.simulation["cycle_classes"]["alu"] == [1, 2]
