"""Built-in simulator plugin: Renode (when ``renode`` is installed)."""

from __future__ import annotations

from tfm_ci.api import hookimpl

from .simulator import RenodeSimulator


@hookimpl
def tfm_simulators() -> list[RenodeSimulator]:
    return [RenodeSimulator()]
