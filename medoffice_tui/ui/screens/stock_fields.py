"""Form fields for stock: an item picker a barcode scanner can use, and a lot picker.

:class:`ItemPickerField` finds an item by name, SKU or barcode as it is typed (up to
six matches under the field; Up/Down move, Enter or Tab take one). A USB scanner
types the code and Enter, faster than any search answers: Enter then looks the text
up as an exact barcode or SKU, holding the keys typed after it until the item is
picked, and moves to the next field, so a scan followed by typing lands right.

:class:`LotPickerField` lists the picked item's lots (where, lot number, expiry,
quantity), first to be used first; Up/Down choose one.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from medoffice_tui.services import stock
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import hold_keys, release_keys
from medoffice_tui.ui.forms.fields import Field
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList
from medoffice_tui.ui.widgets.plain_input import PlainInput

MATCHES = 6
#: lots the lot picker shows at once
LOT_ROWS = 4

ITEM_COLUMNS = (
    Column("SKU", 9),
    Column("Item", flex=1, min_width=14),
    Column("Have", 5, align="right"),
)
LOT_COLUMNS = (
    Column("Where", 14, flex=1, min_width=10),
    Column("Lot", 12),
    Column("Expires", 10),
    Column("Qty", 5, align="right"),
)


def item_label(row: stock.ItemRow) -> str:
    return f"{row.name}  ({row.sku})"


def lot_cells(row: stock.LotRow) -> tuple[str, ...]:
    expires = us_date(row.expires_on) if row.expires_on else "no expiry"
    if row.expired:
        expires = "EXPIRED"
    return (row.location, row.lot_number, expires, str(row.quantity))


class ItemPickerField(Field["int | None"]):
    """Pick one supply item; ``value()`` is its id. ``picked`` is the :class:`ItemRow`."""

    DEFAULT_CSS = """
    ItemPickerField .picker-matches { display: none; margin-left: 16; }
    ItemPickerField.-searching .picker-matches { display: block; }
    """

    class Picked(Message):
        """An item was picked (the form fills what depends on it)."""

        def __init__(self, field: ItemPickerField, item: stock.ItemRow) -> None:
            super().__init__()
            self.field = field
            self.item = item

    def __init__(
        self, name: str, label: str, *, item: stock.ItemRow | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("hint", "name, SKU, scan")
        super().__init__(name, label, **kwargs)
        self.picked: stock.ItemRow | None = None
        self._first = item

    def compose(self) -> ComposeResult:
        yield from self.compose_row()
        matches = PagedList(
            ITEM_COLUMNS,
            empty_text="No item matches",
            id=f"matches-{self.field_name}",
            classes="picker-matches",
        )
        matches.styles.height = MATCHES + 1
        yield matches

    def on_mount(self) -> None:
        if self._first is not None:
            self.pick(self._first)

    def make_input(self) -> Widget:
        return PlainInput(compact=True, id=f"input-{self.field_name}")

    @property
    def matches(self) -> PagedList:
        return self.query_one(f"#matches-{self.field_name}", PagedList)

    @property
    def dirty(self) -> bool:
        return self.picked is not None and self.picked is not self._first

    def value(self) -> int | None:
        if self.picked is not None:
            return self.picked.id
        if self.raw().strip() or self.required:
            raise self.invalid("pick an item (type or scan, then Enter)")
        return None

    def pick(self, row: stock.ItemRow, *, advance: bool = False) -> None:
        self.picked = row
        self.set_raw(display(item_label(row)))
        self.set_hint(f"{row.on_hand} {row.unit} on hand")
        self.remove_class("-searching")
        self.clear_error()
        self.post_message(self.Picked(self, row))
        if advance:
            next_field = getattr(self.screen, "action_next_field", None)
            if next_field is not None:
                next_field(1)

    # ----------------------------------------------------------------- search

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.picked is not None and event.value == display(item_label(self.picked)):
            return
        self.clear_error()
        self.picked = None
        self.set_hint(self.hint)
        self.post_message(self.Changed(self))
        query = event.value.strip()
        if not query:
            self.remove_class("-searching")
            return
        call_service(
            self,
            lambda: stock.find_items(query, limit=MATCHES),
            on_result=self._show_matches,
            group=f"item-picker-{self.field_name}",
            exclusive=True,
            description="item picker search",
        )

    def _show_matches(self, found: list[stock.ItemMatch]) -> None:
        if self.picked is not None:
            return
        self.add_class("-searching")
        self.matches.set_rows(
            [ListRow((m.item.sku, m.item.name, str(m.item.on_hand)), data=m.item) for m in found]
        )

    def on_key(self, event: events.Key) -> None:
        if not self.has_class("-searching"):
            return
        if event.key in ("down", "up"):
            event.stop()
            event.prevent_default()
            step = 1 if event.key == "down" else -1
            self.matches.move_cursor(self.matches.cursor_row + step)
        elif event.key == "tab" and self.matches.current is not None:
            self.pick(self.matches.current.data)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter takes the highlighted match, or looks up what was scanned; once an item
        is picked, it saves the form like Enter anywhere."""
        if self.picked is not None:
            return
        event.stop()
        typed = event.value.strip()
        if self.has_class("-searching") and self.matches.current is not None:
            shown = self.matches.current.data
            exact = [r.data for r in self.matches.rows if r.data.barcode == typed]
            self.pick(exact[0] if exact else shown, advance=True)
            return
        if not typed:
            self.set_error("type or scan an item")
            return
        hold_keys(self, "item-scan")  # what is typed after the scan waits for the pick
        call_service(
            self,
            lambda: stock.find_items(typed, limit=1),
            on_result=self._scanned,
            on_done=lambda: release_keys(self, "item-scan"),
            group=f"item-scan-{self.field_name}",
            exclusive=True,
            description="item scan",
        )

    def _scanned(self, found: list[stock.ItemMatch]) -> None:
        if self.picked is not None:
            return
        if not found:
            self.set_error("no item has that name, SKU or barcode")
            return
        self.pick(found[0].item, advance=True)

    @on(PagedList.Selected)
    def _clicked(self, event: PagedList.Selected) -> None:
        event.stop()
        self.pick(event.row.data)


