"""The claims queue: a paged list by date of service, status counts and A/R aging.

Age is counted in days from the date of service to ``clock.today()``; buckets are
inclusive (day 30 is "0-30", day 31 is "31-60"). A bucket filter is turned into
a ``service_date`` range computed from today, so it stays an index range rather
than a per-row computation. "Days left to file" is the payer's timely-filing
limit minus the age, shown only while the claim has not yet been accepted
(draft, ready, or rejected by the clearinghouse or payer and needing a resend).
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Case, Expression, Tuple, Value, fn

from medoffice_tui import clock
from medoffice_tui.db.models import CLAIM_STATUSES, OPEN_CLAIM_STATUSES, Claim, Patient, Payer
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.paging import Page

AGING_BUCKETS = ("0-30", "31-60", "61-90", "91-120", "121+")
#: (bucket, lowest age, highest age or None) in days
_BUCKET_AGES = ((AGING_BUCKETS[0], None, 30), (AGING_BUCKETS[1], 31, 60),
                (AGING_BUCKETS[2], 61, 90), (AGING_BUCKETS[3], 91, 120),
                (AGING_BUCKETS[4], 121, None))  # fmt: skip
#: statuses still inside the timely-filing window's concern (not yet accepted anywhere)
UNFILED_STATUSES = frozenset({"draft", "ready", "rejected_ch", "rejected_payer"})


def aging_bucket(age_days: int) -> str:
    """Inclusive buckets: 30 -> "0-30", 31 -> "31-60", 121 -> "121+" (future dates -> "0-30")."""
    for name, _low, high in _BUCKET_AGES:
        if high is None or age_days <= high:
            return name
    return AGING_BUCKETS[-1]  # pragma: no cover - the last bucket has no upper bound


def bucket_dates(
    bucket: str, today: dt.date | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive ``service_date`` range (earliest, latest) of ``bucket``; None = open end."""
    today = today or clock.today()
    for name, low, high in _BUCKET_AGES:
        if name == bucket:
            earliest = today - dt.timedelta(days=high) if high is not None else None
            latest = today - dt.timedelta(days=low) if low is not None else None
            return earliest, latest
    raise InvalidInput(f"unknown aging bucket {bucket!r}")


@dataclass(frozen=True)
class ClaimRow:
    id: int
    claim_number: str
    patient_id: int
    patient_name: str
    payer_name: str
    service_date: dt.date
    status: str
    total_charge_cents: int
    balance_cents: int
    age_days: int
    bucket: str
    days_left_to_file: int | None  # payer timely_filing_days - age; None once accepted


_COLUMNS = (
    Claim.id,
    Claim.claim_number,
    Claim.patient,
    Patient.last_name,
    Patient.first_name,
    Payer.name,
    Claim.service_date,
    Claim.status,
    Claim.total_charge_cents,
    Claim.balance_cents,
    Payer.timely_filing_days,
)


def _to_row(row: tuple, today: dt.date) -> ClaimRow:
    (cid, number, patient_id, last, first, payer, service_date, status, charge, balance,
     filing_days) = row  # fmt: skip
    age = (today - service_date).days
    left = filing_days - age if status in UNFILED_STATUSES else None
    return ClaimRow(
        id=cid,
        claim_number=number,
        patient_id=patient_id,
        patient_name=f"{last}, {first}",
        payer_name=payer,
        service_date=service_date,
        status=status,
        total_charge_cents=charge,
        balance_cents=balance,
        age_days=age,
        bucket=aging_bucket(age),
        days_left_to_file=left,
    )


