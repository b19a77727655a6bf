"""Build a realistic, deterministic demo practice (``medoffice demo``).

Why it looks the way it does:

- Deterministic: every random choice comes from ``random.Random`` seeded from
  ``seed`` and every date/time is computed from the ``today`` argument (the
  "now" of the demo is ``today`` at 10:30), so the same (patients, seed, today)
  always gives the same rows on either engine (``state``, ``timeframe``).
- Fast: rows are built as plain tuples with ids assigned here, then written
  with multi-row ``INSERT`` statements in chunks inside ONE transaction; the SQL
  is portable, so PostgreSQL takes the same path (``bulk``).
- Consistent: schedules respect hours, blocks and the overlap guard
  (``schedule``); claim money balances (``billing``); stock on hand equals the sum
  of its lots, and each lot's quantity equals the sum of its stock movements
  (``supplies``).
- Not a second copy of the rules: statuses come from the models, the MRN format
  and phone search key from ``services.patients``, the aging buckets from
  ``services.claims``.

Modules: ``builder`` runs the parts in order; ``practice``, ``patients``,
``coverage``, ``clinical``, ``schedule``, ``billing`` (with ``coding`` and
``claim_rows``) and ``supplies`` each build one part; ``reference`` holds the
fixed tables they draw from.
"""

from medoffice_tui.demo.builder import build_demo, clear_all, has_data
from medoffice_tui.demo.summary import DemoSummary

__all__ = ["DemoSummary", "build_demo", "clear_all", "has_data"]
