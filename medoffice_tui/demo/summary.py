"""What a built demo practice holds: row counts, no patient data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from medoffice_tui.demo.timeframe import WINDOW_DAYS


@dataclass
class DemoSummary:
    """Row counts of a built demo practice (no patient data)."""

    practice: str = ""
    seed: int = 0
    today: dt.date | None = None
    users: int = 0
    providers: int = 0
    patients: int = 0
    insured_patients: int = 0
    coverages: int = 0
    allergies: int = 0
    vitals: int = 0
    appointment_types: int = 0
    appointments: int = 0
    recurring_series: int = 0
    slot_fill_ratio: float = 0.0
    payers: int = 0
    fee_codes: int = 0
    claims: int = 0
    claim_lines: int = 0
    claim_diagnoses: int = 0
    claim_events: int = 0
    payments: int = 0
    adjustments: int = 0
    open_balance_cents: int = 0
    supply_items: int = 0
    supply_lots: int = 0
    stock_movements: int = 0
    low_items: int = 0
    out_items: int = 0
    expiring_lots: int = 0
    expired_lots: int = 0
    audit_events: int = 0
    seconds: float = 0.0

    def describe(self) -> str:
        dollars = f"${self.open_balance_cents / 100:,.2f}"
        return "\n".join(
            [
                f"Demo practice {self.practice!r} built in {self.seconds:.1f} s "
                f"(seed {self.seed}, today {self.today}).",
                f"  people:    {self.providers} providers, {self.users} users, "
                f"{self.patients:,} patients ({self.insured_patients:,} insured, "
                f"{self.coverages:,} coverages, {self.allergies:,} allergies, "
                f"{self.vitals:,} vitals)",
                f"  schedule:  {self.appointments:,} appointments over "
                f"{2 * WINDOW_DAYS + 1} days, {self.recurring_series} recurring series, "
                f"{self.slot_fill_ratio:.0%} of bookable time filled",
                f"  billing:   {self.payers} payers, {self.fee_codes} fee codes, "
                f"{self.claims:,} claims ({self.claim_lines:,} lines, "
                f"{self.payments:,} payments, {self.adjustments:,} adjustments), "
                f"open balance {dollars}",
                f"  supplies:  {self.supply_items} items ({self.low_items} low, "
                f"{self.out_items} out), {self.supply_lots} lots "
                f"({self.expiring_lots} expiring within 30 days, {self.expired_lots} expired), "
                f"{self.stock_movements} movements",
                f"  audit:     {self.audit_events:,} events over two weeks, hash-chained; "
                "demo accounts: frontdesk, billing, clinical, manager "
                "(password: <username>-demo)",
            ]
        )
