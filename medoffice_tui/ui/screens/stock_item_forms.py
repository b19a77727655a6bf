"""The Stock pane's smaller forms: a supply item, a location, the expiry window, a
purchase-list line's quantity, and where to export the purchase list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual.app import ComposeResult

from medoffice_tui import clock
from medoffice_tui.services import stock
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.text import display
from medoffice_tui.ui.forms import ChoiceField, FormScreen, MoneyField, TextField
from medoffice_tui.ui.screens.stock_forms import (
    BarcodeField,
    StockForm,
    WholeNumberField,
    location_choices,
    location_id_of,
)


class ItemForm(StockForm):
    """Add a supply item, or edit one (its version guards against a lost edit)."""

    def __init__(
        self,
        actor: Actor,
        locations: Sequence[stock.LocationRow],
        existing: stock.ItemRow | None = None,
    ) -> None:
        super().__init__(actor, locations)
        self.existing = existing

    def form_title(self) -> str:
        if self.existing is None:
            return "New supply item"
        return display(f"Edit {self.existing.sku}: {self.existing.name}")

    def compose_fields(self) -> ComposeResult:
        row = self.existing
        yield TextField(
            "name", "Name", required=True, max_length=120, value=row.name if row else ""
        )
        yield TextField("sku", "SKU", required=True, max_length=30, value=row.sku if row else "")
        yield BarcodeField(
            "barcode",
            "Barcode",
            max_length=64,
            value=row.barcode if row else "",
            hint="scan it here",
        )
        yield TextField("unit", "Unit", max_length=20, value=row.unit if row else "each")
        yield TextField("category", "Category", max_length=40, value=row.category if row else "")
        yield ChoiceField(
            "home_location_id",
            "Stored at",
            location_choices(self.locations, anywhere="(not set)"),
            value=str(row.home_location_id) if row and row.home_location_id else "",
        )
        yield TextField("shelf", "Shelf / bin", max_length=60, value=row.shelf if row else "")
        yield TextField("vendor", "Vendor", max_length=120, value=row.vendor if row else "")
        yield TextField(
            "catalog_number",
            "Vendor cat. no.",
            max_length=40,
            value=row.catalog_number if row else "",
        )
        yield MoneyField("cost_cents", "Unit cost", cents=row.cost_cents if row else None)
        yield WholeNumberField(
            "reorder_point",
            "Reorder point",
            allow_zero=True,
            value=str(row.reorder_point) if row else "",
            hint="reorder at or below",
        )
        yield WholeNumberField(
            "reorder_qty",
            "Reorder qty",
            allow_zero=True,
            value=str(row.reorder_qty) if row else "",
            hint="order this many",
        )
        yield ChoiceField(
            "no_expiry",
            "No expiry",
            [("no", "no: lots carry a date"), ("yes", "yes: may have none")],
            value="yes" if row and row.no_expiry else "no",
        )
        yield ChoiceField(
            "active",
            "In use",
            [("yes", "yes"), ("no", "no: retired")],
            value="no" if row and not row.active else "yes",
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], stock.ItemRow]:
        fields = {
            **{
                k: values[k]
                for k in (
                    "name",
                    "sku",
                    "barcode",
                    "unit",
                    "category",
                    "shelf",
                    "vendor",
                    "catalog_number",
                )
            },
            "home_location_id": location_id_of(values["home_location_id"]),
            "cost_cents": values["cost_cents"] or 0,
            "reorder_point": values["reorder_point"] or 0,
            "reorder_qty": values["reorder_qty"] or 0,
            "no_expiry": values["no_expiry"] == "yes",
            "active": values["active"] == "yes",
        }
        actor, row = self.actor, self.existing
        if row is None:
            return lambda: stock.add_item(actor, **fields)
        return lambda: stock.update_item(actor, row.id, row.version, **fields)


class LocationForm(StockForm):
    FORM_TITLE = "New stock location"

    def compose_fields(self) -> ComposeResult:
        yield TextField("name", "Name", required=True, max_length=60, hint="e.g. Exam 3")
        yield TextField("site", "Site", max_length=60, hint="a second office")

    def save_call(self, values: dict[str, Any]) -> Callable[[], stock.LocationRow]:
        actor = self.actor
        return lambda: stock.add_location(actor, values["name"], values["site"])


# --------------------------------------------------------------------- moves


class ExpiryWindowForm(FormScreen[stock.StockSettings]):
    FORM_TITLE = "Expiring-lots window"

    def __init__(self, actor: Actor, current: stock.StockSettings) -> None:
        super().__init__()
        self.actor = actor
        self.current = current

    def compose_fields(self) -> ComposeResult:
        yield WholeNumberField(
            "days",
            "Days ahead",
            required=True,
            max_length=3,
            value=str(self.current.expiry_window_days),
            hint="1-365",
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], stock.StockSettings]:
        actor, version = self.actor, self.current.version
        return lambda: stock.set_expiry_window(actor, values["days"], version or None)


class LineQuantityForm(FormScreen[int]):
    """A purchase-list line's quantity (0 takes it off the list)."""

    SAVE_LABEL = "save"

    def __init__(self, actor: Actor, line: stock.OrderLineRow) -> None:
        super().__init__()
        self.actor = actor
        self.line = line

    def form_title(self) -> str:
        return display(f"Order quantity: {self.line.sku} {self.line.name}")

    def compose_fields(self) -> ComposeResult:
        yield WholeNumberField(
            "quantity",
            "Quantity",
            required=True,
            allow_zero=True,
            value=str(self.line.quantity),
            hint=f"{self.line.unit}; 0 removes",
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], int]:
        actor, line = self.actor, self.line
        return lambda: stock.set_line_quantity(
            actor, line.line_id, line.version, values["quantity"]
        )


def default_export_path() -> str:
    return str(Path.home() / f"reorder-{clock.today().isoformat()}.csv")


class ExportForm(FormScreen[tuple[Path, int]]):
    """Where to write the purchase list as CSV (a new file, owner-only)."""

    FORM_TITLE = "Export the purchase list as CSV"
    SAVE_LABEL = "export"

    def __init__(self, actor: Actor, path: str | None = None) -> None:
        super().__init__()
        self.actor = actor
        self.path = path or default_export_path()

    def compose_fields(self) -> ComposeResult:
        yield TextField("path", "File", required=True, value=self.path, hint=".csv")

    def save_call(self, values: dict[str, Any]) -> Callable[[], tuple[Path, int]]:
        actor = self.actor
        target = stock.check_new_file(values["path"])  # a bad name is said at once
        return lambda: stock.export_to_file(actor, target)
