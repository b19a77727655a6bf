"""The audit trail: an event for each kind of action, field names but never values, and a
hash chain that `audit verify` checks (altered, inserted, deleted, swapped, cut off)."""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
from collections.abc import Iterator

import pytest

from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import AuditEvent, AuditHead, Patient, SupplyItem
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import audit, audit_view, patients, schedule, staff, stock
from medoffice_tui.services.audit import AuditFilter
from tests.db.workers import audit_worker


@contextlib.contextmanager
def tampering() -> Iterator[None]:
    """Someone with the database file in hand: drops the append-only guard, edits rows."""
    with writing_as("test:tamper"), db.atomic(), engine_for().lifted_audit_guard():
        yield


def _last(n: int = 1) -> list[AuditEvent]:
    return list(AuditEvent.select().order_by(AuditEvent.id.desc()).limit(n))[::-1]


@pytest.fixture
def patient(desk):  # noqa: ANN201 - a PatientRow
    return patients.create_patient(
        desk, last_name="Zebediah", first_name="Quill", dob="3/4/1980",
        phone_mobile="312-555-0147",
    )  # fmt: skip


def test_patient_create_update_and_view_are_events_with_field_names_only(desk, patient) -> None:
    (created,) = _last()
    assert (created.action, created.object_type, created.patient_id) == (
        "create", "patient", patient.id
    )  # fmt: skip
    assert "last_name" in created.fields and "dob" in created.fields
    patients.update_patient(desk, patient.id, 1, phone_mobile="773-555-0199", first_name="Q")
    (updated,) = _last()
    assert (updated.action, updated.fields) == ("update", "first_name,phone_mobile")
    patients.get_patient(desk, patient.id)
    (viewed,) = _last()
    assert (viewed.action, viewed.object_id, viewed.user_id) == ("view", patient.id, desk.user_id)
    # the trail names fields, never what is in them
    for event in AuditEvent.select():
        text = f"{event.fields} {event.detail}"
        for value in ("Zebediah", "Quill", "1980", "0147", "0199"):
            assert value not in text


def test_appointments_and_stock_are_events(desk, patient, fixture_writes) -> None:
    from medoffice_tui.db.models import Provider

    provider = Provider.create(first_name="Jo", last_name="Doc", npi="1000000001")
    booked = schedule.book_appointment(
        desk, patient.id, provider.id, dt.datetime(2026, 11, 24, 9), minutes=15
    )
    schedule.set_status(desk, booked.id, "confirmed", booked.version)
    create, status = _last(2)
    assert (create.action, create.object_type, create.object_id) == ("create", "appointment",
                                                                     booked.id)  # fmt: skip
    assert (status.action, status.fields, status.detail) == (
        "update", "confirmed_at,status", "booked -> confirmed"
    )  # fmt: skip
    assert status.patient_id == patient.id
    item = SupplyItem.create(sku="G1", name="Gloves")
    stock.receive(desk, item.id, "L1", 10, "12/31/2027")
    stock.use(desk, item.id, 3)
    receive, use = _last(2)
    assert (receive.object_type, receive.detail) == ("stock_movement", "receive +10")
    assert (use.object_type, use.detail) == ("stock_movement", "use -3")


def test_sign_in_events_and_refusals(database) -> None:
    system = staff.system_actor()
    staff.add_user(system, "rita", "Rita", "front_desk", "rita-pass-1")
    with pytest.raises(Exception):  # noqa: B017 - SignInFailed
        staff.sign_in("rita", "wrong-one-1")
    rita = staff.sign_in("rita", "rita-pass-1")
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        audit_view.list_events(rita)
    actions = [e.action for e in _last(4)]
    assert actions == ["create", "sign_in_failed", "sign_in", "refused"]


def test_every_event_has_a_user(desk, patient) -> None:
    with pytest.raises(Exception):  # noqa: B017
        staff.sign_in("nobody-at-all", "whatever-pass")
    assert AuditEvent.select().where(AuditEvent.user.is_null()).count() == 0


def test_a_failed_write_leaves_no_event(desk, patient) -> None:
    before = AuditEvent.select().count()
    with pytest.raises(Exception):  # noqa: B017 - StaleEdit
        patients.update_patient(desk, patient.id, 99, first_name="Nope")
    assert AuditEvent.select().count() == before
    assert Patient.get_by_id(patient.id).first_name == "Quill"


# ------------------------------------------------------------------ verifying


@pytest.fixture
def trail(desk, patient):  # noqa: ANN201 - the ids of a trail of ten events
    for _ in range(9):  # the registration, then nine views
        patients.get_patient(desk, patient.id)
    report = audit.verify_chain()
    assert report.ok and report.checked == report.last_id == 10
    return report


def test_verify_passes_an_untouched_trail_and_counts_it(trail, manager) -> None:
    assert audit_view.verify(manager).describe().startswith("audit chain intact: 10")


def test_verify_finds_an_altered_row(trail) -> None:
    with tampering():
        AuditEvent.update(detail="nothing to see").where(AuditEvent.id == 4).execute()
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_id) == (False, 4)
    assert "altered" in report.problem


def test_verify_finds_a_deleted_row(trail) -> None:
    with tampering():
        AuditEvent.delete().where(AuditEvent.id == 6).execute()
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_id) == (False, 7)
    assert "deleted or inserted" in report.problem


