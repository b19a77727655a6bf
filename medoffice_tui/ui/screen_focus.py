"""A screen that does not repaint itself whole when the focus moves.

Textual's ``Screen.focused`` is a reactive that repaints: every focus change (a pane
switch, Tab between a form's fields, a dialog opening) marks the whole screen for
repainting, although the two widgets whose focus changed restyle and repaint
themselves (``:focus``, ``:focus-within``). Together with a layout pass in the same
refresh (a pane switch flips ``display``), Textual then sent the whole screen twice
in one frame (measured over a pty at 80x24: each pane switch sent its screen twice,
3.6 KB each). Screens that mix this in before the Textual class keep the binding
refresh that watches ``focused`` and drop the repaint.
"""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widget import Widget


class QuietFocus:
    """Mix in before the Textual class: ``class MyScreen(QuietFocus, Screen)``."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
