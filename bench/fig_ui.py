"""Every keystroke through the real app in a pty: time to the last byte, and bytes.

One app session per database size (``bench.ui_session``) walks the panes like a
front-desk user; this figure turns each key's bursts into results. The floor is a
stock Textual DataTable app (Header + row-cursor DataTable with 200 rows + Footer)
in the same terminal, same run. Keys that miss get experiments and a profile
(``bench.ui_probes``).
"""

from __future__ import annotations

from bench.app_session import floor_argv, floor_marker, spawn
from bench.core import Ctx, Result, figure, ratio
from bench.fig_services import KEYSTROKE_TARGET_MS
from bench.stats import summarize
from bench.ui_probes import footer_experiment, profile_misses, search_experiment
from bench.ui_session import LIST_QUIET_S, Session, run_session, step_schedule

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
    footer_experiment(ctx)
    search_experiment(ctx)
    profile_misses(ctx)


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
