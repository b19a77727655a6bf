"""The claims work queue: a keyset-paged list, filtered and sorted, never loading all rows.

Every sort and filter is an index range per status: the queue opens on the open
statuses, and one ``status IN (...)`` ordered by date would walk years of paid claims to
find the first open one, so each status gets its own range (the (status, ...) indexes
of ``Claim``) and the ranges are merged. Only the keys are read for that (index-only);
then the one page of rows is fetched by id with patient, payer and assignee joined.

Sorts: ``urgent`` (the pane's default: first the claims not yet with a payer, by the
days left before their payer's filing limit, fewest first, those already past it on
top since only a write-off or a proof of timely filing settles them; then every other
open claim oldest first), ``age`` (oldest date of service first: the money that gets
older every day),
``amount`` (largest balance first), ``payer`` (payer name, then oldest first). With
``follow_up_due`` the list is the claims whose follow-up date has come, most overdue
first. Keys for ``after`` are what ``Page.next_after`` gave.

The same order reads backwards for a list's End: ``from_end`` is the last page and
``before`` (what ``Page.prev_before`` gave: the key of a page's first row) the page
just above a row, each read with every ORDER BY and keyset comparison turned around
(the same index ranges, walked from their other end) and handed back in list order.
Every order ends on the claim id, so forward and backward pages meet exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Expression

from medoffice_tui import clock
from medoffice_tui.db.models import CLAIM_STATUSES, OPEN_CLAIM_STATUSES, Claim, Patient, Payer, User
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.claims.aging import (
    aging_bucket,
    bucket_dates,
    days_left_to_file,
)
from medoffice_tui.services.claims.queue_keys import (
    AGE,
    AMOUNT,
    FOLLOW_UP,
    after_key,
    as_date,
    merged_keys,
    payer_keys,
    urgent_keys,
)
from medoffice_tui.services.paging import Page

SORTS = ("urgent", "age", "amount", "payer")
#: assignee filter value meaning "nobody is working it"
UNASSIGNED = 0


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
    payer_id: int = 0
    assignee_id: int | None = None
    assignee: str = ""  # the assignee's username
    follow_up_on: dt.date | None = None
    version: int = 1
    assignee_name: str = ""  # the assignee's full name


Assignee = User.alias("assignee")

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
    Claim.payer,
    Claim.assignee,
    Assignee.username,
    Claim.follow_up_on,
    Claim.version,
    Assignee.full_name,
)


def _to_row(row: tuple, today: dt.date) -> ClaimRow:
    (
        cid,
        number,
        patient_id,
        last,
        first,
        payer,
        service_date,
        status,
        charge,
        balance,
        filing_days,
        payer_id,
        assignee_id,
        assignee,
        follow_up,
        version,
        assignee_name,
    ) = row
    service_date = as_date(service_date)
    age = (today - service_date).days
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
        days_left_to_file=days_left_to_file(status, service_date, filing_days, today),
        payer_id=payer_id,
        assignee_id=assignee_id,
        assignee=assignee or "",
        follow_up_on=as_date(follow_up),
        version=version,
        assignee_name=assignee_name or "",
    )


def _joined():  # noqa: ANN202 - a peewee query
    return (
        Claim.select(*_COLUMNS)
        .join(Patient, JOIN.INNER, on=(Claim.patient == Patient.id))
        .switch(Claim)
        .join(Payer, JOIN.INNER, on=(Claim.payer == Payer.id))
        .switch(Claim)
        .join(Assignee, JOIN.LEFT_OUTER, on=(Claim.assignee == Assignee.id))
    )


def get_claim_row(claim_id: int) -> ClaimRow | None:
    """One claim as the queue shows it (after a change, to repaint its row)."""
    row = _joined().where(Claim.id == claim_id).tuples().first()
    return _to_row(row, clock.today()) if row else None


def list_claims(
    status: str | None = None,
    bucket: str | None = None,
    open_only: bool = False,
    after: Any | None = None,
    limit: int = 100,
    *,
    payer_id: int | None = None,
    assignee_id: int | None = None,
    follow_up_due: bool = False,
    sort: str = "urgent",
    before: Any | None = None,
    from_end: bool = False,
) -> Page[ClaimRow]:
    """``limit`` claims after the key ``after``, filtered and sorted (see the module doc).

    ``assignee_id=UNASSIGNED`` (0) keeps the claims nobody is working. ``from_end``
    reads the last page of the same order and ``before`` the page just above the row
    whose key it is; both come back in list order with ``prev_before`` set while rows
    lie above them (and no ``next_after``).
    """
    if status is not None and status not in CLAIM_STATUSES:
        raise InvalidInput(f"unknown claim status {status!r}")
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}")
    if limit <= 0:
        return Page([], None)
    upward = from_end or before is not None
    if upward:
        after = None
    today = clock.today()
    if status is not None:
        statuses: list[str | None] = (
            [status] if not open_only or status in OPEN_CLAIM_STATUSES else []
        )
    else:
        statuses = list(OPEN_CLAIM_STATUSES) if open_only else [None]
    if statuses == [None] and (
        sort != "age" or follow_up_due or payer_id or assignee_id is not None
    ):
        statuses = list(CLAIM_STATUSES)  # every status, each its own index range
    earliest, latest = bucket_dates(bucket, today) if bucket else (None, None)
    filters: list[Expression] = []
    if payer_id is not None:
        filters.append(Claim.payer == payer_id)
    if assignee_id is not None:
        filters.append(
            Claim.assignee.is_null() if assignee_id == UNASSIGNED else Claim.assignee == assignee_id
        )
    if follow_up_due:
        plan = FOLLOW_UP
        filters.append(Claim.follow_up_on <= today)
    else:
        plan = {"urgent": AGE, "age": AGE, "amount": AMOUNT, "payer": AGE}[sort]
    if latest is not None:
        filters.append(Claim.service_date <= latest)
    if earliest is not None:
        # the keyset's row comparison seeks the index; a range start it already passes is
        # left out (SQLite seeks on only one lower bound)
        akey = after_key(plan, after) if plan is AGE and sort == "age" else None
        if upward or akey is None or akey[0] < earliest:
            filters.append(Claim.service_date >= earliest)
    keyed = sort in ("payer", "urgent") and not follow_up_due
    if upward:
        # the page above ``before`` (or the last page): the same plan read backwards
        if sort == "urgent" and not follow_up_due:
            keys = urgent_keys(statuses, filters, before, limit + 1, payer_id, reverse=True)
        elif sort == "payer" and not follow_up_due:
            keys = payer_keys(statuses, filters, before, limit + 1, payer_id, reverse=True)
        else:
            bkey = after_key(plan, before)
            keys = merged_keys(plan, statuses, filters, bkey, limit + 1, reverse=True)
        more = len(keys) > limit
        keys = keys[:limit][::-1]
        rows = _rows_for([k[-1] for k in keys], today)
        first = keys[0] if keys else None
        prev_before = None
        if more and first is not None:
            prev_before = first[1] if keyed else plan.next_key(first)
        return Page(rows, None, prev_before)
    if sort == "urgent" and not follow_up_due:
        keys = urgent_keys(statuses, filters, after, limit + 1, payer_id)
    elif sort == "payer" and not follow_up_due:
        keys = payer_keys(statuses, filters, after, limit + 1, payer_id)
    else:
        keys = merged_keys(plan, statuses, filters, after_key(plan, after), limit + 1)
    rows = _rows_for([k[-1] for k in keys[:limit]], today)
    more = len(keys) > limit
    page_rows = rows[:limit]
    next_after = None
    if more and page_rows:
        last = keys[limit - 1]
        next_after = last[1] if keyed else plan.next_key(last)
    return Page(page_rows, next_after)


def _rows_for(ids: list[int], today: dt.date) -> list[ClaimRow]:
    if not ids:
        return []
    database = Claim._meta.database
    sql = _rows_sql(len(ids), type(getattr(database, "obj", database)).__name__)
    found = {r[0]: r for r in database.execute_sql(sql, ids).fetchall()}
    return [_to_row(found[i], today) for i in ids if i in found]


@functools.lru_cache(maxsize=16)
def _rows_sql(count: int, engine: str) -> str:
    """The joined read of ``count`` claims by id, as SQL text: built by Peewee once per
    page length and engine (building it took a third of a page's time; the rows come
    back as the driver gives them, which ``_to_row`` reads)."""
    sql, _params = _joined().where(Claim.id.in_(list(range(count)))).sql()
    return sql


def payers() -> list[tuple[int, str]]:
    """(id, name) of every payer, by name: the queue's payer filter."""
    return [
        (pid, name)
        for pid, name in Payer.select(Payer.id, Payer.name).order_by(Payer.name, Payer.id).tuples()
    ]
