"""2, 8 and 16 processes writing at once: SQLite (always) and PostgreSQL (when given)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from bench.drivers.concurrency import WORKLOADS, run_contention
from bench.harness.core import OUT, TODAY, Ctx, Result, figure
from bench.harness.dbs import copy_db
from bench.harness.stats import fmt, summarize

PROCESS_COUNTS = (2, 8, 16)


@contextmanager
def sqlite_url(ctx: Ctx) -> Iterator[str]:
    base = ctx.dbs[min(ctx.sizes)]
    dest = copy_db(base.path, OUT / f"concurrency_{base.size}.db")
    yield f"sqlite:///{dest}"


@contextmanager
def postgres_url(admin_url: str) -> Iterator[str]:
    """A fresh schema holding a small demo practice, dropped afterwards."""
    from medoffice_tui import demo
    from medoffice_tui.db import close_database, open_database
    from medoffice_tui.db.connection import make_database
    from medoffice_tui.db.migrate import upgrade

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_database(admin_url)
    admin.connect()
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    admin.close()
    url = f"{admin_url}{'&' if '?' in admin_url else '?'}schema={schema}"
    try:
        database = open_database(url)
        upgrade(database)
        demo.build_demo(patients=500, seed=7, today=TODAY, progress=lambda *a: None)
        close_database()
        yield url
    finally:
        close_database()
        admin.connect()
        admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()


@figure("concurrency", order=60)
def concurrency(ctx: Ctx) -> None:
    """Processes writing the same rows at once (bookings at overlapping times for the same
    providers, check-ins of the same appointments, stock taken from the same items), on one
    database."""
    engines: list[tuple[str, object]] = [("sqlite", sqlite_url(ctx))]
    pg = ctx.args.pg or os.environ.get("MEDOFFICE_TEST_PG", "").strip()
    if pg:
        engines.append(("postgres", postgres_url(pg)))
    rows: list[dict] = []
    try:
        for engine, manager in engines:
            with manager as url:
                for wi, workload in enumerate(WORKLOADS):
                    for round_no, n in enumerate(PROCESS_COUNTS):
                        try:
                            rows.append(_one_run(ctx, url, engine, wi, n, round_no))
                        except Exception as exc:  # noqa: BLE001 - report it, run the rest
                            ctx.findings.append(
                                f"concurrency: {workload.name}, {engine}, {n} "
                                f"processes failed: {type(exc).__name__}: {exc}"
                            )
    finally:
        for r in rows:
            r.pop("latencies_ms", None)
        ctx.extra["concurrency"] = rows


def _one_run(ctx: Ctx, url: str, engine: str, wi: int, n: int, round_no: int) -> dict:
    """One workload with ``n`` processes; round_no picks fresh rows to fight over."""
    workload = WORKLOADS[wi]
    tag = f"bench-{engine}-{n}-{uuid.uuid4().hex[:6]}"
    r = run_contention(url, wi, n, tag, round_no)
    r["engine"] = engine
    r["conflict_meaning"] = workload.conflict_meaning
    clean = (r["accounted"] and r["lost"] == 0 and r["duplicate_ids"] == 0
             and r["conflicts"] == 0 and r["errors"] == 0)  # fmt: skip
    lat = summarize(r["latencies_ms"])
    ctx.add(Result(
        "concurrency", f"{workload.name}, {engine}, {n} processes", "ms", lat,
        target="0 lost/duplicate/conflicts, 0 lock errors", ok=clean,
        note=(f"{r['ops_per_s']:,.0f} ops/s; {r['attempted']} attempted = "
              f"{r['done']} done + {r['refused']} refused + {r['errors']} errors; "
              f"lost {r['lost']}, dup {r['duplicate_ids']}, conflicts "
              f"{r['conflicts']}, lock errors {r['lock_errors']}"),
    ))  # fmt: skip
    ctx.log(f"  {engine} {n:>2} procs, {workload.name[:24]}: {r['ops_per_s']:,.0f} ops/s, "
            f"p95 {fmt(lat['p95'])} ms, done {r['done']}, refused {r['refused']}, "
            f"errors {r['errors']} {r['error_samples'][:1]}")  # fmt: skip
    return r
