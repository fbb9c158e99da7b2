"""Fixtures for runtime tests: sanitizer builds of the runner and test programs."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIRMWARE = REPO / "firmware"
BUILD = REPO / "build" / "runtime-tests"
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g", "-O1"]


def firmware_sources(*lists: str) -> list[str]:
    """Source paths (relative to firmware/) from `make -C firmware sources`."""
    out = subprocess.run(["make", "-s", "-C", str(FIRMWARE), "sources"], capture_output=True,
                         text=True, check=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return [s for name in lists for s in values[name].split()]


def compile_c(output: Path, sources: list[str], *flags: str, cc: str = "gcc") -> Path:
    """Compile firmware sources plus test files (absolute paths) into `output`.

    Under pytest-xdist the workers of one run share each program: the first builds it
    (into a temporary file, then renamed: a reader never sees a half-written binary), the
    others wait on its lock and reuse it. A new run always rebuilds."""
    output.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["nice", cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-Iinclude", "-Ikernels",
           "-Iapp", *flags, *sources, "-o", str(output), "-lm"]
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    stamp = output.with_name(output.name + ".built")
    mark = hashlib.sha256("\0".join([run, *cmd]).encode()).hexdigest()
    with open(output.with_name(output.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if run and output.is_file() and stamp.is_file() and stamp.read_text() == mark:
            return output
        stamp.unlink(missing_ok=True)
        partial = output.with_name(f".{output.name}.{os.getpid()}")
        cmd[cmd.index("-o") + 1] = str(partial)
        proc = subprocess.run(cmd, cwd=FIRMWARE, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            partial.unlink(missing_ok=True)
            pytest.fail(f"compile failed: {' '.join(cmd)}\n{proc.stderr[-4000:]}")
        os.replace(partial, output)
        stamp.write_text(mark)
    return output


@pytest.fixture(scope="session")
def asan_runner() -> Path:
    """The ASan/UBSan host runner (`make -C firmware host-asan`, serialised between test
    processes by the ops harness, which hands out a private copy)."""
    from tests.ops.harness import build_runner

    return build_runner("host-asan")


@pytest.fixture(scope="session")
def mutate_bin() -> dict[str, Path]:
    """The malformed-model sweep, without and with invoke, under ASan/UBSan."""
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/fuzz/fuzz_model.c"), str(REPO / "tests/runtime/mutate_main.c")]
    return {
        "load": compile_c(BUILD / "mutate", srcs, *SANITIZE, "-DTFM_FUZZ_NO_MAIN",
                          "-DTFM_FUZZ_NO_INVOKE"),
        "invoke": compile_c(BUILD / "mutate-invoke", srcs, *SANITIZE, "-DTFM_FUZZ_NO_MAIN"),
    }


@pytest.fixture(scope="session")
def clang() -> str | None:
    return shutil.which("clang")
