"""Bounded libFuzzer runs (needs clang): load + allocate, and load + allocate + invoke.

Both start from the seed corpus in tests/fuzz/corpus (make_corpus.py) and run for
FUZZ_SECONDS each. The invoke target is built with a small WHILE bound, so a seed
or mutant whose loop never ends fails with an error instead of timing out.
Each run's speed and coverage (libFuzzer's final stats) are printed and written
to build/fuzz/<target>-stats.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.runtime.conftest import BUILD, REPO, compile_c, firmware_sources

FUZZ_SECONDS = 20
WHILE_BOUND = 64          # iterations: keeps invoke from hanging on mutated loops
TARGETS = {
    "load": ["-DTFM_FUZZ_NO_INVOKE"],
    "invoke": [f"-DTFM_WHILE_MAX_ITERATIONS={WHILE_BOUND}"],
}

needs_clang = pytest.mark.skipif(shutil.which("clang") is None,
                                 reason="clang (libFuzzer) not installed")


def build_target(name: str) -> Path:
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/fuzz/fuzz_model.c")]
    return compile_c(BUILD / f"fuzz_model_{name}", srcs, "-g", "-O1",
                     "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all",
                     *TARGETS[name], cc="clang")


def final_stats(stderr: str) -> dict[str, float]:
    """libFuzzer's last status line (cov, ft, corp) and -print_final_stats figures."""
    stats: dict[str, float] = {}
    status = [line for line in stderr.splitlines() if re.match(r"#\d+\s", line)]
    if status:
        for key in ("cov", "ft", "exec/s"):
            m = re.search(rf"\b{re.escape(key)}: (\d+)", status[-1])
            if m:
                stats[key] = int(m.group(1))
        m = re.search(r"corp: (\d+)/", status[-1])
        if m:
            stats["corpus"] = int(m.group(1))
    for key, value in re.findall(r"^stat::(\w+):\s+(\d+)", stderr, re.MULTILINE):
        stats[key] = int(value)
    return stats


@needs_clang
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzz_model(target: str, tmp_path: Path) -> None:
    exe = build_target(target)
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "tests/fuzz/corpus", corpus)
    seeds = len(list(corpus.iterdir()))
    proc = subprocess.run(
        ["nice", str(exe), f"-max_total_time={FUZZ_SECONDS}", "-rss_limit_mb=1024",
         "-timeout=5", "-print_final_stats=1", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=FUZZ_SECONDS + 120, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Done" in proc.stderr
    stats = final_stats(proc.stderr)
    assert stats.get("number_of_executed_units", 0) > seeds and stats.get("cov", 0) > 0, stats
    out = REPO / "build" / "fuzz"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{target}-stats.json").write_text(json.dumps(
        {"target": target, "seconds": FUZZ_SECONDS, "seeds": seeds, **stats}, indent=1))
    print(f"fuzz {target}: {stats}")


@needs_clang
def test_invoke_target_runs_every_seed_clean(tmp_path: Path) -> None:
    """Each seed once through load + allocate + invoke under ASan/UBSan (clang's UBSan
    flags, e.g., an offset applied to a NULL pointer, which gcc's does not)."""
    exe = build_target("invoke")
    seeds = sorted((REPO / "tests/fuzz/corpus").glob("*.tflite"))
    proc = subprocess.run(["nice", str(exe), f"-artifact_prefix={tmp_path}/",
                           *map(str, seeds)], capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stderr.count("Executed ") == len(seeds), proc.stderr[-2000:]
