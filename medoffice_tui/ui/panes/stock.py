"""Stock pane: what to reorder (top) and what expires within 30 days (bottom).

Two short lists stacked so both fit at 80x24; Tab moves between them. Each pages
by keyset on its own when its cursor nears the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui.services import stock
from medoffice_tui.services.paging import Page
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

PAGE_SIZE = 100
EXPIRY_DAYS = 30

LOW_COLUMNS = (
    Column("SKU", 8),
    Column("Item", flex=3, min_width=14),
    Column("OnHd", 4, align="right"),
    Column("ROP", 4, align="right"),
    Column("ROQ", 4, align="right"),
    Column("Vendor", flex=2, min_width=8),
    Column("Location", 8, flex=1, min_width=8),
    Column("Flag", 4),
)

EXPIRY_COLUMNS = (
    Column("Expires", 10),
    Column("Left", 7, align="right"),
    Column("SKU", 8),
    Column("Item", flex=3, min_width=14),
    Column("Lot", 10, flex=1, min_width=10),
    Column("Qty", 5, align="right"),
)


def low_row(item: stock.StockRow) -> ListRow:
    return ListRow(
        cells=(
            item.sku,
            item.name,
            str(item.on_hand),
            str(item.reorder_point),
            str(item.reorder_qty),
            item.vendor,
            item.location,
            item.flag.upper(),
        ),
        data=item,
        cell_styles={7: "bad" if item.flag == "out" else "warn"},
    )


def lot_row(lot: stock.LotRow) -> ListRow:
    if lot.days_left < 0:
        left, style = "EXPIRED", "bad"
    else:
        left, style = f"{lot.days_left}d", "warn" if lot.days_left <= 7 else ""
    return ListRow(
        cells=(
            us_date(lot.expires_on),
            left,
            lot.sku,
            lot.name,
            lot.lot_number,
            str(lot.quantity),
        ),
        data=lot,
        cell_styles={1: style},
    )


class StockSection:
    """Book-keeping for one of the two lists: its next page key and generation."""

    def __init__(self, title: str, make_row: Callable[[Any], ListRow]) -> None:
        self.title = title
        self.make_row = make_row
        self.generation = 0
        self.next_after: Any | None = None


class StockPane(Pane):
    """Low stock and expiring lots."""

    TITLE = "Stock"
    PANE_KEY = "f5"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "app.focus_next",
            "Next list",
            id="stock.next-list",
            tooltip="Between the two lists",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            id="stock.reload",
            tooltip="Reload both lists",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.sections = {
            "low": StockSection("Low stock: reorder", low_row),
            "expiring": StockSection(f"Lots expiring within {EXPIRY_DAYS} days", lot_row),
        }

    def compose(self) -> ComposeResult:
        yield Static(id="stock-low-title", classes="pane-status", markup=False)
        yield PagedList(LOW_COLUMNS, empty_text="Nothing below its reorder point", id="stock-low")
        yield Static(id="stock-expiring-title", classes="pane-status", markup=False)
        yield PagedList(
            EXPIRY_COLUMNS, empty_text="No lots expire in the next 30 days", id="stock-expiring"
        )

    def list_for(self, key: str) -> PagedList:
        return self.query_one(f"#stock-{key}", PagedList)

    @property
    def focus_target(self) -> Widget | None:
        return self.list_for("low")

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        for key in self.sections:
            self._start(key, None)

    def reset(self) -> None:
        super().reset()
        for key in self.sections:
            self.sections[key].generation += 1
            self.list_for(key).set_rows([])

    def _start(self, key: str, after: Any | None) -> None:
        section = self.sections[key]
        if after is None:
            section.generation += 1
            section.next_after = None
        self._render_title(key)
        if key == "low":
            self._load_low(section.generation, after)
        else:
            self._load_expiring(section.generation, after)

    @on(PagedList.MoreWanted)
    def _more_wanted(self, event: PagedList.MoreWanted) -> None:
        key = (event.paged_list.id or "").removeprefix("stock-")
        section = self.sections.get(key)
        if section is not None and section.next_after is not None:
            self._start(key, section.next_after)

    @on(PagedList.Selected)
    def _selected(self, event: PagedList.Selected) -> None:
        data = event.row.data
        where = getattr(data, "location", "") or ""
        self.notify(
            display(f"{data.sku}: {data.name}" + (f" ({where})" if where else "")), markup=False
        )

    def _load_low(self, generation: int, after: Any | None) -> None:
        call_service(
            self,
            lambda: stock.low_stock(after=after, limit=PAGE_SIZE),
            on_result=lambda page: self._show_page("low", generation, page, after is not None),
            group="stock-low",
            exclusive=True,
            description="low stock",
        )

    def _load_expiring(self, generation: int, after: Any | None) -> None:
        call_service(
            self,
            lambda: stock.expiring_lots(EXPIRY_DAYS, after=after, limit=PAGE_SIZE),
            on_result=lambda page: self._show_page(
                "expiring", generation, page, after is not None
            ),
            group="stock-expiring",
            exclusive=True,
            description="expiring lots",
        )

    def _show_page(self, key: str, generation: int, page: Page[Any], more: bool) -> None:
        section = self.sections[key]
        if generation != section.generation:
            return
        section.next_after = page.next_after
        rows = [section.make_row(r) for r in page.rows]
        target = self.list_for(key)
        if more:
            target.append_rows(rows, has_more=page.has_more)
        else:
            target.set_rows(rows, has_more=page.has_more, keep_cursor=True)
        self._render_title(key)

    def _render_title(self, key: str) -> None:
        section = self.sections[key]
        target = self.list_for(key)
        count = f"{target.row_count}{'+' if target.has_more else ''}"
        self.query_one(f"#stock-{key}-title", Static).update(f"{section.title}  ({count})")
