"""Reorder (``o`` on the Stock pane): the purchase list by vendor, and the open orders.

Opening it puts every item low practice-wide on its vendor's draft order (what the
desk edited before is kept), whatever location the Stock pane was showing: a room
short of what another location holds is a transfer, not an order. On the purchase
list: ``e`` changes a quantity (0 takes it off), ``d`` removes a line, ``x`` exports
the list as CSV, ``m`` marks the selected vendor's order as ordered. Tab shows the
open orders: ``r`` receives a delivery against the selected line (a partial one
leaves the rest open), ``c`` closes an order whose rest is not coming.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui.services import stock
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import focus_now, hold_keys, release_keys
from medoffice_tui.ui.forms import ConfirmScreen
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.screens.stock_forms import ReceiveForm, money, receipt_text
from medoffice_tui.ui.screens.stock_item_forms import ExportForm, LineQuantityForm
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine
from medoffice_tui.ui.widgets.paged_list import Column, ListRow, PagedList

DRAFT_COLUMNS = (
    Column("Vendor", flex=1, min_width=10),
    Column("PO", 4),
    Column("SKU", 8),
    Column("Item", flex=2, min_width=14),
    Column("Qty", 5, align="right"),
    Column("Each", 8, align="right"),
    Column("Total", 11, align="right"),
)
OPEN_COLUMNS = (
    Column("Vendor", flex=1, min_width=10),
    Column("PO", 5),
    Column("Item", flex=2, min_width=14),
    Column("Ordered", 7, align="right"),
    Column("Got", 5, align="right"),
    Column("To come", 7, align="right"),
    Column("Status", 8),
)


def plural(count: int, word: str) -> str:
    """``1 order``, ``2 orders``, ``0 orders``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def draft_row(line: stock.OrderLineRow) -> ListRow:
    return ListRow(
        cells=(
            line.vendor,
            str(line.order_id),
            line.sku,
            line.name,
            str(line.quantity),
            money(line.unit_cost_cents),
            money(line.total_cents),
        ),
        data=line,
    )


def open_row(line: stock.OrderLineRow) -> ListRow:
    return ListRow(
        cells=(
            line.vendor,
            str(line.order_id),
            line.name,
            str(line.quantity),
            str(line.received),
            str(line.remaining),
            line.status,
        ),
        data=line,
        style="muted" if line.remaining == 0 else "",
        cell_styles={6: "warn" if line.status == "partial" else ""},
    )


