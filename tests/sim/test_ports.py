"""Board ports and the QEMU backend, with a probe firmware (tests/sim/fw/probe.c)
that needs no interpreter: boot, inputs loading, stack high-water mark,
exact instruction counts at the markers, fault report and timeout."""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from tests.sim.conftest import sim_run
from tests.sim.fwbuild import REPO, compile_elf
from tfm_ci.transcript import parse

PROBE = REPO / "tests" / "sim" / "fw" / "probe.c"
BOARDS = ("mps2-an385", "mps2-an386", "mps2-an500", "mps3-an547", "netduinoplus2",
          "riscv32-virt")
MARKER_ORDER = ["init_begin", "init_end", "invoke_begin", "op_begin", "op_end", "invoke_end"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qemu():
    from tfm_ci.plugins.qemu.simulator import QemuSimulator

    sim = QemuSimulator()
    if sim.unavailable_reason():
        pytest.fail(sim.unavailable_reason())
    return sim


def build_probe(registry, board_name: str, out_dir: Path, *defines: str) -> tuple:
    board = registry.board(board_name)
    toolchain = registry.platform_of(board).toolchain
    tag = "-".join(d.replace("=", "") for d in defines) or "default"
    elf = compile_elf(board, toolchain, [PROBE], out_dir / board_name / f"probe-{tag}.elf",
                      defines)
    return board, elf


def write_inputs(workdir: Path, invocations: int, data: bytes) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    header = b"TFMI" + struct.pack("<III", invocations, len(data), 0)
    (workdir / "inputs.bin").write_bytes(header + data)


@pytest.mark.parametrize("board_name", BOARDS)
def test_probe_boots_with_inputs_stack_and_markers(registry, qemu, sim_build_dir, tmp_path,
                                                   board_name):
    board, elf = build_probe(registry, board_name, sim_build_dir)
    invocations, data = random.Random(board_name).randint(2, 999), b"\x01\x02\x03\x04\x05"
    write_inputs(tmp_path, invocations, data)
    result = sim_run(qemu, elf, board, timeout=20, workdir=tmp_path)
    assert result.error is None, result.error
    assert result.exit_code == 0, result.transcript
    t = parse(result.transcript)
    assert t.passed, result.transcript
    assert f"TFM PROBE magic=ok invocations={invocations} bytes={len(data)}" in t.other_lines
    # probe.c's use_stack() touches a 2 KiB local array.
    assert t.stack["size"] == board.stack_size
    assert 2048 <= t.stack["used"] < t.stack["size"]
    assert [m.marker for m in result.markers] == MARKER_ORDER
    counts = [m.instructions for m in result.markers]
    assert counts == sorted(counts) and counts[0] > 0


@pytest.mark.parametrize("board_name", ["mps2-an386", "riscv32-virt"])
def test_marker_counts_are_exact_and_repeatable(registry, qemu, sim_build_dir, tmp_path,
                                                board_name):
    """The probe's loop is 2 instructions per iteration: 2000 more iterations
    must add exactly 4000 instructions between op_begin and op_end."""
    write_inputs(tmp_path, 1, b"")

    def op_span(elf: Path) -> tuple[int, list]:
        result = sim_run(qemu, elf, board, timeout=20, workdir=tmp_path)
        assert result.exit_code == 0, result.transcript
        hits = {m.marker: m.instructions for m in result.markers}
        return hits["op_end"] - hits["op_begin"], [(m.marker, m.instructions)
                                                   for m in result.markers]

    board, short = build_probe(registry, board_name, sim_build_dir, "PROBE_LOOPS=1000")
    _, long = build_probe(registry, board_name, sim_build_dir, "PROBE_LOOPS=3000")
    span_short, first = op_span(short)
    span_short_again, second = op_span(short)
    span_long, _ = op_span(long)
    assert first == second
    assert span_short == span_short_again
    assert span_long - span_short == 4000


@pytest.mark.parametrize("board_name", ["mps2-an386", "mps3-an547", "riscv32-virt"])
def test_fault_is_reported_with_pc(registry, qemu, sim_build_dir, tmp_path, board_name):
    board, elf = build_probe(registry, board_name, sim_build_dir, "PROBE_FAULT")
    write_inputs(tmp_path, 1, b"")
    result = sim_run(qemu, elf, board, timeout=20, workdir=tmp_path)
    assert result.error is None
    assert result.exit_code == 3, result.transcript
    t = parse(result.transcript)
    assert t.fault is not None, result.transcript
    assert not t.passed
    # probe.c jumps to 0xfffffff0 (no memory there, and an invalid state on Arm).
    assert int(t.fault["pc"], 16) & ~1 == 0xFFFFFFF0
    assert {"lr", "sp"} <= set(t.fault)
    expected = {"mcause", "mtval"} if board_name.startswith("riscv") else {"cfsr", "hfsr"}
    assert expected <= set(t.fault)


def test_hang_times_out(registry, qemu, sim_build_dir, tmp_path):
    board, elf = build_probe(registry, "mps2-an386", sim_build_dir, "PROBE_HANG")
    write_inputs(tmp_path, 1, b"")
    result = sim_run(qemu, elf, board, timeout=1.0, workdir=tmp_path)
    assert result.timed_out
    assert result.exit_code is None
    assert "TFM BEGIN v1" in result.transcript
    assert parse(result.transcript).end is None


def test_inputs_larger_than_region_are_refused(registry, qemu, sim_build_dir, tmp_path):
    board, elf = build_probe(registry, "mps2-an386", sim_build_dir)
    write_inputs(tmp_path, 1, bytes(100))   # probe.c's region holds 64 bytes
    result = sim_run(qemu, elf, board, timeout=5, workdir=tmp_path)
    assert result.error is not None and "tfm_inputs_region" in result.error


def test_cmsdk_timer_cost_fallback_under_icount(registry, qemu, sim_build_dir, tmp_path):
    """-DTFM_COST_TIMER + -icount: the CMSDK timer ticks once per 40 instructions,
    so 200000 more 2-instruction iterations add 10000 ticks (+-1 for phase)."""
    import dataclasses

    write_inputs(tmp_path, 1, b"")
    ticks = []
    for loops in (100000, 300000):
        board, elf = build_probe(registry, "mps2-an386", sim_build_dir, "TFM_COST_TIMER",
                                 f"PROBE_LOOPS={loops}")
        qemu_settings = dict(board.simulators["qemu"])
        qemu_settings["args"] = ["-icount", "shift=0,align=off,sleep=off"]
        board = dataclasses.replace(board, simulators={**board.simulators, "qemu": qemu_settings})
        result = sim_run(qemu, elf, board, timeout=20, workdir=tmp_path, count_instructions=False)
        assert result.exit_code == 0, result.transcript
        line = next(x for x in result.transcript.splitlines() if x.startswith("TFM PROBE cost="))
        assert line.endswith("unit=ticks")
        ticks.append(int(line.split()[2].split("=")[1]))
    assert abs((ticks[1] - ticks[0]) - 10000) <= 1, ticks
