"""The Stock pane's forms that move stock: a delivery, a use, a count, a transfer; the
fields they share (whole numbers, expiry dates, barcodes, locations).

Each is a :class:`~medoffice_tui.ui.forms.FormScreen`: Enter saves from any field,
Esc asks before dropping what was typed, a refusal naming a field is shown beside it.
The rules are the services' (``services/stock``); a field only checks shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services import stock
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.money import format_money
from medoffice_tui.services.text import display
from medoffice_tui.ui.forms import ChoiceField, ConfirmScreen, FormScreen, MoneyField, TextField
from medoffice_tui.ui.forms.patient_picker import PatientPickerField
from medoffice_tui.ui.panes.fmt import us_date
from medoffice_tui.ui.screens.stock_fields import ItemPickerField, LotPickerField
from medoffice_tui.ui.service_call import call_service

COUNT_REASON_LABELS = {
    "count": "count (recount)",
    "damaged": "damaged",
    "lost": "lost",
    "returned": "returned",
}


class WholeNumberField(TextField):
    """A count of units: digits only (the service checks the range)."""

    def __init__(self, name: str, label: str, *, allow_zero: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 7)
        super().__init__(name, label, **kwargs)
        self.allow_zero = allow_zero

    def parse(self, text: str) -> int | None:  # type: ignore[override]
        cleaned = text.replace(",", "").strip()
        if not cleaned:
            return None
        if not cleaned.isdigit():
            raise self.invalid("enter a whole number")
        value = int(cleaned)
        if value == 0 and not self.allow_zero:
            raise self.invalid("enter a number above zero")
        return value


class BarcodeField(TextField):
    """A barcode, scanned or typed. A scanner ends with Enter: here that moves on to the
    next field instead of saving a half-filled form."""

    @on(Input.Submitted)
    def _scanned(self, event: Input.Submitted) -> None:
        event.stop()
        next_field = getattr(self.screen, "action_next_field", None)
        if next_field is not None:
            next_field(1)


class StrictConfirmScreen(ConfirmScreen):
    """A question only ``y`` answers yes (Enter does not): for using expired stock, where a
    scanner's or a fast typist's extra Enter must not say yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="stock-confirm.yes", tooltip="Yes"),
        Binding("n,escape,enter", "answer(False)", "No", id="stock-confirm.no", tooltip="No"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(f"y: {self.yes}     n, Esc or Enter: {self.no}", id="confirm-keys")


class ExpiryField(TextField):
    """An expiry date as printed on the box: ``6/30/2027``, ``6/2027``, or ``none``."""

    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "6/2027, none")
        kwargs.setdefault("max_length", 20)
        super().__init__(name, label, **kwargs)

    def parse(self, text: str) -> dt.date | None:  # type: ignore[override]
        try:
            return stock.parse_expiry(text)
        except InvalidInput as error:
            raise self.invalid(str(error)) from None

    @on(Input.Blurred)
    def _show_reading(self) -> None:
        """Say how the date was read, so a slip shows at once."""
        text = self.raw().strip()
        if not text:
            return
        try:
            day = self.parse(text)
        except InvalidInput as error:
            self.set_error(str(error))
            return
        self.set_hint(day.strftime("%a %m/%d/%Y") if day else "no expiry")


def location_choices(
    locations: Sequence[stock.LocationRow], *, anywhere: str | None = None
) -> list[tuple[str, str]]:
    """ChoiceField options for the locations in use ("" first when ``anywhere``)."""
    options = [("", anywhere)] if anywhere is not None else []
    options += [(str(row.id), row.label) for row in locations if row.active]
    if not options:
        options = [("", "Main storage (created on first use)")]
    return options


def location_id_of(text: str) -> int | None:
    return int(text) if text else None


