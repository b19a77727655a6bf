"""One claim, whole: who and what it bills, what the scrubber found (each problem with
the field to fix), its lines with what the payer decided, the adjustments in plain
words, the payments, and its history (who, when, what, the note). The claim keys work
here as in the queue; ``e`` edits the charges while the payer does not have the claim.

An opaque full screen (not a modal): over SSH it paints once.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from medoffice_tui.services import claims
from medoffice_tui.services.claims.detail import ClaimDetail
from medoffice_tui.services.text import display
from medoffice_tui.ui.claims.actions import ClaimActions, ClaimRef, claim_bindings
from medoffice_tui.ui.claims.code_load import with_codes
from medoffice_tui.ui.panes.fmt import money, short_us_date, us_date
from medoffice_tui.ui.safe import SafeDispatch
from medoffice_tui.ui.screen_focus import QuietFocus
from medoffice_tui.ui.service_call import call_service
from medoffice_tui.ui.widgets.key_line import KeyLine

_SEQ = {"P": "primary", "S": "secondary", "T": "tertiary"}
FIELD_WORDS = {
    "rendering_provider": "rendering provider",
    "billing_provider": "billing provider",
    "member_id": "patient's insurance (F3)",
    "subscriber": "patient's insurance (F3)",
    "coverage": "payer",
    "diagnoses": "diagnoses (e)",
    "service_date": "date of service",
    "total": "charges (e)",
    "billing_address": "practice address (manager)",
    "filing": "too late to file: write off (w)",
    "prior_auth": "prior auth (e)",
    "payer_claim_number": "payer's claim number (e, billing)",
}
#: a scrubber finding's field -> the charge form's field where it is fixed
FORM_FIELDS = {
    "diagnoses": "diagnoses",
    "coverage": "coverage",
    "rendering_provider": "rendering_provider",
    "billing_provider": "billing_provider",
    "prior_auth": "prior_auth_number",
    "payer_claim_number": "payer_claim_number",
    "total": "line1",
}


def _heading(title: str) -> Text:
    return Text(title, style="bold underline", end="")


def body_lines(d: ClaimDetail) -> list[Text]:
    lines: list[Text] = []

    def add(label: str, value: str) -> None:
        text = Text(no_wrap=True, end="")
        text.append(f"{label:<12}", style="bold")
        text.append(display(value) or "-")
        lines.append(text)

    add("Status", claims.STATUS_LABELS.get(d.status, d.status))
    add("Payer", f"{d.payer_name} ({_SEQ.get(d.payer_seq, '')}), member {d.member_id or '-'}")
    add("Seen", f"{us_date(d.service_date)}  place {d.place_of_service}  by {d.rendering_provider}")
    add(
        "Billing",
        d.billing_provider + (f"  prior auth {d.prior_auth_number}" if d.prior_auth_number else ""),
    )
    if d.frequency_code != "1" or d.payer_claim_number:
        kind = {"7": "replacement", "8": "void"}.get(d.frequency_code, "original")
        add(
            "Frequency",
            f"{d.frequency_code} {kind}, payer's claim no. {d.payer_claim_number or '-'}",
        )
    add(
        "Money",
        f"billed {money(d.total_charge_cents)}, paid {money(d.paid_cents)}, "
        f"adjusted {money(d.adjustment_cents)}, patient {money(d.patient_resp_cents)}",
    )
    add("Balance", f"${money(d.balance_cents)}")
    add(
        "Worked by",
        (d.assignee or "nobody")
        + (f"  follow up {us_date(d.follow_up_on)}" if d.follow_up_on else ""),
    )
    if d.problems:
        lines += [Text(""), _heading(f"Scrubber: {len(d.problems)} to fix before it is ready")]
        for p in d.problems:
            text = Text(no_wrap=False, end="")
            text.append("! ", style="bold red")
            text.append(display(p.message))
            text.append(
                f"  -> {FIELD_WORDS.get(p.field, p.field.replace('line', 'line '))}", style="dim"
            )
            lines.append(text)
    elif d.editable:
        lines += [Text(""), Text("Scrubber: nothing to fix (r marks it ready)", style="bold")]
    lines += [Text(""), _heading("Diagnoses")]
    for n, (code, words) in enumerate(d.diagnoses, 1):
        lines.append(Text(f"{n:>2} {code:<8} {display(words)}", no_wrap=True, end=""))
    lines += [
        Text(""),
        _heading("Lines"),
        Text(
            "  # Code  Mods     Un Dx      Charge  Allowed    Paid     Adj Patient",
            style="dim",
            no_wrap=True,
            end="",
        ),
    ]
    for ln in d.lines:
        adj = ln.co_cents + ln.oa_cents
        patient = ln.pr_cents
        allowed = money(ln.allowed_cents) if ln.adjudicated else "-"
        lines.append(
            Text(
                f"{ln.line_no:>3} {ln.code:<5} {ln.modifiers:<8} {ln.units:>2} {ln.pointers:<7}"
                f"{money(ln.charge_cents):>7} {allowed:>8}"
                f" {money(ln.paid_cents):>7} {money(adj):>7} {money(patient):>7}",
                no_wrap=True,
                end="",
            )
        )
        if ln.description:
            lines.append(
                Text(f"      {display(ln.description)}", style="dim", no_wrap=True, end="")
            )
    if d.adjustments:
        lines += [Text(""), _heading("Adjustments")]
        for a in d.adjustments:
            where = f"line {a.line_no}" if a.line_no else "claim"
            code = f"{a.group}-{a.carc}" + (f"/{a.rarc}" if a.rarc else "")
            lines.append(
                Text(
                    f"{where:<7} {code:<12} ${money(a.amount_cents):>9}  {display(a.text)}",
                    no_wrap=True,
                    end="",
                )
            )
    if d.payments:
        lines += [Text(""), _heading("Payments")]
        for p in d.payments:
            ref = f" {p.reference}" if p.reference else ""
            lines.append(
                Text(
                    f"{short_us_date(p.received_on)} {p.kind:<9} {p.method}{ref}  "
                    f"${money(p.amount_cents)}  by {p.posted_by}",
                    no_wrap=True,
                    end="",
                )
            )
    lines += [Text(""), _heading("History")]
    for h in d.history:
        what = (
            f"{claims.status_word(h.from_status) or 'new'} -> {claims.status_word(h.to_status)}"
            if h.kind in ("status", "payment", "adjustment", "charges") and h.to_status
            else h.kind.replace("_", "-")
        )
        note = f"  {h.note}" if h.note else ""
        lines.append(
            Text(f"{h.at:%m/%d/%y %H:%M} {h.user:<10} {what}{display(note)}", no_wrap=True, end="")
        )
    return lines


class ClaimScreen(ClaimActions, SafeDispatch, QuietFocus, Screen[None]):
    """One claim; Esc goes back to where it was opened."""

    TITLE = "Claim"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="claim.close", tooltip="Back"),
        *claim_bindings("claim"),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="claim.reload",
            tooltip="Read the claim again",
        ),
    ]

    DEFAULT_CSS = """
    ClaimScreen #claim-title { height: 1; background: $panel; text-style: bold; }
    ClaimScreen #claim-body { height: 1fr; }
    """

    def __init__(self, claim_id: int) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.detail: ClaimDetail | None = None

    @property
    def actor(self):  # noqa: ANN201 - an Actor
        return self.app.actor  # type: ignore[attr-defined]

    def may(self, action: str) -> bool:
        may = getattr(self.app, "may", None)
        return bool(may and may(action))

    def compose(self) -> ComposeResult:
        yield Static(" Claim", id="claim-title", markup=False)
        with VerticalScroll(id="claim-body"):
            yield Static("loading...", id="claim-detail", markup=False)
        yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#claim-body").focus()
        self.action_reload()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        actor = self.actor
        cid = self.claim_id
        call_service(
            self,
            with_codes(self, lambda: claims.open_claim(actor, cid), self._waiting),
            on_result=self.show,
            group="claim-detail",
            exclusive=True,
            description="claim",
        )

    def _waiting(self, words: str) -> None:
        """What the claim waits for (the first use of the code set), until it shows."""
        if self.detail is None:
            self.query_one("#claim-detail", Static).update(words)

    def show(self, detail: ClaimDetail) -> None:
        self.detail = detail
        title = Text(no_wrap=True, end="")
        title.append(f" {detail.claim_number}  {display(detail.patient_name)}", style="bold")
        title.append(
            f"  {detail.mrn}  {claims.status_word(detail.status)}  "
            f"balance ${money(detail.balance_cents)}"
        )
        self.query_one("#claim-title", Static).update(title)
        self.query_one("#claim-detail", Static).update(Text("\n", end="").join(body_lines(detail)))
        self.refresh_bindings()

    # ClaimActions
    def current_claim(self) -> ClaimRef | None:
        d = self.detail
        if d is None:
            return None
        return ClaimRef(
            d.id, d.claim_number, d.version, d.status, d.patient_id, d.patient_name, d.balance_cents
        )

    def claim_changed(self, claim_id: int) -> None:
        self.action_reload()

    def field_to_fix(self) -> str | None:
        for problem in self.detail.problems if self.detail else ():
            if problem.field.startswith("line"):
                return problem.field
            if problem.field in FORM_FIELDS:
                return FORM_FIELDS[problem.field]
        return None

    def show_problems(self, claim_id: int, problems: list[claims.Problem]) -> None:
        self.notify(
            f"Not ready: {len(problems)} to fix (listed under Scrubber)",
            severity="warning",
            markup=False,
        )
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.claim_action_allowed(action)
