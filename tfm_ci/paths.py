"""Where things live: the repository, its firmware and the shared models."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_models_dir() -> Path:
    """TFLM's models for tests and benchmarks: $TFM_SHARED_MODELS, else ../shared/models
    beside the repository (CI has it there; the files are never copied into the repo)."""
    env = os.environ.get("TFM_SHARED_MODELS")
    return Path(env) if env else REPO.parent / "shared" / "models"
