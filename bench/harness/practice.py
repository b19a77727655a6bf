"""Opening a benchmark practice in-process, and the desk a figure acts as."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bench.harness.core import TODAY


def open_practice(path: Path, *, settings: bool = True) -> None:
    """Bind the app's database to the SQLite file at ``path`` (closing what was open),
    read the practice's settings, and pin the clock to the bench's "now" (10:30)."""
    from medoffice_tui import clock
    from medoffice_tui.db import close_database, open_database

    close_database()
    open_database(f"sqlite:///{path}")
    if settings:
        from medoffice_tui.services.practice import load_practice_settings

        load_practice_settings()
    clock.pin(now=dt.datetime.combine(TODAY, dt.time(10, 30)))


def desk_actor(username: str = "frontdesk") -> Any:
    """The demo's account ``username`` as the signed-in user (an ``Actor``)."""
    from medoffice_tui.db.models import Role, User
    from medoffice_tui.services.actor import Actor

    user = User.select(User, Role).join(Role).where(User.username == username).get()
    return Actor(user.id, user.username, user.full_name, user.role.name)
