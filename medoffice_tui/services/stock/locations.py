"""Where stock is kept, and moving it between places (a transfer is a pair of movements)."""

from __future__ import annotations

from peewee import IntegrityError

from medoffice_tui.db.models import StockLocation, SupplyLot
from medoffice_tui.errors import InvalidInput, NotFound, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, inside_write, writes
from medoffice_tui.services.stock import common, ledger
from medoffice_tui.services.stock.rows import LocationRow

NAME_MAX = 60


def _row(row: StockLocation) -> LocationRow:
    return LocationRow(row.id, row.name, row.site, bool(row.active), row.version)


def list_locations(*, include_inactive: bool = False) -> list[LocationRow]:
    """Locations by name (the ones in use, unless asked for all)."""
    query = StockLocation.select().order_by(StockLocation.name, StockLocation.id)
    if not include_inactive:
        query = query.where(StockLocation.active == True)  # noqa: E712
    return [_row(r) for r in query]


def get_location(location_id: int) -> LocationRow:
    row = StockLocation.get_or_none(StockLocation.id == location_id)
    if row is None:
        raise NotFound("that location is not on file", field="location")
    return _row(row)


def find_location(name: str) -> LocationRow:
    """A location by its name, ignoring case (for the command line)."""
    wanted = " ".join((name or "").split()).lower()
    for row in list_locations(include_inactive=True):
        if row.name.lower() == wanted:
            return row
    raise NotFound("no location has that name", field="location")


def _clean(name: str, site: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    site = " ".join((site or "").split())
    if not name:
        raise InvalidInput("the location needs a name", field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"the name is longer than {NAME_MAX} characters", field="name")
    if len(site) > NAME_MAX:
        raise InvalidInput(f"the site is longer than {NAME_MAX} characters", field="site")
    return name, site


DEFAULT_LOCATION = "Main storage"


@inside_write
def ensure_default_location(actor: Actor) -> int:
    """Inside a write: the first location of a practice that has none ("Main storage")."""
    found = StockLocation.select(StockLocation.id).where(StockLocation.name == DEFAULT_LOCATION)
    row = found.tuples().first()
    if row is not None:
        return int(row[0])
    location_id = int(StockLocation.insert(name=DEFAULT_LOCATION, site="").execute())
    audit.record(
        actor,
        "create",
        "stock_location",
        location_id,
        fields=("name",),
        detail="the first location, made for a delivery",
    )
    return location_id


@writes("stock.item.edit")
def add_location(actor: Actor, name: str, site: str = "") -> LocationRow:
    name, site = _clean(name, site)
    if StockLocation.select().where(StockLocation.name == name).exists():
        raise InvalidInput("a location with that name is on file", field="name")
    try:
        location_id = StockLocation.insert(name=name, site=site).execute()
    except IntegrityError:
        raise InvalidInput("a location with that name is on file", field="name") from None
    audit.record(actor, "create", "stock_location", location_id, fields=("name", "site"))
    return get_location(location_id)


@writes("stock.item.edit")
def update_location(
    actor: Actor, location_id: int, version: int, *, name: str, site: str = "", active: bool = True
) -> LocationRow:
    """Rename a location or stop using it (one still holding stock stays in use)."""
    name, site = _clean(name, site)
    current = get_location(location_id)
    clash = StockLocation.select().where(
        (StockLocation.name == name) & (StockLocation.id != location_id)
    )
    if clash.exists():
        raise InvalidInput("a location with that name is on file", field="name")
    if not active and current.active:
        held = (
            SupplyLot.select()
            .where((SupplyLot.location == location_id) & (SupplyLot.quantity > 0))
            .exists()
        )
        if held:
            raise InvalidInput(
                "that location still holds stock: transfer it out first", field="active"
            )
    changed = (
        StockLocation.update(name=name, site=site, active=active, version=StockLocation.version + 1)
        .where((StockLocation.id == location_id) & (StockLocation.version == version))
        .execute()
    )
    if not changed:
        raise StaleEdit()
    fields = [
        f
        for f, old, new in (
            ("name", current.name, name),
            ("site", current.site, site),
            ("active", current.active, active),
        )
        if old != new
    ]
    audit.record(actor, "update", "stock_location", location_id, fields=fields)
    return get_location(location_id)


@writes("stock.transfer")
def transfer(
    actor: Actor, lot_id: int, to_location_id: int, quantity: int, reason: str = ""
) -> tuple[int, int]:
    """Move units of one lot to another location: an outgoing and an incoming movement,
    both carrying the outgoing one's id. Returns (out id, in id)."""
    quantity = common.quantity(quantity)
    reason = common.reason(reason)
    item_id, from_location, number, cost, expires_on, _qty = ledger.lot_state(lot_id)
    ledger.lock_item(item_id)
    ledger.require_location(to_location_id, field="to_location")
    if to_location_id == from_location:
        raise InvalidInput("the lot is already at that location", field="to_location")
    _item, _where, _number, _cost, _expiry, on_lot = ledger.lot_state(lot_id)  # after the lock
    if on_lot < quantity:
        raise InvalidInput(f"the lot holds only {on_lot} there", field="quantity")
    target = ledger.lot_at(item_id, number, to_location_id, expires_on, unit_cost_cents=cost)
    out_id = ledger.post(
        actor,
        item_id=item_id,
        lot_id=lot_id,
        location_id=from_location,
        kind="transfer",
        delta=-quantity,
        reason=reason,
    )
    ledger.link_transfer(out_id)
    in_id = ledger.post(
        actor,
        item_id=item_id,
        lot_id=target,
        location_id=to_location_id,
        kind="transfer",
        delta=quantity,
        reason=reason,
        transfer_id=out_id,
    )
    return out_id, in_id
