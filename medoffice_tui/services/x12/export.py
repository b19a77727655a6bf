"""Sending claims: every ready claim into one 837P file, checked twice, then marked sent.

1. The claims: every claim in the status asked for (``ready``), or the ones named.
   A claim that went out already (sent, accepted, pending) goes again only when a
   *resend* is asked for; drafts and decided claims never go.
2. The scrubber runs on each again (the record may have changed since it was marked
   ready): a claim with a problem stays where it is and is listed with the problem.
3. The file is built and checked by pyx12 (zero errors, or nothing is written), all
   before any lock is taken.
4. One transaction: the next interchange and group control numbers, the file written
   (owner-only, to a temporary name), its record, each claim's place in it, and each
   claim moved to *sent* through the claims' own transition (history: the file name and
   control numbers; a resend is a note instead). A claim another desk changed or sent
   meanwhile stops the whole export (nothing is sent twice, nothing half-recorded).
5. The file gets its name once the transaction has committed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from medoffice_tui import files
from medoffice_tui.db.models import Claim, X12File, X12Submission
from medoffice_tui.errors import InvalidInput, StaleEdit
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import history
from medoffice_tui.services.claims.scrubber import scrub
from medoffice_tui.services.x12 import envelope, x837p
from medoffice_tui.services.x12.envelope import ControlNumbers
from medoffice_tui.services.x12.validation import Validation, validate_text

ProgressFn = Callable[[str, int, int], None]

#: statuses a claim may be sent again from (a resend)
RESENDABLE = frozenset({"submitted", "accepted_ch", "pending"})


@dataclass(frozen=True)
class Skipped:
    claim_id: int
    claim_number: str
    reason: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    file_id: int
    interchange: str
    group: str
    claims: int
    sets: int
    segments: int
    skipped: tuple[Skipped, ...] = ()
    resend: bool = False
    validated: bool = True
    claim_ids: tuple[int, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        what = "resent" if self.resend else "sent"
        check = "pyx12: 0 errors" if self.validated else "not checked by pyx12"
        skipped = f"; {len(self.skipped)} left out (see why)" if self.skipped else ""
        claims = "1 claim" if self.claims == 1 else f"{self.claims} claims"
        return (
            f"{claims} {what} in {self.path.name} (ISA13 {self.interchange}, "
            f"GS06 {self.group}; {check}){skipped}"
        )


def _target(out: str | os.PathLike[str]) -> Path | None:
    """The file to write; None: a folder was given (the name comes with the numbers)."""
    path = Path(out).expanduser()
    if path.is_dir():
        return None
    if path.exists():
        raise InvalidInput(f"{path.name} exists already: choose a new name", field="out")
    if not path.parent.is_dir():
        raise InvalidInput("that folder does not exist", field="out")
    return path


def _select(status: str, claim_ids: list[int] | None, resend: bool) -> list[Claim]:
    if claim_ids:
        found = {c.id: c for c in Claim.select().where(Claim.id.in_(list(claim_ids)))}
        missing = [cid for cid in claim_ids if cid not in found]
        if missing:
            raise InvalidInput(f"no claim {missing[0]}", field="claims")
        chosen = [found[cid] for cid in claim_ids]
    else:
        chosen = list(Claim.select().where(Claim.status == status).order_by(Claim.id))
    sent = [c for c in chosen if c.status in RESENDABLE]
    if sent and not resend:
        first = sent[0]
        earlier = (
            X12File.select(X12File.name)
            .join(X12Submission)
            .where(X12Submission.claim == first.id)
            .order_by(X12File.id.desc())
            .scalar()
        )
        where = f" in {earlier}" if earlier else ""
        raise InvalidInput(
            f"{len(sent)} of these claims were sent already ({first.claim_number}{where}): "
            "ask for a resend to send them again",
            field="resend",
        )
    if resend:
        wrong = [c for c in chosen if c.status not in RESENDABLE]
        if wrong:
            raise InvalidInput(
                f"{wrong[0].claim_number} has not been sent ({wrong[0].status}): a resend "
                "is for claims sent already",
                field="claims",
            )
    else:
        wrong = [c for c in chosen if c.status != "ready"]
        if wrong:
            raise InvalidInput(
                f"{wrong[0].claim_number} is not ready ({wrong[0].status}): mark it ready first",
                field="claims",
            )
    return chosen


@dataclass
class _Plan:
    claims: list[Claim]
    data: list[x837p.ClaimData]
    skipped: list[Skipped]
    validation: Validation | None


def _plan(
    status: str,
    claim_ids: list[int] | None,
    resend: bool,
    validate: bool,
    progress: ProgressFn,
) -> _Plan:
    chosen = _select(status, claim_ids, resend)
    if not chosen:
        raise InvalidInput(f"there are no {status.replace('_', ' ')} claims to send")
    passing: list[Claim] = []
    skipped: list[Skipped] = []
    for done, claim in enumerate(chosen, 1):
        problems = scrub(claim.id)
        if problems:
            skipped.append(Skipped(claim.id, claim.claim_number, problems[0].message))
        else:
            passing.append(claim)
        if done % 50 == 0 or done == len(chosen):
            progress("checking claims", done, len(chosen))
    if not passing:
        first = skipped[0]
        raise InvalidInput(
            f"no claim passes the scrubber ({first.claim_number}: {first.reason})",
            field="claims",
        )
    data = x837p.load_claims([c.id for c in passing])
    validation = None
    if validate:
        progress("checking the file (pyx12)", 0, 1)
        built = _build(data, ControlNumbers(1, 1))
        line_of = {n: n for n in range(1, built.segments + 10)}
        validation = validate_text(built.text, line_of=line_of)
        if not validation.ok:
            fault = validation.first()
            raise InvalidInput(f"pyx12 found the file not valid: {fault}; nothing was sent")
        progress("checking the file (pyx12)", 1, 1)
    return _Plan(passing, data, skipped, validation)


def _build(data: list[x837p.ClaimData], numbers: ControlNumbers) -> x837p.Built:
    keys = {c.billing_key for c in data} | {None}
    return x837p.build(
        data,
        x837p.billing_providers(keys),
        envelope.partner(),
        numbers,
        envelope.stamp(),
    )


@dataclass
class _Written:
    result: ExportResult
    temp: Path


@writes("claim.submit")
def _record(
    actor: Actor,
    plan: _Plan,
    target: Path | None,
    folder: Path,
    resend: bool,
    progress: ProgressFn,
    created: list[Path],
) -> _Written:
    numbers = envelope.next_control_numbers()
    built = _build(plan.data, numbers)
    path = target or folder / f"837P-{numbers.isa13}.x12"
    if path.exists():
        raise InvalidInput(f"{path.name} exists already: choose a new name", field="out")
    temp = path.with_name(f".{path.name}.part")
    created.append(temp)
    files.secure_file(temp)
    temp.write_text(built.text, encoding="ascii")
    partner = envelope.partner()
    file_id = X12File.insert(
        direction="out",
        kind="837P",
        name=path.name,
        sha256=envelope.sha256(built.text),
        interchange=numbers.isa13,
        group_control=str(numbers.group),
        sender_id=partner.sender_id,
        receiver_id=partner.receiver_id,
        claims=len(plan.claims),
        status="done",
        resend=resend,
        at=envelope.stamp(),
        by=actor.user_id,
    ).execute()
    total = len(plan.claims)
    for done, claim in enumerate(plan.claims, 1):
        span = built.spans[claim.id]
        X12Submission.insert(
            claim=claim.id,
            file=file_id,
            st_control=span.st_control,
            first_segment=span.first_segment,
            last_segment=span.last_segment,
            resend=resend,
        ).execute()
        note = (
            f"837P {path.name}: ISA13 {numbers.isa13}, GS06 {numbers.group}, ST02 {span.st_control}"
        )
        try:
            if resend:
                history.add_note(actor, claim.id, f"resent in {note}")
            else:
                history.set_status(actor, claim.id, "submitted", note, claim.version, source="file")
        except StaleEdit:
            raise InvalidInput(
                f"another desk changed {claim.claim_number} while the file was made: "
                "nothing was sent; send again",
                field="claims",
            ) from None
        if done % 100 == 0 or done == total:
            progress("marking sent", done, total)
    audit.record(
        actor,
        "export",
        "x12_file",
        file_id,
        fields=("claims",),
        detail=f"837P {total} claims" + (" (resend)" if resend else ""),
    )
    result = ExportResult(
        path=path,
        file_id=file_id,
        interchange=numbers.isa13,
        group=str(numbers.group),
        claims=total,
        sets=built.sets,
        segments=built.segments,
        skipped=tuple(plan.skipped),
        resend=resend,
        validated=plan.validation is not None,
        claim_ids=tuple(c.id for c in plan.claims),
    )
    return _Written(result, temp)


def export_837p(
    actor: Actor,
    out: str | os.PathLike[str],
    *,
    status: str = "ready",
    claim_ids: list[int] | None = None,
    resend: bool = False,
    validate: bool = True,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Write the claims as one 837P interchange to ``out`` (a new file, or a folder: the
    file is then named ``837P-<ISA13>.x12``) and mark them sent. See the module doc."""
    report = progress or (lambda step, done, total: None)
    target = _target(out)
    folder = Path(out).expanduser() if target is None else target.parent
    plan = _plan(status, claim_ids, resend, validate, report)
    created: list[Path] = []
    try:
        written = _record(actor, plan, target, folder, resend, report, created)
    except BaseException:
        # the transaction rolled back: this export's temporary file goes too
        for leftover in created:
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    os.replace(written.temp, written.result.path)
    return written.result


def resend_rejected(
    actor: Actor,
    claim_id: int,
    out: str | os.PathLike[str],
    expected_version: int | None = None,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """A rejected claim, fixed: marked ready (the scrubber must pass: else ScrubFailed
    with every problem) and sent again at once, alone, as a new sending."""
    claim = Claim.get_or_none(Claim.id == claim_id)
    if claim is None:
        raise InvalidInput(f"no claim {claim_id}", field="claims")
    if claim.status not in ("rejected_ch", "rejected_payer", "ready"):
        raise InvalidInput(
            f"{claim.claim_number} is {claim.status.replace('_', ' ')}: only a rejected claim "
            "is sent again from here",
            field="claims",
        )
    if claim.status != "ready":
        history.mark_ready(actor, claim_id, expected_version)
    return export_837p(actor, out, claim_ids=[claim_id], progress=progress)


__all__ = ["RESENDABLE", "ExportResult", "Skipped", "export_837p", "resend_rejected"]
