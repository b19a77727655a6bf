"""The claims queue read from its end: ``from_end`` is the last page of the same order,
``before`` the page above a row; walked up page by page they give exactly the forward
pages reversed, for every sort and filter, ties (same date, balance or filing deadline)
broken by the claim id on both ways."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from medoffice_tui.db.models import CLAIM_STATUSES, Claim, Payer
from medoffice_tui.services import claims

from .test_claims import add_claim, ago, setup  # noqa: F401 - the fixture

TODAY = dt.date(2026, 11, 23)
#: ages with ties inside a payer and filing deadlines that tie across payers
#: (Acme 90 days at 100, Blue 180 at 190, Medicare 365 at 375: all 10 days late)
AGES = (0, 5, 5, 40, 100, 100, 190, 200, 375, 400)
BALANCES = (0, 100, 100, 250)


def forward(limit: int, **query: Any) -> list[int]:
    got, after = [], None
    while True:
        page = claims.list_claims(after=after, limit=limit, **query)
        assert page.prev_before is None
        got += [r.id for r in page.rows]
        if page.next_after is None:
            return got
        after = page.next_after


def backward(limit: int, **query: Any) -> list[int]:
    """From the end, then the page above, until the top: in list order."""
    page = claims.list_claims(from_end=True, limit=limit, **query)
    got = [r.id for r in page.rows]
    while page.prev_before is not None:
        assert page.next_after is None and page.rows
        page = claims.list_claims(before=page.prev_before, limit=limit, **query)
        got = [r.id for r in page.rows] + got
    return got


def _practice(setup, biller: int) -> None:  # noqa: F811
    setup["blue"] = Payer.create(name="Blue Shield", payer_id="BLUE", timely_filing_days=180).id
    rng = random.Random(8)
    for number in range(48):
        status = CLAIM_STATUSES[number % len(CLAIM_STATUSES)] if number % 3 else "draft"
        claim = add_claim(
            setup,
            rng.choice(AGES),
            status=status,
            balance=rng.choice(BALANCES),
            payer=("acme", "mcr", "blue")[number % 3 if number % 7 else 0],
        )
        follow = rng.choice((None, None, ago(3), ago(3), TODAY, TODAY + dt.timedelta(days=2)))
        owner = rng.choice((None, biller))
        Claim.update(follow_up_on=follow, assignee=owner).where(Claim.id == claim).execute()


def test_from_end_and_before_meet_forward_paging_for_every_sort_and_filter(
    setup,  # noqa: F811
    staff,
    fixture_writes,
) -> None:
    biller = staff["billing"].user_id
    _practice(setup, biller)
    filters: list[dict[str, Any]] = [
        {"open_only": True},
        {},
        {"status": "draft"},
        {"open_only": True, "bucket": "121+"},
        {"open_only": True, "payer_id": setup["blue"]},
        {"assignee_id": biller},
        {"open_only": True, "assignee_id": claims.UNASSIGNED, "bucket": "0-30"},
        {"open_only": True, "follow_up_due": True},
    ]
    for sort in claims.SORTS:
        for where in filters:
            query = {"sort": sort, **where}
            whole = [r.id for r in claims.list_claims(limit=500, **query).rows]
            assert whole, query
            assert forward(3, **query) == whole, query
            assert backward(3, **query) == whole, query
            assert backward(4, **query) == whole, query
            last = claims.list_claims(from_end=True, limit=5, **query)
            assert [r.id for r in last.rows] == whole[-5:], query
            assert (last.prev_before is None) == (len(whole) <= 5), query
            everything = claims.list_claims(from_end=True, limit=500, **query)
            assert [r.id for r in everything.rows] == whole and everything.prev_before is None


def test_the_last_page_of_an_empty_or_short_queue(setup, fixture_writes) -> None:  # noqa: F811
    assert claims.list_claims(from_end=True).rows == []
    assert claims.list_claims(from_end=True).prev_before is None
    one = add_claim(setup, 10, status="pending")
    page = claims.list_claims(from_end=True, open_only=True)
    assert [r.id for r in page.rows] == [one]
    assert page.prev_before is None and page.next_after is None
    assert claims.list_claims(from_end=True, limit=0).rows == []
