"""The schedule at scale: 20 providers and ~600 appointments a day (``ensure_wide_schedule``).

Service paths, in-process and warm, each beside the bare SQL it needs run with sqlite3
on the same file in the same run:

- the day as the pane loads it (``day_view`` + ``build_grid`` for all 20 providers),
  and the next day;
- a booking round trip (the real write path: lock, rules, insert, history, audit,
  read back), beside a bare ``BEGIN IMMEDIATE; INSERT; COMMIT``;
- find next available for any of the 20 providers and for one, on that practice and
  on a copy whose next eight weeks are fully booked (the slowest case: every week read).

Everything on the largest practice of the run (``--full``: 1,000,000 patients).

Then the schedule pane through the real app in a pty at 80x24 on that practice: each
key's time to its last byte beside its floor measured in the same run (target: within
one 16 ms frame of it): cursor moves and status changes beside a stock DataTable's Down,
a form, question or screen opening (b f i d n x m g h R) beside a stock ModalScreen
opening, a day change (] [ t) beside a stock ContentSwitcher's pane switch; its bytes;
and the bytes an idle schedule sends over 3 s (target 0). The status keys (c i r d n
x u) work on two visits put first on today's agenda of a scratch copy, each undone or
closed again, so every round starts from the same state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench.harness.core import OUT, SEED, TODAY, Ctx, Result, figure
from bench.harness.dbs import checkpoint, code_fingerprint, ensure_wide_schedule
from bench.harness.practice import desk_actor, open_practice
from bench.harness.stats import summarize, time_calls

FRAME_MS = 16.0
SERVICE_TARGET_MS = 100.0  # a load the desk waits for: well under a second
FIND_TARGET_MS = 500.0  # "well under a second"
FULL_WEEKS = 8


def _ms(samples: list[float]) -> dict:
    return summarize(samples)


def _floor(con: sqlite3.Connection, sql: str, params: tuple, calls: int) -> dict:
    return summarize(time_calls(lambda: con.execute(sql, params).fetchall(), repeat=calls))


def _day_sql(day: dt.date) -> tuple[str, tuple]:
    start = dt.datetime.combine(day, dt.time())
    return (
        'SELECT a.id, a.provider_id, a."start", a."end", a.status, a.version, p.last_name, '
        "p.first_name, p.mrn, t.name FROM appointment a JOIN patient p ON p.id = a.patient_id "
        "LEFT JOIN appointment_type t ON t.id = a.appt_type_id "
        'WHERE a."start" >= ? AND a."start" < ?',
        (start.isoformat(sep=" "), (start + dt.timedelta(days=1)).isoformat(sep=" ")),
    )


def ensure_full_calendar(wide: Path, *, log: Callable[[str], None] = print) -> Path:
    """A copy of the 20-provider practice whose next eight weeks are fully booked (every
    working quarter hour of every provider): find has to read all of them, and finds
    nothing."""
    dest = OUT / f"full{FULL_WEEKS}w_{wide.name}"
    meta = dest.with_suffix(".json")
    params = {
        "base": wide.name,
        "weeks": FULL_WEEKS,
        "code": code_fingerprint(),
        "builder": hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16],
    }
    if dest.exists() and meta.exists() and json.loads(meta.read_text()) == params:
        return dest
    log(f"building a fully booked {FULL_WEEKS}-week copy of {wide.name}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    checkpoint(wide)
    shutil.copyfile(wide, dest)
    con = sqlite3.connect(dest, isolation_level=None)
    try:
        rng = random.Random(SEED)
        patients = [r[0] for r in con.execute("SELECT id FROM patient WHERE active LIMIT 20000")]
        hours = con.execute(
            "SELECT h.provider_id, h.weekday, h.start_time, h.end_time FROM provider_hours h "
            "JOIN provider p ON p.id = h.provider_id WHERE p.active"
        ).fetchall()
        con.execute("BEGIN IMMEDIATE")
        # the demo's own visits from the day after tomorrow on make way for a full book
        con.execute(
            "UPDATE appointment SET status = 'cancelled', cancel_reason = 'bench' "
            'WHERE "start" >= ?',
            ((TODAY + dt.timedelta(days=2)).isoformat(),),
        )
        rows = []
        for offset in range(2, FULL_WEEKS * 7):  # today and tomorrow are booked already
            day = TODAY + dt.timedelta(days=offset)
            for pid, weekday, start, end in hours:
                if weekday != day.weekday():
                    continue
                at = dt.datetime.combine(day, dt.time.fromisoformat(start))
                close = dt.datetime.combine(day, dt.time.fromisoformat(end))
                while at < close:  # every quarter hour, lunch too: nothing is left open
                    nxt = at + dt.timedelta(minutes=15)
                    rows.append((rng.choice(patients), pid, at.isoformat(sep=" "),
                                 nxt.isoformat(sep=" ")))  # fmt: skip
                    at = nxt
        con.executemany(
            'INSERT INTO appointment (patient_id, provider_id, "start", "end", reason, status, '
            "booked_at, cancel_reason, updated_at, version) "
            "VALUES (?, ?, ?, ?, '', 'booked', '2026-11-01 09:00:00', '', "
            "'2026-11-01 09:00:00', 1)",
            rows,
        )
        con.execute("COMMIT")
    finally:
        con.close()
    checkpoint(dest)
    meta.write_text(json.dumps(params))
    return dest


@figure("schedule", order=45)
def schedule_figure(ctx: Ctx) -> None:
    """The schedule with 20 providers and ~600 appointments a day: day load, next day, a
    booking round trip and find next available beside their bare SQL; every schedule key
    through the app at 80x24 beside a stock DataTable's Down; idle bytes."""
    base = ctx.dbs[max(ctx.sizes)]  # the figures: the largest practice of the run
    size = base.size
    wide = ensure_wide_schedule(base, 20, log=ctx.log)
    calls = max(10, ctx.repeat * 4)
    _services(ctx, size, wide, calls)
    full = ensure_full_calendar(wide, log=ctx.log)
    _find(ctx, size, full, calls, "8 weeks fully booked")
    _keys(ctx, size, wide)


