"""Posting money: a payer's decision line by line, and a patient's payment.

A payer line reads as the remittance does: what was allowed (the rest of the charge is
the contractual write-off, CO 45), what was paid, the patient's share split into copay,
coinsurance and deductible, and any other adjustment with its group, reason (CARC) and
remark (RARC), shown in plain words as the code is typed. "Left" says what the line
still has to explain; the service refuses a line that does not balance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from medoffice_tui import clock
from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.claims.detail import ClaimDetail, LineDetail
from medoffice_tui.services.claims.reason_codes import CARC, RARC
from medoffice_tui.services.money import format_money, parse_money
from medoffice_tui.ui.claims.multi_input import MultiInputForm
from medoffice_tui.ui.forms import ChoiceField, DateField, MoneyField, TextField
from medoffice_tui.ui.forms.fields import Field
from medoffice_tui.ui.widgets.plain_input import PlainInput

#: (box name, label, width) on the first and second row of a posting line
_ROW1 = (
    ("allowed", "Allowed", 8),
    ("paid", "Paid", 8),
    ("copay", "Copay", 7),
    ("coins", "Coins", 7),
)
_ROW2 = (
    ("deduct", "Ded", 7),
    ("group", "Other", 3),
    ("carc", "reason", 4),
    ("rarc", "remark", 6),
    ("other", "amt", 8),
)


class PostingLineField(Field["claims.LinePosting | None"]):
    """One claim line's posting: two rows of boxes, "left to explain" and the reason text."""

    DEFAULT_CSS = """
    PostingLineField { height: auto; }
    PostingLineField .post-row { height: 1; }
    PostingLineField .post-label { width: auto; padding: 0 1 0 1; color: $text-muted; }
    PostingLineField .post-line { width: 14; text-style: bold; }
    PostingLineField Input { height: 1; border: none; padding: 0; background: $surface-lighten-1; }
    PostingLineField Input:focus { background: $boost; }
    PostingLineField .post-left { height: 1; padding-left: 14; color: $text-muted; }
    """

    def __init__(self, line: LineDetail) -> None:
        super().__init__(f"line{line.line_no}", f"Line {line.line_no}")
        self.line = line

    def compose(self) -> ComposeResult:
        line = self.line
        with Horizontal(classes="post-row"):
            yield Label(
                f"{line.line_no} {line.code} {format_money(line.charge_cents)}", classes="post-line"
            )
            for name, label, width in _ROW1:
                yield Label(label, classes="post-label")
                box = PlainInput(compact=True, id=self._box_id(name))
                box.styles.width = width
                yield box
        with Horizontal(classes="post-row"):
            yield Label("", classes="post-line")
            for name, label, width in _ROW2:
                yield Label(label, classes="post-label")
                box = PlainInput(compact=True, id=self._box_id(name), max_length=8)
                box.styles.width = width
                yield box
        yield Static("", classes="post-left", markup=False)
        yield Static("", classes="field-error", markup=False)

    def _box_id(self, name: str) -> str:
        return (
            f"input-{self.field_name}" if name == "allowed" else f"input-{self.field_name}-{name}"
        )

    def box(self, name: str) -> Input:
        return self.query_one(f"#{self._box_id(name)}", Input)

    def raw(self) -> str:
        return " ".join(self.box(n).value for n, _l, _w in (*_ROW1, *_ROW2))

    @property
    def dirty(self) -> bool:
        return bool(self.raw().strip())

    def _cents(self, name: str, label: str) -> int | None:
        text = self.box(name).value.strip()
        if not text:
            return None
        try:
            return parse_money(text, field=self.field_name, allow_negative=name == "other")
        except InvalidInput as error:
            raise self.invalid(f"{label}: {error}") from None

    def value(self) -> claims.LinePosting | None:
        if not self.raw().strip():
            return None  # a line left blank is not posted now
        line = self.line
        allowed = self._cents("allowed", "allowed")
        paid = self._cents("paid", "paid") or 0
        adjustments: list[claims.AdjustmentInput] = []
        if allowed is not None and allowed != line.charge_cents:
            adjustments.append(claims.AdjustmentInput("CO", "45", line.charge_cents - allowed))
        for name, carc in (("copay", "3"), ("coins", "2"), ("deduct", "1")):
            amount = self._cents(name, name)
            if amount:
                adjustments.append(claims.AdjustmentInput("PR", carc, amount))
        other = self._cents("other", "other amount")
        group = self.box("group").value.strip().upper()
        carc = self.box("carc").value.strip().upper()
        rarc = self.box("rarc").value.strip().upper()
        if other:
            if group not in ("CO", "PR", "OA", "PI") or not carc:
                raise self.invalid(
                    "the other adjustment needs its group (CO, PR, OA, PI) and reason code"
                )
            adjustments.append(claims.AdjustmentInput(group, carc, other, rarc))
        return claims.LinePosting(line.id, paid, tuple(adjustments), allowed)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_error()
        self.post_message(self.Changed(self))
        self.query_one(".post-left", Static).update(self._left_text())

    def _left_text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        try:
            posting = self.value()
        except InvalidInput:
            return text
        if posting is not None:
            explained = posting.paid_cents + sum(a.amount_cents for a in posting.adjustments)
            left = self.line.charge_cents - explained
            words = f"over by ${format_money(-left)}" if left < 0 else f"left ${format_money(left)}"
            text.append(words, style="bold" if left else "")
        carc = self.box("carc").value.strip().upper()
        rarc = self.box("rarc").value.strip().upper()
        words = [w for w in (CARC.get(carc, ""), RARC.get(rarc, "")) if w]
        if words:
            text.append("  " + "; ".join(words))
        return text


