"""The instruction-counting TCG plugin: build it once, pass it markers, parse its log.

``count_plugin.c`` is compiled with the host C compiler into
``<build root>/qemu-plugin/libtfmcount-<source hash>.so`` on first use (the build
root is ``<repo>/build`` in a checkout, the user cache folder when installed); a changed
source gets a new file name, so the cache never goes stale.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tfm_ci.api import MarkerHit, build_root

SOURCE = Path(__file__).resolve().parent / "count_plugin.c"


class CountPluginError(RuntimeError):
    """The counting plugin could not be built or its log not read."""


def build_dir() -> Path:
    """``$TFM_CI_BUILD_DIR``, else tfm-ci's build root (never inside site-packages)."""
    return build_root()


def plugin_library(cc: str | None = None) -> Path:
    """Path of the built plugin, compiling it when missing."""
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = build_dir() / "qemu-plugin" / f"libtfmcount-{digest}.so"
    if target.is_file():
        return target
    compiler = cc or os.environ.get("CC") or "gcc"
    if shutil.which(compiler) is None:
        raise CountPluginError(f"cannot build the QEMU count plugin: {compiler} not on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build to a temporary name, then rename: concurrent jobs never see half a file.
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    cmd = [compiler, "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
           "-fvisibility=hidden", "-o", tmp, str(SOURCE)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise CountPluginError(f"building the QEMU count plugin failed:\n{proc.stderr}")
    os.replace(tmp, target)
    return target


def plugin_argument(library: Path, log: Path, markers: dict[str, int]) -> str:
    """The value of QEMU's ``-plugin`` option (comma-separated, so no commas in paths)."""
    if "," in str(library) or "," in str(log):
        raise ValueError(f"QEMU plugin arguments cannot hold a comma: {library}, {log}")
    parts = [str(library), f"out={log}"]
    parts += [f"marker={name}:{address:x}" for name, address in markers.items()]
    return ",".join(parts)


def parse_log(text: str) -> tuple[list[MarkerHit], int | None]:
    """Marker hits in execution order and the total instruction count (None if
    QEMU was killed before writing it). A last line without its line break was
    cut short by a kill and is dropped."""
    hits: list[MarkerHit] = []
    total: int | None = None
    lines = text.split("\n")
    if lines and lines[-1] != "":
        lines = lines[:-1]          # truncated by a kill (timeout): not a whole record
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        fields = line.split()
        if len(fields) != 2 or not fields[1].isdigit():
            raise CountPluginError(f"count log line {number} unreadable: {line!r}")
        if fields[0] == "total":
            total = int(fields[1])
        else:
            hits.append(MarkerHit(fields[0], int(fields[1])))
    return hits, total
