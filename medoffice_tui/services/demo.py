"""Build a realistic, deterministic demo practice (``medoffice demo``).

Why it looks the way it does:

- Deterministic: every random choice comes from ``random.Random`` seeded from
  ``seed`` and every date/time is computed from the ``today`` argument (the
  "now" of the demo is ``today`` at 10:30), so the same (patients, seed, today)
  always gives the same rows on either engine.
- Fast: rows are built as plain tuples with ids assigned here, then written
  with multi-row ``INSERT`` statements in chunks (under SQLite's 32766 bound
  parameter limit) inside ONE transaction. Per-row ORM saves would take minutes
  for 100,000 patients. The SQL is portable (quoted identifiers and the
  driver's own placeholder), so PostgreSQL takes the same path; its sequences
  are moved past the explicit ids afterwards.
- Consistent: schedules respect hours, blocks and the overlap guard; claim
  money balances (balance = charge - paid - adjustments, where denial reason
  codes are posted as zero-amount memo adjustments and ``PR`` rows are the
  patient's share, not write-offs); stock on hand equals the sum of its lots,
  and each lot's quantity equals the sum of its stock movements.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from peewee import Field

from medoffice_tui.db import models as m
from medoffice_tui.db.connection import db
from medoffice_tui.db.engines import engine_for
from medoffice_tui.services.text import digits, normalize

ProgressFn = Callable[[str, int, int], None]

#: bound parameters per INSERT statement (SQLite >= 3.32 allows 32766)
MAX_PARAMS = 30000
#: the demo's "now" on ``today``: the morning clinic is under way
NOW_TIME = dt.time(10, 30)
#: schedule window around today, in days
WINDOW_DAYS = 14
#: claims are written in batches of this many to keep memory flat
CLAIM_BATCH = 20000
#: aging buckets as (label, first day, last day) counted from the date of service
AGING_BUCKETS = (
    ("0-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-120", 91, 120),
    ("121+", 121, 540),
)
MIN_CLAIMS = 200


# ------------------------------------------------------------------ summary


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
            ]
        )


# ------------------------------------------------------------- public API


def has_data() -> bool:
    """True when the database already holds a practice."""
    return m.Practice.select().exists()


def clear_all() -> None:
    """Delete every row of every table, children first, in one transaction."""
    with db.atomic():
        for model in reversed(m.ALL_MODELS):
            model.delete().execute()


def build_demo(
    patients: int,
    seed: int,
    today: dt.date,
    progress: ProgressFn | None = None,
) -> DemoSummary:
    """Fill an empty, migrated database with a demo practice.

    ``patients`` below 3 is raised to 3: the three display-safety patients
    (markup-like and escape-byte names) are always present.
    """
    started = time.perf_counter()
    builder = _Builder(max(3, patients), seed, today, progress or _no_progress)
    with db.atomic():
        builder.build()
        engine_for(db.obj).reset_sequences(
            db.obj, [model._meta.table_name for model in m.ALL_MODELS if model is not m.AuditEvent]
        )
    builder.summary.seconds = time.perf_counter() - started
    return builder.summary


def _no_progress(step: str, done: int, total: int) -> None:
    return None


# ------------------------------------------------------------ bulk writing


def _insert(model: type[m.BaseModel], fields: Sequence[Field], rows: Sequence[tuple]) -> None:
    """Multi-row INSERT of ``rows`` (tuples in ``fields`` order) in parameter-bounded chunks.

    Values go to the driver as Python objects (date, datetime, bool ...), never as
    engine-specific strings; tables with ``time`` columns use ``_insert_orm``.
    """
    if not rows:
        return
    table = model._meta.table_name
    ncols = len(fields)
    per = max(1, MAX_PARAMS // ncols)
    head = f'INSERT INTO "{table}" (' + ", ".join(f'"{f.column_name}"' for f in fields)
    head += ") VALUES "
    one = "(" + ", ".join([db.obj.param] * ncols) + ")"
    full_sql = head + ", ".join([one] * per)
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = full_sql if len(chunk) == per else head + ", ".join([one] * len(chunk))
        db.execute_sql(sql, list(itertools.chain.from_iterable(chunk)))


def _fields(model: type[m.BaseModel], names: str) -> tuple[Field, ...]:
    """The model's fields named in ``names`` (space-separated), in that order."""
    return tuple(getattr(model, name) for name in names.split())


def _insert_orm(model: type[m.BaseModel], fields: Sequence[Field], rows: Sequence[tuple]) -> None:
    """Small tables through Peewee, which converts every field type (e.g. ``time``)."""
    if rows:
        model.insert_many(list(rows), fields=list(fields)).execute()


# ------------------------------------------------------------ reference data

FEMALE_FIRST = (
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
    "Sandra Margaret Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie "
    "Rebecca Sharon Laura Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole "
    "Samantha Katherine Christine Helen Debra Rachel Carolyn Janet Maria Catherine Heather Diane "
    "Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn Judith Andrea "
    "Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail "
    "Sophia Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn Beverly "
    "Charlotte Natalie Theresa Diana Brittany Doris Kayla Alexis Lori Zoë Chloé Renée Sofía "
    "Lucía Ximena Mía Aaliyah Priya Mei Fatima Aisha Ana-Sofía Mary-Kate Siobhán Guadalupe Yesenia "
    "Keisha Latoya Imani Ngozi Hana Yuki Thu Linh Ayesha"
).split()
MALE_FIRST = (
    "James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel "
    "Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott "
    "Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron "
    "José Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter Christian Keith "
    "Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy "
    "Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Liam Mason Luis "
    "Carlos Jesús Andrés Ángel Raúl Tomás Mohammed Wei Hiroshi Rajesh Jean-Luc D'Andre Seán "
    "DeShawn Tyrone Malik Oluwaseun Minh Arjun Javier Alejandro François"
).split()
LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jiménez Muñoz Peña Núñez Ibáñez Álvarez O'Neil "
    "O'Connor O'Brien D'Angelo McDonald MacKenzie Kowalski Nowak Novák Schröder Müller Björk Chen "
    "Wang Li Zhang Tran Pham Le Park Choi Singh Shah Khan Ali Okafor Adeyemi Washington Jefferson "
    "Dubois Lefèvre Rossi Russo Bianchi Svensson Johansson Olsen Jensen Brennan Gallagher "
    "Fitzgerald"
).split() + ["St. James", "Van der Berg", "De la Cruz", "Nguyễn"]

CITIES = (
    ("Chicago", "IL", "60613"),
    ("Chicago", "IL", "60618"),
    ("Chicago", "IL", "60625"),
    ("Chicago", "IL", "60640"),
    ("Chicago", "IL", "60647"),
    ("Chicago", "IL", "60657"),
    ("Chicago", "IL", "60608"),
    ("Chicago", "IL", "60622"),
    ("Evanston", "IL", "60201"),
    ("Skokie", "IL", "60076"),
    ("Oak Park", "IL", "60302"),
    ("Berwyn", "IL", "60402"),
    ("Cicero", "IL", "60804"),
    ("Des Plaines", "IL", "60016"),
    ("Park Ridge", "IL", "60068"),
    ("Naperville", "IL", "60540"),
    ("Schaumburg", "IL", "60193"),
    ("Oak Lawn", "IL", "60453"),
    ("Hammond", "IN", "46320"),
)
STREETS = (
    "Addison St",
    "Irving Park Rd",
    "Belmont Ave",
    "Fullerton Ave",
    "Diversey Pkwy",
    "Clark St",
    "Halsted St",
    "Ashland Ave",
    "Western Ave",
    "Damen Ave",
    "Kedzie Ave",
    "Pulaski Rd",
    "Cicero Ave",
    "Harlem Ave",
    "Milwaukee Ave",
    "Lincoln Ave",
    "Montrose Ave",
    "Lawrence Ave",
    "Foster Ave",
    "Devon Ave",
    "Main St",
    "Oak Ave",
    "Maple St",
    "Cedar Ln",
    "Elm St",
    "Washington Blvd",
    "Madison St",
    "Ogden Ave",
    "Roosevelt Rd",
    "Grove Ave",
)
AREA_CODES = ("312", "773", "872", "847", "630", "708", "224")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
#: (first age, last age, weight): roughly a family practice panel
AGE_BANDS = (
    (0, 4, 7),
    (5, 17, 15),
    (18, 29, 15),
    (30, 44, 19),
    (45, 64, 25),
    (65, 79, 14),
    (80, 95, 5),
)

#: (name, payer_id, filing indicator, timely filing days, phone, city, state, zip)
PAYERS = (
    ("Medicare Part B (NGS)", "06102", "MB", 365, "(877) 908-8431", "Chicago", "IL", "60606"),
    ("Illinois Medicaid (HFS)", "IL621", "MC", 365, "(877) 782-5565", "Springfield", "IL", "62763"),
    (
        "Blue Cross Blue Shield of Illinois",
        "00621",
        "BL",
        180,
        "(800) 972-8088",
        "Chicago",
        "IL",
        "60601",
    ),
    ("Aetna", "60054", "CI", 90, "(888) 632-3862", "Lexington", "KY", "40512"),
    ("UnitedHealthcare", "87726", "CI", 90, "(877) 842-3210", "Salt Lake City", "UT", "84130"),
    ("Cigna", "62308", "CI", 90, "(800) 997-1654", "Chattanooga", "TN", "37422"),
    (
        "Humana Medicare Advantage",
        "61101",
        "16",
        180,
        "(800) 457-4708",
        "Louisville",
        "KY",
        "40201",
    ),
    ("TRICARE East", "TREST", "CH", 365, "(800) 444-5445", "Louisville", "KY", "40232"),
)
MEDICARE, MEDICAID, BCBS, AETNA, UHC, CIGNA, HUMANA, TRICARE = range(1, 9)

