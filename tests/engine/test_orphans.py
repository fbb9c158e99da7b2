"""Children we start die with us, however we end (tfm_ci.orphans): a simulator left
behind by a killed fleet would run on with nobody enforcing its timeout."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil
import pytest

from tfm_ci import orphans

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX process model")


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture
def sleepers() -> Iterator[Callable[[], subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        proc = subprocess.Popen(["sleep", "300"])
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_killed_process_takes_its_running_children_along(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    code = ("from tfm_ci.process import run_process\n"
            f"run_process(['sh', '-c', 'echo $$ > {pidfile}; exec sleep 300'], timeout=600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        assert wait_until(lambda: pidfile.is_file() and pidfile.read_text().strip() != "", 60)
        child = int(pidfile.read_text())
        assert alive(child)
        parent.send_signal(signal.SIGKILL)    # no chance to clean up
        parent.wait(timeout=30)
        assert wait_until(lambda: not alive(child)), "the child outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_children_not_yet_adopted_die_too(tmp_path: Path) -> None:
    """Killed between a child's start and its adopt (its pid is known only once it
    exists): the child, and its own child, carry our token and die with us anyway."""
    pidfile = tmp_path / "child.pid"
    code = ("import subprocess, time\n"
            "from tfm_ci import orphans\n"
            "subprocess.Popen(['sh', '-c', 'sleep 300 & echo $$ $! > " + str(pidfile) + "; wait'],"
            " env=orphans.child_env())\n"
            "time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        assert wait_until(lambda: pidfile.is_file() and len(pidfile.read_text().split()) == 2,
                          60)
        kids = [int(p) for p in pidfile.read_text().split()]
        assert all(alive(k) for k in kids)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        assert wait_until(lambda: not any(alive(k) for k in kids)), "a child outlived us"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_only_children_still_running_are_killed(sleepers: Callable[[], subprocess.Popen]
                                                ) -> None:
    guard = orphans._Guard()
    running, reaped = sleepers(), sleepers()
    guard.adopt(running.pid)
    guard.adopt(reaped.pid)
    guard.release(reaped.pid)        # as after its end: its pid could be another's now
    watchdog = guard.watchdog_pid()
    assert watchdog is not None and alive(watchdog)
    os.close(guard._pipe)            # what our death does to the pipe
    assert wait_until(lambda: running.poll() is not None)
    assert running.returncode == -signal.SIGKILL
    assert reaped.poll() is None     # released: left alone
    assert wait_until(lambda: not alive(watchdog))     # and the watchdog is gone too


def test_a_dead_watchdog_is_replaced_and_told_every_child(
        sleepers: Callable[[], subprocess.Popen]) -> None:
    guard = orphans._Guard()
    first, second = sleepers(), sleepers()
    guard.adopt(first.pid)
    old = guard.watchdog_pid()
    assert old is not None
    os.kill(old, signal.SIGKILL)
    assert wait_until(lambda: not alive(old))
    guard.adopt(second.pid)          # the write fails: a new watchdog, told of both
    new = guard.watchdog_pid()
    assert new is not None and new != old
    os.close(guard._pipe)
    assert wait_until(lambda: first.poll() is not None and second.poll() is not None)


def test_a_forked_child_lets_go_of_its_parents_pipe(
        sleepers: Callable[[], subprocess.Popen]) -> None:
    """A child made by fork() (which copies every descriptor) closes its copy of the
    pipe: while it lives, the parent's watchdog still sees the parent's end."""
    guard = orphans._Guard()
    mine = sleepers()
    guard.adopt(mine.pid)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                      # the child: as the at-fork hook does, then linger
        guard.forked()
        os.write(write, b"ready")
        time.sleep(5)
        os._exit(0)
    try:
        os.close(write)
        assert os.read(read, 5) == b"ready"
        os.close(guard._pipe)         # the parent's end only
        assert wait_until(lambda: mine.poll() is not None, 4)    # before the child ends
    finally:
        os.close(read)
        os.waitpid(pid, 0)


def test_folders_listed_are_removed_when_we_are_killed(tmp_path: Path) -> None:
    """A worker's scratch folder (shipped ELFs, job folders) goes with it even on SIGKILL,
    when no atexit handler runs."""
    pidfile = tmp_path / "ready"
    code = ("import time\n"
            "from tfm_ci.fleet import images\n"
            "folder = images.ship_dir()\n"
            "(folder / 'elf').write_bytes(b'x')\n"
            f"open({str(pidfile)!r}, 'w').write(str(folder))\n"
            "time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        assert wait_until(lambda: pidfile.is_file() and pidfile.read_text() != "", 60)
        folder = Path(pidfile.read_text())
        assert (folder / "elf").is_file()
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        assert wait_until(lambda: not folder.exists()), f"{folder} outlived its process"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
