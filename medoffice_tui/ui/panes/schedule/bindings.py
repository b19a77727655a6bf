"""The Schedule pane's keys: one letter per common action (see the package docstring)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

BINDINGS: list[BindingType] = [
    Binding(
        "b",
        "book",
        "Book",
        id="schedule.book",
        tooltip="Book an appointment (Enter on a free slot too)",
    ),  # fmt: skip
    Binding(
        "c",
        "set_status('confirmed')",
        "Conf",
        id="schedule.confirm",
        tooltip="Confirm the appointment",
    ),  # fmt: skip
    Binding(
        "i",
        "set_status('arrived')",
        "In",
        id="schedule.arrived",
        tooltip="Check in (arrived): shows what to ask for",
    ),  # fmt: skip
    Binding(
        "r", "set_status('roomed')", "Room", id="schedule.roomed", tooltip="Patient roomed"
    ),  # fmt: skip
    Binding(
        "d",
        "set_status('completed')",
        "Done",
        id="schedule.completed",
        tooltip="Visit done (checked out); then its charges, if not yet billed",
    ),  # fmt: skip
    Binding(
        "n",
        "no_show",
        "No-show",
        id="schedule.no-show",
        tooltip="No-show (asks once; frees the slot)",
    ),  # fmt: skip
    Binding(
        "x",
        "cancel",
        "Cancel",
        id="schedule.cancel",
        tooltip="Cancel the appointment (asks for a reason)",
    ),  # fmt: skip
    Binding(
        "u",
        "undo",
        "Undo",
        id="schedule.undo",
        tooltip="Undo the last status change of this appointment",
    ),  # fmt: skip
    Binding(
        "m",
        "move",
        "Move",
        id="schedule.move",
        tooltip="Move (reschedule) to another time, day or provider",
    ),  # fmt: skip
    Binding(
        "f", "find", "Find", id="schedule.find", tooltip="Find next available slot"
    ),  # fmt: skip
    Binding(
        "g",
        "goto",
        "Go to",
        show=False,
        id="schedule.goto",
        tooltip="Go to a day (t, tue, next tue, +2w, 12/1)",
    ),  # fmt: skip
    Binding(
        "left_square_bracket",
        "day(-1)",
        "Day",
        key_display="[ ]",
        id="schedule.prev-day",
        tooltip="Previous day",
    ),  # fmt: skip
    Binding(
        "right_square_bracket",
        "day(1)",
        "Next day",
        key_display="]",
        show=False,
        id="schedule.next-day",
        tooltip="Next day",
    ),  # fmt: skip
    Binding("t", "today", "Today", show=False, id="schedule.today", tooltip="Back to today"),
    Binding(
        "p",
        "cycle_provider",
        "Provider",
        show=False,
        id="schedule.provider",
        tooltip="Provider: all, then each one",
    ),  # fmt: skip
    Binding(
        "left",
        "provider_step(-1)",
        "Provider",
        show=False,
        id="schedule.prev-provider",
        tooltip="Previous provider (column)",
    ),  # fmt: skip
    Binding(
        "right",
        "provider_step(1)",
        "Provider",
        show=False,
        id="schedule.next-provider",
        tooltip="Next provider (column)",
    ),  # fmt: skip
    Binding(
        "h",
        "history",
        "History",
        show=False,
        id="schedule.history",
        tooltip="The appointment's history: status changes, moves, calls",
    ),  # fmt: skip
    Binding(
        "R",
        "reminders",
        "Calls",
        show=False,
        id="schedule.reminders",
        tooltip="Confirmation calls for the next working day",
    ),  # fmt: skip
    Binding(
        "ctrl+r", "reload", "Reload", show=False, id="schedule.reload", tooltip="Reload the day"
    ),  # fmt: skip
]
