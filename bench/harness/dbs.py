"""Demo databases for the bench, built once with ``medoffice demo`` and cached in bench/out/.

A cached file is reused only if it was built with the same patients/seed/today and
the same demo code, models and migrations (a fingerprint of those files), so a
change to the demo builder rebuilds it instead of measuring stale data.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.harness.core import OUT, PY, REPO, SEED, TODAY, DemoDb


def code_fingerprint() -> str:
    """The models', demo builder's and migrations' code: a change to any rebuilds."""
    digest = hashlib.sha256()
    paths = sorted((REPO / "medoffice_tui/db/models").glob("*.py"))
    paths += sorted((REPO / "medoffice_tui/demo").rglob("*.py"))
    paths += sorted((REPO / "medoffice_tui/db/migrations").glob("*.py"))
    for path in paths:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def demo_path(size: int) -> Path:
    return OUT / f"demo_{size}.db"


def _meta_path(db: Path) -> Path:
    return db.with_suffix(".json")


def ensure_demo(size: int, *, log=print) -> DemoDb:  # noqa: ANN001 - log is print-like
    """The demo database of ``size`` patients: reused if present with the same params."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = demo_path(size)
    params = {
        "patients": size,
        "seed": SEED,
        "today": TODAY.isoformat(),
        "code": code_fingerprint(),
    }
    meta_file = _meta_path(path)
    if path.exists() and meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("params") == params:
            return DemoDb(size, path, meta.get("build_s"), path.stat().st_size, cached=True)
    log(f"building demo database: {size:,} patients -> {path.name}")
    cmd = [
        PY, "-m", "medoffice_tui", "demo", "--db", str(path), "--patients", str(size),
        "--seed", str(SEED), "--today", TODAY.isoformat(), "--force", "--quiet",
    ]  # fmt: skip
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    build_s = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"medoffice demo failed ({proc.returncode}): {proc.stderr[-2000:]}")
    checkpoint(path)
    meta_file.write_text(json.dumps({"params": params, "build_s": build_s}, indent=2))
    return DemoDb(size, path, build_s, path.stat().st_size, cached=False)


def checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so the file size is the real size."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def copy_db(src: Path, dest: Path) -> Path:
    checkpoint(src)
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dest)
    return dest


def ensure_wide_schedule(base: DemoDb, providers: int = 20, *, log=print) -> Path:  # noqa: ANN001
    """A copy of ``base`` where ``providers`` providers all work today and tomorrow.

    Adds providers (with Mon-Fri hours) until there are ``providers`` active ones,
    each booked every 15-30 minutes from 8:00 to 17:00 on TODAY and TODAY+1.
    """
    dest = OUT / f"wide{providers}_{base.size}.db"
    meta_file = _meta_path(dest)
    params = {"base": base.path.name, "providers": providers, "code": code_fingerprint()}
    if dest.exists() and meta_file.exists() and json.loads(meta_file.read_text()) == params:
        return dest
    log(f"building {providers}-provider schedule copy of {base.path.name}")
    copy_db(base.path, dest)
    con = sqlite3.connect(dest, isolation_level=None)
    try:
        _add_providers(con, providers)
    finally:
        con.close()
    checkpoint(dest)
    meta_file.write_text(json.dumps(params))
    return dest


def _add_providers(con: sqlite3.Connection, target: int) -> None:
    rng = random.Random(SEED)
    have = con.execute("SELECT COUNT(*) FROM provider WHERE active").fetchone()[0]
    max_sort = con.execute("SELECT COALESCE(MAX(sort_order), 0) FROM provider").fetchone()[0]
    patient_ids = [r[0] for r in con.execute("SELECT id FROM patient WHERE active LIMIT 5000")]
    type_ids = [r[0] for r in con.execute("SELECT id FROM appointment_type")] or [None]
    con.execute("BEGIN IMMEDIATE")
    for i in range(max(0, target - have)):
        cur = con.execute(
            "INSERT INTO provider (first_name, last_name, credential, npi, taxonomy, color, "
            "sort_order, active) VALUES (?, ?, 'MD', ?, '', '', ?, 1)",
            (f"Bench{i:02d}", f"Extra{i:02d}", f"99{i:08d}", max_sort + 1 + i),
        )
        pid = cur.lastrowid
        for weekday in range(5):
            con.execute(
                "INSERT INTO provider_hours (provider_id, weekday, start_time, end_time) "
                "VALUES (?, ?, '08:00:00', '17:00:00')",
                (pid, weekday),
            )
        for day in (TODAY, TODAY + timedelta(days=1)):
            _book_day(con, rng, pid, day, patient_ids, type_ids)
    con.execute("COMMIT")


def _book_day(con, rng, provider_id, day: date, patient_ids, type_ids) -> None:  # noqa: ANN001
    at = datetime.combine(day, datetime.min.time()).replace(hour=8)
    close = at.replace(hour=17)
    now = datetime(2026, 11, 23, 8, 0)
    while at < close:
        minutes = rng.choice((15, 15, 30))
        end = min(at + timedelta(minutes=minutes), close)
        con.execute(
            'INSERT INTO appointment (patient_id, provider_id, appt_type_id, "start", "end", '
            "reason, status, booked_at, cancel_reason, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, 'follow-up', 'booked', ?, '', ?, 1)",
            (
                rng.choice(patient_ids), provider_id, rng.choice(type_ids),
                at.isoformat(sep=" "), end.isoformat(sep=" "), now.isoformat(sep=" "),
                now.isoformat(sep=" "),
            ),
        )  # fmt: skip
        at = end
