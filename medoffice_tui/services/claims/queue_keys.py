"""The claims queue's keyset reads: which claim ids a page holds, in the order asked.

Each sort is a ``Plan`` (its columns, its direction, its keyset comparison); a page's
keys are read index-only from one range per status and merged by the database
(``merged_keys``), per payer in turn for the payer sort (``payer_keys``), and for
most urgent first from each payer's unsent ranges shifted by its filing limit, then
the other statuses oldest first (``urgent_keys``). ``queue.list_claims`` then reads
the page's rows by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import Expression, Tuple, Value

from medoffice_tui.db.models import Claim, Payer
from medoffice_tui.services.claims.aging import UNFILED_STATUSES


def as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Plan:
    """How one order reads: its columns, its direction, its keyset comparison."""

    name: str
    columns: Callable[[], Sequence[Any]]  # the sort columns, then id
    descending: bool
    #: key as read -> what to merge by (ascending)
    merge_key: Callable[[tuple], tuple]
    #: key as read -> the ``after`` given back
    next_key: Callable[[tuple], Any]


def _age_key(row: tuple) -> tuple:
    return (as_date(row[0]), row[1])


AGE = Plan("age", lambda: (Claim.service_date, Claim.id), False, _age_key, _age_key)
AMOUNT = Plan(
    "amount",
    lambda: (Claim.balance_cents, Claim.id),
    True,
    lambda row: (-row[0], -row[1]),
    lambda row: ("amount", row[0], row[1]),
)
FOLLOW_UP = Plan(
    "follow",
    lambda: (Claim.follow_up_on, Claim.id),
    False,
    _age_key,
    lambda row: ("follow", as_date(row[0]).isoformat(), row[1]),
)


def after_key(plan: Plan, after: Any | None) -> tuple | None:
    if after is None:
        return None
    if plan is AMOUNT:
        _tag, balance, claim_id = after
        return (int(balance), int(claim_id))
    if plan is FOLLOW_UP:
        _tag, day, claim_id = after
        return (as_date(day), int(claim_id))
    day, claim_id = after
    return (as_date(day), int(claim_id))


def _range_query(
    plan: Plan,
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


def merged_keys(
    plan: Plan,
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


def payer_keys(
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
        key = (as_date(day), int(claim_id))
    out: list[tuple] = []
    order = range(start, -1, -1) if reverse else range(start, len(payers))
    for position in order:
        payer = payers[position]
        wanted = limit - len(out)
        found = merged_keys(
            AGE,
            statuses,
            [*filters, Claim.payer == payer],
            key if position == start else None,
            wanted,
            reverse,
        )
        out += [(position, ("payer", payer, as_date(d).isoformat(), cid), cid) for d, cid in found]
        if len(out) >= limit:
            break
    return out


def urgent_keys(
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
        phase, day, claim_id = int(phase), as_date(day_text), int(claim_id)
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
        for service_date, cid in merged_keys(AGE, rest, filters, key, wanted, reverse):
            d = as_date(service_date)
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
        _range_query(AGE, status, [*filters, Claim.payer == _PAYER_SLOT], key, limit, reverse).sql()
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
    found = sorted(
        ((as_date(d) + dt.timedelta(days=f), cid) for d, cid, f in rows), reverse=reverse
    )
    return found[:limit]
