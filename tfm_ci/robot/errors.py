"""The one exception base of the Robot library."""

from __future__ import annotations


class TfmKeywordError(AssertionError):
    """A tfm-ci keyword failed; the message is the engine's own text.

    ``ROBOT_SUPPRESS_NAME`` keeps Robot from prefixing the class name, so a
    log shows e.g. ``RAM 201,344 B > 131,072 B on netduinoplus2 (...)``.
    """

    ROBOT_SUPPRESS_NAME = True
