"""The fleet spec (TOML): which boards, models and kernel sets, with which settings.

    boards = ["mps2-an386", "riscv32-*"]     # names or glob patterns
    models = ["models/*.tflite"]             # paths or globs, relative to the spec file
    kernel_sets = ["reference", "arm-dsp"]   # default ["reference"]
    invocations = 4
    seed = 1
    timeout = 300
    [limits]
    arena = "96KiB"
    [[datasets]]                             # optional: accuracy on labelled samples
    model = "models/digits.tflite"           # (tfm_ci.fleet.datasets)
    data = "data/digits_test.npz"

Every problem (unknown key, unknown board, glob matching nothing, bad limit)
is a :class:`FleetSpecError` naming the spec file and the key, raised before
any job runs.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfm_ci import budgets
from tfm_ci.fleet import datasets as fleet_datasets
from tfm_ci.fleet.identity import DatasetSlice, FleetJob
from tfm_ci.registry import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEYS = ("boards", "models", "kernel_sets", "invocations", "seed", "timeout", "limits",
        "datasets")
DEFAULTS: dict[str, Any] = {"kernel_sets": ["reference"], "invocations": 1, "seed": 0,
                            "timeout": 120.0, "limits": {}}
_GLOB_CHARS = set("*?[")


class FleetSpecError(ValueError):
    """A fleet spec that cannot be run; the message names the file and the key."""


@dataclass(frozen=True)
class ModelRef:
    name: str        # relative to the spec file, posix (the job identity)
    path: Path       # absolute


@dataclass
class FleetSpec:
    """A validated spec: boards and models resolved, settings checked."""

    source: str                      # the spec file (or "built-in demo")
    boards: list[str]
    models: list[ModelRef]
    kernel_sets: list[str] = field(default_factory=lambda: ["reference"])
    invocations: int = 1
    seed: int = 0
    timeout: float = 120.0
    limits: list[str] = field(default_factory=list)    # "arena=96KiB", as for `run --limit`
    patterns: dict[str, list[str]] = field(default_factory=dict)   # as written, for the manifest
    datasets: list[fleet_datasets.DatasetEntry] = field(default_factory=list)

    def settings(self) -> dict[str, Any]:
        """What applies to every job (part of each fingerprint)."""
        return {"invocations": self.invocations, "seed": self.seed, "timeout": self.timeout,
                "limits": list(self.limits)}

    def manifest_settings(self) -> dict[str, Any]:
        settings = {**self.patterns, "kernel_sets": list(self.kernel_sets), **self.settings()}
        if self.datasets:
            settings["datasets"] = [{"model": d.model_name, "data": d.data_name,
                                     "samples": len(d.data)} for d in self.datasets]
        return settings

    def dataset_of(self, job: FleetJob) -> tuple[fleet_datasets.DatasetEntry,
                                                 fleet_datasets.Share]:
        """The entry and share a dataset job runs (KeyError when it is not one)."""
        for entry in self.datasets:
            if job.dataset is None or entry.data_name != job.dataset.data or \
                    entry.model_name != job.model:
                continue
            for share in entry.shares:
                if (share.board, share.kernel_set, share.start, share.stop) == \
                        (job.board, job.kernel_set, job.dataset.start, job.dataset.stop):
                    return entry, share
        raise KeyError(job.id)

    def jobs(self) -> list[FleetJob]:
        """Every (board, model, kernel set), boards x models x kernel sets."""
        frozen = tuple((k, tuple(v) if isinstance(v, list) else v)
                       for k, v in sorted(self.settings().items()))
        out = []
        for model in self.models:
            sha = hashlib.sha256(model.path.read_bytes()).hexdigest()
            for board in self.boards:
                for kset in self.kernel_sets:
                    out.append(FleetJob(board=board, model=model.name, kernel_set=kset,
                                        model_path=model.path, model_sha256=sha,
                                        settings=frozen))
        for entry in self.datasets:
            sha = hashlib.sha256(entry.model_path.read_bytes()).hexdigest()
            for share in entry.shares:
                out.append(FleetJob(
                    board=share.board, model=entry.model_name, kernel_set=share.kernel_set,
                    model_path=entry.model_path, model_sha256=sha, settings=frozen,
                    dataset=DatasetSlice(entry.data_name, entry.data_sha256, share.start,
                                         share.stop)))
        return out


def _err(source: str, key: str, message: str) -> FleetSpecError:
    return FleetSpecError(f"{source}: {key}: {message}")


def _str_list(data: dict[str, Any], key: str, source: str) -> list[str]:
    value = data[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v
                                                           for v in value):
        raise _err(source, key, f"expected a non-empty list of strings, got {value!r}")
    return value


def _number(data: dict[str, Any], key: str, source: str, kind: type, minimum: float) -> Any:
    value = data[key]
    ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
    if isinstance(value, bool) or not ok or value < minimum:
        what = "an integer" if kind is int else "a number"
        raise _err(source, key, f"expected {what} >= {minimum:g}, got {value!r}")
    return float(value) if kind is float else value


def resolve_boards(patterns: list[str], registry: Registry, source: str) -> list[str]:
    known = sorted(registry.boards)
    found: list[str] = []
    for pattern in patterns:
        if _GLOB_CHARS & set(pattern):
            matches = fnmatch.filter(known, pattern)
            if not matches:
                raise _err(source, "boards", f"pattern {pattern!r} matches no board "
                           f"(known: {', '.join(known)})")
        elif pattern in registry.boards:
            matches = [pattern]
        else:
            raise _err(source, "boards", f"unknown board {pattern!r} "
                       f"(known: {', '.join(known)})")
        found += [m for m in matches if m not in found]
    return found


def resolve_models(patterns: list[str], base: Path, source: str) -> list[ModelRef]:
    found: dict[Path, ModelRef] = {}
    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) else str(base / pattern)
        if _GLOB_CHARS & set(pattern):
            paths = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
            if not paths:
                raise _err(source, "models", f"pattern {pattern!r} matches no file "
                           f"(relative to {base})")
        else:
            paths = [Path(full)]
            if not paths[0].is_file():
                raise _err(source, "models", f"model {pattern!r} does not exist "
                           f"({paths[0]})")
        for path in paths:
            path = path.resolve()
            name = Path(os.path.relpath(path, base.resolve())).as_posix()
            found.setdefault(path, ModelRef(name, path))
    return list(found.values())


def _limits(value: Any, source: str) -> list[str]:
    if not isinstance(value, dict):
        raise _err(source, "limits", f"expected a table of KIND = SIZE, got {value!r}")
    out = []
    for kind, size in value.items():
        if isinstance(size, bool) or not isinstance(size, (str, int)):
            raise _err(source, f"limits.{kind}", f"expected a size or count, got {size!r}")
        text = f"{kind}={size}"
        try:
            budgets.parse_limit(text)
        except ValueError as exc:
            raise _err(source, f"limits.{kind}", str(exc)) from None
        out.append(text)
    return out


def from_dict(data: dict[str, Any], registry: Registry, *, base: Path,
              source: str) -> FleetSpec:
    """Validate a spec's data (as read from TOML); models are relative to `base`."""
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise _err(source, unknown[0], f"unknown key (known: {', '.join(KEYS)})")
    for key in ("boards", "models"):
        if key not in data:
            raise _err(source, key, "missing (required)")
    data = {**DEFAULTS, **data}
    boards = _str_list(data, "boards", source)
    models = _str_list(data, "models", source)
    kernel_sets = _str_list(data, "kernel_sets", source)
    spec = FleetSpec(
        source=source,
        boards=resolve_boards(boards, registry, source),
        models=resolve_models(models, base, source),
        kernel_sets=list(dict.fromkeys(kernel_sets)),
        invocations=_number(data, "invocations", source, int, 1),
        seed=_number(data, "seed", source, int, 0),
        timeout=_number(data, "timeout", source, float, 0.001),
        limits=_limits(data["limits"], source),
        patterns={"boards": boards, "models": models})
    _check_kernel_sets(spec, registry)
    tables = data.get("datasets", [])
    if not isinstance(tables, list):
        raise _err(source, "datasets", f"expected an array of tables ([[datasets]]), "
                   f"got {tables!r}")
    spec.datasets = [fleet_datasets.resolve(
        i, table, base=base, source=source, registry=registry, boards=spec.boards,
        kernel_sets=spec.kernel_sets, resolve_models=resolve_models,
        resolve_boards=resolve_boards, err=lambda key, msg: _err(source, key, msg))
        for i, table in enumerate(tables)]
    return spec


def _check_kernel_sets(spec: FleetSpec, registry: Registry) -> None:
    """A set no chosen board offers is a typo, not a SKIP."""
    offered = {k.name for b in spec.boards for k in registry.kernel_sets(registry.board(b))}
    for kset in spec.kernel_sets:
        if kset not in offered:
            raise _err(spec.source, "kernel_sets", f"no chosen board offers kernel set "
                       f"{kset!r} (offered: {', '.join(sorted(offered))})")


def load(path: str | Path, registry: Registry) -> FleetSpec:
    """Read and validate a spec file."""
    path = Path(path)
    source = str(path)
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise FleetSpecError(f"{source}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FleetSpecError(f"{source}: not valid TOML: {exc}") from None
    return from_dict(data, registry, base=path.resolve().parent, source=source)
