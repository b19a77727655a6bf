"""The rows of one batch of claims and their children, and how a batch is written.

Ids run across batches, so claims can be written in batches that keep memory flat.
"""

from __future__ import annotations

import datetime as dt

from medoffice_tui.db import models as m
from medoffice_tui.demo import bulk
from medoffice_tui.demo.reference.staff import BILLING_USER
from medoffice_tui.demo.summary import DemoSummary


class ClaimRows:
    """Rows of one batch of claims and their children, with ids running across batches."""

    CLAIM_FIELDS = bulk.fields(
        m.Claim,
        "id claim_number patient provider payer coverage appointment service_date "
        "place_of_service frequency_code payer_claim_number status total_charge_cents "
        "paid_cents adjustment_cents patient_resp_cents balance_cents submitted_at "
        "status_changed_at created_at updated_at version",
    )

    def __init__(self) -> None:
        self.claims: list[tuple] = []
        self.lines: list[tuple] = []
        self.dx: list[tuple] = []
        self.events: list[tuple] = []
        self.payments: list[tuple] = []
        self.adjustments: list[tuple] = []
        self.ids = dict.fromkeys(("claim", "line", "dx", "event", "payment", "adjustment"), 0)

    def _next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def next_claim_id(self) -> int:
        return self._next("claim")

    def add_claim(self, row: tuple) -> None:
        self.claims.append(row)

    def add_line(
        self,
        cid: int,
        line_no: int,
        code: str,
        mods: str,
        units: int,
        charge: int,
        pointers: str,
        service_date: dt.date,
    ) -> int:
        lid = self._next("line")
        self.lines.append((lid, cid, line_no, code, mods, units, charge, pointers, service_date))
        return lid

    def add_dx(self, cid: int, seq: int, code: str) -> None:
        self.dx.append((self._next("dx"), cid, seq, code))

    def add_event(
        self, cid: int, from_status: str, to_status: str, at: dt.datetime, note: str
    ) -> None:
        self.events.append(
            (self._next("event"), cid, from_status, to_status, at, BILLING_USER, note)
        )

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
    ) -> None:
        self.adjustments.append(
            (self._next("adjustment"), cid, line_id, payment_id, group, carc, amount, note, at)
        )

    def write(self, summary: DemoSummary) -> None:
        bulk.insert(m.Claim, self.CLAIM_FIELDS, self.claims)
        bulk.insert(
            m.ClaimDiagnosis,
            bulk.fields(m.ClaimDiagnosis, "id claim seq code"),
            self.dx,
        )
        bulk.insert(
            m.ClaimLine,
            bulk.fields(
                m.ClaimLine,
                "id claim line_no procedure_code modifiers units charge_cents dx_pointers "
                "service_date",
            ),
            self.lines,
        )
        bulk.insert(
            m.ClaimStatusEvent,
            bulk.fields(m.ClaimStatusEvent, "id claim from_status to_status at user note"),
            self.events,
        )
        bulk.insert(
            m.Payment,
            bulk.fields(
                m.Payment,
                "id kind claim patient payer amount_cents method reference received_on "
                "posted_at posted_by",
            ),
            self.payments,
        )
        bulk.insert(
            m.Adjustment,
            bulk.fields(
                m.Adjustment,
                "id claim claim_line payment group_code carc amount_cents note posted_at",
            ),
            self.adjustments,
        )
        s = summary
        s.claims += len(self.claims)
        s.claim_lines += len(self.lines)
        s.claim_diagnoses += len(self.dx)
        s.claim_events += len(self.events)
        s.payments += len(self.payments)
        s.adjustments += len(self.adjustments)
        open_statuses = set(m.OPEN_CLAIM_STATUSES)
        s.open_balance_cents += sum(c[16] for c in self.claims if c[11] in open_statuses)
        for rows in (
            self.claims,
            self.lines,
            self.dx,
            self.events,
            self.payments,
            self.adjustments,
        ):
            rows.clear()
