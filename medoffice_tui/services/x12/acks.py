"""Acknowledgements in, applied to claims: the 999 (did the clearinghouse accept each
transaction set of our 837P?) and the 277CA (was each claim accepted into the payer's
system, or rejected, and why: its status codes in plain words). Reading the files
themselves is :mod:`~medoffice_tui.services.x12.x999` and
:mod:`~medoffice_tui.services.x12.x277ca` (their names are re-exported here); this
module checks a file, matches its answers to the claims sent, moves them and records
each acknowledgement.

What they do to claims, through the claims' own transitions (the history says "from
file" and why):

- a 999 acceptance (IK5 A or E) -> *accepted*; a rejection (IK5 R, M, W, X, or the whole
  group) -> *rejected* for every claim of that transaction set, each with the reason:
  the error the 999 places inside that claim's segments (its IK3 position, or a CTX
  naming its CLM01), else "rejected with its batch";
- a 277CA claim-level acceptance (A0/A1/A5) -> *accepted*, into adjudication (A2) or
  pending (P*) -> *pending*; a rejection (A3/A4/A6/A7/A8, E0/E3/E4) -> *rejected* by the
  clearinghouse (information source AY) or *returned* by the payer (PR).

The claim's sending is marked rejected, so once the desk fixes it and marks it ready it
goes out again as a new claim, not a resend. Acknowledgements carry no money: one that
pyx12 faults is still read when it can be (the faults are listed as notes); one that
cannot be read as X12, or whose transaction sets or groups are not whole (an SE or GE
count or control number that does not match: segments lost or added, so which set an
answer belongs to cannot be trusted), is refused with every fault and nothing changed.
An interchange-level mismatch alone (IEA02 against ISA13) is only a note. A file read
twice changes nothing the second time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from peewee import IntegrityError

from medoffice_tui import clock
from medoffice_tui.db.models import Claim, ClaimAck, X12File, X12Submission
from medoffice_tui.errors import DomainError, InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.claims import history
from medoffice_tui.services.claims.statuses import MANUAL_TRANSITIONS, status_word
from medoffice_tui.services.x12 import envelope, segments, status_codes
from medoffice_tui.services.x12.remit import read_source
from medoffice_tui.services.x12.reports import ClaimOutcome, FileRefused, FileReport
from medoffice_tui.services.x12.segments import Document, Fault, X12ReadError
from medoffice_tui.services.x12.validation import validate_text
from medoffice_tui.services.x12.x277ca import ClaimStatus, read_277ca
from medoffice_tui.services.x12.x999 import GroupAck, SegmentError, SetAck, read_999

ProgressFn = Callable[[str, int, int], None]


#: the envelope segments whose counts and control numbers must hold for an answer to be
#: placed on the right set (an ISA/IEA mismatch leaves the sets themselves whole)
_SET_ENVELOPE = frozenset({"GS", "ST", "SE", "GE"})


def _read(name: str, text: str, kind: str) -> tuple[Document, tuple[Fault, ...]]:
    try:
        document = segments.read(text)
    except X12ReadError as error:
        message = str(error).split(": ", 1)[-1]
        raise FileRefused(
            FileReport(name, kind, None, faults=(Fault(error.segment, error.line, message),))
        ) from None
    line_of = {seg.number: seg.line for seg in document.segments}
    result = validate_text(text, line_of=line_of)
    pyx12_faults = () if result.ok else result.faults
    broken = [f for f in segments.envelope_faults(document) if f.segment in _SET_ENVELOPE]
    if broken:
        raise FileRefused(FileReport(name, kind, None, faults=(*broken, *pyx12_faults)))
    return document, pyx12_faults


def _move(actor: Actor, claim: Claim, path: list[str], note: str) -> str:
    """Take the claim along ``path`` (each an allowed transition); returns its status."""
    status = claim.status
    for target in path:
        if target == status:
            continue
        if target not in MANUAL_TRANSITIONS.get(status, ()):
            raise InvalidInput(f"a {status_word(status)} claim cannot become {status_word(target)}")
        history.set_status(actor, claim.id, target, note, source="file")
        status = target
    return status


def _record_ack(
    actor: Actor, claim: Claim, file_id: int, kind: str, accepted: bool, codes: str, reason: str
) -> None:
    ClaimAck.insert(
        claim=claim.id,
        file=file_id,
        kind=kind,
        accepted=accepted,
        codes=codes[:60],
        reason=reason[:300],
        at=clock.now(),
    ).execute()
    if not accepted:
        X12Submission.update(rejected=True).where(
            (X12Submission.claim == claim.id) & (X12Submission.rejected == False)  # noqa: E712
        ).execute()


def _new_file(actor: Actor, name: str, sha: str, kind: str, document: Document, count: int) -> int:
    isa = document.segments[0]
    gs = next((s for s in document.segments if s.id == "GS"), None)
    file_id = X12File.insert(
        direction="in",
        kind=kind,
        name=name[:255],
        sha256=sha,
        interchange=isa[13].strip()[:9],
        group_control=(gs[6].strip() if gs else "")[:9],
        sender_id=isa[6].strip()[:15],
        claims=count,
        status="done",
        at=clock.now(),
        by=actor.user_id,
    ).execute()
    audit.record(actor, "create", "x12_file", file_id, fields=("claims",), detail=f"{kind} read")
    return file_id


def _outcome(claim: Claim, outcome: str, words: str, line: int, status: str = "") -> ClaimOutcome:
    return ClaimOutcome(
        claim.claim_number,
        claim.id,
        claim.claim_number,
        outcome,
        words,
        None,
        status_word(status) if status else "",
        line,
    )


def _claims_of_set(group: GroupAck, ack: SetAck) -> list[tuple[Claim, X12Submission]]:
    files = (
        list(
            X12File.select()
            .where((X12File.direction == "out") & (X12File.kind == "837P"))
            .where(X12File.group_control == str(int(group.group_control)))
            .order_by(X12File.id.desc())
        )
        if group.group_control.isdigit()
        else []
    )
    if not files:
        return []
    rows = (
        X12Submission.select(X12Submission, Claim)
        .join(Claim)
        .where(X12Submission.file == files[0].id)
        .order_by(X12Submission.first_segment)
    )
    wanted = ack.control.lstrip("0") or "0"
    return [(row.claim, row) for row in rows if (row.st_control.lstrip("0") or "0") == wanted]


def _why(claim: Claim, sub: X12Submission, ack: SetAck) -> str:
    mine = [
        e
        for e in ack.errors
        if claim.claim_number in e.claim_numbers
        or (not e.claim_numbers and sub.first_segment <= e.position <= sub.last_segment)
    ]
    if mine:
        return "; ".join(e.words() for e in mine)
    if ack.set_errors and not ack.errors:
        return ack.words()
    return "rejected with its batch (an error in another claim of the same set); send it again"


@writes("claim.submit")
def _apply_999(
    actor: Actor, name: str, sha: str, document: Document, groups: list[GroupAck]
) -> tuple[int, list[ClaimOutcome], list[str]]:
    count = sum(len(g.sets) for g in groups)
    file_id = _new_file(actor, name, sha, "999", document, count)
    outcomes: list[ClaimOutcome] = []
    notes: list[str] = []
    for group in groups:
        sets = list(group.sets)
        if not sets:
            notes.append(f"group {group.group_control}: {group.group_words()} (no sets named)")
            continue
        for ack in sets:
            claims = _claims_of_set(group, ack)
            if not claims:
                notes.append(
                    f"group {group.group_control}, set {ack.control}: {ack.words()}; "
                    "not a file this practice sent (nothing changed)"
                )
                continue
            for claim, sub in claims:
                note_head = f"999 {name}: "
                if ack.accepted:
                    words = f"accepted by the clearinghouse ({status_codes.SET_CODES[ack.code]})"
                    try:
                        status = _move(actor, claim, ["accepted_ch"], note_head + words)
                    except DomainError as refusal:
                        outcomes.append(
                            _outcome(
                                claim, "unchanged", f"{words}; {refusal}", ack.line, claim.status
                            )
                        )
                        continue
                    _record_ack(actor, claim, file_id, "999", True, f"IK5 {ack.code}", words)
                    outcomes.append(_outcome(claim, "accepted", words, ack.line, status))
                else:
                    words = _why(claim, sub, ack)
                    try:
                        status = _move(actor, claim, ["rejected_ch"], note_head + words)
                    except DomainError as refusal:
                        outcomes.append(
                            _outcome(
                                claim,
                                "unchanged",
                                f"rejected: {words}; {refusal}",
                                ack.line,
                                claim.status,
                            )
                        )
                        continue
                    _record_ack(actor, claim, file_id, "999", False, f"IK5 {ack.code}", words)
                    outcomes.append(_outcome(claim, "rejected", words, ack.line, status))
    return file_id, outcomes, notes


def _already(name: str, kind: str, sha: str) -> FileReport | None:
    found = X12File.get_or_none((X12File.direction == "in") & (X12File.sha256 == sha))
    if found is None:
        return None
    return FileReport(
        name, kind, found.id, already=f"read already on {found.at:%m/%d/%Y} as {found.name}"
    )


def _source(source: str | os.PathLike[str] | None, text: str | None, name: str) -> tuple[str, str]:
    if text is not None:
        return name, text
    if source is None:
        raise InvalidInput("name the file", field="file")
    return read_source(source)


def import_999(
    actor: Actor,
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    name: str = "999",
    progress: ProgressFn | None = None,
) -> FileReport:
    """Read a 999 and move the claims of each acknowledged transaction set."""
    return _import_ack(actor, source, text, name, "999", read_999, _apply_999, progress)


def _import_ack(
    actor: Actor,
    source: str | os.PathLike[str] | None,
    text: str | None,
    name: str,
    kind: str,
    read: Callable[[Any], Any],
    apply: Callable[..., tuple[int, list, list]],
    progress: ProgressFn | None,
) -> FileReport:
    """The steps a 999 and a 277CA share: read the file (once: a file read before gives
    its first report), check it, read its answers, apply them in one write."""
    name, text = _source(source, text, name)
    sha = envelope.sha256(text)
    seen = _already(name, kind, sha)
    if seen is not None:
        return seen
    document, warnings = _read(name, text, kind)
    try:
        answers = read(document)
    except X12ReadError as error:
        raise FileRefused(
            FileReport(
                name,
                kind,
                None,
                faults=(Fault(error.segment, error.line, str(error).split(": ", 1)[-1]),),
            )
        ) from None
    try:
        file_id, outcomes, notes = apply(actor, name, sha, document, answers)
    except IntegrityError:
        raise InvalidInput("another desk is reading this file right now") from None
    if progress:
        progress("reading", 1, 1)
    return FileReport(
        name, kind, file_id, claims=tuple(outcomes), notes=tuple(notes), warnings=warnings
    )


@writes("claim.submit")
def _apply_277(
    actor: Actor, name: str, sha: str, document: Document, statuses: list[ClaimStatus]
) -> tuple[int, list[ClaimOutcome], list[str]]:
    claim_level = [s for s in statuses if s.level == "claim"]
    file_id = _new_file(actor, name, sha, "277CA", document, len(claim_level))
    outcomes: list[ClaimOutcome] = []
    notes: list[str] = []
    by_reference: dict[str, list[ClaimStatus]] = {}
    for status in claim_level:
        by_reference.setdefault(status.reference, []).append(status)
    for reference, items in by_reference.items():
        claim = Claim.get_or_none(Claim.claim_number == reference)
        if claim is None and items[0].payer_claim_number:
            claim = Claim.get_or_none(Claim.payer_claim_number == items[0].payer_claim_number)
        words = "; ".join(s.words for s in items)
        if claim is None:
            outcomes.append(
                ClaimOutcome(
                    reference,
                    None,
                    "",
                    "unmatched",
                    f"no claim has this number ({words})",
                    None,
                    "",
                    items[0].line,
                )
            )
            continue
        rejected = [s for s in items if s.accepted is False]
        note = f"277CA {name}: {words}"
        try:
            if rejected:
                from_payer = rejected[0].source == "PR"
                path = ["accepted_ch", "rejected_payer"] if from_payer else ["rejected_ch"]
                if claim.status == "accepted_ch":
                    path = ["rejected_payer"]
                status = _move(actor, claim, path, note)
                _record_ack(
                    actor,
                    claim,
                    file_id,
                    "277CA",
                    False,
                    rejected[0].codes,
                    "; ".join(s.words for s in rejected),
                )
                outcomes.append(_outcome(claim, "rejected", words, items[0].line, status))
            elif any(s.pending for s in items):
                status = _move(actor, claim, ["pending"], note)
                _record_ack(actor, claim, file_id, "277CA", True, items[0].codes, words)
                outcomes.append(_outcome(claim, "accepted", words, items[0].line, status))
            elif any(s.accepted for s in items):
                status = _move(actor, claim, ["accepted_ch"], note)
                _record_ack(actor, claim, file_id, "277CA", True, items[0].codes, words)
                outcomes.append(_outcome(claim, "accepted", words, items[0].line, status))
            else:
                history.add_note(actor, claim.id, note[:200])
                outcomes.append(_outcome(claim, "unchanged", words, items[0].line, claim.status))
        except DomainError as refusal:
            outcomes.append(
                _outcome(claim, "unchanged", f"{words}; {refusal}", items[0].line, claim.status)
            )
    others = [s for s in statuses if s.level in ("receiver", "provider") and s.accepted is False]
    for status in others:
        notes.append(f"the {status.level} level says: {status.words} (line {status.line})")
    return file_id, outcomes, notes


def import_277ca(
    actor: Actor,
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    name: str = "277CA",
    progress: ProgressFn | None = None,
) -> FileReport:
    """Read a 277CA and move each claim it accepts or rejects."""
    return _import_ack(actor, source, text, name, "277CA", read_277ca, _apply_277, progress)


__all__ = [
    "ClaimStatus",
    "GroupAck",
    "SegmentError",
    "SetAck",
    "import_277ca",
    "import_999",
    "read_277ca",
    "read_999",
]
