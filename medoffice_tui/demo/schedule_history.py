"""The demo schedule's history and confirmation calls, as the services would have left them.

Every appointment gets the history rows the schedule's writes record (``booked``, then
one ``status`` row per step it took, in the order of its stamps), and its ``version``
and ``updated_by`` follow from them, so the last status change of a demo appointment
can be undone and the history screen tells a true story. About one future visit in
twenty was moved once (a ``moved`` row: from a time a few days earlier). For the next
working day, some of the visits still to confirm have had a call (left a message, no
answer, a wrong number), and the confirmed ones are marked confirmed by phone.
"""

from __future__ import annotations

import datetime as dt
import random

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.staff import CALLING_USERS, NURSE_USER
from medoffice_tui.demo.reference.visits import MOVE_REASONS
from medoffice_tui.demo.state import BuildState

EVENT_FIELDS = bulk.fields(
    m.AppointmentEvent,
    "id appointment at user kind from_status to_status from_provider from_start from_end "
    "to_provider to_start to_end detail version undoes",
)
#: stamp column -> status, in the order a visit goes through them
_STEPS = (
    ("confirmed_at", "confirmed"),
    ("arrived_at", "arrived"),
    ("roomed_at", "roomed"),
    ("completed_at", "completed"),
    ("cancelled_at", "cancelled"),
    ("no_show_at", "no_show"),
)
#: who takes each step at the demo's desk
_BY = {"roomed": NURSE_USER, "completed": NURSE_USER}


def build_history(state: BuildState, rng: random.Random, appts: list[dict]) -> list[tuple]:
    """History rows for every appointment (ids already assigned); sets version/updated_by."""
    rows: list[tuple] = []
    minute = dt.timedelta(minutes=1)

    def add(appt: dict, at: dt.datetime, user: int, kind: str, **kw: object) -> None:
        version = appt["_v"] = appt.get("_v", 0) + 1
        appt["version"] = version
        rows.append(
            (
                len(rows) + 1,
                appt["id"],
                at,
                user,
                kind,
                kw.get("from_status", ""),
                kw.get("to_status", ""),
                kw.get("from_provider"),
                kw.get("from_start"),
                kw.get("from_end"),
                kw.get("to_provider"),
                kw.get("to_start"),
                kw.get("to_end"),
                kw.get("detail", ""),
                version,
                None,
            )
        )
        appt["updated_by"] = user

    for appt in appts:
        start, end, provider = appt["start"], appt["end"], appt["provider"]
        booker = appt["created_by"]
        moved = (
            appt["series"] is None
            and appt["status"] in ("booked", "confirmed")
            and start > state.now
            and rng.random() < 0.05
        )
        first_start = start - dt.timedelta(days=rng.randint(1, 3), minutes=15 * rng.randint(0, 4))
        add(appt, appt["booked_at"], booker, "booked", to_status="booked",
            to_provider=provider, to_start=first_start if moved else start,
            to_end=(first_start if moved else start) + (end - start),
            detail=f"overbook: {appt['overbook_reason']}" if appt["overbooked"]
            else "")  # fmt: skip
        steps = [(appt[col], status) for col, status in _STEPS if appt[col] is not None]
        steps.sort(key=lambda item: item[0])
        if moved:
            at = appt["booked_at"] + (steps[0][0] - appt["booked_at"]) / 2 if steps else (
                appt["booked_at"] + minute)  # fmt: skip
            add(appt, min(at, state.now), booker, "moved", from_status="booked",
                to_status="booked", from_provider=provider, from_start=first_start,
                from_end=first_start + (end - start), to_provider=provider, to_start=start,
                to_end=end, detail=rng.choice(MOVE_REASONS))  # fmt: skip
        previous = "booked"
        for at, status in steps:
            detail = appt["cancel_reason"] if status == "cancelled" else ""
            add(appt, at, _BY.get(status, booker), "status", from_status=previous,
                to_status=status, detail=detail)  # fmt: skip
            previous = status
        appt.pop("_v", None)
    return rows


def make_calls(
    state: BuildState, rng: random.Random, appts: list[dict], events: list[tuple]
) -> None:
    """Confirmation calls already made this morning for the next working day."""
    working = sorted({a["start"].date() for a in appts if a["start"].date() > state.today})
    if not working:
        return
    day = working[0]
    morning = dt.datetime.combine(state.today, dt.time(8, 40))
    for appt in sorted(appts, key=lambda a: (a["start"], a["provider"])):
        if appt["start"].date() != day or appt["status"] not in ("booked", "confirmed"):
            continue
        caller = rng.choice(CALLING_USERS)
        at = min(morning + dt.timedelta(minutes=rng.randint(0, 100)), state.now)
        if appt["status"] == "confirmed":
            if rng.random() < 0.6:
                appt.update(reminder_outcome="confirmed", reminder_at=appt["confirmed_at"],
                            reminder_by=appt["updated_by"])  # fmt: skip
            continue
        r = rng.random()
        outcome = "left_message" if r < 0.3 else "no_answer" if r < 0.4 else (
            "wrong_number" if r < 0.43 else "")  # fmt: skip
        if not outcome:
            continue
        version = appt["version"] + 1
        events.append(
            (
                len(events) + 1,
                appt["id"],
                at,
                caller,
                "reminder",
                "",
                "",
                None,
                None,
                None,
                None,
                None,
                None,
                outcome,
                version,
                None,
            )  # fmt: skip
        )
        appt.update(reminder_outcome=outcome, reminder_at=at, reminder_by=caller,
                    version=version, updated_by=caller,
                    updated_at=max(appt["updated_at"], at))  # fmt: skip
