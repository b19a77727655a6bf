"""What the claims-files screen lists: the claims a clearinghouse or payer rejected (to fix
and send again), each with the reason it gave; the files written and read; one summary
line. Lists are keyset paged (``Page``), reads are indexed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from medoffice_tui.db.models import (
    Claim,
    ClaimAck,
    ClaimStatusEvent,
    Patient,
    Payer,
    X12File,
)
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.claims.statuses import status_word
from medoffice_tui.services.paging import Page

REJECTED = ("rejected_ch", "rejected_payer")


@dataclass(frozen=True)
class RejectedRow:
    claim_id: int
    claim_number: str
    version: int
    status: str
    patient_id: int
    patient_name: str
    payer: str
    service_date: dt.date
    rejected_at: dt.datetime
    reason: str
    source: str  # 999, 277CA, or "key" (rejected by hand)
    changed_at: dt.datetime | None = None

    @property
    def status_word(self) -> str:
        return status_word(self.status)

    @property
    def why(self) -> str:
        """The reason, with the file it came from when it came from one."""
        return f"{self.source}: {self.reason}" if self.source in ("999", "277CA") else self.reason


@dataclass(frozen=True)
class FileRow:
    id: int
    at: dt.datetime
    direction: str
    kind: str
    name: str
    claims: int
    interchange: str
    status: str
    resend: bool


@dataclass(frozen=True)
class Summary:
    ready: int
    rejected: int
    last_sent: str  # "837P-000000012.x12 on 11/23 10:30" or ""
    files_today: int

    def line(self) -> str:
        sent = f"last sent {self.last_sent}" if self.last_sent else "nothing sent yet"
        return f"{self.ready} ready · {self.rejected} rejected · {sent} · {self.files_today} today"


def _reasons(claim_ids: list[int]) -> dict[int, tuple[str, str, dt.datetime]]:
    """The newest rejection reason of each claim: (reason, source, when)."""
    if not claim_ids:
        return {}
    out: dict[int, tuple[str, str, dt.datetime]] = {}
    for ack in (
        ClaimAck.select()
        .where(ClaimAck.claim.in_(claim_ids) & (ClaimAck.accepted == False))  # noqa: E712
        .order_by(ClaimAck.at, ClaimAck.id)
    ):
        out[ack.claim_id] = (ack.reason, ack.kind, ack.at)
    missing = [cid for cid in claim_ids if cid not in out]
    if missing:
        for event in (
            ClaimStatusEvent.select()
            .where(ClaimStatusEvent.claim.in_(missing) & ClaimStatusEvent.to_status.in_(REJECTED))
            .order_by(ClaimStatusEvent.at, ClaimStatusEvent.id)
        ):
            out[event.claim_id] = (event.note or "rejected (no reason noted)", "key", event.at)
    return out


@reads("claim.view")
def rejected_claims(
    actor: Actor, *, after: tuple[dt.datetime, int] | None = None, limit: int = 100
) -> Page[RejectedRow]:
    """Rejected claims, the most recently rejected first (keyset: ``after`` = the last
    row's (status change time, claim id))."""
    query = (
        Claim.select(
            Claim.id,
            Claim.claim_number,
            Claim.version,
            Claim.status,
            Claim.patient,
            Patient.last_name,
            Patient.first_name,
            Payer.name,
            Claim.service_date,
            Claim.status_changed_at,
        )
        .join(Patient, on=(Claim.patient == Patient.id))
        .switch(Claim)
        .join(Payer, on=(Claim.payer == Payer.id))
        .where(Claim.status.in_(REJECTED))
        .order_by(Claim.status_changed_at.desc(), Claim.id.desc())
        .limit(limit + 1)
    )
    if after is not None:
        when, last_id = after
        query = query.where(
            (Claim.status_changed_at < when)
            | ((Claim.status_changed_at == when) & (Claim.id < last_id))
        )
    rows = list(query.tuples())
    more = len(rows) > limit
    rows = rows[:limit]
    reasons = _reasons([r[0] for r in rows])
    out = []
    for cid, number, version, status, pid, last, first, payer, day, changed in rows:
        reason, source, when = reasons.get(cid, ("rejected (no reason noted)", "key", changed))
        out.append(
            RejectedRow(
                cid,
                number,
                version,
                status,
                pid,
                f"{last}, {first}",
                payer,
                day,
                when or changed,
                reason,
                source,
                changed,
            )
        )
    last_row = out[-1] if out else None
    return Page(
        out, next_after=(last_row.changed_at, last_row.claim_id) if more and last_row else None
    )


@reads("claim.view")
def recent_files(actor: Actor, *, after: int | None = None, limit: int = 100) -> Page[FileRow]:
    query = X12File.select().order_by(X12File.id.desc()).limit(limit + 1)
    if after is not None:
        query = query.where(X12File.id < after)
    rows = list(query)
    more = len(rows) > limit
    out = [
        FileRow(
            f.id, f.at, f.direction, f.kind, f.name, f.claims, f.interchange, f.status, f.resend
        )
        for f in rows[:limit]
    ]
    return Page(out, next_after=out[-1].id if more and out else None)


@reads("claim.view")
def summary(actor: Actor, today: dt.date) -> Summary:
    counts = dict(
        Claim.select(Claim.status, fn.COUNT(Claim.id))
        .where(Claim.status.in_(("ready", *REJECTED)))
        .group_by(Claim.status)
        .tuples()
    )
    last = (
        X12File.select()
        .where((X12File.direction == "out") & (X12File.kind == "837P"))
        .order_by(X12File.id.desc())
        .first()
    )
    start = dt.datetime.combine(today, dt.time())
    today_files = X12File.select().where(X12File.at >= start).count()
    sent = f"{last.name} on {last.at:%m/%d %H:%M}" if last else ""
    return Summary(
        int(counts.get("ready", 0)),
        int(counts.get("rejected_ch", 0)) + int(counts.get("rejected_payer", 0)),
        sent,
        today_files,
    )


__all__ = [
    "REJECTED",
    "FileRow",
    "RejectedRow",
    "Summary",
    "recent_files",
    "rejected_claims",
    "summary",
]
