"""Each interactive path through the service call alone (in-process, warm), beside the
bare SQL it needs run with sqlite3 directly on the same file."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from bench.figures.service_paths import PathEnv, Statement, build_paths, search_queries
from bench.harness.core import TODAY, Ctx, Result, figure
from bench.harness.dbs import ensure_wide_schedule
from bench.harness.profiling import profile_call
from bench.harness.stats import summarize, time_calls

SEARCH_TARGET_MS = 10.0
KEYSTROKE_TARGET_MS = 16.0
#: stop walking the claims list after this many pages
MAX_CLAIM_PAGES = 5000


def open_service_db(path: Path) -> None:
    from medoffice_tui import clock
    from medoffice_tui.db import close_database, open_database
    from medoffice_tui.services.practice import load_practice_settings

    close_database()
    open_database(f"sqlite:///{path}")
    load_practice_settings()
    clock.pin(now=dt.datetime.combine(TODAY, dt.time(10, 30)))


def sql_runner(con: sqlite3.Connection, statements: list[Statement]) -> Callable[[], None]:
    def run() -> None:
        for sql, params in statements:
            con.execute(sql, params).fetchall()

    return run


def query_plan(con: sqlite3.Connection, statements: list[Statement]) -> list[str]:
    plans = []
    for sql, params in statements:
        rows = con.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        plans.append("; ".join(r[-1] for r in rows))
    return plans


def make_env(size: int, path: Path) -> PathEnv:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        queries, params = search_queries(con)
    finally:
        con.close()
    return PathEnv(size=size, path=path, queries=queries, sql_params=params)


def walk_claims(env: PathEnv) -> list[float]:
    """Page through the whole claims list with the service's own keyset; keep the deepest key."""
    from medoffice_tui.services.claims import list_claims

    times: list[float] = []
    after = None
    last_row = None
    for page_no in range(MAX_CLAIM_PAGES):
        t0 = time.perf_counter_ns()
        page = list_claims(after=after)
        times.append((time.perf_counter_ns() - t0) / 1e6)
        if page.rows:
            last_row = page.rows[-1]
        if page.next_after is None:
            break
        after = page.next_after
        env.deep_claim_after = after
        env.deep_claim_page = page_no + 2
        if last_row is not None:
            env.deep_claim_sql_key = (last_row.service_date.isoformat(), last_row.id)
    return times


def search_keystrokes(env: PathEnv, repeat: int) -> list[float]:
    """Every prefix of every realistic query, as the search box sees it while typing."""
    from medoffice_tui.services.patients import search_patients

    samples: list[float] = []
    for text in env.queries.values():
        for n in range(1, len(text) + 1):
            typed = text[:n]
            samples += time_calls(lambda t=typed: search_patients(t), repeat=repeat, warmup=1,
                                  budget_s=0.5, min_repeat=3)  # fmt: skip
    return samples


@figure("services", order=30)
def services(ctx: Ctx) -> None:
    """Every interactive path through its service call (in-process, warm) vs the bare SQL."""
    calls = max(20, ctx.repeat * 20)
    for size in ctx.sizes:
        env = make_env(size, ctx.dbs[size].path)
        ctx.extra.setdefault("search_queries", {})[size] = env.queries
        open_service_db(env.path)
        walk = walk_claims(env)
        ctx.add(Result(
            "keystroke-service", "claims: every page while paging the whole list", "ms",
            summarize(walk), size=size, target=f"< {KEYSTROKE_TARGET_MS:.0f} ms",
            ok=summarize(walk)["p95"] < KEYSTROKE_TARGET_MS if walk else None,
            note=f"{len(walk)} pages of 100",
        ))  # fmt: skip
        ks = search_keystrokes(env, max(3, ctx.repeat))
        _add_ok(ctx, Result(
            "keystroke-service", "search: every prefix of every query, as typed", "ms",
            summarize(ks), size=size,
        ), SEARCH_TARGET_MS if size == ctx.largest else KEYSTROKE_TARGET_MS)  # fmt: skip
        paths = [p for p in build_paths(list(env.queries)) if p.sizes != "wide"]
        _run_paths(ctx, env, size, paths, calls)
        _with_connection(ctx, env, size, [p for p in paths if p.name in CONNECT_VARIANTS], calls)
    wide_base = ctx.dbs[min(ctx.sizes)]
    wide = ensure_wide_schedule(wide_base, 20, log=ctx.log)
    env = make_env(wide_base.size, wide)
    open_service_db(wide)
    _run_paths(
        ctx,
        env,
        wide_base.size,
        [p for p in build_paths(list(env.queries)) if p.sizes == "wide"],
        calls,
    )
    from medoffice_tui.db import close_database

    close_database()


