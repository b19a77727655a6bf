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

#: column heads for the permission table in F1 (80 columns hold four of these)
ROLE_SHORT = {
    FRONT_DESK: "Desk",
    BILLING: "Billing",
    CLINICAL: "Clinical",
    MANAGER: "Manager",
}


@dataclass(frozen=True)
class Permission:
    label: str  # "Posting a payment": reads as the subject of "needs the ... role"
    roles: frozenset[str]
    area: str
    short: str  # "post payments": for the one-line-per-area summary in F1


def _p(area: str, label: str, *roles: str, short: str) -> Permission:
    return Permission(label, frozenset(roles), area, short)


ALL = (FRONT_DESK, BILLING, CLINICAL, MANAGER)

#: action -> who may do it. Keep the areas together: F1 and the README print it in order.
PERMISSIONS: dict[str, Permission] = {
    # schedule
    "appointment.book": _p(
        "Schedule", "Booking an appointment", FRONT_DESK, CLINICAL, MANAGER, short="book"
    ),
    "appointment.status": _p(
        "Schedule",
        "Changing an appointment's status",
        FRONT_DESK,
        CLINICAL,
        MANAGER,
        short="status",
    ),
    "appointment.move": _p(
        "Schedule", "Moving an appointment", FRONT_DESK, CLINICAL, MANAGER, short="move"
    ),
    "appointment.overbook": _p("Schedule", "Overbooking", MANAGER, short="overbook"),
    "schedule.block": _p(
        "Schedule", "Blocking a provider's time", FRONT_DESK, MANAGER, short="block time"
    ),
    # patients
    "patient.view": _p("Patients", "Opening a patient's record", *ALL, short="open records"),
    "patient.create": _p(
        "Patients", "Registering a patient", FRONT_DESK, MANAGER, short="register"
    ),
    "patient.edit": _p(
        "Patients", "Editing demographics", FRONT_DESK, BILLING, MANAGER, short="edit"
    ),
    "coverage.edit": _p(
        "Patients", "Editing insurance", FRONT_DESK, BILLING, MANAGER, short="insurance"
    ),
    "allergy.edit": _p(
        "Patients", "Recording allergies", FRONT_DESK, CLINICAL, MANAGER, short="allergies"
    ),
    "vitals.record": _p("Patients", "Recording vitals", CLINICAL, MANAGER, short="vitals"),
    "patient.merge": _p("Patients", "Merging duplicate patients", MANAGER, short="merge"),
    "patient.import": _p("Patients", "Importing a patient list", MANAGER, short="import"),
    "patient.export": _p("Patients", "Exporting the patient list", MANAGER, short="export"),
    "patient.note": _p("Patients", "Adding a note to a record", *ALL, short="notes"),
    # claims and money
    "claim.view": _p("Claims", "Viewing claims", *ALL, short="view"),
    "charge.enter": _p("Claims", "Entering charges", FRONT_DESK, BILLING, MANAGER, short="charges"),
    "claim.edit": _p("Claims", "Editing a claim", BILLING, MANAGER, short="edit claims"),
    "claim.submit": _p("Claims", "Submitting claims", BILLING, MANAGER, short="submit"),
    "payment.collect": _p(
        "Claims", "Taking a patient payment", FRONT_DESK, BILLING, MANAGER, short="take payments"
    ),
    "payment.post": _p("Claims", "Posting a payment", BILLING, MANAGER, short="post payments"),
    "claim.write_off": _p("Claims", "Writing off a balance", BILLING, MANAGER, short="write off"),
    "codes.import": _p("Claims", "Importing code sets", BILLING, MANAGER, short="code sets"),
    # stock
    "stock.receive": _p("Stock", "Receiving stock", FRONT_DESK, CLINICAL, MANAGER, short="receive"),
    "stock.use": _p("Stock", "Using stock", FRONT_DESK, CLINICAL, MANAGER, short="use"),
    "stock.count": _p(
        "Stock", "Counting or expiring stock", FRONT_DESK, CLINICAL, MANAGER, short="count/expire"
    ),
    "stock.transfer": _p(
        "Stock", "Moving stock between locations", FRONT_DESK, CLINICAL, MANAGER, short="transfer"
    ),
    "stock.item.edit": _p(
        "Stock", "Editing supply items and locations", FRONT_DESK, MANAGER, short="items"
    ),
    "stock.order": _p("Stock", "Ordering supplies", FRONT_DESK, MANAGER, short="order"),
    # the practice
    "user.password.own": _p("Practice", "Changing one's own password", *ALL, short="own password"),
    "user.manage": _p("Practice", "Managing staff accounts", MANAGER, short="staff accounts"),
    "audit.view": _p("Practice", "Viewing the audit trail", MANAGER, short="audit trail"),
    "settings.edit": _p("Practice", "Changing practice settings", MANAGER, short="settings"),
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


def summary_for(who: HasRole | str) -> list[tuple[str, str]]:
    """What a role may do, one line per area: ("Schedule", "book, status, move")."""
    role = _role_of(who)
    areas: dict[str, list[str]] = {}
    for permission in PERMISSIONS.values():
        if role in permission.roles:
            areas.setdefault(permission.area, []).append(permission.short)
    return [(area, ", ".join(shorts)) for area, shorts in areas.items()]


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in roles)


def markdown_table() -> str:
    """The permission table as README shows it (a test keeps the two equal)."""
    roles = [ROLE_LABELS[r] for r in ROLE_NAMES]
    lines = [
        "| area | action | " + " | ".join(roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for permission in PERMISSIONS.values():
        marks = ["yes" if r in permission.roles else "" for r in ROLE_NAMES]
        lines.append(f"| {permission.area} | {permission.label} | " + " | ".join(marks) + " |")
    return "\n".join(lines)
