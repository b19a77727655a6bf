"""How every claim write starts and ends: lock the row, check the version, keep the
summary and the history in step. Internal to the claims package."""

from __future__ import annotations

from typing import Any

from medoffice_tui import clock
from medoffice_tui.db.models import Claim, ClaimStatusEvent
from medoffice_tui.errors import NotFound, StaleEdit
from medoffice_tui.services.actor import Actor, inside_write
from medoffice_tui.services.claims import summaries
from medoffice_tui.services.staff import staff_name

HISTORY_NOTE_MAX = 200


@inside_write
def lock_claim(claim_id: int, expected_version: int | None = None) -> Claim:
    """The claim, locked for this transaction (SQLite: the write lock is already held;
    PostgreSQL: the UPDATE takes the row lock), its version moved on by one.

    ``expected_version`` refuses with StaleEdit when another desk changed the claim
    after this desk read it; posting money passes None (payments add up, they never
    overwrite), and the lock makes concurrent postings run one after another.
    """
    query = Claim.update(version=Claim.version + 1).where(Claim.id == claim_id)
    if expected_version is not None:
        query = query.where(Claim.version == expected_version)
    if query.execute() == 0:
        current = Claim.get_or_none(Claim.id == claim_id)
        if current is None:
            raise NotFound(f"claim {claim_id} no longer exists")
        raise StaleEdit(changed_by=staff_name(current.updated_by_id))
    return Claim.get_by_id(claim_id)


@inside_write
def save(actor: Actor, claim: Claim, before: summaries.ClaimMoney, **changes: Any) -> Claim:
    """Write ``changes`` to the locked claim, stamp who and when, move the summary."""
    changes.setdefault("updated_at", clock.now())
    changes["updated_by"] = actor.user_id
    if "status" in changes and changes["status"] != claim.status:
        changes.setdefault("status_changed_at", clock.now())
    Claim.update(**changes).where(Claim.id == claim.id).execute()
    for name, value in changes.items():
        setattr(claim, name if name != "updated_by" else "updated_by_id", value)
    summaries.move(before, summaries.snapshot(claim))
    return claim


@inside_write
def event(
    actor: Actor,
    claim_id: int,
    kind: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> None:
    """One line of the claim's history: who, when, what, and a note."""
    ClaimStatusEvent.insert(
        claim=claim_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        at=clock.now(),
        user=actor.user_id,
        note=note[:HISTORY_NOTE_MAX],
    ).execute()
