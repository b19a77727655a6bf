"""``medoffice schedule reminders``: the confirmation list as CSV from the command line."""

from __future__ import annotations

import csv
import io
import stat

import pytest

from medoffice_tui import cli, clock
from medoffice_tui.db.connection import close_database
from medoffice_tui.db.models import AuditEvent


@pytest.fixture
def demo_db(tmp_path):  # noqa: ANN201 - a path
    path = tmp_path / "demo.db"
    code = cli.main(["demo", "--db", str(path), "--patients", "60", "--quiet", "--force",
                     "--today", "2026-11-23"])  # fmt: skip
    assert code == 0
    close_database()
    yield str(path)
    close_database()
    clock.pin()


def test_reminders_to_a_new_owner_only_file(demo_db, tmp_path, capsys) -> None:
    out = tmp_path / "calls.csv"
    argv = ["schedule", "reminders", "--db", demo_db, "--today", "2026-11-23", "--out", str(out)]
    assert cli.main(argv) == 0
    err = capsys.readouterr().err
    assert "to confirm on Tue 2026-11-24" in err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(out.open()))
    assert rows[0][:3] == ["time", "provider", "patient"] and len(rows) > 1
    assert all(r[0].startswith("2026-11-24") for r in rows[1:])
    assert AuditEvent.select().where(AuditEvent.action == "export").count() == 1
    # never over an existing file
    assert cli.main(argv) == 2
    assert "exists already" in capsys.readouterr().err


def test_reminders_for_a_day_typed_forgivingly_to_stdout(demo_db, capsys, monkeypatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    argv = ["schedule", "reminders", "--db", demo_db, "--today", "2026-11-23", "--day",
            "next tue", "--out", "-"]  # fmt: skip
    assert cli.main(argv) == 0
    lines = buffer.getvalue().splitlines()
    assert lines[0].startswith("time,provider") and lines[1].startswith("2026-12-01")
    bad = ["schedule", "reminders", "--db", demo_db, "--day", "someday", "--out", "-"]
    assert cli.main(bad) == 2
    assert "not a day" in capsys.readouterr().err
