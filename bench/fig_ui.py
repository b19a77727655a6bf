"""Every keystroke through the real app in a pty: time to the last byte, and bytes.

One app session per database size walks the panes like a front-desk user. Each
step is a function in ``UI_STEPS`` that presses keys through ``Session.key`` (which
records latency and bytes under a name); adding a UI path is adding one step.
The floor is a stock Textual DataTable app (Header + row-cursor DataTable with
200 rows + Footer) in the same terminal, same run.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.app_session import (
    APP_KEYS,
    app_argv,
    floor_argv,
    floor_marker,
    schedule_marker,
    schedule_ready,
    spawn,
)
from bench.core import Ctx, Result, figure, ratio
from bench.fig_services import KEYSTROKE_TARGET_MS
from bench.pty_driver import Burst, PtyApp
from bench.stats import summarize

LIST_QUIET_S = 0.08  # quiet gap that ends the burst of a list move
LOAD_QUIET_S = 0.2  # for keys that may fetch data in a worker (search, pane, day)
SEARCHES_FOR_RSS = 100
BAUD_56K = 56_000 / 8  # bytes per second


@dataclass
class Session:
    app: PtyApp
    size: int
    db: Path
    queries: dict[str, str]
    repeat: int
    samples: dict[str, list[Burst]] = field(default_factory=dict)
    memory: dict[str, dict[str, int]] = field(default_factory=dict)
    idle: dict[str, int] = field(default_factory=dict)
    searches: int = 0

    def key(self, name: str | None, key: str, quiet_s: float = LIST_QUIET_S) -> Burst:
        burst = self.app.press(APP_KEYS.get(key, key), quiet_s=quiet_s, max_s=5.0)
        if name:
            self.samples.setdefault(name, []).append(burst)
        return burst

    def text(self, name: str | None, text: str, quiet_s: float = LOAD_QUIET_S) -> Burst:
        """Type ``text`` in one write (characters, never key names: "end" is three letters)."""
        burst = self.app.send(text.encode(), quiet_s=quiet_s, max_s=5.0)
        if name:
            self.samples.setdefault(name, []).append(burst)
        return burst

    def type_query(self, name: str | None, text: str) -> None:
        for ch in text:
            self.text(name, ch)
        self.searches += 1


def step_schedule(s: Session) -> None:
    for _ in range(max(8, s.repeat * 3)):
        s.key("schedule: Down", "down")
    for _ in range(max(3, s.repeat)):
        s.key("schedule next day", "next_day", LOAD_QUIET_S)
        s.key("schedule day (today)", "prev_day", LOAD_QUIET_S)


def step_patients(s: Session) -> None:
    s.key("pane switch -> patients", "patients", LOAD_QUIET_S)
    s.idle["patients pane (search box focused)"] = s.app.idle(3.0).nbytes
    for _ in range(max(1, s.repeat // 2)):
        for label, text in s.queries.items():
            s.type_query(f"search {label}", text)
            if label.startswith("prefix"):  # many rows: room to move
                s.key(None, "down")  # the first Down moves focus from the box to the results
                for _ in range(4):
                    s.key("patients: Down", "down")
                s.key(None, "patients", LOAD_QUIET_S)  # back to the search box
            s.key(None, "clear_search", LOAD_QUIET_S)
    s.memory["after first searches"] = s.app.memory_kb()
    for prefix in filler_prefixes(s.db, max(0, SEARCHES_FOR_RSS - s.searches)):
        # typed as one fast burst, the way a quick typist enters three letters
        s.text("search: 3 letters typed at once", prefix)
        s.searches += 1
        s.key(None, "clear_search", LOAD_QUIET_S)
    s.memory[f"after {s.searches} searches"] = s.app.memory_kb()


def step_claims(s: Session) -> None:
    s.key("pane switch -> claims", "claims", LOAD_QUIET_S)
    for _ in range(max(8, s.repeat * 3)):
        s.key("claims: Down", "down")
    for _ in range(max(5, s.repeat * 2)):
        s.key("claims: PgDn", "pagedown", LOAD_QUIET_S)
    for _ in range(max(4, s.repeat)):
        s.key("claims: s (next status filter, reloads)", "claims_status", LOAD_QUIET_S)


def step_stock(s: Session) -> None:
    s.key("pane switch -> stock", "stock", LOAD_QUIET_S)
    for _ in range(max(8, s.repeat * 3)):
        s.key("stock low-stock list: Down", "down")
    s.key("stock: Tab to the expiring-lots list", "stock_toggle")
    for _ in range(max(8, s.repeat * 3)):
        s.key("stock expiring list: Down", "down")


def step_pane_cycle(s: Session) -> None:
    for _ in range(max(3, s.repeat)):
        for pane in ("schedule", "patients", "claims", "stock"):
            s.key(f"pane switch F{2 + ('schedule', 'patients', 'claims', 'stock').index(pane)}",
                  pane, LOAD_QUIET_S)  # fmt: skip
    s.key(None, "schedule", LOAD_QUIET_S)


UI_STEPS: list[Callable[[Session], None]] = [
    step_schedule,
    step_patients,
    step_claims,
    step_stock,
    step_pane_cycle,
]


def filler_prefixes(db: Path, count: int) -> list[str]:
    """3-letter prefixes of real last names, as a receptionist would type them."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT DISTINCT substr(last_norm, 1, 3) FROM patient WHERE length(last_norm) >= 3"
        )]  # fmt: skip
    finally:
        con.close()
    rng = random.Random(11)
    return [rng.choice(names) for _ in range(count)] if names else []


