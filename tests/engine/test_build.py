"""Firmware builds: selective ops, refusal before compiling, cache hits, sizes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tfm_ci.boards import load_board
from tfm_ci.build import (
    UnsupportedModelError,
    build,
    default_arena_size,
    generate_model_blob,
    generate_ops_c,
    model_ops,
)
from tfm_ci.elfsize import section_sizes, symbol_address
from tfm_ci.inspect import read_model
from tfm_ci.modelgen import ModelBuilder
from tfm_ci.platform import KernelSet
from tfm_ci.registry import Registry

from .conftest import AN386_MEMORY_AND_UART, write_board


def _custom_op_model() -> bytes:
    b = ModelBuilder(description="custom op")
    x = b.tensor("x", [1, 4], "int8", scale=0.5, zero_point=0)
    y = b.tensor("y", [1, 4], "int8", scale=0.5, zero_point=0)
    z = b.tensor("z", [1, 4], "int8", scale=0.5, zero_point=0)
    b.op("ADD", [x, x], [y], fused_activation_function="NONE")
    b.op("CUSTOM", [y], [z], custom_code="VendorMagic")
    b.inputs([x])
    b.outputs([z])
    return b.build()


def test_unsupported_op_refused_before_compiling(tmp_path: Path, registry: Registry) -> None:
    model = tmp_path / "custom.tflite"
    model.write_bytes(_custom_op_model())
    board = registry.board("mps2-an386")
    cache = tmp_path / "cache"
    with pytest.raises(UnsupportedModelError) as info:
        build(board, model, registry.kernel_set(board), toolchain=registry.platform_of(board)
              .toolchain, cache_dir=cache)
    text = str(info.value)
    assert "subgraph 0 op 1 (VendorMagic v1): no kernel for CUSTOM op 'VendorMagic'" in text
    assert "kernel set 'reference'" in text
    assert not (cache / "obj").exists()          # nothing was compiled


def test_generated_sources(sine_model: Path, registry: Registry) -> None:
    board = registry.board("mps2-an386")
    ops, added = model_ops(read_model(sine_model), registry.kernel_set(board))
    assert added == []
    text = generate_ops_c(ops)
    assert [op.name for op in ops] == ["FULLY_CONNECTED"]
    assert "tfm_resolver_add_builtin(resolver, 9, tfm_register_fully_connected())" in text
    assert text.count("tfm_resolver_add_builtin") == 1       # only the model's ops
    blob = generate_model_blob(Path("/m/x.tflite"))
    for needle in ('.section .rodata.tfm_model, "a"', ".balign 16", ".global tfm_model_data",
                   'tfm_model_data:\n  .incbin "/m/x.tflite"', ".global tfm_model_data_end"):
        assert needle in blob


def test_second_build_is_cached(tmp_path: Path, sine_model: Path, registry: Registry) -> None:
    board = registry.board("mps2-an386")
    toolchain = registry.platform_of(board).toolchain
    kset = registry.kernel_set(board)
    first = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path)
    assert not first.cached and first.compiled > 0
    second = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path)
    assert second.cached and second.compiled == 0 and second.elf == first.elf
    assert second.arena_size == first.arena_size
    # a different arena size relinks but recompiles only the app sources
    third = build(board, sine_model, kset, toolchain=toolchain, cache_dir=tmp_path,
                  arena_size=8192)
    assert not third.cached and third.elf != first.elf
    assert 0 < third.compiled <= 3
    assert "-DTFM_ARENA_SIZE=8192" in third.flags
    sizes = section_sizes(third.elf)
    assert sizes.arena == 8192
    # the model's bytes are in flash at tfm_model_data
    start = symbol_address(third.elf, "tfm_model_data")
    end = symbol_address(third.elf, "tfm_model_data_end")
    assert start is not None and end - start == sine_model.stat().st_size
    # sizes agree with binutils' own accounting (Berkeley: text, data, bss)
    out = subprocess.run(["arm-none-eabi-size", "-B", str(third.elf)], capture_output=True,
                         text=True, check=True).stdout.splitlines()[1].split()
    text_b, data_b, bss_b = map(int, out[:3])
    assert sizes.flash == text_b + data_b
    assert sizes.static_ram == data_b + bss_b - sizes.arena - sizes.inputs - sizes.stack
    # only the ops the model uses are linked
    assert symbol_address(third.elf, "tfm_register_fully_connected") is not None
    assert symbol_address(third.elf, "tfm_register_conv_2d") is None


def test_default_arena_fits_budget_and_machine(registry: Registry) -> None:
    nd = registry.board("netduinoplus2")
    assert default_arena_size(nd, 3000) == (131072 - 3000 - nd.stack_size) // 16 * 16
    an386 = registry.board("mps2-an386")
    expected = 4 * 1024 * 1024 - 3000 - an386.stack_size - an386.inputs_capacity
    assert default_arena_size(an386, 3000) == expected // 16 * 16


VIRTUAL = """
name = "vendor-m4-64k"
platform = "arm"
description = "a third-party virtual board without its own linker script"
core = "cortex-m4f"
ports = ["cortex-m", "cmsdk-uart"]
stack_size = "4KiB"
inputs_capacity = "16KiB"
[budget]
flash = "256KiB"
ram = "64KiB"
""" + AN386_MEMORY_AND_UART + """[simulators.qemu]
program = "qemu-system-arm"
machine = "mps2-an386"
"""


def test_board_without_linker_script_gets_a_rendered_one(tmp_path: Path, sine_model: Path,
                                                         registry: Registry,
                                                         shared_cache: Path) -> None:
    folder = tmp_path / "vendor-m4-64k"
    board = load_board(write_board(folder, VIRTUAL))
    assert board.linker_script is None
    arm = registry.platform("arm")
    result = build(board, sine_model, arm.kernel_sets[0], toolchain=arm.toolchain,
                   cache_dir=shared_cache)
    sizes = section_sizes(result.elf)
    assert sizes.stack == 4096 and sizes.inputs == 16384
    # arena = RAM budget - measured static RAM - stack
    assert sizes.arena == (65536 - sizes.static_ram - 4096) // 16 * 16
    shutil.rmtree(folder)


# A FULLY_CONNECTED override whose eval carries a TFM_ENSURE (its __FILE__ is the path).
FC_WITH_ENSURE = """\
#include "common/fully_connected.h"
#include "common/ops.h"
#include "tfm/kernels.h"

