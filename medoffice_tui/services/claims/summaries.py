"""The queue's summary lines at any size: kept up to date by the write path, not counted.

``claim_summary`` holds claims, open balance and charges per (status, date of service);
claims no longer open share one row per status (their age no longer matters). Every
service write that creates a claim or changes its status, date of service, balance or
charge calls :func:`move` in the same transaction, so the summary is never behind. The
aging buckets depend on today's date, so they are summed from the per-day rows at read
time: a few hundred rows (open claims' days of service) whatever the number of claims,
and nothing goes stale at midnight.

:func:`recount` counts the claims themselves (a full scan: for ``medoffice claims
recount`` and the tests), :func:`rebuild` replaces the summary with that count (after a
bulk load such as the demo's).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import EXCLUDED, fn

from medoffice_tui import clock
from medoffice_tui.db.models import (
    CLAIM_STATUSES,
    OPEN_CLAIM_STATUSES,
    SETTLED_DAY,
    Claim,
    ClaimSummary,
)
from medoffice_tui.services.actor import inside_write
from medoffice_tui.services.claims.aging import AGING_BUCKETS, aging_bucket

_OPEN = frozenset(OPEN_CLAIM_STATUSES)


@dataclass(frozen=True)
class ClaimMoney:
    """What the summary needs of one claim: before or after a change."""

    status: str
    service_date: dt.date
    balance_cents: int
    charge_cents: int


def snapshot(claim: Claim) -> ClaimMoney:
    return ClaimMoney(
        claim.status, claim.service_date, claim.balance_cents, claim.total_charge_cents
    )


def _day(status: str, service_date: dt.date) -> dt.date:
    return service_date if status in _OPEN else SETTLED_DAY


def _add(status: str, day: dt.date, claims: int, balance: int, charge: int) -> None:
    ClaimSummary.insert(
        status=status, service_date=day, claims=claims, balance_cents=balance, charge_cents=charge
    ).on_conflict(
        conflict_target=[ClaimSummary.status, ClaimSummary.service_date],
        update={
            ClaimSummary.claims: ClaimSummary.claims + EXCLUDED.claims,
            ClaimSummary.balance_cents: ClaimSummary.balance_cents + EXCLUDED.balance_cents,
            ClaimSummary.charge_cents: ClaimSummary.charge_cents + EXCLUDED.charge_cents,
        },
    ).execute()


def move(before: ClaimMoney | None, after: ClaimMoney | None) -> None:
    """Take one claim's ``before`` out of the summary and put its ``after`` in (either may
    be None: a new claim, a deleted one). Call inside the write that changed it."""
    if before == after:
        return
    if before is not None and after is not None:
        same = (before.status, _day(before.status, before.service_date)) == (
            after.status,
            _day(after.status, after.service_date),
        )
        if same:
            _add(
                after.status,
                _day(after.status, after.service_date),
                0,
                after.balance_cents - before.balance_cents,
                after.charge_cents - before.charge_cents,
            )
            return
    if before is not None:
        _add(
            before.status,
            _day(before.status, before.service_date),
            -1,
            -before.balance_cents,
            -before.charge_cents,
        )
    if after is not None:
        _add(
            after.status,
            _day(after.status, after.service_date),
            1,
            after.balance_cents,
            after.charge_cents,
        )


# ------------------------------------------------------------------- reading


def status_counts() -> dict[str, int]:
    """Claims per status, every status listed (0 when none), in lifecycle order."""
    counts = dict.fromkeys(CLAIM_STATUSES, 0)
    query = (
        ClaimSummary.select(ClaimSummary.status, fn.SUM(ClaimSummary.claims))
        .group_by(ClaimSummary.status)
        .tuples()
    )
    for status, count in query:
        if status in counts:
            counts[status] = int(count or 0)
    return counts


def aging_summary(today: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """Open claims per aging bucket: (count, open balance in cents)."""
    today = today or clock.today()
    totals = {bucket: [0, 0] for bucket in AGING_BUCKETS}
    query = (
        ClaimSummary.select(
            ClaimSummary.service_date,
            fn.SUM(ClaimSummary.claims),
            fn.SUM(ClaimSummary.balance_cents),
        )
        .where(ClaimSummary.status.in_(OPEN_CLAIM_STATUSES))
        .group_by(ClaimSummary.service_date)
        .tuples()
    )
    for day, count, balance in query:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        slot = totals[aging_bucket((today - day).days)]
        slot[0] += int(count or 0)
        slot[1] += int(balance or 0)
    return {bucket: (n, cents) for bucket, (n, cents) in totals.items()}


def summary_rows() -> int:
    """How many summary rows there are (the bound on what a summary read costs)."""
    return ClaimSummary.select().count()


# ------------------------------------------------------------- recount, rebuild


def recount() -> dict[tuple[str, dt.date], tuple[int, int, int]]:
    """What the summary should hold, counted from every claim (a full scan)."""
    totals: dict[tuple[str, dt.date], list[int]] = {}
    query = (
        Claim.select(
            Claim.status,
            Claim.service_date,
            fn.COUNT(Claim.id),
            fn.SUM(Claim.balance_cents),
            fn.SUM(Claim.total_charge_cents),
        )
        .group_by(Claim.status, Claim.service_date)
        .tuples()
    )
    for status, day, count, balance, charge in query:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        row = totals.setdefault((status, _day(status, day)), [0, 0, 0])
        row[0] += int(count)
        row[1] += int(balance or 0)
        row[2] += int(charge or 0)
    return {key: (n, b, c) for key, (n, b, c) in totals.items() if n}


def stored() -> dict[tuple[str, dt.date], tuple[int, int, int]]:
    """What the summary holds now (rows that count nothing left out)."""
    out = {}
    for status, day, n, balance, charge in ClaimSummary.select(
        ClaimSummary.status,
        ClaimSummary.service_date,
        ClaimSummary.claims,
        ClaimSummary.balance_cents,
        ClaimSummary.charge_cents,
    ).tuples():
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if n or balance or charge:
            out[(status, day)] = (int(n), int(balance), int(charge))
    return out


def differences() -> list[tuple[str, dt.date]]:
    """The (status, day) keys where the summary and a full recount disagree."""
    counted, kept = recount(), stored()
    return sorted(key for key in set(counted) | set(kept) if counted.get(key) != kept.get(key))


@inside_write
def rebuild() -> int:
    """Replace the summary with a full recount (inside a write). Returns the rows written."""
    counted = recount()
    ClaimSummary.delete().execute()
    rows = [
        {"status": s, "service_date": d, "claims": n, "balance_cents": b, "charge_cents": c}
        for (s, d), (n, b, c) in counted.items()
    ]
    for start in range(0, len(rows), 500):
        ClaimSummary.insert_many(rows[start : start + 500]).execute()
    return len(rows)
