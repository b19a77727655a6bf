"""Several processes writing at once on one database, through the real services.

A workload is three functions: ``prepare(url, round_no)`` picks what every worker
will fight over in that round (fresh targets each round; returns a picklable plan),
``attempt(plan, rng, tag)`` makes one write and says how it went ("done", "refused",
or raises), and ``verify(url, plan, tag, outcomes)`` proves nothing was lost or
duplicated and counts ``conflicts`` (what the workload must never allow: overlapping
live bookings, an appointment checked in twice). Adding check-in or payment posting is
adding one ``Workload`` to ``WORKLOADS``.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.harness.core import TODAY

#: the clock every worker pins (the demo's "now")
NOW = dt.datetime.combine(TODAY, dt.time(10, 30))


@dataclass(frozen=True)
class Workload:
    name: str
    prepare: Callable[[str, int], dict[str, Any]]
    attempt: Callable[[dict[str, Any], random.Random, str], tuple[str, Any]]
    verify: Callable[[str, dict[str, Any], str, list[dict[str, Any]]], dict[str, Any]]
    attempts_total: int = 960
    #: what ``conflicts`` counts, for the report
    conflict_meaning: str = ""


# ------------------------------------------------------------ booking workload

_actors: dict[str, Any] = {}


def _desk() -> Any:
    """The demo's front-desk account, as the signed-in user every attempt acts for
    (one per worker process: the write path checks its role and audits each write)."""
    if "desk" not in _actors:
        from bench.harness.practice import desk_actor

        _actors["desk"] = desk_actor()
    return _actors["desk"]


_LIVE_SQL = "status NOT IN ('cancelled', 'no_show')"


def _booking_prepare(url: str, round_no: int) -> dict[str, Any]:
    """Two providers, three weekdays well after the demo's bookings (a different week
    each round), quarter hours whose longest visit (45 minutes) stays inside the hours and
    out of the 12:00-13:00 lunch (a booking there is refused as needing an overbook, a
    rule, not the race this measures)."""
    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import Patient, Provider

    database = open_database(url)
    try:
        providers = [p.id for p in Provider.select(Provider.id).where(Provider.active)
                     .order_by(Provider.sort_order, Provider.id).limit(2)]  # fmt: skip
        patients = [p.id for p in Patient.select(Patient.id).where(Patient.active)
                    .order_by(Patient.id).limit(500)]  # fmt: skip
    finally:
        database.close()
    # the first Monday at least 120 days out: nothing in the demo is booked there
    day = TODAY + dt.timedelta(days=120 + 7 * round_no)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    days = [day + dt.timedelta(days=i) for i in range(3)]
    starts = [
        dt.datetime.combine(d, dt.time(hour, 0)) + dt.timedelta(minutes=15 * i)
        for d in days
        for hour, quarters in ((8, 13), (13, 10))  # 8:00-11:00 and 13:00-15:15 starts
        for i in range(quarters)
    ]
    return {"providers": providers, "patients": patients, "starts": starts, "days": days}


def _booking_attempt(plan: dict[str, Any], rng: random.Random, tag: str) -> tuple[str, Any]:
    from medoffice_tui.errors import SlotTaken
    from medoffice_tui.services.schedule import book_appointment

    try:
        row = book_appointment(
            _desk(),
            patient_id=rng.choice(plan["patients"]),
            provider_id=rng.choice(plan["providers"]),
            start=rng.choice(plan["starts"]),
            minutes=rng.choice((15, 30, 45)),
            reason=tag,
        )
    except SlotTaken:
        return "refused", None
    return "done", row.id


def _booking_verify(url: str, plan: dict[str, Any], tag: str, outcomes: list[dict]) -> dict:
    from medoffice_tui.db import open_database

    database = open_database(url)
    try:
        ids = [o["value"] for o in outcomes if o["outcome"] == "done"]
        in_db = database.execute_sql(
            f"SELECT COUNT(*) FROM appointment WHERE reason = {database.param}", (tag,)
        ).fetchone()[0]
        lo = dt.datetime.combine(plan["days"][0], dt.time(0, 0))
        hi = dt.datetime.combine(plan["days"][-1], dt.time(23, 59))
        p = database.param
        overlaps = database.execute_sql(
            "SELECT COUNT(*) FROM appointment a JOIN appointment b "
            "ON a.provider_id = b.provider_id AND a.id < b.id "
            'AND a."start" < b."end" AND a."end" > b."start" '
            f"WHERE a.{_LIVE_SQL} AND b.{_LIVE_SQL} "
            f'AND a."start" >= {p} AND a."start" <= {p} AND b."start" >= {p} AND b."start" <= {p}',
            (lo, hi, lo, hi),
        ).fetchone()[0]
    finally:
        database.close()
    return {
        "written_in_db": in_db,
        "duplicate_ids": len(ids) - len(set(ids)),
        "lost": len(ids) - in_db,
        "conflicts": overlaps,
    }


# ------------------------------------------------------------ check-in workload

CHECKIN_TARGETS = 40


def _checkin_prepare(url: str, round_no: int) -> dict[str, Any]:
    """40 of today's appointments, put back to booked before each round (only today's
    visits can be checked in, and the demo's day has fewer than 3 x 40 waiting)."""
    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import Appointment
    from medoffice_tui.db.write_guard import writing_as

    start = dt.datetime.combine(TODAY, dt.time(0, 0))
    end = start + dt.timedelta(days=1)
    database = open_database(url)
    try:
        live = Appointment.status.in_(("booked", "confirmed", "arrived"))
        ids = [a.id for a in Appointment.select(Appointment.id)
               .where(live & (Appointment.start >= start) & (Appointment.start < end))
               .order_by(Appointment.start, Appointment.id).limit(CHECKIN_TARGETS)]  # fmt: skip
        with writing_as("bench:reset"), database.atomic():
            Appointment.update(
                status="booked", arrived_at=None, version=Appointment.version + 1
            ).where(Appointment.id.in_(ids)).execute()
    finally:
        database.close()
    return {"appointments": ids}


