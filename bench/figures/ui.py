"""Every keystroke through the real app in a pty: time to the last byte, and bytes.

One app session per database size (``bench.drivers.ui_session``) walks the panes like a
front-desk user; this figure turns each key's bursts into results. The floor is a
stock Textual DataTable app (Header + row-cursor DataTable with 200 rows + Footer)
in the same terminal, same run. Keys that miss get experiments and a profile
(``bench.experiments.ui_probes``).
"""

from __future__ import annotations

from functools import partial

from bench.drivers.app_session import floor_argv, floor_marker, spawn
from bench.drivers.ui_session import LIST_QUIET_S, LOAD_QUIET_S, Session, run_session, step_schedule
from bench.experiments.ui_probes import footer_experiment, profile_misses, search_experiment
from bench.figures.services import KEYSTROKE_TARGET_MS
from bench.harness.core import Ctx, Result, figure, ratio
from bench.harness.stats import summarize

BAUD_56K = 56_000 / 8  # bytes per second


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


#: each bare-Textual operation (``bench/drivers/floor_apps.py``): the floor app, its keys
#: (pressed in turn, round after round) and the quiet gap that ends a burst
FLOOR_OPS: dict[str, tuple[str, str, tuple[str, ...], float]] = {
    # op: (label, floor app, keys, quiet gap)
    "down": ("stock DataTable, Down", "datatable", ("down",), LIST_QUIET_S),
    "pagedown": ("stock DataTable, PgDn", "datatable", ("pagedown",), LIST_QUIET_S),
    # End / Home wait LOAD_QUIET_S in the app (they may read a page) and here too: the
    # floor's first End lays out all 200 rows and is quiet for longer than LIST_QUIET_S
    "end": (
        "stock DataTable, End/Home (last/first row)",
        "datatable",
        ("end", "home"),
        LOAD_QUIET_S,
    ),
    "switch": ("ContentSwitcher of two DataTables, F3/F2", "switcher", ("f3", "f2"), 0.1),
    "letter": ("search box over a table, a typed letter", "search", ("s", "m", "i"), 0.1),
    "reload": ("search box over a table, next page of rows", "search", ("]",), 0.1),
    "open screen": ("pushed record screen, Enter", "screen", ("enter",), 0.1),
    # a lone Esc reaches any Textual app only after ESCDELAY (100 ms): wait past it
    "close screen": ("pushed record screen, Esc", "screen", ("escape",), 0.25),
    "open dialog": ("five-field modal form, open", "dialog", ("a",), 0.1),
    "close dialog": ("five-field modal form, Esc", "dialog", ("escape",), 0.25),
}
#: which floor each of the app's key paths is held to (first match on the name)
FLOOR_FOR: tuple[tuple[str, str], ...] = (
    ("sign in", "sign in"),
    ("pane switch", "switch"),
    ("search", "letter"),
    ("open the record", "open screen"),
    ("close the record", "close screen"),
    ("open the", "open dialog"),
    ("close the", "close dialog"),
    ("PgDn", "pagedown"),
    ("End", "end"),
    ("Home", "end"),
    ("Down", "down"),
    ("next day", "reload"),
    ("day (today)", "reload"),
    ("filter", "reload"),
    ("Tab to", "switch"),
)
#: where Textual itself needs more than a frame, a key path may take this much of its floor
FLOOR_RATIO = 1.2
DIALOG_BYTES = 15_000


def floor_ops(ctx: Ctx) -> dict[str, dict]:
    """Every bare-Textual floor operation: latency to the last byte and bytes, per op."""
    out: dict[str, dict] = {}
    by_app: dict[str, list[str]] = {}
    for op, (_label, app_name, _keys, _quiet) in FLOOR_OPS.items():
        by_app.setdefault(app_name, []).append(op)
    for app_name, ops in by_app.items():
        lat: dict[str, list[float]] = {op: [] for op in ops}
        nbytes: dict[str, list[int]] = {op: [] for op in ops}
        for _ in range(max(3, ctx.repeat)):
            app = spawn(floor_argv(app_name))
            try:
                app.wait_until(floor_marker(app_name), quiet_s=0.05, timeout_s=30)
                for _ in range(4):
                    for op in ops:
                        _label, _app, keys, quiet = FLOOR_OPS[op]
                        if op == "close screen" or op == "close dialog":
                            continue  # pressed right after its open, below
                        for key in keys:
                            b = app.press(key, quiet_s=quiet)
                            if b.last_ms is not None:
                                lat[op].append(b.last_ms)
                                nbytes[op].append(b.nbytes)
                            closing = op.replace("open", "close")
                            if op.startswith("open") and closing in lat:
                                c = app.press("escape", quiet_s=FLOOR_OPS[closing][3])
                                if c.last_ms is not None:
                                    lat[closing].append(c.last_ms)
                                    nbytes[closing].append(c.nbytes)
            finally:
                app.close()
        for op in ops:
            out[op] = {
                "name": FLOOR_OPS[op][0],
                "ms": summarize(lat[op]),
                "bytes": summarize(nbytes[op]),
            }
    out["sign in"] = sign_in_floor(max(5, ctx.repeat))
    return out


