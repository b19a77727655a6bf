"""What moved the practice's change token, as an open schedule sees it.

``services.changes.change_token`` says *that* something changed; a schedule at a desk
also needs to know whether it was anything it does not already show. The events
between two tokens (read by primary-key range, a few rows) answer that:

- a read (a record opened, a list exported, a sign-in, a refusal) changes nothing the
  schedule shows;
- a write to an appointment is named with the version it has now: a desk that already
  shows that version (its own change, drawn when the write returned) has nothing to
  reload, while any other desk, or the same user at another terminal, sees a newer one;
- anything else (a patient renamed, a block added, a provider's hours, a bulk job) asks
  for the day again.
"""

from __future__ import annotations

from medoffice_tui.db.models import Appointment, AuditEvent

#: audit actions that change no row the schedule shows
READ_ONLY_ACTIONS = frozenset(
    {"view", "export", "refused", "sign_in", "sign_in_failed", "sign_out", "lock", "unlock",
     "lockout"}
)  # fmt: skip
#: past this many events since the last look, reload rather than read them all
MAX_EVENTS = 200


def appointments_touched(after: int, upto: int) -> dict[int, int] | None:
    """The appointments written between change tokens ``after`` and ``upto``, each with
    its version now (-1 when it is gone); ``{}`` when only reads happened; None when
    something other than an appointment changed (or too much happened to look)."""
    if upto <= after:
        return {}
    if upto - after > MAX_EVENTS:
        return None
    events = (
        AuditEvent.select(AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id)
        .where((AuditEvent.id > after) & (AuditEvent.id <= upto))
        .tuples()
    )
    ids: set[int] = set()
    for action, kind, object_id in events:
        if action in READ_ONLY_ACTIONS:
            continue
        if kind != "appointment" or object_id is None:
            return None
        ids.add(int(object_id))
    if not ids:
        return {}
    versions = dict(
        Appointment.select(Appointment.id, Appointment.version)
        .where(Appointment.id.in_(sorted(ids)))
        .tuples()
    )
    return {appt_id: int(versions.get(appt_id, -1)) for appt_id in ids}
