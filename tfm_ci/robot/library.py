"""The facade: one Robot library made of the keyword classes of each area."""

from __future__ import annotations

from robot.api.deco import library

from tfm_ci import __version__
from tfm_ci.robot.boards import BoardKeywords
from tfm_ci.robot.budgets import BudgetKeywords
from tfm_ci.robot.fleet import FleetKeywords
from tfm_ci.robot.jobs import JobKeywords
from tfm_ci.robot.models import ModelKeywords
from tfm_ci.robot.state import LibraryState


@library(scope="GLOBAL", version=__version__, auto_keywords=False)
class TfmLibrary(BoardKeywords, ModelKeywords, JobKeywords, BudgetKeywords, FleetKeywords):
    """Run TinyML models on simulated boards and check outputs and budgets.

    Import it as ``Library    tfm_ci.robot.TfmLibrary`` (optionally with
    ``cache_dir=...``).

    Keywords are thin over the tfm-ci engine (``tfm_ci.job.run_job``, the
    plugin registry, ``tfm_ci.budgets``); failure messages are the engine's
    own text. A typical test:

    | ${model}=    `Demo Model Path`    sine
    | ${job}=      `Run Model On Board`    ${model}    mps2-an386    limits=ram=128KiB
    | `Job Should Pass`    ${job}
    | `Outputs Should Match TFLite`    ${job}
    | `RAM Should Be Within Budget`    ${job}

    A fleet spec (docs/fleets.md) runs with `Run Fleet Spec` and is checked
    with `Fleet Should Pass`.

    Check keywords take an optional record and default to the last one
    `Run Model On Board` returned. Builds are cached by content
    (``cache_dir`` argument, else ``$TFM_CI_CACHE``, else ``build/cache`` in a
    checkout or ``~/.cache/tfm-ci/cache`` for an installed tfm-ci), so
    suites running in parallel (pabot) build each image once.
    """

    ROBOT_LIBRARY_SCOPE = "GLOBAL"

    def __init__(self, cache_dir: str | None = None) -> None:
        """`cache_dir`: where builds are cached (default: ``$TFM_CI_CACHE``, else the build
        cache of ``tfm_ci.paths.cache_dir()``)."""
        self.state = LibraryState(cache_dir=cache_dir)