def run_session(ctx: Ctx, size: int, db: Path, steps=UI_STEPS) -> Session:  # noqa: ANN001
    app = spawn(app_argv(db))
    try:
        first = app.wait_until(schedule_marker(db), quiet_s=0.05, timeout_s=60)
        if not first.matched:
            raise RuntimeError(f"schedule never painted:\n{app.screen_text()}")
        queries = ctx.extra.get("search_queries", {}).get(size) or _queries(db)
        s = Session(app, size, db, queries, ctx.repeat)
        s.memory["after start"] = app.memory_kb()
        for step in steps:
            try:
                step(s)
            except Exception as exc:  # noqa: BLE001 - one broken step must not sink the run
                ctx.findings.append(f"UI step {step.__name__} failed at {size:,}: {exc!r}")
                ctx.log(f"UI step {step.__name__} failed: {exc!r}")
        ctx.extra.setdefault("screens", {})[size] = app.screen_text()
        return s
    finally:
        app.close()


def _queries(db: Path) -> dict[str, str]:
    from bench.paths import search_queries

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return search_queries(con)[0]
    finally:
        con.close()


def floor_table(ctx: Ctx) -> dict[str, dict]:
    """The stock DataTable app: first-paint bytes, bytes and latency of a Down arrow."""
    firsts, downs, lat = [], [], []
    for _ in range(max(3, ctx.repeat)):
        app = spawn(floor_argv("datatable"))
        try:
            b = app.wait_until(floor_marker("datatable"), quiet_s=0.05, timeout_s=30)
            firsts.append(b.nbytes)
            for _ in range(10):
                d = app.press("down", quiet_s=LIST_QUIET_S)
                downs.append(d.nbytes)
                lat.append(d.last_ms)
        finally:
            app.close()
    return {"first": summarize(firsts), "down": summarize(downs), "down_ms": summarize(lat)}


@figure("ui", order=40)
def ui(ctx: Ctx) -> None:
    """Every keystroke through the real app in a pty at 80x24: latency to the last byte of
    the burst, and the bytes written, vs a stock Textual DataTable app."""
    floor = floor_table(ctx)
    ctx.extra["table_floor"] = floor
    down_floor_ms = {"name": "stock DataTable, Down", **floor["down_ms"]}
    down_floor_b = {"name": "stock DataTable, Down", **floor["down"]}
    for size in ctx.sizes:
        s = run_session(ctx, size, ctx.dbs[size].path)
        _record(ctx, s, size, down_floor_ms, down_floor_b)
    from bench.dbs import ensure_wide_schedule

    base = ctx.dbs[min(ctx.sizes)]
    wide = ensure_wide_schedule(base, 20, log=ctx.log)
    s = run_session(ctx, base.size, wide, steps=[step_schedule])
    s.samples = {f"{k}, 20 providers": v for k, v in s.samples.items()}
    _record(ctx, s, base.size, down_floor_ms, down_floor_b)
    _first_paint(ctx, floor)
    _footer_experiment(ctx)
    _search_experiment(ctx)
    _profile_misses(ctx)


