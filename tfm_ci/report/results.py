"""Read a fleet results folder (``DIR/fleet.json`` + ``DIR/records/*.json``) as plain data.

This is the only module of the report package that touches the file system for
input. Every problem is a :class:`ReportError` naming the file (and the key), so
the CLI prints one line instead of a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tfm_ci.job import Status

STATUSES = tuple(s.value for s in Status)
_JOB_KEYS = ("id", "board", "model", "kernel_set")


class ReportError(Exception):
    """A results folder or record that cannot be read; the message names the file."""


#: (board, model, kernel set, dataset share or None): how jobs are matched across folders.
JobKey = tuple[str, str, str, tuple[str, int, int] | None]


@dataclass
class Results:
    """One results folder: its manifest and its records (each with the file it came from)."""

    folder: Path
    manifest: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def job_key(record: dict[str, Any]) -> JobKey:
    """The identity of the job a record belongs to (the contract's matching key)."""
    job = record["job"]
    ds = job.get("dataset")
    share = (str(ds["data"]), int(ds["start"]), int(ds["stop"])) if ds else None
    return (job["board"], job["model"], job["kernel_set"], share)


def key_label(key: JobKey) -> str:
    """``board model[kernel set]`` (+ ``{data:start-stop}`` for a dataset share)."""
    board, model, kset, share = key
    text = f"{board} {model}[{kset}]"
    return text + (f"{{{share[0]}:{share[1]}-{share[2]}}}" if share else "")


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file ({what})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: cannot read {what}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}: not valid JSON ({what}): {exc.msg} at line {exc.lineno} "
                          f"column {exc.colno}") from None


def check_record(record: Any, path: Path) -> dict[str, Any]:
    """The record if it has what reports need (``job`` identity, ``status``), else an error."""
    if not isinstance(record, dict):
        raise ReportError(f"{path}: a job record must be a JSON object, "
                          f"not {type(record).__name__}")
    job = record.get("job")
    if not isinstance(job, dict):
        raise ReportError(f"{path}: no \"job\" object (id, board, model, kernel_set): "
                          "not a fleet record")
    for key in _JOB_KEYS:
        if not isinstance(job.get(key), str) or not job[key]:
            raise ReportError(f"{path}: \"job\".\"{key}\" missing or not a string")
    ds = job.get("dataset")
    if ds is not None and not (isinstance(ds, dict) and isinstance(ds.get("data"), str)
                               and all(type(ds.get(k)) is int for k in ("start", "stop"))):
        raise ReportError(f"{path}: \"job\".\"dataset\" must be null or "
                          "{data: str, start: int, stop: int}")
    if record.get("status") not in STATUSES:
        raise ReportError(f"{path}: \"status\" is {record.get('status')!r}, expected one of "
                          f"{', '.join(STATUSES)}")
    for key, kind in (("sizes", dict), ("instructions", dict), ("budgets", list)):
        if not isinstance(record.get(key, kind()), kind):
            json_kind = "object" if kind is dict else "array"
            raise ReportError(f"{path}: \"{key}\" must be a JSON {json_kind}")
    return record


def load_results(folder: str | Path) -> Results:
    """Read every record of a results folder, sorted by job identity.

    :raises ReportError: missing folder/manifest, unreadable or malformed record,
        or two records of the same job (both files named).
    """
    root = Path(folder)
    if not root.is_dir():
        raise ReportError(f"{root}: not a results folder (no such directory)")
    manifest = _read_json(root / "fleet.json", "fleet manifest")
    if not isinstance(manifest, dict):
        raise ReportError(f"{root / 'fleet.json'}: the manifest must be a JSON object")
    records_dir = root / "records"
    if not records_dir.is_dir():
        raise ReportError(f"{records_dir}: no records folder")
    seen: dict[JobKey, Path] = {}
    loaded: list[tuple[dict[str, Any], Path]] = []
    for path in sorted(records_dir.glob("*.json")):
        record = check_record(_read_json(path, "job record"), path)
        key = job_key(record)
        if key in seen:
            raise ReportError(f"{path}: same job as {seen[key]} ({key_label(key)})")
        seen[key] = path
        loaded.append((record, path))
    loaded.sort(key=lambda rp: _sort_key(job_key(rp[0])))
    return Results(root, manifest, [r for r, _ in loaded], [p for _, p in loaded])


def _sort_key(key: JobKey) -> tuple:
    board, model, kset, share = key
    return (model, board, kset, share or ("", 0, 0))
