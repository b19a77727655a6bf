"""The practice row: name, identifiers, time zone, slot length and desk settings."""

from __future__ import annotations

from dataclasses import dataclass

from medoffice_tui import clock, files
from medoffice_tui.db.models import Practice
from medoffice_tui.errors import InvalidInput, NotFound
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes


@dataclass(frozen=True)
class PracticeInfo:
    name: str
    npi: str
    time_zone: str
    slot_minutes: int
    is_demo: bool = False
    idle_lock_minutes: int = 5
    ssh_login_map: bool = False
    file_group: str = ""


NO_PRACTICE = PracticeInfo(
    name="(no practice set up)", npi="", time_zone="America/Chicago", slot_minutes=15
)


def get_practice() -> PracticeInfo:
    row = Practice.select().order_by(Practice.id).first()
    if row is None:
        return NO_PRACTICE
    return PracticeInfo(
        row.name,
        row.npi,
        row.time_zone,
        row.slot_minutes,
        bool(row.is_demo),
        int(row.idle_lock_minutes or 5),
        bool(row.ssh_login_map),
        row.file_group or "",
    )


def load_practice_settings() -> PracticeInfo:
    """Read the practice and point the clock at its time zone."""
    info = get_practice()
    clock.set_time_zone(info.time_zone)
    return info


_ON = {"on", "yes", "true", "1"}
_OFF = {"off", "no", "false", "0"}


def _clean_settings(changes: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in changes.items():
        text = str(value).strip()
        if name == "idle_lock_minutes":
            if not text.isdigit() or not 1 <= int(text) <= 60:
                raise InvalidInput("idle lock minutes is a whole number from 1 to 60", field=name)
            out[name] = int(text)
        elif name == "ssh_login_map":
            if text.lower() not in _ON | _OFF:
                raise InvalidInput("ssh login map is on or off", field=name)
            out[name] = text.lower() in _ON
        elif name == "file_group":
            try:
                files.set_group(text)
            except ValueError as exc:
                raise InvalidInput(str(exc), field=name) from None
            out[name] = text
        else:
            raise InvalidInput(f"unknown setting {name}", field=name)
    return out


@writes("settings.edit")
def update_settings(actor: Actor, **changes: object) -> PracticeInfo:
    """Change desk settings: idle_lock_minutes (1-60), ssh_login_map (on/off), file_group."""
    values = _clean_settings(changes)
    row = Practice.select(Practice.id).order_by(Practice.id).first()
    if row is None:
        raise NotFound("this database has no practice set up yet")
    Practice.update(**values, version=Practice.version + 1).where(Practice.id == row.id).execute()
    audit.record(actor, "update", "practice", row.id, fields=values)
    return get_practice()


@writes("settings.edit")
def create_practice(
    actor: Actor, name: str, *, time_zone: str = "America/Chicago", npi: str = "", tax_id: str = ""
) -> PracticeInfo:
    """Set up a new practice (``medoffice init``): its one row. Refused if there is one."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text = " ".join((name or "").split())
    if not text:
        raise InvalidInput("the practice needs a name", field="name")
    if len(text) > 120:
        raise InvalidInput("the practice name is longer than 120 characters", field="name")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "not a time zone: use a name like America/Chicago", field="time_zone"
        ) from None
    if Practice.select().exists():
        raise InvalidInput("this database already has a practice set up", field="name")
    practice_id = Practice.insert(
        name=text, npi=npi.strip(), tax_id=tax_id.strip(), time_zone=time_zone
    ).execute()
    audit.record(actor, "create", "practice", practice_id, fields=("name", "time_zone"))
    return get_practice()
