"""Deterministic demo models for the demo and CI boards, built without ../shared.

    tfm_ci.demo_models.build("sine") -> bytes     # int8 hello_world-style MLP
    tfm_ci.demo_models.build("resnet8") -> bytes  # an MLPerf Tiny architecture (benchmarks)

The MLPerf Tiny architectures (`MLPERF_MODELS`, tfm_ci.demo.mlperf) are built by the same
`build` but are not demo models: `DEMO_MODELS` and `write_all` leave them out (the demo
stays fast); `write_mlperf` writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tfm_ci.demo import mlperf
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

#: The MLPerf Tiny reference architectures (seeded weights), also accepted by `build`.
MLPERF_MODELS: tuple[str, ...] = mlperf.MLPERF_MODELS


def build(name: str) -> bytes:
    """The .tflite bytes of demo or MLPerf model `name` (same bytes on every call)."""
    if name in MLPERF_MODELS:
        return mlperf.build(name)
    try:
        builder = _BUILDERS[name]
    except KeyError:
        raise ValueError(f"unknown demo model {name!r}; choose from "
                         f"{DEMO_MODELS + MLPERF_MODELS}") from None
    return builder()


def _write(names: tuple[str, ...], directory: str | Path) -> list[Path]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = out / f"{name}.tflite"
        path.write_bytes(build(name))
        paths.append(path)
    return paths


def write_all(directory: str | Path) -> list[Path]:
    """Write every demo model as <directory>/<name>.tflite; returns the paths."""
    return _write(DEMO_MODELS, directory)


def write_mlperf(directory: str | Path) -> list[Path]:
    """Write the MLPerf Tiny models as <directory>/<name>.tflite; returns the paths."""
    return _write(MLPERF_MODELS, directory)
