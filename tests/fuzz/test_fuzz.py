"""A bounded libFuzzer run of the loader + allocate + invoke (needs clang)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.runtime.conftest import BUILD, REPO, compile_c, firmware_sources

FUZZ_SECONDS = 20


@pytest.mark.skipif(shutil.which("clang") is None, reason="clang (libFuzzer) not installed")
def test_fuzz_model_loader(tmp_path: Path) -> None:
    srcs = [*firmware_sources("RUNTIME_SRCS", "KERNEL_SRCS"), "app/all_ops.c",
            str(REPO / "tests/fuzz/fuzz_model.c")]
    # Invoke is left out: kernels' eval arithmetic on random weights is not the
    # loader's concern (see tests/runtime/test_malformed.py for the invoke sweep).
    exe = compile_c(BUILD / "fuzz_model", srcs, "-g", "-O1",
                    "-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=all",
                    "-DTFM_FUZZ_NO_INVOKE", cc="clang")
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "tests/fuzz/corpus", corpus)
    proc = subprocess.run(
        ["nice", str(exe), f"-max_total_time={FUZZ_SECONDS}", "-rss_limit_mb=1024",
         "-timeout=5", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=FUZZ_SECONDS + 120, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Done" in proc.stderr
