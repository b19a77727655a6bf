"""Has anything changed since I last looked? A token any screen can poll cheaply.

Every write in the app goes through the one write path and records at least one audit
event, which moves the audit chain's head; so the head's last id is a practice-wide
change counter on both engines, read by primary key in microseconds. A screen that
shows live data (the day's schedule at several desks) polls it on a timer and reloads
only when it moved; when nothing changed nothing is drawn and no byte is sent.

Opening a record also moves it (a view is an audit event): a reload then finds the
same rows and repaints nothing.
"""

from __future__ import annotations

from medoffice_tui.db.models import AuditHead


def change_token() -> int:
    """A number that grows whenever anyone changes anything (0 on an empty practice)."""
    value = AuditHead.select(AuditHead.last_id).where(AuditHead.id == 1).scalar()
    return int(value or 0)
