"""Built-in platform plugin: Arm Cortex-M boards (arm-none-eabi-gcc + newlib-nano)."""

from __future__ import annotations

from tfm_ci.api import (
    KernelSet,
    Platform,
    Toolchain,
    hookimpl,
    load_boards,
    opt_kernel_set,
    plugin_dir,
)

# Core flags as measured on QEMU 7.2 (docs/architecture.md, DESIGN.md table).
CORE_FLAGS: dict[str, tuple[str, ...]] = {
    "cortex-m0plus": ("-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft"),
    "cortex-m3": ("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft"),
    "cortex-m4": ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft"),
    "cortex-m4f": ("-mcpu=cortex-m4", "-mthumb", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"),
    "cortex-m7": ("-mcpu=cortex-m7", "-mthumb", "-mfpu=fpv5-d16", "-mfloat-abi=hard"),
    "cortex-m33": ("-mcpu=cortex-m33", "-mthumb", "-mfpu=fpv5-sp-d16", "-mfloat-abi=hard"),
    "cortex-m55": ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard"),
}

TOOLCHAIN = Toolchain(
    name="arm-none-eabi-gcc",
    cc="arm-none-eabi-gcc",
    common_flags=("-std=c99", "-O2", "-ffreestanding", "-Wall", "-Wextra", "-Werror",
                  "-ffunction-sections", "-fdata-sections"),
    core_flags=CORE_FLAGS,
    # Our own reset handler (no crt0); newlib-nano only for memcpy/memset/libm.
    link_flags=("-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections"),
    libs=("-lm", "-lc", "-lgcc"),
    size_tool="arm-none-eabi-size",
    debian_packages=("gcc-arm-none-eabi", "libnewlib-arm-none-eabi"),
)

KERNELS = plugin_dir(__file__) / "kernels"
# int8 CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED / AVERAGE_POOL_2D / MAX_POOL_2D on
# the DSP extension (SMLAD, SXTB16, SSUB8/SEL), int8 ADD / MUL of equal shapes and int8
# SOFTMAX, bit-exact with TFLite; other types and cases fall back to the shared reference evals
# declared in kernels/common/<op>.h.
ARM_DSP = KernelSet(
    "arm-dsp",
    "int8 conv/depthwise/fully-connected/pooling/add/mul/softmax on the Cortex-M DSP "
    "extension, bit-exact",
    overrides={name: KERNELS / name
               for name in ("conv_2d.c", "depthwise_conv_2d.c", "fully_connected.c",
                            "average_pool_2d.c", "max_pool_2d.c", "add.c", "mul.c",
                            "softmax.c")},
    extra_sources=tuple(KERNELS / name for name in (
        "dsp_common.c", "dsp_gemm3.c", "dsp_conv_strip.c", "dsp_dw3.c", "dsp_dw3_layer.c",
        "dsp_dw1.c", "dsp_dw_one.c", "dsp_fc4.c")),
    include_dirs=(KERNELS,),   # also puts arm_dsp.h / dsp_requant.h into the build cache key
    cores=("cortex-m4", "cortex-m4f", "cortex-m7", "cortex-m33", "cortex-m55"),
    # embedded images: conv filters as int16 in flash (tfm_ci/offline_prep_dsp.py) and
    # the shared conv prepare's multipliers / shifts (CONV_S8)
    offline_prep=True,
)

# int8 CONV_2D / FULLY_CONNECTED / DEPTHWISE_CONV_2D / pooling / ADD / MUL on Helium (MVE:
# tail-predicated VMLADAVA loops, 16 MACs per instruction, vector requantization),
# kernels/mve/ only. Bit-exact with TFLite; other types fall back to the shared
# reference evals.
MVE = KERNELS / "mve"
ARM_MVE = KernelSet(
    "arm-mve",
    "int8 conv/depthwise/fully-connected/pooling/add/mul on Helium (MVE), bit-exact",
    overrides={name: MVE / name
               for name in ("conv_2d.c", "depthwise_conv_2d.c", "fully_connected.c",
                            "average_pool_2d.c", "max_pool_2d.c", "add.c", "mul.c")},
    extra_sources=(MVE / "mve_gemm.c",),
    include_dirs=(MVE,),   # also puts the mve/*.h headers into the build cache key
    cores=("cortex-m55",),
)


@hookimpl
def tfm_platforms() -> list[Platform]:
    # opt: the engine's portable optimized kernels (any core, M0+/M3 included)
    return [Platform("arm", TOOLCHAIN, load_boards("arm"), (opt_kernel_set(), ARM_DSP, ARM_MVE),
                     uart_kinds=("cmsdk", "stm32-usart"))]
