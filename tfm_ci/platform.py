"""Platforms, toolchains, kernel sets and boards: what platform plugins supply.

These are plain data. Boards are read from ``platforms/<board>/board.toml``
and validated by :mod:`tfm_ci.boards`; toolchains and kernel sets are
declared by the platform plugin in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

#: The ISA feature tags a board may list in ``isa_features`` (validated when the board
#: is loaded; docs/plugin-guide.md). Kernel sets and docs use them; add a tag here
#: (with a line of description) before a board uses it.
ISA_FEATURES: dict[str, str] = {
    # Arm M-profile architectures and extensions
    "armv6-m": "Armv6-M base (Cortex-M0/M0+/M1)",
    "armv7-m": "Armv7-M (Cortex-M3)",
    "armv7e-m": "Armv7E-M (Cortex-M4/M7): the DSP instructions",
    "armv8-m.base": "Armv8-M Baseline (Cortex-M23)",
    "armv8-m.main": "Armv8-M Mainline (Cortex-M33/M35P)",
    "armv8.1-m.main": "Armv8.1-M Mainline (Cortex-M55/M85)",
    "thumb": "16-bit Thumb only",
    "thumb2": "Thumb-2 (32-bit instructions)",
    "dsp": "DSP extension: SIMD multiply-accumulate (SMLAD, SXTB16, ...)",
    "fpv4-sp": "FPv4 single-precision FPU",
    "fpv5-sp": "FPv5 single-precision FPU",
    "fpv5-dp": "FPv5 double-precision FPU",
    "mve": "M-profile Vector Extension (Helium), integer",
    "mve-float": "M-profile Vector Extension (Helium), floating point",
    "trustzone": "Armv8-M Security Extension",
    # RISC-V base ISAs and standard extensions
    "rv32i": "RV32I base integer ISA",
    "rv32e": "RV32E base (16 registers)",
    "rv64i": "RV64I base integer ISA",
    "m": "integer multiply/divide",
    "a": "atomics",
    "f": "single-precision floating point",
    "d": "double-precision floating point",
    "c": "compressed instructions",
    "b": "bit manipulation",
    "v": "vector extension",
    "zicsr": "CSR instructions",
    "zifencei": "instruction-fetch fence",
    "zba": "address generation (bit manipulation subset)",
    "zbb": "basic bit manipulation",
    "p": "packed SIMD (draft)",
}


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

    def extended(self, name: str, *, common_flags: tuple[str, ...] = (),
                 core_flags: dict[str, tuple[str, ...]] | None = None,
                 link_flags: tuple[str, ...] = ()) -> Toolchain:
        """This toolchain under a new name with flags added (a vendor's defines, more
        cores): how a plugin reuses a built-in toolchain without copying it."""
        return replace(self, name=name, common_flags=self.common_flags + common_flags,
                       core_flags={**self.core_flags, **(core_flags or {})},
                       link_flags=self.link_flags + link_flags)


@dataclass(frozen=True)
class KernelOp:
    """A kernel a kernel set adds for an op the core's table (ops.def) lacks.

    ``name`` is the builtin op's schema name (e.g. ``"FLOOR"``) or, with
    ``custom=True``, the custom code a model's CUSTOM op carries. ``source``
    defines ``const tfm_kernel *<register>(void)``, whose ``max_version``
    must equal the one declared here (the engine's coverage check reads this).
    """

    name: str
    source: Path
    register: str
    max_version: int = 1
    custom: bool = False


@dataclass(frozen=True)
class KernelSet:
    """C sources that replace reference kernels for some ops, or add kernels.

    ``overrides`` maps a reference kernel file name (e.g. ``"conv_2d.c"``)
    to the replacement source. ``added_ops`` are kernels for ops the core has
    none for (builtin or custom). ``cores`` limits the set to cores that have
    the instructions it needs (empty = any core). ``offline_prep``: embedded images
    get the build-time per-operator records of :mod:`tfm_ci.offline_prep` (the set's
    kernels look them up with ``tfm_offline_data``).
    """

    name: str
    description: str
    overrides: dict[str, Path] = field(default_factory=dict)
    extra_sources: tuple[Path, ...] = ()
    include_dirs: tuple[Path, ...] = ()
    cores: tuple[str, ...] = ()
    added_ops: tuple[KernelOp, ...] = ()
    offline_prep: bool = False

    def supports(self, core: str) -> bool:
        return not self.cores or core in self.cores


#: The engine's kernel set, offered on every platform (the registry puts it first).
REFERENCE = KernelSet("reference", "TFLite reference kernels, portable C99")


def reference_kernel_set() -> KernelSet:
    """The engine's reference kernel set (the registry offers it on every platform)."""
    return REFERENCE


#: Kernel files of the engine's portable optimized set (firmware/kernels/opt/).
OPT_NAME = "opt"
OPT_OVERRIDES = ("conv_2d.c", "depthwise_conv_2d.c", "fully_connected.c", "average_pool_2d.c",
                 "max_pool_2d.c")


def opt_kernel_set() -> KernelSet:
    """The engine's portable optimized kernel set "opt": plain C99 register-tiled int8
    conv / depthwise / fully-connected / pooling for any core, bit-exact with TFLite.
    A platform offers it by listing it among its kernel sets (the built-in arm, riscv
    and host platforms do); its sources ship with the engine (firmware/kernels/opt)."""
    from tfm_ci.paths import firmware_dir  # paths resolve the data root lazily

    opt = firmware_dir() / "kernels" / "opt"
    return KernelSet(OPT_NAME,
                     "int8 conv/depthwise/fully-connected/pooling, register-tiled portable C99, "
                     "bit-exact; float32 fully-connected/conv/depthwise in block floating point",
                     overrides={name: opt / name for name in OPT_OVERRIDES},
                     extra_sources=(opt / "opt_gemm.c", opt / "opt_pool.c", opt / "opt_float.c"),
                     include_dirs=(opt,), offline_prep=True)


@dataclass(frozen=True)
class Platform:
    """What one platform plugin supplies.

    ``uart_kinds`` names the board ``uart.kind`` values the platform's ports drive
    (empty = any); the registry refuses a board with another kind.
    """

    name: str
    toolchain: Toolchain
    boards: tuple[Board, ...]
    kernel_sets: tuple[KernelSet, ...] = ()
    uart_kinds: tuple[str, ...] = ()
