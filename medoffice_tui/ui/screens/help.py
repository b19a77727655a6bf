"""F1: every key of the current pane and the global keys.

The app builds the list from the same ``BINDINGS`` declarations that drive the
keyboard, so the help cannot disagree with the keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

#: (section title, [(key text, description)])
HelpSection = tuple[str, Sequence[tuple[str, str]]]


KEY_WIDTH = 8


def section_text(title: str, keys: Iterable[tuple[str, str]]) -> Text:
    """A titled block of ``key  description`` lines (plain text: no markup is parsed)."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(title, style="bold underline")
    for key, description in keys:
        text.append("\n")
        text.append(f"{key:>{KEY_WIDTH}}  ", style="bold")
        text.append(description)
    return text


class HelpScreen(Screen[None]):
    """Keys for the pane in use (left) and for the whole app (right).

    An opaque screen, not a modal: it covers everything anyway, and over SSH a modal
    costs more bytes (the dimmed screen below is composited and re-sent).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="help.close", tooltip="Close help"),
    ]

    def __init__(
        self,
        left: Sequence[HelpSection],
        right: Sequence[HelpSection],
        below: Sequence[tuple[str, str]] = (),
        below_title: str = "",
    ) -> None:
        super().__init__()
        self._left = left
        self._right = right
        self._below = below
        self._below_title = below_title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Text("Keys  (Esc closes, arrows scroll)", style="bold"),
                id="help-title",
                markup=False,
            )
            with VerticalScroll(id="help-scroll"):
                with Horizontal(id="help-columns"):
                    yield Static(self._column(self._left), classes="help-column", markup=False)
                    yield Static(self._column(self._right), classes="help-column", markup=False)
                if self._below:
                    yield Static(self._rows_text(), id="help-below", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def _rows_text(self) -> Text:
        """Full-width lines that may wrap (what the signed-in role may do)."""
        text = Text(end="")
        text.append(self._below_title, style="bold underline")
        for head, words in self._below:
            text.append("\n")
            text.append(f"{head:<9}", style="bold")
            text.append(words)
        return text

    @staticmethod
    def _column(sections: Sequence[HelpSection]) -> Text:
        parts = [section_text(title, keys) for title, keys in sections if keys]
        joined = Text("\n\n", no_wrap=True, overflow="ellipsis", end="").join(parts)
        joined.no_wrap = True
        joined.overflow = "ellipsis"
        return joined

    def action_close(self) -> None:
        self.dismiss(None)
