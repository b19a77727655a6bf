"""Eligibility by file: a 270 asking about tomorrow's patients (or a chosen day), and the
271 answers read back.

- ``export_270``: every coverage in force on the day for every patient with a live
  appointment that day, one question each (its trace number kept in
  ``eligibility_check``), in one 270 with the next control numbers; checked by this
  app's structural check (pyx12 has no 270/271 map) before it is written, owner-only.
- ``import_271``: each answer is found by its trace; active or inactive sets the
  coverage's "eligibility last checked" (through the patients area's own service) and
  keeps the copay, deductible remaining and plan for check-in; an error answer (AAA) or
  an empty one is kept as such and changes nothing on the coverage: what was on file
  stays, and check-in keeps showing the last good answer.
- ``latest_answer`` / ``checkin_line``: what check-in shows for a coverage.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from peewee import JOIN, IntegrityError

from medoffice_tui import clock, files
from medoffice_tui.db.models import (
    LIVE_STATUSES,
    Appointment,
    Coverage,
    EligibilityCheck,
    Patient,
    Payer,
    Practice,
    X12File,
)
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, writes
from medoffice_tui.services.money import format_money
from medoffice_tui.services.patients.coverages import mark_eligibility_checked
from medoffice_tui.services.x12 import envelope, segments, x270, x271
from medoffice_tui.services.x12.remit import read_source
from medoffice_tui.services.x12.reports import ClaimOutcome, FileRefused, FileReport
from medoffice_tui.services.x12.segments import Fault, X12ReadError

ProgressFn = Callable[[str, int, int], None]


@dataclass(frozen=True)
class EligibilityExport:
    path: Path
    file_id: int
    day: dt.date
    questions: int
    interchange: str
    skipped: tuple[str, ...] = ()

    def summary(self) -> str:
        left = f"; {len(self.skipped)} patients without insurance left out" if self.skipped else ""
        return (
            f"{self.questions} eligibility questions for {self.day:%m/%d/%Y} in "
            f"{self.path.name} (ISA13 {self.interchange}){left}"
        )


@dataclass(frozen=True)
class EligibilityView:
    """What check-in shows: the last good answer, and a newer failure if there is one."""

    status: str  # active, inactive, "" (never answered)
    answered_on: dt.date | None
    plan: str
    copay_cents: int | None
    deductible_left_cents: int | None
    last_error: str = ""

    def line(self) -> str:
        if not self.status:
            return "no 271 answer yet" + (
                f" (last try: {self.last_error})" if self.last_error else ""
            )
        parts = [f"{self.status} (271 of {self.answered_on:%m/%d/%Y})"]
        if self.copay_cents is not None:
            parts.append(f"copay ${format_money(self.copay_cents)}")
        if self.deductible_left_cents is not None:
            parts.append(f"deductible left ${format_money(self.deductible_left_cents)}")
        if self.last_error:
            parts.append(f"a newer check failed: {self.last_error}")
        return ", ".join(parts)


def _in_force(day: dt.date):  # noqa: ANN202 - a peewee expression
    return (
        (Coverage.active == True)  # noqa: E712
        & (Coverage.effective_from.is_null() | (Coverage.effective_from <= day))
        & (Coverage.effective_to.is_null() | (Coverage.effective_to >= day))
    )


def _appointments(day: dt.date) -> list[tuple[int, int]]:
    """(appointment id, patient id) of the day's live appointments, by time."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    return list(
        Appointment.select(Appointment.id, Appointment.patient)
        .where(
            (Appointment.start >= start)
            & (Appointment.start < end)
            & Appointment.status.in_(LIVE_STATUSES)
        )
        .order_by(Appointment.start, Appointment.id)
        .tuples()
    )


