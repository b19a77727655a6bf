from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from medoffice_tui import clock
from medoffice_tui.config import mouse_enabled, resolve_db_url


def test_db_path_flag_wins_and_becomes_absolute_sqlite_url(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEDOFFICE_DB", "postgresql://x@h/db")
    monkeypatch.chdir(tmp_path)
    assert resolve_db_url("office.db", None) == f"sqlite:///{tmp_path / 'office.db'}"


def test_db_url_flag_is_used_as_given() -> None:
    assert resolve_db_url(None, "postgresql://u@h:5432/d") == "postgresql://u@h:5432/d"


def test_both_flags_is_an_error() -> None:
    with pytest.raises(ValueError, match="either --db"):
        resolve_db_url("a.db", "sqlite:///b.db")


def test_env_accepts_url_or_path(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("MEDOFFICE_DB", "postgresql://u@h/d")
    assert resolve_db_url() == "postgresql://u@h/d"
    monkeypatch.setenv("MEDOFFICE_DB", str(tmp_path / "x.db"))
    assert resolve_db_url() == f"sqlite:///{tmp_path / 'x.db'}"


def test_default_is_in_user_data_dir(monkeypatch) -> None:
    monkeypatch.delenv("MEDOFFICE_DB", raising=False)
    url = resolve_db_url()
    assert url.startswith("sqlite:///") and url.endswith("medoffice.db")
    assert "medoffice" in Path(url[len("sqlite:///") :]).parent.as_posix()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, False),
        ({"SSH_CONNECTION": "1 2 3 4", "MEDOFFICE_MOUSE": "on"}, True),
        ({"MEDOFFICE_MOUSE": "off"}, False),
    ],
)
def test_mouse_is_off_over_ssh_unless_configured(env, expected) -> None:
    assert mouse_enabled(env) is expected


def test_pinned_today_keeps_time_of_day_moving() -> None:
    try:
        clock.pin(today=dt.date(2030, 1, 2))
        assert clock.today() == dt.date(2030, 1, 2)
        assert clock.now().date() == dt.date(2030, 1, 2)
    finally:
        clock.pin()
    assert clock.today() != dt.date(2030, 1, 2)


def test_pinned_now_freezes_everything() -> None:
    moment = dt.datetime(2026, 11, 23, 10, 30)
    try:
        clock.pin(now=moment)
        assert clock.now() == moment
        assert clock.today() == moment.date()
    finally:
        clock.pin()


def test_today_follows_practice_time_zone() -> None:
    try:
        clock.set_time_zone("Pacific/Kiritimati")  # UTC+14
        east = clock.now()
        clock.set_time_zone("Pacific/Pago_Pago")  # UTC-11
        west = clock.now()
        assert round((east - west).total_seconds() / 3600) == 25
    finally:
        clock.set_time_zone("America/Chicago")
