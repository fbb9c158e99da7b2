"""The cycle estimate (docs/cycle-model.md) on hand-written micro-benchmarks.

tests/sim/fw/cycles.c runs one assembly loop per timing class between
op_begin/op_end markers; two runs with different loop counts give the cycles
of one iteration, which must equal what the core's timing table says, exactly.
The expectations below are written from the tables in docs/cycle-model.md
(TRM figures), not read back from the plugin's C tables.
"""

from __future__ import annotations

import dataclasses
import struct
from pathlib import Path

import pytest

from tests.sim.fwbuild import REPO, compile_elf
from tfm_ci.simrun import make_request

FIRMWARE = REPO / "tests" / "sim" / "fw" / "cycles.c"
SHORT, LONG = 100, 300

pytestmark = pytest.mark.slow

# Per kernel: (instructions per iteration, cycles per iteration). Every Arm
# loop ends in `subs r0, r0, #1; bne 1b` (1 + 1 + refill when taken), every
# RISC-V loop in `addi a0, a0, -1; bnez a0, 1b`.
ARM_BODY_INSNS = {
    "empty": 2, "alu": 6, "load": 6, "load_dep": 4, "load_store": 4, "store_reg": 3, "agu": 4,
    "ldm5": 3, "push_pop": 4, "mul": 6, "mla": 4, "umull": 4, "udiv": 4, "taken": 3,
    "not_taken": 4, "smlad": 6, "fp": 5, "fdiv": 3, "mve": 4, "lob": 2,
}

# Cortex-M4 TRM Table 3-1 (P = 2, loop overhead 1 + 1 + 2 = 4):
M4 = {
    "empty": 4,
    "alu": 4 + 4,            # ADDS, EORS, ORRS, LSLS: 1 each
    "load": 2 + 1 + 1 + 1 + 4,   # independent LDRs pipeline: 2, then 1 each
    "load_dep": 2 + 2 + 4,   # second LDR's address is the first's result: no pipelining
    "load_store": 2 + 1 + 4,  # STR (register offset, 2) pipelined after an LDR: 1
    "store_reg": 2 + 4,      # STR Rt, [Rn, Rm]: 2
    "agu": 1 + (2 + 1) + 4,  # LDR whose address the previous ADDS wrote: +1 (no forwarding)
    "ldm5": 1 + 5 + 4,       # LDM: 1 + N
    "push_pop": (1 + 3) + (1 + 3) + 4,   # PUSH/POP: 1 + N
    "mul": 4 * 1 + 4,        # MUL: 1
    "mla": 2 * 1 + 4,        # MLA: 1
    "umull": 2 * 1 + 4,      # UMULL: 1
    "udiv": 2 * 12 + 4,      # UDIV: 2-12, worst case charged
    "taken": (1 + 2) + 4,    # B: 1 + P; the NOP it skips is not executed
    "not_taken": 1 + 1 + 4,  # CMP 1, B<cond> not taken 1
    "smlad": 4 * 1 + 4,      # SMLAD: 1
    "fp": 1 + 1 + 3 + 4,     # FPU (Table 7-1): VADD 1, VMUL 1, VMLA 3
    "fdiv": 14 + 4,          # VDIV.F32 14
}
# Cortex-M3 TRM Table 18-1: as the M4 but MLA 2, UMULL 3-5 (worst case 5); no DSP/FPU.
M3 = {k: v for k, v in M4.items() if k not in ("smlad", "fp", "fdiv")}
M3.update({"mla": 2 * 2 + 4, "umull": 2 * 5 + 4})
# Cortex-M7, single-issue simplification: 1-cycle issue, LDM 2 registers per
# cycle, taken-branch refill 1 (loop overhead 1 + 1 + 1 = 3).
M7 = {
    "empty": 3, "alu": 4 + 3, "load": 4 + 3, "load_dep": 2 + 3, "load_store": 2 + 3,
    "store_reg": 1 + 3, "agu": 2 + 3, "ldm5": (1 + 3) + 3, "push_pop": (1 + 2) + (1 + 2) + 3,
    "mul": 4 + 3, "mla": 2 + 3, "umull": 2 + 3, "udiv": 24 + 3, "taken": (1 + 1) + 3,
    "not_taken": 2 + 3, "smlad": 4 + 3, "fp": 3 + 3, "fdiv": 14 + 3,
}
# Cortex-M55: 1-cycle issue, LDM 2 registers per cycle, refill 2 (overhead 4),
# MVE 4 beats at 2 beats per cycle = 2 cycles, LE refill 0.
M55 = {
    "empty": 4, "alu": 4 + 4, "load": 4 + 4, "load_dep": 2 + 4, "load_store": 2 + 4,
    "store_reg": 1 + 4, "agu": 2 + 4, "ldm5": (1 + 3) + 4, "push_pop": (1 + 2) + (1 + 2) + 4,
    "mul": 4 + 4, "mla": 2 + 4, "umull": 2 + 4, "udiv": 24 + 4, "taken": (1 + 2) + 4,
    "not_taken": 2 + 4, "smlad": 4 + 4, "fp": 3 + 4, "fdiv": 14 + 4,
    "mve": 2 + 2 + 4,        # VLDRW 2, VADD 2
    "lob": 1 + 1,            # ADDS 1, LE 1 + 0: the low-overhead loop has no refill
}
RV_BODY_INSNS = {"empty": 2, "alu": 6, "load": 6, "store": 4, "mul": 6, "mulh": 4, "div": 4,
                 "taken": 3, "not_taken": 3}
