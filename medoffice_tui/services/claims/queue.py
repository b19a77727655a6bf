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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Expression, Tuple, Value

from medoffice_tui import clock
from medoffice_tui.db.models import CLAIM_STATUSES, OPEN_CLAIM_STATUSES, Claim, Patient, Payer, User
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services.claims.aging import (
    UNFILED_STATUSES,
    aging_bucket,
    bucket_dates,
    days_left_to_file,
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


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


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
    service_date = _date(service_date)
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
        follow_up_on=_date(follow_up),
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
        plan = _FOLLOW_UP
        filters.append(Claim.follow_up_on <= today)
    else:
        plan = {"urgent": _AGE, "age": _AGE, "amount": _AMOUNT, "payer": _AGE}[sort]
    if latest is not None:
        filters.append(Claim.service_date <= latest)
    if earliest is not None:
        # the keyset's row comparison seeks the index; a range start it already passes is
        # left out (SQLite seeks on only one lower bound)
        akey = _after_key(plan, after) if plan is _AGE and sort == "age" else None
        if upward or akey is None or akey[0] < earliest:
            filters.append(Claim.service_date >= earliest)
    keyed = sort in ("payer", "urgent") and not follow_up_due
    if upward:
        # the page above ``before`` (or the last page): the same plan read backwards
        if sort == "urgent" and not follow_up_due:
            keys = _urgent_keys(statuses, filters, before, limit + 1, payer_id, reverse=True)
        elif sort == "payer" and not follow_up_due:
            keys = _payer_keys(statuses, filters, before, limit + 1, payer_id, reverse=True)
        else:
            bkey = _after_key(plan, before)
            keys = _merged_keys(plan, statuses, filters, bkey, limit + 1, reverse=True)
        more = len(keys) > limit
        keys = keys[:limit][::-1]
        rows = _rows_for([k[-1] for k in keys], today)
        first = keys[0] if keys else None
        prev_before = None
        if more and first is not None:
            prev_before = first[1] if keyed else plan.next_key(first)
        return Page(rows, None, prev_before)
    if sort == "urgent" and not follow_up_due:
        keys = _urgent_keys(statuses, filters, after, limit + 1, payer_id)
    elif sort == "payer" and not follow_up_due:
        keys = _payer_keys(statuses, filters, after, limit + 1, payer_id)
    else:
        keys = _merged_keys(plan, statuses, filters, _after_key(plan, after), limit + 1)
    rows = _rows_for([k[-1] for k in keys[:limit]], today)
    more = len(keys) > limit
    page_rows = rows[:limit]
    next_after = None
    if more and page_rows:
        last = keys[limit - 1]
        next_after = last[1] if keyed else plan.next_key(last)
    return Page(page_rows, next_after)


# -------------------------------------------------------------- one sort's plan


@dataclass(frozen=True)
class _Plan:
    """How one order reads: its columns, its direction, its keyset comparison."""

    name: str
    columns: Callable[[], Sequence[Any]]  # the sort columns, then id
    descending: bool
    #: key as read -> what to merge by (ascending)
    merge_key: Callable[[tuple], tuple]
    #: key as read -> the ``after`` given back
    next_key: Callable[[tuple], Any]


def _age_key(row: tuple) -> tuple:
    return (_date(row[0]), row[1])


_AGE = _Plan("age", lambda: (Claim.service_date, Claim.id), False, _age_key, _age_key)
_AMOUNT = _Plan(
    "amount",
    lambda: (Claim.balance_cents, Claim.id),
    True,
    lambda row: (-row[0], -row[1]),
    lambda row: ("amount", row[0], row[1]),
)
_FOLLOW_UP = _Plan(
    "follow",
    lambda: (Claim.follow_up_on, Claim.id),
    False,
    _age_key,
    lambda row: ("follow", _date(row[0]).isoformat(), row[1]),
)


def _after_key(plan: _Plan, after: Any | None) -> tuple | None:
    if after is None:
        return None
    if plan is _AMOUNT:
        _tag, balance, claim_id = after
        return (int(balance), int(claim_id))
    if plan is _FOLLOW_UP:
        _tag, day, claim_id = after
        return (_date(day), int(claim_id))
    day, claim_id = after
    return (_date(day), int(claim_id))


def _range_query(
    plan: _Plan,
    status: str | None,
    filters: list[Expression],
    key: tuple | None,
    limit: int,
    reverse: bool = False,
):  # noqa: ANN202 - a peewee query
    """One index range of keys (sort columns, id) in the plan's order (``reverse``: the
    same range from its other end, before ``key``)."""
    columns = list(plan.columns())
    descending = plan.descending != reverse
    parts = list(filters)
    if status is not None:
        parts.append(Claim.status == status)
    if key is not None:
        first = Value(key[0], converter=columns[0].db_value)
        row = Tuple(*columns)
        parts.append(row < Tuple(first, key[1]) if descending else row > Tuple(first, key[1]))
    query = Claim.select(*columns)
    if parts:
        clause = parts[0]
        for part in parts[1:]:
            clause = clause & part
        query = query.where(clause)
    order = [c.desc() for c in columns] if descending else columns
    return query.order_by(*order).limit(limit)


def _merged_keys(
    plan: _Plan,
    statuses: Sequence[str | None],
    filters: list[Expression],
    key: tuple | None,
    limit: int,
    reverse: bool = False,
) -> list[tuple]:
    """The first ``limit`` keys over one index range per status, merged by the database:
    ``SELECT * FROM (range 1) UNION ALL SELECT * FROM (range 2) ... ORDER BY ... LIMIT``,
    so only the page's keys come back (each range seeks its own index). ``reverse``:
    the last ``limit`` keys before ``key``, last first."""
    if len(statuses) == 1:
        query = _range_query(plan, statuses[0], filters, key, limit, reverse)
        return list(query.tuples())
    database = Claim._meta.database
    parts, params = [], []
    for index, status in enumerate(statuses):
        sql, values = _range_query(plan, status, filters, key, limit, reverse).sql()
        parts.append(f"SELECT * FROM ({sql}) AS r{index}")
        params += values
    direction = " DESC" if plan.descending != reverse else ""
    sql = " UNION ALL ".join(parts) + f" ORDER BY 1{direction}, 2{direction} LIMIT {int(limit)}"
    return [tuple(row) for row in database.execute_sql(sql, params).fetchall()]


def _payer_keys(
    statuses: Sequence[str | None],
    filters: list[Expression],
    after: Any | None,
    limit: int,
    payer_id: int | None = None,
    reverse: bool = False,
) -> list[tuple]:
    """Payer by name, then oldest first: each payer's claims in turn, from ``after``
    (``reverse``: the payers from the last, each newest first, before ``after``); with
    ``payer_id`` only that payer's range is read.

    Keys come back as (payer position, next_after, id)."""
    payers = [
        p
        for (p,) in Payer.select(Payer.id).order_by(Payer.name, Payer.id).tuples()
        if payer_id is None or p == payer_id
    ]
    start, key = (len(payers) - 1 if reverse else 0), None
    if after is not None:
        _tag, payer, day, claim_id = after
        if int(payer) in payers:
            start = payers.index(int(payer))
        key = (_date(day), int(claim_id))
    out: list[tuple] = []
    order = range(start, -1, -1) if reverse else range(start, len(payers))
    for position in order:
        payer = payers[position]
        wanted = limit - len(out)
        found = _merged_keys(
            _AGE,
            statuses,
            [*filters, Claim.payer == payer],
            key if position == start else None,
            wanted,
            reverse,
        )
        out += [(position, ("payer", payer, _date(d).isoformat(), cid), cid) for d, cid in found]
        if len(out) >= limit:
            break
    return out


def _urgent_keys(
    statuses: Sequence[str | None],
    filters: list[Expression],
    after: Any | None,
    limit: int,
    payer_id: int | None,
    reverse: bool = False,
) -> list[tuple]:
    """Most urgent first: the claims not yet with a payer by their filing deadline (date
    of service + the payer's limit), then the other statuses oldest first (``reverse``:
    from the end, the other statuses newest first, then the unsent latest deadline
    first, before the key ``after``).

    A payer's deadlines run in its claims' date order, so each payer's unsent claims are
    one index range per status (``payer, status, service_date, id``), read from the
    deadline ``after`` names shifted by that payer's limit, and the few payers' ranges
    are merged here. Keys come back as (sort key, next_after, id)."""
    unfiled = [s for s in statuses if s in UNFILED_STATUSES]
    rest = [s for s in statuses if s not in UNFILED_STATUSES]
    phase, day, claim_id = (2 if reverse else 1), None, None
    if after is not None:
        _tag, phase, day_text, claim_id = after
        phase, day, claim_id = int(phase), _date(day_text), int(claim_id)
    out: list[tuple] = []

    def unsent() -> None:
        limits = [
            (payer, filing_days)
            for payer, filing_days in Payer.select(Payer.id, Payer.timely_filing_days)
            .order_by(Payer.id)
            .tuples()
            if payer_id is None or payer == payer_id
        ]
        wanted = limit - len(out)
        found = _deadline_keys(unfiled, filters, limits, day, claim_id, wanted, reverse)
        out.extend(((1, d), ("urgent", 1, d.isoformat(), cid), cid) for d, cid in found)

    def sent() -> None:
        key = (day, claim_id) if day is not None else None
        wanted = limit - len(out)
        for service_date, cid in _merged_keys(_AGE, rest, filters, key, wanted, reverse):
            d = _date(service_date)
            out.append(((2, d), ("urgent", 2, d.isoformat(), cid), cid))

    if not reverse:
        if phase == 1 and unfiled:
            unsent()
            day, claim_id = None, None
        if len(out) < limit and rest:
            sent()
        return out
    if phase == 2 and rest:
        sent()
    if phase == 2:
        day, claim_id = None, None
    if len(out) < limit and unfiled:
        unsent()
    return out


_PAYER_SLOT = -7_777_777  # stand-ins bound per payer in the one statement below
_DAY_SLOT = dt.date(1001, 1, 1)
_ID_SLOT = -7_777_778


def _deadline_keys(
    statuses: Sequence[str],
    filters: list[Expression],
    limits: list[tuple[int, int]],
    day: dt.date | None,
    claim_id: int | None,
    limit: int,
    reverse: bool = False,
) -> list[tuple[dt.date, int]]:
    """The first ``limit`` (deadline, id) of the given statuses over every payer, after
    the deadline ``day`` and ``claim_id``: one statement, one merged index range per
    payer (its statuses' ranges, each from the deadline shifted by the payer's limit),
    each payer's page tagged with its limit; the deadlines are merged here. Each status's
    range is compiled once and bound per payer (compiling it per payer cost more than
    the reads). ``reverse``: the last ``limit`` before ``day``, last first."""
    if not limits:
        return []
    key = (_DAY_SLOT, _ID_SLOT) if day is not None else None
    templates = [
        _range_query(
            _AGE, status, [*filters, Claim.payer == _PAYER_SLOT], key, limit, reverse
        ).sql()
        for status in statuses
    ]
    parts: list[str] = []
    params: list[Any] = []
    for index, (payer, filing_days) in enumerate(limits):
        shift = dt.timedelta(days=filing_days)
        bound = {_PAYER_SLOT: payer}
        if day is not None:
            bound.update({_DAY_SLOT: day - shift, _ID_SLOT: claim_id})
        ranges = []
        for number, (sql, values) in enumerate(templates):
            ranges.append(f"SELECT * FROM ({sql}) AS r{index}_{number}")
            params += [bound.get(v, v) if isinstance(v, int | dt.date) else v for v in values]
        way = " DESC" if reverse else ""
        merged = " UNION ALL ".join(ranges) + f" ORDER BY 1{way}, 2{way} LIMIT {int(limit)}"
        parts.append(f"SELECT p{index}.*, {int(filing_days)} AS f FROM ({merged}) AS p{index}")
    database = Claim._meta.database
    rows = database.execute_sql(" UNION ALL ".join(parts), params).fetchall()
    found = sorted(((_date(d) + dt.timedelta(days=f), cid) for d, cid, f in rows), reverse=reverse)
    return found[:limit]


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