#: (code, kind, description we wrote ourselves, fee in cents)
FEES = (
    ("99202", "CPT", "Office visit, new patient, straightforward", 11500),
    ("99203", "CPT", "Office visit, new patient, low complexity", 16500),
    ("99204", "CPT", "Office visit, new patient, moderate complexity", 25000),
    ("99212", "CPT", "Office visit, established patient, straightforward", 9000),
    ("99213", "CPT", "Office visit, established patient, low complexity", 13000),
    ("99214", "CPT", "Office visit, established patient, moderate complexity", 19500),
    ("99215", "CPT", "Office visit, established patient, high complexity", 26500),
    ("99392", "CPT", "Well child visit, age 1-4", 19000),
    ("99393", "CPT", "Well child visit, age 5-11", 19000),
    ("99394", "CPT", "Well adolescent visit, age 12-17", 20000),
    ("99395", "CPT", "Preventive visit, adult 18-39", 22000),
    ("99396", "CPT", "Preventive visit, adult 40-64", 24000),
    ("99397", "CPT", "Preventive visit, adult 65 and over", 26000),
    ("G0439", "HCPCS", "Medicare annual wellness visit, subsequent", 21000),
    ("36415", "CPT", "Blood draw by venipuncture", 2000),
    ("81002", "CPT", "Urine dipstick, non-automated", 1500),
    ("87880", "CPT", "Rapid strep test", 3500),
    ("90471", "CPT", "Vaccine administration, first", 3000),
    ("90686", "CPT", "Influenza vaccine, quadrivalent, preservative free", 4500),
    ("93000", "CPT", "Electrocardiogram with report", 6000),
    ("94010", "CPT", "Spirometry", 8000),
    ("96372", "CPT", "Injection, therapeutic, IM or subcutaneous", 3500),
    ("J1100", "HCPCS", "Dexamethasone injection, per 1 mg", 1200),
    ("20610", "CPT", "Large joint aspiration or injection", 15000),
    ("69210", "CPT", "Cerumen removal, one ear", 7500),
    ("17110", "CPT", "Destruction of benign lesions, up to 14", 14000),
)
FEE_BY_CODE = {code: fee for code, _, _, fee in FEES}

ACUTE_DX = tuple(
    "J06.9 J20.9 R05.9 J02.9 J01.90 N39.0 R51.9 R10.9 K21.9 M54.50 M25.561 R53.83".split()
)
CHRONIC_DX = tuple(
    "I10 E11.9 E11.65 E78.5 F41.1 F32.A E66.9 J45.909 G47.00 E03.9 E55.9 K21.9".split()
)

_SUBMIT = ("draft", "ready", "submitted")
_ADJUDICATE = (*_SUBMIT, "accepted_ch", "pending")
#: the status history a claim went through to reach each status
CLAIM_PATHS: dict[str, tuple[str, ...]] = {
    "draft": ("draft",),
    "ready": ("draft", "ready"),
    "submitted": _SUBMIT,
    "rejected_ch": (*_SUBMIT, "rejected_ch"),
    "accepted_ch": (*_SUBMIT, "accepted_ch"),
    "rejected_payer": (*_SUBMIT, "accepted_ch", "rejected_payer"),
    "pending": _ADJUDICATE,
    "paid": (*_ADJUDICATE, "paid"),
    "partially_paid": (*_ADJUDICATE, "partially_paid"),
    "denied": (*_ADJUDICATE, "denied"),
    "appealed": (*_ADJUDICATE, "denied", "appealed"),
    "corrected": (*_ADJUDICATE, "denied", "corrected"),
    "void": ("draft", "ready", "void"),
    "written_off": (*_ADJUDICATE, "denied", "written_off"),
    "closed": (*_ADJUDICATE, "paid", "closed"),
}
assert set(CLAIM_PATHS) == set(m.CLAIM_STATUSES)

#: typical days spent before reaching each status
STEP_DAYS = {
    "ready": 1,
    "submitted": 1,
    "rejected_ch": 1,
    "accepted_ch": 1,
    "rejected_payer": 4,
    "pending": 4,
    "paid": 18,
    "partially_paid": 20,
    "denied": 20,
    "appealed": 12,
    "corrected": 8,
    "void": 2,
    "written_off": 40,
    "closed": 10,
}
EVENT_NOTES = {
    "draft": "created from visit",
    "ready": "scrubber passed",
    "submitted": "sent in 837P batch",
    "rejected_ch": "999 rejected: fix and resend",
    "accepted_ch": "999 accepted",
    "rejected_payer": "277CA rejected: member id",
    "pending": "277CA acknowledged",
    "paid": "835 posted",
    "partially_paid": "835 posted, balance remains",
    "denied": "835 denial",
    "appealed": "appeal letter sent",
    "corrected": "replacement claim (freq 7)",
    "void": "entered in error",
    "written_off": "timely filing: written off",
    "closed": "balance zero",
}
STATUS_WEIGHTS = {
    "draft": 4,
    "ready": 4,
    "submitted": 4,
    "rejected_ch": 2,
    "accepted_ch": 3,
    "rejected_payer": 2,
    "pending": 8,
    "paid": 38,
    "partially_paid": 6,
    "denied": 5,
    "appealed": 2,
    "corrected": 2,
    "void": 1,
    "written_off": 2,
    "closed": 15,
}
MIN_AGE = {
    "draft": 1,
    "ready": 1,
    "submitted": 2,
    "rejected_ch": 2,
    "accepted_ch": 3,
    "rejected_payer": 4,
    "pending": 5,
    "paid": 10,
    "partially_paid": 10,
    "denied": 10,
    "appealed": 25,
    "corrected": 20,
    "void": 2,
    "written_off": 95,
    "closed": 20,
}
_YOUNG = (70, 12, 7, 5, 6)
_SETTLED = (25, 25, 20, 12, 18)
#: claims still on their way to the payer are mostly young; every other status
#: (settled or worked after adjudication) spreads over all buckets
_YOUNG_STATUSES = (
    "draft",
    "ready",
    "submitted",
    "rejected_ch",
    "accepted_ch",
    "rejected_payer",
    "pending",
    "void",
)
BUCKET_WEIGHTS = {s: _YOUNG if s in _YOUNG_STATUSES else _SETTLED for s in m.CLAIM_STATUSES}
DENIAL_CARCS = (
    ("16", "claim lacks information"),
    ("29", "time limit for filing expired"),
    ("50", "not medically necessary"),
    ("97", "included in another service"),
)

#: (name, minutes, colour, weight, reasons)
APPT_TYPES = (
    ("New patient", 30, "green", 10, ("Establish care", "New patient visit", "Transfer of care")),
    (
        "Follow-up",
        15,
        "cyan",
        35,
        (
            "Blood pressure follow-up",
            "Diabetes follow-up",
            "Medication review",
            "Lab results",
            "Thyroid follow-up",
            "Anxiety follow-up",
        ),
    ),
    (
        "Annual physical",
        30,
        "blue",
        15,
        ("Annual physical", "Well child check", "Sports physical", "Medicare wellness visit"),
    ),
    (
        "Sick visit",
        15,
        "yellow",
        25,
        (
            "Cough and congestion",
            "Sore throat",
            "Ear pain",
            "Back pain",
            "Fever",
            "Urinary symptoms",
            "Rash",
            "Headache",
        ),
    ),
    (
        "Procedure",
        45,
        "magenta",
        5,
        ("Knee injection", "Wart removal", "Ear wax removal", "Skin biopsy"),
    ),
    (
        "Telehealth",
        15,
        "bright_blue",
        10,
        ("Video visit: medication refill", "Video visit: lab review", "Video visit: cold"),
    ),
)
CANCEL_REASONS = (
    "Patient request",
    "Feeling better",
    "Scheduling conflict",
    "Weather",
    "Transportation problem",
    "Provider unavailable",
    "Rescheduled by patient",
    "Work conflict",
)
SERIES_REASONS = (
    "Weekly allergy injection",
    "Weekly blood pressure check",
    "Wound care",
    "B12 injection",
    "Weight management check",
    "INR check",
)

#: (first, last, credential, taxonomy, colour, {weekday: (start, end)})
_WEEK = {d: (dt.time(8), dt.time(17)) for d in range(5)}
PROVIDERS = (
    ("Sarah", "Okafor", "MD", "207Q00000X", "green", _WEEK),
    ("Miguel", "Hernández", "DO", "207Q00000X", "cyan", {**_WEEK, 5: (dt.time(8), dt.time(12))}),
    ("Emily", "Chen", "MD", "207R00000X", "magenta", {**_WEEK, 4: (dt.time(8), dt.time(12))}),
    ("Robert", "Kowalski", "MD", "208000000X", "yellow", _WEEK),
    ("Angela", "Brooks", "NP", "363LF0000X", "blue", _WEEK),
    ("Daniel", "O'Connor", "PA-C", "363A00000X", "red", _WEEK),
)
LUNCH_RRULE = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

