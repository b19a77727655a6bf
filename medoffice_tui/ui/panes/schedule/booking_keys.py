"""Booking, moving, find next available, an appointment's history and the calls list."""

from __future__ import annotations

import datetime as dt

from medoffice_tui import clock
from medoffice_tui.services import schedule
from medoffice_tui.services.patients import PatientRow
from medoffice_tui.services.patients.search import row_by_id
from medoffice_tui.ui.service_call import call_service


class BookingKeys:
    """Mixin of ``SchedulePane``: the keys that open a form or a screen."""

    def action_book(self, provider_id: int | None = None, start: dt.datetime | None = None,
                    appt_type_id: int | None = None,
                    patient: PatientRow | None = None) -> None:  # fmt: skip
        from medoffice_tui.ui.screens.booking import BookingForm

        if not self.may("appointment.book"):
            return
        if provider_id is None or start is None:
            provider_id, start = self._booking_target()
        self.app.push_screen(
            BookingForm(
                self.actor,
                self.providers,
                self.types,
                provider_id=provider_id,
                start=start,
                appt_type_id=appt_type_id,
                patient=patient,
                on_taken=self.reload,
            ),  # fmt: skip
            self._written,
        )

    def book_patient(self, patient_id: int) -> None:
        """Book this patient (``b`` on a record): the booking form opens with the patient
        picked, at the free slot under the cursor, else the day's next free slot (today:
        from now on) of the provider shown, or of any provider in the agenda."""
        if not self.may("appointment.book"):
            self.notify("Your role may not book appointments", severity="warning",
                        markup=False)  # fmt: skip
            return
        self._book_for = patient_id
        if self.view is not None and self.providers:
            self._open_pending_booking()
        # else: the day is loading (the pane's first show); _show_day opens it

    def _open_pending_booking(self) -> None:
        patient_id, self._book_for = self._book_for, None
        if patient_id is None:
            return

        def opened(row: PatientRow | None) -> None:
            if row is None:
                self.notify("That record no longer exists", severity="warning", markup=False)
                return
            provider_id, start = self._free_target()
            self.action_book(provider_id, start, patient=row)

        call_service(self, lambda: row_by_id(patient_id), on_result=opened, inline=True,
                     description="patient to book")  # fmt: skip

    def _free_target(self) -> tuple[int | None, dt.datetime | None]:
        """The free slot under the cursor, else the first free slot of the day (from now on
        today) among the providers shown; else where ``b`` would book."""
        row = self._current()
        data = row.data if row is not None else None
        if isinstance(data, schedule.GridCell) and data.kind == "free":
            return data.provider_id, data.start
        mode, shown = self.mode()
        if self.grid is not None:
            ids = [p.id for p in shown]
            if mode == "grid" and len(shown) > 1:
                focused = self.columns[self.focus_col].provider_id
                ids = [focused, *[i for i in ids if i != focused]] if focused else ids
            since = clock.now() if self.day == clock.today() else None
            best: schedule.GridCell | None = None
            for pid in ids:
                cell = next((c for c in self.grid.cells.get(pid, []) if c.kind == "free"
                             and (since is None or c.start >= since)), None)  # fmt: skip
                if cell is not None and (best is None or cell.start < best.start):
                    best = cell
            if best is not None:
                return best.provider_id, best.start
        return self._booking_target()

    def action_move(self) -> None:
        from medoffice_tui.ui.screens.booking import MoveForm

        appt = self.current_appointment()
        if appt is None or appt.status not in schedule.MOVABLE:
            return
        self.app.push_screen(
            MoveForm(self.actor, self.providers, appt, on_taken=self.reload), self._written
        )

    def action_find(self) -> None:
        from medoffice_tui.ui.screens.find_slot import FindSlotScreen, FoundSlot

        column = self.columns[self.focus_col]
        provider = column.provider_id if self.provider_filter is not None else None

        def found(result: FoundSlot | None) -> None:
            if result is not None:
                self.action_book(result.slot.provider_id, result.slot.start,
                                 result.appt_type_id, patient=result.patient)  # fmt: skip

        screen = FindSlotScreen(self.providers, self.types, provider_id=provider)
        screen.prefetch(self)  # the first slots arrive with the screen's first paint
        self.app.push_screen(screen, found)

    def _written(self, result: schedule.AppointmentRow | None) -> None:
        """A booking, move or cancellation was saved: show its day with it selected."""
        if result is None:
            return
        if result.status == "cancelled":
            self.show_changed(result)  # it stays on screen, greyed: u can take it back
            return
        if result.status != "cancelled":
            self._select_after = result.id
            if self.provider_filter is not None and self.provider_filter.id != result.provider_id:
                self.provider_index = next(
                    (i for i, p in enumerate(self.providers) if p.id == result.provider_id),
                    None,
                )
        if result.start.date() != self.day:
            self.day = result.start.date()
        self.reload()

    # ------------------------------------------------------------ more

    def action_history(self) -> None:
        from medoffice_tui.ui.screens.schedule_dialogs import HistoryScreen

        appt = self.current_appointment()
        if appt is None:
            return
        call_service(
            self,
            lambda: schedule.appointment_history(appt.id),
            on_result=lambda rows: self.app.push_screen(HistoryScreen(appt, rows)),
            inline=True,  # one appointment's few events: opens in the key's own frame
            description="appointment history",
        )

    def action_reminders(self) -> None:
        from medoffice_tui.ui.screens.reminders import RemindersScreen

        if not self.may("appointment.status"):
            return
        screen = RemindersScreen(self.actor)
        screen.prefetch(self)  # the calls arrive with the screen's first paint

        def closed(_: object) -> None:
            if screen.calls_made:  # outcomes were recorded: show them now, not in a second
                self.reload(quiet=True)

        self.app.push_screen(screen, closed)
