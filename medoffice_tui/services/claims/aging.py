"""Aging: how old a claim is, its bucket, and the days left to file it.

Age is counted in days from the date of service to ``clock.today()``; buckets are
inclusive (day 30 is "0-30", day 31 is "31-60"). A bucket filter is turned into a
``service_date`` range computed from today, so it stays an index range rather than a
per-row computation. "Days left to file" is the payer's timely-filing limit minus the
age, shown only while the claim has not yet been accepted (draft, ready, or rejected by
the clearinghouse or payer and needing a resend).
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput

AGING_BUCKETS = ("0-30", "31-60", "61-90", "91-120", "121+")
#: (bucket, lowest age, highest age or None) in days
BUCKET_AGES = (
    (AGING_BUCKETS[0], None, 30),
    (AGING_BUCKETS[1], 31, 60),
    (AGING_BUCKETS[2], 61, 90),
    (AGING_BUCKETS[3], 91, 120),
    (AGING_BUCKETS[4], 121, None),
)
#: statuses still inside the timely-filing window's concern (not yet accepted anywhere)
UNFILED_STATUSES = frozenset({"draft", "ready", "rejected_ch", "rejected_payer", "corrected"})


def aging_bucket(age_days: int) -> str:
    """Inclusive buckets: 30 -> "0-30", 31 -> "31-60", 121 -> "121+" (future dates -> "0-30")."""
    for name, _low, high in BUCKET_AGES:
        if high is None or age_days <= high:
            return name
    return AGING_BUCKETS[-1]  # pragma: no cover - the last bucket has no upper bound


def bucket_dates(
    bucket: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive ``service_date`` range (earliest, latest) of ``bucket``; None = open end."""
    today = today or clock.today()
    for name, low, high in BUCKET_AGES:
        if name == bucket:
            earliest = today - dt.timedelta(days=high) if high is not None else None
            latest = today - dt.timedelta(days=low) if low is not None else None
            return earliest, latest
    raise InvalidInput(f"unknown aging bucket {bucket!r}")


def days_left_to_file(
    status: str, service_date: dt.date, filing_days: int, today: dt.date | None = None
) -> int | None:
    """The payer's filing limit minus the claim's age; None once a payer has it."""
    if status not in UNFILED_STATUSES:
        return None
    return filing_days - ((today or clock.today()) - service_date).days