class StockForm(FormScreen[Any]):
    """What the stock forms share: the desk, the locations, the item picked."""

    DEFAULT_CSS = """
    StockForm #form-fields { max-height: 19; }
    """

    def __init__(
        self, actor: Actor, locations: Sequence[stock.LocationRow], *, start: str | None = None
    ) -> None:
        super().__init__()
        self.actor = actor
        self.locations = list(locations)
        if start is not None:  # the item is known already: the cursor starts further down
            self.AUTO_FOCUS = f"#input-{start}"

    def choice(self, name: str) -> ChoiceField | None:
        found = self.field(name)
        return found if isinstance(found, ChoiceField) else None

    @on(ItemPickerField.Picked)
    def _item_picked(self, event: ItemPickerField.Picked) -> None:
        event.stop()
        self.item_picked(event.item)

    def item_picked(self, item: stock.ItemRow) -> None:
        """A subclass fills what depends on the item."""


class ReceiveForm(StockForm):
    """A delivery: item (scan it), lot, expiry, quantity, cost, where it goes; against the
    item's open purchase orders unless the desk says otherwise (or a given order line).
    More than is still on order is asked about first (``y`` keeps it as over-delivery)."""

    FORM_TITLE = "Receive a delivery"
    SAVE_LABEL = "receive"

    def __init__(
        self,
        actor: Actor,
        locations: Sequence[stock.LocationRow],
        *,
        item: stock.ItemRow | None = None,
        line: stock.OrderLineRow | None = None,
    ) -> None:
        super().__init__(actor, locations, start="lot_number" if item is not None else None)
        self.item = item
        self.line = line
        self._values: dict[str, Any] | None = None

    def form_title(self) -> str:
        if self.line is not None:
            return display(f"Receive against PO {self.line.order_id} ({self.line.vendor})")
        return self.FORM_TITLE

    def compose_fields(self) -> ComposeResult:
        yield ItemPickerField("item_id", "Item", required=True, item=self.item)
        yield TextField("lot_number", "Lot number", required=True, max_length=40)
        yield ExpiryField("expires_on", "Expires")
        remaining = str(self.line.remaining) if self.line is not None else ""
        yield WholeNumberField("quantity", "Quantity", required=True, value=remaining)
        yield MoneyField("unit_cost", "Unit cost", hint="$ (optional)")
        yield ChoiceField("location_id", "Into", location_choices(self.locations))
        if self.line is None:
            yield ChoiceField(
                "order", "Against order", [("auto", "its open order, if any"), ("none", "no order")]
            )

    def item_picked(self, item: stock.ItemRow) -> None:
        into = self.choice("location_id")
        if into is not None and item.home_location_id is not None:
            into.set_raw(str(item.home_location_id))
        expires = self.field("expires_on")
        if expires is not None:
            expires.set_hint("6/2027, none" if item.no_expiry else "6/2027")
        order = self.choice("order")
        if order is None:
            return
        call_service(
            self,
            lambda: stock.open_lines(item.id),
            on_result=self._show_open_lines,
            group="receive-open-order",
            exclusive=True,
            description="open order for the item",
        )

    def _show_open_lines(self, lines: list[stock.OrderLineRow]) -> None:
        order = self.choice("order")
        if order is None:
            return
        if not lines:
            order.set_hint("none open")
            return
        waiting = sum(x.remaining for x in lines)
        more = "..." if len(lines) > 2 else ""
        orders = ", ".join(f"PO {x.order_id}" for x in lines[:2]) + more
        order.set_hint(f"{orders}: {waiting} to come")

    def _call(self, values: dict[str, Any], over_ok: bool) -> Callable[[], stock.Receipt]:
        actor, line = self.actor, self.line
        args = (values["item_id"], values["lot_number"], values["quantity"], values["expires_on"])
        kwargs: dict[str, Any] = {
            "location_id": location_id_of(values["location_id"]),
            "unit_cost_cents": values["unit_cost"],
            "over_delivery_ok": over_ok,
        }
        if line is not None:
            if values["item_id"] != line.item_id:
                raise InvalidInput("this order line is for another item", field="item_id")
            kwargs["order_line_id"] = line.line_id
        else:
            kwargs["against_open_order"] = values["order"] == "auto"
        return lambda: stock.receive(actor, *args, **kwargs)

    def save_call(self, values: dict[str, Any]) -> Callable[[], stock.Receipt]:
        call = self._call(values, False)
        self._values = values
        return call

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, stock.OverDelivery) and getattr(self, "_values", None) is not None:
            orders = ", ".join(f"PO {o}" for o in error.order_ids) or "the order"
            self.app.push_screen(
                StrictConfirmScreen(
                    f"{error.delivered} delivered, but only {error.open_units} still open on "
                    f"{orders}. Receive the other {error.extra} as over-delivery (kept as "
                    f"stock, not counted on the order)?",
                    yes="receive the extra",
                    no="go back",
                ),
                self._over_answer,
            )
            return
        if error.field in ("item", "order"):
            error.field = "item_id" if error.field == "item" else error.field
        if error.field == "location":
            error.field = "location_id"
        super().show_refusal(error)

    def _over_answer(self, yes: bool | None) -> None:
        values = getattr(self, "_values", None)
        if not yes or values is None:
            self.show_message("Nothing was received: correct the quantity, or receive again.")
            return
        self._saving = True
        self.show_message("Saving...", info=True)
        call_service(
            self,
            self._call(values, True),
            on_result=self.saved,
            on_error=self.show_refusal,
            on_done=self._done_saving,
            group="form-save",
            description="receive an over-delivery",
        )