def _services(ctx: Ctx, size: int, wide: Path, calls: int) -> None:
    from medoffice_tui.db import close_database
    from medoffice_tui.services import schedule

    open_practice(wide)
    con = sqlite3.connect(f"file:{wide}?mode=ro", uri=True)
    try:
        n_appts = len(schedule.day_view(TODAY).appointments)
        for label, day in (("day load", TODAY), ("next day", TODAY + dt.timedelta(days=1))):
            samples = time_calls(
                lambda d=day: schedule.build_grid(schedule.day_view(d), 15), repeat=calls
            )
            sql, params = _day_sql(day)
            floor = {"name": "the day's appointments, bare SQL", **_floor(con, sql, params, calls)}
            st = _ms(samples)
            ctx.add(Result(
                "schedule", f"{label}: day view + grid, 20 providers", "ms", st, size=size,
                floor=floor, target=f"p95 < {SERVICE_TARGET_MS:.0f} ms",
                ok=st["p95"] is not None and st["p95"] < SERVICE_TARGET_MS,
                note=f"{n_appts} appointments today",
            ))  # fmt: skip
        _booking(ctx, size, wide, calls)
        _find(ctx, size, wide, calls, "the demo practice, 20 providers")
    finally:
        con.close()
        close_database()


def _booking(ctx: Ctx, size: int, wide: Path, calls: int) -> None:
    """Book free slots 60+ days out (nothing there), each a new time; then the same
    number of bare inserts on a scratch copy."""
    from medoffice_tui.db.models import Appointment, Patient, Provider
    from medoffice_tui.services import schedule

    actor = desk_actor()
    providers = [p.id for p in Provider.select(Provider.id).where(Provider.active)]
    patients = [p.id for p in Patient.select(Patient.id).where(Patient.active).limit(500)]
    day = TODAY + dt.timedelta(days=63)  # a Monday nine weeks out
    slots = [(p, dt.datetime.combine(day + dt.timedelta(days=d), dt.time(8)) +
              dt.timedelta(minutes=15 * q)) for d in range(4) for q in range(16)
             for p in providers]  # fmt: skip
    it = iter(range(len(slots)))
    booked: list[int] = []

    def book() -> None:
        i = next(it)
        provider, start = slots[i]
        row = schedule.book_appointment(actor, patients[i % len(patients)], provider, start,
                                        minutes=15)  # fmt: skip
        booked.append(row.id)

    samples = time_calls(book, repeat=min(calls * 2, len(slots) - 5), warmup=2)
    scratch = OUT / "schedule_scratch.db"
    shutil.copyfile(wide, scratch)
    raw = sqlite3.connect(scratch, isolation_level=None)
    counter = iter(range(10_000))

    def bare() -> None:
        n = next(counter)
        start = dt.datetime(2027, 6, 1, 8) + dt.timedelta(minutes=15 * n)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            'INSERT INTO appointment (patient_id, provider_id, "start", "end", reason, status, '
            "booked_at, cancel_reason, updated_at, version) VALUES (?, ?, ?, ?, '', 'booked', "
            "?, '', ?, 1)",
            (patients[0], providers[0], start.isoformat(sep=" "),
             (start + dt.timedelta(minutes=15)).isoformat(sep=" "), start.isoformat(sep=" "),
             start.isoformat(sep=" ")),
        )  # fmt: skip
        raw.execute("COMMIT")

    floor = summarize(time_calls(bare, repeat=len(samples), warmup=2))
    raw.close()
    scratch.unlink(missing_ok=True)
    st = summarize(samples)
    ctx.add(Result(
        "schedule", "booking round trip (lock, rules, insert, history, audit, read back)", "ms",
        st, size=size, floor={"name": "BEGIN IMMEDIATE; INSERT; COMMIT", **floor},
        target=f"p95 < {SERVICE_TARGET_MS:.0f} ms",
        ok=st["p95"] is not None and st["p95"] < SERVICE_TARGET_MS,
        note=f"{len(booked)} bookings into free slots nine weeks out",
    ))  # fmt: skip
    from medoffice_tui.db.connection import db
    from medoffice_tui.db.write_guard import writing_as

    with writing_as("bench:cleanup"), db.atomic():  # leave the practice as it was
        from medoffice_tui.db.models import AppointmentEvent

        AppointmentEvent.delete().where(AppointmentEvent.appointment.in_(booked)).execute()
        Appointment.delete().where(Appointment.id.in_(booked)).execute()


