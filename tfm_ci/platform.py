"""Platforms, toolchains, kernel sets and boards: what platform plugins supply.

These are plain data. Boards are read from ``platforms/<board>/board.toml``
and validated by :mod:`tfm_ci.boards`; toolchains and kernel sets are
declared by the platform plugin in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class MemoryRegion:
    """One region of a board's memory map (addresses of the simulated machine)."""

    name: str
    origin: int
    length: int


@dataclass(frozen=True)
class Board:
    """A target board: core, memory, budgets and how to simulate it.

    ``flash_budget``/``ram_budget`` are the real part's sizes, which may be
    smaller than the simulated machine's memory (a virtual board).
    """

    name: str
    platform: str
    description: str
    core: str
    isa_features: tuple[str, ...]
    ports: tuple[str, ...]          # firmware/ports/<dir> folders compiled in, in order
    memory: tuple[MemoryRegion, ...]
    flash_budget: int
    ram_budget: int
    stack_size: int
    uart: dict[str, object]
    simulators: dict[str, dict[str, object]]  # backend name -> backend settings
    directory: Path                 # folder holding board.toml, linker script, .repl
    linker_script: Path | None = None
    cflags: tuple[str, ...] = ()    # board-specific flags (defines, memory layout)
    app: str = "embedded"           # "embedded" (model in flash) or "runner" (host files)
    inputs_capacity: int = 256 * 1024   # bytes of the NOLOAD .tfm_inputs region
    inputs_region: str = "ram"      # memory region that holds .tfm_inputs
    clock_hz: int | None = None     # the real part's core clock (estimated ms)

    def region(self, name: str) -> MemoryRegion:
        for region in self.memory:
            if region.name == name:
                return region
        raise KeyError(f"board {self.name} has no memory region {name!r}")


@dataclass(frozen=True)
class Toolchain:
    """How to compile and link firmware for a platform's cores."""

    name: str
    cc: str                          # compiler driver, e.g. "arm-none-eabi-gcc"
    common_flags: tuple[str, ...]    # for every core
    core_flags: dict[str, tuple[str, ...]]  # core name -> -mcpu/-march/... flags
    link_flags: tuple[str, ...] = ()
    libs: tuple[str, ...] = ()
    size_tool: str | None = None
    debian_packages: tuple[str, ...] = ()   # what `make setup` / doctor checks

    def flags_for(self, core: str) -> tuple[str, ...]:
        if core not in self.core_flags:
            raise KeyError(f"toolchain {self.name} has no flags for core {core!r}")
        return self.common_flags + self.core_flags[core]


@dataclass(frozen=True)
class KernelSet:
    """C sources that replace reference kernels for some ops.

    ``overrides`` maps a reference kernel file name (e.g. ``"conv_2d.c"``)
    to the replacement source. ``cores`` limits the set to cores that have
    the instructions it needs (empty = any core).
    """

    name: str
    description: str
    overrides: dict[str, Path] = field(default_factory=dict)
    extra_sources: tuple[Path, ...] = ()
    include_dirs: tuple[Path, ...] = ()
    cores: tuple[str, ...] = ()

    def supports(self, core: str) -> bool:
        return not self.cores or core in self.cores


@dataclass(frozen=True)
class Platform:
    """What one platform plugin supplies."""

    name: str
    toolchain: Toolchain
    boards: tuple[Board, ...]
    kernel_sets: tuple[KernelSet, ...] = ()
