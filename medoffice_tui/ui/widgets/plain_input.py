"""An Input whose cursor does not blink.

A blinking cursor repaints twice a second: over SSH that is ~1.7 KB/s from a screen
nobody is touching. Every text box in the app is this class, so an idle screen
sends nothing.
"""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Input


class PlainInput(Input):
    """:class:`textual.widgets.Input` with ``cursor_blink`` off from the start."""

    cursor_blink = reactive(False, init=False)