def _checkin_attempt(plan: dict[str, Any], rng: random.Random, tag: str) -> tuple[str, Any]:
    """A desk reads the row, then marks it arrived naming the version it read."""
    from medoffice_tui.db.models import Appointment
    from medoffice_tui.errors import InvalidInput, StaleEdit
    from medoffice_tui.services.schedule import set_status

    appt_id = rng.choice(plan["appointments"])
    version = Appointment.select(Appointment.version).where(Appointment.id == appt_id).scalar()
    try:
        set_status(_desk(), appt_id, "arrived", expected_version=version)
    except (StaleEdit, InvalidInput):  # another desk got there first / already arrived
        return "refused", None
    return "done", appt_id


def _checkin_verify(url: str, plan: dict[str, Any], tag: str, outcomes: list[dict]) -> dict:
    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import Appointment

    done = [o["value"] for o in outcomes if o["outcome"] == "done"]
    database = open_database(url)
    try:
        arrived = {a.id for a in Appointment.select(Appointment.id).where(
            Appointment.id.in_(plan["appointments"]) & (Appointment.status == "arrived")
            & Appointment.arrived_at.is_null(False))}  # fmt: skip
    finally:
        database.close()
    return {
        "written_in_db": len(arrived),
        "duplicate_ids": len(done) - len(set(done)),  # two desks both checked one in
        "lost": len(set(done) - arrived),  # reported done, not arrived in the database
        "conflicts": len(arrived - set(done)),  # arrived with nobody told it succeeded
    }


# --------------------------------------------------------------- stock workload

STOCK_ITEMS = 4