class ReorderScreen(SafeDispatch, QuietFocus, Screen[None]):
    """The purchase list (draft orders by vendor) and the orders waiting for delivery."""

    TITLE = "Reorder"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="stock-orders.close", tooltip="Back to Stock"),
        Binding(
            "tab",
            "switch_list",
            "Other list",
            id="stock-orders.next-list",
            tooltip="Purchase list / open orders",
        ),
        Binding(
            "e",
            "edit_quantity",
            "Quantity",
            id="stock-orders.quantity",
            tooltip="Change the line's quantity (0 removes it)",
        ),
        Binding(
            "d",
            "remove_line",
            "Remove",
            id="stock-orders.remove",
            tooltip="Take the line off the list",
        ),
        Binding(
            "x",
            "export",
            "Export",
            id="stock-orders.export",
            tooltip="Export the purchase list as CSV",
        ),
        Binding(
            "m",
            "place",
            "Ordered",
            id="stock-orders.place",
            tooltip="Mark the vendor's order as ordered",
        ),
        Binding(
            "r",
            "receive",
            "Receive",
            id="stock-orders.receive",
            tooltip="Receive a delivery against the line",
        ),
        Binding(
            "c",
            "cancel_order",
            "Close order",
            id="stock-orders.cancel",
            tooltip="Close the order: the rest is not coming",
        ),
        Binding(
            "b",
            "build",
            "Add low stock",
            show=False,
            id="stock-orders.build",
            tooltip="Add items that became low since",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="stock-orders.reload",
            tooltip="Read the list and orders again",
        ),
    ]

    DEFAULT_CSS = """
    ReorderScreen > PagedList { height: 1fr; }
    ReorderScreen > PagedList.-hidden { display: none; }
    ReorderScreen > #orders-summary { height: 1; color: $text-muted; }
    """

    def __init__(self, locations: list[stock.LocationRow]) -> None:
        super().__init__()
        self.locations = locations
        self.shown = "draft"
        self._loaded = False

    def compose(self) -> ComposeResult:
        yield Static("", id="orders-title", classes="screen-title", markup=False)
        yield PagedList(
            DRAFT_COLUMNS, empty_text="Nothing to order: no item is low", id="orders-draft"
        )
        yield PagedList(
            OPEN_COLUMNS,
            empty_text="No order is waiting for a delivery",
            id="orders-open",
            classes="-hidden",
        )
        yield Static("", id="orders-summary", markup=False)
        yield KeyLine()

    @property
    def actor(self) -> Actor:
        return self.app.actor  # type: ignore[attr-defined,no-any-return]

    def may(self, action: str) -> bool:
        return bool(self.actor is not None and self.actor.may(action))

    def list_for(self, key: str) -> PagedList:
        return self.query_one(f"#orders-{key}", PagedList)

    @property
    def shown_list(self) -> PagedList:
        return self.list_for(self.shown)

    @property
    def current(self) -> stock.OrderLineRow | None:
        row = self.shown_list.current
        return row.data if row is not None else None

    def on_mount(self) -> None:
        focus_now(self.shown_list)
        self._render_title()
        if self.may("stock.order"):
            self.action_build()
        else:
            self.action_reload()

    # ------------------------------------------------------------- loading

    def action_build(self) -> None:
        actor = self.actor
        call_service(
            self,
            lambda: stock.build_purchase_list(actor),
            on_result=lambda _lines: self.action_reload(),
            on_error=self._build_refused,
            key="stock-orders",
            group="orders-build",
            description="build the purchase list",
        )

    def _build_refused(self, error: Any) -> None:
        self.notify(display(str(error)), severity="error", markup=False)
        self.action_reload()

    def action_reload(self) -> None:
        call_service(
            self,
            lambda: (stock.list_lines(("draft",)), stock.list_lines(("ordered", "partial"))),
            on_result=self._show,
            group="orders-load",
            exclusive=True,
            description="purchase list",
        )

    def _show(self, loaded: tuple[list[stock.OrderLineRow], list[stock.OrderLineRow]]) -> None:
        drafts, waiting = loaded
        self.list_for("draft").set_rows([draft_row(x) for x in drafts], keep_cursor=True)
        self.list_for("open").set_rows([open_row(x) for x in waiting], keep_cursor=True)
        vendors = len({x.vendor for x in drafts})
        total = sum(x.total_cents for x in drafts)
        orders = len({x.order_id for x in waiting})
        self.query_one("#orders-summary", Static).update(
            f"Purchase list: {plural(len(drafts), 'line')}, {plural(vendors, 'vendor')}, "
            f"{money(total)} · waiting: {plural(orders, 'order')}"
        )
        self._loaded = True
        self._render_title()
        self.refresh_bindings()

    def _render_title(self) -> None:
        if self.shown == "draft":
            text = " Purchase list, practice-wide (draft orders by vendor)   Tab: open orders"
        else:
            text = " Orders waiting for delivery   Tab: purchase list"
        self.query_one("#orders-title", Static).update(text)

    # ---------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        draft_only = ("edit_quantity", "remove_line", "export", "place")
        if action in (*draft_only, "build") and not self.may("stock.order"):
            return False
        if action == "cancel_order" and not self.may("stock.order"):
            return False
        if action == "receive" and not self.may("stock.receive"):
            return False
        if action in draft_only and (self.shown != "draft" or self.current is None):
            return None
        if action in ("receive", "cancel_order") and (self.shown != "open" or self.current is None):
            return None
        if action == "receive" and self.current is not None and self.current.remaining == 0:
            return None
        return True

    @on(PagedList.Highlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_switch_list(self) -> None:
        self.shown_list.add_class("-hidden")
        self.shown = "open" if self.shown == "draft" else "draft"
        self.shown_list.remove_class("-hidden")
        focus_now(self.shown_list)
        self._render_title()
        self.refresh_bindings()

    def _after(self, message: Callable[[Any], str]) -> Callable[[Any], None]:
        def done(result: Any) -> None:
            if result is None:
                return
            self.notify(display(message(result)), markup=False)
            self.action_reload()

        return done

    def action_edit_quantity(self) -> None:
        line = self.current
        if line is not None:
            self.app.push_screen(
                LineQuantityForm(self.actor, line),
                self._after(lambda q: f"{line.sku}: {q}" if q else "Removed"),
            )

    def action_remove_line(self) -> None:
        line = self.current
        if line is None:
            return
        actor = self.actor

        def answered(yes: bool | None) -> None:
            if yes:
                call_service(
                    self,
                    lambda: stock.set_line_quantity(actor, line.line_id, line.version, 0),
                    on_result=lambda _q: self._after(lambda _r: "Removed")(True),
                    key="stock-orders",
                    group="orders-write",
                    description="remove an order line",
                )

        self.app.push_screen(
            ConfirmScreen(display(f"Take {line.name} off the purchase list?"), yes="remove"),
            answered,
        )

    def action_export(self) -> None:
        self.app.push_screen(
            ExportForm(self.actor),
            self._after(lambda done: f"Wrote {done[1]} lines to {done[0]}"),
        )

    def action_place(self) -> None:
        line = self.current
        if line is None:
            return
        lines = [r.data for r in self.list_for("draft").rows if r.data.order_id == line.order_id]
        total = sum(x.total_cents for x in lines)
        actor = self.actor
        question = (
            f"Mark PO {line.order_id} to {line.vendor} as ordered: {len(lines)} lines, "
            f"{money(total)}? Deliveries are then received against it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                call_service(
                    self,
                    lambda: stock.place_order(actor, line.order_id, line.order_version),
                    on_result=self._after(lambda o: f"{o.label} to {o.vendor}: ordered"),
                    key="stock-orders",
                    group="orders-write",
                    description="place an order",
                )

        self.app.push_screen(ConfirmScreen(display(question), yes="ordered"), answered)

    def action_cancel_order(self) -> None:
        line = self.current
        if line is None:
            return
        actor = self.actor
        question = (
            f"Close PO {line.order_id} ({line.vendor})? What has not come will no longer "
            "count as on order."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                call_service(
                    self,
                    lambda: stock.cancel_order(actor, line.order_id, line.order_version),
                    on_result=self._after(lambda o: f"{o.label} closed"),
                    key="stock-orders",
                    group="orders-write",
                    description="close an order",
                )

        self.app.push_screen(ConfirmScreen(display(question), yes="close it"), answered)

    def action_receive(self) -> None:
        line = self.current
        if line is None:
            return
        hold_keys(self, "stock-form")

        def open_form(item: stock.ItemRow) -> None:
            form = ReceiveForm(self.actor, self.locations, item=item, line=line)
            self.app.push_screen(form, self._after(receipt_text))

        call_service(
            self,
            lambda: stock.get_item(line.item_id),
            on_result=open_form,
            on_done=lambda: release_keys(self, "stock-form"),
            group="orders-form",
            description="receive form item",
        )
