"""The stock pane's keys: receive, use, count, transfer, expire a lot, add and edit an
item or a location, the expiry window, reordering. Each opens its form or dialog (the
services behind it check the role and write the audit event) and reloads the lists
with a toast of what was done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medoffice_tui.services import stock
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import hold_keys, release_keys
from medoffice_tui.ui.forms import ConfirmScreen
from medoffice_tui.ui.screens.stock_forms import (
    CountForm,
    ReceiveForm,
    TransferForm,
    UseForm,
    lot_summary,
    receipt_text,
)
from medoffice_tui.ui.screens.stock_item_forms import ExpiryWindowForm, ItemForm, LocationForm
from medoffice_tui.ui.service_call import call_service


class StockActions:
    """The keys of ``StockPane`` (a mixin: it reads the pane's lists, locations,
    settings and actor, and reloads the pane when a form is saved)."""

    NEEDS: dict[str, str]
    shown: str
    locations: Any
    settings: Any
    app: Any
    actor: Any

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needed = self.NEEDS.get(action)
        if needed is not None and not self.may(needed):
            return False
        if action == "expire":
            lot = self.current_lot() if self.shown == "expiring" else None
            return True if lot is not None and lot.expired else None
        if action == "edit_item" and self.current() is None:
            return None
        return True

    def _with_item(self, open_form: Callable[[stock.ItemRow | None], None]) -> None:
        """Open a form for the selected row's item (read first: the form shows it)."""
        item_id = self.current_item_id()
        if item_id is None:
            open_form(None)
            return
        hold_keys(self, "stock-form")  # keys typed after the key go into the form
        call_service(
            self,
            lambda: stock.get_item(item_id),
            on_result=open_form,
            on_done=lambda: release_keys(self, "stock-form"),
            group="stock-form",
            description="stock form item",
        )

    def _done(self, message: Callable[[Any], str]) -> Callable[[Any], None]:
        def after(result: Any) -> None:
            if result is None:
                return
            self.notify(display(message(result)), markup=False)
            self.reload()

        return after

    # a delivery or a use starts from the item in hand (scanned), not the list's cursor

    def action_receive(self) -> None:
        self.app.push_screen(ReceiveForm(self.actor, self.locations), self._done(receipt_text))

    def action_use(self) -> None:
        self.app.push_screen(UseForm(self.actor, self.locations), self._done(use_text))

    def action_count(self) -> None:
        self._lot_form(CountForm, lambda _id: "Count saved")

    def action_transfer(self) -> None:
        self._lot_form(TransferForm, lambda _ids: "Moved")

    def _lot_form(self, form_class: type, message: Callable[[Any], str]) -> None:
        """A count or a transfer: for the selected row's item, and its lot if a lot row."""
        lot = self.current_lot()

        def open_form(item: stock.ItemRow | None) -> None:
            form = form_class(
                self.actor, self.locations, item=item, lot_id=lot.lot_id if lot else None
            )
            self.app.push_screen(form, self._done(message))

        self._with_item(open_form)

    def action_expire(self) -> None:
        lot = self.current_lot()
        if lot is None or not lot.expired:
            return
        question = f"Take {lot_summary(lot)} out of stock as expired?"

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            actor = self.actor
            call_service(
                self,
                lambda: stock.expire_lot(actor, lot.lot_id),
                on_result=self._done(lambda _id: f"Lot {lot.lot_number} taken out as expired"),
                key=f"stock-item:{lot.item_id}",
                group="stock-write",
                description="expire a lot",
            )

        self.app.push_screen(ConfirmScreen(display(question), yes="take it out"), answered)

    def action_add_item(self) -> None:
        self.app.push_screen(
            ItemForm(self.actor, self.locations),
            self._done(lambda row: f"Added {row.sku}: {row.name}"),
        )

    def action_edit_item(self) -> None:
        def open_form(item: stock.ItemRow | None) -> None:
            if item is not None:
                self.app.push_screen(
                    ItemForm(self.actor, self.locations, item),
                    self._done(lambda row: f"Saved {row.sku}"),
                )

        self._with_item(open_form)

    def action_add_location(self) -> None:
        self.app.push_screen(
            LocationForm(self.actor, self.locations),
            self._done(lambda row: f"Added location {row.label}"),
        )

    def action_expiry_window(self) -> None:
        if self.settings is None:
            return
        self.app.push_screen(
            ExpiryWindowForm(self.actor, self.settings),
            self._done(lambda s: f"Expiring lots: within {s.expiry_window_days} days"),
        )

    def action_reorder(self) -> None:
        from medoffice_tui.ui.screens.stock_orders import ReorderScreen

        self.app.push_screen(ReorderScreen(self.locations), lambda _result: self.reload())


def use_text(result: stock.UseResult) -> str:
    parts = [f"{t.quantity} from lot {t.lot_number} ({t.location})" for t in result.taken]
    text = f"Used {result.quantity}: " + ", ".join(parts)
    if result.from_expired:
        text += f"; {result.from_expired} from an EXPIRED lot"
    if result.appointment_id is not None:
        text += "; recorded on today's visit"
    return text
