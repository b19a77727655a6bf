"""A small hand-built practice for the schedule's service tests.

Two working providers (Rivera: Mon-Fri 8-12 and 13-17; Chen: Mon-Fri 8-17 with a
weekday lunch block 12-13), one inactive provider, three patients (one inactive),
two appointment types; slot length 15 minutes; the clock frozen on Monday
2026-11-23 at 10:30.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medoffice_tui.db.models import (
    AppointmentType,
    Patient,
    Practice,
    Provider,
    ProviderBlock,
    ProviderHours,
)
from medoffice_tui.services import schedule

MONDAY = dt.date(2026, 11, 23)  # the frozen today
TUESDAY = MONDAY + dt.timedelta(days=1)


def at(hour: int, minute: int = 0, day: dt.date = MONDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def make_patient(mrn: str, first: str, last: str, active: bool = True) -> int:
    return Patient.create(
        mrn=mrn, first_name=first, last_name=last, dob=dt.date(1970, 1, 1),
        last_norm=last.lower(), first_norm=first.lower(), active=active,
        phone_mobile="(312) 555-0100", phone_home="(312) 555-0199",
    ).id  # fmt: skip


def make_provider(first: str, last: str, npi: str, sort: int, **kw: Any) -> int:
    return Provider.create(first_name=first, last_name=last, npi=npi, sort_order=sort, **kw).id


def weekday_hours(provider: int, *spans: tuple[dt.time, dt.time], days=range(5)) -> None:  # noqa: ANN001
    for weekday in days:
        for start, end in spans:
            ProviderHours.create(provider=provider, weekday=weekday, start_time=start, end_time=end)


@pytest.fixture
def office(database, fixture_writes, staff) -> dict[str, Any]:
    """The office on each engine (for the rules the engines enforce differently)."""
    return build_office(staff)


@pytest.fixture
def office_sqlite(sqlite_database, fixture_writes) -> dict[str, Any]:
    """The office on SQLite only: rules that are plain Python over portable queries (a
    PostgreSQL run would only repeat them, at the cost of a schema migrated per test)."""
    from tests.conftest import make_staff

    return build_office(make_staff(sqlite_database))


def build_office(staff: dict[str, Any]) -> dict[str, Any]:
    Practice.create(name="Test Clinic", npi="1234567893", tax_id="123456789", slot_minutes=15)
    rivera = make_provider("Jo", "Rivera", "1000000001", 1, credential="MD")
    chen = make_provider("Al", "Chen", "1000000002", 2)
    gone = make_provider("Old", "Doc", "1000000003", 3, active=False)
    weekday_hours(rivera, (dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
    weekday_hours(chen, (dt.time(8), dt.time(17)))
    weekday_hours(gone, (dt.time(8), dt.time(17)))
    ProviderBlock.create(
        provider=chen, kind="lunch", start=dt.datetime(2026, 1, 5, 12),
        end=dt.datetime(2026, 1, 5, 13), rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", note="Lunch",
    )  # fmt: skip
    return {
        "rivera": rivera, "chen": chen, "gone": gone,
        "ann": make_patient("M1", "Ann", "Lee"),
        "bob": make_patient("M2", "Bob", "Ng"),
        "cat": make_patient("M3", "Cat", "Old", active=False),
        "follow_up": AppointmentType.create(name="Follow-up", default_minutes=30).id,
        "sick": AppointmentType.create(name="Sick visit", default_minutes=15).id,
        "desk": staff["front_desk"], "manager": staff["manager"], "billing": staff["billing"],
        "clinical": staff["clinical"],
    }  # fmt: skip


def book(office: dict[str, Any], who: str = "ann", provider: str = "rivera",
         start: dt.datetime | None = None, minutes: int | None = 15, actor: str = "desk",
         **kw: Any) -> schedule.AppointmentRow:  # fmt: skip
    return schedule.book_appointment(
        office[actor], office[who], office[provider], start or at(9), minutes=minutes, **kw
    )
