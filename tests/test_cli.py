"""The command line: every option explained, --db accepted everywhere, admin commands work."""

from __future__ import annotations

import re

import pytest

from medoffice_tui import cli
from medoffice_tui.db.connection import close_database


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv + ["--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def _options(parser) -> list[str]:
    return [s for a in parser._actions for s in a.option_strings]


def test_main_help_explains_every_option(capsys) -> None:
    text = _help([], capsys)
    for option in _options(cli.build_parser()):
        assert option in text
    for command in ("run", "demo", "db", "backup"):
        assert re.search(rf"^\s+{command}\s", text, re.M), command


def test_demo_help_explains_every_option(capsys) -> None:
    text = _help(["demo"], capsys)
    for option in ("--db", "--db-url", "--patients", "--seed", "--force", "--today", "--quiet"):
        assert option in text
    # each option line has words after it, not just the flag
    assert re.search(r"--patients N\s+\S+", text)


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "X.db"],
        ["run", "--db", "X.db"],
        ["demo", "--db", "X.db"],
        ["db", "upgrade", "--db", "X.db"],
        ["db", "status", "--db", "X.db"],
        ["backup", "--db", "X.db", "out.bak"],
    ],
)
def test_every_command_accepts_db(argv) -> None:
    args = cli.build_parser().parse_args(argv)
    assert args.db == "X.db"


def test_db_given_before_the_command_is_kept() -> None:
    args = cli.build_parser().parse_args(["--db", "X.db", "demo", "--patients", "5"])
    assert args.db == "X.db" and args.patients == 5


def test_bad_today_is_a_clear_error(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["--today", "23/11/2026"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_negative_patients_refused(capsys) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["demo", "--patients", "-3"])
    assert "0 or more" in capsys.readouterr().err


def test_db_and_db_url_together_is_an_error(capsys, tmp_path) -> None:
    code = cli.main(["db", "status", "--db", str(tmp_path / "a.db"), "--db-url", "sqlite:///b"])
    assert code == 2
    assert "either --db" in capsys.readouterr().err


def test_db_upgrade_then_status(capsys, tmp_path) -> None:
    from medoffice_tui.db.connection import open_database
    from medoffice_tui.db.migrate import upgrade

    path = tmp_path / "office.db"
    upgrade(open_database(f"sqlite:///{path}"), target="0001_initial")  # an old practice
    close_database()
    try:
        assert cli.main(["db", "status", "--db", str(path)]) == 0
        out = capsys.readouterr().out
        assert "applied  0001_initial" in out and "pending  0002_overlap_guard" in out
        assert cli.main(["db", "upgrade", "--db", str(path)]) == 0
        assert "applied: 0002_overlap_guard" in capsys.readouterr().out
        assert cli.main(["db", "upgrade", "--db", str(path)]) == 0
        assert "up to date" in capsys.readouterr().out
        assert cli.main(["db", "status", "--db", str(path)]) == 0
        out = capsys.readouterr().out
        assert "pending" not in out and "applied  0001_initial" in out
    finally:
        close_database()


def test_unsupported_url_is_a_clear_error(capsys) -> None:
    assert cli.main(["db", "status", "--db-url", "mysql://x@y/z"]) == 2
    assert "unsupported database URL" in capsys.readouterr().err


def test_unreachable_database_is_a_clear_error_not_a_traceback(capsys) -> None:
    code = cli.main(["db", "status", "--db-url", "postgresql://nobody@127.0.0.1:1/x"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: cannot use the database:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unwritable_database_path_is_a_clear_error(capsys) -> None:
    assert cli.main(["db", "status", "--db", "/proc/no-such-dir/x.db"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the folder /proc/no-such-dir does not exist")


def test_constraint_errors_never_echo_row_values() -> None:
    from peewee import IntegrityError

    exc = IntegrityError("duplicate key value violates unique constraint: Key (mrn)=(M0000042)")
    message = cli.database_error_message(exc)
    assert "M0000042" not in message and "IntegrityError" in message
