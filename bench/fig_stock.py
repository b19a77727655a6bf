"""Stock at scale: 5,000 items, 20,000 lots and 2,000,000 movements (SQLite).

The database is built once with multi-row INSERTs (as ``medoffice_tui/demo/bulk.py``
does) and cached in bench/out/ under a fingerprint of the stock code. Each figure is
the real service call, warm, beside a floor measured in the same run:

- the low-stock list's first page (in-date stock only, days of supply from the last
  90 days of movements, out first then soonest to run out), beside the bare SQL of
  "items at or below their reorder point by the stored on-hand" (no use rate, no
  expiry, no order: what the list cost before);
- every page while paging the whole low-stock list by keyset;
- one item's use per week and 30/90-day rates (the sparkline under the list), beside
  a bare count of that item's movements;
- the expiring-lots list's first page, beside its bare SQL;
- a use (lock, FEFO, movement, audit event) on the big ledger;
- ``stock check`` recomputing every sum from the 2,000,000 movements, beside the
  naive "on hand as a SUM over every movement" a list would need without running sums.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
import time
from pathlib import Path

from bench.core import OUT, REPO, TODAY, Ctx, Result, figure
from bench.stats import summarize, time_calls

ITEMS = 5_000
LOTS_PER_ITEM = 4
MOVES_PER_LOT = 100  # one receipt and 99 uses: 2,000,000 movements
HISTORY_DAYS = 720
LOW_SHARE = 0.10
LOCATIONS = (
    "Supply room",
    "Exam rooms",
    "Lab",
    "Vaccine fridge",
    "Procedure room",
    "Northside closet",
)
VENDORS = [f"Vendor {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(40)]
SEED = 13
_FINGERPRINT = (
    "bench/fig_stock.py",
    "medoffice_tui/db/models/stock.py",
    "medoffice_tui/db/migrations",
)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for rel in _FINGERPRINT:
        path = REPO / rel
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def stock_db(log=print) -> tuple[Path, float | None, bool]:  # noqa: ANN001 - print-like
    """The big stock database: (path, build seconds, reused from cache)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"stock_{ITEMS}_{ITEMS * LOTS_PER_ITEM * MOVES_PER_LOT}.db"
    meta = path.with_suffix(".json")
    params = {"fingerprint": _fingerprint(), "today": TODAY.isoformat(), "seed": SEED}
    if path.exists() and meta.exists() and json.loads(meta.read_text()).get("params") == params:
        return path, json.loads(meta.read_text()).get("build_s"), True
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log(
        f"building the stock database: {ITEMS:,} items, "
        f"{ITEMS * LOTS_PER_ITEM * MOVES_PER_LOT:,} movements -> {path.name}"
    )
    t0 = time.perf_counter()
    build(path)
    build_s = time.perf_counter() - t0
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")
    con.close()
    meta.write_text(json.dumps({"params": params, "build_s": build_s}, indent=2))
    return path, build_s, False


