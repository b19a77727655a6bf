"""Stock pane (F5): what runs out first, and what expires; receive, use, count, move.

Two lists, one shown at a time (Tab switches): the low-stock list (out first, then
by days of supply at the recent use rate) and the lots expiring within the
practice's window (expired ones first). ``l`` narrows both to one location; there a
row low at that location while the rest of the practice holds enough says MOVE and
where from (ordering is judged practice-wide). Under
the list, the selected item in words and its use per week as a sparkline.

Every change is a form whose service call is one audited transaction (``r``
receive, ``u`` use, ``c`` count, ``x`` take an expired lot out, ``t`` move between
locations, ``a``/``e`` items, ``n`` a location); ``o`` opens the purchase list.
Keys the signed-in role may not use are hidden; ``x`` works on an expired lot only.

Each list is fed by a :class:`~medoffice_tui.ui.widgets.list_pager.ListPager`: the
next page as the cursor nears the end, End the last page read backwards (then the
pages above it as the cursor climbs), Home the first page again. On the pane's first
show the locations, the settings and both first pages are read while the pane mounts
(``first_load``), so the pane appears with its rows in one frame; a reload reads them
inline when SQLite answers within budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from medoffice_tui.services import stock
from medoffice_tui.services.paging import Page
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now
from medoffice_tui.ui.panes.base import Pane
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.panes.stock_actions import StockActions
from medoffice_tui.ui.panes.stock_detail import StockDetail
from medoffice_tui.ui.screens.stock_forms import (
    lot_summary,
)
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.list_pager import ListPager
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

PAGE_SIZE = 100
#: wait this long after the cursor stops before reading the selected item's use
USAGE_DELAY_S = 0.12

LOW_COLUMNS = (
    Column("SKU", 8),
    Column("Item", flex=3, min_width=14),
    Column("Have", 4, align="right"),
    Column("ROP", 4, align="right"),
    Column("Order", 5, align="right"),
    Column("Days", 4, align="right"),
    Column("Vendor", flex=2, min_width=8),
    Column("Flag", 4),
)

EXPIRY_COLUMNS = (
    Column("Expires", 10),
    Column("Left", 7, align="right"),
    Column("Item", flex=3, min_width=14),
    Column("Lot", 10),
    Column("Where", flex=1, min_width=8),
    Column("Qty", 5, align="right"),
)


@dataclass(frozen=True)
class FirstStock:
    """What the first show needs, read while the pane mounts (all locations)."""

    locations: list[stock.LocationRow]
    settings: stock.StockSettings
    low: Page[stock.StockRow]
    expiring: Page[stock.LotRow]


def low_row(item: stock.StockRow) -> ListRow:
    """A low-stock row; MOVE: low here, but another location holds enough (no order)."""
    days = "-" if item.days_left is None else str(item.days_left)
    if item.transfer_from:
        flag = "MOVE"
    else:
        flag = item.flag.upper() if not item.on_order else "ORD"
    return ListRow(
        cells=(
            item.sku,
            item.name,
            str(item.on_hand),
            str(item.reorder_point),
            str(item.suggested),
            days,
            item.vendor,
            flag,
        ),
        data=item,
        cell_styles={
            5: "bad" if item.days_left is not None and item.days_left <= 7 else "",
            7: "info"
            if item.transfer_from or item.on_order
            else ("bad" if item.flag == "out" else "warn"),
        },
    )


def lot_row(lot: stock.LotRow) -> ListRow:
    if lot.expired:
        left, style = "EXPIRED", "bad"
    elif lot.days_left == 0:
        left, style = "today", "bad"
    else:
        left, style = f"{lot.days_left}d", "warn" if (lot.days_left or 0) <= 7 else ""
    return ListRow(
        cells=(
            us_date(lot.expires_on),
            left,
            lot.name,
            lot.lot_number,
            lot.location,
            str(lot.quantity),
        ),
        data=lot,
        cell_styles={1: style},
    )


class StockPane(StockActions, Pane):
    """Low stock and expiring lots, and every change to stock."""

    TITLE = "Stock"
    PANE_KEY = "f5"

    DEFAULT_CSS = """
    StockPane > PagedList { height: 1fr; }
    StockPane > PagedList.-hidden { display: none; }
    StockPane > #stock-title { text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "tab",
            "switch_list",
            "Other list",
            id="stock.next-list",
            tooltip="Low stock / expiring lots",
        ),
        Binding("r", "receive", "Receive", id="stock.receive", tooltip="Receive a delivery"),
        Binding("u", "use", "Use", id="stock.use", tooltip="Use / dispense (FEFO)"),
        Binding("c", "count", "Count", id="stock.count", tooltip="Count a lot"),
        Binding("x", "expire", "Expire", id="stock.expire", tooltip="Take the expired lot out"),
        Binding("t", "transfer", "Move", id="stock.transfer", tooltip="Move to another location"),
        Binding("o", "reorder", "Reorder", id="stock.reorder", tooltip="Purchase list, orders"),
        Binding(
            "a",
            "add_item",
            "Add item",
            show=False,
            id="stock.add-item",
            tooltip="Add a supply item",
        ),
        Binding(
            "e",
            "edit_item",
            "Edit item",
            show=False,
            id="stock.edit-item",
            tooltip="Edit the selected item",
        ),
        Binding(
            "n",
            "add_location",
            "New location",
            show=False,
            id="stock.add-location",
            tooltip="Add a stock location",
        ),
        Binding(
            "l",
            "next_location",
            "Location",
            show=False,
            id="stock.location",
            tooltip="Location: all, then each",
        ),
        Binding(
            "w",
            "expiry_window",
            "Window",
            show=False,
            id="stock.expiry-window",
            tooltip="Expiry window (manager)",
        ),
        Binding(
            "ctrl+r", "reload", "Reload", show=False, id="stock.reload", tooltip="Reload both lists"
        ),
    ]

    #: what each write key needs
    NEEDS: ClassVar[dict[str, str]] = {
        "receive": "stock.receive",
        "use": "stock.use",
        "count": "stock.count",
        "expire": "stock.count",
        "transfer": "stock.transfer",
        "reorder": "stock.order",
        "add_item": "stock.item.edit",
        "edit_item": "stock.item.edit",
        "add_location": "stock.item.edit",
        "expiry_window": "settings.edit",
    }

    #: what an empty list says once read (while its first page is read it says less)
    EMPTY_TEXT: ClassVar[dict[str, str]] = {
        "low": "Nothing below its reorder point: nothing to order",
        "expiring": "No lots expire within the window",
    }
    LIST_KEYS: ClassVar[tuple[str, ...]] = ("low", "expiring")

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.pagers: dict[str, ListPager[Any]] = {}
        #: per list, the row to put the cursor back on after a reload (a write's): its
        #: data and its index (None in a window read from the end)
        self._restore: dict[str, tuple[Any, int | None] | None] = {}
        self.shown = "low"
        #: (item id, location id) whose use the sparkline shows or is being read for
        self._usage_key: tuple[int, int | None] | None = None
        self.locations: list[stock.LocationRow] = []
        self.location_id: int | None = None
        self.window_days: int | None = None
        self.settings: stock.StockSettings | None = None
        self._title_shown = ""

    def compose(self) -> ComposeResult:
        yield Static(id="stock-title", classes="pane-status", markup=False)
        yield PagedList(LOW_COLUMNS, empty_text=self.EMPTY_TEXT["low"], id="stock-low")
        yield PagedList(
            EXPIRY_COLUMNS,
            empty_text=self.EMPTY_TEXT["expiring"],
            id="stock-expiring",
            classes="-hidden",
        )
        yield StockDetail(id="stock-detail")

    def on_mount(self) -> None:
        fetches: dict[str, Callable[..., Page[Any]]] = {
            "low": self._fetch_low,
            "expiring": self._fetch_expiring,
        }
        makers: dict[str, Callable[[Any], ListRow]] = {"low": low_row, "expiring": lot_row}
        for key in self.LIST_KEYS:
            self.pagers[key] = ListPager(
                self,
                self.list_for(key),
                fetches[key],
                makers[key],
                page_size=PAGE_SIZE,
                on_loaded=partial(self._loaded_list, key),
                group=f"stock-{key}",
                description=f"stock {key} list",
            )
            self.list_for(key).on_cursor = self._cursor_now

    def list_for(self, key: str) -> PagedList:
        return self.query_one(f"#stock-{key}", PagedList)

    @property
    def shown_list(self) -> PagedList:
        return self.list_for(self.shown)

    @property
    def detail(self) -> StockDetail:
        return self.query_one(StockDetail)

    @property
    def focus_target(self) -> Widget | None:
        return self.shown_list

    @property
    def location_name(self) -> str:
        for row in self.locations:
            if row.id == self.location_id:
                return row.name
        return "all locations"

    def current(self) -> Any | None:
        row = self.shown_list.current
        return row.data if row is not None else None

    def current_item_id(self) -> int | None:
        data = self.current()
        return data.item_id if data is not None else None

    def current_lot(self) -> stock.LotRow | None:
        data = self.current()
        return data if isinstance(data, stock.LotRow) else None

    # ------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.reload()

    @classmethod
    def first_load(cls) -> object | None:
        """Locations, settings and both lists' first pages, at all locations. Measured
        over a pty at 20,000 patients: the low-stock list's first read on a new
        connection took 3.3 ms, past the inline budget, so the pane was drawn with
        "Reading..." and then again with its rows (858 + 1,960 B in two frames)."""
        settings = stock.get_settings()
        return FirstStock(
            stock.list_locations(),
            settings,
            stock.low_stock(limit=PAGE_SIZE),
            stock.expiring_lots(settings.expiry_window_days, limit=PAGE_SIZE),
        )

    def reload(self) -> None:
        """Locations and settings, then both lists from their first page (each read
        inline when SQLite answers within budget; the first show's were read while the
        pane mounted)."""
        first, self.prefetched = self.prefetched, None
        if isinstance(first, FirstStock) and self.location_id is None:
            pages = {"low": first.low, "expiring": first.expiring}
            self._settings_loaded((first.locations, first.settings), pages)
            return
        call_service(
            self,
            lambda: (stock.list_locations(), stock.get_settings()),
            on_result=self._settings_loaded,
            group="stock-settings",
            exclusive=True,
            inline=True,
            description="stock locations",
        )

    def _settings_loaded(
        self,
        loaded: tuple[list[stock.LocationRow], stock.StockSettings],
        pages: dict[str, Page[Any]] | None = None,
    ) -> None:
        """Then both lists: read now, or shown from ``pages`` (the first show's, by
        list key)."""
        self.locations, self.settings = loaded
        self.window_days = self.settings.expiry_window_days
        if self.location_id is not None and self.location_id not in {r.id for r in self.locations}:
            self.location_id = None
        for key in self.LIST_KEYS:
            self._reload_list(key, keep_cursor=True, page=(pages or {}).get(key))

    def reset(self) -> None:
        super().reset()
        for key in self.LIST_KEYS:
            self.workers.cancel_group(self, f"stock-{key}")  # an answer for the last user
            self._restore[key] = None
            self.list_for(key).set_rows([])
        self._usage_key = None
        self.detail.clear()

    def _fetch_low(self, **where: Any) -> Page[stock.StockRow]:
        return stock.low_stock(location_id=self.location_id, **where)

    def _fetch_expiring(self, **where: Any) -> Page[stock.LotRow]:
        return stock.expiring_lots(self.window_days, location_id=self.location_id, **where)

    def _reload_list(
        self, key: str, *, keep_cursor: bool = False, page: Page[Any] | None = None
    ) -> None:
        """The list's first page (read, or ``page``, read already); ``keep_cursor`` (a
        reload after a write) puts the cursor back on the row it was on (by its item
        or lot), else on its index."""
        target = self.list_for(key)
        row = target.current
        index = None if target.has_before else target.cursor_row
        self._restore[key] = (row.data, index) if keep_cursor and row else None
        if not target.row_count:
            target.empty_text = "Reading..."
        self._usage_key = None  # after a write the use has changed: read it again
        if page is None:
            self.pagers[key].reload()
        else:
            self.pagers[key].show_first(page)
        self._render_title()

    def _loaded_list(self, key: str) -> None:
        """A page came: the list's words, the cursor put back, the title; the shown
        list's selected row with its sparkline at once (the rows' own frame)."""
        target = self.list_for(key)
        target.empty_text = self.EMPTY_TEXT[key]
        restore, self._restore[key] = self._restore.get(key), None
        if restore is not None and target.row_count and not target.has_before:
            data, index = restore
            found = target.index_where(lambda d: _same_row(d, data))
            if found is None:
                found = index
            if found is not None:
                target.move_cursor(found)
        self._render_title()
        if key == self.shown:
            self._show_current(now=True)

    def _render_title(self) -> None:
        target = self.shown_list
        more = target.has_more or target.has_before
        count = f"{target.row_count}{'+' if more else ''}"
        if self.shown == "low":
            what = "Low stock"
        else:
            what = f"Lots expiring within {self.window_days or 30} days"
        other = "expiring lots" if self.shown == "low" else "low stock"
        text = f"{what} · {self.location_name}  ({count})   Tab: {other}  l: location"
        if text != self._title_shown:  # Static.update is a layout pass: only on a change
            self._title_shown = text
            self.query_one("#stock-title", Static).update(display(text))

    # ------------------------------------------------------------- moving

    def action_switch_list(self) -> None:
        self.shown_list.add_class("-hidden")
        self.shown = "expiring" if self.shown == "low" else "low"
        target = self.shown_list
        target.remove_class("-hidden")
        focus_now(target)
        self._render_title()
        self._show_current(now=True)

    def action_next_location(self) -> None:
        ids = [None, *[r.id for r in self.locations]]
        index = ids.index(self.location_id) if self.location_id in ids else 0
        self.location_id = ids[(index + 1) % len(ids)]
        for key in self.LIST_KEYS:
            self.list_for(key).set_rows([])
            self._reload_list(key)

    @on(PagedList.Highlighted)
    def _highlighted(self, event: PagedList.Highlighted | None = None) -> None:
        if event is not None and event.paged_list is not self.shown_list:
            return
        self._show_current()

    def _cursor_now(self, moved: PagedList) -> None:
        """Called by the list itself: the detail line in the cursor's own frame. On the
        first or last row (Home, End, a Down that stops at the end) the cursor rests, so
        the use per week is read at once (inline when quick) and lands in that frame too,
        instead of ``USAGE_DELAY_S`` later; anywhere else a held arrow key may be passing
        through, and the read waits for the cursor to rest."""
        if moved is self.shown_list:
            resting = moved.cursor_row in (0, moved.row_count - 1)
            self._show_current(now=resting)

    def _show_current(self, *, now: bool = False) -> None:
        """The selected row in words, and its item's use per week: read after the cursor
        rests (``USAGE_DELAY_S``), or at once and inline (``now``: a list just read, the
        other list shown), so the sparkline comes with the rows. An item whose use is
        shown already (or being read) is not read again."""
        self.refresh_bindings()
        data = self.current()
        if data is None:
            self._usage_key = None
            self.detail.clear("Nothing here." if self.shown_list.row_count == 0 else "")
            return
        if isinstance(data, stock.StockRow):
            self.detail.show_item(data)
            on_hand: int | None = data.on_hand
        else:
            self.detail.show_lot(data)
            on_hand = None
        item_id, where = data.item_id, self.location_id
        if self._usage_key == (item_id, where):
            return
        self._usage_key = (item_id, where)
        call_service(
            self,
            lambda: stock.usage(item_id, location_id=where),
            on_result=lambda series: self._show_usage(item_id, series, on_hand),
            group="stock-usage",
            exclusive=True,
            delay=0.0 if now else USAGE_DELAY_S,
            inline=now,
            description="stock usage",
        )

    def _show_usage(self, item_id: int, series: stock.UsageSeries, on_hand: int | None) -> None:
        if self.current_item_id() == item_id:
            self.detail.show_usage(series, on_hand)

    @on(PagedList.Selected)
    def _selected(self, event: PagedList.Selected) -> None:
        data = event.row.data
        if isinstance(data, stock.LotRow):
            self.notify(display(f"{data.name}: {lot_summary(data)}"), markup=False)
        else:
            self.notify(
                display(f"{data.sku}: {data.name} ({data.location or 'no home'})"), markup=False
            )


def _same_row(data: Any, was: Any) -> bool:
    """The same list row after a reload: the same lot, or the same item."""
    if isinstance(was, stock.LotRow):
        return isinstance(data, stock.LotRow) and data.lot_id == was.lot_id
    return isinstance(data, stock.StockRow) and data.item_id == was.item_id
