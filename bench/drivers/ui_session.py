"""One app session in a pty that walks the panes like a front-desk user.

Each step is a function in ``UI_STEPS`` that presses keys through ``Session.key`` /
``Session.text``, which record each key's burst (latency and bytes) under a name;
adding a UI path to the bench is adding one step here.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.drivers.app_session import APP_KEYS, app_argv, sign_in, spawn
from bench.drivers.pty_driver import Burst, PtyApp
from bench.harness.core import Ctx

LIST_QUIET_S = 0.08  # quiet gap that ends the burst of a list move
LOAD_QUIET_S = 0.2  # for keys that may fetch data in a worker (search, pane, day)
SEARCHES_FOR_RSS = 100


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


def idle_bytes(app: PtyApp, seconds: float) -> int:
    """What the app sends while nobody types: measured once the screen is quiet (a pane
    still drawing its first show is not idle traffic), in a window that does not cross
    a minute (the header clock repaints its minute then: ~120 B a minute, not idle
    chatter). The clock ticks half a second past the minute (``AppHeader._tick``), so
    a window that would hold that tick starts a second after it instead."""
    app.drain(time.perf_counter(), quiet_s=1.0, max_s=10.0)
    to_tick = (60.5 - (time.time() % 60.0)) % 60.0
    if to_tick < seconds + 0.5:
        wait = to_tick + 1.0
        app.drain(time.perf_counter(), quiet_s=wait, max_s=wait)
    return app.idle(seconds).nbytes


def step_schedule(s: Session) -> None:
    for _ in range(max(8, s.repeat * 3)):
        s.key("schedule: Down", "down")
    for _ in range(max(3, s.repeat)):
        s.key("schedule next day", "next_day", LOAD_QUIET_S)
        s.key("schedule day (today)", "prev_day", LOAD_QUIET_S)
    for _ in range(max(3, s.repeat)):
        s.key("schedule: open the booking form (b)", "b", LOAD_QUIET_S)
        s.key("schedule: close the booking form (Esc)", "escape", LOAD_QUIET_S)


def step_patients(s: Session) -> None:
    s.key("pane switch -> patients", "patients", LOAD_QUIET_S)
    s.idle["patients pane (search box focused)"] = idle_bytes(s.app, 3.0)
    for _ in range(max(1, s.repeat // 2)):
        for label, text in s.queries.items():
            s.type_query(f"search {label}", text)
            if label.startswith("prefix"):  # many rows: room to move
                s.key(None, "down")  # the first Down moves focus from the box to the results
                for _ in range(4):
                    s.key("patients: Down", "down")
                s.key("patients: open the record (Enter)", "enter", LOAD_QUIET_S)
                s.key("patients: close the record (Esc)", "escape", LOAD_QUIET_S)
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
    for _ in range(max(2, s.repeat // 2)):
        s.key("claims: End (the true last row)", "end", LOAD_QUIET_S)
        s.key("claims: Home", "home", LOAD_QUIET_S)


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
        signed_in = sign_in(app)
        queries = dict(ctx.extra.get("search_queries", {}).get(size) or session_queries(db))
        queries.update(misspelt_queries(db))  # whichever list came first: the typo path too
        s = Session(app, size, db, queries, ctx.repeat)
        s.samples["sign in (password check, first pane)"] = [signed_in]
        s.memory["after start"] = app.memory_kb()
        for step in steps:
            try:
                step(s)
            except Exception as exc:  # noqa: BLE001 - one broken step must not sink the run
                ctx.findings.append(f"UI step {step.__name__} failed at {size:,}: {exc!r}")
                ctx.log(f"UI step {step.__name__} failed: {exc!r}")
        return s
    finally:
        app.close()


def session_queries(db: Path) -> dict[str, str]:
    from bench.figures.service_paths import search_queries

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        queries = dict(search_queries(con)[0])
    finally:
        con.close()
    queries.update(misspelt_queries(db))
    return queries


def _typo(word: str) -> str:
    """The word with its second and third letters swapped, as a quick typist slips."""
    return word[0] + word[2] + word[1] + word[3:] if len(word) > 3 else word


def misspelt_queries(db: Path) -> dict[str, str]:
    """Misspelt names, typed a letter at a time; past the first letters no prefix matches,
    so every later key takes the typo path: a made-up "jhonson", and a real patient's
    first and last name each with two letters swapped ("nicholas watson" typed
    "nciholas wtason")."""
    queries = {"misspelt 'jhonson'": "jhonson"}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        n = con.execute("SELECT COUNT(*) FROM patient").fetchone()[0]
        row = con.execute(
            "SELECT first_norm, last_norm FROM patient WHERE active AND length(first_norm) "
            "BETWEEN 6 AND 9 AND length(last_norm) BETWEEN 5 AND 9 AND substr(first_norm, 2, 1)"
            " <> substr(first_norm, 3, 1) AND substr(last_norm, 2, 1) <> substr(last_norm, 3, 1)"
            " AND first_norm NOT GLOB '*[^a-z]*' AND last_norm NOT GLOB '*[^a-z]*'"
            " ORDER BY id LIMIT 1 OFFSET ?",
            (n // 3,),
        ).fetchone()
    finally:
        con.close()
    if row is not None:
        queries["misspelt first and last name"] = f"{_typo(row[0])} {_typo(row[1])}"
    return queries
