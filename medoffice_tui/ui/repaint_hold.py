"""Holding the app's repaints across a few awaits (a pane's first show).

``App.batch_update`` is a context manager for one synchronous block; a pane's first
show spans awaits (its mount, its first read), so the hold is taken here and ended by
a call, made at most once, with a timer that ends it regardless.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

#: the longest a hold may last (a pane's first show normally ends it a few tens of
#: ms after the key, and at most ``FIRST_SHOW_WAIT_S`` plus the mount)
HOLD_MAX_S = 2.0


def hold_repaints(app: App[Any], max_s: float = HOLD_MAX_S) -> Callable[[], None]:
    """Nothing is drawn until the returned call (or ``max_s`` seconds): what changes
    meanwhile is drawn then, in one frame."""
    batch = app.batch_update()
    batch.__enter__()
    ended = False

    def end() -> None:
        nonlocal ended
        if not ended:
            ended = True
            timer.stop()  # no timer left behind to wake an idle app
            batch.__exit__(None, None, None)

    timer = app.set_timer(max_s, end, name="repaint-hold")
    return end
