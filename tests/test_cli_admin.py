"""``medoffice users``, ``audit``, ``check`` and ``settings`` from the command line."""

from __future__ import annotations

import io
import sys

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.connection import db as proxy
from medoffice_tui.db.engines import engine_for
from medoffice_tui.db.models import AuditEvent, User
from medoffice_tui.db.write_guard import writing_as
from medoffice_tui.services import staff


@pytest.fixture
def db(tmp_path):  # noqa: ANN201 - a path
    """A migrated practice database with no practice row and no staff yet."""
    from medoffice_tui.db.migrate import upgrade

    path = tmp_path / "p.db"
    upgrade(open_database(f"sqlite:///{path}"))
    close_database()
    yield str(path)
    close_database()


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:  # noqa: ANN001
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_users_add_list_passwd_disable_enable_unlock(db, capsys, monkeypatch) -> None:
    add = ("users", "add", "Amy", "--name", "Amy Adams", "--role", "manager", "--db", db,
           "--password-stdin")  # fmt: skip
    code, out, _ = run(capsys, *add, stdin="amy-pass-123\n", monkeypatch=monkeypatch)
    assert code == 0 and "added amy (Manager)" in out
    add_bob = ("users", "add", "bob", "--name", "Bob B", "--role", "front_desk", "--db", db,
               "--password-stdin")  # fmt: skip
    assert run(capsys, *add_bob, stdin="bob-pass-123\n", monkeypatch=monkeypatch)[0] == 0
    code, out, _ = run(capsys, "users", "list", "--db", db)
    assert code == 0 and "amy" in out and "Front desk" in out and "system" not in out
    stored = open_database(f"sqlite:///{db}")
    assert staff.sign_in("bob", "bob-pass-123")
    close_database()
    passwd = ("users", "passwd", "bob", "--db", db, "--password-stdin")
    assert run(capsys, *passwd, stdin="bob-new-pass\n", monkeypatch=monkeypatch)[0] == 0
    assert run(capsys, "users", "disable", "bob", "--db", db)[1].strip() == "bob is disabled"
    assert run(capsys, "users", "enable", "bob", "--db", db)[1].strip() == "bob is active"
    stored = open_database(f"sqlite:///{db}")
    with writing_as("test:fixture"):
        User.update(failed_logins=5, locked_until="2999-01-01 00:00:00").where(
            User.username == "bob"
        ).execute()
    close_database()
    assert run(capsys, "users", "unlock", "bob", "--db", db)[1].strip() == "bob is active"
    stored = open_database(f"sqlite:///{db}")
    assert staff.sign_in("bob", "bob-new-pass")
    cli_events = [e.detail for e in AuditEvent.select().where(AuditEvent.detail.contains("cli:"))]
    assert len(cli_events) >= 5  # each command is audited as the system account via cli
    assert stored is not None


def test_bad_input_is_one_line_and_exit_2(db, capsys, monkeypatch) -> None:
    add = ("users", "add", "x", "--name", "X", "--role", "billing", "--db", db,
           "--password-stdin")  # fmt: skip
    code, _, err = run(capsys, *add, stdin="pw\n", monkeypatch=monkeypatch)
    assert code == 2 and err.startswith("error: a username is 2-40") and "Traceback" not in err
    add = ("users", "add", "xavier", "--name", "X", "--role", "billing", "--db", db,
           "--password-stdin")  # fmt: skip
    code, _, err = run(capsys, *add, stdin="pw\n", monkeypatch=monkeypatch)
    assert code == 2 and "at least 8 characters" in err and "pw" not in err.split(":", 1)[1]
    code, _, err = run(capsys, "users", "disable", "nobody", "--db", db)
    assert code == 2 and "no staff account" in err
    with pytest.raises(SystemExit):
        cli.main(["users", "add", "zed", "--name", "Z", "--role", "janitor", "--db", db])


def test_audit_list_export_and_verify(db, capsys, monkeypatch, tmp_path) -> None:
    add = ("users", "add", "amy", "--name", "Amy", "--role", "manager", "--db", db,
           "--password-stdin")  # fmt: skip
    run(capsys, *add, stdin="amy-pass-123\n", monkeypatch=monkeypatch)
    code, out, _ = run(capsys, "audit", "list", "--db", db, "--action", "create")
    assert code == 0 and "create" in out and "user#" in out
    code, out, _ = run(capsys, "audit", "verify", "--db", db)
    assert code == 0 and out.startswith("audit chain intact")
    out_file = tmp_path / "a.csv"
    code, _, err = run(capsys, "audit", "export", "--out", str(out_file), "--db", db)
    assert code == 0 and "exported" in err and out_file.read_text().startswith("id,time_utc")
    code, _, err = run(capsys, "audit", "list", "--db", db, "--user", "ghost")
    assert code == 2 and "no staff account" in err
    code, _, err = run(capsys, "audit", "list", "--db", db, "--patient", "M404")
    assert code == 2 and "no patient" in err
    # tamper, then verify names the event and exits 1
    open_database(f"sqlite:///{db}")
    with writing_as("test:tamper"), proxy.atomic(), engine_for().lifted_audit_guard():
        AuditEvent.update(detail="edited").where(AuditEvent.id == 1).execute()
    close_database()
    code, out, _ = run(capsys, "audit", "verify", "--db", db)
    assert code == 1 and "BROKEN at event #1" in out


def test_check_passes_on_a_fresh_practice_and_reports_problems(db, capsys, monkeypatch) -> None:
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 1 and "no staff account can sign in" in out  # nobody to sign in yet
    add = ("users", "add", "amy", "--name", "Amy", "--role", "manager", "--db", db,
           "--password-stdin")  # fmt: skip
    run(capsys, *add, stdin="amy-pass-123\n", monkeypatch=monkeypatch)
    code, out, _ = run(capsys, "check", "--db", db)
    assert code == 0 and "all checks passed" in out
    assert "integrity_check: ok" in out and "audit chain intact" in out


def test_settings_show_and_set(db, capsys) -> None:
    from medoffice_tui.db.models import Practice

    open_database(f"sqlite:///{db}")
    with writing_as("test:fixture"):
        Practice.create(name="Clinic", npi="1234567893", tax_id="1")
    close_database()
    code, out, _ = run(capsys, "settings", "set", "idle-lock-minutes", "12", "--db", db)
    assert code == 0 and "idle-lock-minutes  12" in out
    code, _, err = run(capsys, "settings", "set", "idle-lock-minutes", "0", "--db", db)
    assert code == 2 and "1 to 60" in err
    code, out, _ = run(capsys, "settings", "set", "ssh-login-map", "on", "--db", db)
    assert "ssh-login-map      on" in out
    code, _, err = run(capsys, "settings", "set", "file-group", "no-such-group", "--db", db)
    assert code == 2 and "no OS group" in err
