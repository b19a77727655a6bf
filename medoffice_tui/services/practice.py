"""The practice row: name, identifiers, time zone and slot length."""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui import clock
from medoffice_tui.db.models import Practice


@dataclass(frozen=True)
class PracticeInfo:
    name: str
    npi: str
    time_zone: str
    slot_minutes: int


NO_PRACTICE = PracticeInfo(
    name="(no practice set up)", npi="", time_zone="America/Chicago", slot_minutes=15
)


def get_practice() -> PracticeInfo:
    row = Practice.select().order_by(Practice.id).first()
    if row is None:
        return NO_PRACTICE
    return PracticeInfo(row.name, row.npi, row.time_zone, row.slot_minutes)


def load_practice_settings() -> PracticeInfo:
    """Read the practice and point the clock at its time zone."""
    info = get_practice()
    clock.set_time_zone(info.time_zone)
    return info
