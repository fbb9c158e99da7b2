"""`tfm-ci demo` as a built-in fleet spec: the demo models on every built-in board."""

from __future__ import annotations

from pathlib import Path

from tfm_ci import demo_models
from tfm_ci.demo import digits
from tfm_ci.fleet.spec import FleetSpec, FleetSpecError, from_dict
from tfm_ci.plugins import BUILTIN_PLUGINS
from tfm_ci.registry import Registry


def builtin_boards(reg: Registry) -> list[str]:
    return sorted(name for name in reg.boards
                  if reg.owners.get(f"board:{name}") in BUILTIN_PLUGINS)


def runnable(reg: Registry, boards: list[str]) -> tuple[list[str], list[str]]:
    """(boards some installed simulator can run, boards none can)."""
    ok, skipped = [], []
    for name in boards:
        options = reg.simulator_options(reg.board(name))
        (ok if any(reason is None for _b, _s, reason in options) else skipped).append(name)
    return ok, skipped


def demo_spec(reg: Registry, out: Path, *, boards: list[str] | None = None,
              models: list[str] | None = None, timeout: float = 120.0
              ) -> tuple[FleetSpec, list[str]]:
    """The demo fleet (models written into `out`) and the boards left out for want of
    a simulator. Raises FleetSpecError for an unknown board or demo model."""
    paths = demo_models.write_all(out)
    if models:
        unknown = sorted(set(models) - {p.stem for p in paths})
        if unknown:
            raise FleetSpecError(f"demo: --model: unknown demo model(s) {', '.join(unknown)} "
                                 f"(known: {', '.join(demo_models.DEMO_MODELS)})")
        paths = [p for p in paths if p.stem in models]
    names = boards or builtin_boards(reg)
    for name in names:
        if name not in reg.boards:
            raise FleetSpecError(f"demo: --board: unknown board {name!r} "
                                 f"(known: {', '.join(sorted(reg.boards))})")
    usable, skipped = runnable(reg, names)
    if not usable:
        raise FleetSpecError(f"demo: no simulator available for any of {', '.join(names)}")
    data: dict = {"boards": usable, "models": [p.name for p in paths], "timeout": timeout}
    if not models:
        data["datasets"] = [digits_dataset(out)]
    return from_dict(data, reg, base=out, source="built-in demo"), skipped


def digits_dataset(out: Path) -> dict[str, str]:
    """The demo's ``[[datasets]]`` entry: the digits classifier and its 500 held-back
    samples (scikit-learn's 8x8 digits), split over every demo board."""
    (out / "digits.tflite").write_bytes(digits.build_digits_int8())
    digits.write_dataset(out / "digits_test.npz")
    return {"model": "digits.tflite", "data": "digits_test.npz"}
