"""The oracle's outputs kept in the build cache: a warm job never runs TFLite again.

The reference interpreter is deterministic, so its outputs are a function of the
model bytes, the input arrays (dtype, shape, bytes), the number of invocations,
which oracle ran (ai-edge-litert's reference resolver or TFLM), that library's
version and the source of the modules that run it (oracle.py, tflm_oracle.py).
The sha256 of all of these names the entry::

    <cache>/oracle/<key[:2]>/<key>.bin    magic line, JSON header line, raw arrays

The header repeats the key and records the payload's sha256, dtype and shape of
every array. An entry whose magic, key, checksum or layout does not hold is not
used: the oracle runs and the entry is written again (atomically: temp file, then
``os.replace``). An entry that cannot be written (read-only cache) only costs the
next job the same run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np

from tfm_ci.writable import write_bytes_atomic

#: Part of every key: 2 since 0-d outputs keep their shape (entries of 1 may hold them 1-d).
FORMAT = "tfm-ci oracle cache 2"
MAGIC = b"TFMCI-ORACLE-1\n"
Outputs = list[list[np.ndarray]]


@functools.cache
def library_version(distribution: str) -> str:
    """The installed version of the oracle's package ("" when it is not installed)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@functools.cache
def oracle_code_digest() -> str:
    """sha256 of the modules that drive the oracle: a change to how we run TFLite (input
    handling, resolver choice) must not be answered from entries the old code wrote."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in ("oracle.py", "tflm_oracle.py"):
        with contextlib.suppress(OSError):
            h.update((here / name).read_bytes())
    return h.hexdigest()


def cache_key(oracle: str, library: str, model: bytes, invocations: int,
              inputs: Sequence[Sequence[np.ndarray]], model_sha256: str | None = None) -> str:
    """sha256 naming the outputs of `oracle` (with package `library`) for these inputs:
    `inputs[invocation][input index]`. `model_sha256`: the model's hex sha256, when the
    caller has it (a job hashes its model once)."""
    h = hashlib.sha256()
    for part in (FORMAT, oracle, library, library_version(library), oracle_code_digest(),
                 str(invocations),
                 model_sha256 or hashlib.sha256(model).hexdigest(), str(len(inputs))):
        h.update(part.encode() + b"\0")
    for inv in inputs:
        h.update(f"{len(inv)}\0".encode())
        for a in inv:
            a = np.ascontiguousarray(a)
            h.update(f"{a.dtype.str}{list(a.shape)}\0".encode())
            h.update(a.tobytes())
    return h.hexdigest()


def entry_path(cache_dir: Path, key: str) -> Path:
    return Path(_entry_name(cache_dir, key))


def _entry_name(cache_dir: Path, key: str) -> str:
    """entry_path as a string: a warm job only opens it (no pathlib parse)."""
    return os.path.join(cache_dir, "oracle", key[:2], f"{key}.bin")


def encode(key: str, outputs: Outputs) -> bytes:
    # asarray, not ascontiguousarray: that makes a 0-d output 1-d, and the entry would
    # give shape (1,) where the oracle gave () (a mismatch on every warm job).
    arrays = [np.asarray(a, order="C") for inv in outputs for a in inv]
    payload = b"".join(a.tobytes() for a in arrays)
    header = {"key": key, "sha256": hashlib.sha256(payload).hexdigest(),
              "counts": [len(inv) for inv in outputs],
              "arrays": [[a.dtype.str, list(a.shape)] for a in arrays]}
    return MAGIC + json.dumps(header).encode() + b"\n" + payload


def decode(key: str, data: bytes) -> Outputs | None:
    """The outputs in `data`, or None when it is not an intact entry for `key`."""
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        return None
    try:
        header = json.loads(data[len(MAGIC):end])
        if header["key"] != key:
            return None
        payload = data[end + 1:]
        if hashlib.sha256(payload).hexdigest() != header["sha256"]:
            return None
        flat, offset = [], 0
        for dtype_str, shape in header["arrays"]:
            dtype = np.dtype(dtype_str)
            if dtype.hasobject:
                return None
            if type(shape) is not list or not all(type(d) is int and d >= 0 for d in shape):
                return None
            n = math.prod(shape) * dtype.itemsize
            if offset + n > len(payload):
                return None
            flat.append(np.frombuffer(payload[offset:offset + n], dtype).reshape(shape))
            offset += n
        counts = [int(c) for c in header["counts"]]
        if offset != len(payload) or sum(counts) != len(flat):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    outputs, i = [], 0
    for c in counts:
        outputs.append(flat[i:i + c])
        i += c
    return outputs


def cached_outputs(cache_dir: Path | None, oracle: str, library: str, model: bytes,
                   inputs: Sequence[Sequence[np.ndarray]],
                   run: Callable[[], Outputs], model_sha256: str | None = None
                   ) -> tuple[Outputs, bool]:
    """(outputs, whether they came from the cache): `run()` when `cache_dir` is None or
    holds no intact entry for this (oracle, library version, model, inputs)."""
    if cache_dir is None:
        return run(), False
    key = cache_key(oracle, library, model, len(inputs), inputs, model_sha256)
    name = _entry_name(cache_dir, key)
    try:
        with open(name, "rb") as f:
            found = decode(key, f.read())
    except OSError:
        found = None
    if found is not None:
        return found, True
    outputs = run()
    with contextlib.suppress(OSError):
        write_bytes_atomic(Path(name), encode(key, outputs))
    return outputs, False
