"""Shown instead of everything while the terminal is smaller than the app can be used at.

Nothing underneath is lost: making the window big enough again takes the desk back to
exactly where it was.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

#: the smallest terminal the screens are laid out for (they are designed at 80x24)
MIN_WIDTH, MIN_HEIGHT = 60, 16


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen Static { width: auto; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small", markup=False)

    def on_mount(self) -> None:
        self.show(self.app.size.width, self.app.size.height)

    def show(self, width: int, height: int) -> None:
        self.query_one("#too-small", Static).update(
            f"The window is too small ({width}x{height}).\n"
            f"Make it at least {MIN_WIDTH}x{MIN_HEIGHT}; "
            "everything is kept where it was."
        )
