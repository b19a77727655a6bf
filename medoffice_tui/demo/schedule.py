"""The schedule: appointments from ``WINDOW_DAYS`` before today to as many after, one weekly
recurring series per provider, cancellations with rebookings, and statuses that follow
the demo's clock.

Appointments respect the booking rules the service enforces: provider hours, the lunch
and meeting blocks, the overlap guard (no two live appointments of a provider
overlap), and no visit still to come is for an inactive record or for a patient
already booked then (such visits are cancelled, with the reason). Today there is
one overbook (into a lunch hour, by the manager, with its reason).
Every appointment has its history (booked, each status change, moves for some), with
versions to match, so undo and the history screen work on demo data; the next
working day's unconfirmed visits have some confirmation calls already made. Completed
past visits are left in ``state.completed_by_day`` for the claims to bill.
"""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo import schedule_history as history
from medoffice_tui.demo.draws import weighted
from medoffice_tui.demo.patients import display_safety_ids
from medoffice_tui.demo.reference.staff import (
    FRONTDESK_USER,
    MANAGER_USER,
    PROVIDERS,
)
from medoffice_tui.demo.reference.visits import (
    APPT_TYPES,
    CANCEL_REASONS,
    DUPLICATE_CANCEL_REASON,
    INACTIVE_CANCEL_REASON,
    OVERBOOK_REASON,
    SERIES_REASONS,
)
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.timeframe import WINDOW_DAYS, day_at

#: RRULE weekday names, Monday first
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: statuses that no longer hold their slot
_DEAD = ("cancelled", "no_show")