def build(path: Path) -> None:
    """Locations, items, lots and movements whose sums agree (``stock check`` is ok)."""
    from medoffice_tui.db import close_database, db, open_database
    from medoffice_tui.db import models as m
    from medoffice_tui.db.migrate import upgrade
    from medoffice_tui.db.write_guard import writing_as
    from medoffice_tui.demo import bulk

    rng = random.Random(SEED)
    close_database()
    database = open_database(f"sqlite:///{path}")
    upgrade(database)
    database.execute_sql("PRAGMA synchronous=OFF")
    start = dt.datetime.combine(TODAY - dt.timedelta(days=HISTORY_DAYS), dt.time(8))
    span_s = HISTORY_DAYS * 86400 - 12 * 3600
    with writing_as("system:bench"), db.atomic():
        bulk.insert(
            m.StockLocation,
            bulk.fields(m.StockLocation, "id name site active version"),
            [(n + 1, name, "", True, 1) for n, name in enumerate(LOCATIONS)],
        )
        item_fields = bulk.fields(
            m.SupplyItem,
            "id sku name unit reorder_point reorder_qty vendor shelf on_hand active barcode "
            "category catalog_number cost_cents no_expiry home_location version",
        )
        lot_fields = bulk.fields(
            m.SupplyLot, "id item lot_number expires_on quantity received_on location"
        )
        move_fields = bulk.fields(
            m.StockMovement, "id item lot location kind quantity at reason reason_code"
        )
        move_id = lot_id = 0
        batch = 250
        for first in range(1, ITEMS + 1, batch):
            items, lots, moves = [], [], []
            for item_id in range(first, min(first + batch, ITEMS + 1)):
                low = rng.random() < LOW_SHARE
                point = rng.randint(5, 60)
                on_hand = 0
                for k in range(LOTS_PER_ITEM):
                    lot_id += 1
                    where = 1 + (k % len(LOCATIONS) if k else rng.randrange(len(LOCATIONS)))
                    received = start + dt.timedelta(seconds=rng.randrange(span_s // 2))
                    left = rng.randint(0, 2) if low else rng.randint(point // 2, point * 2)
                    uses = [rng.randint(1, 3) for _ in range(MOVES_PER_LOT - 1)]
                    got = left + sum(uses)
                    expires = (TODAY + dt.timedelta(days=rng.randint(-60, 700))) if k % 4 else None
                    lots.append(
                        (lot_id, item_id, f"L{item_id}-{k}", expires, left, received.date(), where)
                    )
                    move_id += 1
                    moves.append(
                        (move_id, item_id, lot_id, where, "receive", got, received, "", "")
                    )
                    gap = (TODAY - received.date()).days * 86400 // MOVES_PER_LOT
                    at = received
                    for used in uses:
                        at = at + dt.timedelta(seconds=rng.randint(gap // 2, gap))
                        move_id += 1
                        moves.append((move_id, item_id, lot_id, where, "use", -used, at, "", ""))
                    on_hand += left
                items.append(
                    (
                        item_id,
                        f"SKU-{item_id:05d}",
                        f"Supply item {item_id:05d}",
                        "each",
                        point,
                        point * 3,
                        rng.choice(VENDORS),
                        "",
                        on_hand,
                        True,
                        f"{item_id:012d}",
                        "",
                        f"C-{item_id}",
                        rng.randint(50, 5000),
                        True,
                        1 + item_id % len(LOCATIONS),
                        1,
                    )
                )
            bulk.insert(m.SupplyItem, item_fields, items)
            bulk.insert(m.SupplyLot, lot_fields, lots)
            moves.sort(key=lambda mv: (mv[1], mv[6]))
            bulk.insert(m.StockMovement, move_fields, moves)
    close_database()


def _bare(con: sqlite3.Connection, sql: str, params: tuple = ()) -> list[float]:
    return time_calls(lambda: con.execute(sql, params).fetchall(), repeat=40, budget_s=2)


LOW_FLOOR_SQL = (
    "SELECT id, sku, name, on_hand, reorder_point, vendor FROM supply_item "
    "WHERE active = 1 AND on_hand <= reorder_point ORDER BY name, id LIMIT 100"
)
EXPIRY_SQL = (
    "SELECT l.id, l.item_id, i.sku, i.name, l.lot_number, l.expires_on, l.quantity, "
    "l.location_id, s.name FROM supply_lot l JOIN supply_item i ON i.id = l.item_id "
    "LEFT JOIN stock_location s ON s.id = l.location_id WHERE l.expires_on IS NOT NULL "
    "AND l.expires_on <= ? AND l.quantity > 0 ORDER BY l.expires_on, l.id LIMIT 101"
)
ONE_ITEM_SQL = "SELECT COUNT(*) FROM stock_movement WHERE item_id = ? AND kind = 'use'"
NAIVE_SUM_SQL = "SELECT item_id, SUM(quantity) FROM stock_movement GROUP BY item_id"


@figure("stock", order=45)
def stock_scale(ctx: Ctx) -> None:
    """The low-stock list with days of supply, paging, the sparkline query, the expiring
    list, a use and the full ledger check, on 5,000 items and 2,000,000 movements."""
    _run(ctx)


def _run(ctx: Ctx) -> None:
    from medoffice_tui import clock
    from medoffice_tui.db import close_database, open_database
    from medoffice_tui.services import staff, stock

    path, build_s, cached = stock_db(ctx.log)
    note = f"database built in {build_s or 0:.0f} s" + (" (cached)" if cached else "")
    rows = ITEMS * LOTS_PER_ITEM * MOVES_PER_LOT
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    close_database()
    open_database(f"sqlite:///{path}")
    clock.pin(now=dt.datetime.combine(TODAY, dt.time(10, 30)))
    calls = max(10, ctx.repeat * 4)
    try:
        first = stock.low_stock()
        low = time_calls(lambda: stock.low_stock(), repeat=calls, budget_s=6)
        floor = summarize(_bare(con, LOW_FLOOR_SQL))
        ctx.add(
            Result(
                "stock",
                "low-stock list: first page (100 rows, days of supply)",
                "ms",
                summarize(low),
                size=rows,
                floor={"name": "items <= reorder point by stored on-hand (bare SQL)", **floor},
                note=f"{note}; {ITEMS:,} items, {len(first.rows)} rows a page",
            )
        )
        pages, after, seen = [], None, 0
        while True:
            t0 = time.perf_counter_ns()
            page = stock.low_stock(after=after)
            pages.append((time.perf_counter_ns() - t0) / 1e6)
            seen += len(page.rows)
            if page.next_after is None:
                break
            after = page.next_after
        ctx.add(
            Result(
                "stock",
                "low-stock list: every page while paging it all (keyset)",
                "ms",
                summarize(pages),
                size=rows,
                note=f"{len(pages)} pages, {seen:,} low items",
            )
        )
        sample = [r.item_id for r in first.rows[:20]] or [1]
        usage = time_calls(lambda: [stock.usage(i) for i in sample[:5]], repeat=calls, budget_s=4)
        ctx.add(
            Result(
                "stock",
                "weekly use + 30/90-day rates for 5 items (the sparkline)",
                "ms",
                summarize([u / 5 for u in usage]),
                size=rows,
                floor={
                    "name": "count of one item's use movements (bare SQL)",
                    **summarize(_bare(con, ONE_ITEM_SQL, (sample[0],))),
                },
                note="per item",
            )
        )
        horizon = (TODAY + dt.timedelta(days=30)).isoformat()
        expiring = time_calls(lambda: stock.expiring_lots(30), repeat=calls, budget_s=4)
        ctx.add(
            Result(
                "stock",
                "expiring lots (30 d): first page",
                "ms",
                summarize(expiring),
                size=rows,
                floor={
                    "name": "the same query, bare SQL",
                    **summarize(_bare(con, EXPIRY_SQL, (horizon,))),
                },
            )
        )
        actor = staff.system_actor(via="bench")
        stocked = [r.item_id for r in stock.low_stock(limit=1).rows] or [1]
        busy = [i for i in range(2, ITEMS, 97)][:40]
        uses = []
        for item_id in busy + stocked:
            t0 = time.perf_counter_ns()
            try:
                stock.use(actor, item_id, 1, reason="bench")
            except Exception:  # noqa: BLE001 - an empty item refuses; the time still counts
                pass
            uses.append((time.perf_counter_ns() - t0) / 1e6)
        ctx.add(
            Result(
                "stock",
                "use 1 unit (item lock, FEFO, movement, audit event)",
                "ms",
                summarize(uses[3:]),
                size=rows,
            )
        )
        t0 = time.perf_counter()
        report = stock.check()
        check_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        con.execute(NAIVE_SUM_SQL).fetchall()
        naive_s = time.perf_counter() - t0
        ctx.add(
            Result(
                "stock",
                "stock check: every sum recomputed from the movements",
                "ms",
                summarize([check_s * 1000]),
                size=rows,
                floor={
                    "name": "SUM over every movement by item (bare SQL)",
                    **summarize([naive_s * 1000]),
                },
                note="ok" if report.ok else "MISMATCH",
            )
        )
        plan = con.execute(
            "EXPLAIN QUERY PLAN SELECT SUM(-quantity) FROM stock_movement WHERE item_id = 1 "
            "AND kind = 'use' AND at >= '2026-08-25'"
        ).fetchall()
        ctx.findings.append("stock: the use-rate read is " + "; ".join(r[-1] for r in plan))
    finally:
        con.close()
        close_database()
        clock.pin()