@writes("coverage.edit")
def _record_270(
    actor: Actor, day: dt.date, target: Path, folder: Path, created: list[Path]
) -> EligibilityExport:
    practice = Practice.select().order_by(Practice.id).first()
    if practice is None:
        raise InvalidInput("the practice is not set up")
    visits = _appointments(day)
    if not visits:
        raise InvalidInput(f"no appointments on {day:%m/%d/%Y} to ask about", field="day")
    first_visit: dict[int, int] = {}
    for appointment_id, patient_id in visits:
        first_visit.setdefault(patient_id, appointment_id)
    rows = list(
        Coverage.select(Coverage, Payer, Patient)
        .join(Payer, on=(Coverage.payer == Payer.id))
        .switch(Coverage)
        .join(Patient, on=(Coverage.patient == Patient.id))
        .where(Coverage.patient.in_(list(first_visit)) & _in_force(day))
        .order_by(Payer.name, Coverage.patient, Coverage.rank)
    )
    covered = {row.patient_id for row in rows}
    skipped = tuple(str(pid) for pid in first_visit if pid not in covered)
    if not rows:
        raise InvalidInput(f"none of the patients on {day:%m/%d/%Y} has insurance in force")
    numbers = envelope.next_control_numbers()
    now = clock.now()
    questions = []
    for row in rows:
        check_id = EligibilityCheck.insert(
            coverage=row.id,
            appointment=first_visit[row.patient_id],
            trace=f"T{now:%H%M%S%f}{row.id}"[:30],
            for_day=day,
            asked_at=now,
        ).execute()
        trace = f"E{check_id:09d}"
        EligibilityCheck.update(trace=trace).where(EligibilityCheck.id == check_id).execute()
        patient = row.patient
        self_insured = row.relationship == "self"
        questions.append(
            x270.Question(
                trace=trace,
                payer_name=row.payer.name,
                payer_id=row.payer.payer_id,
                member_id=row.member_id,
                group_number=row.group_number,
                relationship=row.relationship,
                subscriber_last=patient.last_name if self_insured else row.subscriber_last,
                subscriber_first=patient.first_name if self_insured else row.subscriber_first,
                subscriber_dob=patient.dob if self_insured else row.subscriber_dob,
                subscriber_sex=patient.sex if self_insured else row.subscriber_sex,
                patient_last=patient.last_name,
                patient_first=patient.first_name,
                patient_dob=patient.dob,
                patient_sex=patient.sex,
                day=day,
            )
        )
    text = x270.build(
        questions,
        practice.name,
        practice.npi,
        practice.tax_id,
        envelope.partner(),
        numbers,
        envelope.stamp(),
    )
    faults = x270.check(segments.read(text))
    if faults:
        raise InvalidInput(f"the 270 did not pass its check ({faults[0]}); nothing was written")
    path = target or folder / f"270-{numbers.isa13}.x12"
    if path.exists():
        raise InvalidInput(f"{path.name} exists already: choose a new name", field="out")
    temp = path.with_name(f".{path.name}.part")
    created.append(temp)
    files.secure_file(temp)
    temp.write_text(text, encoding="ascii")
    partner = envelope.partner()
    file_id = X12File.insert(
        direction="out",
        kind="270",
        name=path.name,
        sha256=envelope.sha256(text),
        interchange=numbers.isa13,
        group_control=str(numbers.group),
        sender_id=partner.sender_id,
        receiver_id=partner.receiver_id,
        claims=len(questions),
        at=now,
        by=actor.user_id,
    ).execute()
    EligibilityCheck.update(asked_file=file_id).where(
        EligibilityCheck.trace.in_([q.trace for q in questions])
    ).execute()
    audit.record(
        actor,
        "export",
        "x12_file",
        file_id,
        fields=("coverages",),
        detail=f"270 {len(questions)} questions",
    )
    return EligibilityExport(path, file_id, day, len(questions), numbers.isa13, skipped)


def export_270(
    actor: Actor,
    out: str | os.PathLike[str],
    *,
    day: dt.date | None = None,
    progress: ProgressFn | None = None,
) -> EligibilityExport:
    """Ask about every patient booked on ``day`` (tomorrow when not given)."""
    import contextlib

    when = day or clock.today() + dt.timedelta(days=1)
    path = Path(out).expanduser()
    target: Path | None = None
    if not path.is_dir():
        if path.exists():
            raise InvalidInput(f"{path.name} exists already: choose a new name", field="out")
        if not path.parent.is_dir():
            raise InvalidInput("that folder does not exist", field="out")
        target = path
    folder = path if target is None else path.parent
    created: list[Path] = []
    try:
        result = _record_270(actor, when, target, folder, created)
    except BaseException:
        for leftover in created:
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    os.replace(created[-1], result.path)
    if progress:
        progress("writing", 1, 1)
    return result


@writes("coverage.edit")
def _apply_271(
    actor: Actor, name: str, sha: str, document: segments.Document, answers: list[x271.Answer]
) -> tuple[int, list[ClaimOutcome]]:
    isa = document.segments[0]
    file_id = X12File.insert(
        direction="in",
        kind="271",
        name=name[:255],
        sha256=sha,
        interchange=isa[13].strip()[:9],
        sender_id=isa[6].strip()[:15],
        claims=len(answers),
        at=clock.now(),
        by=actor.user_id,
    ).execute()
    outcomes = []
    for answer in answers:
        check = EligibilityCheck.get_or_none(EligibilityCheck.trace == answer.trace)
        if check is None:
            outcomes.append(
                ClaimOutcome(
                    answer.trace,
                    None,
                    "",
                    "unmatched",
                    "no question was sent with this trace number",
                    None,
                    "",
                    answer.line,
                )
            )
            continue
        good = answer.status in ("active", "inactive")
        EligibilityCheck.update(
            answered_file=file_id,
            answered_at=clock.now(),
            status=answer.status if good else "error",
            plan=answer.plan,
            copay_cents=answer.copay_cents,
            deductible_left_cents=answer.deductible_left_cents,
            message=answer.words[:200],
        ).where(EligibilityCheck.id == check.id).execute()
        if good:
            mark_eligibility_checked(actor, check.coverage_id)
        outcomes.append(
            ClaimOutcome(
                answer.trace,
                None,
                f"coverage {check.coverage_id}",
                answer.status if good else "error",
                answer.words + ("" if good else "; the coverage on file is unchanged"),
                None,
                "",
                answer.line,
            )
        )
    asked = {a.trace for a in answers}
    audit.record(
        actor,
        "create",
        "x12_file",
        file_id,
        fields=("eligibility",),
        detail=f"271 {len(asked)} answers",
    )
    return file_id, outcomes


