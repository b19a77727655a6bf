"""Live across desks: a watcher that tells the schedule when another desk changed something.

Every write in the app records an audit event, which moves the practice-wide change
token (``services.changes.change_token``: the audit chain's head, one primary-key
read, microseconds on SQLite and a round trip on PostgreSQL). The watcher is one
daemon thread per open schedule with its own connection: it reads the token about
once a second and, only when it moved, asks the UI thread to reload the day. The pane
then redraws only the rows that changed, so an idle screen sends 0 bytes.

Why the token and not ``PRAGMA data_version`` / ``LISTEN``: the token works the same
on both engines, sees commits from this process's own other connections (a second
app in a test, a CLI run), and is moved by every audited write whatever the table;
``data_version`` is SQLite-only and NOTIFY would need a trigger per table and a
connection held in LISTEN. Why a thread and not a Textual timer: the app's event
loop stays asleep while nothing changes (no wake-up a second, no worker scheduled),
and a slow read on a busy PostgreSQL server never holds a key back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from medoffice_tui.services import changes, session

#: seconds between two looks at the token
POLL_SECONDS = 1.0


class ChangeWatcher:
    """Calls ``on_change`` (through ``call_from_thread``) whenever the token moves."""

    def __init__(
        self,
        call_from_thread: Callable[[Callable[[], object]], object],
        on_change: Callable[[], object],
        interval: float = POLL_SECONDS,
    ) -> None:
        self._call = call_from_thread
        self._on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_token: int | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="schedule-live", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            with session.connection():
                while not self._stop.is_set():
                    token = self._read()
                    if token is not None:
                        if self.last_token is not None and token != self.last_token:
                            self._notify()
                        self.last_token = token
                    self._stop.wait(self.interval)
        except Exception:  # noqa: BLE001 - the database went away (app closing): stop quietly
            return

    def _read(self) -> int | None:
        try:
            return changes.change_token()
        except Exception:  # noqa: BLE001 - a busy or restarting server: try again next time
            return None

    def _notify(self) -> None:
        if self._stop.is_set():
            return
        with contextlib.suppress(Exception):  # the app is closing
            self._call(self._on_change)