#: paths also timed the way a pane's thread worker makes them (``session.connection``)
CONNECT_VARIANTS = ("schedule next day", "search prefix 'smi'", "claims list, first page")


def _with_connection(ctx: Ctx, env: PathEnv, size: int, paths: list, calls: int) -> None:  # noqa: ANN001
    """Each pane query runs on a thread of the event loop's executor inside
    ``session.connection()``: the thread keeps its connection (with its pragmas and page
    cache) from one call to the next. Time the calls that way, each one handed to the
    thread and awaited, as the pane does; the thread's first call (its connect) is
    timed apart."""
    from concurrent.futures import ThreadPoolExecutor

    from medoffice_tui.db import db
    from medoffice_tui.db.connection import close_kept_connections
    from medoffice_tui.services import session

    db.close()
    try:
        for path in paths:
            fn = path.service(env)

            def in_worker(fn=fn) -> None:  # noqa: ANN001
                with session.connection():
                    fn()

            with ThreadPoolExecutor(1) as pool:
                first = time.perf_counter()
                pool.submit(in_worker).result()
                first_ms = (time.perf_counter() - first) * 1000.0
                samples = time_calls(lambda: pool.submit(in_worker).result(), repeat=calls)
            note = f"the thread's first call, with its connect: {first_ms:.1f} ms"
            result = Result("keystroke-service", f"{path.name} (on a pane's worker thread, "
                            "handed over and awaited)", "ms", summarize(samples), size=size,
                            note=note)  # fmt: skip
            _add_ok(ctx, result, KEYSTROKE_TARGET_MS)
            close_kept_connections()  # the pool's thread has ended: close what it kept
    finally:
        db.connect(reuse_if_open=True)


def _add_ok(ctx: Ctx, result: Result, target_ms: float) -> Result:
    result.target = f"p95 < {target_ms:.0f} ms"
    p95 = result.stats.get("p95")
    result.ok = None if p95 is None else p95 < target_ms
    return ctx.add(result)


def _run_paths(ctx: Ctx, env: PathEnv, size: int, paths: list, calls: int) -> None:  # noqa: ANN001
    con = sqlite3.connect(f"file:{env.path}?mode=ro", uri=True)
    con.execute("PRAGMA cache_size = -16000")
    try:
        for path in paths:
            if path.name.startswith("claims list, deep") and env.deep_claim_after is None:
                continue
            floor = None
            plans: list[str] = []
            if path.sql is not None:
                statements = path.sql(env)
                fs = summarize(time_calls(sql_runner(con, statements), repeat=calls))
                floor = {"name": "bare SQL, sqlite3", **fs}
                plans = query_plan(con, statements)
            fn = path.service(env)
            samples = time_calls(fn, repeat=calls)
            target = SEARCH_TARGET_MS if path.group == "search" and size == ctx.largest \
                else KEYSTROKE_TARGET_MS  # fmt: skip
            note = path.note
            if path.name.startswith("claims list, deep"):
                note = f"page {env.deep_claim_page:,}"
            res = _add_ok(ctx, Result("keystroke-service", path.name, "ms", summarize(samples),
                                      size=size, floor=floor, note=note), target)  # fmt: skip
            res_plans = ctx.extra.setdefault("query_plans", {})
            res_plans[f"{path.name} @ {size}"] = plans
            if res.ok is False:
                ctx.profiles[f"service: {path.name} @ {size:,}"] = profile_call(fn)
            ctx.log(f"  {size:>7,} {path.name:<36} service p95 {res.stats['p95']:.2f} ms"
                    + (f"  floor p95 {floor['p95']:.3f} ms" if floor else ""))  # fmt: skip
    finally:
        con.close()