def sign_in_floor(runs: int) -> dict:
    """The sign-in floor: a bare sign-in screen that checks the password with the app's
    argon2id settings and then shows a stock DataTable screen; one sign-in per start,
    timed from the password's write to the table's last byte."""
    from bench.drivers.app_session import DEMO_SIGN_IN
    from bench.drivers.floor_apps import TABLE_MARKER

    lat: list[float] = []
    nbytes: list[int] = []
    for _ in range(runs):
        app = spawn(floor_argv("signin"))
        try:
            app.wait_until(floor_marker("signin"), quiet_s=0.05, timeout_s=30)
            app.wait_cpu_idle()  # as the app's sign-in waits (``sign_in``)
            # a bare Textual app moves focus only after the keys already queued have gone
            # to the user box, so the user name goes first and the timed burst is the
            # password and Enter (the app takes both in one write: a harder case)
            user, password = DEMO_SIGN_IN.split(b"\r")[:2]
            app.send(user + b"\r", quiet_s=0.1, max_s=10)
            burst = app.send(
                password + b"\r",
                quiet_s=0.05,
                max_s=30,
                until=partial(app.has_text, TABLE_MARKER),
            )
            if burst.last_ms is not None and app.has_text(TABLE_MARKER):
                lat.append(burst.last_ms)
                nbytes.append(burst.nbytes)
        finally:
            app.close()
    return {
        "name": "sign-in screen, argon2id check, then a DataTable screen",
        "ms": summarize(lat),
        "bytes": summarize(nbytes),
    }


def floor_for(name: str) -> str | None:
    """The floor operation an app key path is held to (None: no bare equivalent)."""
    return next((op for needle, op in FLOOR_FOR if needle in name), None)


@figure("ui", order=40)
def ui(ctx: Ctx) -> None:
    """Every keystroke through the real app in a pty at 80x24: latency to the last byte of
    the burst, and the bytes written, vs a stock Textual DataTable app."""
    floor = floor_table(ctx)
    ctx.extra["table_floor"] = floor
    ops = floor_ops(ctx)
    ctx.extra["floor_ops"] = ops
    for size in ctx.sizes:
        s = run_session(ctx, size, ctx.dbs[size].path)
        _record(ctx, s, size, ops)
    from bench.harness.dbs import ensure_wide_schedule

    base = ctx.dbs[max(ctx.sizes)]
    wide = ensure_wide_schedule(base, 20, log=ctx.log)
    s = run_session(ctx, base.size, wide, steps=[step_schedule])
    s.samples = {f"{k}, 20 providers": v for k, v in s.samples.items()}
    _record(ctx, s, base.size, ops)
    _first_paint(ctx, floor)
    footer_experiment(ctx)
    search_experiment(ctx)
    profile_misses(ctx)


def _record(ctx: Ctx, s: Session, size: int, ops: dict[str, dict]) -> None:
    # a first paint of the workstation: the sign-in burst, which draws the whole first pane
    sign_in = s.samples.get("sign in (password check, first pane)") or []
    first_paint = summarize([b.nbytes for b in sign_in])["median"] if sign_in else None
    for name, bursts in s.samples.items():
        lat = [b.last_ms for b in bursts if b.last_ms is not None]
        silent = sum(1 for b in bursts if b.last_ms is None)
        st = summarize(lat)
        note = f"{silent} of {len(bursts)} keys drew nothing" if silent else ""
        timeouts = sum(1 for b in bursts if b.timed_out)
        if timeouts:
            note += f"; {timeouts} never went quiet"
        first = summarize([b.first_s * 1000 for b in bursts if b.first_s is not None])
        op = floor_for(name)
        floor = ops.get(op) if op else None
        floor_ms = {"name": floor["name"], **floor["ms"]} if floor else None
        ok = None
        if st["p95"] is not None:
            ok = st["p95"] < KEYSTROKE_TARGET_MS
            if not ok and floor_ms and floor_ms["p95"]:
                ok = st["p95"] <= FLOOR_RATIO * floor_ms["p95"]
        if st["p95"] is not None and not ok and lat:
            # what the frames of a typical (median) press of this key repainted, and when
            typical = sorted((b for b in bursts if b.last_s is not None),
                             key=lambda b: b.last_s)[len(lat) // 2]  # fmt: skip
            ctx.extra.setdefault("timelines", {})[f"{name} @ {size:,}"] = typical.timeline()
        r_ms = ratio(st["p95"], floor_ms["p95"]) if floor_ms else None
        ctx.add(Result(
            "keystroke-ui", name, "ms", st, size=size, floor=floor_ms,
            target=f"p95 < {KEYSTROKE_TARGET_MS:.0f} ms"
            + (f" or <= {FLOOR_RATIO}x floor" if floor_ms else ""),
            ok=ok, note=(f"p95 {r_ms:.2f}x floor; " if r_ms else "") + note,
            aux={"first_byte": first},
        ))  # fmt: skip
        is_down = op == "down"
        # a Down that drew nothing (cursor already on the last row) is not a list move
        counted = [b.nbytes for b in bursts if b.nbytes or not is_down]
        nb = summarize(counted)
        floor_b = {"name": floor["name"], **floor["bytes"]} if floor else None
        target, b_ok = None, None
        if nb["median"] is not None:
            if op == "switch" and first_paint:
                target = f"< half the first pane's paint ({first_paint:,.0f} B)"
                b_ok = nb["median"] < first_paint / 2
            elif op == "open dialog":
                target, b_ok = f"< {DIALOG_BYTES:,} B", nb["median"] < DIALOG_BYTES
            elif op == "down" and floor_b and floor_b["median"]:
                # (a typed letter is not judged against its floor's bytes: the terminal
                # gets only the lines that differ, and the bare app's rows differ less)
                target, b_ok = "<= its floor", nb["median"] <= floor_b["median"]
        r_ = ratio(nb["median"], floor_b["median"]) if floor_b else None
        ctx.add(Result(
            "bytes", name, "B", nb, size=size, floor=floor_b, target=target, ok=b_ok,
            note=(f"{r_:.2f}x floor; " if r_ else "")
            + (f"{nb['median'] / BAUD_56K * 1000:.0f} ms at 56 kbit/s" if nb["median"] else ""),
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
