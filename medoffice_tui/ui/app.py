"""The ``medoffice`` full-screen app: a header, four panes behind F2-F5, and a footer.

Global keys are priority bindings on the App so they work from anywhere, even from
inside a text box; each pane declares its own keys on its own class. F1 and the
command palette (Ctrl+P) are both generated from those BINDINGS lists, so neither
can drift from what the keyboard really does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer

from medoffice_tui import clock
from medoffice_tui.config import AppConfig
from medoffice_tui.db import db
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.claims import ClaimsPane
from medoffice_tui.ui.panes.fmt import long_date
from medoffice_tui.ui.panes.patients import PatientsPane
from medoffice_tui.ui.panes.schedule import SchedulePane
from medoffice_tui.ui.panes.stock import StockPane
from medoffice_tui.ui.screens.help import HelpScreen, HelpSection
from medoffice_tui.ui.theme import MEDOFFICE_THEME, resolve_theme
from medoffice_tui.ui.widgets.app_header import AppHeader
from medoffice_tui.ui.widgets.paged_list import PagedList

#: pane id -> pane class, in F-key order
PANES: dict[str, type[Pane]] = {
    "schedule": SchedulePane,
    "patients": PatientsPane,
    "claims": ClaimsPane,
    "stock": StockPane,
}
DEFAULT_PANE = "schedule"

log = logging.getLogger(__name__)


def make_bindings(source: Iterable[BindingType]) -> list[Binding]:
    """Bindings as declared (tuples turned into Binding objects)."""
    return list(Binding.make_bindings(source))


def describe(binding: Binding) -> str:
    """The long description (tooltip) where there is one; the footer keeps the short one."""
    return binding.tooltip or binding.description


class MedofficeApp(App[None], inherit_bindings=False):
    """Front-desk workstation: schedule, patients, claims, stock."""

    TITLE = "medoffice"
    CSS_PATH: ClassVar[list[str]] = [
        "app.tcss",
        "widgets/paged_list.tcss",
        "panes/panes.tcss",
        "screens/screens.tcss",
    ]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
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

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.register_theme(MEDOFFICE_THEME)
        self.theme = resolve_theme(config.theme)
        self._practice_name = ""

    # ----------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield AppHeader(id="app-header")
        with ContentSwitcher(initial=DEFAULT_PANE, id="panes"):
            for pane_id, pane_class in PANES.items():
                yield pane_class(id=pane_id)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if db.obj is None:  # the CLI opens the database; tests and embedders may not
            from medoffice_tui.db import open_database

            open_database(self.config.db_url)
        header = self.query_one(AppHeader)
        header.date_text = long_date(clock.today())
        header.user = self.config.user
        self._load_practice()
        self.action_show_pane(DEFAULT_PANE)

    @work(thread=True, exclusive=True, group="practice")
    def _load_practice(self) -> None:
        """The practice name for the header, read off the UI thread like every query."""
        from medoffice_tui.services.practice import get_practice

        try:
            with db.connection_context():
                name = get_practice().name
        except Exception as exc:  # noqa: BLE001 - the header can live without it
            log.warning("could not read the practice: %s", type(exc).__name__)
            return
        self.call_from_thread(self._show_practice, name)

    def _show_practice(self, name: str) -> None:
        self._practice_name = name
        self.query_one(AppHeader).practice = name

    @property
    def active_pane(self) -> Pane:
        switcher = self.query_one("#panes", ContentSwitcher)
        return self.query_one(f"#{switcher.current or DEFAULT_PANE}", Pane)

    # ---------------------------------------------------------------- actions

    def action_show_pane(self, pane_id: str) -> None:
        """Show a pane (from any screen: a pushed screen is closed first)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.query_one("#panes", ContentSwitcher).current = pane_id
        pane = self.query_one(f"#{pane_id}", Pane)
        self.query_one(AppHeader).pane_title = pane.TITLE
        pane.activate()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        # one help screen per pane, kept installed: pushing a mounted screen paints
        # once, where composing a new one paints several frames (bytes over SSH)
        over = self.screen if len(self.screen_stack) > 1 else None
        name = f"help-{type(over).__name__ if over else self.active_pane.id}"
        if not self.is_screen_installed(name):
            left, right = self.help_sections(over)
            self.install_screen(HelpScreen(left, right), name)
        self.push_screen(name)

    # ------------------------------------------------------------------- help

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
        """(pane keys, global keys) from the BINDINGS declared on the pane, list and app.

        ``over``: a screen shown above the panes (e.g. a patient record); its keys are
        listed instead of the pane's.
        """
        if over is not None:
            title = over.TITLE or type(over).__name__
            local = self.key_rows(make_bindings(type(over).BINDINGS))
        else:
            title = self.active_pane.TITLE
            local = self.key_rows(self.pane_bindings(self.active_pane))
        list_keys = self.key_rows(make_bindings(PagedList.BINDINGS))
        app_keys = self.key_rows(make_bindings(self.BINDINGS))
        left: list[HelpSection] = [(f"{title} keys", local)]
        right: list[HelpSection] = [("Global keys", app_keys), ("In a list", list_keys)]
        return left, right

    # --------------------------------------------------------------- palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every pane switch, every key of the active pane, then Textual's own."""
        for pane_id, pane_class in PANES.items():
            yield SystemCommand(
                f"Go to {pane_class.TITLE}",
                f"Show the {pane_class.TITLE} pane ({pane_class.PANE_KEY.upper()})",
                partial(self.action_show_pane, pane_id),
            )
        yield SystemCommand("Help: list keys", "Every key of this pane (F1)", self.action_help)
        if screen is self.screen_stack[0]:
            pane = self.active_pane
            for binding, keys in self.grouped(self.pane_bindings(pane)):
                yield SystemCommand(
                    f"{pane.TITLE}: {describe(binding)}",
                    f"Key {keys}",
                    partial(self.run_action, binding.action, pane),
                )
        yield from super().get_system_commands(screen)
