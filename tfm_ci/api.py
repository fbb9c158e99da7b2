"""The public plugin API: everything a platform or simulator plugin may use.

Built-in plugins (``tfm_ci.plugins.*``) and third-party ones import only this
module; names not listed in ``__all__`` are engine internals that may change.
See docs/plugin-guide.md (platforms, boards, kernel sets) and docs/simulators.md
(simulator backends).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tfm_ci import hookimpl
from tfm_ci.boards import BoardError, load_board, load_boards
from tfm_ci.cycles import model_for_core as cycle_model_for_core
from tfm_ci.elfinfo import MARKERS, ElfInfo, Symbol, read_elf
from tfm_ci.inputs_blob import BlobError
from tfm_ci.inputs_blob import pack as pack_inputs
from tfm_ci.inputs_blob import unpack as unpack_inputs
from tfm_ci.paths import build_root, cache_dir, firmware_dir, platforms_dir
from tfm_ci.platform import (
    ISA_FEATURES,
    Board,
    KernelOp,
    KernelSet,
    MemoryRegion,
    Platform,
    Toolchain,
    opt_kernel_set,
    reference_kernel_set,
)
from tfm_ci.process import ProcessResult, failure_text, run_process
from tfm_ci.simrun import make_request
from tfm_ci.simulator import (
    InputsPlacement,
    MarkerHit,
    SimRequest,
    SimResult,
    Simulator,
    SimulatorSettingsError,
)

__all__ = [
    "ISA_FEATURES",
    "MARKERS",
    "BlobError",
    "Board",
    "BoardError",
    "ElfInfo",
    "InputsPlacement",
    "KernelOp",
    "KernelSet",
    "MarkerHit",
    "MemoryRegion",
    "Platform",
    "ProcessResult",
    "SimRequest",
    "SimResult",
    "Simulator",
    "SimulatorSettingsError",
    "Symbol",
    "Toolchain",
    "build_root",
    "builtin_toolchain",
    "cache_dir",
    "cycle_model_for_core",
    "failure_text",
    "firmware_dir",
    "hookimpl",
    "load_board",
    "load_boards",
    "make_request",
    "opt_kernel_set",
    "pack_inputs",
    "platforms_dir",
    "plugin_dir",
    "read_elf",
    "reference_kernel_set",
    "run_process",
    "unpack_inputs",
]

# The engine (not a plugin) knows where the built-in toolchains are declared.
_BUILTIN_TOOLCHAIN_MODULES = ("tfm_ci.plugins.arm", "tfm_ci.plugins.riscv",
                              "tfm_ci.plugins.host")


def builtin_toolchain(name: str) -> Toolchain:
    """A built-in toolchain by name (``"arm-none-eabi-gcc"``, ``"riscv64-unknown-elf-gcc"``,
    ``"host-gcc"``), for a vendor platform that reuses it as is or extended
    (:meth:`Toolchain.extended`)."""
    known = []
    for module_name in _BUILTIN_TOOLCHAIN_MODULES:
        toolchain = importlib.import_module(module_name).TOOLCHAIN
        if name in (toolchain.name, toolchain.cc):
            return toolchain
        known.append(toolchain.name)
    raise LookupError(f"no built-in toolchain {name!r} (known: {', '.join(known)})")


def plugin_dir(module_file: str) -> Path:
    """The folder of a plugin's module (pass ``__file__``): board folders, kernel sources."""
    return Path(module_file).resolve().parent
