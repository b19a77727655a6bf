"""The rows of one batch of claims and their children, and how a batch is written.

Ids run across batches, so claims can be written in batches that keep memory flat.
Lines carry what the payer decided and what was paid on them (the services' per-line
money), so every demo line keeps charge = paid + CO + PR + OA once posted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.staff import BILLING_USER
from medoffice_tui.demo.summary import DemoSummary


@dataclass
class LineMoney:
    """One line's money as the demo posts it."""

    allowed: int = 0
    paid: int = 0
    co: int = 0
    pr: int = 0
    oa: int = 0
    patient_paid: int = 0
    write_off: int = 0
    adjudicated: bool = False


class ClaimRows:
    """Rows of one batch of claims and their children, with ids running across batches."""

    CLAIM_FIELDS = bulk.fields(
        m.Claim,
        "id claim_number patient provider payer coverage appointment service_date "
        "place_of_service frequency_code payer_claim_number status total_charge_cents "
        "paid_cents adjustment_cents patient_resp_cents balance_cents submitted_at "
        "status_changed_at created_at updated_at version assignee follow_up_on "
        "prior_auth_number payer_seq created_by",
    )
    LINE_FIELDS = bulk.fields(
        m.ClaimLine,
        "id claim line_no procedure_code modifiers units charge_cents dx_pointers "
        "service_date description allowed_cents paid_cents co_cents pr_cents oa_cents "
        "patient_paid_cents write_off_cents adjudicated",
    )

    def __init__(self) -> None:
        self.claims: list[tuple] = []
        self.lines: list[tuple] = []
        self.dx: list[tuple] = []
        self.events: list[tuple] = []
        self.payments: list[tuple] = []
        self.allocations: list[tuple] = []
        self.adjustments: list[tuple] = []
        self.ids = dict.fromkeys(
            ("claim", "line", "dx", "event", "payment", "allocation", "adjustment"), 0
        )

    def _next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def next_claim_id(self) -> int:
        return self._next("claim")

    def next_line_id(self) -> int:
        return self._next("line")

    def add_claim(self, row: tuple) -> None:
        self.claims.append(row)

    def add_line(
        self,
        lid: int,
        cid: int,
        line_no: int,
        code: str,
        mods: str,
        units: int,
        charge: int,
        pointers: str,
        service_date: dt.date,
        description: str,
        money: LineMoney,
    ) -> None:
        self.lines.append(
            (
                lid,
                cid,
                line_no,
                code,
                mods,
                units,
                charge,
                pointers,
                service_date,
                description[:80],
                money.allowed,
                money.paid,
                money.co,
                money.pr,
                money.oa,
                money.patient_paid,
                money.write_off,
                money.adjudicated,
            )
        )

    def add_dx(self, cid: int, seq: int, code: str) -> None:
        self.dx.append((self._next("dx"), cid, seq, code))

    def add_event(
        self,
        cid: int,
        from_status: str,
        to_status: str,
        at: dt.datetime,
        note: str,
        kind: str = "status",
        user: int = BILLING_USER,
    ) -> None:
        self.events.append((self._next("event"), cid, from_status, to_status, at, user, note, kind))

    def add_payment(
        self,
        kind: str,
        cid: int,
        patient: int,
        payer: int | None,
        amount: int,
        method: str,
        reference: str,
        at: dt.datetime,
    ) -> int:
        pid = self._next("payment")
        self.payments.append(
            (pid, kind, cid, patient, payer, amount, method, reference, at.date(), at, BILLING_USER)
        )
        return pid

    def add_allocation(self, payment: int, cid: int, line_id: int, amount: int) -> None:
        if amount:
            self.allocations.append((self._next("allocation"), payment, cid, line_id, amount))

    def add_adjustment(
        self,
        cid: int,
        line_id: int | None,
        payment_id: int | None,
        group: str,
        carc: str,
        amount: int,
        note: str,
        at: dt.datetime,
        rarc: str = "",
    ) -> None:
        self.adjustments.append(
            (
                self._next("adjustment"),
                cid,
                line_id,
                payment_id,
                group,
                carc,
                amount,
                note,
                at,
                rarc,
                BILLING_USER,
            )
        )

    #: the child tables of a batch, in the order they are written
    DX_FIELDS = bulk.fields(m.ClaimDiagnosis, "id claim seq code")
    EVENT_FIELDS = bulk.fields(
        m.ClaimStatusEvent, "id claim from_status to_status at user note kind"
    )
    PAYMENT_FIELDS = bulk.fields(
        m.Payment,
        "id kind claim patient payer amount_cents method reference received_on posted_at posted_by",
    )
    ALLOCATION_FIELDS = bulk.fields(m.PaymentAllocation, "id payment claim claim_line amount_cents")
    ADJUSTMENT_FIELDS = bulk.fields(
        m.Adjustment,
        "id claim claim_line payment group_code carc amount_cents note posted_at rarc posted_by",
    )

    def tables(self) -> list[tuple[type[m.BaseModel], tuple, list[tuple]]]:
        """(model, fields, rows) of this batch, parents before children."""
        return [
            (m.Claim, self.CLAIM_FIELDS, self.claims),
            (m.ClaimDiagnosis, self.DX_FIELDS, self.dx),
            (m.ClaimLine, self.LINE_FIELDS, self.lines),
            (m.ClaimStatusEvent, self.EVENT_FIELDS, self.events),
            (m.Payment, self.PAYMENT_FIELDS, self.payments),
            (m.PaymentAllocation, self.ALLOCATION_FIELDS, self.allocations),
            (m.Adjustment, self.ADJUSTMENT_FIELDS, self.adjustments),
        ]

    def write(self, summary: DemoSummary) -> None:
        """Insert the batch, count it into ``summary`` and start the next one."""
        for model, fields, rows in self.tables():
            bulk.insert(model, fields, rows)
        self.count(summary)

    def count(self, summary: DemoSummary) -> None:
        """Add this batch to ``summary`` and empty it (the ids run on)."""
        s = summary
        s.claims += len(self.claims)
        s.claim_lines += len(self.lines)
        s.claim_diagnoses += len(self.dx)
        s.claim_events += len(self.events)
        s.payments += len(self.payments)
        s.adjustments += len(self.adjustments)
        open_statuses = set(m.OPEN_CLAIM_STATUSES)
        s.open_balance_cents += sum(c[16] for c in self.claims if c[11] in open_statuses)
        for _model, _fields, rows in self.tables():
            rows.clear()
