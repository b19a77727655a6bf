"""The terminal around the app: a hung-up terminal ends it at once, a small window says so.

The hang-up tests start the real program in a pseudo-terminal (directly, and through
``make run``), wait for the sign-in screen, then close the terminal, as a dropped SSH
connection does: within a second no process of it may be left.
"""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medoffice_tui.ui.screens.lock import LockScreen
from medoffice_tui.ui.screens.too_small import TooSmallScreen

from .conftest import DEMO_TODAY, SIZE
from .test_app import list_of, settle

# timed against the wall clock (a hang-up within a second, a change within two): run
# alone, after the rest, so parallel workers do not slow them past their limits
pytestmark = pytest.mark.serial

REPO = Path(__file__).resolve().parents[2]


async def test_resizing_down_to_60x20_and_below_and_back_never_crashes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", *"smi")
        await settle(app, pilot)
        for size in ((60, 20), (100, 40), (60, 16), (40, 10), (59, 24), (80, 24), (160, 48)):
            await pilot.resize_terminal(*size)
            await settle(app, pilot)
            small = size[0] < 60 or size[1] < 16
            assert isinstance(app.screen, TooSmallScreen) is small, size
            if small:
                text = str(app.screen.query_one("#too-small").render())
                assert f"({size[0]}x{size[1]})" in text and "at least 60x16" in text
        await pilot.resize_terminal(*SIZE)
        await settle(app, pilot)
        assert app.query_one("#patient-search").value == "smi"  # where it was
        assert list_of(app, "#patients-list").row_count > 0
        assert app.is_running and app._exception is None


async def test_keys_do_nothing_while_the_window_is_too_small(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.resize_terminal(40, 10)
        await settle(app, pilot)
        await pilot.press("f4", "ctrl+l")
        await settle(app, pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert not any(isinstance(s, LockScreen) for s in app.screen_stack)


def _start_in_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[int, int]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program, with the pty as its controlling terminal
        os.environ.update(env)
        os.execvp(argv[0], argv)
    output = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and b"Username" not in output:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                output += os.read(fd, 65536)
            except OSError:
                break
    assert b"Username" in output, output[-400:]
    return pid, fd


def _living(group: int) -> list[str]:
    found = subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True)
    alive = []
    for pid in found.stdout.split():
        try:
            if open(f"/proc/{pid}/stat").read().split()[2] != "Z":
                alive.append(pid)
        except OSError:
            pass
    return alive


def _hang_up_and_wait(pid: int, fd: int) -> float:
    started = time.monotonic()
    os.close(fd)  # the terminal goes away, as when an SSH connection drops
    exited = False
    while time.monotonic() - started < 5:
        if not exited and os.waitpid(pid, os.WNOHANG)[0]:
            exited = True
        if exited and not _living(pid):
            return time.monotonic() - started
        time.sleep(0.02)
    for leftover in _living(pid):
        os.kill(int(leftover), 9)
    pytest.fail(f"processes left {time.monotonic() - started:.1f} s after the hang-up")


@pytest.mark.slow
def test_closing_the_terminal_ends_the_app_at_once(demo_db_file, tmp_path) -> None:
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, db)
    argv = [sys.executable, "-m", "medoffice_tui", "--db", str(db), "--today", str(DEMO_TODAY)]
    pid, fd = _start_in_a_terminal(argv, {"TERM": "xterm", "MEDOFFICE_LOG_DIR": str(tmp_path)})
    assert _hang_up_and_wait(pid, fd) < 1.0


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_closing_the_terminal_of_make_run_leaves_no_process(demo_db_file, tmp_path) -> None:
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, db)
    argv = ["make", "-s", "-C", str(REPO), "run", f"DEMO_DB={db}", f"ARGS=--today {DEMO_TODAY}"]
    pid, fd = _start_in_a_terminal(argv, {"TERM": "xterm", "MEDOFFICE_LOG_DIR": str(tmp_path)})
    assert _hang_up_and_wait(pid, fd) < 1.0


@pytest.mark.slow
def test_end_of_input_ends_the_app(demo_db_file, tmp_path) -> None:
    """stdin at end of file (a closed pipe) must not spin: the app leaves."""
    db = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, db)
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm", "MEDOFFICE_LOG_DIR": str(tmp_path)})
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.execvp(sys.executable, [sys.executable, "-m", "medoffice_tui", "--db", str(db)])
    started = time.monotonic()
    try:
        while time.monotonic() - started < 10:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            select.select([fd], [], [], 0.1)
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        else:
            os.kill(pid, 9)
            pytest.fail("the app was still running 10 s after its input ended")
    finally:
        os.close(fd)
