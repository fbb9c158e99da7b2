"""The instruction-counting TCG plugin: build it once, pass it markers, parse its log.

``count_plugin.c`` and the timing models in ``timing/`` are compiled with the host C
compiler into ``<build root>/qemu-plugin/libtfmcount-<source hash>.so`` on first use
(the build root is ``<repo>/build`` in a checkout, the user cache folder when
installed); a changed source gets a new file name, so the cache never goes stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tfm_ci.api import MarkerHit, build_root

SOURCE = Path(__file__).resolve().parent / "count_plugin.c"
TIMING_DIR = SOURCE.parent / "timing"


#: TIMING_DIR's stat -> the plugin's source files: listing the folder costs three times
#: a stat of it, and adding, removing or renaming a file in it changes its mtime. Kept
#: only for a folder settled for _LISTING_RACY_NS (a change within its timestamp's
#: tick could leave the stat as it was).
_LISTING: dict[str, tuple[tuple[object, ...], list[str]]] = {}
_LISTING_RACY_NS = 2_000_000_000


def _dir_key(source: str, st: os.stat_result) -> tuple[object, ...]:
    return (source, st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def _source_names() -> list[str]:
    """The plugin's source files: plain strings, as every job lists them (pathlib's
    joins cost more than the listing and the stats together)."""
    source, timing = os.fspath(SOURCE), os.fspath(TIMING_DIR)
    try:
        st = os.stat(timing)
    except OSError:
        return [source]
    key = _dir_key(source, st)
    known = _LISTING.get(timing)
    if known is not None and known[0] == key:
        return list(known[1])
    now = time.time_ns()
    try:
        names = sorted(os.listdir(timing))     # cheaper than two globs
    except OSError:
        names = []
    files = [source, *(os.path.join(timing, n) for n in names if n.endswith(".c")),
             *(os.path.join(timing, n) for n in names if n.endswith(".h"))]
    settled = now - max(st.st_mtime_ns, st.st_ctime_ns) >= _LISTING_RACY_NS
    with contextlib.suppress(OSError):
        if settled and _dir_key(source, os.stat(timing)) == key:   # not changed meanwhile
            _LISTING.clear()
            _LISTING[timing] = (key, files)
    return list(files)


class CountPluginError(RuntimeError):
    """The counting plugin could not be built or its log not read."""


def build_dir() -> Path:
    """``$TFM_CI_BUILD_DIR``, else tfm-ci's build root (never inside site-packages)."""
    return build_root()


#: The last (sources and their stats) -> digest: every job asks, the sources rarely change.
_DIGEST: dict[tuple[object, ...], str] = {}
#: A file changed less than this long ago may change again within its timestamp's
#: resolution without its stat showing it: its digest is computed afresh each time.
_RACY_NS = 2_000_000_000


def _stat_key(files: list[str], stats: list[os.stat_result]) -> tuple[object, ...]:
    return tuple((p, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
                 for p, st in zip(files, stats, strict=True))


def _source_digest() -> str:
    """sha256 over the plugin's sources (names and bytes), reused while none of their
    stats (device, inode, size, mtime, ctime) changed."""
    files = _source_names()
    now = time.time_ns()
    stats = [os.stat(p) for p in files]
    key = _stat_key(files, stats)
    known = _DIGEST.get(key)
    if known is not None:
        return known
    sha = hashlib.sha256()
    for path in map(Path, files):
        sha.update(path.name.encode() + b"\0" + path.read_bytes())
    digest = sha.hexdigest()[:16]
    settled = all(now - max(st.st_mtime_ns, st.st_ctime_ns) >= _RACY_NS for st in stats)
    if settled and _stat_key(files, [os.stat(p) for p in files]) == key:   # not written meanwhile
        _DIGEST.clear()
        _DIGEST[key] = digest
    return digest


def plugin_library(cc: str | None = None) -> Path:
    """Path of the built plugin, compiling it when missing."""
    name = os.path.join(build_dir(), "qemu-plugin", f"libtfmcount-{_source_digest()}.so")
    target = Path(name)
    if os.path.isfile(name):
        return target
    compiler = cc or os.environ.get("CC") or "gcc"
    if shutil.which(compiler) is None:
        raise CountPluginError(f"cannot build the QEMU count plugin: {compiler} not on PATH")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build to a temporary name, then rename: concurrent jobs never see half a file.
    fd, tmp = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(fd)
    cmd = [compiler, "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror",
           "-fvisibility=hidden", "-o", tmp,
           *[n for n in _source_names() if n.endswith(".c")]]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        os.unlink(tmp)
        raise CountPluginError(f"building the QEMU count plugin failed:\n{proc.stderr}")
    os.replace(tmp, target)
    return target


def plugin_argument(library: Path, log: Path, markers: dict[str, int],
                    cycle_model: str | None = None) -> str:
    """The value of QEMU's ``-plugin`` option (comma-separated, so no commas in paths).
    `cycle_model` (see tfm_ci.cycles) turns on the plugin's cycle estimate."""
    if "," in str(library) or "," in str(log):
        raise ValueError(f"QEMU plugin arguments cannot hold a comma: {library}, {log}")
    parts = [str(library), f"out={log}"]
    parts += [f"marker={name}:{address:x}" for name, address in markers.items()]
    if cycle_model:
        parts.append(f"cycles={cycle_model}")
    return ",".join(parts)


@dataclass
class CountLog:
    """Everything the plugin wrote: marker hits, totals and, with a cycle
    model, the executed instructions and estimated cycles per timing class."""

    hits: list[MarkerHit] = field(default_factory=list)
    total: int | None = None                 # None: QEMU killed before exit
    total_cycles: int | None = None
    classes: dict[str, tuple[int, int]] = field(default_factory=dict)  # (insns, cycles)


def parse_log(text: str) -> tuple[list[MarkerHit], int | None]:
    """Marker hits in execution order and the total instruction count (None if
    QEMU was killed before writing it). A last line without its line break was
    cut short by a kill and is dropped."""
    log = read_log(text)
    return log.hits, log.total


def read_log(text: str) -> CountLog:
    """Parse the whole plugin log; lines are `<marker> <insns> [<cycles>]`,
    `class <name> <insns> <cycles>` and `total <insns> [<cycles>]`. A last line
    without its line break was cut short by a kill and is dropped."""
    log = CountLog()
    hits, classes = log.hits, log.classes
    lines = text.split("\n")
    if lines and lines[-1] != "":
        lines = lines[:-1]          # truncated by a kill (timeout): not a whole record
    # Per line, the common shapes are tested first (a job's log has a line per op).
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        fields = line.split()
        n = len(fields)
        if fields and fields[0] == "class":
            if n != 4 or not (fields[2].isdigit() and fields[3].isdigit()):
                raise CountPluginError(f"count log line {number} unreadable: {line!r}")
            classes[fields[1]] = (int(fields[2]), int(fields[3]))
        elif n == 3 and fields[1].isdigit() and fields[2].isdigit():
            if fields[0] == "total":
                log.total, log.total_cycles = int(fields[1]), int(fields[2])
            else:
                hits.append(MarkerHit(fields[0], int(fields[1]), int(fields[2])))
        elif n == 2 and fields[1].isdigit():
            if fields[0] == "total":
                log.total, log.total_cycles = int(fields[1]), None
            else:
                hits.append(MarkerHit(fields[0], int(fields[1]), None))
        else:
            raise CountPluginError(f"count log line {number} unreadable: {line!r}")
    return log
