"""The demo's audit trail: two weeks of its staff at work, as the app would have logged it.

Built last, from what the other parts wrote: each workday the staff sign in in the
morning, lock their screens over lunch and sign out in the evening; the front desk
books (each appointment's ``booked_at``), confirms and checks patients in (opening
their record), clinical staff room them, record vitals and finish the visit, billing
moves claims along. A few mistyped passwords, one lockout and one refused action (a
front-desk account trying to post a payment) are in it too, as in any real office.

Only events up to the demo's "now" are written. They are chained exactly as
``services/audit.py`` chains them (``db/audit_chain.py``), so ``audit verify`` passes.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

from medoffice_tui.db import models as m
from medoffice_tui.db.audit_chain import GENESIS, ChainedEvent, event_hash
from medoffice_tui.db.connection import db
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.staff import USER_IDS
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import WINDOW_DAYS, day_at

ZONE = ZoneInfo("America/Chicago")

#: (at local, user id, action, entity, entity id, patient id, fields, success, detail)
Event = tuple[dt.datetime, int, str, str, "int | None", "int | None", str, bool, str]

#: who does what on the schedule, by role
_STAMP_ROLE = {
    "confirmed_at": "front_desk",
    "arrived_at": "front_desk",
    "roomed_at": "clinical",
    "completed_at": "clinical",
    "cancelled_at": "front_desk",
    "no_show_at": "front_desk",
}


def _users(role: str) -> list[int]:
    return [uid for uid, (_name, r) in sorted(USER_IDS.items()) if r == role]


def build_audit_trail(state: BuildState, meanwhile: Callable[[], None] | None = None) -> None:
    """The trail, chained and written; ``meanwhile`` runs on this thread while another
    hashes the chain (see ``_chained_rows``)."""
    rng = state.rng("audit")
    start = state.today - dt.timedelta(days=WINDOW_DAYS)
    now = state.now
    events: list[Event] = []
    events += _sessions(state, rng, start)
    events += _schedule_events(rng, start, now)
    events += _vitals_events(start, now)
    events += _claim_events(start, now)
    events += _mishaps(state, start)
    events = [e for e in events if e[0] <= now]
    events.sort(key=lambda e: (e[0], e[1], e[2], e[4] or 0))
    _write_chain(events, meanwhile)
    _stamp_last_sign_ins(events)
    state.summary.audit_events = len(events)


def _stamp_last_sign_ins(events: list[Event]) -> None:
    """Each account's last sign-in is its last ``sign_in`` event (what ``medoffice users
    list`` and the staff screen show), so the accounts and their trail agree."""
    last: dict[int, dt.datetime] = {}
    for at, user, action, *_rest in events:
        if action == "sign_in":
            last[user] = max(at, last.get(user, at))
    for user, at in sorted(last.items()):
        m.User.update(last_login_at=at).where(m.User.id == user).execute()


def _sessions(state: BuildState, rng, start: dt.date) -> Iterator[Event]:  # noqa: ANN001
    """Sign in around 8, lock over lunch, unlock, sign out around 5, every workday."""
    day = start
    while day <= state.today:
        if day.weekday() < 5:
            for uid in sorted(USER_IDS):
                if rng.random() < 0.08:
                    continue  # a day off
                signed_in = day_at(day, 7 * 60 + 40 + rng.randrange(40))
                yield (signed_in, uid, "sign_in", "user", uid, None, "", True, "via app")
                lunch = day_at(day, 12 * 60 + rng.randrange(30))
                yield (lunch, uid, "lock", "session", uid, None, "", True, "idle")
                back = lunch + dt.timedelta(minutes=35 + rng.randrange(25))
                yield (back, uid, "unlock", "session", uid, None, "", True, "")
                out = day_at(day, 17 * 60 + rng.randrange(45))
                yield (out, uid, "sign_out", "session", uid, None, "", True, "")
        day += dt.timedelta(days=1)


def _schedule_events(rng, start: dt.date, now: dt.datetime) -> Iterator[Event]:  # noqa: ANN001
    desk = _users("front_desk")
    clinic = _users("clinical")
    first = dt.datetime.combine(start, dt.time())
    query = (
        m.Appointment.select(
            m.Appointment.id,
            m.Appointment.patient,
            m.Appointment.created_by,
            m.Appointment.booked_at,
            m.Appointment.confirmed_at,
            m.Appointment.arrived_at,
            m.Appointment.roomed_at,
            m.Appointment.completed_at,
            m.Appointment.cancelled_at,
            m.Appointment.no_show_at,
        )
        .where((m.Appointment.booked_at >= first) | (m.Appointment.start >= first))
        .order_by(m.Appointment.id)
        .tuples()
    )
    stamps = list(_STAMP_ROLE)
    for aid, pid, booked_by, booked_at, *times in query:
        if booked_at is not None and first <= booked_at <= now:
            who = booked_by or rng.choice(desk)
            fields = "appt_type,end,patient,provider,reason,start,status"
            yield (booked_at, who, "create", "appointment", aid, pid, fields, True, "")
        for name, at in zip(stamps, times, strict=True):
            if at is None or not (first <= at <= now):
                continue
            who = rng.choice(desk if _STAMP_ROLE[name] == "front_desk" else clinic)
            status = name.removesuffix("_at")
            fields = f"{name},status"
            yield (at, who, "update", "appointment", aid, pid, fields, True, f"-> {status}")
            if name in ("arrived_at", "roomed_at"):
                opened = at + dt.timedelta(seconds=20)
                yield (opened, who, "view", "patient", pid, pid, "", True, "")


def _vitals_events(start: dt.date, now: dt.datetime) -> Iterator[Event]:
    first = dt.datetime.combine(start, dt.time())
    query = (
        m.Vital.select(m.Vital.id, m.Vital.patient, m.Vital.taken_by, m.Vital.taken_at)
        .where((m.Vital.taken_at >= first) & (m.Vital.taken_at <= now))
        .tuples()
    )
    fields = "diastolic,height_in,pulse,systolic,temperature_f,weight_lb"
    for vid, pid, who, at in query:
        if who is not None:
            yield (at, who, "create", "vital", vid, pid, fields, True, "")


def _claim_events(start: dt.date, now: dt.datetime) -> Iterator[Event]:
    """Each claim status change of the two weeks, by its biller. Read as plain rows (a
    million claims change status about a million times in two weeks): a SQLite time
    comes back as text and is read with ``fromisoformat``, as Peewee would read it."""
    first = dt.datetime.combine(start, dt.time())
    p = db.param
    rows = db.execute_sql(
        'SELECT e."claim_id", c."patient_id", e."user_id", e."at", e."to_status" '
        'FROM "claim_status_event" AS e JOIN "claim" AS c ON e."claim_id" = c."id" '
        f'WHERE e."at" >= {p} AND e."at" <= {p}',
        (first, now),
    )
    parse = dt.datetime.fromisoformat
    for cid, pid, who, at, to_status in rows:
        if who is not None:
            if isinstance(at, str):
                at = parse(at)
            yield (at, who, "update", "claim", cid, pid, "status", True, f"-> {to_status}")


def _mishaps(state: BuildState, start: dt.date) -> Iterator[Event]:
    """What goes wrong in any office: typos, a lockout, a refused action."""
    desk = _users("front_desk")
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7 + 1)  # a Tuesday
    typo = day_at(day, 7 * 60 + 38)
    yield (typo, desk[0], "sign_in_failed", "user", desk[0], None, "", False, "wrong password")
    locked_user = desk[-1]
    later = day + dt.timedelta(days=2)
    for k in range(5):
        at = day_at(later, 7 * 60 + 30) + dt.timedelta(seconds=20 * k)
        yield (at, locked_user, "sign_in_failed", "user", locked_user, None, "", False,
               "wrong password")  # fmt: skip
    lock_at = day_at(later, 7 * 60 + 32)
    yield (lock_at, locked_user, "lockout", "user", locked_user, None, "", False,
           "5 failed sign-ins")  # fmt: skip
    manager = _users("manager")[0]
    yield (lock_at + dt.timedelta(minutes=4), manager, "update", "user", locked_user, None,
           "locked_until", True, "unlocked")  # fmt: skip
    refused = day_at(later, 11 * 60 + 5)
    yield (refused, desk[0], "refused", "payment", None, None, "", False, "payment.post")
    if state.today.weekday() < 5:  # this morning someone typed "adimn"
        yield (day_at(state.today, 7 * 60 + 55), 1, "sign_in_failed", "user", None, None, "",
               False, "unknown account")  # fmt: skip


#: (local date, hour) -> that hour's offset from UTC (a zone's offset only changes on
#: the hour, so one lookup per hour of the trail instead of one per event)
_OFFSETS: dict[tuple[dt.date, int], dt.timedelta] = {}


def _to_utc(local: dt.datetime) -> dt.datetime:
    key = (local.date(), local.hour)
    offset = _OFFSETS.get(key)
    if offset is None:
        hour = local.replace(minute=0, second=0, microsecond=0)
        utc = hour.replace(tzinfo=ZONE).astimezone(dt.UTC).replace(tzinfo=None)
        offset = _OFFSETS[key] = utc - hour
    return local + offset


def _write_chain(events: list[Event], meanwhile: Callable[[], None] | None = None) -> None:
    """Hash the chain on a thread of its own while ``meanwhile`` runs here, then write it.

    The hashing is Python (12 s for a million events) and an index build is SQLite's
    own C, which lets go of the GIL: the demo builds the claims' indexes meanwhile."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="audit-chain") as pool:
        chained = pool.submit(_chained_rows, events)
        if meanwhile is not None:
            meanwhile()
        rows, last = chained.result()
    fields = bulk.fields(
        m.AuditEvent,
        "id at_utc user action object_type object_id patient_id fields success detail "
        "prev_hash hash",
    )
    bulk.insert(m.AuditEvent, fields, rows)
    bulk.insert_orm(
        m.AuditHead,
        bulk.fields(m.AuditHead, "id last_id last_hash"),
        [(1, len(rows), last)],
    )


def _chained_rows(events: list[Event]) -> tuple[list[tuple], str]:
    """The audit rows of ``events`` (ids from 1), each with the hash of the one before,
    and the last hash. Touches no database (it runs beside the build's connection)."""
    rows = []
    prev = GENESIS
    for eid, (at, user, action, entity, entity_id, patient_id, changed, ok, detail) in enumerate(
        events, 1
    ):
        event = ChainedEvent(
            eid, _to_utc(at), user, action, entity, entity_id, patient_id, changed, ok, detail,
            prev,
        )  # fmt: skip
        digest = event_hash(event)
        rows.append((eid, event.at_utc, user, action, entity, entity_id, patient_id, changed,
                     ok, detail, prev, digest))  # fmt: skip
        prev = digest
    return rows, prev