# lowRISC Ibex "small" (Pipeline Details table): taken branch 1 + 2 (overhead 4).
IBEX = {
    "empty": 4, "alu": 4 + 4, "load": 4 * 2 + 4, "store": 2 * 2 + 4, "mul": 4 * 3 + 4,
    "mulh": 2 * 4 + 4, "div": 2 * 38 + 4,
    "taken": (1 + 1) + 4,    # JAL: 1 + 1 (jump), the NOP is skipped
    "not_taken": 1 + 4,      # BEQZ not taken: 1
}

ARM_ORDER = ["empty", "alu", "load", "load_dep", "load_store", "store_reg", "agu", "ldm5",
             "push_pop",
             "mul", "mla", "umull", "udiv", "taken", "not_taken"]
CASES = {
    "mps2-an385": (ARM_ORDER, M3, ARM_BODY_INSNS),
    "mps2-an386": ([*ARM_ORDER, "smlad", "fp", "fdiv"], M4, ARM_BODY_INSNS),
    "mps2-an500": ([*ARM_ORDER, "smlad", "fp", "fdiv"], M7, ARM_BODY_INSNS),
    "mps3-an547": ([*ARM_ORDER, "smlad", "fp", "fdiv", "mve", "lob"], M55, ARM_BODY_INSNS),
    "riscv32-virt": (["empty", "alu", "load", "store", "mul", "mulh", "div", "taken",
                      "not_taken"], IBEX, RV_BODY_INSNS),
}


@pytest.fixture(scope="module")
def qemu():
    from tfm_ci.plugins.qemu.simulator import QemuSimulator

    sim = QemuSimulator()
    if sim.unavailable_reason():
        pytest.fail(sim.unavailable_reason())
    return sim


def build(registry, board_name: str, out_dir: Path):
    board = registry.board(board_name)
    toolchain = registry.platform_of(board).toolchain
    return board, compile_elf(board, toolchain, [FIRMWARE],
                              out_dir / board_name / "cycles.elf")


def run_spans(qemu, board, elf: Path, workdir: Path, loops: int) -> list[tuple[int, int | None]]:
    """(instructions, cycles) between each op_begin/op_end pair."""
    blob = b"TFMI" + struct.pack("<IIII", 1, 4, 0, loops)
    result = qemu.run(make_request(elf, board, workdir=workdir, timeout=30, inputs=blob))
    assert result.error is None, result.error
    assert result.exit_code == 0, result.transcript
    hits = result.markers
    assert [h.marker for h in hits] == ["op_begin", "op_end"] * (len(hits) // 2)
    return [(end.instructions - begin.instructions,
             None if end.cycles is None else end.cycles - begin.cycles)
            for begin, end in zip(hits[::2], hits[1::2], strict=True)]


@pytest.mark.parametrize("board_name", sorted(CASES))
def test_micro_benchmarks_match_the_timing_table(registry, qemu, sim_build_dir, tmp_path,
                                                 board_name):
    order, cycles, insns = CASES[board_name]
    board, elf = build(registry, board_name, sim_build_dir)
    short = run_spans(qemu, board, elf, tmp_path / "short", SHORT)
    long = run_spans(qemu, board, elf, tmp_path / "long", LONG)
    assert len(short) == len(order), f"firmware ran {len(short)} kernels, expected {order}"
    got, want = {}, {}
    for name, (i0, c0), (i1, c1) in zip(order, short, long, strict=True):
        assert (i1 - i0) == (LONG - SHORT) * insns[name], f"{name}: instructions per iteration"
        got[name] = (c1 - c0) / (LONG - SHORT)
        want[name] = cycles[name]
    assert got == want


@pytest.mark.parametrize("board_name", ["mps2-an386", "riscv32-virt"])
def test_estimate_is_deterministic_and_leaves_instruction_counts_alone(
        registry, qemu, sim_build_dir, tmp_path, board_name):
    board, elf = build(registry, board_name, sim_build_dir)
    first = run_spans(qemu, board, elf, tmp_path / "a", SHORT)
    again = run_spans(qemu, board, elf, tmp_path / "b", SHORT)
    assert first == again
    assert all(c is not None and c > 0 for _, c in first)
    # A core without a timing model runs the plain counter: same instructions.
    untimed = dataclasses.replace(board, core="cortex-m33" if board_name != "riscv32-virt"
                                  else "rv64gc")
    plain = run_spans(qemu, untimed, elf, tmp_path / "c", SHORT)
    assert [i for i, _ in plain] == [i for i, _ in first]
    assert all(c is None for _, c in plain)


def test_unknown_cycle_model_is_refused_by_name(registry, qemu, sim_build_dir, tmp_path):
    from tfm_ci.api import read_elf, run_process
    from tfm_ci.plugins.qemu import counting

    board, elf = build(registry, "mps2-an386", sim_build_dir)
    cmd = qemu.command(make_request(elf, board, workdir=tmp_path, timeout=30,
                                    count_instructions=False))
    cmd += ["-plugin", counting.plugin_argument(counting.plugin_library(), tmp_path / "log",
                                                read_elf(elf).markers(), "cortex-m99")]
    proc = run_process(cmd, timeout=30, cwd=tmp_path)
    assert proc.returncode != 0
    assert "unknown cycle model 'cortex-m99'" in proc.stderr and "cortex-m4" in proc.stderr
