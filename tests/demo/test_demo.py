"""The demo practice: realistic, internally consistent, deterministic, and fast to build."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict

import pytest
from peewee import fn

from medoffice_tui import cli, clock, demo
from medoffice_tui.db import models as m
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.demo.billing import MIN_CLAIMS
from medoffice_tui.demo.npi import npi_is_valid
from medoffice_tui.demo.reference.claim_flow import AGE_RANGES
from medoffice_tui.demo.timeframe import NOW_TIME, WINDOW_DAYS
from medoffice_tui.services.text import digits, normalize
from tests.conftest import FROZEN_NOW, FROZEN_TODAY, PG_SKIP_REASON, PG_URL, pg_schema_url

N = 150
NOW = dt.datetime.combine(FROZEN_TODAY, NOW_TIME)
ICD10_CM = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
PROCEDURE = re.compile(r"^([0-9]{5}|[A-Z][0-9]{4})$")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def _built_once(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One demo practice per engine for the module's read-only checks (a build on
    PostgreSQL takes 20-40 s: once, not once a test)."""
    if request.param == "postgres" and not PG_URL:
        pytest.skip(PG_SKIP_REASON)
    clock.pin(now=FROZEN_NOW)
    try:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
            schemas = None
        else:
            schemas = pg_schema_url()
            url = next(schemas)
        database = open_database(url)
        upgrade(database)
        summary = demo.build_demo(patients=N, seed=7, today=FROZEN_TODAY)
        close_database()
    finally:
        clock.pin()
    yield url, summary
    if schemas is not None:
        schemas.close()  # drops the schema


@pytest.fixture
def built(_built_once, frozen_clock):
    """The module's demo practice, inside a transaction rolled back after the test, so
    whatever a check writes (an audited read) never reaches the next one."""
    url, summary = _built_once
    database = open_database(url)
    try:
        with database.atomic() as transaction:
            yield summary
            transaction.rollback()
    finally:
        close_database()


def _bucket(service_date: dt.date) -> str:
    age = (FROZEN_TODAY - service_date).days
    for label, (lo, hi) in AGE_RANGES.items():
        if lo <= age <= hi:
            return label
    return "121+" if age > 120 else "0-30"


def _checksum() -> str:
    digest = hashlib.sha256()
    queries = (
        m.Patient.select(
            m.Patient.id,
            m.Patient.first_name,
            m.Patient.last_name,
            m.Patient.dob,
            m.Patient.phone_mobile,
            m.Patient.email,
        ).order_by(m.Patient.id),
        m.Claim.select(
            m.Claim.id,
            m.Claim.claim_number,
            m.Claim.patient,
            m.Claim.status,
            m.Claim.service_date,
            m.Claim.total_charge_cents,
            m.Claim.balance_cents,
        ).order_by(m.Claim.id),
        m.Appointment.select(
            m.Appointment.id,
            m.Appointment.provider,
            m.Appointment.patient,
            m.Appointment.start,
            m.Appointment.status,
        ).order_by(m.Appointment.id),
        m.SupplyLot.select(
            m.SupplyLot.id, m.SupplyLot.lot_number, m.SupplyLot.quantity, m.SupplyLot.expires_on
        ).order_by(m.SupplyLot.id),
    )
    for query in queries:
        for row in query.tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_summary_counts_match_the_tables(built) -> None:
    s = built
    assert s.patients == m.Patient.select().count() == N
    assert s.providers == m.Provider.select().count() == 6
    assert s.users == m.User.select().where(m.User.system == False).count() >= 4  # noqa: E712
    assert {r.name for r in m.Role.select()} == {"front_desk", "billing", "clinical", "manager"}
    assert s.payers == m.Payer.select().count() == 8
    assert 20 <= s.fee_codes == m.FeeSchedule.select().count()
    assert s.appointments == m.Appointment.select().count() > 1000
    assert s.claims == m.Claim.select().count() == MIN_CLAIMS  # tiny N still gets 200
    assert s.claim_lines == m.ClaimLine.select().count()
    assert s.payments == m.Payment.select().count() > 0
    assert s.adjustments == m.Adjustment.select().count() > 0
    assert s.supply_items == m.SupplyItem.select().count() >= 60
    assert s.supply_lots == m.SupplyLot.select().count()
    assert s.stock_movements == m.StockMovement.select().count()
    assert s.coverages == m.Coverage.select().count()
    insured = m.Coverage.select(m.Coverage.patient).where(m.Coverage.rank == 1).count()
    secondary = m.Coverage.select().where(m.Coverage.rank == 2).count()
    assert 0.75 * N <= insured <= 0.95 * N
    assert 0.05 * N <= secondary <= 0.25 * N
    assert 0.2 * N <= m.Allergy.select(fn.COUNT(m.Allergy.patient.distinct())).scalar() <= 0.4 * N
    assert s.vitals == m.Vital.select().count() > 0
    assert m.Vital.select().where(m.Vital.taken_at >= NOW).count() == 0
    text = s.describe()
    assert "150 patients" in text and "Prairie Creek" in text
    assert len(text.splitlines()) <= 8


