"""The booking race's worker, run in fresh ('spawn') processes by test_schedule_race.py.

Each worker opens its own connection, waits at a barrier so all start together, then
tries every booking of its plan through the real service; it reports plain data: per
attempt the outcome (booked, or the domain error's class and message) and any other
error's text.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from typing import Any


def race_worker(url: str, barrier: Any, plan: list[dict[str, Any]]) -> dict[str, Any]:
    """Book each {key, patient, provider, start, minutes} of ``plan``; report outcomes."""
    outcomes: list[tuple[str, str, str]] = []  # (key, outcome, message)
    errors: list[str] = []
    try:
        from medoffice_tui import clock
        from medoffice_tui.db.connection import close_database, open_database
        from medoffice_tui.errors import DomainError
        from medoffice_tui.services import schedule, staff

        clock.pin(now=dt.datetime(2026, 11, 23, 7, 0))
        open_database(url)
        actor = staff.system_actor(via="test")
    except Exception as exc:  # still meet the others at the barrier, then report
        barrier.wait(timeout=60)
        return {"outcomes": [], "errors": ["".join(traceback.format_exception_only(exc))]}
    barrier.wait(timeout=60)
    began = time.perf_counter()
    for attempt in plan:
        try:
            row = schedule.book_appointment(
                actor,
                attempt["patient"],
                attempt["provider"],
                dt.datetime.fromisoformat(attempt["start"]),
                minutes=attempt["minutes"],
            )
            outcomes.append((attempt["key"], "booked", str(row.id)))
        except DomainError as exc:
            outcomes.append((attempt["key"], type(exc).__name__, exc.message))
        except Exception as exc:  # a lock error or anything else: the test fails on it
            errors.append("".join(traceback.format_exception_only(exc)).strip())
            outcomes.append((attempt["key"], "error", type(exc).__name__))
    elapsed = time.perf_counter() - began
    close_database()
    return {"outcomes": outcomes, "errors": errors[:5], "seconds": elapsed}
