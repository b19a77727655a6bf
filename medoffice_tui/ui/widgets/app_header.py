"""The one-line header: current pane, practice, today's date, the time and who is signed in.

Textual's ``Header`` carries a clock that repaints every second. This one shows hours
and minutes from the app's clock (so ``--today`` and tests control it) and repaints
once a minute, on the minute: a few dozen bytes a minute on an idle screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from medoffice_tui import clock
from medoffice_tui.services.text import display


class AppHeader(Widget):
    """Pane title on the left, practice in the middle, date and user on the right."""

    pane_title: reactive[str] = reactive("")
    practice: reactive[str] = reactive("")
    date_text: reactive[str] = reactive("")
    time_text: reactive[str] = reactive("")
    user: reactive[str] = reactive("")

    def on_mount(self) -> None:
        self._tick()

    def _tick(self) -> None:
        """Show the time, and come back at the start of the next minute."""
        now = clock.now()
        self.date_text = now.strftime("%a %d %b %Y")
        self.time_text = now.strftime("%H:%M")
        self.set_timer(60.5 - now.second - now.microsecond / 1e6, self._tick, name="clock")

    def render(self) -> Text:
        width = self.size.width
        left = Text(f" {self.pane_title} ", style="bold")
        stamp = f"{self.date_text} {self.time_text}".strip()
        right = Text(f"{stamp}  {display(self.user)} ")
        room = width - left.cell_len - right.cell_len - 2
        middle = Text(display(self.practice), no_wrap=True, end="")
        if room < 1:
            middle = Text("")
        else:
            middle.truncate(room, overflow="ellipsis")
            middle.align("center", room)
        return Text.assemble(left, " ", middle, " ", right, no_wrap=True, end="")