def _footer_experiment(ctx: Ctx) -> None:
    """If pane switches miss: the same F2-F5 cycles with Footer.recompose stubbed out, with
    no scrollbar on the lists, and both (``bench/probe_app.py``)."""
    missed = [r for r in ctx.results if r.figure == "keystroke-ui" and r.ok is False
              and r.name.startswith("pane switch F")]  # fmt: skip
    if not missed:
        return
    from bench.app_session import app_argv
    from bench.core import PY

    db = ctx.dbs[ctx.largest].path
    out: dict[str, dict[str, float | None]] = {}
    probe = [PY, "-m", "bench.probe_app"]
    for label, argv in (
        ("as shipped", app_argv(db)),
        ("Footer.recompose stubbed", [*probe, "footer", *app_argv(db)[3:]]),
        ("no list scrollbar", [*probe, "scrollbar", *app_argv(db)[3:]]),
        ("both", [*probe, "footer,scrollbar", *app_argv(db)[3:]]),
    ):
        app = spawn(argv)
        s = Session(app, ctx.largest, db, {}, max(3, ctx.repeat))
        try:
            if app.wait_until(schedule_ready, quiet_s=0.05, timeout_s=60).matched:
                step_pane_cycle(s)
        finally:
            app.close()
        bursts = [b for bs in s.samples.values() for b in bs]
        if not bursts:
            continue
        out[label] = {
            "last_ms": summarize([b.last_ms for b in bursts if b.last_ms is not None])["median"],
            "bytes": summarize([b.nbytes for b in bursts])["median"],
        }
    ctx.extra["footer_experiment"] = out