def build_schedule(state: BuildState) -> None:
    """Book the window for each provider, then write the series and the appointments."""
    rng = state.rng("schedule")
    n = state.n_patients
    days = [state.today + dt.timedelta(days=k) for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]
    type_weights = tuple(t[3] for t in APPT_TYPES)
    type_ids = list(range(1, len(APPT_TYPES) + 1))
    short_types = [i for i, t in enumerate(APPT_TYPES, 1) if t[1] == 15 and i != 6]
    appts: list[dict] = []
    series_rows = []
    bookable_minutes = filled_minutes = 0
    state.progress("schedule", 0, len(PROVIDERS))
    for pid in range(1, len(PROVIDERS) + 1):
        free = {day: _bookable(state, pid, day) for day in days}
        taken: dict[dt.date, set[int]] = {day: set() for day in days}
        # one weekly series per provider, on a weekday and time free every week
        weekday = rng.choice([d for d in range(5) if d in state.hours[pid]])
        dates = [d for d in days if d.weekday() == weekday]
        common = set.intersection(*(set(free[d]) for d in dates))
        start_min = rng.choice(sorted(common))
        series_id = len(series_rows) + 1
        series_patient = rng.randrange(1, n + 1)
        series_created = day_at(dates[0] - dt.timedelta(days=7), 10 * 60)
        series_rows.append(
            (
                series_id,
                f"FREQ=WEEKLY;BYDAY={BYDAY[weekday]};COUNT={len(dates)}",
                series_created,
                FRONTDESK_USER,
            )
        )
        reason = SERIES_REASONS[(pid - 1) % len(SERIES_REASONS)]
        for day in dates:
            taken[day].add(start_min)
            appts.append(
                _appointment(
                    state,
                    rng,
                    pid,
                    series_patient,
                    2,
                    day,
                    start_min,
                    15,
                    reason,
                    series_id,
                    allow_cancel=False,
                    booked=series_created,
                )
            )
        for day in days:
            slots = free[day]
            slot_set = set(slots)
            bookable_minutes += 15 * len(slots)
            i = 0
            while i < len(slots):
                s = slots[i]
                if s in taken[day] or rng.random() < 0.17:
                    i += 1
                    continue
                type_id = weighted(rng, type_ids, type_weights)
                length = APPT_TYPES[type_id - 1][1]
                if not all(
                    s + k in slot_set and s + k not in taken[day] for k in range(0, length, 15)
                ):
                    type_id = rng.choice(short_types)
                    length = 15
                for k in range(0, length, 15):
                    taken[day].add(s + k)
                reason = rng.choice(APPT_TYPES[type_id - 1][4])
                appt = _appointment(
                    state,
                    rng,
                    pid,
                    rng.randrange(1, n + 1),
                    type_id,
                    day,
                    s,
                    length,
                    reason,
                    None,
                    allow_cancel=True,
                )
                appts.append(appt)
                if appt["status"] == "cancelled" and rng.random() < 0.4:
                    gap = dt.timedelta(minutes=rng.randint(2, 90))
                    rebooked = min(
                        appt["cancelled_at"] + gap,
                        day_at(day, s - 1),
                        state.now - dt.timedelta(minutes=1),
                    )
                    appts.append(
                        _appointment(
                            state,
                            rng,
                            pid,
                            rng.randrange(1, n + 1),
                            type_id,
                            day,
                            s,
                            length,
                            reason,
                            None,
                            allow_cancel=False,
                            booked=rebooked,
                        )
                    )
                i += length // 15
        state.progress("schedule", pid, len(PROVIDERS))
    _put_display_patients_on_today(state, appts)
    _follow_patient_rules(state, appts)
    appts.sort(key=lambda a: (a["start"], a["provider"], a["status"] in _DEAD))
    overbook = _overbook_today(state, rng, appts)
    if overbook is not None:
        appts.append(overbook)  # last: every other appointment keeps its id
    for aid, appt in enumerate(appts, 1):
        appt["id"] = aid
        if appt["status"] == "completed" and appt["start"].date() < state.today:
            state.completed_by_day.setdefault(appt["start"].date(), []).append(
                (aid, appt["patient"], appt["provider"])
            )
        if appt["status"] not in _DEAD:
            filled_minutes += int((appt["end"] - appt["start"]).total_seconds() // 60)
    bulk.insert(
        m.RecurringSeries,
        bulk.fields(m.RecurringSeries, "id rrule created_at created_by"),
        series_rows,
    )
    events = history.build_history(state, state.rng("schedule-history"), appts)
    history.make_calls(state, state.rng("schedule-calls"), appts, events)
    fields = bulk.fields(
        m.Appointment,
        "id patient provider appt_type start end reason status booked_at confirmed_at "
        "arrived_at roomed_at completed_at cancelled_at cancel_reason no_show_at series "
        "created_by updated_at version updated_by overbooked overbook_reason "
        "reminder_outcome reminder_at reminder_by",
    )
    names = [f.name for f in fields]
    # newest first: the SQLite overlap trigger then scans only a few later rows per insert
    rows = [tuple(a[k] for k in names) for a in reversed(appts)]
    bulk.insert(m.Appointment, fields, rows)
    bulk.insert(m.AppointmentEvent, history.EVENT_FIELDS, events)
    s = state.summary
    s.appointments, s.recurring_series = len(appts), len(series_rows)
    s.slot_fill_ratio = filled_minutes / bookable_minutes if bookable_minutes else 0.0


def _bookable(state: BuildState, pid: int, day: dt.date) -> list[int]:
    """Slot start minutes inside the provider's hours and outside every block."""
    span = state.hours[pid].get(day.weekday())
    if span is None:
        return []
    blocks = []
    if day.weekday() < 5:
        blocks.append(state.lunch[pid])
    mp, mday, mstart, mend = state.meeting
    if pid == mp and day == mday:
        blocks.append((mstart, mend))
    return [
        s
        for s in range(span[0], span[1], 15)
        if not any(s < b_end and s + 15 > b_start for b_start, b_end in blocks)
    ]


def _put_display_patients_on_today(state: BuildState, appts: list[dict]) -> None:
    """The markup/escape-named patients sit on today's schedule, to show display safety."""
    todays = sorted(
        (a for a in appts if a["start"].date() == state.today and a["series"] is None),
        key=lambda a: (a["provider"], a["start"]),
    )
    for patient, appt in zip(display_safety_ids(state.n_patients), todays[:9:3], strict=False):
        appt["patient"] = patient


def _appointment(
    state: BuildState,
    rng: random.Random,
    pid: int,
    patient: int,
    type_id: int,
    day: dt.date,
    start_min: int,
    length: int,
    reason: str,
    series: int | None,
    *,
    allow_cancel: bool,
    booked: dt.datetime | None = None,
) -> dict:
    start = day_at(day, start_min)
    end = start + dt.timedelta(minutes=length)
    now = state.now
    minute = dt.timedelta(minutes=1)
    a = {
        "patient": patient,
        "provider": pid,
        "appt_type": type_id,
        "start": start,
        "end": end,
        "reason": reason,
        "confirmed_at": None,
        "arrived_at": None,
        "roomed_at": None,
        "completed_at": None,
        "cancelled_at": None,
        "cancel_reason": "",
        "no_show_at": None,
        "series": series,
        "created_by": FRONTDESK_USER,
        "version": 1,
        "updated_by": FRONTDESK_USER,
        "overbooked": False,
        "overbook_reason": "",
        "reminder_outcome": "",
        "reminder_at": None,
        "reminder_by": None,
    }
    if booked is None:
        booked = start - dt.timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 9 * 60))
        if booked >= now:
            booked = now - rng.randint(5, 20 * 60) * minute
    a["booked_at"] = booked
    r = rng.random()
    if day < state.today or (day == state.today and end <= now - 30 * minute):
        if allow_cancel and r < 0.09:
            status = "cancelled"
        elif r < 0.15:
            status = "no_show"
        else:
            status = "completed"
    elif day == state.today and start < now:
        status = "roomed" if start < now - 15 * minute else "arrived"
    elif allow_cancel and r < 0.05:
        status = "cancelled"
    elif day == state.today:
        status = (
            "arrived"
            if start < now + 30 * minute and r < 0.5
            else weighted(rng, ("confirmed", "booked"), (65, 35))
        )
    else:
        soon = (day - state.today).days <= 2
        status = weighted(rng, ("confirmed", "booked"), (70, 30) if soon else (15, 85))
    a["status"] = status
    if status == "cancelled":
        latest = min(start, now)
        cancelled = latest - dt.timedelta(minutes=rng.randint(60, 3 * 24 * 60))
        a["cancelled_at"] = max(cancelled, booked + minute)
        a["cancel_reason"] = rng.choice(CANCEL_REASONS)
    elif status == "no_show":
        a["no_show_at"] = start + 15 * minute
    elif status != "booked":
        if status == "confirmed" or rng.random() < 0.7:
            confirmed = start - dt.timedelta(days=1, minutes=rng.randint(0, 6 * 60))
            a["confirmed_at"] = min(max(confirmed, booked + minute), now)
        if status in ("arrived", "roomed", "completed"):
            a["arrived_at"] = min(start - rng.randint(0, 15) * minute, now)
        if status in ("roomed", "completed"):
            a["roomed_at"] = min(a["arrived_at"] + rng.randint(5, 15) * minute, now)
        if status == "completed":
            a["completed_at"] = end + rng.randint(0, 10) * minute
    stamps = [v for k, v in a.items() if k.endswith("_at") and v is not None]
    a["updated_at"] = max(stamps)
    return a


