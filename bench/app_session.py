"""Starting the real app (and the floor apps) in a pty, and what to wait for.

Everything the bench assumes about the app's keys and screen text is here, in
one place, so a change to the UI is a change to this file only.
"""

from __future__ import annotations

from pathlib import Path

from bench.core import PY, REPO, TODAY
from bench.floor_apps import MARKERS
from bench.pty_driver import PtyApp, terminal_env

#: keys the app binds (see medoffice_tui/ui/app.py)
APP_KEYS = {
    "schedule": "f2",
    "patients": "f3",
    "claims": "f4",
    "stock": "f5",
    "next_day": "right",
    "prev_day": "left",
    "clear_search": "ctrl+u",
    "stock_toggle": "tab",
    "claims_status": "s",
}
PANES = ("schedule", "patients", "claims", "stock")


def app_argv(db: Path) -> list[str]:
    return [PY, "-m", "medoffice_tui", "--db", str(db), "--today", TODAY.isoformat()]


def floor_argv(name: str) -> list[str]:
    return [PY, "-m", "bench.floor_apps", name]


def spawn(argv: list[str], *, cols: int = 80, rows: int = 24) -> PtyApp:
    return PtyApp(argv, cols=cols, rows=rows, env=terminal_env(), cwd=str(REPO)).start()


#: on screen only once the schedule pane has shown its data: the status line
#: reads "... loading..." until the day arrives, then "N appts: ..."
SCHEDULE_READY = "appts:"


def schedule_marker(db: Path) -> str:
    """Text that is on screen only once the schedule pane has its data."""
    return SCHEDULE_READY


def floor_marker(name: str) -> str:
    return MARKERS[name]


def profiled_app_argv(db: Path, out: Path) -> list[str]:
    """The app under cProfile (main thread only; thread workers are not profiled)."""
    return [PY, "-m", "cProfile", "-o", str(out), *app_argv(db)[1:]]
