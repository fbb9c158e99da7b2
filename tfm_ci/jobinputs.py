"""A job's inputs: .npy files or arrays (one per model input), or seeded random ones.

An array shaped like the model input is one invocation; one extra leading
axis is a sequence of invocations on one interpreter (state kept between).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci.inspect import ModelInfo
from tfm_ci.oracle import input_specs, random_inputs


class InputsError(ValueError):
    """Inputs that do not fit the model."""


def _load(item: Any, where: str) -> np.ndarray:
    if isinstance(item, np.ndarray):
        return item
    try:
        return np.load(Path(item), allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise InputsError(f"{where}: cannot load {item}: {exc}") from None


def _cast(array: np.ndarray, dtype: np.dtype, where: str) -> np.ndarray:
    if array.dtype == dtype:
        return array
    cast = array.astype(dtype)
    if dtype.kind in "iub" and not np.array_equal(cast.astype(array.dtype), array):
        raise InputsError(f"{where}: dtype {array.dtype} values do not fit the model's {dtype}")
    return cast


def load_inputs(model: bytes, info: ModelInfo, inputs: Sequence[Any] | None,
                invocations: int = 1, seed: int = 0) -> list[list[np.ndarray]]:
    """Per invocation, every model input as an array of the model's dtype and shape."""
    specs = input_specs(model)
    if not inputs:
        if invocations < 1:
            raise InputsError(f"invocations must be >= 1, got {invocations}")
        rng = np.random.default_rng(seed)
        return [random_inputs(model, rng) for _ in range(invocations)]
    if len(inputs) != len(specs):
        raise InputsError(f"model has {len(specs)} input(s) "
                          f"({', '.join(s.name for s in specs)}), got {len(inputs)}")
    per_input: list[np.ndarray] = []
    counts: set[int] = set()
    for i, (item, spec) in enumerate(zip(inputs, specs, strict=True)):
        where = f"input {i} ({spec.name})"
        array = _cast(_load(item, where), spec.dtype, where)
        if array.shape == spec.shape:
            array = array[np.newaxis]
        elif array.shape[1:] != spec.shape:
            raise InputsError(f"{where}: shape {array.shape} is neither {spec.shape} nor "
                              f"(N, {', '.join(map(str, spec.shape))})")
        counts.add(array.shape[0])
        per_input.append(array)
    if len(counts) != 1:
        raise InputsError(f"inputs disagree on the number of invocations: {sorted(counts)}")
    n = counts.pop()
    if n < 1:
        raise InputsError("inputs hold zero invocations")
    return [[a[k] for a in per_input] for k in range(n)]
