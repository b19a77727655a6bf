"""The app's global keys, declared once: the key line, F1 and Ctrl+P are built from these.

Each is a priority binding on the App, so it works from anywhere, even from inside a
text box; each pane declares its own keys on its own class.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding, BindingType


def make_bindings(source: Iterable[BindingType]) -> list[Binding]:
    """Bindings as declared (tuples turned into Binding objects)."""
    return list(Binding.make_bindings(source))


def describe(binding: Binding) -> str:
    """The long description (tooltip) where there is one; the footer keeps the short one."""
    return binding.tooltip or binding.description


#: F1, F2-F5, F8, F9, Ctrl+L, Ctrl+P, Ctrl+Q, Ctrl+C (``MedofficeApp.BINDINGS``)
APP_BINDINGS: list[BindingType] = [
    Binding(
        "f1",
        "help",
        "Help",
        key_display="F1",
        priority=True,
        id="app.help",
        tooltip="Keys of this pane",
    ),
    Binding(
        "f2",
        "show_pane('schedule')",
        "Schedule",
        show=False,
        priority=True,
        id="app.schedule",
        tooltip="Schedule pane",
    ),
    Binding(
        "f3",
        "show_pane('patients')",
        "Patients",
        show=False,
        priority=True,
        id="app.patients",
        tooltip="Patients pane",
    ),
    Binding(
        "f4",
        "show_pane('claims')",
        "Claims",
        show=False,
        priority=True,
        id="app.claims",
        tooltip="Claims pane",
    ),
    Binding(
        "f5",
        "show_pane('stock')",
        "Stock",
        show=False,
        priority=True,
        id="app.stock",
        tooltip="Stock pane",
    ),
    Binding(
        "f8",
        "audit",
        "Audit",
        show=False,
        priority=True,
        id="app.audit",
        tooltip="Audit trail (manager)",
    ),
    Binding(
        "f9",
        "staff",
        "Staff",
        show=False,
        priority=True,
        id="app.staff",
        tooltip="Staff accounts, passwords",
    ),
    Binding(
        "ctrl+l",
        "lock",
        "Lock",
        show=False,
        priority=True,
        id="app.lock",
        tooltip="Lock the screen now",
    ),
    Binding(
        "ctrl+p",
        "command_palette",
        "Commands",
        show=False,
        priority=True,
        id="app.palette",
        tooltip="Run any action by name",
    ),
    Binding(
        "ctrl+q",
        "quit",
        "Quit",
        show=False,
        priority=True,
        id="app.quit",
        tooltip="Quit medoffice",
    ),
    Binding(
        "ctrl+c",
        "help_quit",
        "How to quit",
        show=False,
        id="app.help-quit",
        tooltip="Explains that Ctrl+Q quits",
    ),
]
