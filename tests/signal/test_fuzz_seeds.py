"""The FlexBuffer-bearing seeds of the fuzz corpus (tests/fuzz/corpus/signal_*.tflite)
and the shared preprocessors through the malformed-model sweep with invoke, under
ASan/UBSan: every truncation, seeded byte flips and hostile words, in the options as
everywhere else."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.runtime.conftest import REPO, mutate_bin  # noqa: F401 - pytest fixture
from tests.signal.audio import preprocessor

SEEDS = sorted((REPO / "tests/fuzz/corpus").glob("signal_*.tflite"))


def _sweep(exe: Path, model: Path, flips: int) -> dict[str, int]:
    proc = subprocess.run([str(exe), str(model), str(flips), "11"], capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"{model.name}: {proc.stderr[-3000:]}"
    return {k: int(v) for k, v in (line.split() for line in proc.stdout.splitlines())}


def test_corpus_has_signal_seeds() -> None:
    assert len(SEEDS) >= 5


@pytest.mark.parametrize("model", SEEDS, ids=lambda p: p.stem)
def test_seed_survives_mutations(mutate_bin: dict[str, Path], model: Path) -> None:  # noqa: F811
    counts = _sweep(mutate_bin["invoke"], model, 2000)
    assert counts["BAD_MODEL"] >= model.stat().st_size   # every truncation refused


@pytest.mark.parametrize("kind", ["int8", "float"])
def test_preprocessor_survives_mutations(mutate_bin: dict[str, Path], kind: str,  # noqa: F811
                                         tmp_path: Path) -> None:
    # The shared file ends in alignment padding (a truncation there is still the same
    # model): sweep it without the padding. Read from ../shared, never copied in the repo.
    data = preprocessor(kind).read_bytes()
    model = tmp_path / "pre.tflite"
    model.write_bytes(data.rstrip(b"\0") + b"\0")
    counts = _sweep(mutate_bin["invoke"], model, 5000)
    assert counts["BAD_MODEL"] >= model.stat().st_size
