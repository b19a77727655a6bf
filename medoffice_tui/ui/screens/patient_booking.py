"""``b`` on a record: book this patient.

When the Schedule pane offers a booking for a given patient (a ``book_patient(patient_id)``
method, the booking form with the patient already picked), that is used. Until then the
desk is taken to the Schedule pane with a note naming the patient to book (the record
is one key away again: F3 then Space recalls it).
"""

from __future__ import annotations

from typing import Any

from medoffice_tui.services.text import display


def book_for(screen: Any, detail: Any) -> None:
    app = screen.app
    if detail.merged_into:
        screen.status("This record was merged: book on the surviving record.")
        return
    if not detail.active:
        screen.status("Inactive record: the schedule asks to reactivate it when booking.")
    app.action_show_pane("schedule")
    pane = app.active_pane if hasattr(app, "active_pane") else None
    book = getattr(pane, "book_patient", None)
    if callable(book):
        book(detail.id)
        return
    app.notify(
        f"Book {display(detail.display_name)} ({detail.mrn}): pick a free time on the "
        "schedule. F3 then Space brings the record back.",
        markup=False,
        timeout=8,
    )
