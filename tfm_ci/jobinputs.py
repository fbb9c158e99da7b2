"""A job's inputs: .npy files or arrays (one per model input), or seeded random ones.

An array shaped like the model input is one invocation; one extra leading
axis is a sequence of invocations on one interpreter (state kept between).
Values are cast to the model's dtype only when the cast keeps them: an
integer outside the target range, a fraction into an integer type or a float
that overflows float32 is refused with the input, file, value and range named.
"""

from __future__ import annotations

import hashlib
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci.inspect import ModelInfo
from tfm_ci.oracle import TensorSpec, input_specs, random_inputs


class InputsError(ValueError):
    """Inputs that do not fit the model."""


def _load(item: Any, where: str, max_bytes: int | None) -> tuple[np.ndarray, str]:
    """The array and how to name its origin ("file x.npy" or "array")."""
    if isinstance(item, np.ndarray):
        return item, "array"
    path = Path(item)
    if zipfile.is_zipfile(path):
        raise InputsError(f"{where}: {path} is an .npz archive; give one .npy file per model "
                          "input (numpy.save)")
    try:
        # Memory-mapped first: the header's shape and dtype are checked before any read.
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise InputsError(f"{where}: cannot load {path}: {exc}") from None
    if not isinstance(array, np.ndarray):
        raise InputsError(f"{where}: {path} does not hold one array")
    _check_kind(array, where, f"file {path}")
    if max_bytes is not None and array.nbytes > max_bytes:
        raise InputsError(f"{where}: file {path} holds {array.nbytes:,} B of data, more than the "
                          f"board takes ({max_bytes:,} B, inputs_capacity)")
    return np.array(array), f"file {path}"


def _check_kind(array: np.ndarray, where: str, origin: str) -> None:
    if array.dtype.names is not None or array.dtype.kind not in "biuf":
        raise InputsError(f"{where}: {origin} has dtype {array.dtype}, not a plain number or "
                          "bool array")


