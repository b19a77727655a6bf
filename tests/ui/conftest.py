"""UI fixtures: one demo practice per session, a private copy of it per test.

The demo is deterministic (seed 7, today 2026-11-23), the clock is pinned to
10:30 that day and the theme is fixed, so Pilot assertions and SVG snapshots see
the same screen on every run. Each test gets its own copy of the SQLite file, so
a test that changes a status cannot leak into the next one.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from medoffice_tui import clock
from medoffice_tui.config import AppConfig
from medoffice_tui.db.connection import close_database, open_database
from medoffice_tui.db.migrate import upgrade

DEMO_TODAY = dt.date(2026, 11, 23)
DEMO_NOW = dt.datetime(2026, 11, 23, 10, 30)
DEMO_PATIENTS = 300
DEMO_SEED = 7
SIZE = (80, 24)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo practice once for the whole UI test session."""
    from medoffice_tui.demo import build_demo

    path = tmp_path_factory.mktemp("ui-demo") / "demo.db"
    clock.pin(now=DEMO_NOW)
    try:
        database = open_database(f"sqlite:///{path}")
        upgrade(database)
        build_demo(patients=DEMO_PATIENTS, seed=DEMO_SEED, today=DEMO_TODAY)
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        close_database()
        clock.pin()
    return path


@pytest.fixture
def demo_url(demo_db_file: Path, tmp_path: Path) -> Iterator[str]:
    """A private copy of the demo database, open on the proxy, clock pinned."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_db_file, copy)
    url = f"sqlite:///{copy}"
    clock.pin(now=DEMO_NOW)
    database = open_database(url)
    upgrade(database)
    try:
        yield url
    finally:
        close_database()
        clock.pin()


def demo_actor(username: str = "frontdesk"):  # noqa: ANN201 - an Actor
    """The demo account as if it had signed in (no password check: tests of sign-in
    itself use the sign-in screen)."""
    from medoffice_tui.db.models import Role, User
    from medoffice_tui.services.actor import Actor

    user = User.select(User, Role).join(Role).where(User.username == username).get()
    return Actor(user.id, user.username, user.full_name, user.role.name)


@pytest.fixture
def make_app(demo_url: str):  # noqa: ANN201 - returns a factory
    """Build the app the way ``medoffice`` does, on the test's database copy.

    By default the front-desk demo account is already signed in; ``user=None`` opens on
    the sign-in screen.
    """
    from medoffice_tui.ui.app import MedofficeApp

    def factory(theme: str = "medoffice", user: str | None = "frontdesk") -> MedofficeApp:
        actor = demo_actor(user) if user else None
        return MedofficeApp(AppConfig(db_url=demo_url, theme=theme, actor=actor))

    return factory
