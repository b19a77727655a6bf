"""Garbage collected between keys, never in a key's frame (mixed into ``MedofficeApp``).

The collector is paused while the app starts (``launch``) and the panes' widgets are
frozen out of its way once built (``launch.keep_built``); what a key leaves behind is
collected once the desk has stopped typing and the screen has stopped drawing.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from medoffice_tui import clock, launch
from medoffice_tui.ui.textual_fixes import release_closed_widgets

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen
    from textual.timer import Timer

#: how long without a key, and without a frame drawn, before the app collects its
#: garbage (``_collect_when_idle``): the pause between two keys of a desk at work
IDLE_COLLECT_S = 0.3
QUIET_FRAMES_S = 0.1


class IdleCollectMixin:
    """Counts the last key and the last frame; collects once both are quiet."""

    _last_input: float
    _last_frame: float
    _collect_timer: Timer | None

    def _collect_after_key(self) -> None:
        """A key came (``on_event``): a collection once the desk pauses."""
        if self._collect_timer is None and launch.collects_when_idle():
            self._arm_collect(IDLE_COLLECT_S)

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        if renderable is not None:
            self._last_frame = clock.monotonic()
        super()._display(screen, renderable)  # type: ignore[misc]

    def _arm_collect(self, delay: float) -> None:
        """One timer after a key: the garbage the key made is collected once the desk
        has stopped typing for IDLE_COLLECT_S (``launch.collect_garbage``), never in a
        key's frame; an app nobody touches wakes for it once, then not again."""
        set_timer = self.set_timer  # type: ignore[attr-defined]
        self._collect_timer = set_timer(delay, self._collect_when_idle, name="idle-gc")

    def _collect_when_idle(self) -> None:
        now = clock.monotonic()
        wait = max(
            IDLE_COLLECT_S - (now - self._last_input),
            QUIET_FRAMES_S - (now - self._last_frame),
        )
        if wait > 0:  # a key since, or the screen still drawing what one asked for
            self._arm_collect(max(wait, 0.02))
            return
        self._collect_timer = None
        _young, since_middle, since_full = gc.get_count()
        if since_middle or since_full:  # anything to collect beyond the newest objects
            release_closed_widgets()
            launch.collect_garbage()
