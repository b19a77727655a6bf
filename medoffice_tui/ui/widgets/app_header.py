"""The one-line header: current pane, practice, today's date and the signed-in user.

Textual's ``Header`` carries a clock that repaints every second; the front desk
needs the *date* (pinned by ``--today`` in training) and nothing that ticks.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from medoffice_tui.services.text import display


class AppHeader(Widget):
    """Pane title on the left, practice in the middle, date and user on the right."""

    pane_title: reactive[str] = reactive("")
    practice: reactive[str] = reactive("")
    date_text: reactive[str] = reactive("")
    user: reactive[str] = reactive("")

    def render(self) -> Text:
        width = self.size.width
        left = Text(f" {self.pane_title} ", style="bold")
        right = Text(f"{self.date_text}  {display(self.user)} ")
        room = width - left.cell_len - right.cell_len - 2
        middle = Text(display(self.practice), no_wrap=True, end="")
        if room < 1:
            middle = Text("")
        else:
            middle.truncate(room, overflow="ellipsis")
            middle.align("center", room)
        return Text.assemble(left, " ", middle, " ", right, no_wrap=True, end="")
