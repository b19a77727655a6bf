"""An Input whose cursor does not blink, and that is cheap to build.

A blinking cursor repaints twice a second: over SSH that is ~1.7 KB/s from a screen
nobody is touching. Every text box in the app is this class, so an idle screen
sends nothing.

Textual's Input sets its ``compact`` class in ``__init__`` and its ``-valid`` class
on its first value; each class change styles the widget there and then, against the
whole stylesheet, before it is even mounted (3-7 ms a box on this machine), and it is
styled again when mounted. Here both classes are put on without that first styling:
a form of a dozen boxes opens tens of milliseconds sooner.
"""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive
from textual.widgets import Input


class PlainInput(Input):
    """:class:`textual.widgets.Input` with ``cursor_blink`` off from the start."""

    cursor_blink = reactive(False, init=False)

    def __init__(
        self, *args: Any, compact: bool = False, classes: str | None = None, **kwargs: Any
    ) -> None:
        if not kwargs.get("validators"):  # what ``validate`` sets on the first value
            classes = f"{classes} -valid" if classes else "-valid"
        super().__init__(*args, compact=False, classes=classes, **kwargs)
        if compact:
            self.set_reactive(Input.compact, True)
            self.add_class("-textual-compact", update=False)
