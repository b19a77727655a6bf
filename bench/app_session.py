"""Starting the real app (and the floor apps) in a pty, and what to wait for.

Everything the bench assumes about the app's keys and screen text is here, in
one place, so a change to the UI is a change to this file only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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


#: the schedule status line once the day has arrived: "... (today)  All providers  118: 80 booked"
#: (it reads "... loading..." until then)
_SCHEDULE_COUNTS = re.compile(r"\d+ booked")

Ready = Callable[[PtyApp], bool]


def schedule_ready(app: PtyApp) -> bool:
    """The schedule pane shows its data: the day's counts are on screen, no "loading"."""
    text = app.screen_text()
    return bool(_SCHEDULE_COUNTS.search(text)) and "loading" not in text


def schedule_marker(db: Path) -> Ready:
    """What "first complete frame" means for the app (same for every database)."""
    return schedule_ready


def floor_marker(name: str) -> Ready:
    marker = MARKERS[name]
    return lambda app: app.has_text(marker)


def profiled_app_argv(db: Path, out: Path) -> list[str]:
    """The app under cProfile (main thread only; thread workers are not profiled)."""
    return [PY, "-m", "cProfile", "-o", str(out), *app_argv(db)[1:]]
