"""Fixtures for runtime tests: sanitizer builds of the runner and test programs."""

from __future__ import annotations

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
    """Compile firmware sources plus test files (absolute paths) into `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["nice", cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-Iinclude", "-Ikernels",
           "-Iapp", *flags, *sources, "-o", str(output), "-lm"]
    proc = subprocess.run(cmd, cwd=FIRMWARE, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"compile failed: {' '.join(cmd)}\n{proc.stderr[-4000:]}")
    return output


@pytest.fixture(scope="session")
def asan_runner() -> Path:
    """build/firmware/host-asan/tfm-runner (make -C firmware host-asan)."""
    proc = subprocess.run(["nice", "make", "-s", "-j2", "-C", str(FIRMWARE), "host-asan"],
                          capture_output=True, text=True, check=False)
    runner = REPO / "build" / "firmware" / "host-asan" / "tfm-runner"
    if proc.returncode != 0 or not runner.is_file():
        pytest.fail(f"make host-asan failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return runner


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