class UseForm(StockForm):
    """Take stock out: first-expiring first, across lots and locations; optionally for a
    patient's visit today. Stock only expired lots could cover is asked about first."""

    FORM_TITLE = "Use / dispense"
    SAVE_LABEL = "use"

    def __init__(
        self,
        actor: Actor,
        locations: Sequence[stock.LocationRow],
        *,
        item: stock.ItemRow | None = None,
    ) -> None:
        super().__init__(actor, locations, start="quantity" if item is not None else None)
        self.item = item
        self._values: dict[str, Any] | None = None

    def compose_fields(self) -> ComposeResult:
        yield ItemPickerField("item_id", "Item", required=True, item=self.item)
        yield WholeNumberField("quantity", "Quantity", required=True)
        yield ChoiceField(
            "location_id", "Taken at", location_choices(self.locations, anywhere="anywhere (FEFO)")
        )
        yield PatientPickerField("patient", "For (visit)", hint="optional: today's visit")
        yield TextField("reason", "Note", max_length=200)

    def _call(self, values: dict[str, Any], allow_expired: bool) -> Callable[[], stock.UseResult]:
        actor = self.actor
        return lambda: stock.use(
            actor,
            values["item_id"],
            values["quantity"],
            values["reason"],
            location_id=location_id_of(values["location_id"]),
            allow_expired=allow_expired,
            patient_id=values["patient"],
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], stock.UseResult]:
        self._values = values
        return self._call(values, False)

    def show_refusal(self, error: DomainError) -> None:
        if isinstance(error, stock.ExpiredStockNeeded) and self._values is not None:
            more = error.wanted - error.usable
            self.app.push_screen(
                StrictConfirmScreen(
                    f"Only {error.usable} in date on hand. Take the other {more} from "
                    f"EXPIRED lots? Only if you are sure they may still be used.",
                    yes="use expired stock",
                    no="go back",
                ),
                self._expired_answer,
            )
            return
        if error.field == "item":
            error.field = "item_id"
        if error.field == "location":
            error.field = "location_id"
        super().show_refusal(error)

    def _expired_answer(self, yes: bool | None) -> None:
        if not yes or self._values is None:
            self.show_message("Nothing was used.")
            return
        self._saving = True
        self.show_message("Saving...", info=True)
        call_service(
            self,
            self._call(self._values, True),
            on_result=self.saved,
            on_error=self.show_refusal,
            on_done=self._done_saving,
            group="form-save",
            description="use expired stock",
        )


