"""Claims queue: aging buckets at their edges, keyset paging, filters and sorts, counts,
the filing window."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import Claim, Patient, Payer, Provider
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims

from .test_claims_support import sqlite_only

TODAY = dt.date(2026, 11, 23)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def setup(database, fixture_writes) -> dict[str, int]:
    patient = Patient.create(
        mrn="M1",
        first_name="Ann",
        last_name="Lee",
        dob=dt.date(1970, 1, 1),
        last_norm="lee",
        first_norm="ann",
    )
    provider = Provider.create(first_name="Jo", last_name="Rivera", npi="1000000001")
    acme = Payer.create(name="Acme", payer_id="ACME", timely_filing_days=90)
    medicare = Payer.create(name="Medicare", payer_id="MCR", timely_filing_days=365)
    return {"patient": patient.id, "provider": provider.id, "acme": acme.id, "mcr": medicare.id}


_numbers = iter(range(1, 10**6))


def add_claim(setup, age: int, status: str = "submitted", balance: int = 100, payer="acme"):
    return Claim.create(
        claim_number=f"C{next(_numbers):06d}",
        patient=setup["patient"],
        provider=setup["provider"],
        payer=setup[payer],
        service_date=ago(age),
        status=status,
        total_charge_cents=balance + 50,
        balance_cents=balance,
    ).id


@pytest.mark.parametrize(
    "age, bucket",
    [
        (-3, "0-30"),
        (0, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "121+"),
        (4000, "121+"),
    ],
)
def test_aging_bucket_edges(age, bucket):
    assert claims.aging_bucket(age) == bucket


@sqlite_only
def test_bucket_filter_matches_bucket_of_each_row(setup):
    ages = (-2, 0, 30, 31, 60, 61, 90, 91, 120, 121, 500)
    ids = {a: add_claim(setup, a) for a in ages}
    for age in ages:
        bucket = claims.aging_bucket(age)
        page = claims.list_claims(bucket=bucket)
        assert ids[age] in [r.id for r in page.rows]
        assert all(r.bucket == bucket for r in page.rows)
        expected = {i for a, i in ids.items() if claims.aging_bucket(a) == bucket}
        assert {r.id for r in page.rows} == expected


@sqlite_only
def test_row_fields(setup):
    cid = add_claim(setup, 45, status="draft", balance=12345)
    (row,) = claims.list_claims().rows
    assert (row.id, row.patient_name, row.payer_name, row.status) == (
        cid,
        "Lee, Ann",
        "Acme",
        "draft",
    )
    assert (row.age_days, row.bucket, row.balance_cents, row.total_charge_cents) == (
        45,
        "31-60",
        12345,
        12395,
    )
    assert row.service_date == ago(45)
    assert row.days_left_to_file == 90 - 45


@sqlite_only
def test_days_left_to_file_only_before_acceptance(setup):
    cases = {
        "draft": 10,
        "ready": 10,
        "rejected_ch": 10,
        "rejected_payer": 10,
        "submitted": None,
        "accepted_ch": None,
        "pending": None,
        "paid": None,
    }
    ids = {add_claim(setup, 80, status=status): left for status, left in cases.items()}
    rows = claims.list_claims().rows
    assert {r.id: r.days_left_to_file for r in rows} == ids


@sqlite_only
def test_days_left_can_go_negative_and_follows_payer(setup):
    add_claim(setup, 100, status="draft")
    add_claim(setup, 100, status="draft", payer="mcr")
    assert [r.days_left_to_file for r in claims.list_claims().rows] == [-10, 265]


def test_keyset_paging_oldest_first(setup):
    ages = [5, 200, 5, 31, 31, 31, 90, 0, 200, 61, 5]
    for age in ages:
        add_claim(setup, age)
    expected = sorted((c.service_date, c.id) for c in Claim.select(Claim.service_date, Claim.id))
    got, after = [], None
    while True:
        page = claims.list_claims(after=after, limit=3)
        assert len(page.rows) <= 3
        got += [(r.service_date, r.id) for r in page.rows]
        if page.next_after is None:
            break
        after = page.next_after
    assert got == expected


def test_paging_with_filters(setup):
    for age in (10, 20, 35, 40, 45, 50, 70):
        add_claim(setup, age, status="denied" if age % 20 else "paid")
    for bucket, status, open_only in (
        ("31-60", None, False),
        (None, "denied", False),
        ("31-60", None, True),
        (None, None, True),
    ):
        want = [
            r.id
            for r in claims.list_claims(
                bucket=bucket, status=status, open_only=open_only, limit=100
            ).rows
        ]
        got, after = [], None
        while True:
            page = claims.list_claims(
                bucket=bucket, status=status, open_only=open_only, after=after, limit=2
            )
            got += [r.id for r in page.rows]
            if page.next_after is None:
                break
            after = page.next_after
        assert got == want and want


@sqlite_only
def test_filters(setup):
    old_open = add_claim(setup, 150, status="denied")
    add_claim(setup, 150, status="paid")
    new_draft = add_claim(setup, 2, status="draft")
    add_claim(setup, 2, status="void")
    assert [r.id for r in claims.list_claims(status="draft").rows] == [new_draft]
    assert [r.id for r in claims.list_claims(open_only=True, sort="age").rows] == [
        old_open,
        new_draft,
    ]
    # by default most urgent first: the unsent draft (its filing limit nears) first
    assert [r.id for r in claims.list_claims(open_only=True).rows] == [new_draft, old_open]
    assert [r.id for r in claims.list_claims(bucket="121+", open_only=True).rows] == [old_open]
    assert claims.list_claims(status="paid", bucket="0-30").rows == []
    with pytest.raises(InvalidInput):
        claims.list_claims(status="bogus")
    with pytest.raises(InvalidInput):
        claims.list_claims(bucket="30-60")


@sqlite_only
def test_status_counts(setup):
    for status in ("draft", "draft", "paid", "denied", "draft"):
        add_claim(setup, 5, status=status)
    claims.summaries.rebuild()  # rows written straight through the models, not the services
    counts = claims.status_counts()
    assert counts["draft"] == 3 and counts["paid"] == 1 and counts["denied"] == 1
    assert counts["closed"] == 0 and list(counts) == list(claims.CLAIM_STATUSES)


@sqlite_only
def test_aging_summary_open_only(setup):
    add_claim(setup, 0, balance=100)
    add_claim(setup, 30, balance=200)
    add_claim(setup, 31, balance=400, status="denied")
    add_claim(setup, 120, balance=800, status="pending")
    add_claim(setup, 121, balance=1600, status="appealed")
    add_claim(setup, 121, balance=3200, status="paid")  # closed: not counted
    add_claim(setup, 45, balance=6400, status="written_off")  # closed
    claims.summaries.rebuild()
    assert claims.aging_summary() == {
        "0-30": (2, 300),
        "31-60": (1, 400),
        "61-90": (0, 0),
        "91-120": (1, 800),
        "121+": (1, 1600),
    }


@sqlite_only
def test_empty_database(database, fixture_writes):
    assert claims.list_claims().rows == [] and claims.list_claims().next_after is None
    assert set(claims.aging_summary().values()) == {(0, 0)}
    assert sum(claims.status_counts().values()) == 0


def _walk(**kwargs):
    got, after = [], None
    while True:
        page = claims.list_claims(after=after, limit=2, **kwargs)
        got += [r.id for r in page.rows]
        if page.next_after is None:
            return got
        after = page.next_after


def test_sort_by_amount_largest_first_and_pages(setup):
    ids = [add_claim(setup, 10 + b % 7, balance=b) for b in (500, 100, 900, 100, 300, 700)]
    want = [r.id for r in claims.list_claims(sort="amount", open_only=True).rows]
    balances = [r.balance_cents for r in claims.list_claims(sort="amount", open_only=True).rows]
    assert balances == sorted(balances, reverse=True) and set(want) == set(ids)
    assert _walk(sort="amount", open_only=True) == want


def test_sort_by_payer_name_then_oldest(setup):
    a = [add_claim(setup, age, payer="acme") for age in (5, 50)]
    m = [add_claim(setup, age, payer="mcr") for age in (70, 1)]
    rows = claims.list_claims(sort="payer", open_only=True).rows
    assert [r.id for r in rows] == [a[1], a[0], m[0], m[1]]  # Acme < Medicare
    assert _walk(sort="payer", open_only=True) == [a[1], a[0], m[0], m[1]]


@sqlite_only
def test_payer_and_assignee_filters(setup, staff):
    from medoffice_tui.db.models import Claim

    acme = [add_claim(setup, age, payer="acme") for age in (5, 6, 7)]
    mcr = add_claim(setup, 8, payer="mcr")
    biller = staff["billing"].user_id
    Claim.update(assignee=biller).where(Claim.id.in_(acme[:2])).execute()
    assert _walk(open_only=True, payer_id=setup["mcr"]) == [mcr]
    assert set(_walk(open_only=True, assignee_id=biller)) == set(acme[:2])
    assert set(_walk(open_only=True, assignee_id=claims.UNASSIGNED)) == {acme[2], mcr}
    (row,) = claims.list_claims(payer_id=setup["acme"], assignee_id=biller, limit=1).rows
    assert row.assignee == staff["billing"].username and row.payer_id == setup["acme"]


def test_follow_up_due_most_overdue_first(setup):
    from medoffice_tui.db.models import Claim

    late, later, future = (add_claim(setup, 20) for _ in range(3))
    add_claim(setup, 20)  # no follow-up date
    Claim.update(follow_up_on=ago(5)).where(Claim.id == late).execute()
    Claim.update(follow_up_on=TODAY).where(Claim.id == later).execute()
    Claim.update(follow_up_on=TODAY + dt.timedelta(days=3)).where(Claim.id == future).execute()
    assert _walk(open_only=True, follow_up_due=True) == [late, later]
    assert claims.list_claims(follow_up_due=True).rows[0].follow_up_on == ago(5)