def _stock_prepare(url: str, round_no: int) -> dict[str, Any]:
    """Four active items with stock (different ones each round) and their units on hand."""
    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import SupplyItem, SupplyLot

    database = open_database(url)
    try:
        rows = list(SupplyItem.select(SupplyItem.id, SupplyItem.on_hand)
                    .where(SupplyItem.active & (SupplyItem.on_hand >= 10))
                    .order_by(SupplyItem.id)
                    .offset(round_no * STOCK_ITEMS).limit(STOCK_ITEMS).tuples())  # fmt: skip
        places = {}
        for item, where in (SupplyLot.select(SupplyLot.item, SupplyLot.location)
                            .where(SupplyLot.item.in_([r[0] for r in rows])
                                   & (SupplyLot.quantity > 0)).tuples()):  # fmt: skip
            places.setdefault(item, set()).add(where)
    finally:
        database.close()
    return {"items": [r[0] for r in rows], "before": dict(rows),
            "places": {item: sorted(p) for item, p in places.items()}}  # fmt: skip


def _stock_attempt(plan: dict[str, Any], rng: random.Random, tag: str) -> tuple[str, Any]:
    """A desk takes 1-3 units of one item where it stands (or anywhere), FEFO across its
    lots and locations; refused when not enough. The item's row lock serialises desks on
    one item, so a lot changing under a use (StaleEdit) would be a real conflict."""
    from medoffice_tui.errors import InvalidInput
    from medoffice_tui.services.stock import use

    item, qty = rng.choice(plan["items"]), rng.choice((1, 2, 3))
    where = rng.choice([None, *plan.get("places", {}).get(item, [])])
    try:
        use(_desk(), item, qty, reason=tag, location_id=where)
    except InvalidInput:  # not enough usable stock
        return "refused", None
    return "done", (item, qty)


def _stock_verify(url: str, plan: dict[str, Any], tag: str, outcomes: list[dict]) -> dict:
    from peewee import fn

    from medoffice_tui.db import open_database
    from medoffice_tui.db.models import StockMovement, SupplyItem, SupplyLot

    used = sum(o["value"][1] for o in outcomes if o["outcome"] == "done")
    database = open_database(url)
    try:
        after = dict(SupplyItem.select(SupplyItem.id, SupplyItem.on_hand)
                     .where(SupplyItem.id.in_(plan["items"])).tuples())  # fmt: skip
        lots = dict(
            SupplyLot.select(SupplyLot.item, fn.SUM(SupplyLot.quantity))
            .where(SupplyLot.item.in_(plan["items"]))
            .group_by(SupplyLot.item)
            .tuples()
        )
        moved = -(StockMovement.select(fn.SUM(StockMovement.quantity))
                  .where(StockMovement.reason == tag).scalar() or 0)  # fmt: skip
    finally:
        database.close()
    removed = sum(plan["before"][i] - after[i] for i in plan["items"])
    return {
        "written_in_db": moved,
        "duplicate_ids": max(0, moved - used),  # units moved that no desk was told about
        "lost": abs(used - removed),  # units used but still on hand, or gone unrecorded
        # on_hand disagrees with its lots, or went negative
        "conflicts": sum(1 for i in plan["items"] if after[i] != lots.get(i, 0) or after[i] < 0),
    }


WORKLOADS: list[Workload] = [
    Workload("book appointment (2 providers, overlapping times)", _booking_prepare,
             _booking_attempt, _booking_verify,
             conflict_meaning="overlapping live appointments for one provider"),
    Workload("check in (40 appointments, every desk at once)", _checkin_prepare,
             _checkin_attempt, _checkin_verify, attempts_total=480,
             conflict_meaning="appointments arrived without a successful check-in reported"),
    Workload("use stock (4 items, 1-3 units each)", _stock_prepare, _stock_attempt,
             _stock_verify, attempts_total=480,
             conflict_meaning="items whose on-hand count disagrees with their lots, or < 0"),
]  # fmt: skip


# ---------------------------------------------------------------- the runner

#: how long a worker waits for the others to be ready (spawning 16 on 2 cores: seconds)
BARRIER_TIMEOUT_S = 60.0


def _collect(queue: Any, count: int, timeout_s: float) -> list[list[dict]]:
    """Up to ``count`` result batches from the workers, waiting at most ``timeout_s`` in all."""
    batches: list[list[dict]] = []
    deadline = time.perf_counter() + timeout_s
    while len(batches) < count:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        try:
            batches.append(queue.get(timeout=remaining))
        except Exception:  # noqa: BLE001 - queue.Empty: a worker died without reporting
            break
    return batches


