"""Malformed models under ASan/UBSan: every truncation, seeded byte flips, hostile
words; and a few through the sanitized runner process (error line, never a crash)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.runtime.util import SHARED_MODELS, run

REPO = Path(__file__).resolve().parents[2]
CORPUS = sorted((REPO / "tests/fuzz/corpus").glob("*.tflite"))
FLIPS = 300


def _sweep(exe: Path, model: Path, seed: int) -> dict[str, int]:
    proc = subprocess.run([str(exe), str(model), str(FLIPS), str(seed)], capture_output=True,
                          text=True, timeout=240, check=False)
    assert proc.returncode == 0, f"{model.name}: {proc.stderr[-3000:]}"
    return {k: int(v) for k, v in (line.split() for line in proc.stdout.splitlines())}


@pytest.mark.parametrize("model", [SHARED_MODELS["hello_world_int8"], *CORPUS],
                         ids=lambda p: p.stem)
def test_loader_survives_mutations(mutate_bin: dict[str, Path], model: Path) -> None:
    counts = _sweep(mutate_bin["load"], model, seed=1)
    assert counts["BAD_MODEL"] >= model.stat().st_size  # every truncation refused


def test_invoke_survives_mutations(mutate_bin: dict[str, Path]) -> None:
    """Same sweep with invoke; sanitizer reports inside kernels are kernel bugs."""
    exe, model = mutate_bin["invoke"], SHARED_MODELS["hello_world_int8"]
    proc = subprocess.run([str(exe), str(model), str(FLIPS), "7"], capture_output=True,
                          text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.parametrize("case", ["identifier", "truncated", "root_offset", "huge_vector"])
def test_runner_reports_error_line(asan_runner: Path, case: str) -> None:
    data = bytearray(SHARED_MODELS["hello_world_int8"].read_bytes())
    if case == "identifier":
        data[4:8] = b"TFL2"
    elif case == "truncated":
        data = data[:100]
    elif case == "root_offset":
        data[0:4] = (len(data) + 100).to_bytes(4, "little")
    else:  # every 4-byte word that looks like a small offset becomes huge
        for pos in range(8, len(data) - 4, 4):
            if int.from_bytes(data[pos:pos + 4], "little") < 64:
                data[pos:pos + 4] = (0x7FFFFFF0).to_bytes(4, "little")
    r = run(asan_runner, bytes(data), timeout=60)
    assert r.returncode == 1, r.stderr[-2000:]
    assert r.transcript.end == "FAIL" and r.transcript.errors[0][0] == "BAD_MODEL"
    assert "Sanitizer" not in r.stderr