def list_claims(
    status: str | None = None,
    bucket: str | None = None,
    open_only: bool = False,
    after: Any | None = None,
    limit: int = 100,
) -> Page[ClaimRow]:
    """Oldest date of service first, ``limit`` at a time; ``after`` = (service_date, id).

    ``open_only`` runs one (status, service_date, id) index range per open status
    and merges them: a single ``status IN (...)`` query ordered by date would
    walk years of paid claims to find the first open one.
    """
    if status is not None and status not in CLAIM_STATUSES:
        raise InvalidInput(f"unknown claim status {status!r}")
    if limit <= 0:
        return Page([], None)
    today = clock.today()
    if status is not None:
        statuses: list[str | None] = (
            [status] if not open_only or status in OPEN_CLAIM_STATUSES else []
        )
    else:
        statuses = list(OPEN_CLAIM_STATUSES) if open_only else [None]
    earliest, latest = bucket_dates(bucket, today) if bucket else (None, None)
    key = _after_key(after)
    if len(statuses) == 1:
        rows = list(_claim_query(statuses[0], earliest, latest, key, limit + 1).tuples())
    else:
        # keys first (index-only: the (status, service_date, id) index covers them),
        # then the one page of joined rows
        keys = [
            list(_claim_query(s, earliest, latest, key, limit + 1, keys_only=True).tuples())
            for s in statuses
        ]
        wanted = [cid for _, cid in list(heapq.merge(*keys))[: limit + 1]]
        rows = (
            list(
                _claim_query(None, None, None, None, limit + 1).where(Claim.id.in_(wanted)).tuples()
            )
            if wanted
            else []
        )
    more = len(rows) > limit
    page_rows = [_to_row(r, today) for r in rows[:limit]]
    next_after = (page_rows[-1].service_date, page_rows[-1].id) if more else None
    return Page(page_rows, next_after)


def _claim_query(
    status: str | None,
    earliest: dt.date | None,
    latest: dt.date | None,
    key: tuple[dt.date, int] | None,
    limit: int,
    keys_only: bool = False,
):  # noqa: ANN202 - a peewee query
    """One index range of claims in (service_date, id) order: (service_date, id) keys,
    or full rows with patient and payer joined."""
    parts: list[Expression] = []
    if status is not None:
        parts.append(Claim.status == status)
    if latest is not None:
        parts.append(Claim.service_date <= latest)
    # the row comparison seeks the index; a range start it already passes is left out
    # (SQLite seeks on only one lower bound)
    if key is not None and (earliest is None or key[0] >= earliest):
        service_date = Value(key[0], converter=Claim.service_date.db_value)
        parts.append(Tuple(Claim.service_date, Claim.id) > Tuple(service_date, key[1]))
    elif earliest is not None:
        parts.append(Claim.service_date >= earliest)
    if keys_only:
        query = Claim.select(Claim.service_date, Claim.id)
    else:
        query = (
            Claim.select(*_COLUMNS)
            .join(Patient, JOIN.INNER, on=(Claim.patient == Patient.id))
            .switch(Claim)
            .join(Payer, JOIN.INNER, on=(Claim.payer == Payer.id))
        )
    query = query.order_by(Claim.service_date, Claim.id).limit(limit)
    if parts:
        clause = parts[0]
        for part in parts[1:]:
            clause = clause & part
        query = query.where(clause)
    return query


def _after_key(after: Any | None) -> tuple[dt.date, int] | None:
    if after is None:
        return None
    service_date, claim_id = after
    if isinstance(service_date, str):
        service_date = dt.date.fromisoformat(service_date)
    return service_date, int(claim_id)


def status_counts() -> dict[str, int]:
    """Claims per status, every status listed (0 when none), in lifecycle order."""
    counts = dict.fromkeys(CLAIM_STATUSES, 0)
    query = Claim.select(Claim.status, fn.COUNT(Claim.id)).group_by(Claim.status).tuples()
    for status, count in query:
        counts[status] = int(count)
    return counts


def aging_summary() -> dict[str, tuple[int, int]]:
    """Open claims per aging bucket: (count, open balance in cents).

    Per open status, one row of ``SUM(CASE ...)`` columns with the bucket edges as
    dates: each an equality range on the (status, service_date, id) index (one
    ``status IN (...)`` made SQLite scan the whole table, paid claims and all), and
    no GROUP BY on a parameterised expression (PostgreSQL cannot match those).
    """
    today = clock.today()
    columns = []
    for name in AGING_BUCKETS:
        earliest, latest = bucket_dates(name, today)
        cond = None
        if earliest is not None:
            cond = Claim.service_date >= earliest
        if latest is not None:
            upper = Claim.service_date <= latest
            cond = upper if cond is None else cond & upper
        columns.append(fn.SUM(Case(None, [(cond, 1)], 0)))
        columns.append(fn.SUM(Case(None, [(cond, Claim.balance_cents)], 0)))
    totals = [0] * len(columns)
    for status in OPEN_CLAIM_STATUSES:
        row = Claim.select(*columns).where(Claim.status == status).tuples().first()
        for i, value in enumerate(row or ()):
            totals[i] += int(value or 0)
    return {name: (totals[2 * i], totals[2 * i + 1]) for i, name in enumerate(AGING_BUCKETS)}
