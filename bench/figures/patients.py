"""Patients: search per keystroke for each query form and for a misspelt name, beside the
raw indexed query as the floor; the old FTS5 trigram typo search beside the new name
vocabulary (the options measured); bounded cost for odd input; record open and save;
a registration's duplicate check (name + DOB, close name, any phone against any phone);
all of it at every size of the run, the largest included (1,000,000 in ``make
bench-full``); importing 10,000 and 100,000 rows into an empty practice, and 100,000
into a copy of the largest practice of the run (its duplicate check against every
patient on file): time and peak memory, in a child process each.

Everything runs in-process on the cached demo databases, warm, through the services'
own calls; saves run inside a transaction that is rolled back, so the cached database
is left as it was.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import random
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.figures.service_paths import search_queries, search_sql
from bench.harness.core import OUT, PY, REPO, Ctx, Result, figure
from bench.harness.practice import desk_actor, open_practice
from bench.harness.stats import summarize, time_calls

SEARCH_TARGET_MS = 10.0
TYPO_TARGET_MS = 50.0
IMPORT_SIZES = (10_000, 100_000)

_OLD_FTS = "old_patient_name_fts"


def _ok(result: Result, target_ms: float) -> Result:
    result.target = f"p95 < {target_ms:.0f} ms"
    p95 = result.stats.get("p95")
    result.ok = None if p95 is None else p95 < target_ms
    return result


def _floor(con: sqlite3.Connection, statements: list, calls: int) -> dict:
    def run() -> None:
        for sql, params in statements:
            con.execute(sql, params).fetchall()

    return {"name": "raw indexed query, sqlite3", **summarize(time_calls(run, repeat=calls))}


def _keystrokes(text: str) -> list[str]:
    return [text[:n] for n in range(1, len(text) + 1) if text[:n].strip()]


def _typo(word: str) -> str:
    """``word`` with its first two different neighbouring letters swapped."""
    for i in range(1, len(word) - 1):
        if word[i] != word[i + 1]:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word + word[-1:]


@contextlib.contextmanager
def _rolled_back() -> Iterator[None]:
    from medoffice_tui.db.connection import db

    with db.atomic() as txn:
        yield
        txn.rollback()


def _old_fts(con: sqlite3.Connection) -> Callable[[str], list]:
    """The FTS5 trigram OR MATCH ordered by bm25 that schemas 3-6 used, rebuilt in memory
    from this database's names (the option the vocabulary replaced)."""
    con.execute("ATTACH ':memory:' AS old")
    con.execute(f"CREATE VIRTUAL TABLE old.{_OLD_FTS} USING fts5(name, content='', "
                "tokenize='trigram')")  # fmt: skip
    con.execute(f"INSERT INTO old.{_OLD_FTS}(rowid, name) SELECT id, '  ' || last_norm || "
                "'   ' || first_norm || ' ' FROM patient")  # fmt: skip

    def search(text: str) -> list:
        grams = set()
        for token in text.lower().split():
            padded = f"  {token} "
            grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
        grams.discard("   ")
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in sorted(grams))
        return con.execute(
            f"SELECT p.id, p.last_norm, p.first_norm FROM (SELECT rowid AS id FROM "
            f"old.{_OLD_FTS} WHERE {_OLD_FTS} MATCH ? ORDER BY bm25({_OLD_FTS}) LIMIT 500) "
            "AS hit JOIN patient p ON p.id = hit.id",
            (match,),
        ).fetchall()

    return search


def _search_forms(ctx: Ctx, size: int, con: sqlite3.Connection, repeat: int) -> None:
    from medoffice_tui.services.patients import search_patients

    queries, params = search_queries(con)
    for label, text in queries.items():
        samples: list[float] = []
        for typed in _keystrokes(text):
            samples += time_calls(
                lambda t=typed: search_patients(t, close_matches="auto", details=True),
                repeat=repeat, warmup=1, budget_s=0.5, min_repeat=3,
            )  # fmt: skip
        floor = _floor(con, search_sql(*params[label]), repeat * 4)
        ctx.add(_ok(Result("patients", f"search per keystroke: {label}", "ms", summarize(samples),
                           size=size, floor=floor, note=f"every prefix of {text!r}"),
                    SEARCH_TARGET_MS))  # fmt: skip