def test_practice_providers_and_hours_are_realistic(built) -> None:
    practice = m.Practice.get()
    assert npi_is_valid(practice.npi)
    assert practice.time_zone == "America/Chicago" and practice.slot_minutes == 15
    assert npi_is_valid("1234567893") and not npi_is_valid("1234567890")
    providers = list(m.Provider.select())
    assert all(npi_is_valid(p.npi) for p in providers)
    assert {p.credential for p in providers} == {"MD", "DO", "NP", "PA-C"}
    assert all(re.fullmatch(r"[0-9A-Z]{9}X", p.taxonomy) for p in providers)
    hours = list(m.ProviderHours.select())
    assert any(h.weekday == 5 and h.end_time == dt.time(12) for h in hours)  # Saturday morning
    assert any(h.weekday == 4 and h.end_time == dt.time(12) for h in hours)  # half-day Friday
    weekday_full = [
        h
        for h in hours
        if h.weekday < 5 and h.start_time == dt.time(8) and h.end_time == dt.time(17)
    ]
    assert len(weekday_full) >= 25
    lunches = list(m.ProviderBlock.select().where(m.ProviderBlock.kind == "lunch"))
    assert len(lunches) == 6
    assert all(b.rrule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" for b in lunches)
    one_off = list(m.ProviderBlock.select().where(m.ProviderBlock.rrule.is_null()))
    assert len(one_off) == 1 and one_off[0].start.date() > FROZEN_TODAY
    types = {t.name: t.default_minutes for t in m.AppointmentType.select()}
    assert types == {
        "New patient": 30,
        "Follow-up": 15,
        "Annual physical": 30,
        "Sick visit": 15,
        "Procedure": 45,
        "Telehealth": 15,
    }


def test_live_appointments_never_overlap_for_one_provider(built) -> None:
    a, b = m.Appointment.alias("a"), m.Appointment.alias("b")
    live = ("cancelled", "no_show")
    overlaps = (
        a.select(a.id)
        .join(b, on=(a.provider == b.provider) & (a.id < b.id))
        .where(a.status.not_in(live), b.status.not_in(live), a.start < b.end, a.end > b.start)
        .count()
    )
    assert overlaps == 0
    # a cancelled slot is sometimes rebooked underneath
    rebooked = (
        a.select(a.id)
        .join(b, on=(a.provider == b.provider) & (a.start == b.start) & (a.id != b.id))
        .where(a.status == "cancelled", b.status.not_in(live))
        .count()
    )
    assert rebooked > 0


def test_appointment_statuses_follow_the_clock(built) -> None:
    by_day = defaultdict(Counter)
    hours = {
        (h.provider_id, h.weekday): (h.start_time, h.end_time) for h in m.ProviderHours.select()
    }
    lunch = {
        b.provider_id: (b.start.time(), b.end.time())
        for b in m.ProviderBlock.select().where(m.ProviderBlock.kind == "lunch")
    }
    for appt in m.Appointment.select():
        day = appt.start.date()
        assert abs((day - FROZEN_TODAY).days) <= WINDOW_DAYS
        span = hours[(appt.provider_id, day.weekday())]
        if appt.overbooked:  # booked into a block or outside hours on purpose, with a reason
            assert appt.overbook_reason
            continue
        assert span[0] <= appt.start.time() and appt.end.time() <= span[1]
        if day.weekday() < 5:
            assert not (
                appt.start.time() < lunch[appt.provider_id][1]
                and appt.end.time() > lunch[appt.provider_id][0]
            )
        when = "past" if day < FROZEN_TODAY else "today" if day == FROZEN_TODAY else "future"
        by_day[when][appt.status] += 1
        assert appt.booked_at <= NOW and appt.updated_at <= max(
            NOW, appt.end + dt.timedelta(minutes=10)
        )
        if appt.status == "cancelled":
            assert appt.cancel_reason and appt.cancelled_at is not None
            assert appt.cancelled_at <= NOW and appt.cancelled_at <= appt.start
        if appt.status == "completed":
            assert appt.arrived_at and appt.roomed_at and appt.completed_at
            assert appt.completed_at <= NOW
        if appt.status == "no_show":
            assert appt.no_show_at is not None and appt.no_show_at <= NOW
        if appt.status in ("arrived", "roomed"):
            assert appt.arrived_at <= NOW
    assert set(by_day["past"]) == {"completed", "no_show", "cancelled"}
    assert set(by_day["future"]) <= {"booked", "confirmed", "cancelled"}
    assert {"booked", "confirmed"} <= set(by_day["future"])
    assert {"completed", "roomed", "arrived"} <= set(by_day["today"])
    assert by_day["past"]["completed"] > 5 * by_day["past"]["no_show"]
    series = list(m.RecurringSeries.select())
    assert len(series) >= 3
    for row in series:
        starts = sorted(a.start for a in row.appointments)
        assert len(starts) >= 4 and row.rrule.startswith("FREQ=WEEKLY;BYDAY=")
        assert all(
            later - earlier == dt.timedelta(days=7)
            for earlier, later in zip(starts, starts[1:], strict=False)
        )
    assert 0.72 <= built.slot_fill_ratio <= 0.88


def test_claims_cover_every_status_and_bucket_with_consistent_money(built) -> None:
    claims = list(m.Claim.select())
    assert {c.status for c in claims} == set(m.CLAIM_STATUSES)
    assert {_bucket(c.service_date) for c in claims} == set(AGE_RANGES)
    numbers = [c.claim_number for c in claims]
    assert len(set(numbers)) == len(numbers) and max(map(len, numbers)) <= 20
    fees = {f.code: f.fee_cents for f in m.FeeSchedule.select()}
    lines = defaultdict(list)
    for line in m.ClaimLine.select():
        assert PROCEDURE.match(line.procedure_code)
        assert line.charge_cents == fees[line.procedure_code] * line.units
        lines[line.claim_id].append(line)
    dx = defaultdict(list)
    for d in m.ClaimDiagnosis.select():
        assert ICD10_CM.match(d.code), d.code
        dx[d.claim_id].append(d.code)
    paid = Counter()
    for p in m.Payment.select():
        paid[p.claim_id] += p.amount_cents
        assert p.received_on <= FROZEN_TODAY and p.amount_cents > 0
    patient_share = Counter()
    carcs = Counter()
    for adj in m.Adjustment.select():
        carcs[(adj.group_code, adj.carc)] += 1
        if adj.group_code == "PR":
            patient_share[adj.claim_id] += adj.amount_cents
    history = defaultdict(list)
    for event in m.ClaimStatusEvent.select().order_by(m.ClaimStatusEvent.at, m.ClaimStatusEvent.id):
        if event.kind == "status":  # assignments and follow-ups are history too
            history[event.claim_id].append(event)
    for c in claims:
        assert c.total_charge_cents == sum(line.charge_cents for line in lines[c.id])
        assert c.balance_cents == c.total_charge_cents - c.paid_cents - c.adjustment_cents
        assert c.paid_cents == paid[c.id]
        assert c.patient_resp_cents == patient_share[c.id]
        assert c.balance_cents >= 0
        # per line, as the services post it: a posted line is explained in full, and a
        # denied one (nothing paid, nothing the patient's) keeps its balance owed
        adjusted = 0
        for line in lines[c.id]:
            if line.adjudicated:
                assert line.paid_cents + line.co_cents + line.pr_cents + line.oa_cents == (
                    line.charge_cents
                )
            denied = line.adjudicated and line.paid_cents == 0 and line.pr_cents == 0
            adjusted += line.write_off_cents + (0 if denied else line.co_cents + line.oa_cents)
        assert c.adjustment_cents == adjusted
        if c.status != "draft":  # some drafts carry a mistake for the scrubber to find
            for line in lines[c.id]:
                assert all(1 <= int(p) <= len(dx[c.id]) for p in line.dx_pointers.split(","))
        steps = history[c.id]
        assert steps[0].from_status == "" and steps[0].to_status == "draft"
        assert steps[-1].to_status == c.status
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:], strict=False))
        assert steps[-1].at <= NOW and c.service_date < FROZEN_TODAY
        sent = any(s.to_status == "submitted" for s in steps)
        assert (c.submitted_at is not None) == sent
        if c.status in ("paid", "closed", "written_off"):
            assert c.balance_cents == 0
        if c.status == "partially_paid":
            assert c.balance_cents > 0 and c.paid_cents > 0
        if c.status == "corrected":
            assert c.frequency_code == "7" and c.payer_claim_number
    assert carcs[("CO", "45")] > 0
    assert {("PR", "1"), ("PR", "2"), ("PR", "3")} & set(carcs)
    assert {"16", "29", "50", "97"} <= {carc for _, carc in carcs}
    assert m.Claim.select().where(m.Claim.appointment.is_null(False)).count() > 0


