"""Functions run in fresh ('spawn') processes by the DB tests.

Kept apart from the test modules so a child imports only what it needs. Each
worker opens its own connection from the URL, waits at a barrier so all start
together, and reports back plain data (names of exception types, counts).
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from typing import Any


def upgrade_worker(url: str, barrier: Any) -> tuple[str, list[str]]:
    """Run ``upgrade`` as soon as every other worker is ready too."""
    from medoffice_tui.db.connection import close_database, open_database
    from medoffice_tui.db.migrate import upgrade

    database = open_database(url)
    barrier.wait(timeout=60)
    try:
        return ("ok", upgrade(database))
    except Exception as exc:  # reported to the test, which fails on it
        return (f"{type(exc).__name__}: {exc}", [])
    finally:
        close_database()


def booking_worker(
    url: str,
    barrier: Any,
    patient_id: int,
    provider_ids: list[int],
    starts: list[str],
    minutes: list[int],
) -> dict[str, Any]:
    """Try every (provider, start, minutes) booking; count outcomes by exception type."""
    outcomes: dict[str, int] = {}
    booked: list[int] = []
    errors: list[str] = []
    try:
        from medoffice_tui import clock
        from medoffice_tui.db.connection import close_database, open_database
        from medoffice_tui.services import schedule, staff

        clock.pin(now=dt.datetime(2026, 11, 23, 7, 0))
        open_database(url)
        actor = staff.system_actor(via="test")
    except Exception as exc:  # still meet the others at the barrier, then report
        barrier.wait(timeout=60)
        errors.append("".join(traceback.format_exception_only(exc)).strip())
        return {"outcomes": {"setup": 1}, "booked": [], "errors": errors, "seconds": 0.0}
    barrier.wait(timeout=60)
    began = time.perf_counter()
    for i, start in enumerate(starts):
        try:
            row = schedule.book_appointment(
                actor,
                patient_id,
                provider_ids[i % len(provider_ids)],
                dt.datetime.fromisoformat(start),
                minutes=minutes[i],
            )
            booked.append(row.id)
            key = "booked"
        except Exception as exc:  # every kind is counted; the test says which are allowed
            key = type(exc).__name__
            if key != "SlotTaken":
                errors.append("".join(traceback.format_exception_only(exc)).strip())
        outcomes[key] = outcomes.get(key, 0) + 1
    elapsed = time.perf_counter() - began
    close_database()
    return {"outcomes": outcomes, "booked": booked, "errors": errors[:5], "seconds": elapsed}


def audit_worker(url: str, barrier: Any, worker: int, writes: int) -> dict[str, Any]:
    """Audited writes as fast as possible, all workers at once: half patient
    registrations (a data write with its event), half screen locks (an event alone)."""
    errors: list[str] = []
    try:
        from medoffice_tui.db.connection import close_database, open_database
        from medoffice_tui.services import patients, staff

        open_database(url)
        actor = staff.system_actor(via="test")
    except Exception as exc:
        barrier.wait(timeout=60)
        return {"errors": ["".join(traceback.format_exception_only(exc)).strip()]}
    barrier.wait(timeout=60)
    for i in range(writes):
        try:
            if i % 2:
                staff.lock_session(actor, f"worker {worker}")
            else:
                patients.create_patient(
                    actor, last_name=f"Worker{worker}", first_name=f"N{i}", dob="1/2/1990"
                )
        except Exception as exc:  # reported to the test, which fails on it
            errors.append("".join(traceback.format_exception_only(exc)).strip())
    close_database()
    return {"errors": errors[:5]}
