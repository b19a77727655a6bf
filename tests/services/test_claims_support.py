"""Shared set-up for the claims tests: a small practice that bills, and a few real
ICD-10-CM codes (the whole release takes seconds to load; one slow test loads it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from medoffice_tui.db.models import (
    Appointment,
    Coverage,
    FeeSchedule,
    Patient,
    Payer,
    Practice,
    Provider,
)
from medoffice_tui.demo.npi import npi_check_digit
from medoffice_tui.services.claims import codes_icd
from medoffice_tui.services.claims.charges import ChargeInput, ChargeLineInput

TODAY = dt.date(2026, 11, 23)

#: (code, billable, description): real ICD-10-CM April 2026 entries
ICD_SAMPLE = (
    ("J06", False, "Acute upper respiratory infections of multiple and unspecified sites"),
    ("J06.9", True, "Acute upper respiratory infection, unspecified"),
    ("J02.0", True, "Streptococcal pharyngitis"),
    ("J02.9", True, "Acute pharyngitis, unspecified"),
    ("R05.9", True, "Cough, unspecified"),
    ("I10", True, "Essential (primary) hypertension"),
    ("E11", False, "Type 2 diabetes mellitus"),
    ("E11.9", True, "Type 2 diabetes mellitus without complications"),
    ("E11.65", True, "Type 2 diabetes mellitus with hyperglycemia"),
    ("Z00.00", True, "Encounter for general adult medical examination without abnormal findings"),
    ("Z23", True, "Encounter for immunization"),
    ("M54.50", True, "Low back pain, unspecified"),
)


def npi(first9: str) -> str:
    return first9 + npi_check_digit(first9)


def store_icd_sample() -> None:
    codes = [(c, b, d, "ICD-10-CM April 2026") for c, b, d in ICD_SAMPLE]
    words = [(w, c) for c, _b, d in ICD_SAMPLE for w in codes_icd.words_of(d)]
    codes_icd.store(codes, words, "ICD-10-CM April 2026")


@dataclass
class Billing:
    practice: int
    provider: int
    payer: int
    patient: int
    coverage: int
    appointment: int
    secondary_payer: int
    secondary_coverage: int


def make_billing() -> Billing:
    """A practice that bills, one provider, one patient with a primary and a secondary."""
    practice = Practice.create(
        name="Test Family Practice",
        npi=npi("123456789"),
        tax_id="123456789",
        address1="100 Main St",
        city="Springfield",
        state="IL",
        zip="62701-1234",
    )
    provider = Provider.create(
        first_name="Jo", last_name="Rivera", credential="MD", npi=npi("198765432")
    )
    payer = Payer.create(name="Acme Health", payer_id="ACME", timely_filing_days=90)
    second = Payer.create(name="Second Mutual", payer_id="SECOND", timely_filing_days=180)
    patient = Patient.create(
        mrn="M1",
        first_name="Ann",
        last_name="Lee",
        dob=dt.date(1970, 1, 1),
        last_norm="lee",
        first_norm="ann",
        address1="12 Elm St",
        city="Springfield",
        state="IL",
        zip="62704",
    )
    coverage = Coverage.create(patient=patient, payer=payer, rank=1, member_id="XYZ123")
    secondary = Coverage.create(patient=patient, payer=second, rank=2, member_id="SEC9")
    visit = Appointment.create(
        patient=patient,
        provider=provider,
        start=dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(9)),
        end=dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(9, 15)),
        status="completed",
    )
    for code, kind, words, fee in (
        ("99213", "CPT", "Office visit, established, low", 13000),
        ("36415", "CPT", "Blood draw", 2000),
        ("J1100", "HCPCS", "Dexamethasone 1 mg", 1200),
    ):
        FeeSchedule.create(
            code=code,
            code_kind=kind,
            description=words,
            fee_cents=fee,
            effective_from=dt.date(2026, 1, 1),
        )
    store_icd_sample()
    return Billing(
        practice.id,
        provider.id,
        payer.id,
        patient.id,
        coverage.id,
        visit.id,
        second.id,
        secondary.id,
    )


def charges_for(b: Billing, **overrides) -> ChargeInput:
    values = dict(
        patient_id=b.patient,
        service_date=TODAY - dt.timedelta(days=3),
        rendering_provider_id=b.provider,
        coverage_id=b.coverage,
        diagnoses=("J06.9", "R05.9"),
        lines=(
            ChargeLineInput("99213", (), 1, None, (1, 2)),
            ChargeLineInput("36415", (), 1, None, (1,)),
        ),
        appointment_id=b.appointment,
    )
    values.update(overrides)
    return ChargeInput(**values)


#: run a test on SQLite only: rules that do not depend on the engine (each PostgreSQL
#: run migrates a fresh schema, seconds apiece on a shared machine)
sqlite_only = pytest.mark.parametrize("engine", ["sqlite"])


@pytest.fixture
def billing(database, fixture_writes) -> Billing:
    return make_billing()
