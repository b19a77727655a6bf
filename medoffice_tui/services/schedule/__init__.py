"""The schedule: providers' days, booking, running the day, moving, finding a slot, calls.

One module per job; import everything from here (``from medoffice_tui.services
import schedule``):

- ``rows``: providers, appointment types, appointment rows;
- ``calendar``: hours, blocks and one day's view (``day_view``);
- ``grid``: the day grid (rows by time, a cell per provider, a summary per provider);
- ``rules`` and ``booking``: the booking rules, in one transaction that locks first;
- ``status``: status changes (``TRANSITIONS``) and the undo of the last one;
- ``moves``: rescheduling, with where it was and who moved it in the history;
- ``history``: each appointment's history rows;
- ``find``: find next available across the coming weeks;
- ``reminders``: the confirmation list, call outcomes, its CSV;
- ``checkin``: what the desk must ask for at arrival;
- ``live``: what moved the change token, as an open schedule sees it.

Double booking is prevented by the database itself (a trigger on SQLite, an
exclusion constraint on PostgreSQL, see ``db/engines``); the per-patient rule by a
per-patient lock taken first in the same transaction.
"""

from medoffice_tui.services.schedule.booking import book_appointment, default_minutes
from medoffice_tui.services.schedule.calendar import BlockRow, DayView, day_view
from medoffice_tui.services.schedule.checkin import (
    ELIGIBILITY_DAYS,
    CheckInEssentials,
    Essential,
    checkin_essentials,
)
from medoffice_tui.services.schedule.errors import NeedsOverbook, PatientInactive
from medoffice_tui.services.schedule.find import TIMES_OF_DAY, OpenSlot, find_slots
from medoffice_tui.services.schedule.grid import (
    DayGrid,
    GridCell,
    ProviderSummary,
    build_grid,
    with_provider,
)
from medoffice_tui.services.schedule.history import HistoryRow, appointment_history
from medoffice_tui.services.schedule.live import appointments_touched
from medoffice_tui.services.schedule.moves import MOVABLE, move_appointment
from medoffice_tui.services.schedule.reminders import (
    OUTCOME_WORDS,
    ReminderRow,
    confirmation_list,
    export_confirmation_list,
    next_working_day,
    record_call,
)
from medoffice_tui.services.schedule.rows import (
    AppointmentRow,
    AppointmentTypeRow,
    ProviderColumn,
    get_appointment,
    list_appointment_types,
    list_providers,
    provider_name,
    undo_targets,
    visit_has_claim,
)
from medoffice_tui.services.schedule.rules import MAX_MINUTES
from medoffice_tui.services.schedule.status import (
    CANCEL_REASONS,
    STAMPS,
    TODAY_ONLY,
    TRANSITIONS,
    allowed_statuses,
    day_refusal,
    next_statuses,
    set_status,
    undo_status,
    undo_target,
)

__all__ = [
    "CANCEL_REASONS",
    "ELIGIBILITY_DAYS",
    "MAX_MINUTES",
    "MOVABLE",
    "OUTCOME_WORDS",
    "STAMPS",
    "TIMES_OF_DAY",
    "TODAY_ONLY",
    "TRANSITIONS",
    "AppointmentRow",
    "AppointmentTypeRow",
    "BlockRow",
    "CheckInEssentials",
    "DayGrid",
    "DayView",
    "Essential",
    "GridCell",
    "HistoryRow",
    "NeedsOverbook",
    "OpenSlot",
    "PatientInactive",
    "ProviderColumn",
    "ProviderSummary",
    "ReminderRow",
    "allowed_statuses",
    "appointment_history",
    "appointments_touched",
    "book_appointment",
    "build_grid",
    "checkin_essentials",
    "confirmation_list",
    "day_refusal",
    "day_view",
    "default_minutes",
    "export_confirmation_list",
    "find_slots",
    "get_appointment",
    "list_appointment_types",
    "list_providers",
    "move_appointment",
    "next_statuses",
    "next_working_day",
    "provider_name",
    "record_call",
    "set_status",
    "undo_status",
    "undo_target",
    "undo_targets",
    "visit_has_claim",
    "with_provider",
]
