"""Budget checks and their failure texts."""

from __future__ import annotations

import pytest

from tfm_ci.budgets import Measures, check, failures, parse_limit


def test_ram_failure_text_exact() -> None:
    m = Measures(flash=100_000, static_ram=40_960, arena_used=150_112, stack_used=10_272)
    checks = check("netduinoplus2", 1 << 20, 131_072, m)
    assert failures(checks) == [
        "RAM 201,344 B > 131,072 B on netduinoplus2 (static 40,960 + arena 150,112 + stack 10,272)"
    ]
    assert checks[0].ok and checks[0].text == "flash 100,000 B <= 1,048,576 B on netduinoplus2"


def test_flash_over_budget() -> None:
    checks = check("m4-256k", 1 << 20, 262_144, Measures(flash=1_100_000, static_ram=10,
                                                        arena_used=20, stack_used=30))
    assert failures(checks) == ["flash 1,100,000 B > 1,048,576 B on m4-256k"]


def test_boundaries_are_inclusive() -> None:
    m = Measures(flash=1024, static_ram=100, arena_used=900, stack_used=24)
    assert failures(check("b", 1024, 1024, m)) == []
    m.stack_used = 25
    assert failures(check("b", 1024, 1024, m)) == [
        "RAM 1,025 B > 1,024 B on b (static 100 + arena 900 + stack 25)"]


def test_user_limits() -> None:
    m = Measures(flash=5000, static_ram=100, arena_used=3000, stack_used=-1,
                 instructions=2_500_000)
    limits = [parse_limit(s) for s in ("arena=2KiB", "instructions=2M", "flash=1MiB", "ram=4KiB",
                                       "stack=1KiB")]
    checks = check("host", 1 << 26, 1 << 26, m, limits)
    by_kind = {(c.kind, c.source): c for c in checks}
    assert by_kind["arena", "user"].text == "arena 3,000 B > 2,048 B (user limit)"
    assert by_kind["instructions", "user"].text == "instructions 2,500,000 > 2,000,000 (user limit)"
    assert by_kind["flash", "user"].ok is True
    assert by_kind["ram", "user"].ok is True
    assert "stack unknown" in by_kind["ram", "user"].text
    assert by_kind["stack", "user"].ok is None      # unknown: never a silent pass
    assert len(failures(checks)) == 2


def test_unknown_arena_is_not_checked() -> None:
    (_flash, ram) = check("b", 10, 10, Measures(flash=5, static_ram=5))
    assert ram.ok is None and ram.text.startswith("RAM unknown")


@pytest.mark.parametrize("text", ["ram", "rom=1KiB", "ram=lots", "instructions=many"])
def test_bad_limits(text: str) -> None:
    with pytest.raises(ValueError, match="bad limit"):
        parse_limit(text)


def test_limit_parsing() -> None:
    assert parse_limit("ram=128KiB").value == 131072
    assert parse_limit("instructions=2M").value == 2_000_000
    assert parse_limit("RAM=1MiB").kind == "ram"
