"""Built-in simulator plugin: run the host board's executable as a process."""

from __future__ import annotations

import tfm_ci
from tfm_ci.plugins.native.simulator import NativeSimulator


@tfm_ci.hookimpl
def tfm_simulators() -> list[NativeSimulator]:
    return [NativeSimulator()]
