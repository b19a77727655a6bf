"""The smallest Textual apps the product is held against, run in the same pty.

``python -m bench.drivers.floor_apps NAME``, where NAME is one of:

- ``static``: one Static widget: the cold-start and RSS floor.
- ``datatable``: Header + DataTable(cursor_type="row") with 200 rows + Footer: the
  first-paint and Down / PgDn floor, and End / Home to the last / first row (a stock
  row-cursor DataTable binds those to ctrl+end / ctrl+home; plain End / Home scroll
  sideways and draw nothing, so the floor's table binds them to the same actions).
- ``switcher``: Header + a ContentSwitcher of two such DataTables + Footer; F2 / F3 show
  one or the other and focus it: the pane-switch floor.
- ``search``: Header + Input + DataTable + Footer; each key typed in the box replaces
  the table's rows with the first 20 names that start with the text (from a list in
  memory, so no database time): the typed-letter floor, and with ``]`` (next page of
  names) the reload-a-list floor.
- ``screen``: the DataTable app where Enter pushes a Screen of 20 Static lines (a
  record) and Esc pops it: the open-a-record / Esc floor.
- ``dialog``: the DataTable app where ``a`` pushes a ModalScreen with five labelled
  Inputs (a form) and Esc dismisses it: the open-a-dialog floor.
- ``signin``: a sign-in screen (user name and password boxes); Enter in the password
  box checks it against an argon2id hash made with the app's own settings (the same
  working memory and passes), then shows the DataTable app's Header + table + Footer:
  the sign-in floor (a password check, then a first pane).

Each prints a marker the pty driver waits for, and quits on ctrl+q (Textual's default).
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Input, Label, Static

STATIC_MARKER = "floor app ready"
TABLE_MARKER = "Row 001"
SWITCHER_MARKER = "Row 001"
SEARCH_MARKER = "Search:"
TABLE_ROWS = 200
COLUMNS = ("Name", "DOB", "Phone", "Status", "Balance")
#: the marker a pushed screen / dialog shows (the driver waits for it)
RECORD_MARKER = "Record of"
DIALOG_MARKER = "Edit the record"
SIGNIN_MARKER = "Password:"
#: the floor's password; its hash is made once, before the screen shows
SIGNIN_PASSWORD = "frontdesk-demo"


def table_row(i: int, name: str | None = None) -> tuple[str, ...]:
    return (
        name or f"Row {i:03d}, Patient",
        f"19{50 + i % 50:02d}-0{1 + i % 9}-1{i % 10}",
        f"555-01{i % 100:02d}",
        ("booked", "arrived", "paid")[i % 3],
        f"{i * 37 % 1000}.00",
    )


class RowTable(DataTable):
    """A stock DataTable whose End / Home go to the last / first row (its own
    ``scroll_bottom`` / ``scroll_top`` actions, bound to ctrl+end / ctrl+home by Textual)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("end", "scroll_bottom", "Last row", show=False),
        Binding("home", "scroll_top", "First row", show=False),
    ]


def filled_table(first: int = 1, *, id: str | None = None) -> DataTable:  # noqa: A002
    table: DataTable = RowTable(cursor_type="row", id=id)
    table.add_columns(*COLUMNS)
    table.add_rows(table_row(i) for i in range(first, first + TABLE_ROWS))
    return table


class StaticFloor(App[None]):
    """Hello world: what Textual itself costs to start and to hold in memory."""

    def compose(self) -> ComposeResult:
        yield Static(STATIC_MARKER)


def table_widgets() -> ComposeResult:
    """Header + a filled row-cursor DataTable + Footer (the table app's whole screen)."""
    yield Header()
    yield filled_table()
    yield Footer()


class TableFloor(App[None]):
    """A stock row-cursor DataTable: the bytes any Textual list pays per keystroke."""

    def compose(self) -> ComposeResult:
        yield from table_widgets()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()