static tfm_status eval(tfm_context *ctx, tfm_node *node) {
  TFM_ENSURE(ctx, node->num_inputs >= 2);
  return tfm_fully_connected_eval_reference(ctx, node);
}

const tfm_kernel *tfm_register_fully_connected(void) {
  static const tfm_kernel kernel =
      TFM_BUILTIN_KERNEL(FULLY_CONNECTED, tfm_fully_connected_prepare, eval);
  return &kernel;
}
"""


def test_image_does_not_depend_on_the_folders_it_was_built_in(
        tmp_path: Path, sine_model: Path, registry: Registry) -> None:
    """An override at two folders of different path lengths, and two caches likewise, give
    byte-identical code and data (no machine path in __FILE__): a fleet diff between CI
    machines compares like with like."""
    board = registry.board("mps2-an386")
    tc = registry.platform_of(board).toolchain
    elfs = []
    for folder in (tmp_path / "a", tmp_path / "a-much-longer-folder-name" / "nested"):
        (folder / "kernels").mkdir(parents=True)
        (folder / "kernels" / "fully_connected.c").write_text(FC_WITH_ENSURE)
        kset = KernelSet("ensure", "test", overrides={
            "fully_connected.c": folder / "kernels" / "fully_connected.c"})
        elfs.append(build(board, sine_model, kset, toolchain=tc,
                          cache_dir=folder / "cache").elf)
    assert section_sizes(elfs[0]) == section_sizes(elfs[1])
    images = [_loaded_bytes(e) for e in elfs]
    assert b"kernels-ensure/fully_connected.c" in images[0]
    assert images[0] == images[1] and str(tmp_path).encode() not in images[0]


def _loaded_bytes(elf: Path) -> bytes:
    """Every section the board loads (flash and RAM initialisers), in order."""
    from elftools.elf.elffile import ELFFile

    with elf.open("rb") as f:
        return b"".join(s.data() for s in ELFFile(f).iter_sections()
                        if s["sh_flags"] & 0x2 and s["sh_type"] != "SHT_NOBITS")
