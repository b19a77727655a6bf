"""Patient statements as PDF (reportlab), laid out for a standard #10 double-window envelope.

Letter paper folded in three: the practice's return address shows through the upper
window (0.5" from the top, 0.6" from the left) and the patient's mailing address through
the lower one (2.1"-3.1" from the top, 1" from the left). Below the first fold: each
open claim (date of service, codes, charges, what insurance paid and adjusted, what the
patient paid, what is still with insurance, what the patient owes), the credit on
account, and the amount due. reportlab is imported only when a statement is written.

Each statement written is an audit event ("export") for its patient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from medoffice_tui import clock, files
from medoffice_tui.db.models import Patient, Practice
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, reads
from medoffice_tui.services.claims.balances import PatientBalance, balance_of, patients_owing
from medoffice_tui.services.money import format_money
from medoffice_tui.services.text import display

PAY_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Statement:
    practice_lines: list[str]
    patient_lines: list[str]
    account: str
    statement_date: dt.date
    due_by: dt.date
    balance: PatientBalance


def build_statement(patient_id: int) -> Statement:
    practice = Practice.select().order_by(Practice.id).first()
    patient = Patient.get_by_id(patient_id)
    practice_lines = [practice.name if practice else "Medical office"]
    if practice:
        practice_lines += [x for x in (practice.address1, practice.address2) if x]
        practice_lines.append(f"{practice.city}, {practice.state} {practice.zip}".strip(", "))
        if practice.phone:
            practice_lines.append(f"Questions: {practice.phone}")
    name = " ".join(x for x in (patient.first_name, patient.middle_name, patient.last_name) if x)
    patient_lines = [name] + [x for x in (patient.address1, patient.address2) if x]
    patient_lines.append(f"{patient.city}, {patient.state} {patient.zip}".strip(", "))
    today = clock.today()
    return Statement(
        [display(x) for x in practice_lines],
        [display(x) for x in patient_lines],
        patient.mrn,
        today,
        today + dt.timedelta(days=PAY_WITHIN_DAYS),
        balance_of(patient_id),
    )


def _money(cents: int) -> str:
    return f"${format_money(cents)}"


def render_pdf(statement: Statement, path: Path) -> None:
    """Write ``statement`` to ``path`` (created owner-only first)."""
    from reportlab.lib.pagesizes import letter  # noqa: PLC0415 - only when writing one
    from reportlab.lib.units import inch  # noqa: PLC0415
    from reportlab.pdfgen import canvas  # noqa: PLC0415

    files.secure_file(path)
    width, height = letter
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    pdf.setTitle("Patient statement")
    # upper window: the practice
    y = height - 0.6 * inch
    pdf.setFont("Helvetica-Bold", 10)
    for line in statement.practice_lines:
        pdf.drawString(0.6 * inch, y, line)
        pdf.setFont("Helvetica", 9)
        y -= 12
    # right: the statement's facts
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawRightString(width - 0.6 * inch, height - 0.7 * inch, "Statement")
    pdf.setFont("Helvetica", 9)
    facts = (
        ("Statement date", statement.statement_date.strftime("%m/%d/%Y")),
        ("Account", statement.account),
        ("Please pay by", statement.due_by.strftime("%m/%d/%Y")),
        ("Amount due", _money(statement.balance.due_cents)),
    )
    y = height - 0.95 * inch
    for label, value in facts:
        pdf.drawRightString(width - 1.9 * inch, y, label)
        pdf.drawRightString(width - 0.6 * inch, y, value)
        y -= 12
    # lower window: the patient's mailing address
    y = height - 2.25 * inch
    pdf.setFont("Helvetica", 11)
    for line in statement.patient_lines[:5]:
        pdf.drawString(1.0 * inch, y, line)
        y -= 13
    # below the first fold: the claims
    columns = (
        ("Date", 0.6),
        ("Codes", 1.35),
        ("Charges", 3.2),
        ("Insurance paid", 4.1),
        ("Adjusted", 4.85),
        ("You paid", 5.55),
        ("With insurance", 6.45),
        ("You owe", 7.9),
    )
    y = height - 4.0 * inch
    pdf.setFont("Helvetica-Bold", 8)
    for index, (title, x) in enumerate(columns):
        (pdf.drawString if index < 2 else pdf.drawRightString)(x * inch, y, title)
    pdf.line(0.6 * inch, y - 3, 7.9 * inch, y - 3)
    y -= 14
    pdf.setFont("Helvetica", 8)
    for line in statement.balance.lines:
        if y < 1.4 * inch:
            pdf.showPage()
            pdf.setFont("Helvetica", 8)
            y = height - 0.8 * inch
        values = (
            line.service_date.strftime("%m/%d/%Y"),
            line.codes[:34],
            _money(line.charge_cents),
            _money(line.insurance_paid_cents),
            _money(line.adjusted_cents),
            _money(line.patient_paid_cents),
            _money(line.with_insurance_cents),
            _money(line.patient_owes_cents),
        )
        for index, ((_title, x), value) in enumerate(zip(columns, values, strict=True)):
            (pdf.drawString if index < 2 else pdf.drawRightString)(x * inch, y, value)
        y -= 12
    y -= 6
    pdf.line(0.6 * inch, y + 8, 7.9 * inch, y + 8)
    pdf.setFont("Helvetica", 9)
    totals = [
        ("Your share of these visits", _money(statement.balance.owes_cents)),
        ("Still with your insurance", _money(statement.balance.with_insurance_cents)),
    ]
    if statement.balance.credit_cents:
        totals.append(("Credit on your account", "-" + _money(statement.balance.credit_cents)))
    for label, value in totals:
        pdf.drawRightString(6.45 * inch, y, label)
        pdf.drawRightString(7.9 * inch, y, value)
        y -= 12
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawRightString(6.45 * inch, y - 4, "Amount due")
    pdf.drawRightString(7.9 * inch, y - 4, _money(statement.balance.due_cents))
    pdf.setFont("Helvetica", 8)
    pdf.drawString(
        0.6 * inch,
        0.8 * inch,
        "Amounts with your insurance are not yet due: we will bill you for any "
        "share the insurance assigns to you.",
    )
    pdf.showPage()
    pdf.save()


def statement_filename(mrn: str, day: dt.date) -> str:
    safe = "".join(ch for ch in mrn if ch.isalnum() or ch in "-_") or "patient"
    return f"statement-{safe}-{day:%Y%m%d}.pdf"


@reads("claim.view")
def write_statements(
    actor: Actor,
    out_dir: Path,
    patient_ids: list[int] | None = None,
    progress=None,  # noqa: ANN001 - progress(step, done, total)
) -> list[Path]:
    """A PDF statement for each patient (default: everyone who owes something)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise InvalidInput("the output folder does not exist", field="out")
    ids = patient_ids if patient_ids is not None else patients_owing()
    written = []
    for index, patient_id in enumerate(ids, 1):
        statement = build_statement(patient_id)
        path = out_dir / statement_filename(statement.account, statement.statement_date)
        render_pdf(statement, path)
        audit.record(
            actor,
            "export",
            "statement",
            patient_id,
            patient_id=patient_id,
            detail="patient statement PDF",
        )
        written.append(path)
        if progress:
            progress("statements", index, len(ids))
    return written