class PayerPaymentForm(MultiInputForm):
    """Post what a payer decided on a claim's lines."""

    FORM_TITLE = "Payer payment"
    SAVE_LABEL = "post"

    def __init__(self, actor: Actor, detail: ClaimDetail) -> None:
        super().__init__()
        self.actor = actor
        self.detail = detail

    def form_title(self) -> str:
        d = self.detail
        return f"Payer payment: {d.payer_name}, claim {d.claim_number}"

    def compose_fields(self) -> ComposeResult:
        yield TextField("reference", "Check / EFT no.", max_length=40, hint="trace number")
        yield ChoiceField("method", "Paid by", [("eft", "EFT"), ("check", "check")])
        yield DateField("received_on", "Received", value=clock.today().strftime("%m/%d/%Y"))
        for line in self.detail.lines:
            yield PostingLineField(line)

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        postings = tuple(v for k, v in values.items() if k.startswith("line") and v is not None)
        if not postings:
            raise InvalidInput("fill in at least one line", field="line1")
        payment = claims.PayerPayment(
            self.detail.id, postings, values["reference"], values["method"], values["received_on"]
        )
        actor = self.actor
        return lambda: claims.post_payer_payment(actor, payment)


class PatientPaymentForm(MultiInputForm):
    """A patient's payment: cash, card or check (with its number)."""

    FORM_TITLE = "Patient payment"
    SAVE_LABEL = "take it"

    def __init__(
        self,
        actor: Actor,
        patient_id: int,
        patient_name: str,
        claim_id: int | None,
        owed_cents: int,
    ) -> None:
        super().__init__()
        self.actor = actor
        self.patient_id = patient_id
        self.patient_name = patient_name
        self.claim_id = claim_id
        self.owed_cents = owed_cents

    def form_title(self) -> str:
        return f"Patient payment: {self.patient_name}"

    def compose_fields(self) -> ComposeResult:
        yield MoneyField(
            "amount",
            "Amount",
            required=True,
            hint=f"${format_money(self.owed_cents)} left on the claim",
        )
        yield ChoiceField(
            "method", "Paid by", [("card", "card"), ("cash", "cash"), ("check", "check")]
        )
        yield TextField("reference", "Check number", max_length=40, hint="for a check")
        yield DateField("received_on", "Received", value=clock.today().strftime("%m/%d/%Y"))

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, patient, claim = self.actor, self.patient_id, self.claim_id
        return lambda: claims.take_patient_payment(
            actor,
            patient,
            values["amount"],
            values["method"],
            values["reference"],
            claim,
            values["received_on"],
        )
