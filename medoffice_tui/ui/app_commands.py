"""Ctrl+P: the command palette holds the app's own actions only.

Pane switches, help, lock, staff, audit (for those who may), every key of the active
pane that its ``check_action`` allows now, and quit; none of Textual's own entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.actions import parse as parse_action
from textual.app import SystemCommand
from textual.screen import Screen

from medoffice_tui.ui.app_bindings import describe
from medoffice_tui.ui.panes.registry import PANES


class CommandsMixin:
    """``get_system_commands`` for ``MedofficeApp``."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The app's own actions only: pane switches, the active pane's keys, admin."""
        if self.actor is None or self.locked:
            return
        for pane_id, entry in PANES.items():
            yield SystemCommand(
                f"Go to {entry.title}",
                f"Show the {entry.title} pane ({entry.key.upper()})",
                partial(self.action_show_pane, pane_id),
            )
        yield SystemCommand("Help: list keys", "Every key of this pane (F1)", self.action_help)
        yield SystemCommand("Lock the screen", "Lock now (Ctrl+L)", self.action_lock)
        yield SystemCommand("Staff accounts", "Accounts and passwords (F9)", self.action_staff)
        if self.may("audit.view"):
            yield SystemCommand("Audit trail", "Who did what (F8)", self.action_audit)
        if screen is self.main_screen:
            pane = self.active_pane
            for binding, keys in self.grouped(self.pane_bindings(pane)):
                _namespace, name, params = parse_action(binding.action)
                if pane.check_action(name, params) is False:
                    continue
                yield SystemCommand(
                    f"{pane.TITLE}: {describe(binding)}",
                    f"Key {keys}",
                    partial(self.run_action, binding.action, pane),
                )
        yield SystemCommand("Quit", "Quit medoffice (Ctrl+Q)", self.action_quit)
