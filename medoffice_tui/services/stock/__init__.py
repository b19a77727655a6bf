"""Supplies: in date and never run out. Receive, use, count, expire, transfer, reorder.

One module per job; everything a caller needs is importable from here
(``from medoffice_tui.services import stock``; ``stock.use(actor, item_id, 3)``):

- ``ledger``: the one place quantities change (a movement per change) and the check
  that on hand is the sum of the movements;
- ``items``, ``locations``: what is stocked and where; ``transfer`` between places;
- ``receiving``: deliveries into lots, against open purchase orders;
- ``using``: first-expiring-first-out use across lots and locations;
- ``counts``: shelf counts with a reason, expired lots taken out;
- ``lists``, ``usage``: the low-stock and expiring lists, days of supply, use per week;
- ``orders``: the purchase list by vendor, CSV export, purchase orders;
- ``settings``: the expiry window.
"""

from medoffice_tui.db.models import COUNT_REASONS
from medoffice_tui.services.stock.common import ExpiredStockNeeded, parse_expiry
from medoffice_tui.services.stock.counts import ADJUST_KINDS, adjust, count_lot, expire_lot
from medoffice_tui.services.stock.items import (
    ItemMatch,
    add_item,
    find_items,
    get_item,
    update_item,
)
from medoffice_tui.services.stock.ledger import check, on_hand_mismatches
from medoffice_tui.services.stock.lists import (
    expiring_lots,
    expiry_window,
    get_lot,
    item_lots,
    low_stock,
    suggested_quantity,
)
from medoffice_tui.services.stock.locations import (
    add_location,
    find_location,
    get_location,
    list_locations,
    transfer,
    update_location,
)
from medoffice_tui.services.stock.orders import (
    build_purchase_list,
    cancel_order,
    check_new_file,
    export_csv,
    export_to_file,
    get_order,
    list_lines,
    list_orders,
    open_line,
    open_lines,
    place_order,
    set_line_quantity,
)
from medoffice_tui.services.stock.receiving import (
    AppliedLine,
    OverDelivery,
    Receipt,
    open_line_for,
    open_lines_for,
    receive,
)
from medoffice_tui.services.stock.rows import (
    CheckResult,
    ItemRow,
    LocationRow,
    LotRow,
    MovementRow,
    OrderLineRow,
    OrderRow,
    StockRow,
    Taken,
    UsageSeries,
    UseResult,
)
from medoffice_tui.services.stock.settings import (
    StockSettings,
    get_settings,
    set_expiry_window,
)
from medoffice_tui.services.stock.usage import days_of_supply, recent_movements, usage
from medoffice_tui.services.stock.using import use, visit_today

__all__ = [
    "ADJUST_KINDS",
    "AppliedLine",
    "COUNT_REASONS",
    "CheckResult",
    "ExpiredStockNeeded",
    "ItemMatch",
    "ItemRow",
    "LocationRow",
    "LotRow",
    "MovementRow",
    "OrderLineRow",
    "OrderRow",
    "OverDelivery",
    "Receipt",
    "StockRow",
    "StockSettings",
    "Taken",
    "UsageSeries",
    "UseResult",
    "add_item",
    "add_location",
    "adjust",
    "build_purchase_list",
    "cancel_order",
    "check",
    "check_new_file",
    "count_lot",
    "days_of_supply",
    "expire_lot",
    "expiring_lots",
    "expiry_window",
    "export_csv",
    "export_to_file",
    "find_items",
    "find_location",
    "get_item",
    "get_location",
    "get_lot",
    "get_order",
    "get_settings",
    "item_lots",
    "list_lines",
    "list_locations",
    "list_orders",
    "low_stock",
    "on_hand_mismatches",
    "open_line",
    "open_line_for",
    "open_lines",
    "open_lines_for",
    "parse_expiry",
    "place_order",
    "receive",
    "recent_movements",
    "set_expiry_window",
    "set_line_quantity",
    "suggested_quantity",
    "transfer",
    "update_item",
    "update_location",
    "usage",
    "use",
    "visit_today",
]