ROLES = (
    (
        "frontdesk",
        "Check-in, scheduling, demographics",
        "schedule.view schedule.edit patient.view patient.edit",
    ),
    ("billing", "Claims, payments, adjustments", "patient.view claim.view claim.edit payment.post"),
    (
        "clinical",
        "Rooming, vitals, allergies",
        "schedule.view patient.view vitals.edit allergy.edit stock.use",
    ),
    ("admin", "Everything, including users and settings", "*"),
)
USERS = (
    ("frontdesk", "Front Desk", "frontdesk"),
    ("jreyes", "Jasmine Reyes", "frontdesk"),
    ("tnguyen", "Tuan Nguyen", "frontdesk"),
    ("billing", "Billing Office", "billing"),
    ("mkowalczyk", "Marta Kowalczyk", "billing"),
    ("nurse", "Clinic Nurse", "clinical"),
    ("abrooks_ma", "Alicia Brooks", "clinical"),
    ("admin", "Practice Administrator", "admin"),
)
FRONTDESK_USER, BILLING_USER, NURSE_USER = 2, 5, 6

ALLERGENS = (
    ("Penicillin", ("Hives", "Rash", "Anaphylaxis")),
    ("Amoxicillin", ("Rash", "Hives")),
    ("Sulfa drugs", ("Rash", "Itching")),
    ("Codeine", ("Nausea", "Vomiting")),
    ("Aspirin", ("Wheezing", "Stomach upset")),
    ("Ibuprofen", ("Hives", "Stomach upset")),
    ("Latex", ("Contact dermatitis", "Hives")),
    ("Peanuts", ("Anaphylaxis", "Throat swelling")),
    ("Shellfish", ("Hives", "Anaphylaxis")),
    ("Eggs", ("Rash", "Vomiting")),
    ("Bee stings", ("Swelling", "Anaphylaxis")),
    ("Iodinated contrast", ("Hives", "Flushing")),
    ("Morphine", ("Itching", "Nausea")),
    ("Cephalexin", ("Rash",)),
    ("Erythromycin", ("Stomach upset",)),
    ("Tree nuts", ("Hives", "Throat swelling")),
    ("Lisinopril", ("Angioedema", "Cough")),
    ("Adhesive tape", ("Skin irritation",)),
)
SEVERITY_WEIGHTS = (("mild", 50), ("moderate", 35), ("severe", 12), ("unknown", 3))

#: (name, unit, shelf life in days, vendor, location, reorder point, reorder qty)
_HS, _MK, _ML, _CH, _SP, _MV = (
    "Henry Schein",
    "McKesson Medical-Surgical",
    "Medline",
    "Cardinal Health",
    "Sanofi Pasteur",
    "Merck Vaccines",
)
SUPPLIES = (
    ("Nitrile exam gloves, small", "box", 1800, _ML, "Supply room A1", 10, 40),
    ("Nitrile exam gloves, medium", "box", 1800, _ML, "Supply room A1", 15, 60),
    ("Nitrile exam gloves, large", "box", 1800, _ML, "Supply room A1", 15, 60),
    ("Nitrile exam gloves, extra large", "box", 1800, _ML, "Supply room A1", 5, 20),
    ("Sterile surgical gloves, size 7", "pair", 1800, _MK, "Procedure room", 20, 50),
    ("Syringe 3 mL with 23G needle", "each", 1500, _HS, "Supply room A2", 100, 500),
    ("Syringe 1 mL tuberculin", "each", 1500, _HS, "Supply room A2", 100, 400),
    ("Syringe 10 mL luer lock", "each", 1500, _HS, "Supply room A2", 50, 200),
    ("Safety needle 25G 1 inch", "each", 1500, _HS, "Supply room A2", 100, 500),
    ("Safety needle 22G 1.5 inch", "each", 1500, _HS, "Supply room A2", 100, 500),
    ("Butterfly needle 23G", "each", 1500, _CH, "Lab", 50, 200),
    ("Vacutainer tube, lavender top", "each", 540, _CH, "Lab", 100, 400),
    ("Vacutainer tube, gold top SST", "each", 540, _CH, "Lab", 100, 400),
    ("Vacutainer tube, light blue top", "each", 540, _CH, "Lab", 50, 200),
    ("Tourniquet, latex free", "each", 1800, _CH, "Lab", 25, 100),
    ("Alcohol prep pads", "box", 1080, _ML, "Supply room A3", 10, 40),
    ("Gauze sponges 2x2 sterile", "pack", 1800, _ML, "Supply room A3", 20, 100),
    ("Gauze sponges 4x4 sterile", "pack", 1800, _ML, "Supply room A3", 20, 100),
    ("Adhesive bandages, assorted", "box", 1800, _ML, "Supply room A3", 10, 40),
    ("Paper tape 1 inch", "roll", 1800, _ML, "Supply room A3", 12, 48),
    ("Elastic bandage 3 inch", "each", 1800, _MK, "Supply room A3", 10, 30),
    ("Cotton-tipped applicators", "box", 1800, _MK, "Supply room A3", 5, 20),
    ("Tongue depressors", "box", 1800, _MK, "Supply room A3", 5, 20),
    ("Exam table paper", "roll", 3650, _MK, "Supply room B1", 12, 48),
    ("Patient gowns, disposable", "each", 3650, _MK, "Supply room B1", 50, 200),
    ("Sharps container 1 quart", "each", 3650, _CH, "Supply room B1", 6, 24),
    ("Specimen cups, sterile", "each", 1080, _CH, "Lab", 50, 200),
    ("Urine dipstick strips", "bottle", 540, _CH, "Lab", 4, 12),
    ("Rapid strep test kit", "kit", 450, _HS, "Lab", 2, 6),
    ("Rapid influenza A/B test kit", "kit", 450, _HS, "Lab", 2, 6),
    ("COVID-19 antigen test kit", "kit", 365, _HS, "Lab", 2, 8),
    ("Urine pregnancy test", "each", 720, _HS, "Lab", 25, 100),
    ("Glucose test strips", "box", 540, _MK, "Lab", 4, 12),
    ("Lancets, safety", "box", 1800, _MK, "Lab", 4, 12),
    ("Hemoglobin A1c test cartridge", "box", 365, _HS, "Lab", 2, 6),
    ("Culture swab with transport", "each", 540, _CH, "Lab", 25, 100),
    ("Influenza vaccine, quadrivalent PF", "dose", 300, _SP, "Vaccine fridge", 20, 60),
    ("Tdap vaccine", "dose", 720, _SP, "Vaccine fridge", 5, 20),
    ("Hepatitis B vaccine, adult", "dose", 720, _MV, "Vaccine fridge", 5, 20),
    ("Pneumococcal conjugate vaccine", "dose", 720, _MV, "Vaccine fridge", 5, 20),
    ("MMR vaccine", "dose", 540, _MV, "Vaccine fridge", 5, 15),
    ("Varicella vaccine", "dose", 540, _MV, "Vaccine freezer", 3, 10),
    ("HPV vaccine", "dose", 720, _MV, "Vaccine fridge", 5, 15),
    ("Shingles vaccine, recombinant", "dose", 720, _HS, "Vaccine fridge", 5, 20),
    ("Tuberculin PPD solution", "vial", 365, _SP, "Vaccine fridge", 2, 6),
    ("Dexamethasone 4 mg/mL vial", "vial", 720, _HS, "Med cabinet", 5, 20),
    ("Ceftriaxone 1 g vial", "vial", 720, _HS, "Med cabinet", 5, 20),
    ("Ketorolac 30 mg/mL vial", "vial", 720, _HS, "Med cabinet", 5, 20),
    ("Triamcinolone 40 mg/mL vial", "vial", 720, _HS, "Med cabinet", 3, 10),
    ("Lidocaine 1% 20 mL vial", "vial", 720, _HS, "Med cabinet", 5, 20),
    ("Epinephrine auto-injector", "each", 540, _MK, "Crash cart", 2, 4),
    ("Albuterol inhalation solution", "vial", 540, _MK, "Med cabinet", 20, 60),
    ("Nebulizer kit", "each", 1800, _MK, "Supply room B2", 5, 20),
    ("Povidone-iodine swabsticks", "box", 1080, _ML, "Procedure room", 3, 10),
    ("Suture kit, disposable", "kit", 1800, _MK, "Procedure room", 5, 20),
    ("Nylon suture 4-0", "box", 1800, _CH, "Procedure room", 2, 6),
    ("Scalpel #15, disposable", "each", 1800, _CH, "Procedure room", 20, 50),
    ("Punch biopsy 4 mm", "each", 1800, _CH, "Procedure room", 10, 30),
    ("Liquid nitrogen spray tips", "pack", 3650, _HS, "Procedure room", 2, 6),
    ("Ear curette, disposable", "each", 1800, _MK, "Supply room B2", 20, 60),
    ("Otoscope specula, 4 mm", "box", 3650, _MK, "Supply room B2", 4, 12),
    ("ECG electrodes", "pack", 540, _CH, "Supply room B2", 10, 40),
    ("Disinfecting wipes", "canister", 720, _ML, "Supply room B1", 12, 36),
    ("Hand sanitizer 500 mL", "bottle", 1080, _ML, "Supply room B1", 12, 36),
    ("Surgical masks, ear loop", "box", 1800, _ML, "Supply room B1", 10, 40),
)


