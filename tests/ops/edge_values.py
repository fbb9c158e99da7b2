"""Random tensors with edge values mixed in, for the elementwise op tests: zeros, both
signs of zero, type limits, NaN/Inf and halves for floats, repeated values so that
comparisons see equality."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FLOAT_EDGES = np.array([0.0, -0.0, 0.5, -0.5, 1.5, -2.5, 1.0, -1.0, np.inf, -np.inf, np.nan,
                        1e-40, -1e-40, 3.4e38, -3.4e38, 8388607.5, 16777216.0, 1e-7],
                       dtype=np.float32)


def int_edges(dtype: str) -> np.ndarray:
    info = np.iinfo(dtype)
    return np.array([0, 1, -1 if info.min < 0 else 2, info.min, info.max, info.min + 1,
                     info.max - 1], dtype=np.int64)


def draw(rng: np.random.Generator, shape: Sequence[int], dtype: str, *,
         low: float = -8.0, high: float = 8.0, edge_share: float = 0.2,
         small_share: float = 0.3) -> np.ndarray:
    """`shape` of `dtype`: mostly uniform values, a share of edge values and (integers) a
    share of small values in [-3, 3], so that equal pairs and sign changes are common."""
    size = int(np.prod(shape, dtype=np.int64))
    if dtype == "bool":
        return rng.integers(0, 2, size=shape).astype(bool)
    pick = rng.random(size)
    if dtype.startswith("float"):
        base = rng.uniform(low, high, size)
        # halves and integers are where rounding ops differ
        base = np.where(rng.random(size) < 0.2, np.round(base * 2) / 2, base)
        edges = rng.choice(FLOAT_EDGES, size)
        out = np.where(pick < edge_share, edges, base).astype(np.float32)
    else:
        info = np.iinfo(dtype)
        base = rng.integers(int(info.min), int(info.max), size=size, endpoint=True)
        small = rng.integers(max(-3, int(info.min)), 4, size=size)
        edges = rng.choice(int_edges(dtype), size)
        out = np.where(pick < edge_share, edges,
                       np.where(pick < edge_share + small_share, small, base)).astype(dtype)
    return out.reshape(shape)


def random_shape(rng: np.random.Generator, max_rank: int = 4, max_dim: int = 5) -> list[int]:
    return [int(rng.integers(1, max_dim + 1)) for _ in range(int(rng.integers(0, max_rank + 1)))]


def broadcast_partner(rng: np.random.Generator, shape: list[int]) -> list[int]:
    """A shape that broadcasts with `shape`: some dims 1, maybe fewer leading dims."""
    other = [1 if rng.random() < 0.4 else d for d in shape]
    drop = int(rng.integers(0, len(shape) + 1)) if rng.random() < 0.3 else 0
    return other[drop:]


def binary_shapes(rng: np.random.Generator, i: int, max_rank: int = 4
                  ) -> tuple[list[int], list[int]]:
    """Case i's two input shapes: every third case equal, else broadcasting either way."""
    shape = random_shape(rng, max_rank)
    if i % 3 == 0:
        return shape, list(shape)
    other = broadcast_partner(rng, shape)
    return (shape, other) if i % 2 else (other, shape)