def test_verify_finds_an_inserted_row(trail) -> None:
    with tampering():
        for eid in range(10, 4, -1):  # make room at 5, as a forger would
            AuditEvent.update(id=eid + 1).where(AuditEvent.id == eid).execute()
        forged = AuditEvent.get_by_id(4)
        AuditEvent.insert(
            id=5, at_utc=forged.at_utc, user=forged.user_id, action="view",
            object_type="patient", object_id=1, patient_id=1, success=True, detail="",
            fields="", prev_hash=forged.hash, hash="f" * 64,
        ).execute()  # fmt: skip
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_id) == (False, 5)


def test_verify_finds_swapped_rows(trail) -> None:
    columns = ("at_utc", "user", "action", "object_type", "object_id", "patient_id", "fields",
               "success", "detail", "prev_hash", "hash")  # fmt: skip
    a, b = AuditEvent.get_by_id(3), AuditEvent.get_by_id(7)
    with tampering():
        AuditEvent.update({c: getattr(b, c) for c in columns}).where(AuditEvent.id == 3).execute()
        AuditEvent.update({c: getattr(a, c) for c in columns}).where(AuditEvent.id == 7).execute()
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_id) == (False, 3)


def test_verify_finds_events_cut_off_the_end(trail) -> None:
    with tampering():
        AuditEvent.delete().where(AuditEvent.id >= 9).execute()
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id is None
    assert "cut off" in report.problem
    assert AuditHead.get_by_id(1).last_id == 10


# ---------------------------------------------------------------- append-only


def test_the_database_refuses_to_change_or_remove_audit_rows(trail, database) -> None:
    """Migration 0012: UPDATE and DELETE on audit_event fail on each engine, whoever sends
    them (a writer set, raw SQL); adding rows still works and nothing was changed."""
    for sql in (
        "UPDATE audit_event SET detail = 'edited' WHERE id = 4",
        "UPDATE audit_event SET patient_id = NULL",
        "DELETE FROM audit_event WHERE id = 6",
        "DELETE FROM audit_event",
    ):
        with pytest.raises(Exception, match="append-only"):  # noqa: B017 - the driver's own error
            with writing_as("test:tamper"), db.atomic():
                database.execute_sql(sql)
    with pytest.raises(Exception, match="append-only"):  # noqa: B017
        with writing_as("test:tamper"), db.atomic():
            AuditEvent.delete().where(AuditEvent.id == 10).execute()
    if engine_for(database).name == "postgres":
        with pytest.raises(Exception, match="append-only"):  # noqa: B017
            with writing_as("test:tamper"), db.atomic():
                database.execute_sql("TRUNCATE audit_event")
    report = audit.verify_chain()
    assert report.ok and report.checked == 10
    engine = engine_for(database)
    assert any(name.startswith("audit_event") for name in engine.ENGINE_OBJECTS)
    assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)  # `medoffice check` sees it


def test_a_demo_wipe_lifts_the_guard_only_inside_its_own_transaction(trail, database) -> None:
    from medoffice_tui.demo.builder import clear_all

    clear_all()
    assert AuditEvent.select().count() == 0
    engine = engine_for(database)
    assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)  # the guard is back
    with pytest.raises(RuntimeError):  # never outside a transaction
        with engine.lifted_audit_guard():
            pass
    # a wipe that fails part-way leaves the guard (and the rows) where they were
    patients_before = Patient.select().count()
    with pytest.raises(ZeroDivisionError):
        with writing_as("test:wipe"), db.atomic(), engine.lifted_audit_guard():
            Patient.delete().execute()
            raise ZeroDivisionError
    assert Patient.select().count() == patients_before
    assert engine.engine_objects() == set(engine.ENGINE_OBJECTS)


# -------------------------------------------------------------------- reading


def test_list_filters_and_export(trail, desk, manager, patient, tmp_path) -> None:
    everything = audit_view.list_events(manager, limit=4)
    assert [r.id for r in everything.rows] == [10, 9, 8, 7] and everything.has_more
    after = audit_view.list_events(manager, after=everything.next_after, limit=100)
    assert [r.id for r in after.rows][:2] == [6, 5]
    views = audit_view.list_events(manager, AuditFilter(action="view", patient_id=patient.id))
    assert len(views.rows) == 9 and {r.username for r in views.rows} == {desk.username}
    by_user = audit_view.list_events(manager, AuditFilter(username=desk.username))
    assert len(by_user.rows) == 10
    none = audit_view.list_events(manager, AuditFilter(since=dt.date(2000, 1, 1),
                                                       until=dt.date(2000, 1, 2)))  # fmt: skip
    assert none.rows == []
    with pytest.raises(Exception, match="username"):
        audit_view.list_events(manager, AuditFilter(username="ghost"))
    out = tmp_path / "trail.csv"
    with open(out, "w", newline="", encoding="utf-8") as handle:
        assert audit_view.export_csv(manager, handle, AuditFilter(action="view")) == 9
    lines = out.read_text().splitlines()
    assert lines[0].startswith("id,time_utc,user,action") and len(lines) == 10
    (exported,) = _last()
    assert (exported.action, exported.object_type) == ("export", "audit")


# ---------------------------------------------------------------- concurrency

PROCESSES = 16
WRITES_EACH = 12


@pytest.mark.slow
def test_sixteen_processes_writing_at_once_leave_one_unbroken_chain(migrated_url, database) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(PROCESSES)
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(
            audit_worker, [(migrated_url, barrier, n, WRITES_EACH) for n in range(PROCESSES)]
        )
    assert [r["errors"] for r in results] == [[]] * PROCESSES
    report = audit.verify_chain()
    assert report.ok, report.describe()
    # every process's events are there, and the ids run without a gap
    assert report.checked == report.last_id == PROCESSES * WRITES_EACH