# ----------------------------------------------------------------- helpers


def npi_check_digit(first9: str) -> str:
    """Luhn check digit for an NPI computed over the "80840" prefix (CMS rule)."""
    payload = "80840" + first9
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    return (
        len(npi) == 10 and npi.isdigit() and npi[0] in "12" and npi_check_digit(npi[:9]) == npi[9]
    )


def _make_npi(rng: random.Random, first: str) -> str:
    body = first + "".join(rng.choice("0123456789") for _ in range(8))
    return body + npi_check_digit(body)


_CUMULATIVE: dict[tuple, list[float]] = {}


def _weighted(rng: random.Random, options: Sequence, weights: tuple):  # noqa: ANN202
    """``rng.choices(options, weights)[0]`` (same draw), with the running sums cached:
    the demo makes millions of weighted picks from a few fixed weight tuples."""
    cumulative = _CUMULATIVE.get(weights)
    if cumulative is None:
        cumulative = _CUMULATIVE[weights] = list(itertools.accumulate(weights))
    return options[bisect.bisect(cumulative, rng.random() * cumulative[-1], 0, len(options) - 1)]


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day) + dt.timedelta(minutes=minutes)


def _office_hours(t: dt.datetime) -> dt.datetime:
    """Squeeze a time of day into 07:00-19:00, keeping order: billing staff work days."""
    seconds = (t.hour * 3600 + t.minute * 60 + t.second) // 2
    return dt.datetime(t.year, t.month, t.day, 7) + dt.timedelta(seconds=seconds)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass
class _PatientInfo:
    age: int
    last: str
    coverage_id: int = 0  # rank 1, 0 when uninsured
    payer_id: int = 0
    copay: int = 0


# ------------------------------------------------------------------ builder


