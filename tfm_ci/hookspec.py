"""Hook specifications: the contract between the engine and its plugins.

A *platform plugin* (host, arm, riscv, or a vendor's package) returns its
platforms from :func:`tfm_platforms`; a platform brings a toolchain, kernel
sets and boards. A *simulator plugin* returns simulators from
:func:`tfm_simulators`. Both import only the public API, :mod:`tfm_ci.api`.
Third-party plugins are found through the ``tfm_ci`` entry-point group (see
``docs/plugin-guide.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from tfm_ci.platform import Platform
    from tfm_ci.report.writer import ReportWriter
    from tfm_ci.simulator import Simulator

hookspec = pluggy.HookspecMarker("tfm_ci")


@hookspec
def tfm_platforms() -> Sequence[Platform]:
    """Return the platforms this plugin supplies.

    A platform names its toolchain, its kernel sets and its boards. Board
    names must be unique across all plugins; a duplicate is reported as a
    plugin error naming both plugins.

    :returns: zero or more :class:`tfm_ci.platform.Platform`.
    """


@hookspec
def tfm_simulators() -> Sequence[Simulator]:
    """Return the simulator backends this plugin supplies.

    Each simulator checks the ``[simulators.<name>]`` data of every board when
    the boards are loaded (:meth:`Simulator.validate`); per job the engine asks
    whether it can run the board (:meth:`Simulator.can_run`) and whether its
    program is installed (:meth:`Simulator.unavailable_reason`), in the order
    the board's description lists backends, then calls
    :meth:`Simulator.run` with a :class:`tfm_ci.simulator.SimRequest`.
    Plugins import what they need from :mod:`tfm_ci.api`.

    :returns: zero or more objects following :class:`tfm_ci.simulator.Simulator`.
    """


@hookspec
def tfm_report_writers() -> Sequence[ReportWriter]:
    """Return the report formats this plugin supplies for ``tfm-ci fleet report|diff``.

    Each writer names its format (``name``, e.g. ``"junit"``), its CLI option
    (``option``, e.g. ``"--junit"``) and a ``help`` text, and writes a
    :class:`tfm_ci.report.FleetReport` with ``write(report, path)``. A writer
    that also has ``write_diff(diff, path)`` is offered by ``fleet diff`` too.
    Options must be unique across plugins; a duplicate is refused naming both.

    :returns: zero or more objects following :class:`tfm_ci.report.writer.ReportWriter`.
    """