def test_some_drafts_pass_the_scrubber_and_some_are_refused_for_stated_reasons(built) -> None:
    from medoffice_tui.services import claims

    found = {}
    for claim in m.Claim.select().where(m.Claim.status == "draft"):
        problems = claims.scrub(claim.id, load_codes=False)
        found[claim.id] = {p.field for p in problems}
    assert any(not fields for fields in found.values())
    refused = set().union(*found.values())
    assert {"line1", "diagnoses"} <= refused  # a pointer to nothing, a category code
    assert claims.summaries.differences() == []


def test_supplies_have_lots_that_add_up(built) -> None:
    lots = defaultdict(list)
    for lot in m.SupplyLot.select():
        lots[lot.item_id].append(lot)
    moved = Counter()
    for move in m.StockMovement.select():
        moved[move.lot_id] += move.quantity
        assert move.at <= NOW
        assert (move.quantity > 0) == (move.kind == "receive")
    items = list(m.SupplyItem.select())
    assert len({i.sku for i in items}) == len(items)
    for item in items:
        assert item.on_hand == sum(lot.quantity for lot in lots[item.id])
    for item_lots in lots.values():
        for lot in item_lots:
            assert moved[lot.id] == lot.quantity
    soon = FROZEN_TODAY + dt.timedelta(days=30)
    all_lots = [lot for item_lots in lots.values() for lot in item_lots]
    assert sum(1 for i in items if i.on_hand == 0) >= 2
    assert sum(1 for i in items if 0 < i.on_hand <= i.reorder_point) >= 3
    assert (
        sum(1 for lot in all_lots if FROZEN_TODAY <= lot.expires_on <= soon and lot.quantity > 0)
        >= 3
    )
    assert sum(1 for lot in all_lots if lot.expires_on < FROZEN_TODAY) >= 2
    assert built.low_items >= 3 and built.out_items >= 2