def _follow_patient_rules(state: BuildState, appts: list[dict]) -> None:
    """Visits still to come keep the booking rules: none for an inactive record, none
    for a patient already booked at an overlapping time. Such a visit is cancelled with
    the reason, as a desk would have done (the patient keeps it on the record, so
    nothing else of the demo changes). What has already happened is left as it
    happened: a record may have been made inactive since (the schedule flags it).
    """
    inactive = {pid for (pid,) in m.Patient.select(m.Patient.id).where(~m.Patient.active).tuples()}
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for appt in appts:  # what has happened or is under way holds its patient's time
        if appt["status"] in ("arrived", "roomed", "completed"):
            busy.setdefault(appt["patient"], []).append((appt["start"], appt["end"]))
    to_come = (
        a for a in appts if a["status"] in ("booked", "confirmed") and a["start"] > state.now
    )
    for appt in sorted(to_come, key=lambda a: (a["booked_at"], a["start"], a["provider"])):
        pid = appt["patient"]
        if pid in inactive:
            _cancel(appt, INACTIVE_CANCEL_REASON)
            continue
        if any(s < appt["end"] and e > appt["start"] for s, e in busy.get(pid, [])):
            _cancel(appt, DUPLICATE_CANCEL_REASON)
            continue
        busy.setdefault(pid, []).append((appt["start"], appt["end"]))


def _cancel(appt: dict, reason: str) -> None:
    """Cancelled a few minutes after it was booked (the desk noticed at once)."""
    for stamp in ("confirmed_at", "arrived_at", "roomed_at", "completed_at", "no_show_at"):
        appt[stamp] = None
    appt["status"] = "cancelled"
    appt["cancel_reason"] = reason
    appt["cancelled_at"] = min(appt["booked_at"] + dt.timedelta(minutes=5), appt["start"])
    appt["updated_at"] = appt["cancelled_at"]


def _overbook_today(state: BuildState, rng: random.Random, appts: list[dict]) -> dict | None:
    """The manager squeezed an urgent visit into a provider's lunch hour today: a patient
    seen this morning, back with a fever (added last, so no other row moves)."""
    pid = 2 if len(PROVIDERS) > 1 else 1
    lunch_start, lunch_end = state.lunch[pid]
    special = set(display_safety_ids(state.n_patients))
    start, end = day_at(state.today, lunch_start), day_at(state.today, lunch_start + 15)
    todays = [a for a in appts if a["start"].date() == state.today]
    seen = [
        a["patient"]
        for a in sorted(todays, key=lambda a: (a["start"], a["provider"]))
        if a["status"] in ("completed", "roomed") and a["patient"] not in special
    ]
    patient = next(
        (
            p
            for p in seen
            if not any(
                a["patient"] == p
                and a["status"] not in _DEAD
                and a["start"] < end
                and a["end"] > start
                for a in todays
            )
        ),
        None,
    )
    if patient is None:
        return None  # a practice too small to have anyone seen this morning
    booked = day_at(state.today, 9 * 60 + 5)
    appt = _appointment(state, rng, pid, patient, 4, state.today, lunch_start, 15,
                        "Fever and cough", None, allow_cancel=False, booked=booked)  # fmt: skip
    appt.update(status="booked", confirmed_at=None, arrived_at=None, roomed_at=None,
                completed_at=None, created_by=MANAGER_USER, updated_by=MANAGER_USER,
                overbooked=True, overbook_reason=OVERBOOK_REASON, updated_at=booked)  # fmt: skip
    return appt


# -------------------------------------------------------------- claims
