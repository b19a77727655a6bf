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

Then the same database through the real app in a pty at 80x24 (signed in as the demo
front desk, whose account is added to the database once): F5 opening the low-stock list,
from the key to the settled screen (rows, title count and the sparkline drawn), beside a
stock Textual ContentSwitcher of two DataTables switching panes (``bench/drivers/floor_apps.py``
``switcher``); End landing on the true last row of the list (the pane's ListPager reads
the last page backwards, not every page before it), beside a stock DataTable's End
(``datatable``); the peak RSS of the app process (which runs the service calls on its
worker threads). The EXPLAIN QUERY PLAN of the low-stock statement goes in the figure's
note: the ledger (stock_movement) is read through its covering index, never scanned.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import sqlite3
import time
from pathlib import Path

from bench.harness.core import OUT, REPO, TODAY, Ctx, Result, figure
from bench.harness.stats import summarize, time_calls

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
    "medoffice_tui/db/models/stock.py",
    "medoffice_tui/db/migrations",
)


def _fingerprint() -> str:
    """What the cached database depends on: the stock schema, the migrations, and the
    builder below with its sizes (not the rest of this file, so changing a figure does
    not rebuild 2,000,000 movements)."""
    import inspect

    digest = hashlib.sha256()
    for rel in _FINGERPRINT:
        path = REPO / rel
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    digest.update(inspect.getsource(build).encode())
    sizes = (ITEMS, LOTS_PER_ITEM, MOVES_PER_LOT, HISTORY_DAYS, LOW_SHARE, LOCATIONS, VENDORS)
    digest.update(repr(sizes).encode())
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
    list, a use and the full ledger check, on 5,000 items and 2,000,000 movements; F5 and
    End in the low-stock list through the app in a pty beside a stock DataTable, the
    statement's query plan, the app's peak RSS."""
    _run(ctx)
    _through_the_app(ctx)


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


# ------------------------------------------------------------ through the app

FRAME_MS = 16.0
#: a key that reads the database in a worker: the burst ends after this much quiet
#: (longer than the pane's 0.12 s wait before it reads the sparkline, so it is counted)
SETTLE_QUIET_S = 0.3
_LOW_TITLE = re.compile(r"Low stock · .*\((\d+)\+?\)")


def ensure_accounts(path: Path) -> None:
    """The demo practice record and the demo sign-in accounts in the big stock database
    (once; the builder writes stock only), so the app opens on it as the front desk."""
    from medoffice_tui.db import close_database, db, open_database
    from medoffice_tui.db import models as m
    from medoffice_tui.db.write_guard import writing_as
    from medoffice_tui.services import staff

    close_database()
    open_database(f"sqlite:///{path}")
    try:
        if m.Practice.select().exists():
            return
        created = dt.datetime.combine(TODAY - dt.timedelta(days=HISTORY_DAYS), dt.time(8))
        roles = {r.name: r.id for r in m.Role.select()}
        with writing_as("system:bench"), db.atomic():
            m.Practice.insert(
                name="Bench stock practice", npi="1234567893", tax_id="36-1234567",
                created_at=created, is_demo=True,
            ).execute()  # fmt: skip
            for username, password, role in staff.DEMO_ACCOUNTS:
                m.User.insert(
                    username=username, full_name=username.title(), role=roles[role],
                    password_hash=staff.hash_password(password), active=True,
                    created_at=created, password_changed_at=created, updated_at=created,
                ).execute()  # fmt: skip
    finally:
        close_database()


def _low_list_ready(app) -> bool:  # noqa: ANN001 - a PtyApp
    """The low-stock list shows its first page: a row count in the title, rows drawn."""
    text = app.screen_text()
    found = _LOW_TITLE.search(text)
    return bool(found and int(found.group(1)) > 0 and "SKU-" in text)


def _position(app) -> tuple[int, int] | None:  # noqa: ANN001
    """The list header's position, ``12/534`` at its right end (None: not on screen)."""
    for line in app.screen.display:
        found = re.search(r"(\d+)/(\d+)\+?$", line.rstrip())
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def _last_row_shown(app, last_name: str) -> bool:  # noqa: ANN001
    """End has landed on the true last row: the list's last item (by name: the SKU
    column is cut at 80 columns) is on screen and the position reads ``1 to end`` (a
    window read from the end) or n/n (every row held)."""
    text = app.screen_text()
    if last_name not in text:
        return False
    if re.search(r"\b1 to end\s*$", text, re.MULTILINE):
        return True
    at = _position(app)
    return bool(at and at[0] == at[1])


def _low_total(path: Path) -> tuple[int, str]:
    """How many rows the low-stock list has, and its last row's name (the service read
    from the end, beside a count of every page)."""
    from medoffice_tui import clock
    from medoffice_tui.db import close_database, open_database
    from medoffice_tui.services import stock

    close_database()
    open_database(f"sqlite:///{path}")
    clock.pin(now=dt.datetime.combine(TODAY, dt.time(10, 30)))
    try:
        total, after = 0, None
        while True:
            page = stock.low_stock(after=after)
            total += len(page.rows)
            if page.next_after is None:
                break
            after = page.next_after
        last = stock.low_stock(from_end=True, limit=1).rows
    finally:
        close_database()
        clock.pin()
    return total, last[-1].name if last else ""


