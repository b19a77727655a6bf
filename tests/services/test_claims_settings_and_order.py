"""Payer settings (timely-filing limit, prior-authorization rule: set, refused, audited,
read by the queue and the scrubber) and the queue's default order, most urgent first."""

from __future__ import annotations

import datetime as dt

import pytest

from medoffice_tui.db.models import AuditEvent, Payer, PayerRule
from medoffice_tui.errors import InvalidInput, NotFound, PermissionDenied
from medoffice_tui.services import claims
from medoffice_tui.services.claims import payer_settings

from .test_claims import add_claim, setup  # noqa: F401 - the fixture
from .test_claims_cli import practice_db, run  # noqa: F401 - the fixture

TODAY = dt.date(2026, 11, 23)


def _walk(**kwargs) -> list[int]:
    got, after = [], None
    while True:
        page = claims.list_claims(after=after, limit=2, **kwargs)
        got += [r.id for r in page.rows]
        if page.next_after is None:
            return got
        after = page.next_after


def test_most_urgent_first_nearest_filing_limit_then_oldest(setup, fixture_writes) -> None:  # noqa: F811
    # Acme allows 90 days, Medicare 365: a 60-day-old Acme draft has 30 days left, a
    # 300-day-old Medicare draft 65; a 100-day-old Acme draft is past its limit
    near = add_claim(setup, 60, status="draft", payer="acme")
    far = add_claim(setup, 300, status="draft", payer="mcr")
    late = add_claim(setup, 100, status="ready", payer="acme")
    fresh = add_claim(setup, 2, status="rejected_ch", payer="mcr")  # 363 days left
    old_sent = add_claim(setup, 400, status="submitted", payer="mcr")
    new_sent = add_claim(setup, 10, status="pending", payer="acme")
    want = [late, near, far, fresh, old_sent, new_sent]
    rows = claims.list_claims(open_only=True, sort="urgent").rows
    assert [r.id for r in rows] == want
    left = [r.days_left_to_file for r in rows[:4]]
    assert left == sorted(left) and left[0] < 0
    assert _walk(open_only=True, sort="urgent") == want  # keyset pages, both phases
    assert _walk(open_only=True, sort="urgent", payer_id=setup["acme"]) == [late, near, new_sent]
    assert _walk(status="draft", sort="urgent") == [near, far]
    # a shorter limit moves a claim up
    Payer.update(timely_filing_days=310).where(Payer.id == setup["mcr"]).execute()
    assert [r.id for r in claims.list_claims(open_only=True, sort="urgent").rows][:3] == [
        late,
        far,
        near,
    ]


def test_payer_settings_set_by_billing_audited_and_read_by_the_queue(
    setup,  # noqa: F811
    staff,
    fixture_writes,
) -> None:
    claim = add_claim(setup, 100, status="draft", payer="acme")
    (row,) = claims.list_claims(status="draft").rows
    assert row.days_left_to_file == -10
    biller = staff["billing"]
    result = payer_settings.set_payer_settings(
        biller, setup["acme"], filing_days=120, prior_auth=True
    )
    assert result.timely_filing_days == 120 and result.prior_auth_required
    assert claims.get_claim_row(claim).days_left_to_file == 20
    assert PayerRule.get(PayerRule.payer == setup["acme"]).prior_auth_required
    event = AuditEvent.select().where(AuditEvent.object_type == "payer").get()
    assert event.fields == "prior_auth_required,timely_filing_days"
    assert event.object_id == setup["acme"]
    payer_settings.set_payer_settings(staff["manager"], setup["acme"], prior_auth=False)
    assert not PayerRule.get(PayerRule.payer == setup["acme"]).prior_auth_required
    before = AuditEvent.select().where(AuditEvent.object_type == "payer").count()
    payer_settings.set_payer_settings(biller, setup["acme"], filing_days=120)  # no change
    assert AuditEvent.select().where(AuditEvent.object_type == "payer").count() == before


def test_payer_settings_refused(setup, staff) -> None:  # noqa: F811
    with pytest.raises(PermissionDenied):
        payer_settings.set_payer_settings(staff["front_desk"], setup["acme"], filing_days=120)
    with pytest.raises(InvalidInput) as refused:
        payer_settings.set_payer_settings(staff["billing"], setup["acme"], filing_days=5)
    assert refused.value.field == "filing_days"
    with pytest.raises(NotFound):
        payer_settings.set_payer_settings(staff["billing"], 9999, filing_days=90)
    assert Payer.get_by_id(setup["acme"]).timely_filing_days == 90


def test_find_payer_by_id_name_or_start(setup) -> None:  # noqa: F811
    assert payer_settings.find_payer("ACME") == setup["acme"]
    assert payer_settings.find_payer("medi") == setup["mcr"]
    assert payer_settings.find_payer("Medicare") == setup["mcr"]
    with pytest.raises(NotFound):
        payer_settings.find_payer("nobody")
    listed = payer_settings.list_payer_settings()
    assert [s.name for s in listed] == ["Acme", "Medicare"]
    assert not any(s.prior_auth_required for s in listed)


def test_the_cli_lists_and_sets_payer_settings(capsys, practice_db) -> None:  # noqa: F811
    code, out, _ = run(capsys, ["claims", "payers", "list", "--db", practice_db])
    assert code == 0 and "PAYER ID" in out
    name = out.splitlines()[1].split("  ")[-1].strip()
    code, out, _ = run(
        capsys,
        ["claims", "payers", "set", name, "--filing-days", "120", "--prior-auth", "yes",
         "--db", practice_db],
    )  # fmt: skip
    assert code == 0 and "120 days" in out and "prior auth required" in out
    code, _out, err = run(capsys, ["claims", "payers", "set", name, "--db", practice_db])
    assert code == 2 and "--filing-days" in err
    code, _out, err = run(
        capsys, ["claims", "payers", "set", name, "--filing-days", "7", "--db", practice_db]
    )
    assert code == 2 and "30 to 1095 days" in err and "Traceback" not in err
