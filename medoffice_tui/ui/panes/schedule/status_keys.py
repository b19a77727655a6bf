"""Running the day: one key per status, the questions no-show and cancel ask once, and
undo; each write names the version the desk saw and runs after this desk's earlier
write to the same appointment."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from medoffice_tui.errors import DomainError, SlotTaken, StaleEdit
from medoffice_tui.services import schedule
from medoffice_tui.ui.forms import ConfirmScreen
from medoffice_tui.ui.panes.fmt import words
from medoffice_tui.ui.service_call import call_service, notify_refusal
from medoffice_tui.ui.widgets.day_grid import short_provider


@dataclass(frozen=True)
class CheckedOut:
    """``d`` by a role that enters charges: the visit, and whether it still needs a claim."""

    appointment: schedule.AppointmentRow
    to_bill: bool


class StatusKeys:
    """Mixin of ``SchedulePane``: the status keys."""

    def action_set_status(self, status: str) -> None:
        appt = self.current_appointment()
        if appt is None:
            self.notify("Put the cursor on an appointment first", severity="warning", markup=False)
            return
        self._status_call(appt.id, status)

    def _status_call(self, appt_id: int, status: str, reason: str = "") -> None:
        actor = self.actor

        def prepare() -> Callable[[], object] | None:
            """Runs when this change's turn comes: after this desk's earlier change to the
            same appointment has landed and been shown, so its version is the new one."""
            current = self._appointments.get(appt_id)
            if current is None:
                return None
            if status not in schedule.next_statuses(current.status):
                if current.status != status:  # pressing the same key twice is no error
                    self.notify(
                        f"A {words(current.status)} appointment cannot become {words(status)}",
                        severity="warning",
                        markup=False,
                    )
                return None
            version = current.version
            if status == "arrived":
                return lambda: (
                    schedule.set_status(actor, appt_id, status, expected_version=version),
                    schedule.checkin_essentials(actor, appt_id),
                )
            if status == "completed" and self.may("charge.enter"):
                # checking out: the charge form follows for a visit not yet billed
                return lambda: CheckedOut(
                    schedule.set_status(actor, appt_id, status, expected_version=version),
                    not schedule.visit_has_claim(appt_id),
                )
            return lambda: schedule.set_status(
                actor, appt_id, status, expected_version=version, reason=reason
            )

        self._writes_out += 1
        self._writes_since = time.monotonic()
        call_service(
            self,
            prepare=prepare,
            key=f"appointment:{appt_id}",
            on_result=self._status_done,
            on_error=self._refused,
            on_done=self._write_done,
            group="schedule-write",
            description="appointment status",
        )

    def _write_done(self) -> None:
        """A status write finished (before its result is drawn: judge the watcher's news
        after that, in a later callback)."""
        self._writes_out = max(self._writes_out - 1, 0)
        if not self._writes_out and (self._owed or self._owed_all):
            self.call_later(self._judge_owed)

    def _status_done(self, result: object) -> None:
        if isinstance(result, CheckedOut):
            self.show_changed(result.appointment)
            if result.to_bill:
                from medoffice_tui.ui.claims.actions import open_charge_form

                open_charge_form(self, appointment_id=result.appointment.id)
            return
        if isinstance(result, tuple):
            updated, essentials = result
            self.show_changed(updated)
            from medoffice_tui.ui.screens.schedule_dialogs import CheckInScreen

            self.app.push_screen(CheckInScreen(essentials))
            return
        if isinstance(result, schedule.AppointmentRow):
            self.show_changed(result)

    def _refused(self, error: DomainError) -> None:
        notify_refusal(self, error)
        if isinstance(error, StaleEdit | SlotTaken):
            self.reload()  # another desk changed it first: show what is true now

    def _fresh_then(self, then: Callable[[schedule.AppointmentRow], object]) -> None:
        """Read the appointment again before asking the desk anything about it: a question
        about a row another desk has changed is never asked."""
        appt = self.current_appointment()
        if appt is None:
            return
        shown = appt.version

        def answer(fresh: schedule.AppointmentRow) -> None:
            if fresh.version != shown:
                self._refused(StaleEdit())
                return
            then(fresh)

        # one read by primary key: inline, so the question opens in the key's own frame
        call_service(self, lambda: schedule.get_appointment(appt.id), on_result=answer,
                     on_error=self._refused, inline=True,
                     description="appointment check")  # fmt: skip

    def action_no_show(self) -> None:
        def ask(fresh: schedule.AppointmentRow) -> None:
            if "no_show" not in schedule.allowed_statuses(fresh):
                return
            question = (f"Mark {fresh.start:%H:%M} {fresh.patient_name} "
                        f"({short_provider(fresh.provider_name)}) a no-show?")  # fmt: skip
            self.app.push_screen(
                ConfirmScreen(question, yes="no-show", no="keep it"),
                lambda yes: self._status_call(fresh.id, "no_show") if yes else None,
            )

        self._fresh_then(ask)

    def action_cancel(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import CancelForm

        def ask(fresh: schedule.AppointmentRow) -> None:
            if "cancelled" not in schedule.allowed_statuses(fresh):
                return
            self.app.push_screen(CancelForm(self.actor, fresh), self._written)

        self._fresh_then(ask)

    def action_undo(self) -> None:
        appt = self.current_appointment()
        if appt is None:
            return
        actor, appt_id = self.actor, appt.id

        def prepare() -> Callable[[], schedule.AppointmentRow] | None:
            current = self._appointments.get(appt_id)
            if current is None or not current.undo_to:
                return None
            version = current.version
            return lambda: schedule.undo_status(actor, appt_id, version)

        self._writes_out += 1
        self._writes_since = time.monotonic()
        call_service(self, prepare=prepare, key=f"appointment:{appt_id}",
                     on_result=self._undone, on_error=self._refused, on_done=self._write_done,
                     group="schedule-write", description="undo status")  # fmt: skip

    def _undone(self, updated: schedule.AppointmentRow) -> None:
        """Shown as every status key is: the row's status word changes where the desk is
        looking (no toast: its box and, seconds later, its removal were two more
        repaints of the screen, the second landing on whatever key came next)."""
        self._kept.discard(updated.id)
        self.show_changed(updated)
