"""Files that can hold patient data are owner-only under the usual umask 022: the
database, its -wal and -shm, SQLite and pg_dump backups, audit exports, the error log."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from medoffice_tui import cli, errorlog, files
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.migrate import upgrade
from medoffice_tui.services import staff
from tests.conftest import init_practice


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_sqlite_database_and_its_wal_and_shm_are_owner_only(tmp_path) -> None:
    path = tmp_path / "practice.db"
    database = open_database(f"sqlite:///{path}")
    try:
        upgrade(database)
        staff.add_user(staff.system_actor(), "amy", "Amy", "manager", "amy-pass-1")
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()  # the connection is open: WAL in use
        assert mode(path) == mode(wal) == mode(shm) == 0o600
        assert files.looser_than_allowed(path) is None
    finally:
        close_database()


def test_a_sqlite_backup_is_owner_only(tmp_path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        upgrade(database)
        dest = tmp_path / "backup.db"
        engine_for(database).backup(dest)
        assert mode(dest) == 0o600
        assert not (tmp_path / "backup.db.partial").exists()
    finally:
        close_database()


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not on PATH")
def test_a_pg_dump_backup_is_owner_only(pg_url, tmp_path) -> None:
    database = open_database(pg_url)
    try:
        upgrade(database)
        dest = tmp_path / "backup.pgdump"
        engine_for(database).backup(dest)
        assert dest.stat().st_size > 0 and mode(dest) == 0o600
    finally:
        close_database()


def test_the_error_log_and_its_folder_are_owner_only(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(errorlog.ENV_LOG_DIR, str(tmp_path / "logs"))
    try:
        raise ValueError("Jane Roe 555-0199")
    except ValueError as exc:
        error_id = errorlog.report(exc, "test")
    log = errorlog.log_path()
    assert mode(log) == 0o600 and mode(log.parent) == 0o700
    text = log.read_text()
    assert error_id in text and "ValueError" in text and "Jane" not in text and "0199" not in text


def test_an_audit_export_is_owner_only_and_never_overwrites(tmp_path, capsys, monkeypatch) -> None:
    db = init_practice(tmp_path / "p.db", monkeypatch)
    out = tmp_path / "audit.csv"
    assert cli.main(["audit", "export", "--out", str(out), "--db", str(db)]) == 0
    assert mode(out) == 0o600
    capsys.readouterr()
    assert cli.main(["audit", "export", "--out", str(out), "--db", str(db)]) == 2
    assert "exists already" in capsys.readouterr().err


def test_check_reports_a_looser_database_file(tmp_path, capsys, monkeypatch) -> None:
    db = init_practice(tmp_path / "p.db", monkeypatch)
    os.chmod(db, 0o644)
    assert cli.main(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "mode 0644" in out and "0600" in out


def test_a_shared_group_gives_group_access(tmp_path) -> None:
    import grp

    group = grp.getgrgid(os.getgid()).gr_name
    files.set_group(group)
    try:
        made = files.secure_file(tmp_path / "shared.db")
        folder = files.secure_dir(tmp_path / "shared")
        assert mode(made) == 0o660 and mode(folder) == 0o2770
        assert files.looser_than_allowed(made) is None
    finally:
        files.set_group("")
    assert files.looser_than_allowed(made) is not None  # too loose for owner-only
    with pytest.raises(ValueError, match="no OS group"):
        files.set_group("no-such-group-here")
