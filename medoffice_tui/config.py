"""Where the database is and how the app behaves, from flags, environment and defaults.

Precedence: command-line flag, then environment (``MEDOFFICE_DB``), then the
platform's user data directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medoffice_tui.services.actor import Actor

ENV_DB = "MEDOFFICE_DB"
ENV_MOUSE = "MEDOFFICE_MOUSE"


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("medoffice", appauthor=False)) / "medoffice.db"


def path_to_url(path: str | os.PathLike[str]) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def resolve_db_url(db_path: str | None = None, db_url: str | None = None) -> str:
    """Turn ``--db PATH`` / ``--db-url URL`` / ``MEDOFFICE_DB`` into one database URL.

    ``MEDOFFICE_DB`` may hold a URL (``postgresql://...``, ``sqlite:///...``) or a path.
    """
    if db_path is not None and not db_path.strip():
        raise ValueError("--db needs a file path (it was empty)")
    if db_url is not None and not db_url.strip():
        raise ValueError("--db-url needs a URL (it was empty)")
    if db_path and db_url:
        raise ValueError("give either --db PATH or --db-url URL, not both")
    if db_url:
        return db_url
    if db_path:
        return path_to_url(db_path)
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return env if "://" in env else path_to_url(env)
    return path_to_url(default_db_path())


def mouse_enabled(env: dict[str, str] | None = None) -> bool:
    """Mouse reporting is off over SSH (every motion costs bytes) unless asked for."""
    env = dict(os.environ) if env is None else env
    choice = env.get(ENV_MOUSE, "").strip().lower()
    if choice in {"1", "on", "yes", "true"}:
        return True
    if choice in {"0", "off", "no", "false"}:
        return False
    return not env.get("SSH_CONNECTION")


@dataclass(frozen=True)
class AppConfig:
    """What the UI needs to start."""

    db_url: str
    mouse: bool = True
    theme: str = "medoffice"
    #: already signed in (SSH login mapping, tests): the sign-in screen is skipped
    actor: Actor | None = None
