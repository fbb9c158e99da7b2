"""Built-in simulator plugin: run the host board's executable as a process."""

from __future__ import annotations

from tfm_ci.api import hookimpl

from .simulator import NativeSimulator


@hookimpl
def tfm_simulators() -> list[NativeSimulator]:
    return [NativeSimulator()]
