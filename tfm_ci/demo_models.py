"""Deterministic demo models for the demo and CI boards, built without ../shared.

    tfm_ci.demo_models.build("sine") -> bytes     # int8 hello_world-style MLP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tfm_ci.demo.kws import build_kws, build_tiny_conv
from tfm_ci.demo.sine import build_sine_float, build_sine_int8

_BUILDERS: dict[str, Callable[[], bytes]] = {
    "sine": build_sine_int8,
    "sine_float": build_sine_float,
    "kws": build_kws,
    "tiny_conv": build_tiny_conv,
}

#: Names accepted by `build`.
DEMO_MODELS: tuple[str, ...] = tuple(_BUILDERS)


def build(name: str) -> bytes:
    """The .tflite bytes of demo model `name` (same bytes on every call)."""
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise ValueError(f"unknown demo model {name!r}; choose from {DEMO_MODELS}") from None
    return builder()


def write_all(directory: str | Path) -> list[Path]:
    """Write every demo model as <directory>/<name>.tflite; returns the paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in DEMO_MODELS:
        path = out / f"{name}.tflite"
        path.write_bytes(build(name))
        paths.append(path)
    return paths