def _stop(procs: list[Any]) -> None:
    for proc in procs:
        proc.join(timeout=10)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=5)


def _worker(url: str, workload_index: int, plan: dict, tag: str, seed: int, attempts: int,
            barrier: Any, queue: Any) -> None:  # fmt: skip
    from medoffice_tui import clock
    from medoffice_tui.db import open_database
    from medoffice_tui.services.practice import load_practice_settings

    outcomes: list[dict] = []
    ready = False
    try:
        open_database(url)
        load_practice_settings()
        clock.pin(now=NOW)
        workload = WORKLOADS[workload_index]
        rng = random.Random(seed)
        ready = True
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        for _ in range(attempts):
            t0 = time.perf_counter_ns()
            try:
                outcome, value = workload.attempt(plan, rng, tag)
            except Exception as exc:  # noqa: BLE001 - every failure is counted, by kind
                outcome, value = "error", f"{type(exc).__name__}: {str(exc)[:120]}"
            outcomes.append({"outcome": outcome, "value": value,
                             "ms": (time.perf_counter_ns() - t0) / 1e6,
                             "t": time.perf_counter()})  # fmt: skip
    except Exception:  # noqa: BLE001
        if not ready:
            barrier.abort()  # nobody waits for a worker that will never come
        outcomes.append({"outcome": "crash", "value": traceback.format_exc()[-500:], "ms": 0,
                         "t": time.perf_counter()})  # fmt: skip
    queue.put(outcomes)


def run_contention(
    url: str, workload_index: int, processes: int, tag: str, round_no: int = 0
) -> dict[str, Any]:
    """``processes`` workers start together and each makes its share of the attempts."""
    workload = WORKLOADS[workload_index]
    plan = workload.prepare(url, round_no)
    if not all(plan.values()):
        raise RuntimeError(f"nothing to contend for in round {round_no}: {sorted(plan)}")
    attempts = max(20, workload.attempts_total // processes)
    mpctx = mp.get_context("spawn")  # no inherited connections
    barrier = mpctx.Barrier(processes + 1)
    queue = mpctx.Queue()
    procs = [
        mpctx.Process(
            target=_worker,
            args=(url, workload_index, plan, tag, 1000 + i, attempts, barrier, queue),
        )  # fmt: skip
        for i in range(processes)
    ]
    for proc in procs:
        proc.start()
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_S + 10)
    except threading.BrokenBarrierError:
        waiting = barrier.n_waiting
        crashes = _collect(queue, len(procs), 5.0)
        _stop(procs)
        detail = next((o["value"] for batch in crashes for o in batch
                       if o["outcome"] == "crash"), "")  # fmt: skip
        raise RuntimeError(f"workers never all started ({waiting} of {processes} at the "
                           f"barrier) {detail[-300:]}") from None  # fmt: skip
    t0 = time.perf_counter()
    outcomes: list[dict] = []
    for batch in _collect(queue, len(procs), 600.0):
        outcomes += batch
    _stop(procs)
    end = max((o["t"] for o in outcomes), default=t0)
    elapsed = max(end - t0, 1e-9)
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o["outcome"]] = counts.get(o["outcome"], 0) + 1
    errors = [o["value"] for o in outcomes if o["outcome"] in ("error", "crash")]
    lock_errors = sum(1 for e in errors if "locked" in str(e).lower() or "busy" in str(e).lower())
    check = workload.verify(url, plan, tag, outcomes)
    attempted = processes * attempts
    return {
        "workload": workload.name,
        "processes": processes,
        "attempted": attempted,
        "done": counts.get("done", 0),
        "refused": counts.get("refused", 0),
        "errors": len(errors),
        "lock_errors": lock_errors,
        "error_samples": sorted(set(errors))[:5],
        "ops_per_s": len(outcomes) / elapsed,
        "latencies_ms": [o["ms"] for o in outcomes if o["outcome"] in ("done", "refused")],
        "accounted": attempted == counts.get("done", 0) + counts.get("refused", 0) + len(errors),
        **check,
    }
