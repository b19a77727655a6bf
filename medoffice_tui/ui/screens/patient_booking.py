"""``b`` on a record: book this patient.

The record closes, the Schedule pane shows (at the day it was on) and its booking form
opens with this patient already picked, at the free slot under the cursor or else the
day's next free slot (``SchedulePane.book_patient``); Enter books, or the desk changes
the day, time or provider first. An inactive record can be booked: the form asks once
to reactivate it. A merged record is not booked: the desk is sent to the survivor.
"""

from __future__ import annotations

from typing import Any


def book_for(screen: Any, detail: Any) -> None:
    """Open the Schedule's booking form for the record ``detail`` shows."""
    app = screen.app
    if detail.merged_into:
        screen.status("This record was merged: book on the surviving record.")
        return
    if not app.may("appointment.book"):
        screen.status("Your role may not book appointments.")
        return
    app.action_show_pane("schedule")
    app.pane("schedule").book_patient(detail.id)