def _find(ctx: Ctx, size: int, path: Path, calls: int, what: str) -> None:
    from medoffice_tui.db import close_database
    from medoffice_tui.services import schedule

    open_practice(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        providers = [p.id for p in schedule.list_providers()]
        weeks_end = dt.datetime.combine(TODAY + dt.timedelta(days=7 * FULL_WEEKS), dt.time())
        floor_sql = (
            'SELECT provider_id, "start", "end" FROM appointment WHERE "start" < ? AND "end" > ? '
            "AND status NOT IN ('cancelled', 'no_show')"
        )
        window = (
            weeks_end.isoformat(sep=" "),
            dt.datetime.combine(TODAY, dt.time()).isoformat(sep=" "),
        )
        floor = _floor(con, floor_sql, window, max(3, calls // 2))
        for label, ids in (("any of 20 providers", None), ("one provider", providers[:1])):
            found: list[int] = []

            def find(i: list[int] | None = ids, out: list[int] = found) -> None:
                out.append(len(schedule.find_slots(i, minutes=30)))

            samples = time_calls(find, repeat=calls, budget_s=5.0)
            st = summarize(samples)
            ctx.add(Result(
                "schedule", f"find next available, {label} ({what})", "ms", st, size=size,
                floor={"name": f"reading {FULL_WEEKS} weeks of booked time, bare SQL", **floor},
                target=f"p95 < {FIND_TARGET_MS:.0f} ms",
                ok=st["p95"] is not None and st["p95"] < FIND_TARGET_MS,
                note=f"{found[-1] if found else 0} slots found",
            ))  # fmt: skip
    finally:
        con.close()
        close_database()


# ------------------------------------------------------------ through the app


def _step(s) -> None:  # noqa: ANN001 - a bench.drivers.ui_session.Session
    """The desk's schedule keys, each several times, on the 20-provider practice."""
    from bench.drivers.ui_session import LIST_QUIET_S, LOAD_QUIET_S

    rounds = max(3, s.repeat)
    s.idle["schedule, 20 providers"] = s.app.idle(3.0).nbytes
    for _ in range(rounds * 2):
        s.key("schedule agenda: Down", "down", LIST_QUIET_S)
    for _ in range(rounds):
        s.key("schedule: ] next day", "]", LOAD_QUIET_S)
        s.key("schedule: [ previous day", "[", LOAD_QUIET_S)
    s.key("schedule: p (first provider's grid)", "p", LOAD_QUIET_S)
    s.key(None, "home", LOAD_QUIET_S)  # late in the day the cursor sits on the last row
    for _ in range(rounds * 2):
        s.key("schedule grid: Down", "down", LIST_QUIET_S)
    for _ in range(rounds):
        s.key("schedule grid: Right (next provider)", "right", LOAD_QUIET_S)
    for _ in range(rounds):
        s.key("schedule: b (booking form opens)", "b", WRITE_QUIET_S)
        s.key(None, "escape", WRITE_QUIET_S)
        s.key("schedule: f (find next available)", "f", WRITE_QUIET_S)
        s.key(None, "escape", WRITE_QUIET_S)
    s.idle["schedule grid, 20 providers"] = s.app.idle(3.0).nbytes


#: the run-the-day keys (``_status_step``) and the floor each is held against: a status
#: change repaints a row or two (a DataTable's Down); a form, a question or a screen
#: opening is a stock ModalScreen opening ('dialog'); a day change, or ``p`` putting one
#: provider's day in place of the agenda (every row of the list drawn anew, as for the
#: next day), is a pane switch
DIALOG = "dialog"
SWITCH = "switcher"
DOWN = "datatable"
KEY_FLOORS: dict[str, str] = {
    "schedule: ] next day": SWITCH,
    "schedule: [ previous day": SWITCH,
    "schedule: t (today, from the next day)": SWITCH,
    "schedule: p (first provider's grid)": SWITCH,
    "schedule: b (booking form opens)": DIALOG,
    "schedule: f (find next available)": DIALOG,
    "schedule: c confirm": DOWN,
    "schedule: u undo": DOWN,
    "schedule: r roomed": DOWN,
    "schedule: i check in (the essentials open)": DIALOG,
    "schedule: d done (the charge form opens)": DIALOG,
    "schedule: n no-show (the question opens)": DIALOG,
    "schedule: x cancel (the reason form opens)": DIALOG,
    "schedule: m move (the form opens)": DIALOG,
    "schedule: g go to a day (the form opens)": DIALOG,
    "schedule: h history (opens)": DIALOG,
    "schedule: R confirmation calls (open)": DIALOG,
}
FLOOR_NAMES = {
    DOWN: "stock DataTable, Down",
    DIALOG: "stock ModalScreen of five Inputs opening ('dialog')",
    SWITCH: "stock ContentSwitcher F3/F2 ('switcher')",
}
#: the two visits the status keys work on: put first on today's agenda (before any
#: working hour) on a scratch copy, so Home lands on them whatever the time of day
BENCH_VISITS = (("00:00", "00:15", "arrived"), ("00:15", "00:30", "booked"))
#: quiet gap ending the burst of a write or a dialog (a write's first byte can come later
#: than a list move's on a busy box; a burst cut short is counted against the next key)
WRITE_QUIET_S = 0.5


def _status_step(s) -> None:  # noqa: ANN001 - a bench.drivers.ui_session.Session
    """c i r d n x u m g t h R on today's agenda, each back to where it started: a status
    key is undone with u (itself measured), a form or screen closed with Esc."""
    rounds = max(3, s.repeat)
    s.key(None, "home", WRITE_QUIET_S)  # the arrived bench visit (00:00)
    for _ in range(rounds):
        s.key("schedule: r roomed", "r", WRITE_QUIET_S)
        s.key("schedule: u undo", "u", WRITE_QUIET_S)
        s.key("schedule: d done (the charge form opens)", "d", WRITE_QUIET_S)
        s.key(None, "escape", WRITE_QUIET_S)
        s.key("schedule: u undo", "u", WRITE_QUIET_S)
    s.key(None, "down", WRITE_QUIET_S)  # the booked bench visit (00:15)
    for _ in range(rounds):
        s.key("schedule: c confirm", "c", WRITE_QUIET_S)
        s.key("schedule: u undo", "u", WRITE_QUIET_S)
        s.key("schedule: i check in (the essentials open)", "i", WRITE_QUIET_S)
        s.key(None, "escape", WRITE_QUIET_S)
        s.key("schedule: u undo", "u", WRITE_QUIET_S)
        s.key("schedule: n no-show (the question opens)", "n", WRITE_QUIET_S)
        s.key(None, "n", WRITE_QUIET_S)  # "keep it"
        for name, key in (("x cancel (the reason form opens)", "x"),
                          ("m move (the form opens)", "m"), ("h history (opens)", "h"),
                          ("g go to a day (the form opens)", "g"),
                          ("R confirmation calls (open)", "R")):  # fmt: skip
            s.key(f"schedule: {name}", key, WRITE_QUIET_S)
            s.key(None, "escape", WRITE_QUIET_S)
        s.key(None, "]", WRITE_QUIET_S)
        s.key("schedule: t (today, from the next day)", "t", WRITE_QUIET_S)
        s.app.idle(0.5)  # today is shown (and its cursor placed) before Home
        s.key(None, "home", WRITE_QUIET_S)
        s.key(None, "down", WRITE_QUIET_S)


def _with_bench_visits(wide: Path) -> Path:
    """A scratch copy of the practice with the two bench visits on today's agenda."""
    scratch = OUT / f"schedule_keys_{wide.name}"
    checkpoint(wide)
    shutil.copyfile(wide, scratch)
    con = sqlite3.connect(scratch, isolation_level=None)
    try:
        provider = con.execute(
            "SELECT id FROM provider WHERE active ORDER BY last_name, first_name, id LIMIT 1"
        ).fetchone()[0]
        day = TODAY.isoformat()
        patients = [r[0] for r in con.execute(
            "SELECT id FROM patient WHERE active AND merged_into_id IS NULL AND id NOT IN "
            "(SELECT patient_id FROM appointment WHERE \"start\" >= ? AND \"start\" < ?) "
            "ORDER BY id LIMIT 2", (day, (TODAY + dt.timedelta(days=1)).isoformat()))]  # fmt: skip
        con.execute("BEGIN IMMEDIATE")
        for patient, (start, end, status) in zip(patients, BENCH_VISITS, strict=True):
            stamp = f"{day} 07:00:00"
            con.execute(
                'INSERT INTO appointment (patient_id, provider_id, "start", "end", reason, '
                "status, booked_at, arrived_at, cancel_reason, updated_at, version) "
                "VALUES (?, ?, ?, ?, 'bench', ?, ?, ?, '', ?, 1)",
                (patient, provider, f"{day} {start}:00", f"{day} {end}:00", status, stamp,
                 stamp if status == "arrived" else None, stamp),
            )  # fmt: skip
        con.execute("COMMIT")
    finally:
        con.close()
    return scratch


def _key_floors(rounds: int) -> dict[str, dict]:
    """The floors of the run-the-day keys, in the same pty, same run."""
    from bench.drivers.app_session import floor_argv, floor_marker, spawn
    from bench.drivers.ui_session import LOAD_QUIET_S

    out: dict[str, list[float]] = {DIALOG: [], SWITCH: []}
    for name, keys in ((DIALOG, (("a", True), ("escape", False))),
                       (SWITCH, (("f3", True), ("f2", True)))):  # fmt: skip
        app = spawn(floor_argv(name))
        try:
            app.wait_until(floor_marker(name), quiet_s=0.1, timeout_s=30)
            for _ in range(rounds * 2):
                for key, counted in keys:
                    burst = app.press(key, quiet_s=LOAD_QUIET_S)
                    if counted and burst.last_ms is not None:
                        out[name].append(burst.last_ms)
        finally:
            app.close()
    return {name: summarize(samples) for name, samples in out.items()}


def _keys(ctx: Ctx, size: int, wide: Path) -> None:
    from bench.drivers.ui_session import run_session
    from bench.figures.ui import floor_table

    floor = ctx.extra.get("table_floor") or floor_table(ctx)
    floors = {DOWN: floor["down_ms"], **_key_floors(max(3, ctx.repeat))}
    scratch = _with_bench_visits(wide)
    t0 = time.perf_counter()
    try:
        s = run_session(ctx, size, scratch, steps=[_status_step, _step])
    finally:
        for suffix in ("", "-wal", "-shm", ".migrate-lock"):
            Path(str(scratch) + suffix).unlink(missing_ok=True)
    ctx.log(f"schedule pty session: {time.perf_counter() - t0:.1f} s")
    for name, bursts in s.samples.items():
        if not name.startswith("schedule"):
            continue
        kind = KEY_FLOORS.get(name, DOWN)
        floor_ms = {"name": FLOOR_NAMES[kind], **floors[kind]}
        lat = [b.last_ms for b in bursts if b.last_ms is not None]
        silent = len(bursts) - len(lat)
        st = summarize(lat)
        within = None
        if st["p95"] is not None and floor_ms["p95"] is not None:
            within = st["p95"] - floor_ms["p95"] <= FRAME_MS
        nbytes = summarize([b.nbytes for b in bursts])
        note = f"{nbytes['median']:.0f} B per key (median)" if nbytes["median"] else ""
        if silent:
            note += f"{'; ' if note else ''}{silent} of {len(bursts)} presses drew nothing"
        ctx.add(Result(
            "schedule-keys", name, "ms", st, size=size, floor=floor_ms,
            target=f"p95 within {FRAME_MS:.0f} ms of the floor's", ok=within, note=note,
        ))  # fmt: skip
    for where, nbytes in s.idle.items():
        ctx.add(Result("schedule-keys", f"bytes over 3 s idle, {where}", "B",
                       summarize([nbytes]), size=size, target="0 B", ok=nbytes == 0))  # fmt: skip
