"""The practice's stock settings: how far ahead the expiring-lots list looks."""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import StockSetting
from medoffice_tui.errors import InvalidInput, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes

DEFAULT_EXPIRY_WINDOW = 30
WINDOW_RANGE = (1, 365)


@dataclass(frozen=True)
class StockSettings:
    expiry_window_days: int
    version: int


def get_settings() -> StockSettings:
    row = (
        StockSetting.select(StockSetting.expiry_window_days, StockSetting.version)
        .order_by(StockSetting.id)
        .tuples()
        .first()
    )
    if row is None:
        return StockSettings(DEFAULT_EXPIRY_WINDOW, 0)
    return StockSettings(int(row[0]), int(row[1]))


def parse_window(value: object) -> int:
    text = str(value).strip().lower().removesuffix("days").removesuffix("d").strip()
    low, high = WINDOW_RANGE
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(
            f"the expiry window is a number of days from {low} to {high}", field="days"
        )
    return int(text)


@writes("settings.edit")
def set_expiry_window(actor: Actor, days: object, version: int | None = None) -> StockSettings:
    """Lots expiring within this many days are listed (1-365). ``version`` is the one
    read, when the caller has one (a screen); the command line may leave it out."""
    value = parse_window(days)
    current = get_settings()
    if version is not None and current.version and version != current.version:
        raise StaleEdit(changed_fields=("expiry_window_days",))
    row = StockSetting.select(StockSetting.id).order_by(StockSetting.id).first()
    stamp = {"updated_by": actor.user_id, "updated_at": clock.now()}
    if row is None:
        setting_id = StockSetting.insert(expiry_window_days=value, **stamp).execute()
    else:
        setting_id = row.id
        changed = (
            StockSetting.update(expiry_window_days=value, version=StockSetting.version + 1, **stamp)
            .where(
                (StockSetting.id == row.id)
                & (StockSetting.version == (version if version is not None else current.version))
            )
            .execute()
        )
        if not changed:
            raise StaleEdit(changed_fields=("expiry_window_days",))
    audit.record(actor, "update", "stock_setting", setting_id, fields=("expiry_window_days",))
    return get_settings()
