"""Claims on paper: the CMS-1500 (02/12) form, box by box, as a PDF (reportlab).

- ``layout``: where every box and every field is on the page (the form's 10-per-inch,
  6-lines-per-inch grid);
- ``values``: what goes in each box for a claim (NUCC instructions), from the same
  loader the 837P uses;
- here: drawing it, and :func:`print_1500`, the service the command line and the
  claims-files screen call.

Two ways to print: the whole form drawn (lines, box captions and the data) for plain
paper, or the data only (``data_only=True``) onto the red pre-printed forms most payers
require for scanning. Printing is an audited export of patient data; with
``mark_sent=True`` the claims also move to *sent*, the file named in their history.
reportlab is imported only here, when a form is printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from medoffice_tui import clock, files
from medoffice_tui.db.models import Claim
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import audit
from medoffice_tui.services.actor import Actor, refuse_unless, writes
from medoffice_tui.services.claims import history
from medoffice_tui.services.claims.scrubber import scrub
from medoffice_tui.services.cms1500 import layout
from medoffice_tui.services.cms1500.values import Page, pages_for

#: statuses a claim may be printed from
PRINTABLE = frozenset(
    {
        "ready",
        "submitted",
        "accepted_ch",
        "pending",
        "rejected_ch",
        "rejected_payer",
        "corrected",
        "denied",
        "partially_paid",
        "appealed",
    }
)

CAPTION_SIZE = 5.0
DATA_FONT = "Courier"
DATA_SIZE = 9.5


@dataclass(frozen=True)
class PrintResult:
    path: Path
    claims: int
    pages: int
    marked_sent: int
    skipped: tuple[tuple[str, str], ...] = ()  # (claim number, why)

    def summary(self) -> str:
        sent = f"; {self.marked_sent} marked sent" if self.marked_sent else ""
        left = f"; {len(self.skipped)} left out (see why)" if self.skipped else ""
        claims = "1 claim" if self.claims == 1 else f"{self.claims} claims"
        pages = "1 CMS-1500 page" if self.pages == 1 else f"{self.pages} CMS-1500 pages"
        return f"{claims} on {pages} in {self.path.name}{sent}{left}"


def draw_pages(pages: list[Page], out: Path, *, data_only: bool = False) -> None:
    """Draw ``pages`` into a new PDF at ``out``."""
    from reportlab.lib.colors import Color, black
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    def fit(text: str, width: float) -> str:
        while text and stringWidth(text, "Helvetica", CAPTION_SIZE) > width - 3:
            text = text[:-1]
        return text

    red = Color(0.75, 0.1, 0.1)
    pdf = canvas.Canvas(
        str(out), pagesize=(layout.PAGE_WIDTH, layout.PAGE_HEIGHT), pageCompression=1, invariant=1
    )
    pdf.setTitle("CMS-1500 claims")
    pdf.setAuthor("medoffice")
    for page in pages:
        if not data_only:
            pdf.setStrokeColor(red)
            pdf.setFillColor(red)
            pdf.setFont("Helvetica-Bold", 10)
            pdf.drawString(layout.x_of(1), layout.y_of(3.6), "HEALTH INSURANCE CLAIM FORM")
            pdf.setFont("Helvetica", 5.5)
            pdf.drawString(
                layout.x_of(1),
                layout.y_of(4.4),
                "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
            )
            pdf.setLineWidth(0.5)
            for box in layout.BOX_LIST:
                x0, y0, x1, y1 = box.rect()
                pdf.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
                pdf.setFont("Helvetica", CAPTION_SIZE)
                pdf.drawString(x0 + 1.5, y1 - CAPTION_SIZE - 0.5, fit(box.caption, x1 - x0))
            for letter in layout.DIAGNOSES:  # box 21's A. to L.
                spot = layout.FIELDS[f"21.{letter}"]
                pdf.drawString(layout.x_of(spot.column) - 7, layout.y_of(spot.line), f"{letter}.")
            # the service-line grid: a shaded supplemental row above each line
            top = layout.BOXES["24"].rect()[3]
            for number in range(layout.SERVICE_LINES):
                y = top - (2 + number * 2) * layout.LINE
                pdf.setFillColor(Color(1, 0.9, 0.9))
                pdf.rect(layout.x_of(1), y, 80 * layout.COLUMN, layout.LINE, stroke=0, fill=1)
                pdf.setFillColor(red)
                pdf.drawString(layout.x_of(81) + 1, y - layout.LINE + 3, str(number + 1))
            pdf.setFont("Helvetica", 5.5)
            pdf.drawString(
                layout.x_of(1),
                layout.y_of(61),
                "NUCC Instruction Manual available at: www.nucc.org          FORM CMS-1500 (02-12)",
            )
            pdf.drawRightString(
                layout.x_of(81),
                layout.y_of(61),
                f"claim {page.claim_number}, page {page.number} of {page.pages}",
            )
        pdf.setFillColor(black)
        pdf.setFont(DATA_FONT, DATA_SIZE)
        for name, text in page.fields.items():
            spot = layout.FIELDS.get(name)
            if spot is None or not text:
                continue
            pdf.drawString(layout.x_of(spot.column), layout.y_of(spot.line), text[: spot.width])
        pdf.showPage()
    pdf.save()


def _select(claim_ids: list[int] | None, status: str) -> list[Claim]:
    if claim_ids:
        found = {c.id: c for c in Claim.select().where(Claim.id.in_(list(claim_ids)))}
        missing = [cid for cid in claim_ids if cid not in found]
        if missing:
            raise InvalidInput(f"no claim {missing[0]}", field="claims")
        chosen = [found[cid] for cid in claim_ids]
        wrong = [c for c in chosen if c.status not in PRINTABLE]
        if wrong:
            raise InvalidInput(
                f"{wrong[0].claim_number} is {wrong[0].status}: not printed", field="claims"
            )
        return chosen
    return list(Claim.select().where(Claim.status == status).order_by(Claim.id))


@writes("claim.view")
def _print(
    actor: Actor,
    claim_ids: list[int] | None,
    status: str,
    out: Path,
    data_only: bool,
    mark_sent: bool,
    temp: Path,
) -> PrintResult:
    if mark_sent:
        refuse_unless(actor, "claim.submit")
    chosen = _select(claim_ids, status)
    if not chosen:
        raise InvalidInput(f"there are no {status.replace('_', ' ')} claims to print")
    printing: list[Claim] = []
    skipped: list[tuple[str, str]] = []
    for claim in chosen:
        problems = scrub(claim.id) if claim.status == "ready" else []
        if problems:
            skipped.append((claim.claim_number, problems[0].message))
        else:
            printing.append(claim)
    if not printing:
        raise InvalidInput(f"no claim passes the scrubber ({skipped[0][0]}: {skipped[0][1]})")
    pages = pages_for([c.id for c in printing], clock.today())
    files.secure_file(temp)
    draw_pages(pages, temp, data_only=data_only)
    sent = 0
    if mark_sent:
        for claim in printing:
            if claim.status == "ready":
                history.set_status(
                    actor,
                    claim.id,
                    "submitted",
                    f"printed on CMS-1500 ({out.name})",
                    claim.version,
                    source="file",
                )
                sent += 1
    for claim in printing:
        audit.record(
            actor,
            "export",
            "claim",
            claim.id,
            patient_id=claim.patient_id,
            fields=("cms1500",),
            detail=out.name[:80],
        )
    return PrintResult(out, len(printing), len(pages), sent, tuple(skipped))


def print_1500(
    actor: Actor,
    out: str | os.PathLike[str],
    *,
    claim_ids: list[int] | None = None,
    status: str = "ready",
    data_only: bool = False,
    mark_sent: bool = False,
) -> PrintResult:
    """Print the named claims (or every claim in ``status``) on the CMS-1500, to a new
    owner-only PDF at ``out``."""
    path = Path(out).expanduser()
    if path.suffix.lower() != ".pdf":
        raise InvalidInput("the file name ends in .pdf", field="out")
    if path.exists():
        raise InvalidInput(f"{path.name} exists already: choose a new name", field="out")
    if not path.parent.is_dir():
        raise InvalidInput("that folder does not exist", field="out")
    temp = path.with_name(f".{path.name}.part")
    try:
        result = _print(actor, claim_ids, status, path, data_only, mark_sent, temp)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    os.replace(temp, path)
    return result


__all__ = ["PRINTABLE", "PrintResult", "draw_pages", "print_1500"]
