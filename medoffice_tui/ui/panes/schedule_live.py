"""Live across desks: a watcher that tells the schedule when another desk changed something.

Every write in the app records an audit event, which moves the practice-wide change
token (``services.changes.change_token``: the audit chain's head, one primary-key
read, microseconds on SQLite and a round trip on PostgreSQL). The watcher is one
daemon thread per open schedule with its own connection: it reads the token about
once a second and, only when it moved, reads what moved it (``describe``: for the
schedule ``services.schedule.appointments_touched``, the appointments written and their
versions now, off the UI thread) and hands that to the UI thread. The pane reloads the
day only when it shows something older than that: a change this desk made itself was
drawn when its write returned, so it costs no second reload (and no second worker
competing with the next key for the interpreter). When it does reload, only the rows
that changed are redrawn, so an idle screen sends 0 bytes.

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
from typing import Any

from medoffice_tui.services import changes, session

#: seconds between two looks at the token
POLL_SECONDS = 1.0


class ChangeWatcher:
    """Calls ``on_change(what)`` (through ``call_from_thread``) whenever the token moves.

    ``what`` is ``describe(old_token, new_token)``, read on the watcher's thread and
    connection (None when there is no ``describe``, or it failed: "something changed").
    """

    def __init__(
        self,
        call_from_thread: Callable[..., object],
        on_change: Callable[[Any], object],
        interval: float = POLL_SECONDS,
        describe: Callable[[int, int], Any] | None = None,
    ) -> None:
        self._call = call_from_thread
        self._on_change = on_change
        self._describe = describe
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
                            self._notify(self._what(self.last_token, token))
                        self.last_token = token
                    self._stop.wait(self.interval)
        except Exception:  # noqa: BLE001 - the database went away (app closing): stop quietly
            return

    def _read(self) -> int | None:
        try:
            return changes.change_token()
        except Exception:  # noqa: BLE001 - a busy or restarting server: try again next time
            return None

    def _what(self, before: int, now: int) -> Any:
        if self._describe is None:
            return None
        try:
            return self._describe(before, now)
        except Exception:  # noqa: BLE001 - could not tell: the caller reloads
            return None

    def _notify(self, what: Any) -> None:
        if self._stop.is_set():
            return
        with contextlib.suppress(Exception):  # the app is closing
            self._call(self._on_change, what)
