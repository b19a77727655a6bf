"""Online backups: a consistent SQLite file (VACUUM INTO), a pg_dump custom-format archive."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database, make_database, open_database
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import upgrade
from tests.db.practice_data import build_practice, dump


def _dump_file(path) -> dict[str, list[tuple]]:
    database = make_database(f"sqlite:///{path}")
    database.connect()
    try:
        return dump(database)
    finally:
        database.close()


def test_sqlite_backup_has_every_row_and_skips_uncommitted_work(sqlite_database, tmp_path) -> None:
    build_practice(patients=15)
    expected = dump(sqlite_database)
    # another desk is in the middle of a write: the backup must not wait for it or include it
    other = sqlite3.connect(sqlite_database.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM appointment")  # (audit_event refuses deletes: migration 0012)
    dest = tmp_path / "backups" / "office-backup.db"
    dest.parent.mkdir()

    engine_for(sqlite_database).backup(dest)

    other.execute("ROLLBACK")
    other.close()
    assert not (dest.parent / "office-backup.db.partial").exists()
    assert _dump_file(dest) == expected
    assert sqlite3.connect(dest).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backup_command_on_sqlite(tmp_path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    database = open_database(url)
    upgrade(database)
    build_practice(patients=5)
    expected = dump(database)
    close_database()
    dest = tmp_path / "copy.db"
    try:
        assert cli.main(["backup", "--db-url", url, str(dest)]) == 0
    finally:
        close_database()
    assert "backup written" in capsys.readouterr().out
    assert _dump_file(dest) == expected


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not on PATH")
def test_postgres_backup_is_a_custom_format_dump_of_the_practice(pg_url, tmp_path) -> None:
    database = open_database(pg_url)
    try:
        upgrade(database)
        build_practice(patients=5)
        dest = tmp_path / "office.pgdump"
        engine_for(database).backup(dest)
    finally:
        close_database()
    data = dest.read_bytes()
    assert data.startswith(b"PGDMP") and len(data) > 1000
    if shutil.which("pg_restore"):
        listing = subprocess.run(
            ["pg_restore", "--list", str(dest)], check=True, capture_output=True, text=True
        ).stdout
        schema = pg_url.rsplit("schema=", 1)[1]
        assert f"TABLE DATA {schema} patient" in listing
        assert f"TABLE DATA {schema} appointment" in listing
        # only this practice's schema is in it, not every schema on the server
        assert "TABLE DATA public" not in listing
