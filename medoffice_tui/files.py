"""Files that can hold patient data are readable by their owner only.

The database, its ``-wal`` and ``-shm``, backups, exports and the error log are
created ``0600`` whatever the umask is (SQLite would otherwise create the database
``0644`` under the usual umask 022, and its ``-wal``/``-shm`` copy the database's
mode). A practice whose desks run as several OS users sets one shared group
(``MEDOFFICE_FILE_GROUP=frontdesk``, or ``medoffice settings set file-group ...``):
files are then ``0660`` and owned by that group, and directories the app creates are
``2770`` (setgid, so new files inherit the group).

``medoffice check`` calls :func:`looser_than_allowed` on each file.
"""

from __future__ import annotations

import contextlib
import grp
import os
import stat
from collections.abc import Iterator
from pathlib import Path

ENV_GROUP = "MEDOFFICE_FILE_GROUP"

_group: str = os.environ.get(ENV_GROUP, "").strip()


def set_group(name: str) -> None:
    """Share files with one OS group (``""``: owner only)."""
    global _group
    if name:
        try:
            grp.getgrnam(name)
        except KeyError:
            raise ValueError(f"no OS group named {name!r}") from None
    _group = name


def group() -> str:
    return _group


def file_mode() -> int:
    return 0o660 if _group else 0o600


def dir_mode() -> int:
    return 0o2770 if _group else 0o700


def _apply_group(path: Path) -> None:
    if _group:
        with contextlib.suppress(PermissionError):
            os.chown(path, -1, grp.getgrnam(_group).gr_gid)


def secure_file(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` empty with the allowed mode if it is missing; tighten it if looser.

    Returns the path. The parent directory must exist.
    """
    target = Path(path)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT, file_mode())
    os.close(fd)
    secure_existing(target)
    return target


def secure_existing(path: str | os.PathLike[str]) -> None:
    """Give an existing file the allowed mode (and group)."""
    target = Path(path)
    if target.exists():
        _apply_group(target)
        os.chmod(target, file_mode())


def secure_dir(path: str | os.PathLike[str]) -> Path:
    """Create a directory (and its parents) for the app's own files, owner only."""
    target = Path(path)
    if not target.exists():
        target.mkdir(parents=True, mode=dir_mode())
        _apply_group(target)
        os.chmod(target, dir_mode())
    return target


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    """While inside, new files are created no looser than the allowed mode."""
    old = os.umask(0o007 if _group else 0o077)
    try:
        yield
    finally:
        os.umask(old)


def looser_than_allowed(path: str | os.PathLike[str]) -> str | None:
    """A one-line problem when ``path`` is readable or writable by more than allowed."""
    target = Path(path)
    if not target.exists():
        return None
    mode = stat.S_IMODE(target.stat().st_mode)
    allowed = dir_mode() if target.is_dir() else file_mode()
    extra = mode & ~allowed & 0o777
    if extra:
        return f"{target} is mode {mode:04o}; it should be {allowed & 0o777:04o} at most"
    return None
