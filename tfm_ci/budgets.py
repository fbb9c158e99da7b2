"""Budgets: the board's flash/RAM and the user's limits, checked against measurements.

RAM = static RAM (.data + .bss from the ELF) + arena used + stack used (both
from the transcript). Flash = every ALLOC section with contents. User limits
(``--limit ram=128KiB``, ``instructions=2M``) are checked on top; the
instructions limit applies to the costliest invocation.
"""

from __future__ import annotations

from dataclasses import dataclass

from tfm_ci.units import parse_count, parse_size

LIMIT_KINDS = ("flash", "ram", "arena", "stack", "instructions")


@dataclass(frozen=True)
class Limit:
    kind: str
    value: int

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


def parse_limit(text: str) -> Limit:
    """`KIND=VALUE`, e.g. "ram=128KiB" or "instructions=2M"."""
    kind, sep, value = text.partition("=")
    kind = kind.strip().lower()
    if not sep or kind not in LIMIT_KINDS:
        raise ValueError(f"bad limit {text!r}: use KIND=VALUE with KIND one of "
                         f"{', '.join(LIMIT_KINDS)} (e.g. ram=128KiB, instructions=2M)")
    try:
        number = parse_count(value) if kind == "instructions" else parse_size(value.strip())
    except ValueError as exc:
        raise ValueError(f"bad limit {text!r}: {exc}") from None
    return Limit(kind, number)


@dataclass
class Measures:
    """What one job measured; None = unknown."""

    flash: int | None = None
    static_ram: int | None = None
    arena_used: int | None = None
    stack_used: int | None = None
    instructions: int | None = None     # the costliest invocation


@dataclass
class BudgetCheck:
    kind: str              # "flash", "ram", "arena", "stack", "instructions"
    source: str            # "board" or "user"
    used: int | None
    limit: int
    ok: bool | None        # None = could not be checked (unknown measure)
    text: str

    def to_dict(self) -> dict[str, object]:
        """What ``dataclasses.asdict`` gives (every field a scalar), without its
        recursive deep copy."""
        return {"kind": self.kind, "source": self.source, "used": self.used,
                "limit": self.limit, "ok": self.ok, "text": self.text}


def _b(n: int) -> str:
    return f"{n:,} B"


def _ram_parts(m: Measures) -> tuple[int | None, str]:
    parts = [("static", m.static_ram), ("arena", m.arena_used), ("stack", m.stack_used)]
    known = [(name, v) for name, v in parts if v is not None and v >= 0]
    if not any(name == "arena" for name, _ in known) or not known:
        return None, ""
    detail = " + ".join(f"{name} {v:,}" for name, v in known)
    unknown = [name for name, v in parts if v is None or v < 0]
    if unknown:
        detail += f"; {', '.join(unknown)} unknown"
    return sum(v for _, v in known), detail


def _check(kind: str, source: str, used: int | None, limit: int, where: str,
           detail: str = "", unit: bool = True) -> BudgetCheck:
    label = {"ram": "RAM", "flash": "flash"}.get(kind, kind)
    fmt = _b if unit else (lambda n: f"{n:,}")
    if used is None:
        extra = f", {detail}" if detail else ""
        return BudgetCheck(kind, source, None, limit, None,
                           f"{label} unknown (limit {fmt(limit)}{where}{extra})")
    ok = used <= limit
    text = f"{label} {fmt(used)} {'<=' if ok else '>'} {fmt(limit)}{where}"
    if detail:
        text += f" ({detail})"
    return BudgetCheck(kind, source, used, limit, ok, text)


def check(board_name: str, flash_budget: int, ram_budget: int, m: Measures,
          limits: list[Limit] = ()) -> list[BudgetCheck]:
    """Board budgets then user limits; failure texts like
    ``RAM 201,344 B > 131,072 B on netduinoplus2 (static 40,960 + arena 150,112 + stack 10,272)``.
    """
    ram, ram_detail = _ram_parts(m)
    where = f" on {board_name}"
    checks = [_check("flash", "board", m.flash, flash_budget, where),
              _check("ram", "board", ram, ram_budget, where, ram_detail)]
    used = {"flash": m.flash, "ram": ram, "arena": m.arena_used,
            "stack": m.stack_used if m.stack_used is None or m.stack_used >= 0 else None,
            "instructions": m.instructions}
    for lim in limits:
        detail = "user limit" + (f"; {ram_detail}" if lim.kind == "ram" and ram_detail else "")
        checks.append(_check(lim.kind, "user", used[lim.kind], lim.value, "", detail,
                             unit=lim.kind != "instructions"))
    return checks


def failures(checks: list[BudgetCheck]) -> list[str]:
    return [c.text for c in checks if c.ok is False]
