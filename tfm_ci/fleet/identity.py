"""Who a fleet job is: identity, job id, fingerprint, shard.

Identity is (board, model, kernel set), the model named by its path relative to
the spec file (posix), so the same spec gives the same ids on every machine.
The fingerprint covers everything that decides a job's outcome: a record whose
fingerprint still matches need not be run again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfm_ci import __version__

TOOL_VERSION = f"tfm-ci {__version__}"

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class ShardError(ValueError):
    """A --shard argument that is not K/N with 1 <= K <= N."""


@dataclass(frozen=True)
class Shard:
    index: int      # 1-based
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @classmethod
    def parse(cls, text: str) -> Shard:
        k, sep, n = text.partition("/")
        try:
            shard = cls(int(k), int(n))
        except ValueError:
            raise ShardError(f"bad shard {text!r}: use K/N, e.g. 2/4") from None
        if not sep or shard.count < 1 or not 1 <= shard.index <= shard.count:
            raise ShardError(f"bad shard {text!r}: need 1 <= K <= N")
        return shard


@dataclass(frozen=True)
class FleetJob:
    """One (board, model, kernel set) of a fleet, with what decides its outcome."""

    board: str
    model: str            # identity: path relative to the spec file, posix
    kernel_set: str
    model_path: Path      # where the model is on this machine
    model_sha256: str
    settings: tuple[tuple[str, Any], ...]   # spec settings that apply to the job, sorted
    dataset: DatasetSlice | None = None     # a share of a [[datasets]] entry's samples

    @property
    def id(self) -> str:
        return job_id(self.board, self.model, self.kernel_set,
                      self.dataset.label if self.dataset else None)

    @property
    def fingerprint(self) -> str:
        settings = dict(self.settings)
        if self.dataset is not None:
            settings["dataset"] = self.dataset.to_dict(with_sha=True)
        return fingerprint(self.model_sha256, self.board, self.kernel_set, settings)

    def identity(self) -> dict[str, Any]:
        ident: dict[str, Any] = {"id": self.id, "board": self.board, "model": self.model,
                                 "kernel_set": self.kernel_set}
        if self.dataset is not None:
            ident["dataset"] = self.dataset.to_dict()
        return ident

    def job_key(self, shard: Shard | None) -> dict[str, Any]:
        """The record's top-level "job" entry."""
        return {**self.identity(), "fingerprint": self.fingerprint,
                "shard": str(shard) if shard else None,
                "dataset": self.dataset.to_dict() if self.dataset else None}


@dataclass(frozen=True)
class DatasetSlice:
    """Samples [start, stop) of a dataset file (named relative to the spec)."""

    data: str
    data_sha256: str
    start: int
    stop: int

    @property
    def label(self) -> str:
        return f"{self.data}[{self.start}:{self.stop}]"

    def to_dict(self, with_sha: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"data": self.data, "start": self.start, "stop": self.stop}
        if with_sha:
            d["sha256"] = self.data_sha256
        return d


def job_id(board: str, model: str, kernel_set: str, share: str | None = None) -> str:
    """`board__model-path__kset-<hash>` (plus the dataset share when there is one):
    filesystem-safe, unique by the hash of the identity."""
    ident = f"{board}\0{model}\0{kernel_set}" + (f"\0{share}" if share else "")
    digest = hashlib.sha256(ident.encode()).hexdigest()[:10]
    parts = [board, model.removesuffix(".tflite"), kernel_set]
    if share:
        parts.append(share.rsplit("/", 1)[-1].removesuffix(".npz"))
    readable = "__".join(_UNSAFE.sub("-", part).strip("-") for part in parts)
    return f"{readable[:120]}-{digest}"


def fingerprint(model_sha256: str, board: str, kernel_set: str,
                settings: dict[str, Any], tool_version: str = TOOL_VERSION) -> str:
    payload = json.dumps({"model_sha256": model_sha256, "board": board,
                          "kernel_set": kernel_set, "settings": settings,
                          "tool_version": tool_version}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def select_shard(jobs: list[FleetJob], shard: Shard | None) -> list[FleetJob]:
    """Shard K of N: every N-th job of the list sorted by id, from the K-th.

    Sorting by id makes it the same on every machine whatever order the spec's
    globs expand in; interleaving keeps shards within one job of each other in
    size and mixes boards (slow and fast) across shards.
    """
    ordered = sorted(jobs, key=lambda j: j.id)
    if shard is None:
        return ordered
    return ordered[shard.index - 1::shard.count]
