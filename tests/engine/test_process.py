"""The engine's process runner: bounded output, kill on timeout, truncated lines."""

from __future__ import annotations

import os
import sys

import pytest

from tfm_ci.plugins.qemu.counting import parse_log
from tfm_ci.process import BoundedBuffer, failure_text, run_process
from tfm_ci.simulator import MarkerHit


def _py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_bounded_buffer_keeps_head_and_tail_and_counts_the_rest() -> None:
    buf = BoundedBuffer(head=10, tail=5)
    for chunk in (b"0123456", b"789abc\n", b"def\nghij", b"KLMNO"):
        buf.write(chunk)
    total = len(b"0123456789abc\ndef\nghijKLMNO")
    assert buf.dropped == total - 15 and buf.dropped_lines == 2
    assert buf.getvalue() and buf.reported == total
    # Only whole lines survive on each side of the gap: the head "0123456789" is a cut
    # line and the tail "KLMNO" too, so both are dropped and counted.
    assert buf.getvalue() == f"[tfm-ci: {total:,} bytes (2 line breaks) of output dropped]\n" \
        .encode()


def test_bounded_buffer_keeps_whole_lines_around_the_gap() -> None:
    buf = BoundedBuffer(head=12, tail=14)
    buf.write(b"TFM BEGIN\nTFM OUTPUT 0 0 INT8 1 05\n" + b"x\n" * 100 + b"TFM END PASS\n")
    text = buf.getvalue().decode()
    lines = text.splitlines()
    assert lines[0] == "TFM BEGIN" and lines[-1] == "TFM END PASS"
    assert lines[1].startswith("[tfm-ci: ") and lines[1].endswith(" of output dropped]")
    assert len(lines) == 3 and text.endswith("\n")


def test_small_output_is_kept_whole() -> None:
    proc = run_process(_py("print('TFM BEGIN v1'); print('TFM END PASS')"), timeout=30)
    assert proc.stdout == "TFM BEGIN v1\nTFM END PASS\n" and proc.returncode == 0
    assert proc.stdout_dropped == 0 and not proc.timed_out


def test_runaway_output_is_bounded() -> None:
    # 8 MiB of output against a 64 KiB head and 16 KiB tail.
    code = "import sys\nfor i in range(8 * 1024):\n    sys.stdout.write('x' * 1023 + '\\n')\n"
    code += "sys.stdout.write('LAST LINE\\n')"
    proc = run_process(_py(code), timeout=60, head=64 * 1024, tail=16 * 1024)
    assert proc.returncode == 0
    produced = 8 * 1024 * 1024 + len("LAST LINE\n")
    assert proc.stdout.endswith("LAST LINE\n")
    assert len(proc.stdout) < 90 * 1024
    marker = next(line for line in proc.stdout.splitlines() if line.startswith("[tfm-ci: "))
    # every byte is either kept or counted as dropped (the marker line is ours)
    assert len(proc.stdout.encode()) - len(marker) - 1 + proc.stdout_dropped == produced
    assert f"{proc.stdout_dropped:,} bytes" in marker


def test_timeout_kills_and_keeps_a_truncated_last_line() -> None:
    code = "import sys, time\nsys.stdout.write('TFM BEGIN v1\\nTFM OUT'); sys.stdout.flush()\n"
    code += "time.sleep(60)"
    proc = run_process(_py(code), timeout=1.5)
    assert proc.timed_out and proc.returncode is None
    assert proc.stdout == "TFM BEGIN v1\nTFM OUT"
    assert proc.seconds < 30
    assert failure_text("py", proc) is None            # a timeout is the job's verdict


def test_signal_and_early_exit_are_simulator_failures() -> None:
    proc = run_process(_py("import os, signal; os.kill(os.getpid(), signal.SIGKILL)"),
                       timeout=30)
    assert "killed by signal 9" in (failure_text("py", proc) or "")
    proc = run_process(_py("import sys; sys.stderr.write('no machine\\n'); sys.exit(1)"),
                       timeout=30)
    assert failure_text("qemu", proc) == "qemu exited with status 1: no machine"


def test_count_log_drops_a_line_cut_by_a_kill() -> None:
    hits, total = parse_log("op_begin 10\nop_end 20\nop_beg")
    assert hits == [MarkerHit("op_begin", 10), MarkerHit("op_end", 20)] and total is None
    hits, total = parse_log("op_begin 10\ntotal 99\n")
    assert total == 99 and len(hits) == 1


@pytest.mark.skipif(not os.path.exists("/proc/self/cmdline"), reason="needs Linux /proc")
def test_a_looked_up_executable_runs_with_the_command_as_argv(tmp_path) -> None:
    """`executable` is the file that runs; cmd[0] is still its argv[0], and the run is
    in `cwd` as without it."""
    code = ("import os; print(open('/proc/self/cmdline').read().split(chr(0))[0], "
            "os.getcwd())")
    proc = run_process(["tfm-no-such-program", "-c", code], timeout=30, cwd=tmp_path,
                       executable=sys.executable)
    assert proc.returncode == 0 and proc.stdout.split() == ["tfm-no-such-program",
                                                           str(tmp_path)]