class LotPickerField(Field["int | None"]):
    """One lot of the item picked elsewhere in the form; ``value()`` is the lot id."""

    DEFAULT_CSS = """
    LotPickerField .lot-list { margin-left: 16; }
    LotPickerField .lot-list:focus { background: $boost; }
    """

    class Chosen(Message):
        def __init__(self, field: LotPickerField, lot: stock.LotRow | None) -> None:
            super().__init__()
            self.field = field
            self.lot = lot

    def __init__(self, name: str, label: str, *, lot_id: int | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "Up/Down")
        super().__init__(name, label, **kwargs)
        self.want_lot = lot_id
        self.item_id: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label + ("*" if self.required else ""), classes="field-label")
            yield Static("", classes="lot-current", markup=False)
            yield Static(self.hint, classes="field-hint", markup=False)
        yield self.make_input()
        yield Static("", classes="field-error", markup=False)

    def make_input(self) -> Widget:
        lots = PagedList(
            LOT_COLUMNS,
            empty_text="Pick an item first",
            id=f"input-{self.field_name}",
            classes="lot-list",
        )
        lots.styles.height = LOT_ROWS + 1  # the header and a few lots (the app's CSS says 1fr)
        return lots

    @property
    def lots(self) -> PagedList:
        return self.query_one(f"#input-{self.field_name}", PagedList)

    @property
    def current(self) -> stock.LotRow | None:
        row = self.lots.current
        return row.data if row is not None else None

    @property
    def dirty(self) -> bool:
        return False

    def value(self) -> int | None:
        lot = self.current
        if lot is None:
            if self.required:
                raise self.invalid("pick a lot (Up/Down)")
            return None
        return lot.lot_id

    def load(self, item_id: int) -> None:
        """Show this item's lots (called when the form's item is picked).

        Keys typed meanwhile wait for the lots (a count typed and Enter in one burst as
        the form opens saves against the lot, not "pick a lot"); an indexed read of one
        item's lots is usually answered inline, in the same frame."""
        self.item_id = item_id
        hold_keys(self, "lot-load")
        call_service(
            self,
            lambda: stock.item_lots(item_id),
            on_result=lambda rows: self._show(item_id, rows),
            on_done=lambda: release_keys(self, "lot-load"),
            group=f"lot-picker-{self.field_name}",
            exclusive=True,
            inline=True,
            description="lot picker",
        )

    def _show(self, item_id: int, rows: list[stock.LotRow]) -> None:
        if item_id != self.item_id:
            return
        self.lots.empty_text = "No lots of this item on file"
        self.lots.set_rows([ListRow(lot_cells(r), data=r) for r in rows])
        if self.want_lot is not None:
            index = self.lots.index_where(lambda lot: lot.lot_id == self.want_lot)
            if index is not None:
                self.lots.move_cursor(index)
        self._announce()

    def _announce(self) -> None:
        lot = self.current
        text = "" if lot is None else f"{lot.lot_number} at {lot.location}: {lot.quantity}"
        self.query_one(".lot-current", Static).update(display(text))
        self.clear_error()
        self.post_message(self.Chosen(self, lot))

    @on(PagedList.Highlighted)
    def _moved(self, event: PagedList.Highlighted) -> None:
        event.stop()
        self._announce()

    @on(PagedList.Selected)
    def _enter(self, event: PagedList.Selected) -> None:
        """Enter on the lot list saves the form, as Enter does in every field."""
        event.stop()
        save = getattr(self.screen, "action_save", None)
        if save is not None:
            save()