def test_patients_are_realistic_and_include_display_safety_names(built) -> None:
    patients = list(m.Patient.select())
    for p in patients:
        assert p.last_norm == normalize(p.last_name) and p.first_norm == normalize(p.first_name)
        assert p.phone_last4 == digits(p.phone_mobile)[-4:]
        assert re.fullmatch(r"M\d{7}", p.mrn) and re.fullmatch(r"\d{4}", p.ssn_last4)
        assert p.dob <= FROZEN_TODAY and (FROZEN_TODAY - p.dob).days <= 96 * 366
        assert p.sex in ("F", "M", "X", "U")
    lasts = {p.last_name for p in patients}
    firsts = {p.first_name for p in patients}
    assert "Smith [/]" in lasts and "[b]O'Brien" in lasts
    assert any("\x1b" in f for f in firsts)
    escape = next(p for p in patients if "\x1b" in p.first_name)
    assert escape.first_norm == normalize("Eve\x1b[31m")
    smith = next(p for p in patients if p.last_name == "Smith [/]")
    assert smith.last_norm == "smith"
    ages = [(FROZEN_TODAY - p.dob).days // 365 for p in patients]
    assert min(ages) < 18 and max(ages) >= 65
    # the tricky names are on today's schedule, where the desk will see them
    special = {escape.id, smith.id}
    todays = m.Appointment.select().where(
        m.Appointment.start >= dt.datetime.combine(FROZEN_TODAY, dt.time(0)),
        m.Appointment.start < dt.datetime.combine(FROZEN_TODAY + dt.timedelta(days=1), dt.time(0)),
    )
    assert special <= {a.patient_id for a in todays}


def test_names_include_accents_hyphens_and_apostrophes(database) -> None:
    demo.build_demo(patients=800, seed=3, today=FROZEN_TODAY)
    names = [f"{p.first_name} {p.last_name}" for p in m.Patient.select()]
    assert any(ch in "".join(names) for ch in "éóúñü")
    assert any("-" in n for n in names) and any("'" in n for n in names)
    assert m.Claim.select().count() == 800  # roughly one per patient


def test_same_seed_same_practice_and_other_seed_differs(database) -> None:
    demo.build_demo(patients=N, seed=7, today=FROZEN_TODAY)
    first = _checksum()
    assert demo.has_data()
    demo.clear_all()
    assert not demo.has_data()
    # only what a freshly migrated practice has: the four roles, the system account, the head
    left = {model: model.select().count() for model in m.ALL_MODELS}
    assert left.pop(m.Role) == 4 and left.pop(m.User) == 1 and left.pop(m.AuditHead) == 1
    assert set(left.values()) == {0}
    demo.build_demo(patients=N, seed=7, today=FROZEN_TODAY)
    assert _checksum() == first
    demo.clear_all()
    demo.build_demo(patients=N, seed=8, today=FROZEN_TODAY)
    assert _checksum() != first
    # new rows after an explicit-id build get fresh ids (sequences moved on PostgreSQL)
    with writing_as("test:fixture"):
        payer = m.Payer.create(name="Local Plan", payer_id="LOCAL1")
    assert payer.id == 9


def test_the_demo_trail_verifies_and_holds_a_real_office_day(built) -> None:
    """`audit verify` passes on a fresh demo; its trail has sign-ins, record views,
    bookings and edits; and each account's last sign-in is its last sign_in event (so
    `users list` never says "never" for someone the trail shows signing in)."""
    from medoffice_tui.services import audit, staff

    report = audit.verify_chain()
    assert report.ok and report.checked == report.last_id == built.audit_events > 0
    kinds = Counter(
        (e.action, e.object_type) for e in m.AuditEvent.select(m.AuditEvent.action,
                                                              m.AuditEvent.object_type)
    )  # fmt: skip
    assert kinds["sign_in", "user"] > 0 and kinds["view", "patient"] > 0
    assert kinds["create", "appointment"] > 0  # bookings
    assert sum(n for (action, _entity), n in kinds.items() if action == "update") > 0  # edits
    rows = {r.username: r for r in staff.list_staff(staff.system_actor())}
    signed_in = {
        e.user_id: e.at_utc
        for e in m.AuditEvent.select().where(m.AuditEvent.action == "sign_in").order_by(
            m.AuditEvent.id
        )
    }  # fmt: skip
    assert signed_in
    for user in m.User.select().where(m.User.id.in_(list(signed_in))):
        assert rows[user.username].last_login_at is not None, user.username


def test_tiny_practice_still_has_the_safety_patients(database) -> None:
    summary = demo.build_demo(patients=0, seed=1, today=FROZEN_TODAY)
    assert summary.patients == 3 == m.Patient.select().count()
    assert summary.claims == MIN_CLAIMS


def test_cli_demo_builds_refuses_to_overwrite_and_rebuilds_with_force(tmp_path, capsys) -> None:
    path = tmp_path / "d.db"
    base = ["demo", "--db", str(path), "--patients", "50", "--quiet", "--today", "2026-11-23"]
    try:
        assert cli.main(base) == 0
        out = capsys.readouterr().out
        assert "50 patients" in out
        assert cli.main(base) == 2
        err = capsys.readouterr().err
        assert "already holds a practice" in err and "--force" in err
        close_database()
        assert cli.main(base[:4] + ["40", "--quiet", "--force", "--today", "2026-11-23"]) == 0
        open_database(f"sqlite:///{path}")
        assert m.Patient.select().count() == 40
    finally:
        close_database()


def _claim_tables_digest() -> str:
    """Every row of the claim tables, in id order."""
    digest = hashlib.sha256()
    for model in (m.Claim, m.ClaimDiagnosis, m.ClaimLine, m.ClaimStatusEvent, m.Payment,
                  m.PaymentAllocation, m.Adjustment):  # fmt: skip
        for row in model.select().order_by(model.id).tuples():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_a_large_practice_draws_its_claims_in_chunks_the_same_in_workers_or_not(
    sqlite_database, tmp_path, monkeypatch
) -> None:
    """Above ``CHUNKED_ABOVE`` claims the chunks come from worker processes on a SQLite
    file; drawn in this process instead (PostgreSQL, one core) they give the same rows,
    ids run without gaps, and the scratch files are gone after the build."""
    from medoffice_tui.demo import billing, claim_chunks

    monkeypatch.setattr(billing, "CHUNKED_ABOVE", 300)
    summary = demo.build_demo(patients=400, seed=7, today=FROZEN_TODAY)
    in_workers = _claim_tables_digest()
    assert summary.claims == m.Claim.select().count() == 400
    for model in (m.ClaimLine, m.ClaimStatusEvent, m.Payment, m.Adjustment):
        assert model.select(fn.MAX(model.id)).scalar() == model.select().count() > 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".demo-claims")) == []
    statuses = {c.status for c in m.Claim.select(m.Claim.status)}
    assert len(statuses) >= 10  # the forced claims of chunk 0: every status
    demo.clear_all()
    monkeypatch.setattr(claim_chunks, "_database_file", lambda: None)
    again = demo.build_demo(patients=400, seed=7, today=FROZEN_TODAY)
    assert _claim_tables_digest() == in_workers
    assert again.open_balance_cents == summary.open_balance_cents
    assert again.claim_events == summary.claim_events