def _misspelt(ctx: Ctx, size: int, con: sqlite3.Connection, repeat: int) -> None:
    from medoffice_tui.db.connection import db
    from medoffice_tui.db.engines.name_index import fuzzy_patient_ids
    from medoffice_tui.services.patients import search_patients

    rng = random.Random(size)
    n = con.execute("SELECT MAX(id) FROM patient").fetchone()[0]
    names = []
    while len(names) < 5:
        row = con.execute(
            "SELECT last_norm, first_norm FROM patient WHERE id = ? AND active",
            (rng.randrange(1, n),),
        ).fetchone()
        if row and len(row[0]) > 3 and len(row[1]) > 3 and row[0].isalpha():
            names.append((row[0], row[1]))
    typed_forms = [f"{_typo(first)} {_typo(last)}" for last, first in names]
    per_key: list[float] = []
    for text in typed_forms:
        for typed in _keystrokes(text):
            per_key += time_calls(
                lambda t=typed: search_patients(t, close_matches="auto", details=True),
                repeat=repeat, warmup=1, budget_s=0.5, min_repeat=3,
            )  # fmt: skip
    final_floor: list = []
    for last, first in names:
        final_floor.append((
            "SELECT id, last_norm, first_norm FROM patient WHERE last_norm IN (?, ?) AND "
            "first_norm IN (?, ?) AND active = 1 ORDER BY last_norm, first_norm, id LIMIT 20",
            (last, first, last, first),
        ))  # fmt: skip
    floor = _floor(con, final_floor, repeat * 4)
    ctx.add(_ok(Result("patients", "misspelt name, per keystroke (search + close matches)", "ms",
                       summarize(per_key), size=size, floor=floor,
                       note="e.g. " + repr(typed_forms[0])),
                TYPO_TARGET_MS))  # fmt: skip
    whole = []
    for text in typed_forms:
        whole += time_calls(lambda t=text: fuzzy_patient_ids(db.obj, t, 20), repeat=repeat * 2)
    ctx.add(_ok(Result("patients", "misspelt name: the typo lookup alone (name vocabulary)", "ms",
                       summarize(whole), size=size, floor=floor), TYPO_TARGET_MS))  # fmt: skip
    old = _old_fts(con)
    old_samples = []
    for text in typed_forms:
        old_samples += time_calls(lambda t=text: old(t), repeat=max(3, repeat // 2), budget_s=3.0)
    ctx.add(Result("patients", "option measured: the old FTS5 trigram OR-match + bm25", "ms",
                   summarize(old_samples), size=size, floor=floor,
                   note="schemas 3-6; rebuilt in memory for the comparison"))  # fmt: skip
    for label, text in (("10,000 characters", "x" * 10_000), ("500 words", "smith " * 500),
                        ("lone surrogate", "12\ud800"), ("NUL", "smi\x00th")):  # fmt: skip
        samples = time_calls(lambda t=text: search_patients(t, close_matches=True), repeat=repeat)
        ctx.add(_ok(Result("patients", f"odd input: {label}", "ms", summarize(samples),
                           size=size), TYPO_TARGET_MS))  # fmt: skip


def _record(ctx: Ctx, size: int, con: sqlite3.Connection, repeat: int) -> None:
    from medoffice_tui.db.models import Patient
    from medoffice_tui.services import patients

    actor = desk_actor()
    rng = random.Random(7)
    n = con.execute("SELECT MAX(id) FROM patient").fetchone()[0]
    ids = [rng.randrange(1, n) for _ in range(repeat * 4)]
    it = iter(ids * 10)
    with _rolled_back():
        opened = time_calls(lambda: patients.get_patient(actor, next(it)), repeat=len(ids))
    one = (ids[0],)
    floor_sql = [
        ("SELECT * FROM patient WHERE id = ?", one),
        ("SELECT * FROM coverage WHERE patient_id = ?", one),
        ("SELECT * FROM allergy WHERE patient_id = ?", one),
        ("SELECT * FROM appointment WHERE patient_id = ? ORDER BY start", one),
    ]
    ctx.add(_ok(Result("patients", "record open (every section, an audited view)", "ms",
                       summarize(opened), size=size, floor=_floor(con, floor_sql, repeat * 4)),
                16.0))  # fmt: skip
    target = ids[0]
    saves = []
    with _rolled_back():
        for i in range(repeat * 4):
            version = Patient.select(Patient.version).where(Patient.id == target).scalar()
            phone = f"(312) 555-{1000 + i:04d}"
            t0 = time.perf_counter_ns()
            patients.update_patient(actor, target, version, phone_mobile=phone)
            saves.append((time.perf_counter_ns() - t0) / 1e6)
    ctx.add(_ok(Result("patients", "demographics save (version check, audit event)", "ms",
                       summarize(saves[2:]), size=size), 16.0))  # fmt: skip


def _duplicate_check(ctx: Ctx, size: int, con: sqlite3.Connection, repeat: int) -> None:
    """A registration's duplicate check for people on file (every rule finds something):
    the same last name and DOB, a close spelling, a phone on file as the home number."""
    from medoffice_tui.services.patients.duplicates import find_duplicates

    rng = random.Random(size + 1)
    n = con.execute("SELECT MAX(id) FROM patient").fetchone()[0]
    people = []
    while len(people) < 8:
        row = con.execute(
            "SELECT last_norm, first_norm, dob, phone_mobile FROM patient WHERE id = ?",
            (rng.randrange(1, n + 1),),
        ).fetchone()
        if row and row[3]:
            people.append(row)
    typed = [
        {"last_norm": last, "first_norm": _typo(first), "dob": dt.date.fromisoformat(str(dob)),
         "phone_home": phone, "phone_mobile": "(773) 555-0100"}
        for last, first, dob, phone in people
    ]  # fmt: skip
    it = iter(typed * (repeat * 40))
    samples = time_calls(lambda: find_duplicates(next(it)), repeat=len(typed) * repeat)
    floor_sql = []
    for values in typed[:1]:
        keys = (values["phone_home"], values["phone_mobile"])
        floor_sql += [
            ("SELECT id FROM patient WHERE last_norm = ? AND dob = ? ORDER BY id LIMIT 50",
             (values["last_norm"], values["dob"].isoformat())),
            ("SELECT id, last_norm, first_norm FROM patient WHERE dob = ? ORDER BY id LIMIT 200",
             (values["dob"].isoformat(),)),
            ("SELECT id FROM patient WHERE phone_mobile IN (?, ?) OR phone_home IN (?, ?) "
             "OR phone_work IN (?, ?) ORDER BY id LIMIT 200", keys * 3),
        ]  # fmt: skip
    ctx.add(_ok(Result("patients", "registration duplicate check (name+DOB, close name, phones)",
                       "ms", summarize(samples), size=size,
                       floor=_floor(con, floor_sql, repeat * 4),
                       note="any phone typed against mobile, home and work on file"),
                SEARCH_TARGET_MS))  # fmt: skip


def _write_import_file(path: Path, rows: int) -> None:
    from medoffice_tui.demo.reference.population import FEMALE_FIRST, LAST_NAMES, MALE_FIRST
    from medoffice_tui.services.patients.mapping import EXPORT_COLUMNS

    rng = random.Random(rows)
    firsts = FEMALE_FIRST + MALE_FIRST
    # a few thousand distinct surnames, first names from the demo's lists: a real panel's mix
    suffixes = ("", "son", "er", "ski", "ez", "ova", "ini", "berg")
    lasts = [f"{last}{suffix}" for last in LAST_NAMES for suffix in suffixes]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for i in range(rows):
            row = dict.fromkeys(EXPORT_COLUMNS, "")
            row.update(
                last_name=rng.choice(lasts), first_name=rng.choice(firsts),
                dob=(dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(33_000))).isoformat(),
                sex="FM"[i % 2],
                phone_mobile=f"(312) {200 + i % 700}-{i % 10000:04d}", city="Chicago",
                state="IL", zip="60613", external_id=f"bench-{i}", active="true",
            )  # fmt: skip
            writer.writerow([row[c] for c in EXPORT_COLUMNS])


_IMPORT_CHILD = """
import json, resource, sys, time, datetime as dt
from medoffice_tui import clock
from medoffice_tui.db import open_database
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.services.staff import system_actor
from medoffice_tui.services.patients import importing
clock.pin(now=dt.datetime(2026, 11, 23, 10, 30))
db = open_database("sqlite:///" + sys.argv[1]); upgrade(db)
actor = system_actor(via="bench")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
report = importing.check_import(actor, sys.argv[2])
t1 = time.perf_counter()
done = importing.import_patients(actor, sys.argv[2], expected_rows=report.rows)
t2 = time.perf_counter()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"check_s": t1 - t0, "import_s": t2 - t1, "rows": done.created,
                  "rss_before_kb": before, "rss_peak_kb": after}))
"""


def _import_into(ctx: Ctx, rows: int, csv_path: Path, practice: Path | None) -> dict | None:
    """Import ``csv_path`` in a child process into a new empty practice, or into a copy of
    ``practice`` (the copy is deleted afterwards). Returns the child's figures."""
    target = OUT / f"patients_import_{rows}{'_into' if practice else ''}.db"
    suffixes = ("", "-wal", "-shm", ".migrate-lock")
    for suffix in suffixes:
        Path(str(target) + suffix).unlink(missing_ok=True)
    try:
        if practice is not None:  # a consistent copy of the cached practice
            src = sqlite3.connect(f"file:{practice}?mode=ro", uri=True)
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        proc = subprocess.run([PY, "-c", _IMPORT_CHILD, str(target), str(csv_path)], cwd=REPO,
                              capture_output=True, text=True)  # fmt: skip
    finally:
        for suffix in suffixes:
            Path(str(target) + suffix).unlink(missing_ok=True)
    if proc.returncode != 0:
        where = "a copy of the largest practice" if practice else "an empty practice"
        ctx.findings.append(
            f"patients import of {rows:,} rows into {where} failed: {proc.stderr[-400:]}"
        )
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _add_import(ctx: Ctx, rows: int, info: dict, label: str, size: int) -> None:
    grown = (info["rss_peak_kb"] - info["rss_before_kb"]) / 1024
    ctx.add(Result("patients", f"import {rows:,} rows{label}: check + commit", "s",
                   summarize([info["check_s"] + info["import_s"]]), size=size,
                   note=f"check {info['check_s']:.1f} s, commit {info['import_s']:.1f} s, "
                   f"{rows / max(info['import_s'], 1e-9):,.0f} rows/s committed"))  # fmt: skip
    ctx.add(Result("patients", f"import {rows:,} rows{label}: peak memory added", "MB",
                   summarize([grown]), size=size,
                   note=f"peak RSS {info['rss_peak_kb'] / 1024:.0f} MB"))  # fmt: skip


def _imports(ctx: Ctx, largest: int) -> None:
    results = {}
    for rows in IMPORT_SIZES:
        csv_path = OUT / f"patients_import_{rows}.csv"
        _write_import_file(csv_path, rows)
        info = _import_into(ctx, rows, csv_path, None)
        if info is not None:
            results[rows] = info
            _add_import(ctx, rows, info, "", rows)
    # the largest import into the largest practice of the run: the duplicate check reads
    # the patients on file who share a chunk's birth dates and phones
    rows = IMPORT_SIZES[-1]
    info = _import_into(ctx, rows, OUT / f"patients_import_{rows}.csv", ctx.dbs[largest].path)
    if info is not None:
        _add_import(ctx, rows, info, f" into {largest:,} patients", largest)
    if len(results) == 2:
        small, large = (results[r] for r in IMPORT_SIZES)
        ratio = (large["rss_peak_kb"] - large["rss_before_kb"] + 1) / (
            small["rss_peak_kb"] - small["rss_before_kb"] + 1
        )
        ctx.findings.append(
            f"patient import: 10x the rows took {ratio:.2f}x the added peak memory "
            "(flat: one chunk of rows and a temporary key file, whatever the length)"
        )


@figure("patients", order=40)
def patients_figure(ctx: Ctx) -> None:
    """Patient search per keystroke (each form, misspelt names) beside the raw indexed query,
    the old typo search for comparison, odd input, record open and save, the duplicate
    check, at every size of the run (the largest included); CSV import of 10,000 and
    100,000 rows, and 100,000 into a copy of the largest practice."""
    from medoffice_tui.db import close_database

    repeat = max(3, ctx.repeat * 2)
    for size in ctx.sizes:
        path = ctx.dbs[size].path
        open_practice(path)
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        con.execute("PRAGMA cache_size = -16000")
        try:
            _search_forms(ctx, size, con, repeat)
            _misspelt(ctx, size, con, repeat)
            _record(ctx, size, con, repeat)
            _duplicate_check(ctx, size, con, repeat)
        finally:
            con.close()
            close_database()
        ctx.log(f"  patients figure at {size:,} done")
    _imports(ctx, ctx.largest)
