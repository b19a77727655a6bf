"""Unexpected errors: a short error id for the screen, the details in an owner-only log.

What is logged is where the error happened (exception type, and each frame's file,
line and function), never the exception's message, arguments or local variables:
a database driver's message can quote a row ("Key (mrn)=(M0012345) already
exists"), and locals hold whatever the screen held. So neither the screen nor the
log ever carries a patient's name, date of birth or phone number.

The log is ``errors.log`` in ``$MEDOFFICE_LOG_DIR`` or the platform's user log
directory (``~/.local/state/medoffice/log`` on Linux), created 0600.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import traceback
from pathlib import Path

from medoffice_tui import files

ENV_LOG_DIR = "MEDOFFICE_LOG_DIR"
LOG_NAME = "errors.log"


def log_dir() -> Path:
    configured = os.environ.get(ENV_LOG_DIR, "").strip()
    if configured:
        return Path(configured)
    from platformdirs import user_log_dir

    return Path(user_log_dir("medoffice", appauthor=False))


def log_path() -> Path:
    return log_dir() / LOG_NAME


def describe(exc: BaseException) -> list[str]:
    """The logged lines for ``exc`` and its causes: types and frames only."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"  {kind.__module__}.{kind.__qualname__} (message withheld)")
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"    {frame.filename}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("  raised while handling:")
    return lines


def report(exc: BaseException, where: str = "") -> str:
    """Write ``exc`` to the error log; returns the error id to show the user."""
    error_id = secrets.token_hex(3).upper()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    text = "\n".join([f"{stamp} error {error_id} {where}".rstrip(), *describe(exc), ""])
    try:
        folder = files.secure_dir(log_dir())
        path = folder / LOG_NAME
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, files.file_mode())
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(text)
        files.secure_existing(path)
    except OSError:
        pass  # a log that cannot be written must not take the app down with it
    return error_id


def user_message(error_id: str) -> str:
    return (
        f"Something went wrong (error {error_id}); the app is still running. "
        "Try again, or give the office admin the error number (details are in the error log)."
    )