def _first_bad(array: np.ndarray, bad: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    return f"value {array[index].item()!r} at index {index}"


def _cast(array: np.ndarray, dtype: np.dtype, where: str, origin: str) -> np.ndarray:
    """`array` as `dtype`, refusing any value the cast would change (floats: only rounding
    to the nearest float32 is allowed, never overflow to inf or underflow to 0)."""
    _check_kind(array, where, origin)
    if array.dtype == dtype:
        return array
    src = array.dtype
    if dtype.kind in "iub":
        lo, hi = (0, 1) if dtype.kind == "b" else (int(np.iinfo(dtype).min),
                                                    int(np.iinfo(dtype).max))
        rng = f"{dtype} range [{lo}, {hi}]" if dtype.kind != "b" else "bool (0 or 1)"
        if src.kind == "f":
            bad = ~np.isfinite(array) | (array != np.floor(array))
            if bad.any():
                raise InputsError(f"{where}: {origin} {_first_bad(array, bad)} is not an "
                                  f"integer; the model input is {dtype}")
            bad = (array < lo) | (array > hi)
        else:  # integers and bools: numpy compares them with Python ints exactly
            bad = (array < lo) | (array > hi)
        if np.any(bad):
            raise InputsError(f"{where}: {origin} {_first_bad(array, bad)} is outside the "
                              f"model input's {rng}")
        return array.astype(dtype)
    # float target
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        cast = array.astype(dtype)
    if src.kind == "f":
        bad = (np.isfinite(array) & ~np.isfinite(cast)) | ((array != 0) & (cast == 0))
        if bad.any():
            info = np.finfo(dtype)
            raise InputsError(f"{where}: {origin} {_first_bad(array, bad)} does not fit the "
                              f"model input's {dtype} (magnitude {info.smallest_subnormal:g} "
                              f"to {info.max:g})")
    elif src.kind in "iu":
        bad = cast.astype(src) != array
        if bad.any():
            raise InputsError(f"{where}: {origin} {_first_bad(array, bad)} is not exact in the "
                              f"model input's {dtype}")
    return cast


def _bytes_per_invocation(specs: Sequence[TensorSpec]) -> int:
    return sum(s.nbytes for s in specs)


# A fleet runs each model for many jobs: its input specs, and its seeded random inputs
# (a function of the model's bytes, the seed and the count), are made once per process.
_SPECS: OrderedDict[bytes, tuple[list[TensorSpec], int]] = OrderedDict()
_RANDOM: OrderedDict[tuple[bytes, int, int], list[list[np.ndarray]]] = OrderedDict()
_LOCK = threading.Lock()
_MEMO_MAX = 64


def _remember(memo: OrderedDict, key: Any, make: Any) -> Any:
    with _LOCK:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    value = make()
    with _LOCK:
        memo[key] = value
        while len(memo) > _MEMO_MAX:
            memo.popitem(last=False)
    return value


def _input_specs(digest: bytes, model: bytes) -> tuple[list[TensorSpec], int]:
    """The model's input specs (a list of the caller's own) and the bytes one
    invocation's inputs take."""
    def make() -> tuple[list[TensorSpec], int]:
        specs = input_specs(model)
        return specs, _bytes_per_invocation(specs)

    specs, size = _remember(_SPECS, digest, make)
    return list(specs), size


def _random(digest: bytes, model: bytes, invocations: int, seed: int
            ) -> list[list[np.ndarray]]:
    """`invocations` sets of random inputs from `seed`, as fresh arrays each call (the
    caller may change them; the kept ones are read-only)."""
    def make() -> list[list[np.ndarray]]:
        rng = np.random.default_rng(seed)
        made = [random_inputs(model, rng) for _ in range(invocations)]
        for inv in made:
            for a in inv:
                a.flags.writeable = False
        return made

    kept = _remember(_RANDOM, (digest, invocations, seed), make)
    return [[a.copy() for a in inv] for inv in kept]


def load_inputs(model: bytes, info: ModelInfo, inputs: Sequence[Any] | None,
                invocations: int = 1, seed: int = 0,
                max_bytes: int | None = None, *,
                model_sha256: bytes | None = None) -> list[list[np.ndarray]]:
    """Per invocation, every model input as an array of the model's dtype and shape.

    `max_bytes` (the board's inputs capacity) is checked before anything is allocated.
    `model_sha256`: the model's sha256 digest, when the caller has it.
    """
    digest = model_sha256 or hashlib.sha256(model).digest()
    specs, per_invocation = _input_specs(digest, model)
    if not inputs:
        if invocations < 1:
            raise InputsError(f"invocations must be >= 1, got {invocations}")
        need = per_invocation * invocations
        if max_bytes is not None and need > max_bytes:
            raise InputsError(f"inputs need {need:,} B ({invocations} invocation(s) of "
                              f"{per_invocation:,} B), the board holds "
                              f"{max_bytes:,} B (inputs_capacity)")
        return _random(digest, model, invocations, seed)
    if len(inputs) != len(specs):
        raise InputsError(f"model has {len(specs)} input(s) "
                          f"({', '.join(s.name for s in specs)}), got {len(inputs)}")
    per_input: list[np.ndarray] = []
    counts: set[int] = set()
    for i, (item, spec) in enumerate(zip(inputs, specs, strict=True)):
        where = f"input {i} ({spec.name})"
        array, origin = _load(item, where, max_bytes)
        array = _cast(array, spec.dtype, where, origin)
        if array.shape == spec.shape:
            array = array[np.newaxis]
        elif array.shape[1:] != spec.shape:
            raise InputsError(f"{where}: shape {array.shape} is neither {spec.shape} nor "
                              f"(N, {', '.join(map(str, spec.shape))})")
        per_input.append(array)
        counts.add(array.shape[0])
    if len(counts) != 1:
        raise InputsError(f"inputs disagree on the number of invocations: {sorted(counts)}")
    n = counts.pop()
    if n < 1:
        raise InputsError("inputs hold zero invocations")
    return [[a[k] for a in per_input] for k in range(n)]