class SwitcherFloor(App[None]):
    """Two tables behind F2 / F3 in a ContentSwitcher: what a pane switch costs Textual."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "show('one')", "One"),
        Binding("f3", "show('two')", "Two"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with ContentSwitcher(initial="one"):
            yield filled_table(1, id="one")
            yield filled_table(501, id="two")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#one", DataTable).focus()

    def action_show(self, which: str) -> None:
        self.query_one(ContentSwitcher).current = which
        self.query_one(f"#{which}", DataTable).focus()


NAMES = sorted(
    f"{last}, {first}"
    for last in ("Smith", "Smithers", "Johnson", "Jones", "Garcia", "Miller", "Davis",
                 "Martinez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore")
    for first in ("Alex", "Ann", "Bob", "Carla", "Dan", "Eve", "Frank", "Gina", "Hal",
                  "Ivy", "Jo", "Kim", "Lee", "Max", "Ned", "Ola", "Pat", "Quin", "Ray")
)  # fmt: skip


class SearchFloor(App[None]):
    """A search box over a table: each key replaces the rows (no database)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("]", "next_page", "Next page")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=SEARCH_MARKER)
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self._page = 0
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._page = 0
        self._show(event.value)

    def action_next_page(self) -> None:
        self._page += 1
        self._show(self.query_one(Input).value)

    def _show(self, text: str) -> None:
        wanted = text.strip().lower()
        found = [n for n in NAMES if n.lower().startswith(wanted)] if wanted else NAMES
        start = (self._page * 20) % max(len(found), 1)
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(table_row(i, name) for i, name in enumerate(found[start : start + 20]))


class RecordScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.record_name = name

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{RECORD_MARKER} {self.record_name}")
        for i in range(19):
            yield Static(f"Line {i:02d}: a field of the record, and its value {i * 7}")
        yield Footer()


class ScreenFloor(TableFloor):
    """Enter opens a record screen, Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "open", "Open")]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.push_screen(RecordScreen(str(event.data_table.get_row(event.row_key)[0])))


class FormDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 60; height: auto; border: round $accent; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(DIALOG_MARKER)
            for field in ("Last name", "First name", "Date of birth", "Phone", "Insurance"):
                yield Label(field)
                yield Input(placeholder=field)


class DialogFloor(TableFloor):
    """``a`` opens a five-field form dialog over the table, Esc closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("a", "edit", "Edit")]

    def action_edit(self) -> None:
        self.push_screen(FormDialog())


class SignInFloor(App[None]):
    """A user name and a password box; the password checked, the table shows."""

    def __init__(self) -> None:
        super().__init__()
        from argon2 import PasswordHasher

        from medoffice_tui.services.staff import HASH_SETTINGS

        self._hasher = PasswordHasher(**HASH_SETTINGS)
        self._hash = self._hasher.hash(SIGNIN_PASSWORD)

    def compose(self) -> ComposeResult:
        yield Label("Username:")
        yield Input(id="user")
        yield Label(SIGNIN_MARKER)
        yield Input(id="password", password=True)

    def on_mount(self) -> None:
        self.query_one("#user", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "user":
            self.query_one("#password", Input).focus()
            return
        from argon2.exceptions import VerifyMismatchError

        try:
            self._hasher.verify(self._hash, event.value)
        except VerifyMismatchError:
            event.input.value = ""
            return
        self.push_screen(TableScreen())


class TableScreen(Screen[None]):
    """The DataTable app's screen: what the first pane's paint is held to."""

    def compose(self) -> ComposeResult:
        yield from table_widgets()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()


APPS: dict[str, type[App[None]]] = {
    "static": StaticFloor,
    "datatable": TableFloor,
    "switcher": SwitcherFloor,
    "search": SearchFloor,
    "screen": ScreenFloor,
    "dialog": DialogFloor,
    "signin": SignInFloor,
}
MARKERS = {
    "static": STATIC_MARKER,
    "datatable": TABLE_MARKER,
    "switcher": SWITCHER_MARKER,
    "search": SEARCH_MARKER,
    "screen": TABLE_MARKER,
    "dialog": TABLE_MARKER,
    "signin": SIGNIN_MARKER,
}


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "static"
    APPS[name]().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
