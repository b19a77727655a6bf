"""Working a claim: status changes, marking it ready, assigning it, follow-up dates, notes.

Every change is one line of the claim's history (who, when, what, a note) written in the
same transaction, plus an audit event. Status changes follow ``statuses``: only the
allowed transitions, each with its permission; paid, part paid and denied follow money
(``payments``), never a key. A change names the version the desk read and is refused
(StaleEdit) if another desk changed the claim first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from medoffice_tui import clock
from medoffice_tui.db.models import Claim, ClaimStatusEvent, Role, User
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, refuse_unless, writes
from medoffice_tui.services.claims import store, summaries
from medoffice_tui.services.claims.scrubber import ScrubFailed, scrub
from medoffice_tui.services.claims.statuses import (
    MANUAL_TRANSITIONS,
    permission_for,
    status_word,
)

NOTE_MAX = 200
#: how far ahead a follow-up date may be set
FOLLOW_UP_MAX_DAYS = 365


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    user: str
    kind: str
    from_status: str
    to_status: str
    note: str


@dataclass(frozen=True)
class StaffChoice:
    id: int
    username: str
    full_name: str


def _clean_note(note: str) -> str:
    text = " ".join((note or "").split())
    return text[:NOTE_MAX]


@writes("claim.view")
def set_status(
    actor: Actor,
    claim_id: int,
    to_status: str,
    note: str = "",
    expected_version: int | None = None,
    *,
    source: str = "key",
) -> int:
    """Move a claim along an allowed transition. Returns the claim's new version.

    ``source="file"`` is for acknowledgements read from files (999, 277CA): the same
    transitions, noted as such in the history.
    """
    refuse_unless(actor, permission_for(to_status))
    claim = store.lock_claim(claim_id, expected_version)
    if to_status not in MANUAL_TRANSITIONS.get(claim.status, ()):
        raise InvalidInput(
            f"a {status_word(claim.status)} claim cannot become {status_word(to_status)}",
            field="status",
        )
    if to_status == "ready":
        problems = scrub(claim_id)
        if problems:
            raise ScrubFailed(problems)
    if to_status == "closed" and claim.balance_cents != 0:
        raise InvalidInput("only a claim with nothing left to collect can be closed")
    changes: dict = {"status": to_status}
    if to_status == "submitted":
        changes["submitted_at"] = clock.now()
    if to_status == "corrected":
        changes["frequency_code"] = "7"  # a replacement of the claim the payer has
    before = summaries.snapshot(claim)
    from_status = claim.status
    store.save(actor, claim, before, **changes)
    text = _clean_note(note)
    if source == "file":
        text = f"from file: {text}".strip()[:NOTE_MAX]
    store.event(actor, claim_id, "status", text, from_status, to_status)
    audit.record(
        actor,
        "update",
        "claim",
        claim_id,
        patient_id=claim.patient_id,
        fields=("status",),
        detail=f"{from_status} -> {to_status}",
    )
    return claim.version


def mark_ready(actor: Actor, claim_id: int, expected_version: int | None = None) -> int:
    """Scrub the claim and, when nothing is wrong, mark it ready (else ScrubFailed)."""
    return set_status(actor, claim_id, "ready", "scrubber passed", expected_version)


def assignable_staff() -> list[StaffChoice]:
    """Everyone who may work claims (billing and managers), by name."""
    rows = (
        User.select(User.id, User.username, User.full_name)
        .join(Role)
        .where(
            (User.active == True)  # noqa: E712
            & (User.system == False)  # noqa: E712
            & Role.name.in_(("billing", "manager"))
        )
        .order_by(User.full_name)
        .tuples()
    )
    return [StaffChoice(uid, name, full) for uid, name, full in rows]


@writes("claim.edit")
def assign(
    actor: Actor, claim_id: int, user_id: int | None, expected_version: int | None = None
) -> int:
    """Give the claim to someone to work (None: nobody). Returns the new version."""
    if user_id is not None and user_id not in {s.id for s in assignable_staff()}:
        raise InvalidInput("claims go to billing staff or a manager", field="assignee")
    claim = store.lock_claim(claim_id, expected_version)
    before = summaries.snapshot(claim)
    store.save(actor, claim, before, assignee=user_id)
    who = next((s.username for s in assignable_staff() if s.id == user_id), "")
    store.event(actor, claim_id, "assign", f"assigned to {who}" if who else "unassigned")
    audit.record(
        actor, "update", "claim", claim_id, patient_id=claim.patient_id, fields=("assignee",)
    )
    return claim.version


@writes("claim.edit")
def set_follow_up(
    actor: Actor,
    claim_id: int,
    day: dt.date | None,
    note: str = "",
    expected_version: int | None = None,
) -> int:
    """When to look at the claim again (None: no date). Returns the new version."""
    if day is not None and day > clock.today() + dt.timedelta(days=FOLLOW_UP_MAX_DAYS):
        raise InvalidInput("a follow-up date is at most a year ahead", field="follow_up_on")
    claim = store.lock_claim(claim_id, expected_version)
    before = summaries.snapshot(claim)
    store.save(actor, claim, before, follow_up_on=day)
    text = f"follow up on {day:%m/%d/%Y}" if day else "follow-up date cleared"
    extra = _clean_note(note)
    store.event(actor, claim_id, "follow_up", f"{text}: {extra}" if extra else text)
    audit.record(
        actor, "update", "claim", claim_id, patient_id=claim.patient_id, fields=("follow_up_on",)
    )
    return claim.version


@writes("claim.edit")
def add_note(actor: Actor, claim_id: int, note: str) -> None:
    """A note in the claim's history (a call to the payer, what was said)."""
    text = _clean_note(note)
    if not text:
        raise InvalidInput("type the note", field="note")
    claim = store.lock_claim(claim_id)
    store.event(actor, claim_id, "note", text)
    audit.record(actor, "update", "claim", claim_id, patient_id=claim.patient_id, fields=("note",))


def claim_history(claim_id: int) -> list[HistoryRow]:
    """The claim's history, oldest first."""
    rows = (
        ClaimStatusEvent.select(
            ClaimStatusEvent.at,
            User.username,
            ClaimStatusEvent.kind,
            ClaimStatusEvent.from_status,
            ClaimStatusEvent.to_status,
            ClaimStatusEvent.note,
        )
        .join(User, JOIN.LEFT_OUTER, on=(ClaimStatusEvent.user == User.id))
        .where(ClaimStatusEvent.claim == claim_id)
        .order_by(ClaimStatusEvent.at, ClaimStatusEvent.id)
        .tuples()
    )
    return [HistoryRow(at, user or "", kind, f, t, note) for at, user, kind, f, t, note in rows]


__all__ = [
    "Claim",
    "HistoryRow",
    "StaffChoice",
    "add_note",
    "assign",
    "assignable_staff",
    "claim_history",
    "mark_ready",
    "set_follow_up",
    "set_status",
]