def _search_experiment(ctx: Ctx) -> None:
    """If search misses: type the same queries with the debounce off, and with the footer
    and scrollbar probes too (``bench/probe_app.py``)."""
    if not any(r.figure == "keystroke-ui" and r.ok is False and r.name.startswith("search")
               for r in ctx.results):  # fmt: skip
        return
    from bench.app_session import app_argv
    from bench.core import PY

    db = ctx.dbs[ctx.largest].path
    queries = ctx.extra.get("search_queries", {}).get(ctx.largest) or _queries(db)
    texts = [t for label, t in queries.items() if label.startswith(("prefix", "'"))]
    probe = [PY, "-m", "bench.probe_app"]
    out: dict[str, dict[str, float | None]] = {}
    for label, argv in (
        ("as shipped", app_argv(db)),
        ("no debounce", [*probe, "nodebounce", *app_argv(db)[3:]]),
        ("no debounce, footer and scrollbar probes", [*probe, "nodebounce,footer,scrollbar",
                                                      *app_argv(db)[3:]]),  # fmt: skip
    ):
        app = spawn(argv)
        s = Session(app, ctx.largest, db, queries, 1)
        try:
            if app.wait_until(schedule_ready, quiet_s=0.05, timeout_s=60).matched:
                s.key(None, "patients", LOAD_QUIET_S)
                for _ in range(max(2, ctx.repeat // 2)):
                    for text in texts:
                        s.type_query("search", text)
                        s.key(None, "clear_search", LOAD_QUIET_S)
        finally:
            app.close()
        bursts = s.samples.get("search", [])
        if bursts:
            out[label] = {
                "last_ms": summarize([b.last_ms for b in bursts if b.last_ms])["median"],
                "bytes": summarize([b.nbytes for b in bursts])["median"],
            }
    ctx.extra["search_experiment"] = out


def step_search_short(s: Session) -> None:
    s.key(None, "patients", LOAD_QUIET_S)
    for text in list(s.queries.values())[:3]:
        s.type_query("search", text)
        s.key(None, "clear_search", LOAD_QUIET_S)


#: which steps reproduce a missed keystroke, by the start of its name
PROFILE_STEPS = {
    "search": step_search_short,
    "patients": step_search_short,
    "schedule": step_schedule,
    "claims": step_claims,
    "stock": step_stock,
    "pane switch": step_pane_cycle,
}


def _profile_misses(ctx: Ctx) -> None:
    missed = [r.name for r in ctx.results
              if r.figure == "keystroke-ui" and r.ok is False and r.size == ctx.largest]
    steps = list(dict.fromkeys(step for prefix, step in PROFILE_STEPS.items()
                               if any(n.startswith(prefix) for n in missed)))  # fmt: skip
    if not steps:
        return
    ctx.log(f"profiling the app for {len(missed)} missed keystroke figures")
    title = "app main thread, " + ", ".join(st.__name__ for st in steps)
    ctx.profiles[f"UI keystrokes @ {ctx.largest:,}"] = profile_session(
        ctx, ctx.largest, ctx.dbs[ctx.largest].path, steps, title
    )


def _record(ctx: Ctx, s: Session, size: int, floor_ms: dict, floor_b: dict) -> None:
    for name, bursts in s.samples.items():
        lat = [b.last_ms for b in bursts if b.last_ms is not None]
        silent = sum(1 for b in bursts if b.last_ms is None)
        st = summarize(lat)
        note = f"{silent} of {len(bursts)} keys drew nothing" if silent else ""
        timeouts = sum(1 for b in bursts if b.timed_out)
        if timeouts:
            note += f"; {timeouts} never went quiet"
        first = summarize([b.first_s * 1000 for b in bursts if b.first_s is not None])
        if st["p95"] is not None and st["p95"] >= KEYSTROKE_TARGET_MS:
            # what the frames of a typical (median) press of this key repainted, and when
            typical = sorted((b for b in bursts if b.last_s is not None),
                             key=lambda b: b.last_s)[len(lat) // 2]  # fmt: skip
            ctx.extra.setdefault("timelines", {})[f"{name} @ {size:,}"] = typical.timeline()
        ctx.add(Result(
            "keystroke-ui", name, "ms", st, size=size, floor=floor_ms,
            target=f"p95 < {KEYSTROKE_TARGET_MS:.0f} ms",
            ok=None if st["p95"] is None else st["p95"] < KEYSTROKE_TARGET_MS, note=note,
            aux={"first_byte": first},
        ))  # fmt: skip
        is_down = name.endswith("Down") or name.endswith("Down, 20 providers")
        # a Down that drew nothing (cursor already on the last row) is not a list move
        counted = [b.nbytes for b in bursts if b.nbytes or not is_down]
        nb = summarize(counted)
        r_ = ratio(nb["median"], floor_b["median"])
        ctx.add(Result(
            "bytes", name, "B", nb, size=size, floor=floor_b if is_down else None,
            target="<= stock DataTable Down" if is_down else None,
            ok=(nb["median"] <= floor_b["median"]) if is_down and nb["median"] is not None
            else None,
            note=(f"{r_:.2f}x floor; " if is_down and r_ else "")
            + f"{nb['median'] / BAUD_56K * 1000:.0f} ms at 56 kbit/s" if nb["median"] else "",
        ))  # fmt: skip
    for where, nbytes in s.idle.items():
        ctx.add(Result("idle", f"bytes over 3 s idle, {where}", "B", summarize([nbytes]),
                       size=size, target="0 B/s", ok=nbytes == 0))  # fmt: skip
    start = s.memory.get("after start", {})
    floor_runs = ctx.extra.get("startup_floor") or []
    mem_floor = summarize([r["hwm_kb"] / 1024 for r in floor_runs]) if floor_runs else None
    for label, mem in s.memory.items():
        if label == "after start" or not mem:
            continue
        grown = (mem.get("VmRSS", 0) - start.get("VmRSS", 0)) / 1024
        st = summarize([mem["VmHWM"] / 1024])
        r_ = ratio(st["median"], mem_floor["median"]) if mem_floor else None
        ctx.add(Result(
            "memory", f"peak RSS (VmHWM) {label}", "MB", st, size=size,
            floor={"name": "one-Static Textual app", **mem_floor} if mem_floor else None,
            target="<= 1.5x floor" if mem_floor else None,
            ok=None if r_ is None else r_ <= 1.5,
            note=(f"{r_:.2f}x floor; " if r_ else "")
            + f"RSS now {mem['VmRSS'] / 1024:.1f} MB, {grown:+.1f} MB since start",
        ))  # fmt: skip


def _first_paint(ctx: Ctx, floor: dict) -> None:
    fp_floor = {"name": "stock DataTable app, first paint", **floor["first"]}
    for size, st in ctx.extra.get("first_paint_app", {}).items():
        r_ = ratio(st["median"], fp_floor["median"])
        ctx.add(Result(
            "bytes", "first paint (spawn to first complete frame)", "B", st, size=size,
            floor=fp_floor, target="<= 1.5x floor", ok=None if r_ is None else r_ <= 1.5,
            note=(f"{r_:.2f}x floor; " if r_ else "")
            + f"{st['median'] / BAUD_56K:.1f} s at 56 kbit/s",
        ))  # fmt: skip


def profile_session(ctx: Ctx, size: int, db: Path, steps, title: str) -> str:  # noqa: ANN001
    """Run ``steps`` against the app started under cProfile; the main thread's profile."""
    from bench.app_session import profiled_app_argv
    from bench.core import OUT
    from bench.profiling import profile_file

    out = OUT / f"profile_{size}.pstats"
    out.unlink(missing_ok=True)
    app = spawn(profiled_app_argv(db, out))
    try:
        app.wait_until(schedule_marker(db), quiet_s=0.05, timeout_s=90)
        queries = ctx.extra.get("search_queries", {}).get(size) or _queries(db)
        s = Session(app, size, db, queries, 1)
        for step in steps:
            step(s)
    finally:
        app.close(timeout_s=20)
    if not out.exists():
        return "(no profile written: the app did not exit cleanly)"
    from bench.profiling import per_call_ms

    ctx.extra["ui_profile_calls"] = per_call_ms(
        out, ("_refresh_layout", "_on_timer_update", "_render_chops")
    )
    return profile_file(out, title)
