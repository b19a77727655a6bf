"""By keys: ``s`` on a patient's record writes the patient's statement PDF (the same
statement code as ``medoffice statements``), and the PDF carries what the patient owes."""

from __future__ import annotations

import pytest

from medoffice_tui.db.models import Patient
from medoffice_tui.services import claims
from medoffice_tui.ui.claims.small_forms import StatementForm
from medoffice_tui.ui.panes.fmt import money
from medoffice_tui.ui.screens.patient import PatientScreen

from .conftest import SIZE
from .test_app import settle
from .test_claims_pane import type_text


def _someone_who_owes() -> int:
    for (pid,) in Patient.select(Patient.id).order_by(Patient.id).tuples():
        if claims.balances.balance_of(pid).due_cents > 0:
            return pid
    raise AssertionError("the demo has patients who owe")


async def test_s_on_the_record_writes_the_statement(make_app, tmp_path) -> None:
    pypdf = pytest.importorskip("pypdf")
    app = make_app(user="frontdesk")
    pid = _someone_who_owes()
    due = claims.balances.balance_of(pid).due_cents
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.push_screen(PatientScreen(pid))
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, StatementForm)
        box = form.field("out")
        await pilot.press("end", *["backspace"] * len(box.raw()))
        await type_text(pilot, str(tmp_path))
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PatientScreen)
        (pdf,) = tmp_path.glob("statement-*.pdf")
        text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
        assert money(due) in text
