"""`[[datasets]]` in a fleet spec: labelled samples split over boards and kernel sets.

    [[datasets]]
    model = "models/digits.tflite"   # relative to the spec
    data = "data/digits_test.npz"    # x: samples, y: int labels (see tfm_ci.datasets)
    boards = ["mps2-an386"]          # optional; default: the spec's boards
    kernel_sets = ["reference"]      # optional; default: the spec's kernel sets

The samples are split into contiguous shares, one per (board, kernel set) target that
offers the kernel set; a share larger than the board's inputs capacity runs in several
boots, each its own job. Every job's record gets an ``accuracy`` block
(:func:`tfm_ci.datasets.score`), folded per (model, board, kernel set) by
:func:`tfm_ci.datasets.summarize`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tfm_ci import datasets
from tfm_ci.oracle import OracleError, input_specs
from tfm_ci.registry import Registry

KEYS = ("model", "data", "boards", "kernel_sets")


@dataclass(frozen=True)
class Share:
    """One boot's samples of a dataset: [start, stop) on (board, kernel set)."""

    board: str
    kernel_set: str
    start: int
    stop: int


@dataclass
class DatasetEntry:
    """A resolved ``[[datasets]]`` table: its model, samples and the jobs' shares."""

    model_name: str          # relative to the spec (the job identity)
    model_path: Path
    data_name: str           # relative to the spec, posix
    data: datasets.Dataset
    data_sha256: str
    shares: list[Share]

    def inputs(self, share: Share) -> list[Any]:
        return [self.data.x[share.start:share.stop]]

    def labels(self, share: Share) -> list[int]:
        return self.data.y[share.start:share.stop].tolist()


def plan_shares(samples: int, targets: list[tuple[str, str]], per_boot: dict[str, int]
                ) -> list[Share]:
    """Contiguous shares over `targets`, each cut into boots of at most
    ``per_boot[board]`` samples."""
    out: list[Share] = []
    for (board, kset), (start, stop) in zip(targets, datasets.split_shares(samples,
                                                                           len(targets)),
                                            strict=False):
        out += [Share(board, kset, a, b) for a, b in datasets.boots(start, stop,
                                                                   per_boot[board])]
    return out


def resolve(index: int, table: Any, *, base: Path, source: str, registry: Registry,
            boards: list[str], kernel_sets: list[str], resolve_models: Any,
            resolve_boards: Any, err: Any) -> DatasetEntry:
    """One ``[[datasets]]`` table checked and planned; `err(key, message)` makes the
    spec's error type (naming the spec file and ``datasets[i].key``)."""
    where = f"datasets[{index}]"
    if not isinstance(table, dict):
        raise err(where, f"expected a table (model, data, boards), got {table!r}")
    unknown = [k for k in table if k not in KEYS]
    if unknown:
        raise err(f"{where}.{unknown[0]}", f"unknown key (known: {', '.join(KEYS)})")
    for key in ("model", "data"):
        if not isinstance(table.get(key), str) or not table[key]:
            raise err(f"{where}.{key}", "missing (required: a path relative to the spec)")
    (model,) = resolve_models([table["model"]], base, source)
    data_path = (base / table["data"]).resolve()
    if not data_path.is_file():
        raise err(f"{where}.data", f"{table['data']!r} does not exist ({data_path})")
    for key in ("boards", "kernel_sets"):
        value = table.get(key)
        if value is not None and (not isinstance(value, list) or not value or
                                  not all(isinstance(v, str) and v for v in value)):
            raise err(f"{where}.{key}", f"expected a non-empty list of strings, got {value!r}")
    names = resolve_boards(table["boards"], registry, source) if "boards" in table else boards
    ksets = list(dict.fromkeys(table.get("kernel_sets") or kernel_sets))
    model_bytes = model.path.read_bytes()
    try:
        specs = input_specs(model_bytes)
    except (OracleError, Exception) as exc:   # an unreadable model: named, not a traceback
        raise err(f"{where}.model", f"cannot read the model's inputs: {exc}") from None
    if len(specs) != 1:
        raise err(f"{where}.model", f"dataset accuracy needs a model with one input, "
                  f"{model.name} has {len(specs)}")
    try:
        data = datasets.load_dataset(data_path, specs[0])
    except datasets.DatasetError as exc:
        raise err(f"{where}.data", str(exc)) from None
    targets = [(b, k) for b in names for k in ksets
               if k in {s.name for s in registry.kernel_sets(registry.board(b))}]
    if not targets:
        raise err(where, f"no board of {', '.join(names)} offers any of the kernel sets "
                  f"{', '.join(ksets)}")
    sample_bytes = int(data.x[0].nbytes)
    try:
        per_boot = {b: datasets.per_boot(sample_bytes, registry.board(b).inputs_capacity)
                    for b in {t[0] for t in targets}}
    except datasets.DatasetError as exc:
        raise err(f"{where}.data", str(exc)) from None
    rel = Path(table["data"]).as_posix()
    return DatasetEntry(model.name, model.path, rel, data,
                        hashlib.sha256(data_path.read_bytes()).hexdigest(),
                        plan_shares(len(data), targets, per_boot))
