"""Robot keywords for robot_tests/micro_speech.robot, over examples/micro_speech/micro_speech.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
from robot.api import logger
from robot.api.deco import keyword, library

from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.registry import Registry

_HERE = Path(__file__).resolve().parent


def _pipeline():
    spec = importlib.util.spec_from_file_location("micro_speech_example", _HERE / "micro_speech.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("micro_speech_example", module)
    spec.loader.exec_module(module)
    return module


@library(scope="GLOBAL", auto_keywords=False)
class MicroSpeechLibrary:
    def __init__(self) -> None:
        self._ms = _pipeline()
        self._registry = Registry.load()

    @keyword("Clip Should Be Recognised")
    def clip_should_be_recognised(self, board: str, clip: str, expected: str) -> int:
        """Preprocesses `clip` on `board` (features checked bit-exact against TFLM by the
        engine), classifies it, fails unless the label is `expected`. Returns the mean
        preprocessor instructions per frame (0 when the board counts none)."""
        r = self._ms.run_clip(board, clip, registry=self._registry)
        pre = r.stages["preprocessor"]
        if not pre["match"] or "tflite-micro" not in (pre["oracle"] or ""):
            raise AssertionError(f"{clip} on {board}: features not checked against TFLM: {pre}")
        logger.info(f"{clip} on {board}: {r.label} {r.scores}; preprocessor "
                    f"{pre['per_invocation_mean']} instructions/frame (max "
                    f"{pre['per_invocation_max']}), classifier "
                    f"{r.stages['classifier']['per_invocation_max']}")
        if r.label != expected:
            raise AssertionError(f"{clip} on {board}: label {r.label} {r.scores}, expected "
                                 f"{expected}")
        return int(pre["per_invocation_mean"] or 0)

    @keyword("Preprocessor Should Match TFLM On Audio")
    def preprocessor_should_match_tflm(self, board: str, kind: str, clip: str = "yes") -> None:
        """The int8 or float preprocessor over a clip's 49 frames then 10 random frames
        (state carried), every output compared with TFLM by the engine."""
        rng = np.random.default_rng(3)
        frames = np.concatenate([self._ms.windows(self._ms.read_wav(self._ms.clip_path(clip))),
                                 rng.integers(-20000, 20000, (10, 1, 480)).astype(np.int16)])
        model = self._ms.shared_dir() / f"audio_preprocessor_{kind}.tflite"
        rec = run_job(JobSpec(model=str(model), board=board, inputs=[frames], timeout=300),
                      self._registry)
        if rec.status is not Status.PASS or not rec.comparison.get("match"):
            raise AssertionError(f"{kind} preprocessor on {board}: {rec.status.value} "
                                 f"{rec.reason}")
        logger.info(f"{kind} preprocessor on {board}: {rec.invocations} frames match "
                    f"{rec.comparison.get('oracle')}; arena {rec.sizes.get('arena_used')} B, "
                    f"flash {rec.sizes.get('flash')} B")
