"""DETECTION_POSTPROCESS on simulated boards (mps2-an386 Cortex-M4F, riscv32-virt) through
the engine (tfm_ci.job.run_job: selective-registration build, QEMU, comparison with
TFLite's BUILTIN_REF), and selective registration: a model without the op links none
of its code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ops.detection_cases import build as build_case
from tests.ops.detection_cases import compare, draw_case
from tfm_ci.boards import repo_root
from tfm_ci.build import build
from tfm_ci.elfsize import symbol_address
from tfm_ci.job import JobSpec, Status, run_job
from tfm_ci.oracle import run_reference
from tfm_ci.plugins import make_plugin_manager
from tfm_ci.registry import Registry
from tfm_ci.transcript import parse

pytestmark = pytest.mark.slow
BOARDS = ("mps2-an386", "riscv32-virt")
# drawn cases covering both NMS modes and the four type pairs (see detection_cases)
SEEDS = {}
for _s in range(200):
    _c = draw_case(_s)
    SEEDS.setdefault((_c.opts.use_regular_nms, _c.box_type, _c.cls_type), _s)
CASE_SEEDS = sorted(SEEDS.values())
SYMBOLS = ("tfm_register_detection_postprocess", "tfm_detection_postprocess_eval_reference")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(make_plugin_manager(load_entry_points=False))


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("seed", CASE_SEEDS)
def test_detection_on_board(seed: int, board: str, registry: Registry, tmp_path: Path) -> None:
    case = draw_case(seed)
    model, inputs = build_case(case)
    path = tmp_path / "model.tflite"
    path.write_bytes(model)
    cache = repo_root() / "build" / "test-cache"
    cache.mkdir(parents=True, exist_ok=True)
    rec = run_job(JobSpec(model=str(path), board=board, inputs=inputs, cache_dir=str(cache),
                          timeout=120, float_tolerance=0.0), registry)
    t = parse(rec.transcript)
    assert t.passed, (rec.reason, t.errors)
    theirs = run_reference(model, inputs)[0]
    assert compare(case.opts, t.outputs_of(0), theirs) == [], case.id
    # The job's verdict compares whole outputs, with the rows TFLite leaves unwritten
    # zeroed in its copy (tfm_ci.unwritten_outputs): it passes, and ours are zero there.
    assert rec.status is Status.PASS, (case.id, rec.reason)


def test_selective_registration(registry: Registry, tmp_path: Path) -> None:
    """The op's code is linked only into images of models that use it."""
    board = registry.board("mps2-an386")
    kset = registry.kernel_set(board)
    toolchain = registry.platform_of(board).toolchain
    with_op = tmp_path / "with.tflite"
    with_op.write_bytes(build_case(draw_case(CASE_SEEDS[0]))[0])
    without = repo_root() / "examples" / "models" / "sine_int8.tflite"
    if not without.is_file():
        from tests.hardening.cases import relu_model
        without = tmp_path / "relu.tflite"
        without.write_bytes(relu_model())
    elf_with = build(board, with_op, kset, toolchain=toolchain, cache_dir=tmp_path / "c").elf
    elf_without = build(board, without, kset, toolchain=toolchain,
                        cache_dir=tmp_path / "c").elf
    for sym in SYMBOLS:
        assert symbol_address(elf_with, sym) is not None, sym
        assert symbol_address(elf_without, sym) is None, sym
