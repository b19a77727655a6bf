"""Live across desks, as the pane sees it: the watcher's news judged against what the day
shows; a reload only for something this desk does not show already (its own changes
were drawn when their writes returned); a change behind a dialog waits until the day
is in view again."""

from __future__ import annotations

import time

from medoffice_tui.services import schedule
from medoffice_tui.ui.panes.schedule_live import ChangeWatcher

#: the longest the watcher's news waits for this desk's own write in flight
WRITE_WAIT_S = 5.0
#: a change that arrived behind a dialog: how often to look whether the day is back in view
STALE_CHECK_S = 0.25


class LiveDay:
    """Mixin of ``SchedulePane``: the live-update side."""

    def activate(self) -> None:
        self._fit = self._fit_for(self.size.width or self.app.size.width)
        super().activate()
        if self.watcher is None:
            self.watcher = ChangeWatcher(self.app.call_from_thread, self._live_changed,
                                         describe=schedule.appointments_touched)  # fmt: skip
            self.watcher.last_token = self.first_token  # the day read at sign-in, if any
        self.watcher.start()
        self._stop_stale_timer()
        if self._stale and self._loaded:
            self._stale = False
            self.reload(quiet=True)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def _live_changed(self, touched: dict[int, int] | None = None) -> None:
        """The change token moved: ``touched`` is what the watcher read of it (the
        appointments written, with their versions now; None: something else changed)."""
        if not self._loaded:
            return
        if touched is None:
            self._owed_all = True
        else:
            self._owed.update(touched)
        self._judge_owed()

    def _judge_owed(self) -> None:
        """Reload only if the day shows something older than what the watcher saw: this
        desk's own change was drawn when its write returned (one reload, not two)."""
        if self._writes_out:
            if time.monotonic() - self._writes_since < WRITE_WAIT_S:
                return  # judged again when the write in flight has been drawn
            self._writes_out = 0  # a write that never came back: stop waiting for it
        owed, self._owed = self._owed, {}
        stale, self._owed_all = self._owed_all, False
        if not stale:
            for appt_id, version in owed.items():
                shown = self._appointments.get(appt_id)
                if shown is None or shown.version != version:
                    stale = True
                    break
        if not stale:
            return
        if not self._looked_at:
            self._stale = True
            if self.display and self._stale_timer is None:
                # a dialog (F1, a form, check-in, history, a question, the lock screen)
                # covers the day: look again when it has closed, with no key needed
                self._stale_timer = self.set_interval(STALE_CHECK_S, self._check_stale)
            return
        self.reload(quiet=True)

    @property
    def _looked_at(self) -> bool:
        return bool(self.display and not getattr(self.app, "locked", False) and self.is_on_screen)

    def _check_stale(self) -> None:
        """While a change waits behind a dialog: once the day is in view again, show it
        (this draws nothing until then; another pane shown instead: ``activate`` does)."""
        if not self._stale or not self.display:
            self._stop_stale_timer()
            return
        if self._looked_at:
            self._stop_stale_timer()
            self._stale = False
            self.reload(quiet=True)

    def _stop_stale_timer(self) -> None:
        if self._stale_timer is not None:
            self._stale_timer.stop()
            self._stale_timer = None

    @property
    def is_on_screen(self) -> bool:
        try:
            return self.screen is self.app.screen
        except Exception:  # noqa: BLE001 - not mounted any more
            return False
