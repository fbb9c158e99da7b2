"""The figures a report shows and a diff compares, read from one record (plain dict).

``instructions`` is the costliest invocation (what ``--limit instructions=`` checks),
``ram`` the board's RAM check (static + arena used + stack used), ``arena`` and
``stack`` what the firmware used. A figure that was not measured is None, never 0.
"""

from __future__ import annotations

from typing import Any

METRICS: tuple[str, ...] = ("instructions", "init", "flash", "ram", "arena", "stack")
#: Unit of each metric for display: bytes or a count.
METRIC_UNITS: dict[str, str] = {"instructions": "count", "init": "count", "flash": "B",
                                "ram": "B", "arena": "B", "stack": "B"}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def costliest_invocation(record: dict[str, Any]) -> int | None:
    """Index of the invocation with the most instructions (None when not counted)."""
    counts = [_int(c) for c in _list(_dict(record.get("instructions")).get("invocations"))]
    if not counts or any(c is None for c in counts):
        return None
    return max(range(len(counts)), key=lambda k: counts[k])


def board_check(record: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The record's board budget check of `kind` ("flash"/"ram"), if any."""
    for check in _list(record.get("budgets")):
        if isinstance(check, dict) and check.get("kind") == kind \
                and check.get("source") == "board":
            return check
    return None


def ram_used(record: dict[str, Any]) -> int | None:
    check = board_check(record, "ram")
    if check is not None and _int(check.get("used")) is not None:
        return check["used"]
    sizes = _dict(record.get("sizes"))
    parts = [_int(sizes.get(k)) for k in ("static_ram", "arena_used", "stack_used")]
    return sum(parts) if all(p is not None for p in parts) else None  # type: ignore[misc]


def metrics(record: dict[str, Any]) -> dict[str, int | None]:
    """Every metric of METRICS for one record."""
    instr = _dict(record.get("instructions"))
    sizes = _dict(record.get("sizes"))
    k = costliest_invocation(record)
    return {
        "instructions": instr["invocations"][k] if k is not None else None,
        "init": _int(instr.get("init")),
        "flash": _int(sizes.get("flash")),
        "ram": ram_used(record),
        "arena": _int(sizes.get("arena_used")),
        "stack": _int(sizes.get("stack_used")),
    }


def budget(record: dict[str, Any], kind: str) -> int | None:
    """The board's budget for "flash" or "ram" as the record checked it."""
    check = board_check(record, kind)
    return _int(check.get("limit")) if check else None


def unit(record: dict[str, Any]) -> str:
    """What the instruction figures count: "instructions" (simulator markers) or a port's unit."""
    return str(_dict(record.get("instructions")).get("unit") or "none")


def ops_of_costliest(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Per-operator counts of the costliest invocation, in execution order."""
    k = costliest_invocation(record)
    if k is None:
        return []
    return [op for op in _list(_dict(record.get("instructions")).get("ops"))
            if isinstance(op, dict) and op.get("invocation") == k]
