"""What the record's keys do: edit, add and remove in the focused section, record
vitals, book, merge, write a statement. Each change goes through the services (audited
there) and the record is read again after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medoffice_tui.errors import DomainError
from medoffice_tui.services import patients
from medoffice_tui.services.text import display
from medoffice_tui.ui.focus import hold_keys, release_keys
from medoffice_tui.ui.patient_memory import remember
from medoffice_tui.ui.screens.patient_text import field
from medoffice_tui.ui.service_call import call_service


class RecordActions:
    """The record screen's actions (mixed into ``PatientScreen``, which supplies
    ``detail``, ``patient_id``, ``section``, ``current``, ``may``, ``status`` and
    ``action_reload``)."""

    detail: Any
    patient_id: int

    def _open_form(self, form: Any) -> None:
        self.app.push_screen(form, self._after_form)

    def _after_form(self, result: Any) -> None:
        if result is not None:
            self.action_reload()

    def _call(self, call: Callable[[], Any], done: str) -> None:
        def finished(_result: Any) -> None:
            self.status(done)
            self.action_reload()

        def refused(error: DomainError) -> None:
            self.status(str(error))
            self.notify(display(str(error)), severity="error", markup=False)
            self.action_reload()

        call_service(self, call, on_result=finished, on_error=refused,
                     key=f"patient:{self.patient_id}", description="record change")  # fmt: skip

    def action_edit(self) -> None:
        from medoffice_tui.ui.screens import patient_forms as forms

        if self.detail is None:
            return
        section = self.section
        if section == "demographics":
            self._open_form(forms.DemographicsForm(self.detail))
        elif section == "insurance":
            self._open_coverage(self.current("insurance"))
        elif section == "allergies":
            self._open_form(forms.AllergyForm(self.detail, self.current("allergies")))
        elif section == "vitals":
            self.action_vitals()
        elif section == "notes":
            self._open_form(forms.NoteForm(self.detail))
        elif section == "visits":
            self.action_book()

    def action_add(self) -> None:
        from medoffice_tui.ui.screens import patient_forms as forms

        if self.detail is None:
            return
        section = self.section
        if section == "insurance":
            self._open_coverage(None)
        elif section == "allergies":
            self._open_form(forms.AllergyForm(self.detail, None))
        elif section == "notes":
            self._open_form(forms.NoteForm(self.detail))
        elif section == "vitals":
            self.action_vitals()
        elif section == "visits":
            self.action_book()

    def _open_coverage(self, coverage: Any | None) -> None:
        """The coverage form needs the payer list first; keys typed meanwhile wait for it."""
        from medoffice_tui.ui.screens.patient_forms import CoverageForm

        detail = self.detail
        if detail is None:
            return
        hold_keys(self, "payers")

        def loaded(payers: list[patients.PayerChoice]) -> None:
            self._open_form(CoverageForm(detail, coverage, payers))
            release_keys(self, "payers")

        def refused(error: DomainError) -> None:
            release_keys(self, "payers")
            self.status(str(error))

        call_service(self, patients.list_payers, on_result=loaded, on_error=refused,
                     description="payer list")  # fmt: skip

    def action_remove(self) -> None:
        from medoffice_tui.ui.forms.confirm import ConfirmScreen

        actor = self.app.actor  # type: ignore[attr-defined]
        section = self.section
        item = self.current(section)
        if item is None:
            return
        if section == "insurance":
            rank = field(item, "rank_label").lower()
            payer = display(field(item, "payer_name"))
            question = f"End the {rank} coverage with {payer}? (claims that used it keep it)"

            def call() -> Any:
                return patients.end_coverage(actor, item.id, item.version)

            done = "Coverage ended."
        else:
            question = f"Remove {display(field(item, 'substance'))} from the allergy list?"

            def call() -> Any:
                return patients.remove_allergy(actor, item.id, item.version)

            done = "Allergy removed (with none left the state is 'not asked')."

        def answered(yes: bool | None) -> None:
            if yes:
                self._call(call, done)

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_nka(self) -> None:
        if self.detail is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        version = self.detail.allergy_version
        self._call(lambda: patients.mark_no_known_allergies(actor, self.patient_id, version),
                   "Recorded: no known allergies.")  # fmt: skip

    def action_checked(self) -> None:
        cov = self.current("insurance")
        if cov is None:
            return
        actor = self.app.actor  # type: ignore[attr-defined]
        self._call(lambda: patients.mark_eligibility_checked(actor, cov.id),
                   "Eligibility marked checked today.")  # fmt: skip

    def action_vitals(self) -> None:
        from medoffice_tui.ui.screens.patient_forms import VitalsForm

        if self.detail is not None:
            self._open_form(VitalsForm(self.detail))

    def action_statement(self) -> None:
        from medoffice_tui.ui.claims.balance import write_statement

        write_statement(self, self.patient_id)

    def action_book(self) -> None:
        from medoffice_tui.ui.screens.patient_booking import book_for

        if self.detail is not None:
            book_for(self, self.detail)

    def action_merge(self) -> None:
        from medoffice_tui.ui.screens.merge import MergePickForm

        if self.detail is not None and self.may("patient.merge"):
            self.app.push_screen(MergePickForm(self.detail), self._after_merge)

    def _after_merge(self, survivor_id: Any) -> None:
        if isinstance(survivor_id, int) and survivor_id != self.patient_id:
            self.patient_id = survivor_id
            remember(self.app, survivor_id)
        if survivor_id is not None:
            self.action_reload()
