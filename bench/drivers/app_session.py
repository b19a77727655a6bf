"""Starting the real app (and the floor apps) in a pty, and what to wait for.

Everything the bench assumes about the app's keys and screen text is here, in
one place, so a change to the UI is a change to this file only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bench.drivers.floor_apps import MARKERS
from bench.drivers.pty_driver import Burst, PtyApp, terminal_env
from bench.harness.core import PY, REPO, TODAY

#: keys the app binds (see medoffice_tui/ui/app.py)
APP_KEYS = {
    "schedule": "f2",
    "patients": "f3",
    "claims": "f4",
    "stock": "f5",
    "next_day": "]",
    "prev_day": "[",
    "clear_search": "ctrl+u",
    "stock_toggle": "tab",
    "claims_status": "s",
}
PANES = ("schedule", "patients", "claims", "stock")


def app_argv(db: Path) -> list[str]:
    return [PY, "-m", "medoffice_tui", "--db", str(db), "--today", TODAY.isoformat()]


def floor_argv(name: str) -> list[str]:
    return [PY, "-m", "bench.drivers.floor_apps", name]


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


#: the demo's front-desk account (the sign-in screen lists it on a demo database)
DEMO_SIGN_IN = b"frontdesk\rfrontdesk-demo\r"


def sign_in_ready(app: PtyApp) -> bool:
    """The sign-in screen is complete: the boxes, and the demo accounts read from the db."""
    return app.has_text("Username") and app.has_text("frontdesk-demo")


def schedule_marker(db: Path) -> Ready:
    """What "first complete frame" means for the app: its sign-in screen, whole."""
    return sign_in_ready


def sign_in(app: PtyApp, *, timeout_s: float = 60.0) -> Burst:
    """Type the demo account's name and password in one write, as a desk would, and wait
    for the schedule. The burst is the sign-in's cost (password check, first pane).

    The write waits until the app is idle: a person takes seconds to type a name and a
    password, and the app spends them importing the panes (``registry.preload``)."""
    ready = app.wait_until(sign_in_ready, quiet_s=0.05, timeout_s=timeout_s)
    if not ready.matched:
        raise RuntimeError("sign-in screen never painted:\n" + app.screen_text())
    app.wait_cpu_idle()
    burst = app.send(DEMO_SIGN_IN, quiet_s=0.05, max_s=timeout_s, until=lambda: schedule_ready(app))
    if not schedule_ready(app):
        raise RuntimeError("the schedule never showed after signing in:\n" + app.screen_text())
    return burst


def floor_marker(name: str) -> Ready:
    marker = MARKERS[name]
    return lambda app: app.has_text(marker)


def profiled_app_argv(db: Path, out: Path) -> list[str]:
    """The app under cProfile (main thread only; thread workers are not profiled)."""
    return [PY, "-m", "cProfile", "-o", str(out), *app_argv(db)[1:]]
