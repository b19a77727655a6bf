"""A patient's balance: each open claim's charges, what insurance paid and adjusted, what
the patient paid, what is still with insurance and what the patient owes; the credit on
account; ``s`` writes the statement PDF, ``$`` takes a payment."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui.services import claims
from medoffice_tui.services.claims.balances import PatientBalance
from medoffice_tui.services.text import display
from medoffice_tui.ui.panes.fmt import money, short_us_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine

#: where statements go unless the desk types another folder
DEFAULT_FOLDER = "~/statements"


def balance_lines(balance: PatientBalance) -> list[Text]:
    lines = [
        Text(
            "Seen     Codes            Billed  Ins paid  Adjusted  Pt paid  With ins  Owes",
            style="bold",
            no_wrap=True,
            end="",
        )
    ]
    for ln in balance.lines:
        lines.append(
            Text(
                f"{short_us_date(ln.service_date)} {ln.codes[:14]:<14} {money(ln.charge_cents):>8}"
                f" {money(ln.insurance_paid_cents):>9} {money(ln.adjusted_cents):>9}"
                f" {money(ln.patient_paid_cents):>8} {money(ln.with_insurance_cents):>9}"
                f" {money(ln.patient_owes_cents):>7}",
                no_wrap=True,
                end="",
            )
        )
    if not balance.lines:
        lines.append(Text("Nothing open", style="dim"))
    lines.append(Text(""))
    lines.append(Text(f"Still with insurance  ${money(balance.with_insurance_cents)}"))
    lines.append(Text(f"Patient's share       ${money(balance.owes_cents)}"))
    if balance.credit_cents:
        lines.append(Text(f"Credit on account    -${money(balance.credit_cents)}"))
    lines.append(Text(f"Amount due            ${money(balance.due_cents)}", style="bold"))
    return lines


class BalanceScreen(SafeDispatch, QuietFocus, Screen[None]):
    TITLE = "Patient balance"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="balance.close", tooltip="Back"),
        Binding(
            "s",
            "statement",
            "Statement",
            id="balance.statement",
            tooltip="Write the patient's statement as a PDF",
        ),
        Binding(
            "dollar_sign",
            "payment",
            "$ Payment",
            key_display="$",
            id="balance.payment",
            tooltip="Take a patient payment (oldest claims first)",
        ),
        Binding("ctrl+r", "reload", "Reload", show=False, id="balance.reload", tooltip="Reload"),
    ]

    DEFAULT_CSS = """
    BalanceScreen #balance-title { height: 1; background: $panel; text-style: bold; }
    """

    def __init__(self, patient_id: int, patient_name: str) -> None:
        super().__init__()
        self.patient_id = patient_id
        self.patient_name = patient_name
        self.balance: PatientBalance | None = None

    def compose(self) -> ComposeResult:
        yield Static(f" Balance: {display(self.patient_name)}", id="balance-title", markup=False)
        with VerticalScroll(id="balance-body"):
            yield Static("loading...", id="balance-detail", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#balance-body").focus()
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        may = getattr(self.app, "may", lambda _a: False)
        if action == "payment":
            return True if may("payment.collect") else False
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        pid, actor = self.patient_id, self.app.actor  # type: ignore[attr-defined]
        call_service(
            self,
            lambda: claims.balances.patient_balance(actor, pid),
            on_result=self._show,
            group="balance",
            exclusive=True,
        )

    def _show(self, balance: PatientBalance) -> None:
        self.balance = balance
        self.query_one("#balance-detail", Static).update(
            Text("\n", end="").join(balance_lines(balance))
        )

    def action_statement(self) -> None:
        write_statement(self, self.patient_id)

    def action_payment(self) -> None:
        from medoffice_tui.ui.claims.payment_forms import PatientPaymentForm

        owed = self.balance.due_cents if self.balance else 0
        form = PatientPaymentForm(self.app.actor, self.patient_id, self.patient_name, None, owed)  # type: ignore[attr-defined]
        self.app.push_screen(
            form,
            lambda r: (
                (self.notify("Payment taken", markup=False), self.action_reload()) if r else None
            ),
        )


def write_statement(node: Any, patient_id: int) -> None:
    """Ask for the folder (``~/statements`` unless typed otherwise) and write the
    patient's statement PDF there (``services/claims/statements``); from the balance
    screen's ``s`` and the patient record's ``s``."""
    from medoffice_tui.ui.claims.small_forms import StatementForm

    folder = str(Path(DEFAULT_FOLDER).expanduser())

    def done(paths: list[Path] | None) -> None:
        if paths:
            node.notify(f"Statement written: {paths[0]}", markup=False, timeout=8)

    node.app.push_screen(StatementForm(node.app.actor, patient_id, folder), done)