class _Builder:
    """Generates and writes each part of the practice in dependency order."""

    def __init__(self, patients: int, seed: int, today: dt.date, progress: ProgressFn) -> None:
        self.n_patients = patients
        self.seed = seed
        self.today = today
        self.now = dt.datetime.combine(today, NOW_TIME)
        self.progress = progress
        self.summary = DemoSummary(seed=seed, today=today)
        self.patients: list[_PatientInfo] = []
        self.completed_by_day: dict[dt.date, list[tuple[int, int, int]]] = {}

    def rng(self, part: str) -> random.Random:
        """An independent stream per part, so changing one part leaves the others alone."""
        return random.Random(f"medoffice-demo:{self.seed}:{part}")

    def build(self) -> None:
        steps = (
            self.practice,
            self.patients_and_insurance,
            self.schedule,
            self.claims,
            self.supplies,
        )
        for step in steps:
            step()

    # ------------------------------------------------------- practice/people

    def practice(self) -> None:
        rng = self.rng("practice")
        self.progress("practice", 0, 1)
        name = "Prairie Creek Family Medicine"
        created = _at(self.today - dt.timedelta(days=3 * 365), 9 * 60)
        _insert_orm(
            m.Practice,
            _fields(
                m.Practice,
                "id name npi tax_id address1 address2 city state zip phone time_zone "
                "slot_minutes created_at",
            ),
            [
                (
                    1,
                    name,
                    _make_npi(rng, "1"),
                    f"36-{rng.randrange(1000000, 9999999)}",
                    "1450 W Irving Park Rd",
                    "Suite 200",
                    "Chicago",
                    "IL",
                    "60613-2511",
                    "(773) 555-0142",
                    "America/Chicago",
                    15,
                    created,
                )
            ],
        )
        _insert_orm(
            m.Role,
            _fields(m.Role, "id name description permissions"),
            [(i, *role) for i, role in enumerate(ROLES, 1)],
        )
        role_ids = {role[0]: i for i, role in enumerate(ROLES, 1)}
        _insert_orm(
            m.User,
            _fields(m.User, "id username full_name role password_hash active created_at"),
            [
                (i, u, full, role_ids[role], "", True, created)
                for i, (u, full, role) in enumerate(USERS, 1)
            ],
        )
        assert USERS[FRONTDESK_USER - 1][2] == "frontdesk"
        assert USERS[BILLING_USER - 1][2] == "billing" and USERS[NURSE_USER - 1][2] == "clinical"
        provider_rows, hour_rows, block_rows = [], [], []
        lunch_from = self.today - dt.timedelta(days=365 + self.today.weekday())  # a Monday
        self.hours: dict[int, dict[int, tuple[int, int]]] = {}
        npis: set[str] = set()
        for pid, (first, last, cred, taxonomy, color, hours) in enumerate(PROVIDERS, 1):
            npi = _make_npi(rng, rng.choice("12"))
            while npi in npis:
                npi = _make_npi(rng, rng.choice("12"))
            npis.add(npi)
            provider_rows.append((pid, first, last, cred, npi, taxonomy, color, pid, True))
            self.hours[pid] = {}
            for weekday, (start, end) in sorted(hours.items()):
                hour_rows.append((len(hour_rows) + 1, pid, weekday, start, end))
                self.hours[pid][weekday] = (_minutes(start), _minutes(end))
            lunch = 12 * 60 + (30 if pid == 3 else 0)
            block_rows.append(
                (
                    len(block_rows) + 1,
                    pid,
                    "lunch",
                    _at(lunch_from, lunch),
                    _at(lunch_from, lunch + 60),
                    LUNCH_RRULE,
                    None,
                    "Lunch",
                )
            )
        meeting_day = self.today + dt.timedelta(days=1)
        while meeting_day.weekday() > 3:
            meeting_day += dt.timedelta(days=1)
        self.meeting = (1, meeting_day, 15 * 60, 16 * 60)
        block_rows.append(
            (
                len(block_rows) + 1,
                1,
                "meeting",
                _at(meeting_day, 15 * 60),
                _at(meeting_day, 16 * 60),
                None,
                None,
                "Quality committee meeting",
            )
        )
        self.lunch = {
            row[1]: (_minutes(row[3].time()), _minutes(row[4].time()))
            for row in block_rows
            if row[2] == "lunch"
        }
        _insert_orm(
            m.Provider,
            _fields(
                m.Provider,
                "id first_name last_name credential npi taxonomy color sort_order active",
            ),
            provider_rows,
        )
        _insert_orm(
            m.ProviderHours,
            _fields(m.ProviderHours, "id provider weekday start_time end_time"),
            hour_rows,
        )
        _insert_orm(
            m.ProviderBlock,
            _fields(m.ProviderBlock, "id provider kind start end rrule until note"),
            block_rows,
        )
        _insert_orm(
            m.AppointmentType,
            _fields(m.AppointmentType, "id name default_minutes color active"),
            [(i, t[0], t[1], t[2], True) for i, t in enumerate(APPT_TYPES, 1)],
        )
        _insert_orm(
            m.Payer,
            _fields(
                m.Payer,
                "id name payer_id claim_filing_indicator timely_filing_days phone address1 "
                "city state zip active",
            ),
            [
                (
                    i,
                    p[0],
                    p[1],
                    p[2],
                    p[3],
                    p[4],
                    f"PO Box {rng.randrange(1000, 99999)}",
                    p[5],
                    p[6],
                    p[7],
                    True,
                )
                for i, p in enumerate(PAYERS, 1)
            ],
        )
        fee_from = dt.date(self.today.year - 2, 1, 1)
        _insert_orm(
            m.FeeSchedule,
            _fields(
                m.FeeSchedule, "id code code_kind description fee_cents effective_from effective_to"
            ),
            [(i, *fee, fee_from, None) for i, fee in enumerate(FEES, 1)],
        )
        s = self.summary
        s.practice, s.users, s.providers = name, len(USERS), len(PROVIDERS)
        s.appointment_types, s.payers, s.fee_codes = len(APPT_TYPES), len(PAYERS), len(FEES)
        self.progress("practice", 1, 1)

    # --------------------------------------------------- patients/insurance

    def patients_and_insurance(self) -> None:
        rng = self.rng("patients")
        n = self.n_patients
        today_ord = self.today.toordinal()
        norm_cache: dict[str, str] = {}

        def norm(text: str) -> str:
            value = norm_cache.get(text)
            if value is None:
                value = norm_cache[text] = normalize(text)
            return value

        special = {1 + (k * n) // 3: k for k in range(3)}
        bands = [(lo, hi) for lo, hi, _ in AGE_BANDS]
        band_weights = tuple(w for _, _, w in AGE_BANDS)
        created_span = 8 * 365
        fields = _fields(
            m.Patient,
            "id mrn first_name middle_name last_name preferred_name dob sex phone_home "
            "phone_mobile phone_work email address1 address2 city state zip preferred_contact "
            "ssn_last4 notes active last_norm first_norm phone_last4 created_at updated_at "
            "version",
        )
        rows: list[tuple] = []
        batch = max(1, MAX_PARAMS // len(fields)) * 4
        self.progress("patients", 0, n)
        for pid in range(1, n + 1):
            lo, hi = _weighted(rng, bands, band_weights)
            age = rng.randint(lo, hi)
            dob = dt.date.fromordinal(today_ord - age * 365 - age // 4 - rng.randrange(1, 365))
            r = rng.random()
            sex = "F" if r < 0.51 else ("M" if r < 0.995 else "X")
            first = rng.choice(
                FEMALE_FIRST
                if sex == "F"
                else MALE_FIRST
                if sex == "M"
                else FEMALE_FIRST + MALE_FIRST
            )
            last = rng.choice(LAST_NAMES)
            if rng.random() < 0.04:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            if pid in special:
                first, last = (
                    ("Alex", "Smith [/]"),
                    ("Morgan", "[b]O'Brien"),
                    ("Eve\x1b[31m", "Escape"),
                )[special[pid]]
            middle = (
                rng.choice(FEMALE_FIRST if sex == "F" else MALE_FIRST) if rng.random() < 0.3 else ""
            )
            area = rng.choice(AREA_CODES)
            mobile = f"({area}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
            home = (
                f"({area}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
                if rng.random() < 0.3
                else ""
            )
            work = (
                f"({rng.choice(AREA_CODES)}) {rng.randrange(201, 999)}-{rng.randrange(10000):04d}"
                if 22 <= age <= 66 and rng.random() < 0.15
                else ""
            )
            email = ""
            if age >= 16 and rng.random() < 0.7:
                local = f"{norm(first)}.{norm(last)}".replace(" ", "").replace("'", "")
                email = f"{local}{rng.randrange(100)}@{rng.choice(EMAIL_DOMAINS)}"
            city, state, zip_code = rng.choice(CITIES)
            street = f"{rng.randrange(100, 9999)} {rng.choice('NSEW')} {rng.choice(STREETS)}"
            apt = f"Apt {rng.randrange(1, 40)}{rng.choice('ABCD')}" if rng.random() < 0.2 else ""
            contact = _weighted(rng, ("mobile", "home", "email", "mail"), (70, 10, 18, 2))
            if (contact == "home" and not home) or (contact == "email" and not email):
                contact = "mobile"
            created = _at(
                dt.date.fromordinal(today_ord - rng.randrange(1, created_span)),
                rng.randrange(8 * 60, 17 * 60),
            )
            rows.append(
                (
                    pid,
                    f"M{pid:07d}",
                    first,
                    middle,
                    last,
                    "",
                    dob,
                    sex,
                    home,
                    mobile,
                    work,
                    email,
                    street,
                    apt,
                    city,
                    state,
                    zip_code,
                    contact,
                    f"{rng.randrange(10000):04d}",
                    "",
                    rng.random() > 0.01,
                    norm(last),
                    norm(first),
                    digits(mobile)[-4:],
                    created,
                    created,
                    1,
                )
            )
            self.patients.append(_PatientInfo(age=age, last=last))
            if len(rows) >= batch:
                _insert(m.Patient, fields, rows)
                rows.clear()
                self.progress("patients", pid, n)
        _insert(m.Patient, fields, rows)
        self.progress("patients", n, n)
        self.summary.patients = n
        self.coverages()
        self.allergies_and_vitals()

    def coverages(self) -> None:
        rng = self.rng("coverage")
        today = self.today
        rows = []
        insured = 0
        for pid, info in enumerate(self.patients, 1):
            senior = info.age >= 65
            if rng.random() > (0.97 if senior else 0.83) and pid != 1:
                continue  # uninsured (patient 1 always has coverage, so claims have someone)
            insured += 1
            if senior:
                payer = _weighted(rng, (MEDICARE, HUMANA, BCBS), (75, 15, 10))
            elif info.age < 19:
                payer = _weighted(
                    rng, (MEDICAID, BCBS, AETNA, UHC, CIGNA, TRICARE), (40, 20, 10, 15, 10, 5)
                )
            else:
                payer = _weighted(
                    rng,
                    (MEDICAID, BCBS, AETNA, UHC, CIGNA, HUMANA, TRICARE),
                    (15, 28, 15, 20, 14, 3, 5),
                )
            copay = self._copay(rng, payer)
            info.coverage_id, info.payer_id, info.copay = len(rows) + 1, payer, copay
            rows.append(self._coverage_row(rng, len(rows) + 1, pid, info, payer, 1, copay, today))
            second_chance = 0.5 if payer == MEDICARE else 0.1
            if rng.random() < second_chance:
                if payer == MEDICARE:
                    second = _weighted(rng, (MEDICAID, BCBS, AETNA, UHC), (30, 30, 20, 20))
                else:
                    second = rng.choice([p for p in (BCBS, AETNA, UHC, CIGNA) if p != payer])
                rows.append(self._coverage_row(rng, len(rows) + 1, pid, info, second, 2, 0, today))
        fields = _fields(
            m.Coverage,
            "id patient payer rank member_id group_number subscriber_first subscriber_last "
            "subscriber_dob relationship copay_cents effective_from effective_to active",
        )
        self.progress("insurance", 0, len(rows))
        _insert(m.Coverage, fields, rows)
        self.progress("insurance", len(rows), len(rows))
        self.summary.coverages, self.summary.insured_patients = len(rows), insured

    @staticmethod
    def _copay(rng: random.Random, payer: int) -> int:
        if payer == MEDICARE:
            return 0
        if payer == MEDICAID:
            return rng.choice((0, 0, 100, 200, 390))
        if payer in (HUMANA, TRICARE):
            return rng.choice((0, 1000, 1500, 2000))
        return rng.choice((1500, 2000, 2500, 3000, 3500, 4000, 5000))

    @staticmethod
    def _member_id(rng: random.Random, payer: int) -> str:
        d = "0123456789"
        if payer == MEDICARE:  # MBI layout: C A AN N A AN N A A N N
            letters = "ACDEFGHJKMNPQRTUVWXY"
            alnum = letters + d
            pattern = (d[1:], letters, alnum, d, letters, alnum, d, letters, letters, d, d)
            return "".join(rng.choice(chars) for chars in pattern)
        num = "".join(rng.choice(d) for _ in range(9))
        prefix = {
            BCBS: rng.choice(("XOF", "XOD", "ZGP", "YRB")),
            AETNA: "W",
            CIGNA: "U",
            HUMANA: "H",
            TRICARE: "DB",
        }.get(payer, "")
        return prefix + num

    def _coverage_row(
        self,
        rng: random.Random,
        cid: int,
        pid: int,
        info: _PatientInfo,
        payer: int,
        rank: int,
        copay: int,
        today: dt.date,
    ) -> tuple:
        group = (
            ""
            if payer in (MEDICARE, MEDICAID)
            else f"{rng.choice('PGKL')}{rng.randrange(10000, 999999)}"
        )
        if info.age < 18 and payer != MEDICAID:
            relationship = "child"
            sub_first = rng.choice(FEMALE_FIRST + MALE_FIRST)
            sub_dob = today - dt.timedelta(days=(info.age + rng.randint(22, 42)) * 365)
            sub_last = info.last
        elif info.age >= 18 and payer not in (MEDICARE, MEDICAID) and rng.random() < 0.2:
            relationship = "spouse"
            sub_first = rng.choice(FEMALE_FIRST + MALE_FIRST)
            sub_dob = today - dt.timedelta(days=(info.age + rng.randint(-5, 5)) * 365)
            sub_last = info.last
        else:
            relationship, sub_first, sub_last, sub_dob = "self", "", "", None
        effective = dt.date(today.year - rng.randint(1, 6), rng.choice((1, 1, 1, 7)), 1)
        return (
            cid,
            pid,
            payer,
            rank,
            self._member_id(rng, payer),
            group,
            sub_first,
            sub_last,
            sub_dob,
            relationship,
            copay,
            effective,
            None,
            True,
        )

    def allergies_and_vitals(self) -> None:
        rng = self.rng("clinical")
        today_ord = self.today.toordinal()
        allergy_rows, vital_rows = [], []
        severities = [s for s, _ in SEVERITY_WEIGHTS]
        severity_weights = tuple(w for _, w in SEVERITY_WEIGHTS)
        for pid, info in enumerate(self.patients, 1):
            if rng.random() < 0.3:
                for substance, reactions in rng.sample(
                    ALLERGENS, _weighted(rng, (1, 2, 3), (70, 22, 8))
                ):
                    noted = dt.date.fromordinal(today_ord - rng.randrange(30, 3000))
                    allergy_rows.append(
                        (
                            len(allergy_rows) + 1,
                            pid,
                            substance,
                            rng.choice(reactions),
                            _weighted(rng, severities, severity_weights),
                            noted,
                            NURSE_USER,
                            True,
                        )
                    )
            if rng.random() < 0.45:
                for _ in range(_weighted(rng, (1, 2), (80, 20))):
                    vital_rows.append(
                        self._vital(rng, len(vital_rows) + 1, pid, info.age, today_ord)
                    )
        self.progress("clinical", 0, len(allergy_rows) + len(vital_rows))
        _insert(
            m.Allergy,
            _fields(m.Allergy, "id patient substance reaction severity noted_on noted_by active"),
            allergy_rows,
        )
        _insert(
            m.Vital,
            _fields(
                m.Vital,
                "id patient taken_at taken_by systolic diastolic pulse temperature_f "
                "weight_lb height_in",
            ),
            vital_rows,
        )
        total = len(allergy_rows) + len(vital_rows)
        self.progress("clinical", total, total)
        self.summary.allergies, self.summary.vitals = len(allergy_rows), len(vital_rows)

    @staticmethod
    def _vital(rng: random.Random, vid: int, pid: int, age: int, today_ord: int) -> tuple:
        taken = _at(
            dt.date.fromordinal(today_ord - rng.randrange(1, 700)), rng.randrange(8 * 60, 17 * 60)
        )
        if age < 18:  # rough growth-chart medians with some spread
            base = 26 + 4 * age if age < 2 else min(34 + 2.4 * (age - 2), 70)
            height = round(base * rng.uniform(0.95, 1.05), 1)
            weight = round((16 + 3.5 * age + 0.25 * age * age) * rng.uniform(0.85, 1.2), 1)
            systolic, diastolic = rng.randint(90, 118), rng.randint(55, 76)
            pulse = rng.randint(75, 120) if age < 6 else rng.randint(62, 100)
        else:
            height = round(rng.gauss(66.5, 3.8), 1)
            bmi = max(17.0, rng.gauss(28.5, 5.5))
            weight = round(bmi * height * height / 703, 1)
            systolic = int(rng.gauss(112 + age * 0.35, 13))
            diastolic = max(50, min(systolic - 25, int(rng.gauss(76, 9))))
            pulse = rng.randint(56, 98)
        temp = round(rng.gauss(98.3, 0.45) if rng.random() > 0.05 else rng.uniform(99.5, 102.4), 1)
        return (vid, pid, taken, NURSE_USER, systolic, diastolic, pulse, temp, weight, height)

    # ------------------------------------------------------------ schedule

    def _bookable(self, pid: int, day: dt.date) -> list[int]:
        """Slot start minutes inside the provider's hours and outside every block."""
        span = self.hours[pid].get(day.weekday())
        if span is None:
            return []
        blocks = []
        if day.weekday() < 5:
            blocks.append(self.lunch[pid])
        mp, mday, mstart, mend = self.meeting
        if pid == mp and day == mday:
            blocks.append((mstart, mend))
        return [
            s
            for s in range(span[0], span[1], 15)
            if not any(s < b_end and s + 15 > b_start for b_start, b_end in blocks)
        ]

    def schedule(self) -> None:
        rng = self.rng("schedule")
        n = self.n_patients
        days = [self.today + dt.timedelta(days=k) for k in range(-WINDOW_DAYS, WINDOW_DAYS + 1)]
        type_weights = tuple(t[3] for t in APPT_TYPES)
        type_ids = list(range(1, len(APPT_TYPES) + 1))
        short_types = [i for i, t in enumerate(APPT_TYPES, 1) if t[1] == 15 and i != 6]
        appts: list[dict] = []
        series_rows = []
        bookable_minutes = filled_minutes = 0
        self.progress("schedule", 0, len(PROVIDERS))
        for pid in range(1, len(PROVIDERS) + 1):
            free = {day: self._bookable(pid, day) for day in days}
            taken: dict[dt.date, set[int]] = {day: set() for day in days}
            # one weekly series per provider, on a weekday and time free every week
            weekday = rng.choice([d for d in range(5) if d in self.hours[pid]])
            dates = [d for d in days if d.weekday() == weekday]
            common = set.intersection(*(set(free[d]) for d in dates))
            start_min = rng.choice(sorted(common))
            series_id = len(series_rows) + 1
            series_patient = rng.randrange(1, n + 1)
            series_created = _at(dates[0] - dt.timedelta(days=7), 10 * 60)
            series_rows.append(
                (
                    series_id,
                    f"FREQ=WEEKLY;BYDAY={BYDAY[weekday]};COUNT={len(dates)}",
                    series_created,
                    FRONTDESK_USER,
                )
            )
            reason = SERIES_REASONS[(pid - 1) % len(SERIES_REASONS)]
            for day in dates:
                taken[day].add(start_min)
                appts.append(
                    self._appointment(
                        rng,
                        pid,
                        series_patient,
                        2,
                        day,
                        start_min,
                        15,
                        reason,
                        series_id,
                        allow_cancel=False,
                        booked=series_created,
                    )
                )
            for day in days:
                slots = free[day]
                slot_set = set(slots)
                bookable_minutes += 15 * len(slots)
                i = 0
                while i < len(slots):
                    s = slots[i]
                    if s in taken[day] or rng.random() < 0.17:
                        i += 1
                        continue
                    type_id = _weighted(rng, type_ids, type_weights)
                    length = APPT_TYPES[type_id - 1][1]
                    if not all(
                        s + k in slot_set and s + k not in taken[day] for k in range(0, length, 15)
                    ):
                        type_id = rng.choice(short_types)
                        length = 15
                    for k in range(0, length, 15):
                        taken[day].add(s + k)
                    reason = rng.choice(APPT_TYPES[type_id - 1][4])
                    appt = self._appointment(
                        rng,
                        pid,
                        rng.randrange(1, n + 1),
                        type_id,
                        day,
                        s,
                        length,
                        reason,
                        None,
                        allow_cancel=True,
                    )
                    appts.append(appt)
                    if appt["status"] == "cancelled" and rng.random() < 0.4:
                        gap = dt.timedelta(minutes=rng.randint(2, 90))
                        rebooked = min(
                            appt["cancelled_at"] + gap,
                            _at(day, s - 1),
                            self.now - dt.timedelta(minutes=1),
                        )
                        appts.append(
                            self._appointment(
                                rng,
                                pid,
                                rng.randrange(1, n + 1),
                                type_id,
                                day,
                                s,
                                length,
                                reason,
                                None,
                                allow_cancel=False,
                                booked=rebooked,
                            )
                        )
                    i += length // 15
            self.progress("schedule", pid, len(PROVIDERS))
        self._put_display_patients_on_today(appts)
        appts.sort(key=lambda a: (a["start"], a["provider"], a["status"] in _DEAD))
        for aid, appt in enumerate(appts, 1):
            appt["id"] = aid
            if appt["status"] == "completed" and appt["start"].date() < self.today:
                self.completed_by_day.setdefault(appt["start"].date(), []).append(
                    (aid, appt["patient"], appt["provider"])
                )
            if appt["status"] not in _DEAD:
                filled_minutes += int((appt["end"] - appt["start"]).total_seconds() // 60)
        _insert(
            m.RecurringSeries,
            _fields(m.RecurringSeries, "id rrule created_at created_by"),
            series_rows,
        )
        fields = _fields(
            m.Appointment,
            "id patient provider appt_type start end reason status booked_at confirmed_at "
            "arrived_at roomed_at completed_at cancelled_at cancel_reason no_show_at series "
            "created_by updated_at version",
        )
        names = [f.name for f in fields]
        # newest first: the SQLite overlap trigger then scans only a few later rows per insert
        rows = [tuple(a[k] for k in names) for a in reversed(appts)]
        _insert(m.Appointment, fields, rows)
        s = self.summary
        s.appointments, s.recurring_series = len(appts), len(series_rows)
        s.slot_fill_ratio = filled_minutes / bookable_minutes if bookable_minutes else 0.0

    def _put_display_patients_on_today(self, appts: list[dict]) -> None:
        """The markup/escape-named patients sit on today's schedule, to show display safety."""
        todays = sorted(
            (a for a in appts if a["start"].date() == self.today and a["series"] is None),
            key=lambda a: (a["provider"], a["start"]),
        )
        n = self.n_patients
        for k, appt in enumerate(todays[:9:3]):
            appt["patient"] = 1 + (k * n) // 3

    def _appointment(
        self,
        rng: random.Random,
        pid: int,
        patient: int,
        type_id: int,
        day: dt.date,
        start_min: int,
        length: int,
        reason: str,
        series: int | None,
        *,
        allow_cancel: bool,
        booked: dt.datetime | None = None,
    ) -> dict:
        start = _at(day, start_min)
        end = start + dt.timedelta(minutes=length)
        now = self.now
        minute = dt.timedelta(minutes=1)
        a = {
            "patient": patient,
            "provider": pid,
            "appt_type": type_id,
            "start": start,
            "end": end,
            "reason": reason,
            "confirmed_at": None,
            "arrived_at": None,
            "roomed_at": None,
            "completed_at": None,
            "cancelled_at": None,
            "cancel_reason": "",
            "no_show_at": None,
            "series": series,
            "created_by": FRONTDESK_USER,
            "version": 1,
        }
        if booked is None:
            booked = start - dt.timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 9 * 60))
            if booked >= now:
                booked = now - rng.randint(5, 20 * 60) * minute
        a["booked_at"] = booked
        r = rng.random()
        if day < self.today or (day == self.today and end <= now - 30 * minute):
            if allow_cancel and r < 0.09:
                status = "cancelled"
            elif r < 0.15:
                status = "no_show"
            else:
                status = "completed"
        elif day == self.today and start < now:
            status = "roomed" if start < now - 15 * minute else "arrived"
        elif allow_cancel and r < 0.05:
            status = "cancelled"
        elif day == self.today:
            status = (
                "arrived"
                if start < now + 30 * minute and r < 0.5
                else _weighted(rng, ("confirmed", "booked"), (65, 35))
            )
        else:
            soon = (day - self.today).days <= 2
            status = _weighted(rng, ("confirmed", "booked"), (70, 30) if soon else (15, 85))
        a["status"] = status
        if status == "cancelled":
            latest = min(start, now)
            cancelled = latest - dt.timedelta(minutes=rng.randint(60, 3 * 24 * 60))
            a["cancelled_at"] = max(cancelled, booked + minute)
            a["cancel_reason"] = rng.choice(CANCEL_REASONS)
        elif status == "no_show":
            a["no_show_at"] = start + 15 * minute
        elif status != "booked":
            if status == "confirmed" or rng.random() < 0.7:
                confirmed = start - dt.timedelta(days=1, minutes=rng.randint(0, 6 * 60))
                a["confirmed_at"] = min(max(confirmed, booked + minute), now)
            if status in ("arrived", "roomed", "completed"):
                a["arrived_at"] = min(start - rng.randint(0, 15) * minute, now)
            if status in ("roomed", "completed"):
                a["roomed_at"] = min(a["arrived_at"] + rng.randint(5, 15) * minute, now)
            if status == "completed":
                a["completed_at"] = end + rng.randint(0, 10) * minute
        stamps = [v for k, v in a.items() if k.endswith("_at") and v is not None]
        a["updated_at"] = max(stamps)
        return a

    # -------------------------------------------------------------- claims

    def claims(self) -> None:
        rng = self.rng("claims")
        total = max(self.n_patients, MIN_CLAIMS)
        insured = [pid for pid, info in enumerate(self.patients, 1) if info.coverage_id]
        statuses = list(STATUS_WEIGHTS)
        status_weights = tuple(STATUS_WEIGHTS.values())
        # guarantee every status and every aging bucket appears
        forced = [(s, None) for s in statuses] + [("pending", b[0]) for b in AGING_BUCKETS]
        pools = {day: list(v) for day, v in self.completed_by_day.items()}
        out = _ClaimRows()
        self.progress("claims", 0, total)
        for k in range(total):
            if k < len(forced):
                status, bucket = forced[k]
            else:
                status, bucket = _weighted(rng, statuses, status_weights), None
            age = self._claim_age(rng, status, bucket)
            service_date = self.today - dt.timedelta(days=age)
            appointment = None
            pool = pools.get(service_date)
            while pool:
                aid, patient, provider = pool.pop()
                if self.patients[patient - 1].coverage_id:
                    appointment = aid
                    break
            if appointment is None:
                patient = rng.choice(insured)
                provider = rng.randint(1, len(PROVIDERS))
            self._claim(rng, out, status, service_date, patient, provider, appointment)
            if len(out.claims) >= CLAIM_BATCH:
                out.write(self.summary)
                self.progress("claims", k + 1, total)
        out.write(self.summary)
        self.progress("claims", total, total)

    @staticmethod
    def _claim_age(rng: random.Random, status: str, bucket: str | None) -> int:
        low = MIN_AGE[status]
        if bucket is not None:
            _, lo, hi = next(b for b in AGING_BUCKETS if b[0] == bucket)
            return rng.randint(max(lo, low), hi)
        options = [b for b in AGING_BUCKETS if b[2] >= low]
        weights = tuple(BUCKET_WEIGHTS[status][AGING_BUCKETS.index(b)] for b in options)
        _, lo, hi = _weighted(rng, options, weights)
        return rng.randint(max(lo, low), hi)

    def _claim_lines(self, rng: random.Random, age: int, payer: int) -> tuple[list, list]:
        """(lines as (code, modifiers, units, dx pointers), diagnosis codes)."""
        kind = _weighted(
            rng, ("sick", "chronic", "preventive", "procedure", "new"), (35, 30, 18, 9, 8)
        )
        lines: list[tuple[str, str, int, str]] = []
        if kind == "preventive":
            if age >= 65 and payer in (MEDICARE, HUMANA):
                lines.append(("G0439", "", 1, "1"))
                dx = ["Z00.00"]
            else:
                code = (
                    "99392"
                    if age < 5
                    else "99393"
                    if age < 12
                    else "99394"
                    if age < 18
                    else "99395"
                    if age < 40
                    else "99396"
                    if age < 65
                    else "99397"
                )
                lines.append((code, "", 1, "1"))
                dx = ["Z00.129" if age < 18 else rng.choice(("Z00.00", "Z00.01"))]
            if rng.random() < 0.35:
                dx.append("Z23")
                lines += [("90471", "", 1, "2"), ("90686", "", 1, "2")]
            elif age >= 18 and rng.random() < 0.4:
                dx.append(rng.choice(CHRONIC_DX))
                lines.append(("36415", "", 1, "2"))
            return lines, dx
        if kind == "procedure":
            code, dx = rng.choice(
                (
                    ("20610", ["M17.11"]),
                    ("69210", ["H61.23"]),
                    ("17110", ["B07.9"]),
                    ("93000", ["I10"]),
                )
            )
            modifier = "RT" if code == "20610" else ""
            lines.append((_weighted(rng, ("99213", "99214"), (60, 40)), "25", 1, "1"))
            lines.append((code, modifier, 1, "1"))
            if code == "20610" and rng.random() < 0.5:
                lines.append(("J1100", "", rng.randint(4, 10), "1"))
            return lines, dx
        if kind == "new":
            dx = rng.sample(CHRONIC_DX, rng.randint(1, 3))
            lines.append(
                (
                    _weighted(rng, ("99202", "99203", "99204"), (20, 50, 30)),
                    "",
                    1,
                    ",".join(str(i) for i in range(1, len(dx) + 1)),
                )
            )
            return lines, dx
        if kind == "chronic":
            dx = rng.sample(CHRONIC_DX, rng.randint(1, 4))
            em = _weighted(rng, ("99212", "99213", "99214", "99215"), (10, 45, 38, 7))
            telehealth = rng.random() < 0.12
            lines.append(
                (em, "95" if telehealth else "", 1, ",".join(str(i) for i in range(1, len(dx) + 1)))
            )
            if not telehealth and rng.random() < 0.4:
                lines.append(("36415", "", 1, "1"))
            if not telehealth and rng.random() < 0.1:
                lines.append(("94010", "", 1, "1"))
            return lines, dx
        dx = rng.sample(ACUTE_DX, rng.randint(1, 2))
        lines.append(
            (
                _weighted(rng, ("99212", "99213", "99214"), (30, 55, 15)),
                "",
                1,
                ",".join(str(i) for i in range(1, len(dx) + 1)),
            )
        )
        if "J02.9" in dx and rng.random() < 0.7:
            lines.append(("87880", "", 1, str(dx.index("J02.9") + 1)))
        if "N39.0" in dx and rng.random() < 0.8:
            lines.append(("81002", "", 1, str(dx.index("N39.0") + 1)))
        if rng.random() < 0.08:
            lines[0] = (lines[0][0], "25", 1, lines[0][3])
            lines += [("96372", "", 1, "1"), ("J1100", "", rng.randint(4, 10), "1")]
        return lines, dx

    def _claim(
        self,
        rng: random.Random,
        out: _ClaimRows,
        status: str,
        service_date: dt.date,
        patient: int,
        provider: int,
        appointment: int | None,
    ) -> None:
        info = self.patients[patient - 1]
        cid = out.next_claim_id()
        lines, dx = self._claim_lines(rng, info.age, info.payer_id)
        telehealth = any(mods == "95" for _, mods, _, _ in lines)
        line_ids = []
        charges = []
        for line_no, (code, mods, units, pointers) in enumerate(lines, 1):
            charge = FEE_BY_CODE[code] * units
            charges.append(charge)
            line_ids.append(
                out.add_line(cid, line_no, code, mods, units, charge, pointers, service_date)
            )
        for seq, code in enumerate(dx, 1):
            out.add_dx(cid, seq, code)
        total = sum(charges)
        # status history, squeezed to fit between the visit and now
        path = CLAIM_PATHS[status]
        visit = _at(service_date, rng.randint(8 * 60, 16 * 60))
        budget = (self.now - visit).total_seconds() * 0.95
        first = rng.uniform(0.05, 0.3) * 86400
        gaps = [STEP_DAYS[s] * rng.uniform(0.6, 1.4) * 86400 for s in path[1:]]
        scale = min(1.0, budget / (first + sum(gaps)))
        times = [visit + dt.timedelta(seconds=int(first * scale))]
        for gap in gaps:
            times.append(times[-1] + dt.timedelta(seconds=max(60, int(gap * scale))))
        if times[-1] > self.now:  # a visit yesterday with a long path: keep order, end by now
            step = (self.now - visit) / (len(times) + 1)
            times = [visit + step * (i + 1) for i in range(len(times))]
            times = [t.replace(microsecond=0) for t in times]
        times = [min(_office_hours(t), self.now) for t in times]
        previous = ""
        for to_status, at in zip(path, times, strict=True):
            out.add_event(cid, previous, to_status, at, EVENT_NOTES[to_status])
            previous = to_status
        submitted_at = times[path.index("submitted")] if "submitted" in path else None
        adjudicated = "pending" in path and status not in ("pending",)
        payer_claim_number = f"{rng.randrange(10**12, 10**13)}" if adjudicated else ""
        frequency = "7" if status == "corrected" else "1"
        paid = adjustments = patient_resp = 0
        payer = info.payer_id
        post_at = (
            times[-1]
            if status not in ("closed", "appealed", "corrected", "written_off")
            else times[len(path) - 2]
        )
        if status in ("paid", "closed", "partially_paid"):
            denied_line = (
                (len(lines) - 1) if status == "partially_paid" and len(lines) > 1 else None
            )
            allowed_base = sum(c for i, c in enumerate(charges) if i != denied_line)
            allowed = int(allowed_base * rng.uniform(0.45, 0.85))
            contractual = allowed_base - allowed
            if status == "partially_paid":
                share = max(info.copay, int(allowed * rng.uniform(0.2, 0.5)))
            else:
                share = info.copay + (int(allowed * 0.2) if payer == MEDICARE else 0)
            share = min(share, allowed)
            insurance = allowed - share
            pay_id = (
                out.add_payment(
                    "insurance",
                    cid,
                    patient,
                    payer,
                    insurance,
                    rng.choice(("eft", "eft", "eft", "check")),
                    f"{rng.choice(('EFT', 'CHK'))}{rng.randrange(10**8):08d}",
                    post_at,
                )
                if insurance > 0
                else None
            )
            out.add_adjustment(
                cid, line_ids[0], pay_id, "CO", "45", contractual, "contractual obligation", post_at
            )
            adjustments += contractual
            paid += insurance
            if share:
                carc = "3" if info.copay and share == info.copay else rng.choice(("1", "2"))
                out.add_adjustment(
                    cid, line_ids[0], pay_id, "PR", carc, share, "patient responsibility", post_at
                )
                patient_resp = share
                if status != "partially_paid":
                    out.add_payment(
                        "patient",
                        cid,
                        patient,
                        None,
                        share,
                        rng.choice(("card", "card", "cash", "check")),
                        f"RCPT{cid:08d}",
                        visit + dt.timedelta(minutes=20),
                    )
                    paid += share
            if denied_line is not None:
                carc, note = rng.choice((DENIAL_CARCS[0], DENIAL_CARCS[2], DENIAL_CARCS[3]))
                out.add_adjustment(
                    cid,
                    line_ids[denied_line],
                    pay_id,
                    "CO",
                    carc,
                    0,
                    f"line denied (memo): {note}",
                    post_at,
                )
        elif status in ("denied", "appealed", "corrected"):
            carc, note = rng.choice(DENIAL_CARCS)
            out.add_adjustment(
                cid,
                line_ids[0],
                None,
                "CO",
                carc,
                0,
                f"denied (memo, billed {total / 100:.2f}): {note}",
                post_at,
            )
        elif status == "written_off":
            out.add_adjustment(
                cid,
                line_ids[0],
                None,
                "CO",
                "29",
                total,
                "time limit for filing expired: written off",
                times[-1],
            )
            adjustments = total
        balance = total - paid - adjustments
        out.add_claim(
            (
                cid,
                f"CLM{cid:08d}",
                patient,
                provider,
                payer,
                info.coverage_id,
                appointment,
                service_date,
                "10" if telehealth else "11",
                frequency,
                payer_claim_number,
                status,
                total,
                paid,
                adjustments,
                patient_resp,
                balance,
                submitted_at,
                times[-1],
                times[0],
                times[-1],
                1,
            )
        )

    # ------------------------------------------------------------ supplies

    def supplies(self) -> None:
        rng = self.rng("supplies")
        today = self.today
        order = list(range(len(SUPPLIES)))
        rng.shuffle(order)
        out_items = set(order[:4])
        low_items = set(order[4:14])
        expired_items = set(order[14:18])
        expiring_items = set(order[18:24])
        item_rows, lot_rows, moves = [], [], []
        expiring = expired = 0
        for idx, (name, unit, shelf, vendor, location, point, qty) in enumerate(SUPPLIES):
            iid = idx + 1
            n_lots = _weighted(rng, (1, 2, 3), (50, 35, 15))
            if idx in out_items:
                targets = [0]
            elif idx in low_items:
                targets = [rng.randint(1, point)]
            else:
                targets = [rng.randint(point // 2 + 1, point + qty) for _ in range(n_lots)]
                if sum(targets) <= point:
                    targets[0] += point + 1
            for k, quantity in enumerate(targets):
                received = today - dt.timedelta(days=rng.randint(10, min(300, shelf - 40)))
                expires = received + dt.timedelta(days=shelf)
                if idx in expired_items and k == 0:
                    expires = today - dt.timedelta(days=rng.randint(1, 45))
                    received = min(received, expires - dt.timedelta(days=60))
                    quantity = max(quantity, 1)
                elif idx in expiring_items and k == 0:
                    expires = today + dt.timedelta(days=rng.randint(3, 30))
                    received = min(received, today - dt.timedelta(days=20))
                    quantity = max(quantity, 1)
                if expires < today:
                    expired += 1
                elif expires <= today + dt.timedelta(days=30) and quantity > 0:
                    expiring += 1
                lot_id = len(lot_rows) + 1
                lot_number = (
                    f"{rng.choice('ABCDHKLMRT')}{received:%y}{rng.randrange(1000, 9999)}-{k + 1}"
                )
                lot_rows.append((lot_id, iid, lot_number, expires, quantity, received))
                got = max(quantity + rng.randint(0, qty), quantity, 1)
                moves.append(
                    (
                        len(moves) + 1,
                        iid,
                        lot_id,
                        "receive",
                        got,
                        f"PO {rng.randrange(10000, 99999)}",
                        _at(received, 9 * 60 + 30),
                        NURSE_USER,
                    )
                )
                used = got - quantity
                span = max(1, (min(today, expires) - received).days - 1)
                uses = min(used, rng.randint(1, 4))
                for u in range(uses):
                    amount = used - (uses - 1) if u == 0 else 1
                    day = received + dt.timedelta(days=rng.randint(1, span))
                    day = min(day, today - dt.timedelta(days=1)) if day >= today else day
                    moves.append(
                        (
                            len(moves) + 1,
                            iid,
                            lot_id,
                            "use",
                            -amount,
                            "clinic use",
                            _at(max(day, received), rng.randint(8 * 60, 17 * 60)),
                            NURSE_USER,
                        )
                    )
            on_hand = sum(r[4] for r in lot_rows if r[1] == iid)
            sku = f"MS-{1000 + iid * 7}"
            item_rows.append((iid, sku, name, unit, point, qty, vendor, location, on_hand, True))
        self.progress("supplies", 0, len(item_rows))
        _insert(
            m.SupplyItem,
            _fields(
                m.SupplyItem,
                "id sku name unit reorder_point reorder_qty vendor location on_hand active",
            ),
            item_rows,
        )
        _insert(
            m.SupplyLot,
            _fields(m.SupplyLot, "id item lot_number expires_on quantity received_on"),
            lot_rows,
        )
        _insert(
            m.StockMovement,
            _fields(m.StockMovement, "id item lot kind quantity reason at user"),
            moves,
        )
        self.progress("supplies", len(item_rows), len(item_rows))
        s = self.summary
        s.supply_items, s.supply_lots, s.stock_movements = len(item_rows), len(lot_rows), len(moves)
        s.low_items = sum(1 for r in item_rows if 0 < r[8] <= r[4])
        s.out_items = sum(1 for r in item_rows if r[8] == 0)
        s.expiring_lots, s.expired_lots = expiring, expired


_DEAD = ("cancelled", "no_show")


class _ClaimRows:
    """Rows of one batch of claims and their children, with ids running across batches."""

    CLAIM_FIELDS = _fields(
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
        _insert(m.Claim, self.CLAIM_FIELDS, self.claims)
        _insert(
            m.ClaimDiagnosis,
            _fields(m.ClaimDiagnosis, "id claim seq code"),
            self.dx,
        )
        _insert(
            m.ClaimLine,
            _fields(
                m.ClaimLine,
                "id claim line_no procedure_code modifiers units charge_cents dx_pointers "
                "service_date",
            ),
            self.lines,
        )
        _insert(
            m.ClaimStatusEvent,
            _fields(m.ClaimStatusEvent, "id claim from_status to_status at user note"),
            self.events,
        )
        _insert(
            m.Payment,
            _fields(
                m.Payment,
                "id kind claim patient payer amount_cents method reference received_on "
                "posted_at posted_by",
            ),
            self.payments,
        )
        _insert(
            m.Adjustment,
            _fields(
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
