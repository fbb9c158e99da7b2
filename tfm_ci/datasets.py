"""Dataset accuracy across a fleet (MLPerf Tiny's accuracy mode on simulated boards).

A dataset is an ``.npz`` with ``x`` (samples: the model input's dtype, or float32 that is
quantized here with the input's scale and zero point) and ``y`` (integer labels). The fleet
splits the samples over its (board, kernel set) targets; each share runs as invocations of
one job, in several boots (jobs) when a share exceeds the board's inputs capacity. Each
record then carries ``accuracy``: the labels, the firmware's top-1 predictions and, per
sample, whether every output matched TensorFlow Lite. :func:`summarize` folds records into
``{model, board, kernel_set, samples, correct, top1, agreement}`` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from tfm_ci.inputs_blob import HEADER
from tfm_ci.modelgen.quant import round_half_away
from tfm_ci.oracle import TensorSpec


class DatasetError(ValueError):
    """A dataset file that cannot be used with its model."""


@dataclass(frozen=True)
class Dataset:
    """Samples already in the model input's dtype and per-sample shape, and their labels."""

    path: Path
    x: np.ndarray          # [N, *input shape], input dtype
    y: np.ndarray          # [N] int64
    clipped: int = 0       # float values saturated by quantization (reported, not hidden)

    def __len__(self) -> int:
        return len(self.y)


def quantize_samples(x: np.ndarray, spec: TensorSpec, where: str) -> tuple[np.ndarray, int]:
    """Float samples -> the input's integer dtype, TFLite's QUANTIZE arithmetic (round half
    away from zero, then saturate); returns the array and how many values saturated."""
    if spec.scale is None or spec.zero_point is None or not spec.scale > 0:
        raise DatasetError(f"{where}: float samples, but model input {spec.name!r} "
                           f"({spec.dtype}) has no quantization scale to convert them")
    if not np.all(np.isfinite(x)):
        raise DatasetError(f"{where}: x holds NaN or infinite values")
    info = np.iinfo(spec.dtype)
    q = round_half_away(x.astype(np.float64) / spec.scale) + spec.zero_point
    clipped = int(np.count_nonzero((q < info.min) | (q > info.max)))
    return np.clip(q, info.min, info.max).astype(spec.dtype), clipped


def load_dataset(path: str | Path, spec: TensorSpec) -> Dataset:
    """Read and check ``path`` against the model's (single) input ``spec``."""
    path = Path(path)
    where = str(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in ("x", "y") if k not in npz.files]
            if missing:
                raise DatasetError(f"{where}: no array {' or '.join(missing)!s} "
                                   f"(an .npz with x = samples and y = labels; has "
                                   f"{sorted(npz.files)})")
            x, y = npz["x"], npz["y"]
    except DatasetError:
        raise
    except (OSError, ValueError, EOFError) as exc:
        raise DatasetError(f"{where}: cannot read dataset: {exc}") from None
    if y.ndim != 1 or y.dtype.kind not in "iu":
        raise DatasetError(f"{where}: y must be a 1-D array of integer labels, "
                           f"got {y.dtype}{list(y.shape)}")
    if len(x) != len(y):
        raise DatasetError(f"{where}: x has {len(x)} samples, y has {len(y)} labels")
    if len(y) == 0:
        raise DatasetError(f"{where}: no samples")
    shape = tuple(spec.shape)
    if x.shape[1:] != shape:
        raise DatasetError(f"{where}: samples of shape {list(x.shape[1:])}, model input "
                           f"{spec.name!r} is {list(shape)}")
    clipped = 0
    if x.dtype == spec.dtype:
        pass
    elif x.dtype.kind == "f" and spec.dtype.kind in "iu":
        x, clipped = quantize_samples(x, spec, where)
    elif x.dtype.kind == "f" and spec.dtype.kind == "f":
        x = x.astype(spec.dtype)
    else:
        raise DatasetError(f"{where}: x is {x.dtype}; model input {spec.name!r} takes "
                           f"{spec.dtype} (or float32 to quantize)")
    return Dataset(path, np.ascontiguousarray(x), y.astype(np.int64), clipped)


def split_shares(samples: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` contiguous [start, stop) ranges covering ``samples``, sizes differing by
    at most one (empty ranges dropped)."""
    if parts < 1:
        raise ValueError(f"parts must be >= 1, got {parts}")
    bounds = [samples * k // parts for k in range(parts + 1)]
    return [(a, b) for a, b in pairwise(bounds) if b > a]


def per_boot(sample_bytes: int, capacity: int) -> int:
    """How many samples one boot's inputs blob holds."""
    n = (capacity - HEADER.size) // max(sample_bytes, 1)
    if n < 1:
        raise DatasetError(f"one sample needs {sample_bytes + HEADER.size:,} B with the "
                           f"header; the board holds {capacity:,} B of inputs")
    return n


def boots(start: int, stop: int, limit: int) -> list[tuple[int, int]]:
    """[start, stop) cut into ranges of at most ``limit`` samples."""
    return [(a, min(a + limit, stop)) for a in range(start, stop, limit)]


def score(record: dict[str, Any], labels: Sequence[int]) -> dict[str, Any]:
    """The record's ``accuracy`` block: top-1 of output 0 per invocation against ``labels``,
    and whether every output of that invocation matched TensorFlow Lite."""
    n = len(labels)
    predictions: list[int | None] = [None] * n
    agree = [True] * n
    seen = [False] * n
    for out in record.get("outputs", []):
        k = out.get("invocation")
        if not isinstance(k, int) or not 0 <= k < n:
            continue
        seen[k] = True
        agree[k] = agree[k] and bool(out.get("match"))
        if out.get("index") == 0 and out.get("data"):
            predictions[k] = int(np.argmax(np.asarray(out["data"])))
    agree = [a and s for a, s in zip(agree, seen, strict=True)]
    correct = sum(1 for p, y in zip(predictions, labels, strict=True) if p == int(y))
    return {"samples": n, "correct": correct, "agree": sum(agree),
            "labels": [int(v) for v in labels], "predictions": predictions}


def summarize(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per (model, board, kernel set): samples, correct, top1, agreement (fractions)."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rec in records:
        acc = rec.get("accuracy")
        if not acc:
            continue
        job = rec.get("job") or {}
        key = (job.get("model", rec.get("model", "")), rec.get("board", ""),
               rec.get("kernel_set", ""))
        g = groups.setdefault(key, {"samples": 0, "correct": 0, "agree": 0,
                                    "labels": [], "predictions": []})
        for k in ("samples", "correct", "agree"):
            g[k] += acc[k]
        g["labels"] += acc["labels"]
        g["predictions"] += acc["predictions"]
    rows = []
    for (model, board, kset), g in sorted(groups.items()):
        n = g["samples"]
        rows.append({"model": model, "board": board, "kernel_set": kset, "samples": n,
                     "correct": g["correct"], "top1": g["correct"] / n if n else None,
                     "agreement": g["agree"] / n if n else None,
                     "confusion": confusion(g["labels"], g["predictions"])})
    return rows


def confusion(labels: Sequence[int], predictions: Sequence[int | None]) -> list[list[int]]:
    """Rows = true label, columns = predicted (a missing prediction counts nowhere)."""
    size = max([*labels, *(p for p in predictions if p is not None), -1]) + 1
    matrix = [[0] * size for _ in range(size)]
    for y, p in zip(labels, predictions, strict=True):
        if p is not None:
            matrix[int(y)][p] += 1
    return matrix
