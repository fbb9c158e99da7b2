"""The fleet results folder: ``records/<job_id>.json`` (one per finished job) and
``fleet.json`` (the manifest).

Every file is written whole or not at all (temp file in the same folder, then
``os.replace``), so a killed run leaves finished records and no half-written
one. Reading is forgiving: a file that does not parse is treated as absent
(the job runs again) rather than failing the fleet.

Durability: records are not fsync'ed. A killed process (Ctrl-C, SIGKILL, a CI
timeout) cannot lose or tear them: ``os.replace`` happens after the whole text
is in the kernel's page cache. Only a power loss or kernel crash can, and then
the worst is a record that is missing, empty or cut short, which does not
parse and so is absent: its job runs again on resume, a wrong result cannot
come of it. An fsync per record would cost every job a disk flush on the
thread that writes records; the manifest, written twice per run, is fsync'ed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tfm_ci.writable import write_bytes_atomic

RECORDS = "records"
MANIFEST = "fleet.json"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def write_json_atomic(path: Path, data: Any, *, durable: bool = True) -> None:
    """`data` as `path`, whole or not at all; `durable`: fsync before the rename
    (survives a power loss, not only a killed process)."""
    text = json.dumps(data, indent=1) + "\n"      # one string: json.dump writes in pieces
    write_bytes_atomic(path, text.encode(), durable=durable)


class ResultsDir:
    """One results folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.records_dir = self.root / RECORDS
        self.manifest_path = self.root / MANIFEST

    def prepare(self) -> None:
        """Create the folders; drop temp files a killed writer left behind."""
        self.records_dir.mkdir(parents=True, exist_ok=True)
        for stale in self.records_dir.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def record_path(self, job_id: str) -> Path:
        return self.records_dir / f"{job_id}.json"

    def write_record(self, record: dict[str, Any]) -> Path:
        path = self.record_path(record["job"]["id"])
        write_json_atomic(path, record, durable=False)      # why not durable: see above
        return path

    def read_record(self, job_id: str) -> dict[str, Any] | None:
        """The record of `job_id`, or None when absent or unreadable."""
        return _read(self.record_path(job_id))

    def records(self) -> Iterator[dict[str, Any]]:
        """Every readable record (unreadable files are skipped)."""
        for path in sorted(self.records_dir.glob("*.json")):
            record = _read(path)
            if record is not None:
                yield record

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        write_json_atomic(self.manifest_path, manifest)

    def manifest(self) -> dict[str, Any] | None:
        return _read(self.manifest_path)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if path.parent.name == RECORDS and not isinstance(data.get("job"), dict):
        return None
    return data