class CountForm(StockForm):
    """Set a lot to what is on the shelf, with the reason it differs."""

    FORM_TITLE = "Count a lot"
    SAVE_LABEL = "save the count"

    def __init__(
        self,
        actor: Actor,
        locations: Sequence[stock.LocationRow],
        *,
        item: stock.ItemRow | None = None,
        lot_id: int | None = None,
    ) -> None:
        start = None if item is None else ("counted" if lot_id is not None else "lot_id")
        super().__init__(actor, locations, start=start)
        self.item = item
        self.lot_id = lot_id

    def compose_fields(self) -> ComposeResult:
        yield ItemPickerField("item_id", "Item", required=True, item=self.item)
        yield LotPickerField("lot_id", "Lot", required=True, lot_id=self.lot_id)
        yield WholeNumberField(
            "counted", "Counted", required=True, allow_zero=True, hint="units on the shelf"
        )
        yield ChoiceField("reason", "Reason", list(COUNT_REASON_LABELS.items()))
        yield TextField("note", "Note", max_length=200)

    def item_picked(self, item: stock.ItemRow) -> None:
        lots = self.field("lot_id")
        if isinstance(lots, LotPickerField):
            lots.load(item.id)

    def save_call(self, values: dict[str, Any]) -> Callable[[], int]:
        actor = self.actor
        return lambda: stock.count_lot(
            actor, values["lot_id"], values["counted"], values["reason"], values["note"]
        )

    def show_refusal(self, error: DomainError) -> None:
        if error.field == "lot":
            error.field = "lot_id"
        super().show_refusal(error)


class TransferForm(StockForm):
    """Move units of one lot to another location."""

    FORM_TITLE = "Move stock to another location"
    SAVE_LABEL = "move"

    def __init__(
        self,
        actor: Actor,
        locations: Sequence[stock.LocationRow],
        *,
        item: stock.ItemRow | None = None,
        lot_id: int | None = None,
    ) -> None:
        start = None if item is None else ("quantity" if lot_id is not None else "lot_id")
        super().__init__(actor, locations, start=start)
        self.item = item
        self.lot_id = lot_id

    def compose_fields(self) -> ComposeResult:
        yield ItemPickerField("item_id", "Item", required=True, item=self.item)
        yield LotPickerField("lot_id", "From lot", required=True, lot_id=self.lot_id)
        yield ChoiceField("to_location", "To", location_choices(self.locations))
        yield WholeNumberField("quantity", "Quantity", required=True)
        yield TextField("reason", "Note", max_length=200)

    def item_picked(self, item: stock.ItemRow) -> None:
        lots = self.field("lot_id")
        if isinstance(lots, LotPickerField):
            lots.load(item.id)

    @on(LotPickerField.Chosen)
    def _lot_chosen(self, event: LotPickerField.Chosen) -> None:
        """Offer the first other location as the destination."""
        event.stop()
        target = self.choice("to_location")
        if event.lot is None or target is None:
            return
        if target.raw() in ("", str(event.lot.location_id)):
            for value, _label in target.options:
                if value and value != str(event.lot.location_id):
                    target.set_raw(value)
                    break

    def save_call(self, values: dict[str, Any]) -> Callable[[], tuple[int, int]]:
        actor = self.actor
        target = location_id_of(values["to_location"])
        if target is None:
            raise InvalidInput(
                "add a second location first (n on the Stock pane)", field="to_location"
            )
        return lambda: stock.transfer(
            actor, values["lot_id"], target, values["quantity"], values["reason"]
        )

    def show_refusal(self, error: DomainError) -> None:
        if error.field == "lot":
            error.field = "lot_id"
        super().show_refusal(error)


def receipt_text(receipt: stock.Receipt) -> str:
    """The toast after a delivery: where it went, the orders it counted on, any extra."""
    text = f"Received {receipt.quantity} into lot {receipt.lot_number} at {receipt.location}"
    orders = list(dict.fromkeys(a.order_id for a in receipt.applied))
    if orders:
        text += ", on " + ", ".join(f"PO {o}" for o in orders)
    statuses = {a.order_status for a in receipt.applied}
    if "partial" in statuses:
        text += " (the rest stays on order)"
    elif statuses == {"received"}:
        text += " (order complete)"
    if receipt.over_delivered:
        text += f"; {receipt.over_delivered} over the order, kept as stock"
    return text


def lot_summary(lot: stock.LotRow) -> str:
    """``5 of lot B264274 at Lab (expired 10/13/2026)`` for questions and toasts."""
    when = (
        f"expired {us_date(lot.expires_on)}"
        if lot.expired
        else f"expires {us_date(lot.expires_on)}"
    )
    return f"{lot.quantity} of lot {lot.lot_number} at {lot.location} ({when})"


def money(cents: int) -> str:
    return f"${format_money(cents)}"
