"""F1: every key of the current pane and the global keys, then who may do what.

The app builds the list from the same ``BINDINGS`` declarations that drive the
keyboard, so the help cannot disagree with the keys; the permission table below them
comes from ``services.permissions.permission_rows`` (the table every service checks).
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

from medoffice_tui.ui.screen_focus import QuietFocus

#: (section title, [(key text, description)])
HelpSection = tuple[str, Sequence[tuple[str, str]]]

#: (area, action label, labels of the roles that may)
PermissionRow = tuple[str, str, Sequence[str]]

#: width of the action column of the permission table, and of each role's column
ACTION_WIDTH = 40
ROLE_WIDTH = 9


KEY_WIDTH = 8


def permission_table_text(
    rows: Sequence[PermissionRow],
    roles: Sequence[tuple[str, str]],
    own_role: str = "",
) -> Text:
    """Which role may do which action: one line per action under its area, a column per
    role (``roles`` is (label, column head)); the signed-in role's head is reversed."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append("Who may do what", style="bold underline")
    area = None
    for row_area, label, allowed in rows:
        if row_area != area:  # each area's line repeats the role heads: no scrolling back
            area = row_area
            text.append("\n")
            text.append(f"{area:<{ACTION_WIDTH}}", style="bold")
            for role_label, head in roles:
                own = role_label == own_role
                text.append(f"{head:<{ROLE_WIDTH}}", style="bold reverse" if own else "bold")
        text.append("\n")
        text.append(f"  {label:<{ACTION_WIDTH - 2}.{ACTION_WIDTH - 2}}")
        for role_label, _head in roles:
            mark = "yes" if role_label in allowed else "-"
            text.append(f"{mark:<{ROLE_WIDTH}}", style="bold" if mark == "yes" else "dim")
    heads = ", ".join(f"{head} = {label}" for label, head in roles if head != label)
    if heads:
        text.append("\n")
        text.append(heads, style="dim")
    return text


def section_text(title: str, keys: Iterable[tuple[str, str]]) -> Text:
    """A titled block of ``key  description`` lines (plain text: no markup is parsed)."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(title, style="bold underline")
    for key, description in keys:
        text.append("\n")
        text.append(f"{key:>{KEY_WIDTH}}  ", style="bold")
        text.append(description)
    return text


class HelpScreen(QuietFocus, Screen[None]):
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
        permission_rows: Sequence[PermissionRow] = (),
        roles: Sequence[tuple[str, str]] = (),
        own_role: str = "",
    ) -> None:
        super().__init__()
        self._left = left
        self._right = right
        self._below = below
        self._below_title = below_title
        self._permission_rows = permission_rows
        self._roles = roles
        self._own_role = own_role

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Text(
                    "Keys, and below them who may do what  (Esc closes, arrows scroll)",
                    style="bold",
                ),
                id="help-title",
                markup=False,
            )
            with VerticalScroll(id="help-scroll"):
                with Horizontal(id="help-columns"):
                    yield Static(self._column(self._left), classes="help-column", markup=False)
                    yield Static(self._column(self._right), classes="help-column", markup=False)
                if self._below:
                    yield Static(self._rows_text(), id="help-below", markup=False)
                if self._permission_rows:
                    yield Static(
                        permission_table_text(self._permission_rows, self._roles, self._own_role),
                        id="help-permissions",
                        markup=False,
                    )

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
