"""Claims of a large practice (over ``CHUNKED_ABOVE`` claims), drawn in chunks.

Claim ``k`` belongs to chunk ``k * CLAIM_CHUNKS // total``; each chunk draws from a
random stream of its own (``claims:<chunk>``) and bills its own share of the completed
visits, so the chunks can be drawn in any order, or at once. Chunk 0 carries the claims
that guarantee every status and bucket and the drafts with known mistakes.

On a SQLite file, two worker processes draw the chunks, each into a scratch SQLite file
of its own (plain tables, no indexes; the same driver adaptations of dates, times and
flags as the main connection's). The main process attaches each finished chunk and
copies it with ``INSERT ... SELECT`` inside the build's one transaction, moving the
chunk's line, diagnosis, event, payment, allocation and adjustment ids past the ones
before it, so every id runs on without gaps, exactly as when the same chunks are drawn
in this process one after the other (what PostgreSQL, an in-memory database or a
one-core machine get). The scratch files are detached and removed once the build has
committed or rolled back.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from medoffice_tui.db.connection import db
from medoffice_tui.demo.billing import draw_claims
from medoffice_tui.demo.claim_rows import ClaimRows
from medoffice_tui.demo.draws import DemoRandom
from medoffice_tui.demo.state import BuildState
from medoffice_tui.demo.summary import DemoSummary

#: how many chunks (at most 8: each is attached to the main connection until commit,
#: and SQLite attaches at most 10 databases)
CLAIM_CHUNKS = 8
#: worker processes drawing chunks
WORKERS = 2
#: which id counter of ``ClaimRows`` a column refers to, per table (claim ids are global)
_OFFSETS = {
    "claim_diagnosis": {"id": "dx"},
    "claim_line": {"id": "line"},
    "claim_status_event": {"id": "event"},
    "payment": {"id": "payment"},
    "payment_allocation": {"id": "allocation", "payment": "payment", "claim_line": "line"},
    "adjustment": {"id": "adjustment", "claim_line": "line", "payment": "payment"},
}
_COUNTS = (
    "claims",
    "claim_lines",
    "claim_diagnoses",
    "claim_events",
    "payments",
    "adjustments",
    "open_balance_cents",
)

#: the build the forked workers draw from (set just before the pool starts)
_STATE: BuildState | None = None


def chunk_ranges(total: int) -> list[range]:
    """The claim numbers of each chunk."""
    cuts = [c * total // CLAIM_CHUNKS for c in range(CLAIM_CHUNKS + 1)]
    return [range(cuts[c], cuts[c + 1]) for c in range(CLAIM_CHUNKS)]


def _rng(state: BuildState, chunk: int) -> random.Random:
    return DemoRandom(f"medoffice-demo:{state.seed}:claims:{chunk}")


def _pools(state: BuildState, chunk: int) -> dict:
    """This chunk's share of each day's completed visits."""
    return {day: v[chunk::CLAIM_CHUNKS] for day, v in state.completed_by_day.items()}


def _drafts(chunk: int) -> list[int]:
    return [0 if chunk == 0 else 3]  # only chunk 0 draws the first drafts


def build_in_chunks(state: BuildState, total: int) -> None:
    """Draw and write ``total`` claims, chunk by chunk, in workers where that is possible."""
    finish = start_in_workers(state, total)
    if finish is None:
        _in_process(state, total)
    else:
        finish()


def start_in_workers(state: BuildState, total: int) -> Callable[[], None] | None:
    """Start the worker processes drawing the chunks, where that is possible, and return
    what writes them into the practice (``finish()``: waits for each chunk in turn and
    copies it); None where they are drawn in this process instead. Between the two, the
    build goes on with parts the claims do not need (``builder.PARTS``)."""
    path = _database_file()
    if path is None or (os.cpu_count() or 1) < 2 or "fork" not in _start_methods():
        return None
    return _in_workers(state, total, path)


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


def _database_file() -> Path | None:
    """The SQLite file being built, or None (another engine, or in memory)."""
    database = db.obj
    if not isinstance(database, SqliteDatabase):
        return None
    name = str(database.database)
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def _in_process(state: BuildState, total: int) -> None:
    out = ClaimRows()

    def flush(done: int) -> None:
        out.write(state.summary)
        state.progress("claims", done, total)

    for chunk, numbers in enumerate(chunk_ranges(total)):
        out.ids["claim"] = numbers.start
        draw_claims(state, _rng(state, chunk), numbers, _pools(state, chunk), out,
                    _drafts(chunk), flush)  # fmt: skip
        out.write(state.summary)


def _in_workers(state: BuildState, total: int, path: Path) -> Callable[[], None]:
    global _STATE
    scratch = Path(tempfile.mkdtemp(prefix=".demo-claims-", dir=path.parent))
    attached: list[str] = []

    def cleanup() -> None:
        for name in attached:
            with contextlib.suppress(Exception):
                db.execute_sql(f'DETACH DATABASE "{name}"')
        shutil.rmtree(scratch, ignore_errors=True)

    tasks = [(c, numbers, str(scratch / f"chunk{c}.db"))
             for c, numbers in enumerate(chunk_ranges(total))]  # fmt: skip
    _STATE = state
    gc.freeze()  # the forked workers share the patients' pages instead of copying them
    try:
        pool = multiprocessing.get_context("fork").Pool(WORKERS)  # the workers fork here
        results = pool.imap(_draw_chunk, tasks)
    except BaseException:
        _STATE = None
        gc.unfreeze()
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    state.after_build.append(pool.terminate)  # a build that failed before finish()
    state.after_build.append(cleanup)

    def finish() -> None:
        global _STATE
        offsets = dict.fromkeys(ClaimRows().ids, 0)
        try:
            with pool:
                for chunk, file, counts, ids in results:
                    name = f"demo_claims_{chunk}"
                    db.execute_sql(f'ATTACH DATABASE ? AS "{name}"', (file,))
                    attached.append(name)
                    _copy(name, offsets)
                    for kind, n in ids.items():
                        if kind != "claim":
                            offsets[kind] += n
                    for key, n in counts.items():
                        setattr(state.summary, key, getattr(state.summary, key) + n)
                    state.progress("claims", tasks[chunk][1].stop, total)
        finally:
            _STATE = None
            gc.unfreeze()

    return finish


def _copy(name: str, offsets: dict[str, int]) -> None:
    """Copy one attached chunk into the practice, its child ids moved past ``offsets``."""
    for model, fields, _rows in ClaimRows().tables():
        table = model._meta.table_name
        moved = _OFFSETS.get(table, {})
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        values = ", ".join(
            f'"{f.column_name}" + {int(offsets[moved[f.name]])}'
            if f.name in moved
            else f'"{f.column_name}"'
            for f in fields
        )
        db.execute_sql(
            f'INSERT INTO main."{table}" ({columns}) SELECT {values} FROM "{name}"."{table}" '
            "ORDER BY rowid"
        )


def _draw_chunk(task: tuple[int, range, str]) -> tuple[int, str, dict, dict]:
    """In a worker: draw one chunk into its own scratch file; its counts and id counters."""
    chunk, numbers, file = task
    state = _STATE
    assert state is not None
    out = ClaimRows()
    out.ids["claim"] = numbers.start
    summary = DemoSummary()
    con = sqlite3.connect(file, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    statements = []
    for model, fields, _rows in out.tables():
        table = model._meta.table_name
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        con.execute(f'CREATE TABLE "{table}" ({columns})')
        marks = ", ".join("?" * len(fields))
        statements.append(f'INSERT INTO "{table}" VALUES ({marks})')

    def flush(_done: int) -> None:
        con.execute("BEGIN")
        for sql, (_model, _fields, rows) in zip(statements, out.tables(), strict=True):
            con.executemany(sql, rows)
        con.execute("COMMIT")
        out.count(summary)

    draw_claims(state, _rng(state, chunk), numbers, _pools(state, chunk), out,
                _drafts(chunk), flush)  # fmt: skip
    flush(numbers.stop)
    con.close()
    counts = {key: getattr(summary, key) for key in _COUNTS}
    ids = dict(out.ids)
    return chunk, file, counts, ids
