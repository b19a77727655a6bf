"""F1: the keys of what is on screen, grouped per action, from the live BINDINGS.

The help lists are generated from the BINDINGS declared on the pane (or the screen on
top), the list widget and the app, so they cannot drift from what the keys really do;
below them, what the signed-in role may do (the permission table).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import Screen

from medoffice_tui.services import permissions
from medoffice_tui.services.permissions import ROLE_NAMES
from medoffice_tui.ui.app_bindings import describe, make_bindings
from medoffice_tui.ui.panes.base import Pane

if TYPE_CHECKING:
    from medoffice_tui.ui.screens.help import HelpSection


class HelpMixin:
    """F1 and the key rows the palette reuses (mixed into ``MedofficeApp``)."""

    def action_help(self) -> None:
        from medoffice_tui.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        # one help screen per pane, kept installed: pushing a mounted screen paints
        # once, where composing a new one paints several frames (bytes over SSH)
        over = self.screen if len(self.screen_stack) > 1 else None
        role = self.actor.role if self.actor else ""
        name = f"help-{type(over).__name__ if over else self.active_pane.id}-{role}"
        if not self.is_screen_installed(name):
            left, right = self.help_sections(over)
            below = permissions.summary_for(self.actor) if self.actor else []
            title = f"As {self.actor.role_label} you may" if self.actor else ""
            roles = [(permissions.ROLE_LABELS[r], permissions.ROLE_SHORT[r]) for r in ROLE_NAMES]
            screen = HelpScreen(
                left,
                right,
                below,
                title,
                permission_rows=permissions.permission_rows(),
                roles=roles,
                own_role=self.actor.role_label if self.actor else "",
            )
            self.install_screen(screen, name)
        self.push_screen(name)

    def key_text(self, binding: Binding) -> str:
        """How to type one key: ``F2``, ``^r``, ``[`` (its own key, not a footer label)."""
        display = self.get_key_display(Binding(binding.key, binding.action))
        if display[:1] == "f" and display[1:].isdigit():
            return display.upper()
        return display

    def grouped(self, bindings: Iterable[Binding]) -> list[tuple[Binding, str]]:
        """One entry per action with all its keys: (first binding, ``[ / ←``)."""
        groups: dict[str, tuple[Binding, list[str]]] = {}
        for binding in bindings:
            groups.setdefault(binding.action, (binding, []))[1].append(self.key_text(binding))
        return [(first, " / ".join(keys)) for first, keys in groups.values()]

    def key_rows(self, bindings: Iterable[Binding]) -> list[tuple[str, str]]:
        """Help lines: (keys, what they do)."""
        return [(keys, describe(binding)) for binding, keys in self.grouped(bindings)]

    def pane_bindings(self, pane: Pane) -> list[Binding]:
        return make_bindings(type(pane).BINDINGS)

    def help_sections(
        self, over: Screen | None = None
    ) -> tuple[list[HelpSection], list[HelpSection]]:
        """(pane keys, global keys) from the BINDINGS declared on the pane, list and app,
        plus what the signed-in role may do (the permission table)."""
        if over is not None:
            title = getattr(over, "TITLE", None) or type(over).__name__
            local = self.key_rows(make_bindings(type(over).BINDINGS))
        else:
            title = self.active_pane.TITLE
            local = self.key_rows(self.pane_bindings(self.active_pane))
        from medoffice_tui.ui.widgets.paged_list import PagedList  # not needed before F1

        list_keys = self.key_rows(make_bindings(PagedList.BINDINGS))
        app_keys = self.key_rows(make_bindings(self.BINDINGS))
        left: list[HelpSection] = [(f"{title} keys", local)]
        right: list[HelpSection] = [("Global keys", app_keys), ("In a list", list_keys)]
        return left, right
