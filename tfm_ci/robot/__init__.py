"""Robot Framework library for tfm-ci: ``Library    tfm_ci.robot.TfmLibrary``."""

from tfm_ci.robot.errors import TfmKeywordError
from tfm_ci.robot.library import TfmLibrary

__all__ = ["TfmKeywordError", "TfmLibrary"]
