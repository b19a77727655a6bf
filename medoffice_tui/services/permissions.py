"""Who may do what: one table, checked by every service write (not only by the screens).

``PERMISSIONS`` maps each action to a short label and the roles allowed to do it.
Service functions name their action in ``@writes("...")`` / ``@reads("...")``
(``services/actor.py``), which call :func:`require`; a refusal raises
:class:`~medoffice_tui.errors.PermissionDenied` naming the roles that may, and is
written to the audit trail. Screens ask :func:`allowed` to hide or disable keys,
which is a courtesy only: the service decides.

The same table is printed in F1 and in the README (``permission_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from medoffice_tui.db.models import ROLE_NAMES
from medoffice_tui.errors import PermissionDenied

FRONT_DESK, BILLING, CLINICAL, MANAGER = ROLE_NAMES

ROLE_LABELS = {
    FRONT_DESK: "Front desk",
    BILLING: "Billing",
    CLINICAL: "Clinical assistant",
    MANAGER: "Manager",
}


@dataclass(frozen=True)
class Permission:
    label: str  # "Posting a payment": reads as the subject of "needs the ... role"
    roles: frozenset[str]
    area: str


def _p(area: str, label: str, *roles: str) -> Permission:
    return Permission(label, frozenset(roles), area)


ALL = (FRONT_DESK, BILLING, CLINICAL, MANAGER)

#: action -> who may do it. Keep the areas together: F1 and the README print it in order.
PERMISSIONS: dict[str, Permission] = {
    # schedule
    "appointment.book": _p("Schedule", "Booking an appointment", FRONT_DESK, CLINICAL, MANAGER),
    "appointment.status": _p(
        "Schedule", "Changing an appointment's status", FRONT_DESK, CLINICAL, MANAGER
    ),
    "appointment.move": _p("Schedule", "Moving an appointment", FRONT_DESK, CLINICAL, MANAGER),
    "appointment.overbook": _p("Schedule", "Overbooking", MANAGER),
    "schedule.block": _p("Schedule", "Blocking a provider's time", FRONT_DESK, MANAGER),
    # patients
    "patient.view": _p("Patients", "Opening a patient's record", *ALL),
    "patient.create": _p("Patients", "Registering a patient", FRONT_DESK, MANAGER),
    "patient.edit": _p("Patients", "Editing demographics", FRONT_DESK, BILLING, MANAGER),
    "coverage.edit": _p("Patients", "Editing insurance", FRONT_DESK, BILLING, MANAGER),
    "allergy.edit": _p("Patients", "Recording allergies", FRONT_DESK, CLINICAL, MANAGER),
    "vitals.record": _p("Patients", "Recording vitals", CLINICAL, MANAGER),
    "patient.merge": _p("Patients", "Merging duplicate patients", MANAGER),
    "patient.import": _p("Patients", "Importing a patient list", MANAGER),
    # claims and money
    "claim.view": _p("Claims", "Viewing claims", *ALL),
    "charge.enter": _p("Claims", "Entering charges", FRONT_DESK, BILLING, MANAGER),
    "claim.edit": _p("Claims", "Editing a claim", BILLING, MANAGER),
    "claim.submit": _p("Claims", "Submitting claims", BILLING, MANAGER),
    "payment.collect": _p("Claims", "Taking a patient payment", FRONT_DESK, BILLING, MANAGER),
    "payment.post": _p("Claims", "Posting a payment", BILLING, MANAGER),
    "claim.write_off": _p("Claims", "Writing off a balance", BILLING, MANAGER),
    "codes.import": _p("Claims", "Importing code sets", BILLING, MANAGER),
    # stock
    "stock.receive": _p("Stock", "Receiving stock", FRONT_DESK, CLINICAL, MANAGER),
    "stock.use": _p("Stock", "Using stock", FRONT_DESK, CLINICAL, MANAGER),
    "stock.count": _p("Stock", "Counting or expiring stock", FRONT_DESK, CLINICAL, MANAGER),
    "stock.item.edit": _p("Stock", "Editing supply items", FRONT_DESK, MANAGER),
    "stock.order": _p("Stock", "Ordering supplies", FRONT_DESK, MANAGER),
    # the practice
    "user.password.own": _p("Practice", "Changing one's own password", *ALL),
    "user.manage": _p("Practice", "Managing staff accounts", MANAGER),
    "audit.view": _p("Practice", "Viewing the audit trail", MANAGER),
    "settings.edit": _p("Practice", "Changing practice settings", MANAGER),
}


class HasRole(Protocol):
    role: str


def _role_of(who: HasRole | str) -> str:
    return who if isinstance(who, str) else who.role


def allowed(who: HasRole | str, action: str) -> bool:
    """May this actor (or role name) do ``action``? Unknown actions are refused."""
    permission = PERMISSIONS.get(action)
    return permission is not None and _role_of(who) in permission.roles


def needed_roles(action: str) -> list[str]:
    """Labels of the roles that may do ``action``, in the usual order."""
    permission = PERMISSIONS.get(action)
    if permission is None:
        return []
    return [ROLE_LABELS[r] for r in ROLE_NAMES if r in permission.roles]


def require(who: HasRole | str, action: str) -> None:
    """Raise PermissionDenied unless ``who`` may do ``action``."""
    if not allowed(who, action):
        permission = PERMISSIONS.get(action)
        label = permission.label if permission else f"'{action}'"
        raise PermissionDenied(action, label, needed_roles(action))


def permission_rows() -> list[tuple[str, str, list[str]]]:
    """(area, label, role labels) for every action, for F1 and the README."""
    return [(p.area, p.label, needed_roles(action)) for action, p in PERMISSIONS.items()]


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in roles)
