"""What the stock services hand back: frozen rows, plain values only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LocationRow:
    id: int
    name: str
    site: str
    active: bool
    version: int

    @property
    def label(self) -> str:
        return f"{self.name} ({self.site})" if self.site else self.name


@dataclass(frozen=True)
class ItemRow:
    id: int
    sku: str
    name: str
    unit: str
    barcode: str
    category: str
    vendor: str
    catalog_number: str
    cost_cents: int
    reorder_point: int
    reorder_qty: int
    home_location_id: int | None
    home_location: str
    shelf: str
    no_expiry: bool
    active: bool
    on_hand: int
    version: int


@dataclass(frozen=True)
class StockRow:
    """One line of the low-stock list."""

    item_id: int
    sku: str
    name: str
    unit: str
    #: in-date units on hand (at the location filtered on, or practice-wide)
    on_hand: int
    reorder_point: int
    reorder_qty: int
    vendor: str
    location: str
    nearest_expiry: dt.date | None
    flag: str  # "out" (nothing usable) | "low" (at or below the reorder point)
    #: units on open purchase orders not yet received
    on_order: int = 0
    #: what to order now: up to reorder point + reorder quantity, less what is on order
    suggested: int = 0
    #: units used over the last 30 and 90 days
    used_30: int = 0
    used_90: int = 0
    #: days until it runs out at the recent rate (None: no use in 90 days)
    days_left: int | None = None
    #: the paging key this row sorts by
    sort_key: tuple = field(default=(), compare=False, repr=False)
    #: in-date units on hand practice-wide (what ordering is judged by)
    practice_on_hand: int = 0
    #: on a one-location list, when the rest of the practice holds enough: the other
    #: location holding the most in-date units, and how many (move it, do not order)
    transfer_from: str = ""
    transfer_units: int = 0

    @property
    def daily_use(self) -> float:
        """The rate days_left is computed from: the higher of the 30- and 90-day averages."""
        return max(self.used_30 / 30, self.used_90 / 90)


@dataclass(frozen=True)
class LotRow:
    """One lot at one location (the expiring list, an item's lots)."""

    lot_id: int
    item_id: int
    sku: str
    name: str
    lot_number: str
    expires_on: dt.date | None
    quantity: int
    days_left: int | None  # negative = expired; None = no expiry date
    location_id: int | None = None
    location: str = ""

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True)
class Taken:
    """Units one use took from one lot."""

    lot_id: int
    lot_number: str
    location: str
    quantity: int
    expired: bool


@dataclass(frozen=True)
class UseResult:
    item_id: int
    quantity: int
    taken: tuple[Taken, ...]
    appointment_id: int | None = None

    @property
    def from_expired(self) -> int:
        return sum(t.quantity for t in self.taken if t.expired)


@dataclass(frozen=True)
class MovementRow:
    id: int
    item_id: int
    lot_id: int | None
    lot_number: str
    location: str
    kind: str
    quantity: int
    reason: str
    reason_code: str
    at: dt.datetime
    username: str


@dataclass(frozen=True)
class UsageSeries:
    """An item's use per week, oldest week first, and its 30/90-day totals."""

    item_id: int
    weeks: tuple[int, ...]
    week_starts: tuple[dt.date, ...]
    used_30: int
    used_90: int


@dataclass(frozen=True)
class OrderLineRow:
    line_id: int
    order_id: int
    item_id: int
    sku: str
    name: str
    unit: str
    catalog_number: str
    quantity: int
    received: int
    unit_cost_cents: int
    version: int
    order_version: int
    vendor: str
    status: str

    @property
    def remaining(self) -> int:
        return max(self.quantity - self.received, 0)

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_cost_cents


@dataclass(frozen=True)
class OrderRow:
    id: int
    vendor: str
    status: str
    created_at: dt.datetime
    ordered_at: dt.datetime | None
    location: str
    lines: int
    units: int
    received: int
    total_cents: int
    version: int

    @property
    def label(self) -> str:
        return f"PO {self.id}"


@dataclass(frozen=True)
class CheckResult:
    """``medoffice stock check``: where the running sums disagree with the movements."""

    items: int
    lots: int
    movements: int
    #: (item id, on_hand, sum of its lots, sum of its movements)
    item_mismatches: list[tuple[int, int, int, int]]
    #: (lot id, quantity, sum of its movements)
    lot_mismatches: list[tuple[int, int, int]]
    negative_lots: list[int]
    lots_without_location: list[int]
    #: (order line id, received, sum of receipts against it)
    order_mismatches: list[tuple[int, int, int]]

    @property
    def ok(self) -> bool:
        return not (
            self.item_mismatches
            or self.lot_mismatches
            or self.negative_lots
            or self.lots_without_location
            or self.order_mismatches
        )
