"""The smallest Textual apps the product is held against, run in the same pty.

``python -m bench.floor_apps static``    one Static widget: cold start and RSS floor.
``python -m bench.floor_apps datatable`` Header + DataTable(cursor_type="row") with 200
                                          rows + Footer: first-paint and Down-arrow byte floor.

Both print a marker the pty driver waits for, and quit on ctrl+q (Textual's default).
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

STATIC_MARKER = "floor app ready"
TABLE_MARKER = "Row 001"
TABLE_ROWS = 200


class StaticFloor(App[None]):
    """Hello world: what Textual itself costs to start and to hold in memory."""

    def compose(self) -> ComposeResult:
        yield Static(STATIC_MARKER)


class TableFloor(App[None]):
    """A stock row-cursor DataTable: the bytes any Textual list pays per keystroke."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "DOB", "Phone", "Status", "Balance")
        for i in range(1, TABLE_ROWS + 1):
            table.add_row(
                f"Row {i:03d}, Patient",
                f"19{50 + i % 50:02d}-0{1 + i % 9}-1{i % 10}",
                f"555-01{i % 100:02d}",
                ("booked", "arrived", "paid")[i % 3],
                f"{i * 37 % 1000}.00",
            )
        table.focus()


APPS = {"static": StaticFloor, "datatable": TableFloor}
MARKERS = {"static": STATIC_MARKER, "datatable": TABLE_MARKER}


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "static"
    APPS[name]().run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