def _floor_keys(rounds: int) -> dict[str, list[float]]:
    """A stock ContentSwitcher's F3/F2 (two DataTables) and a stock DataTable's End."""
    from bench.drivers.app_session import floor_argv, floor_marker, spawn

    out: dict[str, list[float]] = {"switch": [], "end": []}
    app = spawn(floor_argv("switcher"))
    try:
        app.wait_until(floor_marker("switcher"), quiet_s=0.1, timeout_s=30)
        for _ in range(rounds):
            for key in ("f3", "f2"):
                burst = app.press(key, quiet_s=SETTLE_QUIET_S)
                if burst.last_ms is not None:
                    out["switch"].append(burst.last_ms)
    finally:
        app.close()
    app = spawn(floor_argv("datatable"))
    try:
        app.wait_until(floor_marker("datatable"), quiet_s=0.1, timeout_s=30)
        for _ in range(rounds):
            burst = app.press("end", quiet_s=SETTLE_QUIET_S)
            if burst.last_ms is not None:
                out["end"].append(burst.last_ms)
            app.press("home", quiet_s=SETTLE_QUIET_S)
    finally:
        app.close()
    return out


def _explain_low_stock(path: Path) -> tuple[list[str], bool]:
    """The low-stock statement's query plan, exactly as the service sends it, and whether
    the ledger is read only through an index (no full scan of stock_movement)."""
    from medoffice_tui import clock
    from medoffice_tui.db import close_database, open_database
    from medoffice_tui.db.connection import db
    from medoffice_tui.services.stock.lists import low_stock_sql

    close_database()
    open_database(f"sqlite:///{path}")
    clock.pin(now=dt.datetime.combine(TODAY, dt.time(10, 30)))
    try:
        sql, params = low_stock_sql()
        plan = [str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        close_database()
        clock.pin()
    ledger = [p for p in plan if re.search(r"\b(m|stock_movement)\b", p)]
    indexed = bool(ledger) and all("USING" in p and "INDEX" in p for p in ledger)
    return plan, indexed


def _through_the_app(ctx: Ctx) -> None:
    from bench.drivers.app_session import app_argv, sign_in, spawn

    path, _build_s, _cached = stock_db(ctx.log)
    ensure_accounts(path)
    size = ITEMS * LOTS_PER_ITEM * MOVES_PER_LOT
    plan, indexed = _explain_low_stock(path)
    ctx.findings.append("stock: EXPLAIN QUERY PLAN of the low-stock statement: " + "; ".join(plan))
    rounds = max(3, ctx.repeat)
    floor = _floor_keys(rounds)
    keys = ("f5", "f5 again", "end")
    samples: dict[str, list[float]] = {k: [] for k in keys}
    nbytes: dict[str, list[int]] = {k: [] for k in keys}
    total, last_name = _low_total(path)
    peak, grown = [], []
    # a pane reads its lists on its first show only, so each round is a fresh session:
    # F5 (the pane imported, mounted, both lists and the sparkline read), End (the last
    # page read backwards, the cursor on the true last row), then F2 and F5 back
    for _ in range(rounds):
        app = spawn(app_argv(path))
        try:
            sign_in(app)  # the schedule shows (an empty day: this practice has stock only)
            start_mem = app.memory_kb()
            for key, press, ready in (
                ("f5", "f5", lambda a=app: _low_list_ready(a)),
                ("end", "end", lambda a=app: _last_row_shown(a, last_name)),
                (None, "f2", None),
                ("f5 again", "f5", lambda a=app: _low_list_ready(a)),
            ):
                burst = app.press(press, quiet_s=SETTLE_QUIET_S, max_s=30, until=ready)
                if key and burst.last_ms is not None and burst.matched:
                    samples[key].append(burst.last_ms)
                    nbytes[key].append(burst.nbytes)
            memory = app.memory_kb()
            if memory:
                peak.append(memory.get("VmHWM", 0) / 1024)
                grown.append((memory.get("VmRSS", 0) - start_mem.get("VmRSS", 0)) / 1024)
        finally:
            app.close()
    plan_note = ("index only: " if indexed else "LEDGER SCANNED: ") + "; ".join(
        p for p in plan if re.search(r"\b(m|stock_movement)\b", p)
    )
    for key, label, floor_name, floor_samples in (
        ("f5", "F5: the low-stock list opened (pane mounted, lists and sparkline read), "
         "key to settled screen", "stock ContentSwitcher F3/F2 (two DataTables)",
         floor["switch"]),
        ("end", f"End in the low-stock list (the last page read backwards: the true last "
         f"row of {total})", "stock DataTable, End", floor["end"]),
        ("f5 again", "F5 back to the loaded low-stock list (after F2)",
         "stock ContentSwitcher F3/F2 (two DataTables)", floor["switch"]),
    ):  # fmt: skip
        st = summarize(samples[key])
        fl = summarize(floor_samples)
        note = f"{summarize(nbytes[key])['median'] or 0:.0f} B per key (median)"
        if key == "f5":
            note += f"; {plan_note}"
        if key == "end":
            note += f"; landed {len(samples[key])} of {rounds} rounds"
        ctx.add(Result(
            "stock-keys", label, "ms", st, size=size, floor={"name": floor_name, **fl},
            target=f"p95 within {FRAME_MS:.0f} ms of the floor's",
            ok=(st["p95"] - fl["p95"] <= FRAME_MS)
            if st["p95"] is not None and fl["p95"] is not None else None,
            note=note,
        ))  # fmt: skip
    ctx.add(Result(
        "stock-keys", "low-stock statement: the ledger read through its index (query plan)",
        "plan", {"n": 1, "median": None, "p95": None, "min": None, "max": None}, size=size,
        target="no full scan of stock_movement", ok=indexed, note="; ".join(plan),
    ))  # fmt: skip
    if peak:
        ctx.add(Result(
            "stock-keys", "peak RSS (VmHWM) of the app process after F5, End, F5", "MB",
            summarize(peak), size=size,
            note=f"{summarize(grown)['median']:+.1f} MB since signing in (median); "
            f"{total} low-stock rows, a page held at each end; the service calls run on its "
            "worker threads",
        ))  # fmt: skip
