"""Running the day: one key per status, the questions no-show and cancel ask once, and
undo; each write names the version the desk saw and runs after this desk's earlier
write to the same appointment.

A status key shows its change in the key's own frame: the row, the counts, the detail
and key lines are drawn from the appointment as the write will leave it (the new
status, undo back to the old one), and the write's answer, which reads the same, then
draws nothing. A refusal puts the row back as it was (and a change another desk made
first reloads the day); so does a write that never answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from medoffice_tui.errors import DomainError, SlotTaken, StaleEdit
from medoffice_tui.services import schedule
from medoffice_tui.services.actor import Actor
from medoffice_tui.ui.forms import ConfirmScreen
from medoffice_tui.ui.panes.fmt import words
from medoffice_tui.ui.service_call import call_service, notify_refusal
from medoffice_tui.ui.widgets.day_grid import short_provider

if TYPE_CHECKING:
    from medoffice_tui.services.claims.charges import ChargeContext


@dataclass(frozen=True)
class CheckedOut:
    """``d`` by a role that enters charges: the visit, and the charge form's starting
    point when it still needs a claim (None: billed already)."""

    appointment: schedule.AppointmentRow
    charges: ChargeContext | None


def check_out(actor: Actor, appt_id: int, version: int) -> CheckedOut:
    """Mark the visit completed, then read what its charge form starts from, in the same
    worker call: the read runs while the screen is still drawing the key's preview,
    not after the answer, on the screen's thread, before the form can open."""
    from medoffice_tui.services import claims

    done = schedule.set_status(actor, appt_id, "completed", expected_version=version)
    if schedule.visit_has_claim(appt_id):
        return CheckedOut(done, None)
    return CheckedOut(done, claims.charge_context(appointment_id=appt_id))


class StatusKeys:
    """Mixin of ``SchedulePane``: the status keys."""

    def action_set_status(self, status: str) -> None:
        appt = self.current_appointment()
        if appt is None:
            self.notify("Put the cursor on an appointment first", severity="warning", markup=False)
            return
        self._status_call(appt.id, status)

    def _preview(
        self, appt_id: int, make: Callable[[schedule.AppointmentRow], schedule.AppointmentRow]
    ) -> schedule.AppointmentRow | None:
        """Show the change now, if nothing of this desk's is in flight for the row (then
        what is shown is what the write starts from); the row it started from, or None."""
        base = self._appointments.get(appt_id)
        if base is None or self._in_flight[appt_id]:
            return None
        shown = make(base)
        self._previews[appt_id] = (shown, base)
        self.show_changed(shown)
        return base

    def _sent(self, appt_id: int) -> Callable[[], None]:
        """Count a write in flight for ``appt_id``; the returned callback ends it."""
        in_flight = self._in_flight
        in_flight[appt_id] += 1
        self._writes_out += 1
        self._writes_since = time.monotonic()

        def done() -> None:
            in_flight[appt_id] = max(in_flight[appt_id] - 1, 0)
            self._write_done()
            self.call_later(self._settle_preview, appt_id)

        return done

    def _settle_preview(self, appt_id: int) -> None:
        """After a write's answer was drawn: a preview still shown means it never came
        (refused, or failed): put back the row it started from."""
        entry = self._previews.pop(appt_id, None)
        if entry is not None and self._appointments.get(appt_id) is entry[0]:
            self.show_changed(entry[1])

    def _status_call(self, appt_id: int, status: str, reason: str = "") -> None:
        actor = self.actor
        current = self._appointments.get(appt_id)
        base = None
        if current is not None and status in schedule.allowed_statuses(current):
            base = self._preview(appt_id, lambda a: replace(a, status=status, undo_to=a.status))
        refusals = self._refusals[appt_id]

        def prepare() -> Callable[[], object] | None:
            """Runs when this change's turn comes: after this desk's earlier change to the
            same appointment has landed and been shown, so its version is the new one
            (or, previewed, the row the preview started from)."""
            if self._refusals[appt_id] != refusals:
                return None  # typed over a change that was refused: not what it was for
            current = base if base is not None else self._appointments.get(appt_id)
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
                return lambda: check_out(actor, appt_id, version)
            return lambda: schedule.set_status(
                actor, appt_id, status, expected_version=version, reason=reason
            )

        call_service(
            self,
            prepare=prepare,
            key=f"appointment:{appt_id}",
            on_result=self._status_done,
            on_error=self._refused_for(appt_id),
            on_done=self._sent(appt_id),
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
            if result.charges is not None:
                from medoffice_tui.ui.claims.actions import open_charge_form

                open_charge_form(self, appointment_id=result.appointment.id,
                                 context=result.charges)  # fmt: skip
            return
        if isinstance(result, tuple):
            updated, essentials = result
            self.show_changed(updated)
            from medoffice_tui.ui.screens.schedule_dialogs import CheckInScreen

            self.app.push_screen(CheckInScreen(essentials))
            return
        if isinstance(result, schedule.AppointmentRow):
            self.show_changed(result)

    def _refused_for(self, appt_id: int) -> Callable[[DomainError], None]:
        """A refusal: the row goes back at once, and the keys typed for this appointment
        behind the refused one (u, another status: meant for the row it previewed) are
        dropped rather than applied to the row that is really there."""

        def refused(error: DomainError) -> None:
            self._refusals[appt_id] += 1
            self._settle_preview(appt_id)
            self._refused(error)

        return refused

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
        # undone, the row reads its old status and nothing more to undo (the newest
        # history row is then the undo itself)
        base = (
            self._preview(appt_id, lambda a: replace(a, status=a.undo_to, undo_to=""))
            if appt.undo_to
            else None
        )

        refusals = self._refusals[appt_id]

        def prepare() -> Callable[[], schedule.AppointmentRow] | None:
            if self._refusals[appt_id] != refusals:
                return None  # u on a change that was refused: nothing of it to undo
            current = base if base is not None else self._appointments.get(appt_id)
            if current is None or not current.undo_to:
                return None
            version = current.version
            return lambda: schedule.undo_status(actor, appt_id, version)

        call_service(self, prepare=prepare, key=f"appointment:{appt_id}",
                     on_result=self._undone, on_error=self._refused_for(appt_id),
                     on_done=self._sent(appt_id), group="schedule-write",
                     description="undo status")  # fmt: skip

    def _undone(self, updated: schedule.AppointmentRow) -> None:
        """Shown as every status key is: the row's status word changes where the desk is
        looking (no toast: its box and, seconds later, its removal were two more
        repaints of the screen, the second landing on whatever key came next)."""
        self._kept.discard(updated.id)
        self.show_changed(updated)