def import_271(
    actor: Actor,
    source: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
    name: str = "271",
    progress: ProgressFn | None = None,
) -> FileReport:
    """Read a 271 and keep each answer (see the module doc)."""
    if text is None:
        if source is None:
            raise InvalidInput("name the file", field="file")
        name, text = read_source(source)
    sha = envelope.sha256(text)
    found = X12File.get_or_none((X12File.direction == "in") & (X12File.sha256 == sha))
    if found is not None:
        return FileReport(
            name, "271", found.id, already=f"read already on {found.at:%m/%d/%Y} as {found.name}"
        )
    try:
        document = segments.read(text)
        faults = segments.envelope_faults(document)
        if faults:
            raise FileRefused(FileReport(name, "271", None, faults=tuple(faults)))
        answers, general = x271.read(document)
    except X12ReadError as error:
        raise FileRefused(
            FileReport(
                name,
                "271",
                None,
                faults=(Fault(error.segment, error.line, str(error).split(": ", 1)[-1]),),
            )
        ) from None
    try:
        file_id, outcomes = _apply_271(actor, name, sha, document, answers)
    except IntegrityError:
        raise InvalidInput("another desk is reading this file right now") from None
    notes = [f"the payer said, for the whole request: {g}" for g in general]
    if not answers:
        notes.append("the file holds no answers: nothing on file was changed")
    if progress:
        progress("reading", 1, 1)
    return FileReport(name, "271", file_id, claims=tuple(outcomes), notes=tuple(notes))


def latest_answer(coverage_id: int) -> EligibilityView:
    """The coverage's last good 271 answer, and a newer failed one if any."""
    good = (
        EligibilityCheck.select()
        .where(
            (EligibilityCheck.coverage == coverage_id)
            & EligibilityCheck.status.in_(("active", "inactive"))
        )
        .order_by(EligibilityCheck.answered_at.desc(), EligibilityCheck.id.desc())
        .first()
    )
    failed = (
        EligibilityCheck.select()
        .where((EligibilityCheck.coverage == coverage_id) & (EligibilityCheck.status == "error"))
        .order_by(EligibilityCheck.answered_at.desc(), EligibilityCheck.id.desc())
        .first()
    )
    newer_error = ""
    if failed is not None and (good is None or failed.answered_at > good.answered_at):
        newer_error = failed.message.replace("the payer could not answer: ", "")
    if good is None:
        return EligibilityView("", None, "", None, None, newer_error)
    return EligibilityView(
        good.status,
        good.answered_at.date() if good.answered_at else None,
        good.plan,
        good.copay_cents,
        good.deductible_left_cents,
        newer_error,
    )


@dataclass(frozen=True)
class DayRow:
    """One patient of the day and their primary coverage's last answer (for the screen)."""

    appointment_id: int
    start: dt.datetime
    patient_id: int
    patient_name: str
    payer: str
    coverage_id: int | None
    view: EligibilityView | None


def day_answers(day: dt.date) -> list[DayRow]:
    """Each live appointment of ``day`` with its patient's primary coverage's answer."""
    start = dt.datetime.combine(day, dt.time())
    rows = (
        Appointment.select(
            Appointment.id,
            Appointment.start,
            Patient.id,
            Patient.last_name,
            Patient.first_name,
            Coverage.id,
            Payer.name,
        )
        .join(Patient, on=(Appointment.patient == Patient.id))
        .join(
            Coverage,
            JOIN.LEFT_OUTER,
            on=((Coverage.patient == Patient.id) & (Coverage.rank == 1) & _in_force(day)),
        )
        .join(Payer, JOIN.LEFT_OUTER, on=(Coverage.payer == Payer.id))
        .where(
            (Appointment.start >= start)
            & (Appointment.start < start + dt.timedelta(days=1))
            & Appointment.status.in_(LIVE_STATUSES)
        )
        .order_by(Appointment.start, Appointment.id)
        .tuples()
    )
    out = []
    for appt_id, when, pid, last, first, cov_id, payer in rows:
        out.append(
            DayRow(
                appt_id,
                when,
                pid,
                f"{last}, {first}",
                payer or "",
                cov_id,
                latest_answer(cov_id) if cov_id else None,
            )
        )
    return out


def checkin_line(patient_id: int, day: dt.date | None = None) -> str:
    """One line for check-in: the primary coverage's last 271 answer (or why none)."""
    when = day or clock.today()
    coverage = (
        Coverage.select(Coverage.id)
        .where((Coverage.patient == patient_id) & _in_force(when))
        .order_by(Coverage.rank)
        .scalar()
    )
    if coverage is None:
        return "no insurance in force"
    return latest_answer(coverage).line()


__all__ = [
    "DayRow",
    "EligibilityExport",
    "EligibilityView",
    "checkin_line",
    "day_answers",
    "export_270",
    "import_271",
    "latest_answer",
]
