"""What the audit trail costs a write: a booking and a patient save, with and without it.

Both are the real service calls through the one write path (actor, role check,
transaction), on a copy of the demo database. "Without" is the same call with the
audit step switched off in this process only (``audit.record`` and ``audit.flush``
made no-ops), so the difference is exactly the events' hashing, chain lock and
inserts. The two are interleaved, so drifting machine load hits both alike.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator

from bench.harness.core import OUT, TODAY, Ctx, Result, figure, ratio
from bench.harness.practice import desk_actor
from bench.harness.stats import summarize

WRITES = 200
#: the writes run on a copy of the demo database: the largest size up to this one
MAX_COPY_SIZE = 100_000


@contextlib.contextmanager
def _audit_off() -> Iterator[None]:
    from medoffice_tui.services import audit

    saved = audit.record, audit.flush
    audit.record = lambda *a, **k: None  # type: ignore[assignment]
    audit.flush = lambda events: None  # type: ignore[assignment]
    try:
        yield
    finally:
        audit.record, audit.flush = saved


def _timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - t0) / 1e6


def _bookings(n: int) -> Iterator[Callable[[], object]]:
    """Calls booking open quarter hours far ahead (nothing of the demo's is there): the
    slots come from find next available, so each is inside its provider's hours, off
    lunch and blocks, and books without an overbook."""
    from medoffice_tui.db.models import Patient
    from medoffice_tui.services import schedule

    actor = desk_actor()
    patients = [p.id for p in Patient.select(Patient.id).where(Patient.active).limit(n)]
    after = dt.datetime.combine(TODAY + dt.timedelta(days=200), dt.time(0))
    slots = schedule.find_slots(minutes=15, after=after, weeks=12, limit=n, per_provider_day=None)
    if len(slots) < n:
        raise RuntimeError(f"only {len(slots)} open slots found for {n} bookings")
    for i, slot in enumerate(slots):
        patient = patients[i % len(patients)]
        yield lambda p=patient, s=slot: schedule.book_appointment(
            actor, p, s.provider_id, s.start, minutes=15
        )


def _saves(n: int) -> Iterator[Callable[[], object]]:
    """Calls changing one patient's phone back and forth (the version read each time)."""
    from medoffice_tui.db.models import Patient
    from medoffice_tui.services import patients

    actor = desk_actor()
    target = Patient.select(Patient.id).where(Patient.active).order_by(Patient.id).first().id
    for i in range(n):

        def save(i: int = i) -> object:
            version = Patient.select(Patient.version).where(Patient.id == target).scalar()
            phone = f"(312) 555-{1000 + i % 9000:04d}"
            return patients.update_patient(actor, target, version, phone_mobile=phone)

        yield save


@figure("audit", order=35)
def audit_cost(ctx: Ctx) -> None:
    """The audit trail's cost per write: a booking and a patient save through the real write
    path, each timed with its audit event and with the audit step switched off."""
    from medoffice_tui.db import close_database, open_database

    size = max([s for s in ctx.sizes if s <= MAX_COPY_SIZE] or [min(ctx.sizes)])
    copy = OUT / f"audit_cost_{size}.db"
    shutil.copyfile(ctx.dbs[size].path, copy)
    n = max(60, min(WRITES, ctx.repeat * 20))
    try:
        close_database()
        open_database(f"sqlite:///{copy}")
        for name, make in (("booking", _bookings), ("patient save", _saves)):
            calls = list(make(2 * n))
            with_audit: list[float] = []
            without: list[float] = []
            for i, call in enumerate(calls):
                if i % 2:
                    with _audit_off():
                        without.append(_timed(call))
                else:
                    with_audit.append(_timed(call))
            on, off = summarize(with_audit[3:]), summarize(without[3:])
            r_ = ratio(on["median"], off["median"])
            added = (on["median"] or 0) - (off["median"] or 0)
            ctx.add(Result(
                "audit", f"{name} with its audit event", "ms", on, size=size,
                floor={"name": f"the same {name} with auditing off", **off},
                note=f"+{added:.2f} ms median ({r_:.2f}x)" if r_ else "",
            ))  # fmt: skip
    finally:
        close_database()
        copy.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", ".migrate-lock"):
            copy.with_name(copy.name + suffix).unlink(missing_ok=True)
