"""The small forms of claims work: a status change, assigning, a follow-up date, a note,
a write-off, and the folder a statement goes to. Each returns what the service returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult

from medoffice_tui.errors import InvalidInput
from medoffice_tui.services import claims, dates
from medoffice_tui.services.actor import Actor
from medoffice_tui.services.claims.payments import WRITE_OFF_REASONS
from medoffice_tui.services.money import format_money
from medoffice_tui.ui.forms import ChoiceField, DateField, FormScreen, MoneyField, TextField


class DayField(DateField):
    """A day from today on: ``t``, ``tomorrow``, ``tue``, ``+2w``, ``12/1``."""

    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("hint", "t+7, tue, 12/1")
        super().__init__(name, label, **kwargs)

    def parse(self, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            return dates.parse_day(text, future=True)
        except InvalidInput as error:
            raise self.invalid(str(error)) from None


class ClaimForm(FormScreen[Any]):
    """A form about one claim: its number in the title."""

    def __init__(self, actor: Actor, claim_id: int, claim_number: str, version: int) -> None:
        super().__init__()
        self.actor = actor
        self.claim_id = claim_id
        self.claim_number = claim_number
        self.version = version

    def form_title(self) -> str:
        return f"{self.FORM_TITLE}: claim {self.claim_number}"


class StatusForm(ClaimForm):
    FORM_TITLE = "Change status"
    SAVE_LABEL = "change"

    def __init__(
        self, actor: Actor, claim_id: int, claim_number: str, version: int, status: str
    ) -> None:
        super().__init__(actor, claim_id, claim_number, version)
        self.status = status

    def compose_fields(self) -> ComposeResult:
        options = [(s, claims.STATUS_LABELS[s]) for s in claims.next_statuses(self.status)]
        yield ChoiceField("status", "New status", options, required=True)
        yield TextField("note", "Note", max_length=200, hint="why, who said so")

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, cid, version = self.actor, self.claim_id, self.version
        return lambda: claims.set_status(actor, cid, values["status"], values["note"], version)


class AssignForm(ClaimForm):
    FORM_TITLE = "Assign"
    SAVE_LABEL = "assign"
    CONFIRM_DISCARD = False

    def __init__(
        self,
        actor: Actor,
        claim_id: int,
        claim_number: str,
        version: int,
        staff: list[claims.history.StaffChoice],
        current: int | None,
    ) -> None:
        super().__init__(actor, claim_id, claim_number, version)
        self.staff = staff
        self.current = current

    def compose_fields(self) -> ComposeResult:
        options = [("", "nobody")] + [
            (str(s.id), f"{s.full_name} ({s.username})") for s in self.staff
        ]
        yield ChoiceField(
            "assignee", "Assign to", options, value=str(self.current) if self.current else ""
        )

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, cid, version = self.actor, self.claim_id, self.version
        user = int(values["assignee"]) if values["assignee"] else None
        return lambda: claims.assign(actor, cid, user, version)


class FollowUpForm(ClaimForm):
    FORM_TITLE = "Follow-up date"
    SAVE_LABEL = "set"

    def compose_fields(self) -> ComposeResult:
        yield DayField("follow_up_on", "Look again on")
        yield TextField("note", "Note", max_length=200, hint="what to check")

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, cid, version = self.actor, self.claim_id, self.version
        return lambda: claims.set_follow_up(
            actor, cid, values["follow_up_on"], values["note"], version
        )


class NoteForm(ClaimForm):
    FORM_TITLE = "Add a note"
    SAVE_LABEL = "add"

    def compose_fields(self) -> ComposeResult:
        yield TextField("note", "Note", max_length=200, required=True, hint="a call, a promise")

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, cid = self.actor, self.claim_id
        return lambda: claims.add_note(actor, cid, values["note"])


class WriteOffForm(ClaimForm):
    FORM_TITLE = "Write off"
    SAVE_LABEL = "write off"

    def __init__(
        self, actor: Actor, claim_id: int, claim_number: str, version: int, balance_cents: int
    ) -> None:
        super().__init__(actor, claim_id, claim_number, version)
        self.balance_cents = balance_cents

    def compose_fields(self) -> ComposeResult:
        yield ChoiceField("reason", "Why", list(WRITE_OFF_REASONS.items()), required=True)
        yield MoneyField(
            "amount",
            "Amount",
            cents=self.balance_cents,
            hint=f"of ${format_money(self.balance_cents)} left",
        )
        yield TextField("note", "Note", max_length=200)

    def save_call(self, values: dict[str, Any]) -> Callable[[], Any]:
        actor, cid = self.actor, self.claim_id
        return lambda: claims.write_off(
            actor, cid, values["reason"], values["amount"], values["note"]
        )


class StatementForm(FormScreen[list[Path]]):
    """Where the patient's statement PDF goes (a folder that exists)."""

    FORM_TITLE = "Patient statement (PDF)"
    SAVE_LABEL = "write it"
    CONFIRM_DISCARD = False

    def __init__(self, actor: Actor, patient_id: int, folder: str) -> None:
        super().__init__()
        self.actor = actor
        self.patient_id = patient_id
        self.folder = folder

    def compose_fields(self) -> ComposeResult:
        yield TextField("out", "Folder", value=self.folder, required=True, hint="exists")

    def save_call(self, values: dict[str, Any]) -> Callable[[], list[Path]]:
        actor, patient = self.actor, self.patient_id
        folder = Path(values["out"]).expanduser()
        return lambda: claims.statements.write_statements(actor, folder, [patient])
