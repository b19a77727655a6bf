"""Who the staff are: the rows the staff screen and the CLI list, a user's display name,
the demo accounts the sign-in screen offers on a demo practice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from medoffice_tui.db.models import Practice, Role, User
from medoffice_tui.errors import NotFound
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.permissions import ROLE_LABELS


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()


@dataclass(frozen=True)
class StaffRow:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    os_login: str
    version: int

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def state(self, now: dt.datetime) -> str:
        if not self.active:
            return "disabled"
        return "locked" if self.is_locked(now) else "active"


def anyone_can_sign_in() -> bool:
    """Is there an active staff account with a password (else the app cannot be used)?"""
    return (
        User.select()
        .where(
            (User.active == True)  # noqa: E712
            & (User.system == False)  # noqa: E712
            & (User.password_hash != "")
        )
        .exists()
    )


def _staff_query():  # noqa: ANN202 - a peewee query
    return (
        User.select(
            User.id,
            User.username,
            User.full_name,
            Role.name,
            User.active,
            User.failed_logins,
            User.locked_until,
            User.last_login_at,
            User.os_login,
            User.version,
        )  # fmt: skip
        .join(Role, JOIN.INNER, on=(User.role == Role.id))
        .where(User.system == False)  # noqa: E712
    )


def _to_staff(row: tuple) -> StaffRow:
    uid, username, full, role, active, failed, locked, last, os_login, version = row
    return StaffRow(
        uid, username, full, role, bool(active), failed, locked, last, os_login or "", version
    )


@reads("user.manage")
def list_staff(actor: Actor, include_disabled: bool = True) -> list[StaffRow]:
    """Every staff account (not the system one), by username."""
    query = _staff_query().order_by(User.username)
    if not include_disabled:
        query = query.where(User.active == True)  # noqa: E712
    return [_to_staff(row) for row in query.tuples()]


#: the demo practice's documented accounts, one per role: (username, password, role).
#: ``medoffice demo`` creates them; the sign-in screen lists them on a demo database only.
DEMO_ACCOUNTS = (
    ("frontdesk", "frontdesk-demo", "front_desk"),
    ("billing", "billing-demo", "billing"),
    ("clinical", "clinical-demo", "clinical"),
    ("manager", "manager-demo", "manager"),
)


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, password, role label) of the documented demo accounts, one per role,
    only on a demo database (never on a real practice)."""
    practice = Practice.select(Practice.is_demo).order_by(Practice.id).first()
    if practice is None or not practice.is_demo:
        return []
    return [(u, p, ROLE_LABELS[r]) for u, p, r in DEMO_ACCOUNTS]


def staff_name(user_id: int | None) -> str:
    """A staff member's full name for messages ("changed by Jasmine Reyes"), or ''."""
    if user_id is None:
        return ""
    return User.select(User.full_name).where(User.id == user_id).scalar() or ""


def get_staff(username: str) -> StaffRow:
    row = _staff_query().where(User.username == normalize_username(username)).tuples().first()
    if row is None:
        raise NotFound("no staff account has that username")
    return _to_staff(row)
