"""Schedule pane (F2): the day the front desk lives in: book, move, run the day.

**What it shows.** With all providers at 80 columns: the *agenda*, every provider's
appointments and blocks in time order with the caseload of each provider on the line
above (booked/open, no-shows, overbooks). With one provider (``p``, or Left/Right):
that provider's *day grid*, a row per slot from the first working hour to the last,
free slots shown as free, lunch and other blocks, off-hours dimmed, the caseload
summary on top. From 100 columns up, all providers is a grid of provider columns side
by side (four at 160x48), lined up by time; Left/Right move between them.

*Why one provider at a time at 80x24, not six narrow columns:* six columns of 12
characters leave room for "Lee, A" and no status, and a desk cannot tell 9:00 from
9:15 across them; one provider at a time keeps the patient's whole name, the type,
the length and the status on one line, and the agenda answers the question 80-column
desks ask all day (who is arriving next, whoever they see). Wider terminals get the
side-by-side grid, where the columns are wide enough to read.

**The keymap**, settled so the common actions get the obvious letter:

- ``b`` book (also Enter on a free slot), ``m`` move, ``f`` find next available,
  ``x`` cancel (asks for a reason), ``u`` undo the last status change, ``h`` history;
- one key per status: ``c`` confirm, ``i`` check in (then the check-in essentials),
  ``r`` roomed, ``d`` done (checked out: for a role that enters charges, the charge
  form of the Claims pane follows when the visit has no claim yet), ``n`` no-show
  (kept from before: the desk's fingers know it; it asks once, as cancel does);
  arrived, roomed and done only on today's visits;
- ``[`` / ``]`` day, ``t`` today, ``g`` go to a day typed forgivingly (``tue``,
  ``next tue``, ``+2w``, ``12/1``); ``p`` and Left/Right choose the provider;
- ``R`` the confirmation calls for the next working day (capital: ``r`` is roomed, and
  calls are made once a day, not once a minute); Ctrl+R reloads.

Every write names the version the desk saw, and writes to one appointment run one at
a time (``call_service(key=...)``): a key pressed twice acts on the new version; a
change another desk made first is refused, said, and the day reloaded. Another desk's
changes arrive by themselves within about a second (``schedule_live.py``); only the
rows that changed are redrawn, so an idle screen sends nothing.
"""

from medoffice_tui.ui.panes.schedule.pane import SchedulePane
from medoffice_tui.ui.widgets.day_grid import appointment_row, short_provider

# kept importable from here for the tests and screens that used them
__all__ = ["SchedulePane", "appointment_row", "short_provider"]
