"""Experiments and profiles run only when a UI figure misses its target.

- ``footer_experiment``: the F2-F5 cycles again with Textual's Footer not recomposing,
  with no list scrollbar, and both (``bench/drivers/probe_app.py``);
- ``search_experiment``: the name queries again with the search debounce off;
- ``profile_misses``: the app under cProfile doing the keys that missed.
"""

from __future__ import annotations

from pathlib import Path

from bench.drivers.app_session import sign_in, spawn
from bench.drivers.ui_session import (
    LOAD_QUIET_S,
    Session,
    session_queries,
    step_claims,
    step_pane_cycle,
    step_schedule,
    step_stock,
)
from bench.harness.core import Ctx
from bench.harness.stats import summarize


def footer_experiment(ctx: Ctx) -> None:
    """If pane switches miss: the same F2-F5 cycles with Footer.recompose stubbed out, with
    no scrollbar on the lists, and both (``bench/drivers/probe_app.py``)."""
    missed = [r for r in ctx.results if r.figure == "keystroke-ui" and r.ok is False
              and r.name.startswith("pane switch F")]  # fmt: skip
    if not missed:
        return
    from bench.drivers.app_session import app_argv
    from bench.harness.core import PY

    db = ctx.dbs[ctx.largest].path
    out: dict[str, dict[str, float | None]] = {}
    probe = [PY, "-m", "bench.drivers.probe_app"]
    for label, argv in (
        ("as shipped", app_argv(db)),
        ("Footer.recompose stubbed", [*probe, "footer", *app_argv(db)[3:]]),
        ("no list scrollbar", [*probe, "scrollbar", *app_argv(db)[3:]]),
        ("both", [*probe, "footer,scrollbar", *app_argv(db)[3:]]),
    ):
        app = spawn(argv)
        s = Session(app, ctx.largest, db, {}, max(3, ctx.repeat))
        try:
            if sign_in(app).matched:
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


def search_experiment(ctx: Ctx) -> None:
    """If search misses: type the same queries with the debounce off, and with the footer
    and scrollbar probes too (``bench/drivers/probe_app.py``)."""
    if not any(r.figure == "keystroke-ui" and r.ok is False and r.name.startswith("search")
               for r in ctx.results):  # fmt: skip
        return
    from bench.drivers.app_session import app_argv
    from bench.harness.core import PY

    db = ctx.dbs[ctx.largest].path
    queries = ctx.extra.get("search_queries", {}).get(ctx.largest) or session_queries(db)
    texts = [t for label, t in queries.items() if label.startswith(("prefix", "'"))]
    probe = [PY, "-m", "bench.drivers.probe_app"]
    out: dict[str, dict[str, float | None]] = {}
    for label, argv in (
        ("as shipped", app_argv(db)),
        ("no debounce", [*probe, "nodebounce", *app_argv(db)[3:]]),
        (
            "no debounce, footer and scrollbar probes",
            [*probe, "nodebounce,footer,scrollbar", *app_argv(db)[3:]],
        ),  # fmt: skip
    ):
        app = spawn(argv)
        s = Session(app, ctx.largest, db, queries, 1)
        try:
            if sign_in(app).matched:
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


def profile_misses(ctx: Ctx) -> None:
    missed = [
        r.name
        for r in ctx.results
        if r.figure == "keystroke-ui" and r.ok is False and r.size == ctx.largest
    ]
    steps = list(dict.fromkeys(step for prefix, step in PROFILE_STEPS.items()
                               if any(n.startswith(prefix) for n in missed)))  # fmt: skip
    if not steps:
        return
    ctx.log(f"profiling the app for {len(missed)} missed keystroke figures")
    title = "app main thread, " + ", ".join(st.__name__ for st in steps)
    ctx.profiles[f"UI keystrokes @ {ctx.largest:,}"] = profile_session(
        ctx, ctx.largest, ctx.dbs[ctx.largest].path, steps, title
    )


def profile_session(ctx: Ctx, size: int, db: Path, steps, title: str) -> str:  # noqa: ANN001
    """Run ``steps`` against the app started under cProfile; the main thread's profile."""
    from bench.drivers.app_session import profiled_app_argv
    from bench.harness.core import OUT
    from bench.harness.profiling import profile_file

    out = OUT / f"profile_{size}.pstats"
    out.unlink(missing_ok=True)
    app = spawn(profiled_app_argv(db, out))
    try:
        sign_in(app, timeout_s=90)
        queries = ctx.extra.get("search_queries", {}).get(size) or session_queries(db)
        s = Session(app, size, db, queries, 1)
        for step in steps:
            step(s)
    finally:
        app.close(timeout_s=20)
    if not out.exists():
        return "(no profile written: the app did not exit cleanly)"
    from bench.harness.profiling import per_call_ms

    ctx.extra["ui_profile_calls"] = per_call_ms(
        out, ("_refresh_layout", "_on_timer_update", "_render_chops")
    )
    return profile_file(out, title)
