"""Where claims files go by default: ``$MEDOFFICE_CLAIMS_DIR``, else ``claims-files`` in the
user data folder (beside the default database), with ``out`` for files the practice sends
and ``in`` for files it receives. The folders hold patient data: they are created owner
only (``files.secure_dir``), when first used."""

from __future__ import annotations

import os
from pathlib import Path

from medoffice_tui import files

ENV_FOLDER = "MEDOFFICE_CLAIMS_DIR"


def base() -> Path:
    configured = os.environ.get(ENV_FOLDER, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("medoffice", appauthor=False)) / "claims-files"


def outbox() -> Path:
    return base() / "out"


def inbox() -> Path:
    return base() / "in"


def ready(path: Path) -> Path:
    """``path`` itself; the default folders are made (owner only) when missing."""
    if not path.exists() and path in (outbox(), inbox(), base()):
        files.secure_dir(path)
    return path


__all__ = ["ENV_FOLDER", "base", "inbox", "outbox", "ready"]
