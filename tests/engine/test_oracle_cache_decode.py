"""oracle_cache.decode: what encode wrote comes back exactly; a header whose shapes are
not lists of sizes is no entry (None: the oracle runs again), never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tfm_ci import oracle_cache

KEY = "ab" * 32


def _outputs() -> list[list[np.ndarray]]:
    return [[np.arange(6, dtype=np.int8).reshape(2, 3), np.array(1.5, np.float32)],
            [np.zeros((0, 4), np.int16)], []]


def test_round_trip() -> None:
    got = oracle_cache.decode(KEY, oracle_cache.encode(KEY, _outputs()))
    assert got is not None and [len(inv) for inv in got] == [2, 1, 0]
    for a, b in zip((a for inv in got for a in inv), (a for inv in _outputs() for a in inv),
                    strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    assert oracle_cache.decode("cd" * 32, oracle_cache.encode(KEY, _outputs())) is None


@pytest.mark.parametrize("shape", [[2.5], [-1], "x", [[1]], [True], None, [6, -1]])
def test_bad_shapes_are_no_entry(shape: object) -> None:
    data = oracle_cache.encode(KEY, [[np.arange(6, dtype=np.int8)]])
    magic_end = len(oracle_cache.MAGIC)
    end = data.index(b"\n", magic_end)
    header = json.loads(data[magic_end:end])
    header["arrays"][0][1] = shape
    bad = oracle_cache.MAGIC + json.dumps(header).encode() + data[end:]
    assert oracle_cache.decode(KEY, bad) is None


def test_entry_path() -> None:
    assert oracle_cache.entry_path(Path("/c"), KEY) == Path("/c/oracle/ab") / f"{KEY}.bin"