def test_a_build_leaves_the_connection_and_the_process_as_it_found_them(sqlite_database) -> None:
    """The bulk load's shortcuts last only as long as the build: every index it set aside
    is back with its own SQL (those of tables finished early as well as the rest), the
    page cache, sync level and sqlite3's date adapters are what they were, and garbage
    collection is on again."""
    import gc
    import sqlite3

    def indexes() -> set[tuple[str, str]]:
        rows = sqlite_database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        return set(rows)

    def pragma(name: str) -> object:
        return sqlite_database.execute_sql(f"PRAGMA {name}").fetchall()[0][0]

    before = indexes()
    settings = (pragma("cache_size"), pragma("synchronous"))
    adapters = dict(sqlite3.adapters)
    summary = demo.build_demo(patients=N, seed=7, today=FROZEN_TODAY)
    assert summary.patients == N
    assert indexes() == before and len(before) > 50
    assert (pragma("cache_size"), pragma("synchronous")) == settings
    assert dict(sqlite3.adapters) == adapters
    assert gc.isenabled()
    # the dates went in as the default adapters write them
    start = m.Appointment.select(m.Appointment.start).order_by(m.Appointment.id).scalar()
    raw = sqlite_database.execute_sql(
        'SELECT "start" FROM appointment ORDER BY id LIMIT 1'
    ).fetchone()[0]
    assert raw == start.isoformat(" ")
