"""Built-in simulator plugin: Renode (when ``renode`` is installed)."""

from __future__ import annotations

import tfm_ci
from tfm_ci.plugins.renode.simulator import RenodeSimulator


@tfm_ci.hookimpl
def tfm_simulators() -> list[RenodeSimulator]:
    return [RenodeSimulator()]
