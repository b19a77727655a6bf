"""How a demo claim moves through its life: the status path to each status, the days each
step takes, the event notes, how often each status occurs and how old its claims are.

Statuses come from ``models.CLAIM_STATUSES`` and aging buckets from
``services.claims.AGING_BUCKETS``; the tables here are keyed by them and checked against
them, so the demo cannot drift from what the screens show.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db import models as m
from medoffice_tui.services.claims import AGING_BUCKETS, aging_bucket, bucket_dates

_SUBMIT = ("draft", "ready", "submitted")
_ADJUDICATE = (*_SUBMIT, "accepted_ch", "pending")
#: the status history a claim went through to reach each status
CLAIM_PATHS: dict[str, tuple[str, ...]] = {
    "draft": ("draft",),
    "ready": ("draft", "ready"),
    "submitted": _SUBMIT,
    "rejected_ch": (*_SUBMIT, "rejected_ch"),
    "accepted_ch": (*_SUBMIT, "accepted_ch"),
    "rejected_payer": (*_SUBMIT, "accepted_ch", "rejected_payer"),
    "pending": _ADJUDICATE,
    "paid": (*_ADJUDICATE, "paid"),
    "partially_paid": (*_ADJUDICATE, "partially_paid"),
    "denied": (*_ADJUDICATE, "denied"),
    "appealed": (*_ADJUDICATE, "denied", "appealed"),
    "corrected": (*_ADJUDICATE, "denied", "corrected"),
    "void": ("draft", "ready", "void"),
    "written_off": (*_ADJUDICATE, "denied", "written_off"),
    "closed": (*_ADJUDICATE, "paid", "closed"),
}
assert set(CLAIM_PATHS) == set(m.CLAIM_STATUSES)

#: typical days spent before reaching each status
STEP_DAYS = {
    "ready": 1,
    "submitted": 1,
    "rejected_ch": 1,
    "accepted_ch": 1,
    "rejected_payer": 4,
    "pending": 4,
    "paid": 18,
    "partially_paid": 20,
    "denied": 20,
    "appealed": 12,
    "corrected": 8,
    "void": 2,
    "written_off": 40,
    "closed": 10,
}
#: the note on the status event that reaches each status
EVENT_NOTES = {
    "draft": "created from visit",
    "ready": "scrubber passed",
    "submitted": "sent in 837P batch",
    "rejected_ch": "999 rejected: fix and resend",
    "accepted_ch": "999 accepted",
    "rejected_payer": "277CA rejected: member id",
    "pending": "277CA acknowledged",
    "paid": "835 posted",
    "partially_paid": "835 posted, balance remains",
    "denied": "835 denial",
    "appealed": "appeal letter sent",
    "corrected": "replacement claim (freq 7)",
    "void": "entered in error",
    "written_off": "timely filing: written off",
    "closed": "balance zero",
}
#: how often each status occurs (relative weights; their order is the draw order)
STATUS_WEIGHTS = {
    "draft": 4,
    "ready": 4,
    "submitted": 4,
    "rejected_ch": 2,
    "accepted_ch": 3,
    "rejected_payer": 2,
    "pending": 8,
    "paid": 38,
    "partially_paid": 6,
    "denied": 5,
    "appealed": 2,
    "corrected": 2,
    "void": 1,
    "written_off": 2,
    "closed": 15,
}
#: the youngest a claim in each status can be, in days since the date of service
MIN_AGE = {
    "draft": 1,
    "ready": 1,
    "submitted": 2,
    "rejected_ch": 2,
    "accepted_ch": 3,
    "rejected_payer": 4,
    "pending": 5,
    "paid": 10,
    "partially_paid": 10,
    "denied": 10,
    "appealed": 25,
    "corrected": 20,
    "void": 2,
    "written_off": 95,
    "closed": 20,
}
#: relative share of claims in each aging bucket, in ``AGING_BUCKETS`` order
_YOUNG = (70, 12, 7, 5, 6)
_SETTLED = (25, 25, 20, 12, 18)
#: claims still on their way to the payer are mostly young; every other status
#: (settled or worked after adjudication) spreads over all buckets
_YOUNG_STATUSES = (
    "draft",
    "ready",
    "submitted",
    "rejected_ch",
    "accepted_ch",
    "rejected_payer",
    "pending",
    "void",
)
BUCKET_WEIGHTS = {s: _YOUNG if s in _YOUNG_STATUSES else _SETTLED for s in m.CLAIM_STATUSES}
assert set(EVENT_NOTES) == set(STATUS_WEIGHTS) == set(MIN_AGE) == set(m.CLAIM_STATUSES)
assert all(len(weights) == len(AGING_BUCKETS) for weights in BUCKET_WEIGHTS.values())

#: the demo's own limits on a claim's age in days since the date of service: no claim is
#: for a visit today, and the open-ended last bucket is filled up to about 18 months back
YOUNGEST_CLAIM_DAYS = 1
OLDEST_CLAIM_DAYS = 540


def _age_range(bucket: str) -> tuple[int, int]:
    """(youngest, oldest) age drawn for ``bucket``: the services' edges, within the limits."""
    any_day = dt.date(2000, 1, 1)  # the edges are ages, so any reference day gives the same
    earliest, latest = bucket_dates(bucket, any_day)
    youngest = YOUNGEST_CLAIM_DAYS if latest is None else (any_day - latest).days
    oldest = OLDEST_CLAIM_DAYS if earliest is None else (any_day - earliest).days
    return max(youngest, YOUNGEST_CLAIM_DAYS), oldest


#: aging bucket -> (youngest, oldest) claim age in days, in ``AGING_BUCKETS`` order
AGE_RANGES: dict[str, tuple[int, int]] = {bucket: _age_range(bucket) for bucket in AGING_BUCKETS}
assert tuple(AGE_RANGES) == AGING_BUCKETS
assert all(
    aging_bucket(youngest) == aging_bucket(oldest) == bucket
    for bucket, (youngest, oldest) in AGE_RANGES.items()
)
