"""Opening a database, and every command's bad input: one line, exit 2, files untouched.

A new practice comes only from ``medoffice init`` or ``medoffice demo``; a missing
folder, an empty --db, a text file, another program's SQLite file, a database from a
newer app, absurd demo sizes, out-of-range dates and failing backups are all refused
with a message that says what to do, and leave every file as it was.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import sys
from pathlib import Path

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database
from tests.conftest import init_practice


@pytest.fixture(autouse=True)
def _closed():  # noqa: ANN202
    yield
    close_database()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, argv: list[str]) -> tuple[int, str]:  # noqa: ANN001
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def make_practice(path: Path, monkeypatch) -> None:  # noqa: ANN001
    init_practice(path, monkeypatch)


def test_init_creates_a_private_practice_with_a_manager(tmp_path, capsys, monkeypatch) -> None:
    db = tmp_path / "p.db"
    make_practice(db, monkeypatch)
    assert db.exists() and (db.stat().st_mode & 0o777) == 0o600
    code, err = run(capsys, ["users", "list", "--db", str(db)])
    assert code == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("other-pass-123\n"))
    again = ["init", "--db", str(db), "--practice-name", "Again", "--manager", "boss2",
             "--manager-name", "B", "--password-stdin"]  # fmt: skip
    code, err = run(capsys, again)
    assert code == 2 and "already has a practice" in err


def test_a_missing_database_is_an_error_not_a_new_practice(tmp_path, capsys) -> None:
    db = str(tmp_path / "x.db")
    for argv in (["--db", db], ["users", "list", "--db", db], ["db", "upgrade", "--db", db]):
        code, err = run(capsys, argv)
        assert code == 2 and "medoffice init" in err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_an_error_that_says_what_to_do(tmp_path, capsys) -> None:
    where = tmp_path / "no" / "such" / "x.db"
    for argv in (["--db", str(where)], ["demo", "--db", str(where)], ["init", "--db", str(where)]):
        code, err = run(capsys, argv)
        assert code == 2 and "does not exist" in err and "mkdir -p" in err
    assert not (tmp_path / "no").exists()


def test_an_empty_db_option_is_an_error(capsys) -> None:
    code, err = run(capsys, ["--db", ""])
    assert code == 2 and "--db needs a file path" in err
    code, err = run(capsys, ["users", "list", "--db-url", " "])
    assert code == 2 and "--db-url needs a URL" in err


def test_a_text_file_is_refused_and_never_deleted(tmp_path, capsys) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    before = digest(notes)
    for argv in (["--db", str(notes)], ["db", "upgrade", "--db", str(notes)],
                 ["demo", "--force", "--db", str(notes)], ["backup", "--db", str(notes),
                 str(tmp_path / "b.db")]):  # fmt: skip
        code, err = run(capsys, argv)
        assert code == 2 and "is not a SQLite database" in err
    assert digest(notes) == before and not (tmp_path / "b.db").exists()


def test_another_programs_sqlite_file_is_left_untouched(tmp_path, capsys) -> None:
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = digest(other)
    for argv in (["--db", str(other)], ["db", "upgrade", "--db", str(other)],
                 ["demo", "--db", str(other)], ["demo", "--force", "--db", str(other)],
                 ["backup", "--db", str(other), str(tmp_path / "b.db")],
                 ["check", "--db", str(other)]):  # fmt: skip
        code, err = run(capsys, argv)
        assert code == 2 and "another program's SQLite database" in err
    assert digest(other) == before
    assert {p.name for p in tmp_path.iterdir()} == {"other.db"}


def test_a_database_from_a_newer_app_is_refused_with_its_version(
    tmp_path, capsys, monkeypatch
) -> None:
    db = tmp_path / "p.db"
    make_practice(db, monkeypatch)
    con = sqlite3.connect(db)
    con.execute(
        "INSERT INTO schema_migration (name, applied) VALUES ('0999_from_the_future', '2030-01-01')"
    )  # noqa: E501
    con.commit()
    con.close()
    before = digest(db)
    for argv in (["--db", str(db)], ["db", "upgrade", "--db", str(db)],
                 ["users", "list", "--db", str(db)]):  # fmt: skip
        code, err = run(capsys, argv)
        assert code == 2 and "newer medoffice" in err and "0999_from_the_future" in err
    assert digest(db) == before


def test_demo_refuses_sizes_the_disk_cannot_hold_and_dates_out_of_range(tmp_path, capsys) -> None:
    db = tmp_path / "d.db"
    code, err = run(capsys, ["demo", "--patients", "1000000000000", "--db", str(db)])
    assert code == 2 and "GB free" in err and not db.exists()
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["demo", "--today", "9999-12-31", "--db", str(db)])
    assert exit_info.value.code == 2
    assert "between 1900 and 2199" in capsys.readouterr().err
    assert not db.exists()


def test_backup_failures_are_one_line_and_leave_nothing(tmp_path, capsys, monkeypatch) -> None:
    db = tmp_path / "p.db"
    make_practice(db, monkeypatch)
    code, err = run(capsys, ["backup", "--db", str(db), str(tmp_path / "no" / "b.db")])
    assert code == 2 and "does not exist" in err
    existing = tmp_path / "taken.db"
    existing.write_text("keep me")
    code, err = run(capsys, ["backup", "--db", str(db), str(existing)])
    assert code == 2 and "exists already" in err and existing.read_text() == "keep me"


def test_postgres_backup_without_pg_dump_is_a_clear_error(pg_url, tmp_path, capsys, monkeypatch):
    from medoffice_tui.db import open_database
    from medoffice_tui.db.migrate import upgrade

    upgrade(open_database(pg_url))
    close_database()
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump anywhere on it
    code, err = run(capsys, ["backup", "--db-url", pg_url, str(tmp_path / "b.dump")])
    assert code == 2 and "need pg_dump on PATH" in err
    assert not list(tmp_path.glob("b.dump*"))


def test_db_copy_from_a_missing_file_leaves_nothing_behind(tmp_path, capsys) -> None:
    source, target = tmp_path / "missing.db", tmp_path / "t.db"
    code, err = run(capsys, ["db", "copy", "--from", f"sqlite:///{source}",
                             "--to", f"sqlite:///{target}", "--quiet"])  # fmt: skip
    assert code == 2 and "no practice" in err
    assert not source.exists() and not target.exists()
