"""Built-in platform plugin: RISC-V rv32 boards (riscv64-unknown-elf-gcc + picolibc)."""

from __future__ import annotations

from tfm_ci.api import Platform, Toolchain, hookimpl, load_boards, opt_kernel_set

TOOLCHAIN = Toolchain(
    name="riscv64-unknown-elf-gcc",
    cc="riscv64-unknown-elf-gcc",
    # picolibc.specs also when compiling: it points gcc at picolibc's headers.
    common_flags=("--specs=picolibc.specs", "-std=c99", "-O2", "-ffreestanding", "-Wall",
                  "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections",
                  "-mcmodel=medany"),
    # ISA spec 2.2 keeps Zicsr inside "i" (CSR access for traps and minstret) while
    # -march stays a plain multilib name, so the rv32imac/ilp32 libraries are linked
    # (with "_zicsr" gcc 12 falls back to the rv64 default multilib).
    core_flags={
        "rv32imac": ("-march=rv32imac", "-misa-spec=2.2", "-mabi=ilp32"),
        "rv32imc": ("-march=rv32imc", "-misa-spec=2.2", "-mabi=ilp32"),
        "rv32imafc": ("-march=rv32imafc", "-misa-spec=2.2", "-mabi=ilp32f"),
    },
    # Our own startup; picolibc only for memcpy/memset/libm.
    link_flags=("-nostartfiles", "-Wl,--gc-sections"),
    libs=("-lm", "-lc", "-lgcc"),
    size_tool="riscv64-unknown-elf-size",
    debian_packages=("gcc-riscv64-unknown-elf", "picolibc-riscv64-unknown-elf"),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    # the engine's portable optimized kernels: plain C99, any RV32 core
    return [Platform("riscv", TOOLCHAIN, load_boards("riscv"), (opt_kernel_set(),),
                     uart_kinds=("ns16550",))]
