"""The keys that work a claim, shared by the queue (the highlighted row) and a claim's
screen: mark ready, change status, post a payer's or a patient's payment, write off,
assign, set a follow-up date, add a note, edit the charges, see the patient's balance.

A key that the signed-in role may not use is hidden; one the claim's status cannot take
is shown dimmed (``check_action``). Every change names the version the desk saw, so a
claim another desk changed meanwhile is refused ("someone else changed this record")
and reloaded, never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.binding import Binding

from medoffice_tui.errors import DomainError, StaleEdit
from medoffice_tui.services import claims
from medoffice_tui.services.claims.statuses import (
    EDITABLE_STATUSES,
    OPEN_CLAIM_STATUSES,
    POSTABLE_STATUSES,
)
from medoffice_tui.ui.service_call import call_service, notify_refusal


@dataclass(frozen=True)
class ClaimRef:
    """What a key needs to know about the claim it acts on."""

    id: int
    claim_number: str
    version: int
    status: str
    patient_id: int
    patient_name: str
    balance_cents: int
    assignee_id: int | None = None


#: action -> (permission, when the status allows it)
RULES: dict[str, tuple[str, Any]] = {
    "mark_ready": ("claim.edit", lambda c: "ready" in claims.next_statuses(c.status)),
    "change_status": ("claim.edit", lambda c: bool(claims.next_statuses(c.status))),
    "payer_payment": ("payment.post", lambda c: c.status in POSTABLE_STATUSES),
    "patient_payment": (
        "payment.collect",
        lambda c: c.status not in ("void",) and c.balance_cents > 0,
    ),
    "write_off": (
        "claim.write_off",
        lambda c: c.status in OPEN_CLAIM_STATUSES and c.balance_cents > 0,
    ),
    "assign": ("claim.edit", lambda c: True),
    "follow_up": ("claim.edit", lambda c: True),
    "note": ("claim.edit", lambda c: True),
    "edit_charges": ("charge.enter", lambda c: c.status in EDITABLE_STATUSES),
    "balance": ("claim.view", lambda c: True),
}


def claim_bindings(area: str) -> list[Binding]:
    """The claim keys, with binding ids of ``area`` ("claims" in the queue, "claim" on
    a claim's screen). Only the commonest show in the key line; F1 lists them all."""
    return [
        Binding(
            "r",
            "mark_ready",
            "Ready",
            id=f"{area}.ready",
            tooltip="Mark ready (the scrubber checks it first)",
        ),
        Binding(
            "t",
            "change_status",
            "Status",
            show=False,
            id=f"{area}.status",
            tooltip="Change the claim's status (with a note)",
        ),
        Binding(
            "p",
            "payer_payment",
            "Post",
            id=f"{area}.payer-payment",
            tooltip="Post the payer's payment or denial, line by line",
        ),
        Binding(
            "dollar_sign",
            "patient_payment",
            "$ Patient",
            key_display="$",
            show=False,
            id=f"{area}.patient-payment",
            tooltip="Take a patient payment",
        ),
        Binding(
            "w",
            "write_off",
            "Write off",
            show=False,
            id=f"{area}.write-off",
            tooltip="Write off what is left (billing, manager)",
        ),
        Binding(
            "a",
            "assign",
            "Assign",
            show=False,
            id=f"{area}.assign",
            tooltip="Assign the claim to someone",
        ),
        Binding(
            "f",
            "follow_up",
            "Follow-up",
            show=False,
            id=f"{area}.follow-up",
            tooltip="Set a follow-up date",
        ),
        Binding("n", "note", "Note", show=False, id=f"{area}.note", tooltip="Add a note"),
        Binding(
            "e",
            "edit_charges",
            "Edit",
            show=False,
            id=f"{area}.edit-charges",
            tooltip="Edit the charges (before the payer has the claim)",
        ),
        Binding(
            "l",
            "balance",
            "Balance",
            show=False,
            id=f"{area}.balance",
            tooltip="The patient's balance and statement",
        ),
    ]


class ClaimActions:
    """Mixed into a pane or screen that has one current claim (``current_claim``)."""

    def current_claim(self) -> ClaimRef | None:
        raise NotImplementedError

    def claim_changed(self, claim_id: int) -> None:
        """A key changed the claim: show it anew."""
        raise NotImplementedError

    # ------------------------------------------------------------- key rules

    def claim_action_allowed(self, action: str) -> bool | None:
        """check_action for the claim keys: None (dimmed) or False (hidden) or True."""
        rule = RULES.get(action)
        if rule is None:
            return True
        permission, applies = rule
        if not self.may(permission):  # type: ignore[attr-defined]
            return False
        claim = self.current_claim()
        if claim is None:
            return None
        return True if applies(claim) else None

    def _claim_or_warn(self) -> ClaimRef | None:
        claim = self.current_claim()
        if claim is None:
            self.notify("Put the cursor on a claim first", severity="warning", markup=False)  # type: ignore[attr-defined]
        return claim

    def _refused(self, claim_id: int, error: DomainError) -> None:
        notify_refusal(self, error)  # type: ignore[arg-type]
        if isinstance(error, StaleEdit):
            self.claim_changed(claim_id)

    def _push(self, screen: Any, claim_id: int, done: str) -> None:
        def after(result: Any) -> None:
            if result is not None:
                self.notify(done, markup=False)  # type: ignore[attr-defined]
                self.claim_changed(claim_id)

        self.app.push_screen(screen, after)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- actions

    def action_mark_ready(self) -> None:
        claim = self._claim_or_warn()
        if claim is None:
            return
        actor = self.actor  # type: ignore[attr-defined]

        def refused(error: DomainError) -> None:
            if isinstance(error, claims.ScrubFailed):
                self.show_problems(claim.id, error.problems)
            else:
                self._refused(claim.id, error)

        call_service(
            self,  # type: ignore[arg-type]
            lambda: claims.mark_ready(actor, claim.id, claim.version),
            on_result=lambda _v: (
                self.notify(
                    f"Claim {claim.claim_number} is ready",  # type: ignore[attr-defined]
                    markup=False,
                ),
                self.claim_changed(claim.id),
            ),
            on_error=refused,
            key=f"claim:{claim.id}",
            group="claim-write",
            description="mark ready",
        )

    def show_problems(self, claim_id: int, problems: list[claims.Problem]) -> None:
        """The scrubber's list (the queue opens the claim's screen, which lists them)."""
        from medoffice_tui.ui.claims.claim_screen import ClaimScreen

        self.app.push_screen(ClaimScreen(claim_id), lambda _r: self.claim_changed(claim_id))  # type: ignore[attr-defined]

    def action_change_status(self) -> None:
        from medoffice_tui.ui.claims.small_forms import StatusForm

        claim = self._claim_or_warn()
        if claim is not None:
            self._push(
                StatusForm(
                    self.actor,
                    claim.id,
                    claim.claim_number,
                    claim.version,  # type: ignore[attr-defined]
                    claim.status,
                ),
                claim.id,
                "Status changed",
            )

    def action_assign(self) -> None:
        from medoffice_tui.ui.claims.small_forms import AssignForm

        claim = self._claim_or_warn()
        if claim is None:
            return
        call_service(
            self,  # type: ignore[arg-type]
            claims.assignable_staff,
            on_result=lambda staff: self._push(
                AssignForm(
                    self.actor,
                    claim.id,
                    claim.claim_number,
                    claim.version,
                    staff,  # type: ignore[attr-defined]
                    claim.assignee_id,
                ),
                claim.id,
                "Assigned",
            ),
            group="claim-staff",
        )

    def action_follow_up(self) -> None:
        from medoffice_tui.ui.claims.small_forms import FollowUpForm

        claim = self._claim_or_warn()
        if claim is not None:
            self._push(
                FollowUpForm(self.actor, claim.id, claim.claim_number, claim.version),  # type: ignore[attr-defined]
                claim.id,
                "Follow-up date set",
            )

    def action_note(self) -> None:
        from medoffice_tui.ui.claims.small_forms import NoteForm

        claim = self._claim_or_warn()
        if claim is not None:
            self._push(
                NoteForm(self.actor, claim.id, claim.claim_number, claim.version),  # type: ignore[attr-defined]
                claim.id,
                "Note added",
            )

    def action_write_off(self) -> None:
        from medoffice_tui.ui.claims.small_forms import WriteOffForm

        claim = self._claim_or_warn()
        if claim is not None:
            self._push(
                WriteOffForm(
                    self.actor,
                    claim.id,
                    claim.claim_number,
                    claim.version,  # type: ignore[attr-defined]
                    claim.balance_cents,
                ),
                claim.id,
                "Written off",
            )

    def action_patient_payment(self) -> None:
        from medoffice_tui.ui.claims.payment_forms import PatientPaymentForm

        claim = self._claim_or_warn()
        if claim is not None:
            self._push(
                PatientPaymentForm(
                    self.actor,
                    claim.patient_id,
                    claim.patient_name,  # type: ignore[attr-defined]
                    claim.id,
                    claim.balance_cents,
                ),
                claim.id,
                "Payment taken",
            )

    def action_payer_payment(self) -> None:
        from medoffice_tui.ui.claims.payment_forms import PayerPaymentForm

        claim = self._claim_or_warn()
        if claim is None:
            return
        actor = self.actor  # type: ignore[attr-defined]
        call_service(
            self,  # type: ignore[arg-type]
            lambda: claims.get_claim(actor, claim.id, with_scrub=False),
            on_result=lambda detail: self._push(
                PayerPaymentForm(actor, detail), claim.id, "Payment posted"
            ),
            group="claim-detail-load",
        )

    def action_edit_charges(self) -> None:
        claim = self._claim_or_warn()
        if claim is not None:
            open_charge_form(
                self, claim_id=claim.id, then=self.claim_changed, focus=self.field_to_fix()
            )

    def field_to_fix(self) -> str | None:
        """The charge form's field for the first scrubber finding shown (the claim's
        screen has them), so ``e`` starts where the fix goes."""
        return None

    def action_balance(self) -> None:
        from medoffice_tui.ui.claims.balance import BalanceScreen

        claim = self._claim_or_warn()
        if claim is not None:
            self.app.push_screen(BalanceScreen(claim.patient_id, claim.patient_name))  # type: ignore[attr-defined]


def open_charge_form(
    node: Any,
    *,
    appointment_id: int | None = None,
    claim_id: int | None = None,
    then: Any = None,
    focus: str | None = None,
    context: claims.charges.ChargeContext | None = None,
) -> None:
    """Open the charge form for a visit (new charges) or a claim (edit); after saving,
    the claim's screen shows what the scrubber found. Usable from any screen (the
    schedule's check-out can call it with the visit's appointment id, and with the
    ``context`` it read already)."""
    from medoffice_tui.ui.claims.charge_form import ChargeForm
    from medoffice_tui.ui.claims.claim_screen import ClaimScreen

    actor = node.app.actor

    def opened(context: claims.charges.ChargeContext) -> None:
        def saved(result: int | None) -> None:
            if result is None:
                return
            if then is not None:
                then(result)
            if claim_id is None or not isinstance(node.app.screen, ClaimScreen):
                node.app.push_screen(ClaimScreen(result))

        node.app.push_screen(ChargeForm(actor, context, focus=focus), saved)

    if context is not None:
        opened(context)
        return
    call_service(
        node,
        lambda: claims.charge_context(appointment_id=appointment_id, claim_id=claim_id),
        on_result=opened,
        group="charge-context",
        # an indexed read of one visit: in the key's own frame when SQLite answers in
        # time, rather than a worker round trip before the form can open
        inline=True,
        description="charge form",
    )
